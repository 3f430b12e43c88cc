"""Remote SPARQL stores for real: push the dataset to Oxigraph server and Virtuoso, then check
that every named query gives there the answers the embedded store gives.

Servers come from tests/servers.py (real processes on 127.0.0.1). Both get the dataset with its
named graphs (one per source, the ontology's, the shared one) by the Graph Store Protocol, and
answer queries with the union of the graphs as default graph: Oxigraph run with
``--union-default-graph``, Virtuoso by itself (no FROM). Virtuoso's union also holds its own
system graphs, so it is queried with a ``default-graph-uri`` for each graph of the dataset.
"""

from __future__ import annotations

import base64
import csv
import http.server
import io
import socketserver
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

import recruitgraph
from recruitgraph import config
from recruitgraph.cli import main
from recruitgraph.exc import EndpointError, ParameterError
from recruitgraph.push import Uploader, push, remote_count
from recruitgraph.results import QueryResult
from servers import TEST_GRAPH, SparqlServer

pytestmark = pytest.mark.remote

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                   "positiveInteger", "unsignedInt", "unsignedLong")}
DECIMAL_TYPES = {XSD + "decimal"}
FLOAT_TYPES = {XSD + "double", XSD + "float"}

#: Values for parameters that have no default, and for optional ones the data cannot suggest.
PARAM_TABLE: dict[str, str] = {
    "actor": "rgd:vladimir-putin",
    "by": "rgd:vladimir-putin",
    "country": "rgd:nepal",
    "from": "2024",
}


def named_query_names() -> list[str]:
    directory = config.queries_dir()
    return sorted(p.stem for p in directory.glob("*.rq")) if directory.is_dir() else []


# -- normalisation ---------------------------------------------------------------------------


