"""No file of the repository holds a source's words: at most a named speaker's short quotation.

Every tracked text file is compared with every source text found locally; a run of 12 or more
consecutive words shared with a source, outside `quote` fields, fails the test. The texts stay
outside the repository, so the test reads them at run time and fails when there are none.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from recruitgraph import config
from support import missing

ROOT = Path(__file__).resolve().parents[1]
RUN = 12

#: A `quote` field's value: YAML (`quote: "..."`), Turtle (`rg:quote "..."@en`), JSON.
_QUOTE = re.compile(
    r"""(?:rg:quote|\bquote"?\s*:)\s*(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')"""
)
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def words(text: str) -> list[str]:
    """The words of a text, case and typographic quotes folded (a curly apostrophe splits too)."""
    return re.findall(r"\w+", text.translate(_FOLD).casefold())


def runs(text: str) -> set[tuple[str, ...]]:
    ws = words(text)
    return {tuple(ws[i : i + RUN]) for i in range(len(ws) - RUN + 1)}


def source_texts() -> dict[Path, str]:
    dirs = [ROOT.parent / "shared" / "sources", *config.source_dirs()]
    found = {p.resolve(): p for d in dirs if Path(d).is_dir() for p in Path(d).glob("*.txt")}
    if not found:
        missing(f"no source text (*.txt) in {', '.join(map(str, dirs))}")
    return {p: p.read_text(encoding="utf-8") for p in found.values()}


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    files = []
    for name in filter(None, listed):
        path = ROOT / name.decode("utf-8")
        if path.is_file() and b"\0" not in path.read_bytes()[:8192]:
            files.append(path)
    return files


def test_quote_fields_are_left_out_and_runs_are_found() -> None:
    sentence = "one two three four five six seven eight nine ten eleven twelve thirteen"
    assert runs(sentence) & runs(f"x {sentence} y")
    assert not runs(sentence) & runs(_QUOTE.sub("", f'  quote: "{sentence}"'))
    assert not runs(sentence) & runs(_QUOTE.sub("", f'    rg:quote "{sentence}"@en ;'))
    assert len(runs(" ".join(sentence.split()[:11]))) == 0  # eleven words are not a run


def test_no_tracked_file_shares_twelve_words_with_a_source() -> None:
    texts = source_texts()
    shared: dict[tuple[str, ...], Path] = {}
    for path, text in texts.items():
        shared.update(dict.fromkeys(runs(text), path))
    files = tracked_text_files()
    assert len(files) > 50  # the repository's files were listed
    found = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        hits = runs(_QUOTE.sub("", text)) & shared.keys()
        if hits:
            first = min(hits)
            found.append(
                f"{path.relative_to(ROOT)}: {len(hits)} run(s) of {RUN} words of "
                f"{shared[first].name}, e.g. {' '.join(first[:4])} ..."
            )
    assert not found, "\n".join(found)
