"""Fidelity of the shipped data to the source text it was taken from.

Checked against the text itself (found through ``RECRUITGRAPH_SOURCES``; the tests skip with the
reason when it is absent): every selector lies inside the text, every figure's passage shows the
number as the source writes it with its qualifier, quotes are verbatim, our own labels and
summaries copy no sentence of the source, and every claim carries evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from recruitgraph import config
from recruitgraph.namespaces import OA, RG, RGD, RGV

SOURCE = RGD["russia-recruitment-2026-01"]
CLAIMS_FILE = config.data_dir() / "russia-recruitment-2026-01.ttl"

#: How the source writes a qualifier (comparator); the first alternatives it uses are enough.
QUALIFIER_WORDS: dict[str, tuple[str, ...]] = {
    "more-than": ("more than", "exceeds"),
    "over": ("over",),
    "just-over": ("just over",),
    "nearly": ("nearly",),
    "about": ("about",),
    "roughly": ("roughly",),
    "at-least": ("at least",),
    "hundreds": ("hundreds",),
    "thousands": ("thousands",),
    "tens-of-thousands": ("tens of thousands",),
    "dozens": ("dozens",),
    # an unstated number: "unspecified", "unknown", or kept "largely hidden" in "limited" data
    "unspecified": ("unspecified", "unknown", "hidden", "limited"),
}
#: Numbers the source spells out in words.
NUMBER_WORDS: dict[int, tuple[str, ...]] = {
    1: ("one",),
    2: ("twice", "two"),
    4: ("four",),
    24: ("two dozen",),
}
#: Literals that must be in our own words (rg:quote is the only verbatim field).
OWN_WORDS = (RDFS.label, RDFS.comment, RG.summary, RG.scope, SKOS.altLabel, RG.role)
#: A run this long shared with the source counts as a copied sentence.
COPY_RUN = 12


@pytest.fixture(scope="module")
def data() -> Graph:
    """This source's compiled claims and its source record: what the graph takes from this text
    (other files hold cited reports, checked by their own tests)."""
    if not CLAIMS_FILE.is_file():
        pytest.fail(f"{CLAIMS_FILE} is missing: run recruitgraph compile data/claims/{CLAIMS_FILE.stem}.yaml")
    graph = Graph()
    graph.parse(CLAIMS_FILE, format="turtle")
    graph.parse(config.data_dir() / "sources" / f"{CLAIMS_FILE.stem}.ttl", format="turtle")
    return graph


def offset(graph: Graph, passage: Node, pred: URIRef) -> int:
    value = graph.value(passage, pred)
    assert isinstance(value, Literal), f"{passage}: no {pred}"
    return int(value.toPython())


def passages(graph: Graph) -> Iterator[tuple[Node, int, int]]:
    for p in graph.subjects(RG.inSource, SOURCE):
        yield p, offset(graph, p, OA.start), offset(graph, p, OA.end)


def passage_text(graph: Graph, text: str, passage: Node) -> str:
    return text[offset(graph, passage, OA.start) : offset(graph, passage, OA.end)]


def evidence_passages(graph: Graph, claim: Node) -> list[Node]:
    found = [graph.value(ev, RG.passage) for ev in graph.objects(claim, RG.hasEvidence)]
    return [p for p in found if p is not None]


def local(term: object) -> str:
    return str(term).rsplit("/", 1)[-1]


def written_forms(value: Decimal, unit: str) -> list[str]:
    """The ways the source writes a number: 700,000; 1 million; $50,000; two dozen."""
    forms: list[str] = []
    if value == value.to_integral_value():
        n = int(value)
        forms += list(NUMBER_WORDS.get(n, ()))
        if n >= 1_000_000 and n % 1_000_000 == 0:
            forms.append(f"{n // 1_000_000} million")
        forms.append(f"{n:,}")
    else:
        forms.append(f"{value:,}")
    if unit == "unit-usd":
        forms = [f"${f}" for f in forms] + forms
    return forms


def number_pattern(form: str) -> str:
    # digits must not run on into a longer number (18 inside 18,000)
    return r"(?<![\d,.])" + re.escape(form) + r"(?![\d]|,\d)"


# -- selectors --------------------------------------------------------------------------------


def test_the_source_has_passages(data: Graph) -> None:
    # 59 since the seven selectors that ran into the next sentence stop at their own: the
    # second sentence of the text (63-233 before) is now one passage with 63-143
    assert len(list(passages(data))) >= 59


def test_every_selector_lies_inside_the_text(data: Graph, source_text: str) -> None:
    bad = [(local(p), s, e) for p, s, e in passages(data) if not 0 <= s < e <= len(source_text)]
    assert not bad, f"selectors outside the text (length {len(source_text)}): {bad}"


def test_every_selector_is_a_whole_stretch_of_text(data: Graph, source_text: str) -> None:
    """A passage starts at the start of a word and holds no leading or trailing blanks."""
    for p, s, e in passages(data):
        chunk = source_text[s:e]
        assert chunk == chunk.strip(), f"{local(p)}: blank at an edge: {chunk!r}"
        assert s == 0 or not source_text[s - 1].isalnum(), f"{local(p)} starts inside a word"
        assert e == len(source_text) or not source_text[e].isalnum(), f"{local(p)} ends inside a word"


def test_passage_ids_match_their_offsets(data: Graph) -> None:
    for p, s, e in passages(data):
        assert local(p) == f"russia-recruitment-2026-01-chars-{s}-{e}"


# -- figures ----------------------------------------------------------------------------------


def figures(graph: Graph) -> list[URIRef]:
    """The figures taken from this source (other files hold figures of cited reports)."""
    return sorted(
        f
        for f in graph.subjects(RDF.type, RG.Figure)
        if any((ev, RG.source, SOURCE) in graph for ev in graph.objects(f, RG.hasEvidence))
    )  # type: ignore[arg-type]


def test_there_are_figures(data: Graph) -> None:
    assert len(figures(data)) >= 28  # every number the source gives, with the vague ones


@pytest.mark.parametrize("case", [
    (Decimal(700000), "unit-person", "cmp-exactly", "Putin said … that 700,000 Russian troops are", ["700,000"]),
    (Decimal(1000000), "unit-person", "cmp-more-than", "more than 1 million Russian troops", ["1 million"]),
    (Decimal(50000), "unit-usd", "cmp-roughly", "roughly $50,000 in bonuses", ["$50,000"]),
    (Decimal(24), "unit-country", "cmp-more-than", "more than two dozen countries", ["two dozen"]),
    (Decimal(2), "unit-times", "cmp-more-than", "exceeds twice the region", ["twice"]),
])
def test_written_forms_helper(case: tuple[Decimal, str, str, str, list[str]]) -> None:
    value, unit, _cmp, _text, expected = case
    assert set(expected) <= set(written_forms(value, unit))


def test_each_figure_passage_shows_the_figure_as_written(data: Graph, source_text: str) -> None:
    problems: list[str] = []
    for fig in figures(data):
        value = data.value(fig, RG.value)
        comparator = local(data.value(fig, RG.comparator)).removeprefix("cmp-")
        unit = local(data.value(fig, RG.unit) or "")
        qualifiers = QUALIFIER_WORDS.get(comparator, ())
        texts = [passage_text(data, source_text, p) for p in evidence_passages(data, fig)]
        assert texts, f"{local(fig)} has no passage"
        for text in texts:
            low = text.lower()
            if value is None:
                # no number in the source: the passage must carry the vague quantity itself
                if not any(q in low for q in qualifiers):
                    problems.append(f"{local(fig)}: none of {qualifiers} in {text!r}")
                continue
            forms = written_forms(Decimal(str(value)), unit)
            if comparator in ("exactly",) or not qualifiers:
                pattern = "|".join(number_pattern(f.lower()) for f in forms)
            else:
                pattern = "|".join(
                    re.escape(q) + r"\s+" + number_pattern(f.lower()) for q in qualifiers for f in forms
                )
            if not re.search(pattern, low):
                problems.append(f"{local(fig)}: {comparator} {value} ({forms}) not in {text!r}")
    assert not problems, "\n".join(problems)


def test_figures_without_number_use_a_vague_comparator(data: Graph) -> None:
    vague = {"cmp-hundreds", "cmp-thousands", "cmp-tens-of-thousands", "cmp-dozens", "cmp-unspecified"}
    for fig in figures(data):
        comparator = local(data.value(fig, RG.comparator))
        if data.value(fig, RG.value) is None:
            assert comparator in vague, f"{local(fig)}: no value but comparator {comparator}"
        else:
            assert comparator not in vague, f"{local(fig)}: value with vague comparator {comparator}"


def test_every_figure_has_quantity_unit_and_scope(data: Graph) -> None:
    for fig in figures(data):
        assert data.value(fig, RG.measures) is not None, local(fig)
        assert data.value(fig, RG.unit) is not None, local(fig)
        scope = data.value(fig, RG.scope)
        assert isinstance(scope, Literal) and scope.language == "en", local(fig)


# -- quotes and own words ---------------------------------------------------------------------


def test_every_quote_is_verbatim_in_its_passage(data: Graph, source_text: str) -> None:
    quoted = list(data.subject_objects(RG.quote))
    assert len(quoted) >= 5
    for claim, quote in quoted:
        texts = [passage_text(data, source_text, p) for p in evidence_passages(data, claim)]
        assert any(str(quote) in t for t in texts), f"{local(claim)}: {quote!r} not in {texts}"


def test_the_named_speakers_quotes_are_kept() -> None:
    """The short words the source quotes are stored as quotes, and only as quotes."""
    graph = Graph()
    graph.parse(CLAIMS_FILE, format="turtle")
    quotes = {str(q) for q in graph.objects(None, RG.quote)}
    for words in ("misled", "grievously injured", "creative", "extremely expensive"):
        assert words in quotes
    assert any("dispensable" in q for q in quotes)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9$]+(?:[\u2019'][a-z]+)?", text.lower().replace(",", ""))


def own_word_literals(graph: Graph) -> Iterator[tuple[URIRef, URIRef, str]]:
    for pred in OWN_WORDS:
        for s, o in graph.subject_objects(pred):
            if isinstance(o, Literal) and str(s).startswith(str(RGD)):
                yield s, pred, str(o)  # type: ignore[misc]


def test_no_label_or_summary_is_a_passage(data: Graph, source_text: str) -> None:
    texts = {passage_text(data, source_text, p).strip() for p, _s, _e in passages(data)}
    sentences = {s.strip() for s in re.split(r"(?<=[.!?”])\s+|\n", source_text) if s.strip()}
    for subject, pred, value in own_word_literals(data):
        assert value.strip() not in texts | sentences, f"{local(subject)} {local(pred)} copies the source"


def test_no_description_shares_a_long_run_of_words_with_the_source(data: Graph, source_text: str) -> None:
    words = _words(source_text)
    runs = {tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}
    copied = []
    for subject, pred, value in own_word_literals(data):
        mine = _words(value)
        for i in range(len(mine) - COPY_RUN + 1):
            if tuple(mine[i : i + COPY_RUN]) in runs:
                copied.append(f"{local(subject)} {local(pred)}: {' '.join(mine[i : i + COPY_RUN])!r}")
                break
    assert not copied, "copied from the source:\n" + "\n".join(copied)


def test_no_name_the_source_does_not_give(data: Graph, source_text: str) -> None:
    """Unnamed bodies stay unnamed: no Wagner, no CBI, unless the text says so."""
    for name in ("Wagner", "CBI", "Central Bureau of Investigation", "Coordination Headquarters"):
        if name in source_text:
            continue
        for subject, pred, value in own_word_literals(data):
            assert name not in value, f"{local(subject)} {local(pred)} names {name!r}"


# -- evidence ---------------------------------------------------------------------------------


CLAIM_CLASSES = (RG.Claim, RG.RelationClaim, RG.Figure, RG.Stage)


def claims(graph: Graph) -> set[URIRef]:
    return {s for c in CLAIM_CLASSES for s in graph.subjects(RDF.type, c)}  # type: ignore[misc]


def test_the_source_is_captured_at_scale(data: Graph) -> None:
    """The whole source, not a sample: many statements, figures and all the pipelines."""
    assert len(claims(data)) >= 200
    assert len(list(data.subjects(RDF.type, RG.Pipeline))) >= 7
    assert len(list(data.subjects(RDF.type, RG.Evidence))) >= 200


def test_every_claim_has_complete_evidence(data: Graph) -> None:
    for claim in claims(data):
        evs = list(data.objects(claim, RG.hasEvidence))
        assert evs, f"{local(claim)} has no evidence"
        for ev in evs:
            assert data.value(ev, RG.source) == SOURCE, f"{local(ev)}: source"
            assert data.value(ev, RG.passage) is not None, f"{local(ev)}: passage"
            status = data.value(ev, RG.verificationStatus)
            assert status is not None and str(status).startswith(str(RGV) + "status-"), local(ev)
            assert data.value(ev, RG.claimDate) is not None, f"{local(ev)}: claim date"


def test_every_claim_has_a_summary_in_english(data: Graph) -> None:
    for claim in claims(data) - set(data.subjects(RDF.type, RG.Stage)):
        summary = data.value(claim, RG.summary)
        assert isinstance(summary, Literal) and summary.language == "en", local(claim)


def test_every_relation_claim_has_its_direct_triple(data: Graph) -> None:
    for claim in data.subjects(RDF.type, RG.RelationClaim):
        triple = (data.value(claim, RDF.subject), data.value(claim, RDF.predicate),
                  data.value(claim, RDF.object))
        assert None not in triple and triple in data, f"{local(claim)}: direct triple missing"


def test_no_blank_nodes(data: Graph) -> None:
    for triple in data:
        assert all(isinstance(t, URIRef | Literal) for t in triple), triple


def test_claims_yaml_is_the_authoring_input() -> None:
    """The compiled file says where it comes from, so nobody edits it by hand."""
    head = Path(CLAIMS_FILE).read_text(encoding="utf-8")[:400]
    assert "recruitgraph compile" in head


# -- dates and people -------------------------------------------------------------------------


@pytest.mark.parametrize(("claim", "date"), [
    ("fig-putin-troops-fighting-2025", "2025-12"),   # "last month"
    ("fig-uk-mod-killed-or-wounded-2025", "2025"),   # "last summer"
    ("fig-putin-contracts-2025", "2025-12"),         # "in December"
    ("fig-ukraine-foreign-fighters", "2026-01"),     # "This month"
])
def test_relative_dates_are_resolved_and_marked_inferred(data: Graph, claim: str, date: str) -> None:
    for ev in data.objects(RGD[claim], RG.hasEvidence):
        assert str(data.value(ev, RG.claimDate)) == date
        assert data.value(ev, RG.dateInferred) == Literal(True)


def test_only_public_figures_named_in_the_source_are_people(data: Graph, source_text: str) -> None:
    person_classes = {RG.Person, RG.Official, RG.Analyst, RG.Activist, RG.MilitaryLeader}
    people = {s for c in person_classes for s in data.subjects(RDF.type, c)}
    labels = {str(data.value(p, RDFS.label)) for p in people}
    assert labels == {"Vladimir Putin", "Narayan Prakash Saud", "Narendra Modi", "Yevgeny Prigozhin",
                      "Anton Gorbatsevich", "Artyom Klyga", "Kateryna Stepanenko"}
    assert all(label in source_text for label in labels)