def norm(term: Node | None) -> tuple[str, ...]:
    """A comparable form of a term that keeps every real difference.

    Integers of any XSD integer type compare as integers and decimals by value (Virtuoso may
    type a COUNT as xsd:int, or write 1.50 as 1.5); language tags are case-insensitive
    (BCP 47); blank node labels are local to a result. Nothing else is folded: a lost language
    tag or datatype is a difference.
    """
    if term is None:
        return ("unbound",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    assert isinstance(term, Literal), term
    if term.language:
        return ("lang", str(term), term.language.lower())
    datatype = str(term.datatype) if term.datatype else XSD + "string"
    try:
        if datatype in INTEGER_TYPES:
            return ("integer", str(int(str(term))))
        if datatype in DECIMAL_TYPES:
            return ("decimal", str(Decimal(str(term)).normalize()))
        if datatype in FLOAT_TYPES:
            return ("double", repr(float(str(term))))
    except (ValueError, InvalidOperation):
        pass
    if datatype == XSD + "boolean":
        return ("boolean", "true" if str(term) in ("true", "1") else "false")
    return ("literal", str(term), datatype)


def rows(result: QueryResult) -> Counter[tuple[tuple[str, tuple[str, ...]], ...]]:
    """The rows as a multiset of (variable, normalised term) tuples."""
    return Counter(tuple((var, norm(row.get(var))) for var in result.variables) for row in result.rows)


def graph_terms(graph: Graph) -> set[tuple[tuple[str, ...], ...]]:
    return {(norm(s), norm(p), norm(o)) for s, p, o in graph}


def assert_same(local: QueryResult | Graph, remote: QueryResult | Graph, what: str) -> None:
    if isinstance(local, Graph):
        assert isinstance(remote, Graph), what
        assert graph_terms(remote) == graph_terms(local), what
        return
    assert isinstance(remote, QueryResult), what
    assert local.boolean == remote.boolean, what
    assert set(remote.variables) == set(local.variables), what
    missing = rows(local) - rows(remote)
    extra = rows(remote) - rows(local)
    assert not missing and not extra, (
        f"{what}: {sum(missing.values())} row(s) only in the embedded store, {sum(extra.values())} "
        f"only on the server\nonly local: {list(missing)[:3]}\nonly remote: {list(extra)[:3]}"
    )


# -- servers with the dataset -----------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """A server holding the dataset in ``server.graph`` (its default graph when None), pushed
    once a session with replace; no test writes to that graph (pushes go to graphs of their own)."""

    server: SparqlServer
    triples: int  # what push reported the server holds


def _load(server: SparqlServer, kg: recruitgraph.KnowledgeGraph) -> Loaded:
    return Loaded(server, push(kg, server.query_url, graph=server.graph, gsp=server.gsp_url,
                               auth=server.auth, auth_scheme=server.auth_scheme, replace=True,
                               chunk_triples=2_000, progress=False))


@pytest.fixture(scope="session")
def oxigraph_loaded(oxigraph_server: SparqlServer, kg: recruitgraph.KnowledgeGraph) -> Loaded:
    return _load(oxigraph_server, kg)


@pytest.fixture(scope="session")
def virtuoso_loaded(virtuoso_server: SparqlServer, kg: recruitgraph.KnowledgeGraph) -> Loaded:
    return _load(virtuoso_server, kg)


def graph_names(kg: recruitgraph.KnowledgeGraph) -> list[str]:
    return sorted(g.value for g in kg.store.named_graphs())


def dataset_url(server: SparqlServer, kg: recruitgraph.KnowledgeGraph) -> str:
    """Where to query the pushed dataset: the endpoint (its default graph is the union), or on
    Virtuoso the endpoint with the dataset's graphs as default graph (its union has more)."""
    if server.name != "virtuoso":
        return server.query_url
    return server.query_url + "?" + urllib.parse.urlencode([("default-graph-uri", g) for g in graph_names(kg)])


@pytest.fixture(params=["oxigraph", "virtuoso"])
def remote(request: pytest.FixtureRequest, kg: recruitgraph.KnowledgeGraph) -> Iterator[
        tuple[Loaded, recruitgraph.KnowledgeGraph]]:
    """(loaded server, remote graph over the pushed dataset) for each server kind."""
    loaded: Loaded = request.getfixturevalue(f"{request.param}_loaded")
    remote_kg = recruitgraph.open(endpoint=dataset_url(loaded.server, kg), timeout=60)
    yield loaded, remote_kg
    remote_kg.close()


@pytest.fixture
def scratch_graphs() -> Iterator[list[tuple[SparqlServer, str]]]:
    """Named graphs a test pushes into besides the loaded one: listed by the test, dropped after
    it, so that every test meets the servers as loaded (Virtuoso answers a query over the loaded
    graph differently once another graph holds a copy of the dataset)."""
    made: list[tuple[SparqlServer, str]] = []
    yield made
    for server, graph in made:
        Uploader(server.auth, server.auth_scheme, 60).send(
            "POST", server.update_url, f"DROP SILENT GRAPH <{graph}>".encode(), "application/sparql-update")
        assert remote_count(server.extra.get("sparql", server.query_url), graph) == 0, graph


def distinct_triples(kg: recruitgraph.KnowledgeGraph) -> int:
    return len({q.triple for q in kg.store})


def test_push_reports_the_count_the_server_holds(remote: Any, kg: recruitgraph.KnowledgeGraph) -> None:
    loaded, _ = remote
    assert loaded.triples == distinct_triples(kg) > 1000
    assert remote_count(loaded.server.query_url, graph_names(kg)) == loaded.triples


def test_the_graphs_arrive_and_the_servers_default_graph_is_their_union(
        remote: Any, kg: recruitgraph.KnowledgeGraph) -> None:
    loaded, remote_kg = remote
    server = loaded.server
    names = graph_names(kg)
    for name in names:
        local = len(list(kg.store.quads_for_pattern(None, None, None, ox.NamedNode(name))))
        assert remote_count(server.query_url, name) == local, name
    assert remote_kg.triples_count() == distinct_triples(kg)
    # no FROM: every graph the server holds (Virtuoso's system graphs too, counted apart)
    others = remote_kg_count(server.query_url, "GRAPH ?g { ?s ?p ?o } FILTER(?g NOT IN ("
                             + ", ".join(f"<{n}>" for n in names) + "))")
    assert remote_kg_count(server.query_url, "?s ?p ?o") == distinct_triples(kg) + others
    assert (others > 0) == (server.name == "virtuoso")


def remote_kg_count(endpoint: str, where: str) -> int:
    remote_kg = recruitgraph.open(endpoint=endpoint, timeout=60)
    try:
        return int(str(remote_kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0]["n"]))
    finally:
        remote_kg.close()


