"""Find passages in a source text by phrase, so selectors are never counted by hand.

Offsets are Unicode code points from 0, end exclusive, as the W3C Web Annotation
``TextPositionSelector`` (``oa:start``/``oa:end``) defines them and as Python indexes strings.

>>> locate("He said “yes”. Then he left.", 'said "yes"')
[(3, 13)]
>>> sentence_span("One. Two words here. Three.", 5, 8)
(5, 20)
"""

from __future__ import annotations

import difflib
import hashlib
import re

__all__ = [
    "anchor",
    "anchor_phrase",
    "check_anchor",
    "closest_text",
    "fingerprint",
    "locate",
    "normalize",
    "parse_anchor",
    "passage_span",
    "sentence_span",
    "sentences",
]

# Typographic variants folded together by the loose match (why: editors and sources
# disagree on quotes and dashes, and a person typing a phrase uses straight ones).
_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2014": "-",
    "\u2013": "-",
    "\u2012": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",
    "\u00a0": " ",
}

# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
    ]
)
_CLOSERS = "\"'\u201d\u2019)]\u00bb"


def _fold_char(ch: str) -> str:
    ch = _FOLD.get(ch, ch)
    low = ch.lower()
    # Keep one code point per character so offsets map back one to one.
    return low if len(low) == 1 else ch


def normalize(text: str) -> tuple[str, list[int]]:
    """Fold case, quotes, dashes and whitespace runs; return the folded text and, for each
    folded character, the offset of the original character it came from."""
    out: list[str] = []
    origin: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                origin.append(i)
            in_space = True
            continue
        in_space = False
        out.append(_fold_char(ch))
        origin.append(i)
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


def _find_all(haystack: str, needle: str) -> list[int]:
    starts: list[int] = []
    pos = haystack.find(needle)
    while pos != -1:
        starts.append(pos)
        pos = haystack.find(needle, pos + 1)
    return starts


def locate(text: str, phrase: str) -> list[tuple[int, int]]:
    """Return every ``(start, end)`` span of ``phrase`` in ``text``.

    An exact match wins; otherwise a match that ignores case, whitespace runs and the kind of
    quote, apostrophe or dash is tried and mapped back to offsets in the original text.
    An empty list means the phrase is not there; more than one span means it is ambiguous.
    """
    if not phrase.strip():
        return []
    exact = _find_all(text, phrase)
    if exact:
        return [(s, s + len(phrase)) for s in exact]
    folded, origin = normalize(text)
    needle, _ = normalize(phrase)
    return [(origin[s], origin[s + len(needle) - 1] + 1) for s in _find_all(folded, needle)]


def _is_sentence_end(text: str, i: int) -> bool:
    """Whether the ``.``, ``!`` or ``?`` at ``i`` ends a sentence (followed by space or end)."""
    j = i + 1
    while j < len(text) and text[j] in _CLOSERS:
        j += 1
    if j < len(text) and not text[j].isspace():
        return False
    if text[i] == ".":
        word = re.search(r"([\w.]+)$", text[:i])
        if word:
            w = word.group(1).lower()
            if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha() and text[i - 1].isupper()):
                return False
    return True


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Expand ``[start, end)`` to the whole sentence(s) containing it.

    A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes) followed by whitespace, and
    at every line break: headings and quoted lines are sentences of their own.
    """
    s = start
    while s > 0:
        prev = text[s - 1]
        if prev == "\n":
            break
        if prev.isspace():
            k = s - 2
            while k >= 0 and text[k] in _CLOSERS:
                k -= 1
            if k >= 0 and text[k] in ".!?" and _is_sentence_end(text, k):
                break
        s -= 1
    # why: scan from the phrase's last character that is not a closing quote, so a phrase that
    # ends with its sentence's own full stop (or with "?" and a closing quote) ends there
    last = max(end - 1, s)
    while last > s and text[last] in _CLOSERS:
        last -= 1
    e = last
    while e < len(text) and text[e] != "\n":
        if text[e] in ".!?" and _is_sentence_end(text, e):
            e += 1
            while e < len(text) and text[e] in _CLOSERS:
                e += 1
            break
        e += 1
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def passage_span(text: str, start: int, end: int, *, exact: bool = False) -> tuple[int, int]:
    """The selector for a located phrase: its sentence, or the phrase itself when ``exact``."""
    return (start, end) if exact else sentence_span(text, start, end)


def closest_text(text: str, phrase: str, *, width: int | None = None) -> str:
    """The stretch of ``text`` most like ``phrase`` (for "not found" messages)."""
    folded, origin = normalize(text)
    needle, _ = normalize(phrase)
    if not needle or not folded:
        return ""
    size = width or len(needle)
    best, best_ratio = 0, -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    step = max(1, size // 4)
    for pos in range(0, max(1, len(folded) - size + 1), step):
        matcher.set_seq1(folded[pos : pos + size])
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = pos, ratio
    # refine around the best window
    for pos in range(max(0, best - step), min(len(folded) - size, best + step) + 1):
        matcher.set_seq1(folded[pos : pos + size])
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = pos, ratio
    lo = origin[best]
    hi = origin[min(best + size, len(origin)) - 1] + 1
    # a window that starts or ends on a blank is trimmed first: widening it to whole words must
    # not pull in the word beyond that blank
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    # widen to whole words so the hint reads naturally
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return text[lo:hi]


def sentences(text: str) -> list[tuple[int, int]]:
    """Every sentence of ``text`` as ``(start, end)``, in order (same rules as
    :func:`sentence_span`: terminators followed by space, and line breaks)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        s, e = sentence_span(text, pos, pos + 1)
        spans.append((s, e))
        pos = max(e, pos + 1)
    return spans


