"""verify's rules, one by one, on values and small texts made here: the ways a figure may be
written, the verdict line, the problems of a held text's passages, and a cited report's evidence
record (what mutation testing found unguarded: docs/mutation-report.md).

Expected forms are the English ways of writing each number; the passages' offsets and
fingerprints below are computed from the text written here.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from recruitgraph.locate import fingerprint
from recruitgraph.namespaces import OA, RG, RGD, RGV, SCHEMA
from recruitgraph.verify import VerifyReport, evidence_records, figure_in_text, value_forms, verify

# -- the ways a source may write a figure ------------------------------------------------------------


@pytest.mark.parametrize(("value", "forms"), [
    (700000, ["700,000", "700000", "700 000", "700 thousand"]),
    (10000, ["10,000", "10000", "10 000", "10 thousand"]),
    (1000, ["1,000", "1000", "1 000", "1 thousand", "one thousand", "a thousand"]),
    (1500, ["1,500", "1500", "1 500", "1.5 thousand"]),
    (1000000, ["1,000,000", "1000000", "1 000 000", "1 million", "one million", "a million"]),
    (20000000, ["20,000,000", "20000000", "20 000 000", "20 million"]),
    (1250000, ["1,250,000", "1250000", "1 250 000"]),  # one decimal at most: no "1.25 million"
    (2000000000, ["2,000,000,000", "2000000000", "2 000 000 000", "2 billion"]),
    (2500000000, ["2,500,000,000", "2500000000", "2 500 000 000", "2.5 billion"]),
    (0, ["0", "zero"]),
    (1, ["1", "one"]),
    (3, ["3", "three", "three times"]),
    (12, ["12", "twelve", "a dozen"]),
    (13, ["13", "thirteen"]),
    (20, ["20", "twenty"]),
    (21, ["21"]),
    (24, ["24", "two dozen"]),
    (240, ["240", "twenty dozen"]),
    (252, ["252"]),  # twenty-one dozen: past the number words
    (2.5, ["2.5"]),
    (Decimal("1234.5"), ["1234.5", "1,234.5"]),
])
def test_value_forms(value: int | float | Decimal, forms: list[str]) -> None:
    assert value_forms(value) == forms


def test_a_round_figure_is_not_read_as_a_smaller_one() -> None:
    # value_forms(10000) once held "a thousand" (10 read as 1), and 700,000 "7 thousand"
    assert not figure_in_text(10000, "about a thousand men signed")
    assert not figure_in_text(700000, "some 7 thousand troops")
    assert not figure_in_text(20000000, "2 million roubles")
    assert figure_in_text(700000, "some 700 thousand troops")


@pytest.mark.parametrize(("value", "passage", "found"), [
    (700000, "some 700,000 troops", True),
    (700000, "some 700 000 troops", True),
    (1000000, "1\n000\n000 people", True),  # any run of blanks between the groups
    (1000000, "A Million men", True),  # in any case
    (700000, "1,700,000 in all", False),  # part of a larger number
    (700000, "700,000.5", False),
    (70000, "700,000", False),
    (700000, "7,000,000", False),
    (12, "twelve men", True),
    (12, "a dozen men", True),
    (12, "120 men", False),
])
def test_figure_in_text(value: int, passage: str, found: bool) -> None:
    assert figure_in_text(value, passage) is found


# -- the verdict line -------------------------------------------------------------------------------


def test_report_with_nothing_seen_says_nothing_checked() -> None:
    assert VerifyReport().text() == "checked 0 source text(s), 0 reference(s), 0 passage(s), 0 figure(s): nothing checked"


def test_report_lists_notes_problems_and_what_was_not_checked_before_the_verdict() -> None:
    report = VerifyReport(notes=["n1"], problems=["p1", "p2"], missing=["m1"], sources_seen=2,
                          sources_checked=1, references_checked=3, passages_checked=4, figures_checked=5)
    assert report.text().split("\n") == [
        "note: n1", "problem: p1", "problem: p2", "not checked: m1",
        "checked 1 source text(s), 3 reference(s), 4 passage(s), 5 figure(s): incomplete"]
    assert not report.ok


def test_report_counts_problems_or_says_all_fine() -> None:
    report = VerifyReport(problems=["p1", "p2"], sources_seen=1, sources_checked=1)
    assert report.text().endswith(": 2 problem(s)") and not report.ok
    fine = VerifyReport(notes=["n"], sources_seen=1, sources_checked=1, passages_checked=2)
    assert fine.text() == "note: n\nchecked 1 source text(s), 0 reference(s), 2 passage(s), 0 figure(s): all fine"
    assert fine.ok


# -- a held text's passages -------------------------------------------------------------------------

TEXT = "Alpha one. Bravo 700,000 men. Charlie twelve.\n"


def register_text(graph: Graph, tmp_path: Path, sid: str, text: str, count: int | None) -> URIRef:
    """Write ``text`` to tmp_path/SID.txt and register it as a held text with its SHA-256 (and
    ``count`` characters, when given)."""
    (tmp_path / f"{sid}.txt").write_text(text, encoding="utf-8")
    src = RGD[sid]
    for p, o in ((RDF.type, RG.Source), (RDF.type, RG.TextSource), (RG.fileName, Literal(f"{sid}.txt")),
                 (RG.sha256, Literal(hashlib.sha256(text.encode("utf-8")).hexdigest()))):
        graph.add((src, p, o))
    if count is not None:
        graph.add((src, RG.characterCount, Literal(count, datatype=XSD.integer)))
    return src


def held_source(tmp_path: Path, *, length: int | None = None) -> tuple[Graph, URIRef]:
    """A text source registered with the SHA-256 of TEXT (written to tmp_path) and ``length``."""
    graph = Graph()
    return graph, register_text(graph, tmp_path, "held", TEXT, len(TEXT) if length is None else length)


def add_passage(graph: Graph, src: URIRef, start: int | None, end: int | None, *, iri: URIRef | None = None,
                print_: str | None = "auto", text: str = TEXT) -> URIRef:
    p = iri or URIRef(f"{src}-chars-{start}-{end}")
    graph.add((p, RG.inSource, src))
    if start is not None:
        graph.add((p, OA.start, Literal(start, datatype=XSD.integer)))
    if end is not None:
        graph.add((p, OA.end, Literal(end, datatype=XSD.integer)))
    if print_ == "auto" and start is not None and end is not None:
        graph.add((p, RG.textFingerprint, Literal(fingerprint(text[start:end]))))
    elif print_ not in (None, "auto"):
        graph.add((p, RG.textFingerprint, Literal(print_)))
    return p


def test_every_problem_of_a_held_texts_passages(tmp_path: Path) -> None:
    graph, src = held_source(tmp_path, length=len(TEXT) + 1)
    add_passage(graph, src, 0, 10)  # "Alpha one.": fine
    add_passage(graph, src, 11, None)  # no end
    add_passage(graph, src, 11, 29, iri=RGD["held-bravo"])  # right offsets, wrong name
    add_passage(graph, src, 30, 45, print_=None)  # no fingerprint
    add_passage(graph, src, 38, 45, print_="00000000")  # a fingerprint of other words
    add_passage(graph, src, 9, 11)  # ". ": starts and ends with blanks (a note, not a problem)
    report = verify(graph, sources_dirs=[tmp_path])
    assert (report.sources_seen, report.sources_checked, report.passages_checked) == (1, 1, 6)
    assert report.problems == [
        f"held: text has {len(TEXT)} characters, registered {len(TEXT) + 1}",
        "rgd:held-bravo: IRI does not match its offsets 11-29",
        "rgd:held-chars-11-None: oa:start or oa:end missing or not an integer",
        "rgd:held-chars-30-45: no rg:textFingerprint to check its words by",
        f"rgd:held-chars-38-45: the text at 38-45 has fingerprint {fingerprint(TEXT[38:45])}, recorded 00000000: "
        "the offsets no longer point at the words they were made for",
    ]
    assert report.notes == ["rgd:held-chars-9-11: passage starts or ends with whitespace"]


def test_a_figure_is_looked_for_in_each_of_its_passages(tmp_path: Path) -> None:
    graph, src = held_source(tmp_path)
    bravo, charlie = add_passage(graph, src, 11, 29), add_passage(graph, src, 30, 45)
    for name, value, passage in (("fig-men", 700000, bravo), ("fig-twelve", 12, charlie), ("fig-wrong", 12, bravo)):
        fig, ev = RGD[name], RGD[f"{name}-ev"]
        graph.add((fig, RDF.type, RG.Figure))
        graph.add((fig, RG.value, Literal(value, datatype=XSD.integer)))
        graph.add((fig, RG.hasEvidence, ev))
        graph.add((ev, RG.passage, passage))
    report = verify(graph, sources_dirs=[tmp_path])
    assert report.figures_checked == 3
    assert report.problems == ["rgd:fig-wrong: value 12 not found in its passage rgd:held-chars-11-29: "
                               "'Bravo 700,000 men.'"]


# -- a cited report's evidence record ---------------------------------------------------------------


def test_a_cited_reports_evidence_record(tmp_path: Path) -> None:
    graph = Graph()
    claim, ev, ref = RGD["claim-r"], RGD["claim-r-ev1"], RGD["ref-report"]
    graph.add((ref, RDF.type, RG.Source))
    graph.add((ref, RDF.type, RG.ReferenceSource))
    graph.add((ref, SCHEMA.url, Literal("https://example.org/report")))
    graph.add((RGD["wire"], RDFS.label, Literal("A wire service", lang="en")))
    graph.add((claim, RG.hasEvidence, ev))
    for p, o in ((RG.source, ref), (RG.attribution, RGV["attr-reported"]), (RG.via, RGD["wire"]),
                 (RG.claimDate, Literal("2024-01-05"))):
        graph.add((ev, p, o))
    [record] = evidence_records(graph, "claim-r", sources_dirs=[tmp_path])
    assert record.describe().split("\n") == [
        "rgd:claim-r-ev1 (claim rgd:claim-r)", "  claim:    -",
        "  source:   ref-report  https://example.org/report",
        "  claimant: (the source itself)", "  date:     2024-01-05", "  status:   -",
        "  cited:    reported, via A wire service (rgd:wire)",
        "  passage:  (a cited report: the project does not hold its text)"]
    graph.remove((ev, RG.via, None))
    graph.remove((ev, RG.attribution, None))
    [record] = evidence_records(graph, "claim-r", sources_dirs=[tmp_path])
    assert record.describe().split("\n")[6] == "  cited:    -"


def test_a_held_passage_is_printed_or_its_absence_explained(tmp_path: Path) -> None:
    graph, src = held_source(tmp_path)
    good, stale = add_passage(graph, src, 11, 29), add_passage(graph, src, 30, 45, print_="00000000")
    for name, passage in (("claim-good", good), ("claim-stale", stale)):
        graph.add((RGD[name], RG.hasEvidence, RGD[f"{name}-ev"]))
        graph.add((RGD[f"{name}-ev"], RG.source, src))
        graph.add((RGD[f"{name}-ev"], RG.passage, passage))
    [record] = evidence_records(graph, "claim-good", sources_dirs=[tmp_path])
    assert (record.source, record.passage, record.absent_reason) == ("held", TEXT[11:29], None)
    [record] = evidence_records(graph, "claim-stale", sources_dirs=[tmp_path])
    assert (record.passage, record.absent_reason) == (
        None, "the text at 30-45 does not match its fingerprint 00000000")
    [record] = evidence_records(graph, "claim-good", sources_dirs=[tmp_path / "elsewhere"])
    assert (record.passage, record.absent_reason) == (None, "held.txt not found with the registered SHA-256")


# -- verify over several sources --------------------------------------------------------------------

OTHER = "Delta 36 boats. Echo three.\n"


def add_figure(graph: Graph, name: str, value: int | None, *passages: URIRef | None) -> None:
    """A figure with one evidence record per passage (None: a record without a passage)."""
    fig = RGD[name]
    graph.add((fig, RDF.type, RG.Figure))
    if value is not None:
        graph.add((fig, RG.value, Literal(value, datatype=XSD.integer)))
    for i, passage in enumerate(passages):
        ev = RGD[f"{name}-ev{i}"]
        graph.add((fig, RG.hasEvidence, ev))
        if passage is not None:
            graph.add((ev, RG.passage, passage))


def two_sources(tmp_path: Path) -> tuple[Graph, URIRef, URIRef]:
    graph, held = held_source(tmp_path)
    return graph, held, register_text(graph, tmp_path, "other", OTHER, None)


def test_each_source_is_checked_against_its_own_text(tmp_path: Path) -> None:
    graph, held, other = two_sources(tmp_path)
    add_passage(graph, held, 100, 120)  # outside the text: reported, and the next ones still checked
    alpha, charlie = add_passage(graph, held, 0, 10), add_passage(graph, held, 30, 46)
    empty = add_passage(graph, held, 5, 5, print_=None)
    delta = add_passage(graph, other, 0, 15, text=OTHER)
    add_figure(graph, "fig-a-no-value", None, alpha)  # no value: skipped, the others still checked
    add_figure(graph, "fig-alpha", 1, alpha)  # a passage starting at 0
    add_figure(graph, "fig-boats", 36, delta)  # in the other text only
    add_figure(graph, "fig-charlie", 12, charlie)  # a passage ending on the text's last character
    add_figure(graph, "fig-empty", 7, empty)  # an empty passage: not checked
    add_figure(graph, "fig-outside", 7, URIRef(f"{held}-chars-100-120"))  # outside: not checked
    add_figure(graph, "fig-no-passage", 7, None)
    report = verify(graph, sources_dirs=[tmp_path])
    assert (report.sources_seen, report.sources_checked) == (2, 2)
    assert (report.passages_checked, report.figures_checked) == (5, 3)
    assert report.problems == [
        "rgd:held-chars-100-120: chars 100-120 lie outside the text of held (46 characters)",
        "rgd:held-chars-5-5: chars 5-5 lie outside the text of held (46 characters)",
    ]


def test_a_figures_records_without_a_usable_passage_do_not_stop_the_others(tmp_path: Path) -> None:
    graph, held = held_source(tmp_path)
    bravo = add_passage(graph, held, 11, 29)
    # records without a passage and outside the text, beside one that counts: their order is the
    # store's, so the one that counts must be found whichever comes first
    open_ended = add_passage(graph, held, 11, None, iri=URIRef(f"{held}-chars-11-x"))
    outside = URIRef(f"{held}-chars-100-120")
    add_figure(graph, "fig-men", 700000, None, outside, open_ended, None, bravo, None)
    # six more, each with one record outside the text and one that counts
    for i in range(6):
        add_figure(graph, f"fig-men-{i}", 700000, outside, bravo)
    assert verify(graph, sources_dirs=[tmp_path]).figures_checked == 7


def test_an_evidence_records_passage_must_be_in_its_source(tmp_path: Path) -> None:
    graph, held, other = two_sources(tmp_path)
    bravo = add_passage(graph, held, 11, 29)
    for name, source in (("ev-right", held), ("ev-wrong", other)):
        graph.add((RGD[name], RDF.type, RG.Evidence))
        graph.add((RGD[name], RG.passage, bravo))
        graph.add((RGD[name], RG.source, source))
    graph.add((RGD["ev-no-source"], RDF.type, RG.Evidence))
    graph.add((RGD["ev-no-source"], RG.passage, bravo))
    report = verify(graph, sources_dirs=[tmp_path])
    assert report.problems == ["rgd:ev-wrong: its passage rgd:held-chars-11-29 is not in its source rgd:other"]


def test_a_held_text_that_changed_or_is_missing_is_named_exactly(tmp_path: Path) -> None:
    graph, _ = held_source(tmp_path)
    sha = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    report = verify(graph, sources_dirs=[tmp_path / "empty"])
    assert report.missing == [f"held: text held.txt with SHA-256 {sha[:12]}... not found in {tmp_path / 'empty'}"]
    assert verify(graph, sources_dirs=[]).missing == [
        f"held: text held.txt with SHA-256 {sha[:12]}... not found in (no directory)"]
    (tmp_path / "held.txt").write_text(TEXT + "more", encoding="utf-8")
    changed = hashlib.sha256((TEXT + "more").encode("utf-8")).hexdigest()
    report = verify(graph, sources_dirs=[tmp_path])
    assert report.problems == [f"held: text {tmp_path / 'held.txt'} has changed (SHA-256 {changed[:12]}..., "
                               f"registered {sha[:12]}...); its passages are not re-anchored"]
    assert report.sources_checked == 0


def test_a_missing_source_does_not_stop_the_next_one(tmp_path: Path) -> None:
    graph, _ = held_source(tmp_path)
    lost = RGD["a-lost-text"]  # sorts before "held"
    for p, o in ((RDF.type, RG.Source), (RDF.type, RG.TextSource)):
        graph.add((lost, p, o))
    empty = tmp_path / "no-texts"
    empty.mkdir()
    report = verify(graph, sources_dirs=[empty, tmp_path / "nothing-here"])
    # typed as a held text but with no file name nor checksum: still a held text, not found
    assert report.missing[0] == f"a-lost-text: text (no file name) with SHA-256 ... not found in {empty}, {tmp_path / 'nothing-here'}"
    graph.add((lost, RG.fileName, Literal("lost.txt")))
    graph.add((lost, RG.sha256, Literal("0" * 64)))
    report = verify(graph, sources_dirs=[tmp_path])
    assert (report.sources_seen, report.sources_checked, len(report.missing)) == (2, 1, 1)


def test_a_record_without_claimant_via_or_end(tmp_path: Path) -> None:
    graph, held = held_source(tmp_path)
    open_ended = add_passage(graph, held, 11, None, iri=URIRef(f"{held}-chars-11-x"))
    graph.add((RGD["claim-o"], RG.hasEvidence, RGD["claim-o-ev"]))
    graph.add((RGD["claim-o-ev"], RG.source, held))
    graph.add((RGD["claim-o-ev"], RG.passage, open_ended))
    [record] = evidence_records(graph, "claim-o", sources_dirs=[tmp_path])
    assert (record.claimant, record.via, record.passage, record.absent_reason) == (None, None, None, None)


def test_evidence_records_read_the_shipped_graph_by_default(source_path: Path, source_text: str) -> None:
    [record] = evidence_records(None, "claim-citizenship-laws-enable-naturalisation-channel",
                                sources_dirs=[source_path.parent])
    start, end = record.evidence.start, record.evidence.end
    assert record.source == "russia-recruitment-2026-01" and start is not None and end is not None
    assert record.passage == source_text[start:end] and "citizenship" in record.passage