# -- every named query, same answers ------------------------------------------------------------


def _suggest(kg: recruitgraph.KnowledgeGraph, name: str, param: str) -> str | None:
    """A value for an optional parameter that the query's own unfiltered answer contains."""
    try:
        res = kg.query(name)
    except ParameterError:
        return None
    values = Counter(str(row[param]) for row in res.rows if isinstance(row.get(param), URIRef))
    if values:
        return sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return None


def query_cases(kg: recruitgraph.KnowledgeGraph, name: str) -> list[dict[str, str]]:
    """The default run of a named query (required parameters from PARAM_TABLE), plus one run per
    optional parameter bound to a value from the data or the table."""
    query = kg.catalogue.get(name)
    base = {p.name: PARAM_TABLE[p.name] for p in query.parameters if p.required and p.default is None}
    for p in query.parameters:
        if p.required and p.default is None and p.name not in PARAM_TABLE:
            pytest.fail(f"query {name}: no test value for required parameter {p.name!r}: add one to PARAM_TABLE")
    cases = [base]
    for p in query.parameters:
        if p.name in base:
            continue
        value = (_suggest(kg, name, p.name) if p.type == "iri" else None) or PARAM_TABLE.get(p.name)
        if value is not None:
            cases.append({**base, p.name: value})
    return cases




def test_there_are_named_queries_to_compare() -> None:
    assert len(named_query_names()) >= 12


@pytest.mark.parametrize("name", named_query_names())
def test_named_query_same_answers_remotely(remote: Any, kg: recruitgraph.KnowledgeGraph, name: str) -> None:
    loaded, remote_kg = remote
    server = loaded.server
    for params in query_cases(kg, name):
        local = kg.run(name, **params)
        answer = remote_kg.run(name, **params)
        assert_same(local, answer, f"{name} {params} on {server.name}")


INLINE_QUERIES = {
    "labels-with-language": "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ",
    "counts-by-class": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "dates-and-numbers": "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && "
    "DATATYPE(?o) IN (xsd:gYear, xsd:gYearMonth, xsd:date, xsd:integer, xsd:decimal, xsd:boolean)) }",
    "optional-and-filter": "SELECT ?f ?value ?claimant WHERE { ?f a rg:Figure . "
    "OPTIONAL { ?f rg:value ?value } OPTIONAL { ?f rg:hasEvidence/rg:claimant ?claimant } "
    "FILTER(!BOUND(?value) || ?value > 1000) }",
    "ask": "ASK { rgd:nepal rdfs:label ?l }",
    "describe-like-construct": "CONSTRUCT { rgd:nepal ?p ?o } WHERE { rgd:nepal ?p ?o }",
}


@pytest.mark.parametrize("key", sorted(INLINE_QUERIES))
def test_inline_query_same_answers_remotely(remote: Any, kg: recruitgraph.KnowledgeGraph, key: str) -> None:
    loaded, remote_kg = remote
    server = loaded.server
    text = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in recruitgraph.namespaces.PREFIXES.items())
    text += "\n" + INLINE_QUERIES[key]
    assert_same(kg.run(text), remote_kg.run(text), f"{key} on {server.name}")


def test_long_query_goes_by_post(remote: Any, kg: recruitgraph.KnowledgeGraph) -> None:
    """A query longer than the GET limit (a VALUES list of every IRI subject) still answers."""
    loaded, remote_kg = remote
    server = loaded.server
    subjects = sorted({str(q.subject.value) for q in kg.store if hasattr(q.subject, "value")
                       and str(q.subject.value).startswith("https://w3id.org/recruitgraph/id/")})
    text = ("SELECT ?s (COUNT(*) AS ?n) WHERE { VALUES ?s { "
            + " ".join(f"<{s}>" for s in subjects) + " } ?s ?p ?o } GROUP BY ?s")
    assert len(text) > 2000
    assert_same(kg.query(text), remote_kg.query(text), f"long query on {server.name}")


INJECTIONS = ['"} ; DROP ALL ; {"', "Nepal\" } } ; CLEAR DEFAULT ; SELECT * { {\"",
              "x'> } DROP ALL #", "Nepal\\"]