# --- anchors: how a claims file points at a passage without holding its words -----------------

#: ``"<start>-<end> <fingerprint>"``: code-point offsets and 8 hex digits of the passage's SHA-256.
_ANCHOR_RE = re.compile(r"^\s*(\d+)-(\d+)\s+([0-9a-f]{8})\s*$")


def fingerprint(passage: str) -> str:
    """A short fingerprint of a passage: the first 8 hex digits of the SHA-256 of its UTF-8.

    >>> fingerprint("One.")
    '70277bfc'
    """
    return hashlib.sha256(passage.encode("utf-8")).hexdigest()[:8]


def anchor(text: str, start: int, end: int) -> str:
    """The anchor of ``text[start:end]`` as a claims file writes it: ``"start-end fingerprint"``."""
    return f"{start}-{end} {fingerprint(text[start:end])}"


def parse_anchor(value: object) -> tuple[int, int, str]:
    """``(start, end, fingerprint)`` of an anchor; :class:`ValueError` says what is wrong."""
    match = _ANCHOR_RE.match(str(value)) if isinstance(value, str) else None
    if not match:
        raise ValueError(
            f"anchor {value!r} is not of the form 'START-END FINGERPRINT' (as `recruitgraph "
            "locate` writes it)"
        )
    start, end = int(match.group(1)), int(match.group(2))
    if not start < end:
        raise ValueError(f"anchor {value!r}: the start must come before the end")
    return start, end, match.group(3)


def check_anchor(text: str, value: object) -> tuple[int, int]:
    """The offsets of an anchor after checking them against ``text``; :class:`ValueError` when
    the anchor is malformed, lies outside the text or its fingerprint does not match."""
    start, end, print_ = parse_anchor(value)
    if end > len(text):
        raise ValueError(f"anchor {value!r} ends beyond the text ({len(text)} characters)")
    found = fingerprint(text[start:end])
    if found != print_:
        raise ValueError(
            f"anchor {value!r}: the text at {start}-{end} has fingerprint {found}, not {print_}; "
            "the anchor was made for another text or edited by hand (locate the phrase again)"
        )
    return start, end


def anchor_phrase(text: str, phrase: str, *, exact: bool = False) -> str:
    """The anchor of the sentence holding ``phrase`` (or of the phrase itself when ``exact``);
    :class:`ValueError` when the phrase is missing or ambiguous, with the closest text or the
    matches."""
    spans = locate(text, phrase)
    if not spans:
        raise ValueError(
            f"phrase {phrase!r} not found in the source text; closest text: "
            f"{closest_text(text, phrase)!r}"
        )
    if len(spans) > 1:
        where = ", ".join(f"{s}-{e}" for s, e in spans)
        raise ValueError(
            f"phrase {phrase!r} is ambiguous ({len(spans)} matches at {where}); quote more words"
        )
    return anchor(text, *passage_span(text, *spans[0], exact=exact))
