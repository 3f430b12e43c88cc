"""The checks `recruitgraph verify` runs on a cited reference's record (references.reference_problems)
and the count of sources by kind, on graphs built here term by term: each missing or malformed
piece gives its own message, word for word."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from recruitgraph.namespaces import RG, RGD, RGV, SCHEMA
from recruitgraph.references import reference_problems, source_kinds, url_problem

SID = "gazette-2031"
SOURCE = RGD[SID]


def complete() -> Graph:
    """A reference source with every field the checks ask for, and one evidence record of its own
    reporting (which needs no claimant)."""
    g = Graph()
    g.add((SOURCE, RDF.type, RG.ReferenceSource))
    g.add((SOURCE, SCHEMA.url, Literal("https://gazette.example.org/2031/story")))
    g.add((SOURCE, RDFS.label, Literal("Harbor Gazette story", lang="en")))
    g.add((SOURCE, DCTERMS.publisher, RGD["harbor-gazette"]))
    g.add((SOURCE, DCTERMS.language, Literal("en")))
    g.add((SOURCE, RG.dateRead, Literal("2031-04-01", datatype=XSD.date)))
    g.add((SOURCE, RG.origin, RGD["origin-copy"]))
    g.add((SOURCE, DCTERMS.issued, Literal("2031-03", datatype=XSD.gYearMonth)))
    ev = RGD["ev-own"]
    g.add((ev, RG.source, SOURCE))
    g.add((ev, RG.attribution, RGV["attr-own-reporting"]))
    return g


def test_a_complete_record_has_no_problem() -> None:
    assert reference_problems(complete(), SOURCE) == []


@pytest.mark.parametrize(("pred", "message"), [
    (RDFS.label, "no rdfs:label"),
    (DCTERMS.publisher, "no dcterms:publisher"),
    (DCTERMS.language, "no dcterms:language"),
    (RG.dateRead, "no rg:dateRead (the day the copy was read)"),
    (RG.origin, "no rg:origin"),
    (SCHEMA.url, "no schema:url"),
])
def test_each_missing_field_is_named(pred: URIRef, message: str) -> None:
    g = complete()
    g.remove((SOURCE, pred, None))
    assert reference_problems(g, SOURCE) == [f"{SID}: {message}"]


def test_every_missing_field_is_named_in_order() -> None:
    g = Graph()
    g.add((SOURCE, RDF.type, RG.ReferenceSource))
    assert reference_problems(g, SOURCE) == [
        f"{SID}: no schema:url", f"{SID}: no rdfs:label", f"{SID}: no dcterms:publisher",
        f"{SID}: no dcterms:language", f"{SID}: no rg:dateRead (the day the copy was read)",
        f"{SID}: no rg:origin"]


@pytest.mark.parametrize(("url", "why"), [
    ("https://gazette.example.org/a story", "contains white space"),
    ("https://gazette.example.org/a\tstory", "contains white space"),
    ("ftp://gazette.example.org/story", "is not an http(s) address"),
    ("gazette.example.org/story", "is not an http(s) address"),
    ("https://localhost/story", "has no host name"),
    ("https:///story", "has no host name"),
])
def test_a_malformed_address_says_why(url: str, why: str) -> None:
    assert url_problem(url) == why
    g = complete()
    g.set((SOURCE, SCHEMA.url, Literal(url)))
    assert reference_problems(g, SOURCE) == [f"{SID}: schema:url {url} {why}"]


@pytest.mark.parametrize("url", ["http://gazette.example.org", "https://a.b/c?d=e#f"])
def test_a_well_formed_address_passes(url: str) -> None:
    assert url_problem(url) is None


def test_a_date_read_from_the_address_needs_a_publication_date() -> None:
    g = complete()
    g.remove((SOURCE, DCTERMS.issued, None))
    assert reference_problems(g, SOURCE) == []  # no date at all is allowed
    g.add((SOURCE, RG.dateFromUrl, Literal(True)))
    assert reference_problems(g, SOURCE) == [f"{SID}: rg:dateFromUrl without a publication date"]


@pytest.mark.parametrize(("value", "datatype", "ok"), [
    ("2031-03-14", XSD.date, True),
    ("2031-03", XSD.gYearMonth, True),
    ("2031", XSD.gYear, True),
    ("2031-03-14T10:00:00", XSD.dateTime, False),
    ("March 2031", None, False),
])
def test_a_publication_date_is_typed_by_its_precision(value: str, datatype: URIRef | None, ok: bool) -> None:
    g = complete()
    g.set((SOURCE, DCTERMS.issued, Literal(value, datatype=datatype)))
    assert reference_problems(g, SOURCE) == ([] if ok else [
        f"{SID}: dcterms:issued {value} is not typed by its precision"])


def test_each_evidence_record_is_attributed_and_holds_no_passage() -> None:
    g = complete()
    for name in ("ev-b-unattributed", "ev-a-official", "ev-c-passage", "ev-d-claimed"):
        g.add((RGD[name], RG.source, SOURCE))
    g.add((RGD["ev-a-official"], RG.attribution, RGV["attr-official"]))
    g.add((RGD["ev-c-passage"], RG.attribution, RGV["attr-own-reporting"]))
    g.add((RGD["ev-c-passage"], RG.passage, RGD["ev-c-passage-selector"]))
    g.add((RGD["ev-d-claimed"], RG.attribution, RGV["attr-witness"]))
    g.add((RGD["ev-d-claimed"], RG.claimant, RGD["a-witness"]))
    # records in the order of their IRIs, each with what is wrong with it
    assert reference_problems(g, SOURCE) == [
        "ev-a-official: attributed (attr-official) to no claimant",
        "ev-b-unattributed: evidence of a reference with no rg:attribution",
        f"ev-c-passage: a passage into {SID}, whose text the project does not hold",
    ]


def test_evidence_of_another_source_is_not_checked() -> None:
    g = complete()
    g.add((RGD["ev-other"], RG.source, RGD["another-source"]))
    assert reference_problems(g, SOURCE) == []


def test_sources_are_counted_by_kind_texts_first() -> None:
    g = complete()
    for i in range(3):
        g.add((RGD[f"text-{i}"], RDF.type, RG.TextSource))
    g.add((RGD["text-0"], RDF.type, RG.TextSource))  # stated twice: still one source
    assert source_kinds(g) == ((RG.TextSource, 3), (RG.ReferenceSource, 1))
    assert source_kinds(Graph()) == ((RG.TextSource, 0), (RG.ReferenceSource, 0))