def test_injection_through_parameters_stays_a_literal(remote: Any, kg: recruitgraph.KnowledgeGraph,
                                                      tmp_path: Path) -> None:
    loaded, remote_kg = remote
    server = loaded.server
    rq = tmp_path / "label-search.rq"
    rq.write_text(
        "#+ title: Things by label\n#+ description: Subjects whose label is the given text.\n"
        "#+ parameters:\n#+   - name: name\n#+     type: string\n#+     required: true\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?s ?name WHERE { ?s rdfs:label ?label FILTER(STR(?label) = ?name) }\n"
    )
    found = remote_kg.query(str(rq), name="Nepal")
    assert [str(r["s"]) for r in found.rows] == ["https://w3id.org/recruitgraph/id/nepal"]
    before = remote_count(server.query_url, graph_names(kg))
    for attempt in INJECTIONS:
        assert remote_kg.query(str(rq), name=attempt).rows == [], attempt
    with pytest.raises(ParameterError):
        remote_kg.query("actor-profile", actor="rgd:nepal> } ; DROP ALL ; SELECT * WHERE { <x")
    assert remote_count(server.query_url, graph_names(kg)) == before == loaded.triples


# -- the CLI against the servers ----------------------------------------------------------------


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_query_on_endpoint_matches_embedded(remote: Any, kg: recruitgraph.KnowledgeGraph) -> None:
    server = remote[0].server
    name = "actor-profile" if "actor-profile" in named_query_names() else None
    args = [name, "--param", "actor=rgd:vladimir-putin"] if name else [
        "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = 'en') }"]
    code, remote_out, err = cli("query", *args, "--format", "tsv", "--endpoint", dataset_url(server, kg))
    assert code == 0, err
    code, local_out, err = cli("--memory", "query", *args, "--format", "tsv")
    assert code == 0, err
    # the same variables in the same order and the same solutions; TSV may write a number in its
    # short form (2851) or its long one ("2851"^^xsd:integer), so the terms are compared parsed
    remote_rows, local_rows = tsv_solutions(remote_out), tsv_solutions(local_out)
    assert remote_out.splitlines()[0] == local_out.splitlines()[0]
    assert remote_rows == local_rows
    assert len(local_rows) > 2


def tsv_solutions(text: str) -> list[tuple[str, ...]]:
    """The solutions of a SPARQL TSV answer as sorted tuples of N-Triples terms (empty: unbound)."""
    import pyoxigraph as ox

    parsed = ox.parse_query_results(text.encode("utf-8"), format=ox.QueryResultsFormat.TSV)
    names = list(parsed.variables)
    return sorted(tuple(str(row[v]) if row[v] is not None else "" for v in names) for row in parsed)


