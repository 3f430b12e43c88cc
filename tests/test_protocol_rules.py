"""The SPARQL 1.1 Protocol rules of the server, called in this process.

test_server_protocol.py checks them over HTTP against a running server; these tests call the
same functions directly, so that each rule (content negotiation as RFC 9110 section 12 and the
SPARQL 1.1 Protocol describe it, the ``format=`` override, the cheap checks, the service
description) is pinned down case by case, and a change to one of them fails here.

Expected values come from the standards and the media types the SPARQL and RDF recommendations
register: application/sparql-results+json, +xml, text/csv, text/tab-separated-values for rows;
text/turtle, application/n-triples, application/ld+json, application/rdf+xml, application/trig,
application/n-quads for graphs.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from recruitgraph.server.sparql_check import MAX_NESTING
from recruitgraph.server.sparql_protocol import (
    EXTENSIONS,
    ProtocolError,
    check_query,
    content_type,
    negotiate,
    negotiate_graph,
    parse_accept,
    service_description,
)

SRJ, SRX = "application/sparql-results+json", "application/sparql-results+xml"
CSV, TSV = "text/csv", "text/tab-separated-values"


# --- content negotiation: which format an Accept header gets ----------------------------------


@pytest.mark.parametrize("accept", [None, "", "   ", "*/*"])
def test_no_preference_gets_each_kinds_default(accept: str | None) -> None:
    assert negotiate(accept, "SELECT") == "json"
    assert negotiate(accept, "ASK") == "json"
    assert negotiate(accept, "CONSTRUCT") == "turtle"
    assert negotiate(accept, "DESCRIBE") == "turtle"


@pytest.mark.parametrize(("accept", "kind", "fmt"), [
    (SRJ, "SELECT", "json"), (SRX, "SELECT", "xml"), (CSV, "SELECT", "csv"), (TSV, "SELECT", "tsv"),
    (SRX, "ASK", "xml"),
    ("text/turtle", "CONSTRUCT", "turtle"), ("application/n-triples", "CONSTRUCT", "ntriples"),
    ("application/ld+json", "CONSTRUCT", "jsonld"), ("application/rdf+xml", "DESCRIBE", "rdfxml"),
    ("application/trig", "CONSTRUCT", "trig"), ("application/n-quads", "DESCRIBE", "nquads"),
])
def test_each_registered_media_type_gets_its_format(accept: str, kind: str, fmt: str) -> None:
    assert negotiate(accept, kind) == fmt


@pytest.mark.parametrize(("accept", "kind", "fmt"), [
    # the same generic type means rows for a SELECT and a graph for a CONSTRUCT
    ("application/json", "SELECT", "json"), ("application/json", "CONSTRUCT", "jsonld"),
    ("text/xml", "SELECT", "xml"), ("application/xml", "CONSTRUCT", "rdfxml"),
    ("text/plain", "CONSTRUCT", "ntriples"), ("text/n3", "DESCRIBE", "turtle"),
])
def test_generic_media_types_follow_the_kind_of_answer(accept: str, kind: str, fmt: str) -> None:
    assert negotiate(accept, kind) == fmt


def test_highest_q_wins_whatever_the_order() -> None:
    assert negotiate(f"{CSV};q=0.5, {SRX}", "SELECT") == "xml"
    assert negotiate(f"{CSV};q=0.9, {SRX};q=0.8", "SELECT") == "csv"


def test_equal_q_goes_to_the_first_named() -> None:
    assert negotiate(f"{CSV}, {TSV}", "SELECT") == "csv"
    assert negotiate(f"{TSV}, {CSV}", "SELECT") == "tsv"


def test_a_named_type_beats_a_wildcard_of_equal_q() -> None:
    # text/* covers both text formats; the one also named exactly is more specific
    assert negotiate(f"text/*, {TSV}", "SELECT") == "tsv"
    assert negotiate(f"*/*, {TSV}", "SELECT") == "tsv"


def test_text_wildcard_means_the_text_formats() -> None:
    assert negotiate("text/*", "SELECT") == "csv"
    assert negotiate("text/*", "CONSTRUCT") == "turtle"
    assert negotiate("application/*", "SELECT") == "json"
    assert negotiate("application/*", "CONSTRUCT") == "ntriples"


def test_q_zero_refuses_a_format_even_beside_a_wildcard() -> None:
    # json is refused; every other row format gets */*'s q=1, and the server's order decides
    assert negotiate(f"*/*, {SRJ};q=0", "SELECT") == "xml"
    assert negotiate(f"{SRJ};q=0, */*", "SELECT") == "xml"
    assert negotiate("text/*;q=0, */*;q=0.1", "SELECT") == "json"
    assert negotiate("text/turtle;q=0, */*", "CONSTRUCT") == "ntriples"


def test_the_most_specific_range_sets_a_formats_q() -> None:
    # csv's own range says 0.2, the wildcard 1: csv takes 0.2, so tsv (text/*, 1) wins
    assert negotiate(f"text/*, {CSV};q=0.2", "SELECT") == "tsv"
    # an exact range with a higher q than the wildcard raises the format
    assert negotiate(f"*/*;q=0.1, {TSV};q=0.3", "SELECT") == "tsv"


def test_q_is_clamped_to_one() -> None:
    # q=2 counts as 1: both at 1, the first named wins
    assert negotiate(f"{SRX}, {CSV};q=2", "SELECT") == "xml"


def test_a_q_that_is_not_a_number_refuses_that_range() -> None:
    assert negotiate(f"{CSV};q=abc, {SRX};q=0.5", "SELECT") == "xml"
    assert negotiate(f"{CSV};q=-1, */*;q=0.1", "SELECT") == "json"
    # the value is everything after the first "=": "0.5=1" is no number
    assert negotiate(f"{CSV};q=0.5=1, {SRX};q=0.5", "SELECT") == "xml"


def test_a_repeated_range_keeps_its_first_position_and_its_best_q() -> None:
    assert negotiate(f"{CSV}, {TSV}, {CSV}", "SELECT") == "csv"
    assert negotiate(f"{CSV};q=0.9, {CSV};q=0.2, {TSV};q=0.5", "SELECT") == "csv"


def test_a_wildcard_matches_whole_top_level_types_only() -> None:
    for accept in ("app/*", "audio/*", "tex/*"):
        with pytest.raises(ProtocolError):
            negotiate(accept, "SELECT")
    # text/*;q=0 refuses Turtle although */* accepts everything: the type wildcard is more specific
    assert negotiate("text/*;q=0, */*", "CONSTRUCT") == "ntriples"


def test_media_types_and_parameter_names_are_case_insensitive() -> None:
    assert negotiate("TEXT/CSV", "SELECT") == "csv"
    assert negotiate(f"{CSV};Q=0.5, {TSV};q=0.6", "SELECT") == "tsv"
    assert negotiate(f"{CSV}; charset=utf-8", "SELECT") == "csv"


def test_empty_ranges_are_ignored() -> None:
    assert negotiate(f" , {TSV},", "SELECT") == "tsv"


@pytest.mark.parametrize(("accept", "kind"), [
    ("image/png", "SELECT"), (f"{SRJ};q=0", "SELECT"), ("text/turtle", "SELECT"),
    (CSV, "CONSTRUCT"), ("*/*;q=0", "CONSTRUCT"),
])
def test_nothing_acceptable_is_a_406_naming_what_is_offered(accept: str, kind: str) -> None:
    with pytest.raises(ProtocolError) as err:
        negotiate(accept, kind)
    assert (err.value.status, err.value.title) == (406, "Not acceptable")
    offered = (
        f"{SRJ}, {SRX}, {CSV}, {TSV}" if kind == "SELECT" else
        "application/ld+json, application/n-quads, application/n-triples, application/rdf+xml, "
        "application/trig, text/turtle"
    )
    assert err.value.detail == f"nothing in Accept: {accept!r} fits a {kind} answer; this endpoint offers {offered}"


# --- the format= override ---------------------------------------------------------------------


@pytest.mark.parametrize(("override", "kind", "fmt"), [
    ("csv", "SELECT", "csv"), (" CSV ", "SELECT", "csv"), ("srj", "SELECT", "json"),
    ("srx", "ASK", "xml"), (TSV, "SELECT", "tsv"), (f"{CSV}; charset=utf-8", "SELECT", "csv"),
    ("json", "CONSTRUCT", "jsonld"), ("nt", "DESCRIBE", "ntriples"), ("ttl", "CONSTRUCT", "turtle"),
    ("application/rdf+xml", "CONSTRUCT", "rdfxml"),
])
def test_format_parameter_wins_over_accept(override: str, kind: str, fmt: str) -> None:
    assert negotiate("image/png", kind, override) == fmt


def test_a_format_that_does_not_fit_the_answer_is_a_406() -> None:
    with pytest.raises(ProtocolError) as err:
        negotiate(None, "SELECT", "turtle")
    assert (err.value.status, err.value.title) == (406, "Not acceptable")
    assert err.value.detail == "format='turtle' does not fit a SELECT answer (choose from csv, json, tsv, xml)"
    with pytest.raises(ProtocolError):
        negotiate(None, "CONSTRUCT", "csv")


def test_graph_answers_negotiate_as_construct() -> None:
    assert negotiate_graph(None) == "turtle"
    assert negotiate_graph("application/ld+json") == "jsonld"
    assert negotiate_graph("image/png", "nq") == "nquads"
    with pytest.raises(ProtocolError):
        negotiate_graph(CSV)


# --- parsing Accept -------------------------------------------------------------------------


def test_parse_accept_orders_by_q_then_specificity_then_position() -> None:
    ranges = parse_accept(f"{CSV};q=0.5, application/json, */*;q=0.1, image/png;q=0")
    assert [(r.media, r.q) for r in ranges] == [("application/json", 1.0), (CSV, 0.5), ("*/*", 0.1)]
    assert [r.media for r in parse_accept(f"*/*, text/*, {CSV}")] == [CSV, "text/*", "*/*"]
    assert [r.media for r in parse_accept(f"{TSV}, {CSV}")] == [TSV, CSV]


@pytest.mark.parametrize("header", [None, "", "  "])
def test_parse_accept_without_a_header_accepts_anything(header: str | None) -> None:
    assert [(r.media, r.q) for r in parse_accept(header)] == [("*/*", 1.0)]


def test_media_type_tables_map_every_registered_type_and_alias() -> None:
    from recruitgraph.formats import GRAPH_ANSWER_FORMATS, ROW_FORMATS
    from recruitgraph.server.sparql_protocol import _media_table

    assert _media_table(ROW_FORMATS) == {
        SRJ: "json", "application/json": "json", "text/javascript": "json", "application/javascript": "json",
        SRX: "xml", "application/xml": "xml", "text/xml": "xml", CSV: "csv", TSV: "tsv"}
    graph = _media_table(GRAPH_ANSWER_FORMATS)
    # for a graph, generic JSON is JSON-LD, XML is RDF/XML and plain text is N-Triples
    assert (graph["application/json"], graph["application/xml"], graph["text/plain"]) == ("jsonld", "rdfxml", "ntriples")
    assert len(graph) == 16 and set(graph.values()) == {"turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads"}


def test_content_type_names_the_charset() -> None:
    assert content_type("csv") == "text/csv; charset=utf-8"
    assert content_type("json") == f"{SRJ}; charset=utf-8"
    assert content_type("turtle") == "text/turtle; charset=utf-8"


def test_download_extensions() -> None:
    assert EXTENSIONS == {"json": "srj", "xml": "srx", "csv": "csv", "tsv": "tsv", "turtle": "ttl",
                          "ntriples": "nt", "jsonld": "jsonld", "rdfxml": "rdf", "trig": "trig",
                          "nquads": "nq"}


# --- the cheap checks before a worker parses ---------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_query_is_a_400(text: str) -> None:
    with pytest.raises(ProtocolError) as err:
        check_query(text)
    assert (err.value.status, err.value.title, err.value.detail) == (400, "Missing query", "the query is empty")


@pytest.mark.parametrize(("text", "kind"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"), ("ASK { ?s ?p ?o }", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"), ("DESCRIBE <urn:x>", "DESCRIBE"),
    # updates and texts of no known kind are answered as rows (the worker refuses them)
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "SELECT"), ("hello", "SELECT"),
])
def test_check_query_guesses_the_kind(text: str, kind: str) -> None:
    assert check_query(text) == kind


def test_nesting_at_the_limit_passes_and_one_deeper_is_a_400() -> None:
    def nested(depth: int) -> str:
        return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth

    assert check_query(nested(MAX_NESTING)) == "SELECT"
    with pytest.raises(ProtocolError) as err:
        check_query(nested(MAX_NESTING + 1))
    assert (err.value.status, err.value.title) == (400, "Query nested too deeply")
    assert f"{MAX_NESTING + 1} deep" in err.value.detail


# --- the service description --------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
ENDPOINT = "http://127.0.0.1:8000/sparql"


def _graph(triples: list[ox.Triple]) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return store


def _select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    prologue = (f"PREFIX sd: <{SD}> PREFIX void: <http://rdfs.org/ns/void#> "
                "PREFIX dcterms: <http://purl.org/dc/terms/> ")
    return sorted(tuple(term.value for term in row) for row in store.query(prologue + query))  # type: ignore[union-attr]


def test_service_description_of_a_read_only_endpoint() -> None:
    store = _graph(service_description(ENDPOINT, 1234))
    assert _select(store, "SELECT ?e ?t WHERE { ?s a sd:Service ; sd:endpoint ?e ; dcterms:title ?t }") == [
        (ENDPOINT, "recruitgraph SPARQL endpoint")]
    assert _select(store, "SELECT ?n WHERE { ?s sd:defaultDataset/sd:defaultGraph ?g . "
                          "?g a sd:Graph ; void:triples ?n }") == [("1234",)]
    [description] = [t.object for t in service_description(ENDPOINT, 1234)
                     if t.predicate.value == "http://purl.org/dc/terms/description"]
    assert description == ox.Literal("The default graph is the union of the named graphs (and of what "
                                     "was imported into the default graph).", language="en")
    counts = [t.object for t in service_description(ENDPOINT, 1234, graphs=[("urn:g", 5)])
              if t.predicate.value == "http://rdfs.org/ns/void#triples"]
    assert sorted(c.value for c in counts) == ["1234", "5"]
    assert {c.datatype.value for c in counts} == {"http://www.w3.org/2001/XMLSchema#integer"}
    assert _select(store, "SELECT ?l WHERE { ?s sd:supportedLanguage ?l }") == [(SD + "SPARQL11Query",)]
    assert _select(store, "SELECT ?g WHERE { ?s sd:defaultDataset/sd:namedGraph ?g }") == []
    formats = {row[0].rsplit("/", 1)[1] for row in _select(store, "SELECT ?f WHERE { ?s sd:resultFormat ?f }")}
    assert formats == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                       "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"}


def test_service_description_with_updates_and_named_graphs() -> None:
    graphs = [("https://w3id.org/recruitgraph/graph/a", 10), ("https://w3id.org/recruitgraph/graph/b", 7)]
    store = _graph(service_description(ENDPOINT, 17, update=True, graphs=graphs))
    assert _select(store, "SELECT ?l WHERE { ?s sd:supportedLanguage ?l }") == [
        (SD + "SPARQL11Query",), (SD + "SPARQL11Update",)]
    assert _select(store, """SELECT ?name ?n WHERE { ?s sd:defaultDataset/sd:namedGraph ?ng .
        ?ng a sd:NamedGraph ; sd:name ?name ; sd:graph ?g . ?g a sd:Graph ; void:triples ?n }""") == [
        ("https://w3id.org/recruitgraph/graph/a", "10"), ("https://w3id.org/recruitgraph/graph/b", "7")]
