"""Turn the passage phrases of a claims file into anchors, in place (``recruitgraph locate
--write``), so that the words of a source never stay in the repository.

An author drafts ``passage: "a few words of the sentence"`` (and ``passage_exact: true`` when the
selector is the phrase only, not its sentence); this module locates each phrase in the source
text and replaces the two keys with ``anchor: "START-END FINGERPRINT"``. Everything else in the
file (comments, order, layout) is kept as written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .exc import InputError
from .locate import anchor_phrase

__all__ = ["write_anchors"]

_SCALAR = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,}\n#]+)"""
_PASSAGE_RE = re.compile(r"(?<![\w-])passage:\s*" + _SCALAR)
_EXACT_FLOW_RE = re.compile(
    r",\s*passage_exact:\s*(?:true|false|yes|no)\b|(?<![\w-])passage_exact:\s*(?:true|false|yes|no)\s*,\s*"
)
_EXACT_LINE_RE = re.compile(r"^\s*passage_exact:\s*(?:true|false|yes|no)\s*(?:#.*)?$")


def _records(node: Any) -> list[Any]:
    """Every mapping of the parsed file that has a ``passage`` key, in document order."""
    found: list[Any] = []
    if isinstance(node, dict):
        if "passage" in node:
            found.append(node)
        for value in node.values():
            found += _records(value)
    elif isinstance(node, list):
        for value in node:
            found += _records(value)
    return found


def write_anchors(path: Path, text: str, *, write: bool = True) -> list[tuple[int, str]]:
    """Replace every ``passage`` phrase of the claims file ``path`` by its anchor in ``text``.

    Returns ``(line, anchor)`` for each replacement. Nothing is written when any phrase is
    missing or ambiguous: :class:`InputError` names the file, the line and the closest text.
    """
    from .authoring import load_claims_yaml

    doc = load_claims_yaml(path)
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    done: list[tuple[int, str]] = []
    drop: set[int] = set()
    for rec in _records(doc):
        line = rec.line_of("passage")
        if "anchor" in rec:
            raise InputError(f"{path}:{line}: give a passage phrase or an anchor, not both")
        phrase = rec["passage"]
        if not isinstance(phrase, str) or not phrase.strip():
            raise InputError(f"{path}:{line}: passage: a phrase from the source text is required")
        try:
            value = anchor_phrase(text, phrase, exact=bool(rec.get("passage_exact")))
        except ValueError as exc:
            raise InputError(f"{path}:{line}: {exc}") from None
        current = lines[line - 1]
        new, count = _PASSAGE_RE.subn(f'anchor: "{value}"', current, count=1)
        if count != 1:
            raise InputError(f"{path}:{line}: cannot rewrite this passage (write it on one line)")
        lines[line - 1] = new
        if "passage_exact" in rec:
            eline = rec.line_of("passage_exact")
            if _EXACT_LINE_RE.match(lines[eline - 1]) and eline != line:
                drop.add(eline)
            else:
                lines[eline - 1] = _EXACT_FLOW_RE.sub("", lines[eline - 1], count=1)
        done.append((line, value))
    if write and done:
        kept = [ln for i, ln in enumerate(lines, start=1) if i not in drop]
        Path(path).write_text("\n".join(kept), encoding="utf-8")
    return done