def test_cli_push_replace_to_named_graph_by_update(oxigraph_server: SparqlServer,
                                                  kg: recruitgraph.KnowledgeGraph,
                                                  scratch_graphs: list[tuple[SparqlServer, str]]) -> None:
    """SPARQL Update in chunks into a named graph; --replace drops what was there before."""
    graph = "https://w3id.org/recruitgraph/graph/update-test"
    scratch_graphs.append((oxigraph_server, graph))
    stray = f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:stray> <urn:x:p> \"left over\" }} }}"
    request = urllib.request.Request(oxigraph_server.update_url, data=stray.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(request, timeout=10).close()
    endpoint = f"{oxigraph_server.query_url}"
    code, out, err = cli("--memory", "push", "--endpoint", endpoint, "--graph", graph, "--protocol",
                         "update", "--replace", "--chunk", "700", "--no-progress")
    assert code == 0, err
    expected = distinct_triples(kg)
    assert f"now holds {expected:,} triples in graph <{graph}>" in out
    assert "SPARQL Update" in err and "/update" in err
    assert remote_count(endpoint, graph) == expected
    # The named graph answers the same as the embedded store when it is the query's default graph.
    scoped = recruitgraph.open(endpoint=f"{endpoint}?default-graph-uri={urllib.parse.quote(graph, safe='')}")
    text = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
    assert_same(kg.query(text), scoped.query(text), "update-pushed named graph")
    drop_graph(oxigraph_server, graph)  # the server's union must stay the dataset for other tests


def drop_graph(server: SparqlServer, graph: str) -> None:
    request = urllib.request.Request(server.update_url, data=f"DROP SILENT GRAPH <{graph}>".encode(),
                                     method="POST", headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(request, timeout=30).close()


# -- errors --------------------------------------------------------------------------------------


def _one_line_error(code: int, out: str, err: str) -> str:
    assert code == 2, (code, out, err)
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("recruitgraph: error: "), err
    return lines[0]


def test_unreachable_endpoint_closed_port(closed_port: str) -> None:
    started = time.monotonic()
    line = _one_line_error(*cli("query", "ASK { ?s ?p ?o }", "--endpoint", closed_port, "--timeout", "2"))
    assert "unreachable" in line and closed_port in line
    assert time.monotonic() - started < 10
    line = _one_line_error(*cli("--memory", "push", "--endpoint", closed_port, "--no-progress"))
    assert "unreachable" in line


def test_unreachable_endpoint_blackhole_times_out(blackhole_endpoint: str) -> None:
    started = time.monotonic()
    line = _one_line_error(*cli("query", "ASK { ?s ?p ?o }", "--endpoint", blackhole_endpoint,
                                "--timeout", "2"))
    elapsed = time.monotonic() - started
    assert "no answer within 2 s" in line, line
    assert 1.5 < elapsed < 15
    line = _one_line_error(*cli("--memory", "push", "--endpoint", blackhole_endpoint, "--timeout", "2",
                                "--no-progress"))
    assert "no answer within 2 s" in line, line


def test_virtuoso_refuses_wrong_or_missing_credentials(virtuoso_server: SparqlServer,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("--memory", "push", "--endpoint", virtuoso_server.extra["sparql"], "--graph",
            "https://w3id.org/recruitgraph/graph/denied", "--auth", "digest", "--no-progress")
    monkeypatch.setenv("RECRUITGRAPH_ENDPOINT_USER", "dba")
    monkeypatch.setenv("RECRUITGRAPH_ENDPOINT_PASSWORD", "not-the-password")
    line = _one_line_error(*cli(*args))
    assert "unauthorised (HTTP 401" in line and "RECRUITGRAPH_ENDPOINT_PASSWORD" in line
    monkeypatch.delenv("RECRUITGRAPH_ENDPOINT_USER")
    monkeypatch.delenv("RECRUITGRAPH_ENDPOINT_PASSWORD")
    line = _one_line_error(*cli(*args[:-3], "--gsp", virtuoso_server.gsp_url, "--no-progress"))
    assert "unauthorised (HTTP 401" in line and "set RECRUITGRAPH_ENDPOINT_USER" in line


def test_cli_push_to_virtuoso_with_digest_from_environment(
        virtuoso_server: SparqlServer, kg: recruitgraph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch,
        scratch_graphs: list[tuple[SparqlServer, str]]) -> None:
    graph = "https://w3id.org/recruitgraph/graph/cli-test"
    scratch_graphs.append((virtuoso_server, graph))
    monkeypatch.setenv("RECRUITGRAPH_ENDPOINT_USER", virtuoso_server.auth[0] if virtuoso_server.auth else "")
    monkeypatch.setenv("RECRUITGRAPH_ENDPOINT_PASSWORD", virtuoso_server.auth[1] if virtuoso_server.auth else "")
    code, out, err = cli("--memory", "push", "--endpoint", virtuoso_server.extra["sparql"], "--graph",
                         graph, "--auth", "digest", "--replace", "--no-progress")
    assert code == 0, err
    assert "sparql-graph-crud-auth" in err  # guessed from /sparql because credentials are set
    assert f"holds {distinct_triples(kg):,} triples in graph <{graph}>" in out
    assert graph != TEST_GRAPH


# -- basic auth and request methods, seen through a recording reverse proxy ----------------------


class _Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards to the Oxigraph server, demanding basic auth and recording each request."""

    upstream = ""
    expected = ""
    seen: ClassVar[list[dict[str, str]]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        self.seen.append({"method": self.command, "path": self.path,
                          "auth": self.headers.get("Authorization", ""),
                          "agent": self.headers.get("User-Agent", ""),
                          "type": self.headers.get("Content-Type", "")})
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        request = urllib.request.Request(self.upstream + self.path, data=body, method=self.command)
        for key in ("Content-Type", "Accept"):
            if self.headers.get(key):
                request.add_header(key, self.headers[key])
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, headers, payload = response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            status, headers, payload = exc.code, exc.headers, exc.read()
        self.send_response(status)
        self.send_header("Content-Type", headers.get("Content-Type", "text/plain"))
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _handle


@pytest.fixture
def basic_auth_proxy(oxigraph_loaded: Loaded) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A proxy to the Oxigraph server holding the dataset in its default graph."""
    seen: ClassVar[list[dict[str, str]]] = []
    handler = type("Handler", (_Proxy,), {
        "upstream": oxigraph_loaded.server.base, "seen": seen,
        "expected": "Basic " + base64.b64encode(b"reader:s3cret word").decode()})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_basic_auth_from_environment_and_post_for_long_queries(
        basic_auth_proxy: tuple[str, list[dict[str, str]]], kg: recruitgraph.KnowledgeGraph,
        monkeypatch: pytest.MonkeyPatch, oxigraph_server: SparqlServer,
        scratch_graphs: list[tuple[SparqlServer, str]]) -> None:
    base, seen = basic_auth_proxy
    line = _one_line_error(*cli("query", "ASK { ?s ?p ?o }", "--endpoint", f"{base}/query"))
    assert "unauthorised" in line and "RECRUITGRAPH_ENDPOINT_USER" in line
    monkeypatch.setenv("RECRUITGRAPH_ENDPOINT_USER", "reader")
    monkeypatch.setenv("RECRUITGRAPH_ENDPOINT_PASSWORD", "s3cret word")
    seen.clear()
    labels = "SELECT ?l WHERE { rgd:nepal rdfs:label ?l }"
    code, out, err = cli("query", labels, "--endpoint", f"{base}/query", "--format", "csv")
    assert code == 0, err
    assert sorted(row[0] for row in csv.reader(io.StringIO(out))) == sorted(
        ["l", *(str(r["l"]) for r in kg.query(labels).rows)])
    assert seen[-1]["method"] == "GET" and seen[-1]["auth"].startswith("Basic ")
    assert seen[-1]["agent"].startswith("recruitgraph/")
    long_text = "SELECT ?s WHERE { VALUES ?s { " + " ".join(
        f"<https://w3id.org/recruitgraph/id/n{i}>" for i in range(200)) + " } ?s ?p ?o }"
    code, _out, err = cli("query", long_text, "--endpoint", f"{base}/query", "--format", "csv")
    assert code == 1, err  # no such subjects: no result, but the query ran
    assert seen[-1]["method"] == "POST" and seen[-1]["type"] == "application/x-www-form-urlencoded"
    assert len(seen[-1]["path"]) < 200  # the query went in the body, not the URL
    # push with basic auth through the proxy: credentials go with every upload request
    seen.clear()
    graph = "https://w3id.org/recruitgraph/graph/basic-auth"
    scratch_graphs.append((oxigraph_server, graph))
    code, _out, err = cli("--memory", "push", "--endpoint", f"{base}/query", "--graph", graph,
                         "--replace", "--chunk", "3000", "--no-progress")
    assert code == 0, err
    uploads = [r for r in seen if r["path"].startswith("/store")]
    assert len(uploads) == -(-distinct_triples(kg) // 3000)
    assert uploads[0]["method"] == "PUT" and all(r["method"] == "POST" for r in uploads[1:])
    assert all(r["auth"] == seen[0]["auth"] and r["type"] == "application/n-triples" for r in uploads)
    drop_graph(oxigraph_server, graph)


def test_push_refuses_bad_options(kg: recruitgraph.KnowledgeGraph, closed_port: str) -> None:
    with pytest.raises(EndpointError, match="not an absolute IRI"):
        push(kg, closed_port, graph="not an iri")
    with pytest.raises(EndpointError, match="expected one of"):
        push(kg, closed_port, protocol="ftp")
    with pytest.raises(EndpointError, match="not an http"):
        push(kg, "ftp://example.org/sparql")
