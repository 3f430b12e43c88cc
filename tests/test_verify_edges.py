"""verify and show-evidence on small graphs made here: reference sources, how a claim is named,
the suggestions for a name that is not there, and each line of an evidence record (what
mutation testing found unguarded: docs/mutation-report.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from recruitgraph.exc import NoResult
from recruitgraph.namespaces import RG, RGD, RGV, SCHEMA
from recruitgraph.verify import evidence_records, verify


def test_reference_sources_are_counted_and_each_needs_an_address_or_its_type(tmp_path: Path) -> None:
    graph = Graph()
    for sid in ("ref-a", "ref-b", "ref-c"):
        graph.add((RGD[sid], RDF.type, RG.Source))
    graph.add((RGD["ref-b"], RDF.type, RG.ReferenceSource))  # typed, but no address
    graph.add((RGD["ref-c"], SCHEMA.url, Literal("https://example.org/report")))  # an address only
    report = verify(graph, sources_dirs=[tmp_path])
    assert (report.sources_seen, report.references_checked, report.sources_checked) == (3, 3, 0)
    about = {sid: [p for p in report.problems if p.startswith(f"{sid}:")] for sid in ("ref-a", "ref-b", "ref-c")}
    # neither typed nor addressed: one problem, and its record is not read further
    assert about["ref-a"] == ["ref-a: neither a registered text (rg:sha256) nor a reference with an "
                              "http(s) schema:url"]
    # typed or addressed: the record is checked (its missing fields are reported)
    assert "ref-b: no schema:url" in about["ref-b"]
    assert about["ref-c"] and not any("neither a registered text" in p for p in about["ref-c"])


# -- naming a claim -------------------------------------------------------------------------------


def claims_graph() -> Graph:
    """Claims claim-b and claim-a1 to claim-a6 and one at an http IRI, each with one evidence record."""
    graph = Graph()
    claims = [RGD[f"claim-a{n}"] for n in range(1, 7)] + [RGD["claim-b"], URIRef("http://example.org/claim")]
    for claim in claims:
        ev = URIRef(f"{claim}-ev1")
        graph.add((claim, RG.hasEvidence, ev))
        graph.add((ev, RG.source, RGD["unregistered-src"]))
    return graph


@pytest.mark.parametrize(("name", "iri"), [
    ("claim-b", RGD["claim-b"]),
    ("rgd:claim-b", RGD["claim-b"]),
    ("b", RGD["claim-b"]),  # the claim- prefix may be left out
    (f"{RGD}claim-b", RGD["claim-b"]),  # a full https IRI
    ("http://example.org/claim", URIRef("http://example.org/claim")),  # and an http one
])
def test_a_claim_is_found_by_id_prefixed_name_or_iri(name: str, iri: URIRef) -> None:
    [record] = evidence_records(claims_graph(), name)
    assert record.evidence.claim == str(iri)


def closest(name: str) -> str:
    with pytest.raises(NoResult) as err:
        evidence_records(claims_graph(), name)
    prefix = f"no claim {name!r} with evidence; closest: "
    assert str(err.value).startswith(prefix), err.value
    return str(err.value)[len(prefix):]


def test_an_unknown_claim_suggests_up_to_five_claims_never_other_nodes() -> None:
    names = closest("claim-a").split(", ")
    assert len(names) == 5 and all(n.startswith("rgd:claim-a") for n in names)
    assert names == sorted(names)
    names = closest("claim-b-ev").split(", ")  # evidence records are not claims
    assert len(names) == 5 and "rgd:claim-b" in names and not any("-ev" in n for n in names)


def test_an_unknown_claim_suggests_loose_matches_or_says_none() -> None:
    # "rgd:xyzzy-b" and "rgd:claim-b" match in "rgd:" and "-b": difflib ratio 2*6/22 = 0.55 >= 0.5
    assert closest("xyzzy-b") == "rgd:claim-b"
    assert closest("qqqqqqqqqqqqqqqq") == "none"


# -- each line of an evidence record ----------------------------------------------------------------


def test_evidence_record_lines(tmp_path: Path) -> None:
    graph = Graph()
    x, y = RGD["claim-x"], RGD["claim-y"]
    graph.add((x, RDFS.label, Literal("Example claim", lang="en")))
    graph.add((RGD["some-office"], RDFS.label, Literal("Some office", lang="en")))
    records = {
        RGD["claim-x-ev1"]: (x, {RG.claimant: RGD["some-office"], RG.claimDate: Literal("2024-05"),
                                 RG.verificationStatus: RGV["status-official-unverifiable"]}),
        RGD["claim-x-ev2"]: (x, {RG.claimant: RGD["no-label-office"]}),
        RGD["claim-y-ev1"]: (y, {RG.claimDate: Literal("2023"), RG.dateInferred: Literal(True)}),
    }
    for ev, (claim, props) in records.items():
        graph.add((claim, RG.hasEvidence, ev))
        graph.add((ev, RG.source, RGD["unregistered-src"]))
        for p, o in props.items():
            graph.add((ev, p, o))
    absent = "  source:   rgd:unregistered-src  chars None-None"
    passage = "  passage:  (text absent: source not registered)"
    first, second = evidence_records(graph, "claim-x", sources_dirs=[tmp_path])
    assert first.describe().split("\n") == [
        "rgd:claim-x-ev1 (claim rgd:claim-x)", "  claim:    Example claim", absent,
        "  claimant: Some office (rgd:some-office)", "  date:     2024-05",
        "  status:   status-official-unverifiable", passage]
    assert second.describe().split("\n") == [
        "rgd:claim-x-ev2 (claim rgd:claim-x)", "  claim:    Example claim", absent,
        "  claimant: rgd:no-label-office", "  date:     -", "  status:   -", passage]
    [third] = evidence_records(graph, "claim-y", sources_dirs=[tmp_path])
    assert third.describe().split("\n") == [
        "rgd:claim-y-ev1 (claim rgd:claim-y)", "  claim:    -", absent,
        "  claimant: (the source itself)", "  date:     2023 (inferred)", "  status:   -", passage]
