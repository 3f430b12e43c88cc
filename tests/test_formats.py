"""One table of formats: every format the CLI offers for an answer is negotiable on the server
(by media type and by ``format=`` name), every export format is downloadable from the site, and
each of them round-trips to the triples or rows the data files hold (read by rdflib, not by the
store)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.util import from_n3

from recruitgraph import formats
from recruitgraph.cli import main
from serve_process import running_server
from support import base_graph, run_cli

NEPAL = "https://w3id.org/recruitgraph/id/nepal"
CONSTRUCT = f"CONSTRUCT {{ <{NEPAL}> ?p ?o }} WHERE {{ <{NEPAL}> ?p ?o }}"
SELECT = f"SELECT ?label WHERE {{ <{NEPAL}> <{RDFS.label}> ?label }}"


def offered_by_cli() -> tuple[list[str], list[str]]:
    """The row and graph formats ``recruitgraph query --help`` offers, as a user reads them."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):  # argparse prints help on sys.stdout
        code = main(["query", "--help"])
    assert code == 0
    text = " ".join(buffer.getvalue().split())
    rows = re.search(r"([a-z|]+) for SELECT/ASK", text)
    graphs = re.search(r"([a-z|]+) for CONSTRUCT/DESCRIBE", text)
    assert rows and graphs, text
    return [f for f in rows.group(1).split("|") if f != "table"], graphs.group(1).split("|")


ROWS, GRAPHS = offered_by_cli()


def expected_triples() -> set[tuple[str, str, str]]:
    graph = base_graph()
    return {(str(s), str(p), o.n3() if isinstance(o, Literal) else str(o))
            for s, p, o in graph.triples((URIRef(NEPAL), None, None))}


def expected_labels() -> set[str]:
    return {str(o) for o in base_graph().objects(URIRef(NEPAL), RDFS.label)}


def as_triples(data: bytes, name: str) -> set[tuple[str, str, str]]:
    fmt = formats.get(name)
    assert fmt.rdf is not None
    out = set()
    for quad in ox.parse(data, format=fmt.rdf):
        obj = quad.object
        if isinstance(obj, ox.Literal):
            value = Literal(obj.value, lang=obj.language,
                            datatype=None if obj.language else URIRef(obj.datatype.value))
            if value.datatype == URIRef("http://www.w3.org/2001/XMLSchema#string"):
                value = Literal(obj.value)
            text = value.n3()
        else:
            text = obj.value
        out.add((quad.subject.value, quad.predicate.value, text))
    return out


def labels_in(data: str, name: str) -> set[str]:
    if name == "json":
        return {b["label"]["value"] for b in json.loads(data)["results"]["bindings"]}
    if name == "xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        return {lit.text or "" for lit in ET.fromstring(data).iter(ns + "literal")}
    if name == "csv":
        return {row["label"] for row in csv.DictReader(io.StringIO(data))}
    assert name == "tsv"
    lines = data.splitlines()[1:]
    return {str(from_n3(line)) for line in lines}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server() as url:
        yield url


def test_the_cli_offers_every_answer_format_of_the_registry() -> None:
    assert ROWS == [f.name for f in formats.ROW_FORMATS] == ["json", "xml", "csv", "tsv"]
    assert set(GRAPHS) == {"turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads"}


@pytest.mark.parametrize("name", GRAPHS)
def test_graph_format_from_cli_and_server_round_trips(name: str, base: str) -> None:
    want = expected_triples()
    assert len(want) > 3
    code, out, err = run_cli("--memory", "query", CONSTRUCT, "--format", name)
    assert code == 0, err
    assert as_triples(out.encode(), name) == want
    media = formats.get(name).media_type
    by_accept = httpx.get(base + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": media}, timeout=30)
    assert by_accept.status_code == 200, by_accept.text
    assert by_accept.headers["content-type"] == f"{media}; charset=utf-8"
    assert as_triples(by_accept.content, name) == want
    by_name = httpx.get(base + "/sparql", params={"query": CONSTRUCT, "format": name}, timeout=30)
    assert by_name.status_code == 200 and as_triples(by_name.content, name) == want


@pytest.mark.parametrize("name", ROWS)
def test_row_format_from_cli_and_server_round_trips(name: str, base: str) -> None:
    want = expected_labels()
    assert want
    code, out, err = run_cli("--memory", "query", SELECT, "--format", name)
    assert code == 0, err
    assert labels_in(out, name) == want
    media = formats.get(name).media_type
    by_accept = httpx.get(base + "/sparql", params={"query": SELECT}, headers={"Accept": media}, timeout=30)
    assert by_accept.status_code == 200 and by_accept.headers["content-type"] == f"{media}; charset=utf-8"
    assert labels_in(by_accept.text, name) == want
    by_name = httpx.get(base + "/sparql", params={"query": SELECT, "format": name}, timeout=30)
    assert by_name.status_code == 200 and labels_in(by_name.text, name) == want


def test_every_export_format_is_downloadable_and_holds_the_data(base: str) -> None:
    graph = base_graph()
    page = httpx.get(base + "/downloads", timeout=60).text
    for fmt in formats.EXPORT_FORMATS:
        name = f"recruitgraph{fmt.extension}"
        assert f"/downloads/{name}" in page, name
        resp = httpx.get(f"{base}/downloads/{name}", timeout=60)
        assert resp.status_code == 200 and resp.headers["content-type"].startswith(fmt.media_type)
        assert fmt.rdf is not None
        assert len(set(q.triple for q in ox.parse(resp.content, format=fmt.rdf))) == len(graph), name
