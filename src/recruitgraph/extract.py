"""Draft a claims file from a new text, for a person to confirm.

The draft proposes every number with its qualifier, unit and sentence; every mention of an
entity the graph already knows (by label or alias); names that look like new entities; and every
sentence with a hedge. Each proposal carries ``confirmed: false``: ``recruitgraph compile``
refuses it until a person has checked it against the text. Nothing enters the graph here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .locate import sentences
from .namespaces import RG, RGD
from .sources import load_base_graph

__all__ = ["Draft", "EntityMention", "NumberProposal", "draft_yaml", "extract"]

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_VAGUE = {
    "tens of thousands": "tens-of-thousands",
    "hundreds of thousands": "hundreds-of-thousands",
    "thousands": "thousands",
    "hundreds": "hundreds",
    "dozens": "dozens",
    "unspecified number": "unspecified",
    "unknown number": "unspecified",
}
_QUALIFIERS = {
    "more than": "more-than", "over": "over", "at least": "at-least", "about": "about",
    "nearly": "nearly", "roughly": "roughly", "just over": "just-over", "almost": "nearly",
    "around": "about", "some": "about", "up to": "up-to", "fewer than": "fewer-than",
    "less than": "fewer-than", "approximately": "about",
}  # fmt: skip
_UNITS = [
    (r"troops?|soldiers?|fighters?|men|women|people|persons?|citizens|nationals|foreigners|"
     r"recruits|prisoners|detainees|conscripts|workers|enlistees|volunteers|deaths|dead|"
     r"killed|wounded|casualties|POWs|Indians|Iraqis|Nepalis|Cubans|Russians|Ukrainians", "person"),
    (r"countries|nations|states", "country"),
    (r"years?", "year"),
    (r"months?", "month"),
]  # fmt: skip
_HEDGES = (
    "reportedly", "allegedly", "alleged", "cannot be independently verified",
    "independent verification is not possible", "could not be verified", "activists warn",
    "activists report", "according to", "say", "says", "said", "claims", "claimed",
    "estimated", "may have", "unverified",
)  # fmt: skip

_NUM = r"\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?|\$?\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(
    rf"(?<![\w.,$])(?P<num>{_NUM}|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|"
    rf"eleven|twelve|twenty|thirty|forty|fifty)\s+(?:dozen|hundred|thousand|million))"
    rf"(?:\s+(?P<scale>thousand|million|billion))?(?![\w]|[.,]\d)"
    rf"|(?P<vague>tens of thousands|hundreds of thousands|thousands|hundreds|dozens|"
    rf"unspecified number|unknown number)"
    # small numbers in words count only before a unit noun ("four years", "one year")
    rf"|(?<![\w-])(?P<word>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)"
    rf"(?=\s+(?:years?|months?|countries|soldiers|men|people|times)\b)"
    rf"|(?<![\w-])(?P<twice>twice)(?!\w)",
    flags=re.IGNORECASE,
)
_YEAR_RE = re.compile(r"^(19|20)\d\d$")


@dataclass
class NumberProposal:
    """A number found in the text, with what the draft guesses about it."""

    start: int
    end: int
    text: str
    value: Decimal | None
    comparator: str
    unit: str | None
    sentence: tuple[int, int]
    is_year: bool = False


@dataclass
class EntityMention:
    """A known entity (or a name that may be a new one) mentioned in the text."""

    name: str
    iri: URIRef | None
    offsets: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Draft:
    """Everything the extractor proposes for one text."""

    source_id: str
    text: str
    numbers: list[NumberProposal]
    known: list[EntityMention]
    candidates: list[EntityMention]
    hedged: list[tuple[tuple[int, int], list[str]]]


def _value(raw: str, scale: str | None) -> Decimal | None:
    raw = raw.replace("$", "").replace(",", "").strip().lower()
    parts = raw.split()
    if len(parts) == 2:
        base = Decimal(1) if parts[0] == "a" else Decimal(_WORDS.get(parts[0], 0))
        mult = 12 if parts[1] == "dozen" else 100 if parts[1] == "hundred" else _SCALE[parts[1]]
        value = base * mult
    else:
        value = Decimal(raw)
    if scale:
        value *= _SCALE[scale.lower()]
    return value


def _qualifier(text: str, start: int) -> str:
    before = text[max(0, start - 25) : start].lower().rstrip(" $")
    for words, cmp in sorted(_QUALIFIERS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{re.escape(words)}$", before):
            return cmp
    return "exactly"


def _unit(text: str, start: int, end: int) -> str | None:
    if text[start] == "$" or text[max(0, start - 1)] == "$":
        return "usd"
    after = text[end : end + 60]
    for pattern, unit in _UNITS:
        # the unit noun follows within a few words ("700,000 Russian troops", "550 foreigners")
        if re.match(rf"(?:\s+[\w\u2019'-]+){{0,3}}?\s+(?:{pattern})\b", after):
            return unit
    if re.search(r"\baged\s*$", text[max(0, start - 10) : start]):
        return "year"
    return None


def _numbers(text: str, spans: list[tuple[int, int]]) -> list[NumberProposal]:
    found = []
    for m in _NUMBER_RE.finditer(text):
        sentence = next(((s, e) for s, e in spans if s <= m.start() < e), (m.start(), m.end()))
        if m.group("vague"):
            found.append(
                NumberProposal(
                    m.start(),
                    m.end(),
                    m.group(0),
                    None,
                    _VAGUE[m.group("vague").lower()],
                    _unit(text, m.start(), m.end()),
                    sentence,
                )
            )
            continue
        if m.group("word") or m.group("twice"):
            word = (m.group("word") or "two").lower()
            found.append(
                NumberProposal(
                    m.start(), m.end(), m.group(0), Decimal(_WORDS[word]),
                    _qualifier(text, m.start()), _unit(text, m.start(), m.end()), sentence,
                )
            )  # fmt: skip
            continue
        raw = m.group("num")
        value = _value(raw, m.group("scale"))
        found.append(
            NumberProposal(
                m.start(),
                m.end(),
                m.group(0),
                value,
                _qualifier(text, m.start()),
                _unit(text, m.start(), m.end()),
                sentence,
                is_year=bool(_YEAR_RE.match(raw)) and m.group("scale") is None,
            )
        )
    return found


def _fold(s: str) -> str:
    return s.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


def _known_names(graph: Graph) -> dict[str, URIRef]:
    """Label/alias -> entity, for the entities of the graph (not claims, passages or sources)."""
    skip = {RG.Evidence, RG.Passage, RG.Figure, RG.RelationClaim, RG.Stage, RG.Source}
    names: dict[str, URIRef] = {}
    for p in (RDFS.label, SKOS.altLabel):
        for s, o in graph.subject_objects(p):
            if not isinstance(s, URIRef) or not str(s).startswith(str(RGD)):
                continue
            if any((s, RDF.type, t) in graph for t in skip):
                continue
            if len(str(o)) >= 3:
                names.setdefault(_fold(str(o)), s)
    return names


def _mentions(text: str, names: dict[str, URIRef]) -> list[EntityMention]:
    folded = _fold(text)
    by_iri: dict[URIRef, EntityMention] = {}
    taken: list[tuple[int, int]] = []
    for name in sorted(
        names, key=len, reverse=True
    ):  # longest names first: "North Korea" > "Korea"
        flags = 0 if any(c.isupper() for c in name) else re.IGNORECASE
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", folded, flags):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            iri = names[name]
            by_iri.setdefault(iri, EntityMention(name, iri)).offsets.append((m.start(), m.end()))
    return sorted(by_iri.values(), key=lambda mention: mention.offsets[0])


_NAME_RE = re.compile(
    r"(?<![\w\u2019'])[A-Z][\w-]*(?:(?:[ \t]+(?:of|the|for|de|al))*[ \t]+[A-Z][\w-]*)*"
)
_STOP = frozenset(
    [
        "A",
        "An",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "His",
        "Her",
        "Their",
        "Its",
        "Some",
        "Most",
        "Many",
        "Even",
        "But",
        "And",
        "Or",
        "For",
        "When",
        "Where",
        "While",
        "After",
        "Before",
        "Since",
        "Unlike",
        "Despite",
        "Though",
        "Although",
        "As",
        "If",
        "In",
        "On",
        "At",
        "By",
        "From",
        "To",
        "Of",
        "With",
        "Among",
        "Elsewhere",
        "Additional",
        "Financial",
        "Foreign",
        "Recruitment",
        "Nearly",
        "President",
        "Independent",
        "Officials",
        "Families",
        "Russian",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)


def _candidates(
    text: str, spans: list[tuple[int, int]], known: list[EntityMention]
) -> list[EntityMention]:
    """Capitalised names not already known (possible new entities), skipping headings."""
    covered = [o for m in known for o in m.offsets]
    headings = {
        (s, e)
        for s, e in spans
        if text[s:e] and text[e - 1 : e] not in '.!?”"' and len(text[s:e].split()) <= 8
    }
    found: dict[str, EntityMention] = {}
    for m in _NAME_RE.finditer(text):
        start, end = m.start(), m.end()
        words = m.group(0).split()
        while words and (words[0] in _STOP or words[0].islower()):
            start = text.index(words[1], start) if len(words) > 1 else end
            words = words[1:]
        name = " ".join(words)
        if not name or len(name) < 3 or any(s <= start < e for s, e in covered):
            continue
        if any(s <= start < e for s, e in headings):
            continue
        # a capitalised word at the start of a sentence alone is no evidence of a name
        if len(words) == 1 and any(start == s for s, _ in spans):
            continue
        found.setdefault(name, EntityMention(name, None)).offsets.append((start, start + len(name)))
    return sorted(found.values(), key=lambda mention: mention.offsets[0])


def _hedges(text: str, spans: list[tuple[int, int]]) -> list[tuple[tuple[int, int], list[str]]]:
    out = []
    for s, e in spans:
        sentence = text[s:e].lower()
        hits = [h for h in _HEDGES if re.search(rf"\b{re.escape(h)}\b", sentence)]
        if hits:
            out.append(((s, e), hits))
    return out


def extract(text: str, *, source_id: str = "new-source", graph: Graph | None = None) -> Draft:
    """Find the numbers, entity mentions and hedges of ``text`` (``graph``: the known entities;
    default: the ontology and data files)."""
    graph = load_base_graph() if graph is None else graph
    spans = sentences(text)
    known = _mentions(text, _known_names(graph))
    return Draft(
        source_id=source_id,
        text=text,
        numbers=_numbers(text, spans),
        known=known,
        candidates=_candidates(text, spans, known),
        hedged=_hedges(text, spans),
    )


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def render_yaml(draft: Draft) -> str:
    """The draft as a claims YAML file with ``confirmed: false`` on every proposal."""
    t = draft.text
    hedged = {span: hits for span, hits in draft.hedged}
    lines = [
        f"# DRAFT drafted by `recruitgraph extract` from the text of source {draft.source_id}.",
        "# Nothing here is in the graph. For each entry: check it against the text, fill in the",
        "# '???' fields, set `confirmed: true` (or delete the entry), then run `recruitgraph compile`.",
        "# `compile` refuses entries that are still `confirmed: false`.",
        f"source: {draft.source_id}",
        "",
        "# Entities the graph already knows, mentioned in the text (refer to them by name or id).",
        "mentions:",
    ]
    for m in draft.known:
        ident = str(m.iri)[len(str(RGD)) :]
        lines.append(f"  - {{id: {ident}, name: {_q(m.name)}, times: {len(m.offsets)}}}")
    if not draft.known:
        lines.append("  []")
    lines += [
        "",
        "# Names that may be new entities: declare the real ones here (id, type, label).",
        "entities:",
    ]
    for c in draft.candidates:
        lines.append(
            f"  # - {{id: ???, type: ???, label: {_q(c.name)}}}  # chars {c.offsets[0][0]}, x{len(c.offsets)}"
        )
    lines.append(
        "  []" if not draft.candidates else "  []  # uncomment and complete the entries above"
    )
    lines += ["", "claims:"]
    for n, num in enumerate(p for p in draft.numbers if not p.is_year):
        s, e = num.sentence
        hits = hedged.get(num.sentence)
        value = f"{num.value:f}" if num.value is not None else None
        ident = f"figure-{n + 1}" + (f"-{value.replace('.', '-')}" if value else "")
        lines += [
            f"  - id: {ident}",
            "    confirmed: false",
            f"    # sentence (chars {s}-{e}): {t[s:e]}",
        ]
        if hits:
            lines.append(f"    # HEDGED: {', '.join(hits)}: who claims it? how sure is the source?")
        lines += [
            "    figure:",
            "      measures: ???",
            *([f"      value: {value}"] if value else []),
            f"      comparator: {num.comparator}",
            f"      unit: {num.unit or '???'}",
            "      about: ???",
            f"    passage: {_q(t[s:e])}",
            "    summary: ???",
            "    claimant: ???  # or delete: the source itself",
            f"    status: {'alleged' if hits and any(h in ('reportedly', 'allegedly', 'alleged') for h in hits) else '???'}",
        ]
    lines += [
        "",
        "# Sentences with a hedge: claims from them need a claimant and a careful status.",
        "hedged_sentences:",
    ]
    for (s, e), hits in draft.hedged:
        lines.append(
            f"  - {{chars: [{s}, {e}], hedges: {_q(', '.join(hits))}, text: {_q(t[s:e])}}}"
        )
    years = sorted({num.text for num in draft.numbers if num.is_year})
    lines += [
        "",
        f"# Years mentioned (candidate claim dates and periods): {', '.join(years) or 'none'}",
        "",
    ]
    return "\n".join(lines)


def draft_yaml(path: Path, *, source_id: str | None = None, graph: Graph | None = None) -> str:
    """Read a text file and return its draft claims YAML."""
    text = Path(path).read_text(encoding="utf-8")
    return render_yaml(extract(text, source_id=source_id or Path(path).stem, graph=graph))
