"""``recruitgraph serve``: the SPARQL 1.1 Protocol, Graph Store reads, safety limits and the one
JSON error shape, tested against the real server process with real clients (SPARQLWrapper, httpx).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from serve_process import running_server

NEPAL = "https://w3id.org/recruitgraph/id/nepal"
LABEL_Q = f"SELECT ?label WHERE {{ <{NEPAL}> rdfs:label ?label }}"
# Three copies of every triple joined with no shared variable: thousands cubed, never finishes in time
SLOW_Q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 2.0
MAX_ROWS = 2000
MAX_BODY = 50_000


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server(["--query-timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS),
                         "--max-body", str(MAX_BODY)]) as url:
        yield url


def wrapper(base: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(base + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


def assert_error(resp: httpx.Response, status: int) -> dict[str, object]:
    """Every error has the same JSON shape and no traceback."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "title", "detail"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["title"], str) and body["error"]["title"]
    assert isinstance(body["error"]["detail"], str) and body["error"]["detail"]
    assert "Traceback" not in resp.text and 'File "' not in resp.text
    return body["error"]  # type: ignore[no-any-return]


# -- SPARQLWrapper as the client, every result format ------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(base: str, method: str) -> None:
    res = wrapper(base, LABEL_Q, JSON, method).query()
    assert res.response.headers["Content-Type"] == "application/sparql-results+json; charset=utf-8"
    data = res.convert()
    assert [b["label"]["value"] for b in data["results"]["bindings"]] == ["Nepal"]


def test_sparqlwrapper_select_xml(base: str) -> None:
    res = wrapper(base, LABEL_Q, XML).query()
    assert res.response.headers["Content-Type"].startswith("application/sparql-results+xml")
    doc = res.convert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ["Nepal"]


def test_sparqlwrapper_select_csv_tsv(base: str) -> None:
    res = wrapper(base, LABEL_Q, CSV).query()
    assert res.response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert res.convert().decode().splitlines() == ["label", "Nepal"]
    res = wrapper(base, LABEL_Q, TSV).query()
    assert res.response.headers["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    assert res.convert().decode().splitlines() == ["?label", '"Nepal"@en']


def test_sparqlwrapper_ask(base: str) -> None:
    assert wrapper(base, 'ASK { rgd:nepal rdfs:label "Nepal"@en }', JSON).query().convert()["boolean"] is True
    doc = wrapper(base, "ASK { rgd:nepal a rg:Pipeline }", XML).query().convert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize(("fmt", "media"), [(TURTLE, "text/turtle"), (N3, "text/turtle"),
                                            (RDFXML, "application/rdf+xml"), (JSONLD, "application/ld+json"),
                                            (XML, "application/rdf+xml")])
def test_sparqlwrapper_construct(base: str, fmt: str, media: str) -> None:
    query = f"CONSTRUCT {{ <{NEPAL}> rdfs:label ?l }} WHERE {{ <{NEPAL}> rdfs:label ?l }}"
    res = wrapper(base, query, fmt).query()
    assert res.response.headers["Content-Type"] == f"{media}; charset=utf-8"
    graph = res.convert()
    if isinstance(graph, bytes):  # SPARQLWrapper hands Turtle back unparsed
        graph = rdflib.Graph().parse(data=graph.decode(), format="turtle")
    assert {str(o) for o in graph.objects(rdflib.URIRef(NEPAL), rdflib.RDFS.label)} == {"Nepal"}


def test_describe_ntriples_by_accept(base: str) -> None:
    resp = httpx.get(base + "/sparql", params={"query": "DESCRIBE rgd:nepal"},
                     headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/n-triples; charset=utf-8"
    graph = rdflib.Graph().parse(data=resp.text, format="nt")
    assert (rdflib.URIRef(NEPAL), rdflib.RDF.type, rdflib.URIRef("https://w3id.org/recruitgraph/ontology/State")) in graph \
        or (rdflib.URIRef(NEPAL), rdflib.RDF.type, rdflib.URIRef("https://w3id.org/recruitgraph/ontology/CountryOfOrigin")) in graph


# -- protocol details -----------------------------------------------------------------------------------


def test_post_sparql_query_body_and_form(base: str) -> None:
    direct = httpx.post(base + "/sparql", content=LABEL_Q.encode(),
                        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    form = httpx.post(base + "/sparql", data={"query": LABEL_Q}, headers={"Accept": "text/csv"})
    assert direct.status_code == form.status_code == 200
    assert direct.text == form.text == "label\r\nNepal\r\n"


def test_format_parameter_overrides_accept(base: str) -> None:
    resp = httpx.get(base + "/sparql", params={"query": LABEL_Q, "format": "tsv"},
                     headers={"Accept": "application/sparql-results+json"})
    assert resp.headers["content-type"] == "text/tab-separated-values; charset=utf-8"
    assert_error(httpx.get(base + "/sparql", params={"query": LABEL_Q, "format": "turtle"}), 406)


def test_accept_q_values(base: str) -> None:
    resp = httpx.get(base + "/sparql", params={"query": LABEL_Q},
                     headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert resp.headers["content-type"] == "text/csv; charset=utf-8"


def test_406_when_nothing_fits(base: str) -> None:
    err = assert_error(httpx.get(base + "/sparql", params={"query": LABEL_Q}, headers={"Accept": "image/png"}), 406)
    assert "application/sparql-results+json" in str(err["detail"])
    assert_error(httpx.get(base + "/sparql", params={"query": "DESCRIBE rgd:nepal"},
                           headers={"Accept": "text/csv"}), 406)


def test_400_names_line_and_column(base: str) -> None:
    err = assert_error(httpx.get(base + "/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n}"}), 400)
    assert err["title"] == "Malformed query"
    assert "line 3, column" in str(err["detail"])


def test_415_unknown_request_type(base: str) -> None:
    assert_error(httpx.post(base + "/sparql", content=b"<q/>", headers={"Content-Type": "application/xml"}), 415)


def test_413_body_limit(base: str) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_BODY
    err = assert_error(httpx.post(base + "/sparql", content=big.encode(),
                                  headers={"Content-Type": "application/sparql-query"}), 413)
    assert str(MAX_BODY) in str(err["detail"])

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        yield b"query="
        for _ in range(10):
            yield b"x" * (MAX_BODY // 5)

    resp = httpx.post(base + "/sparql", content=chunks(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(resp, 413)


def test_service_description(base: str) -> None:
    resp = httpx.get(base + "/sparql", headers={"Accept": "text/turtle"})
    assert resp.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=resp.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(base + "/sparql"), rdflib.RDF.type, sd.Service) in graph
    assert (rdflib.URIRef(base + "/sparql"), sd.supportedLanguage, sd.SPARQL11Query) in graph


def test_cors_for_reads(base: str) -> None:
    pre = httpx.options(base + "/sparql", headers={"Origin": "http://example.org",
                                                   "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == "*"
    assert "POST" in pre.headers["access-control-allow-methods"]
    for resp in (httpx.get(base + "/sparql", params={"query": LABEL_Q}),
                 httpx.post(base + "/sparql", data={"query": LABEL_Q})):
        assert resp.headers["access-control-allow-origin"] == "*"


def test_graph_store_reads(base: str) -> None:
    resp = httpx.get(base + "/store?default", headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/n-triples; charset=utf-8"
    graph = rdflib.Graph().parse(data=resp.text, format="nt")
    count = httpx.get(base + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                      headers={"Accept": "text/csv"}).text.splitlines()[1]
    assert len(graph) == int(count) > MAX_ROWS  # the whole graph, not cut at the row limit
    assert_error(httpx.get(base + "/store", params={"graph": "https://example.org/none"}), 404)
    assert_error(httpx.get(base + "/store"), 400)


# -- safety -----------------------------------------------------------------------------------------------


def test_read_only_by_default(base: str) -> None:
    update = "INSERT DATA { rgd:x rdfs:label \"x\" }"
    assert_error(httpx.post(base + "/sparql", data={"update": update}), 403)
    assert_error(httpx.post(base + "/sparql", content=update.encode(),
                            headers={"Content-Type": "application/sparql-update"}), 403)
    for method in ("PUT", "POST", "DELETE"):
        assert_error(httpx.request(method, base + "/store?default", content=b"<a:a> <a:b> <a:c> .",
                                   headers={"Content-Type": "application/n-triples",
                                            "Authorization": "Bearer guess-guess-guess-guess"}), 403)
    err = assert_error(httpx.get(base + "/sparql", params={"query": update}), 400)
    assert "update" in str(err["detail"]).lower()
    assert httpx.get(base + "/sparql", params={"query": "ASK { rgd:x ?p ?o }"}).json()["boolean"] is False


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
])
def test_service_refused(base: str, query: str) -> None:
    err = assert_error(httpx.get(base + "/sparql", params={"query": query}), 400)
    assert "SERVICE" in str(err["title"])


def test_service_word_in_strings_and_iris_is_fine(base: str) -> None:
    query = 'SELECT ?x WHERE { BIND("SERVICE" AS ?x) } # SERVICE in a comment\n'
    assert httpx.get(base + "/sparql", params={"query": query}).status_code == 200


def test_row_limit(base: str) -> None:
    err = assert_error(httpx.get(base + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}), 400)
    assert str(MAX_ROWS) in str(err["detail"])
    ok = httpx.get(base + "/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"})
    assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == MAX_ROWS


def test_time_limit_stops_runaway_query_and_others_keep_going(base: str) -> None:
    with ThreadPoolExecutor(4) as pool:
        started = time.monotonic()
        slow = pool.submit(httpx.get, base + "/sparql", params={"query": SLOW_Q}, timeout=60)
        time.sleep(0.3)
        quick = [pool.submit(httpx.get, base + "/sparql", params={"query": LABEL_Q}, timeout=30) for _ in range(5)]
        answers = [f.result() for f in quick]
        slow_resp = slow.result()
        elapsed = time.monotonic() - started
    assert all(r.status_code == 200 and "Nepal" in r.text for r in answers)
    err = assert_error(slow_resp, 503)
    assert "limit" in str(err["detail"]) and str(int(TIMEOUT)) in str(err["detail"])
    assert elapsed < TIMEOUT + 10
    # the killed worker was replaced: the server still answers
    assert httpx.get(base + "/sparql", params={"query": LABEL_Q}, timeout=30).status_code == 200


def test_json_error_shape_everywhere(base: str) -> None:
    assert_error(httpx.get(base + "/no-such-page", headers={"Accept": "application/json"}), 404)
    assert_error(httpx.get(base + "/id/no-such-entity"), 404)
    assert_error(httpx.get(base + "/query", params={"name": "no-such-query"}), 404)
    assert_error(httpx.get(base + "/query", params={"name": "actor-profile", "actor": "not an iri!",
                                                    "run": "1"}), 400)
    assert_error(httpx.put(base + "/sparql"), 405)
    assert_error(httpx.get(base + "/downloads/none.ttl"), 404)


# -- Linked Data --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "media", "fmt"), [
    ("text/turtle", "text/turtle", "turtle"), ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"), ("application/rdf+xml", "application/rdf+xml", "xml")])
def test_entity_iri_content_negotiation(base: str, accept: str, media: str, fmt: str) -> None:
    resp = httpx.get(base + "/id/nepal", headers={"Accept": accept})
    assert resp.status_code == 200
    assert resp.headers["content-type"] == f"{media}; charset=utf-8"
    graph = rdflib.Graph().parse(data=resp.text, format=fmt)
    assert {str(o) for o in graph.objects(rdflib.URIRef(NEPAL), rdflib.RDFS.label)} == {"Nepal"}
    html = httpx.get(base + "/id/nepal", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.headers["content-type"] == "text/html; charset=utf-8"


def test_downloads_have_checksums(base: str) -> None:
    import hashlib

    page = httpx.get(base + "/downloads").text
    data = httpx.get(base + "/downloads/recruitgraph.ttl")
    assert data.status_code == 200 and data.headers["content-type"] == "text/turtle; charset=utf-8"
    assert hashlib.sha256(data.content).hexdigest() in page
    void = rdflib.Graph().parse(data=httpx.get(base + "/downloads/void.ttl").text, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    assert list(void.subjects(rdflib.RDF.type, VOID.Dataset))
    assert len(list(void.subjects(rdflib.RDF.type, DCAT.Distribution))) == 6


# -- updates with --allow-update and a token ------------------------------------------------------------------


def test_updates_need_flag_and_token(tmp_path: Path) -> None:
    token = "t0ken-" + "x" * 20
    (tmp_path / "token").write_text(token + "\n")
    with running_server(["--allow-update", "--token-file", str(tmp_path / "token")],
                        global_args=("--data-dir", str(tmp_path / "data"))) as url:
        update = 'INSERT DATA { rgd:test-entity rdfs:label "Added through the endpoint"@en }'
        assert_error(httpx.post(url + "/sparql", data={"update": update}), 403)
        assert_error(httpx.post(url + "/sparql", data={"update": update},
                                headers={"Authorization": "Bearer wrong-token-wrong-token"}), 403)
        ok = httpx.post(url + "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 204, ok.text
        ask = httpx.get(url + "/sparql", params={"query": "ASK { rgd:test-entity rdfs:label ?l }"})
        assert ask.json()["boolean"] is True
        bad = httpx.post(url + "/sparql", data={"update": "INSERT DATA { oops"},
                         headers={"Authorization": f"Bearer {token}"})
        assert_error(bad, 400)
        gsp = httpx.post(url + "/store?default", content=b"<urn:a> <urn:b> <urn:c> .",
                         headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {token}"})
        assert gsp.status_code == 204
        assert httpx.get(url + "/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()["boolean"]
    manifest = json.loads((tmp_path / "data" / "current.json").read_text())
    assert manifest["build"]  # a new build was published through the store's write path


# -- the command ---------------------------------------------------------------------------------------------


def test_serve_refuses_updates_without_token_and_prints_loopback_url(tmp_path: Path) -> None:
    import io

    from recruitgraph.cli import main

    err = io.StringIO()
    assert main(["--memory", "serve", "--allow-update"], stdout=io.StringIO(), stderr=err) == 2
    assert "--token-file" in err.getvalue()
    (tmp_path / "short").write_text("abc\n")
    err = io.StringIO()
    assert main(["serve", "--allow-update", "--token-file", str(tmp_path / "short")],
                stdout=io.StringIO(), stderr=err) == 2
    assert "at least 16 characters" in err.getvalue()
    # the default host is loopback: running_server only accepts a printed http://127.0.0.1:PORT/
    with running_server() as url:
        assert url.startswith("http://127.0.0.1:")


def test_figures_read_as_a_person_would_say_them() -> None:
    from recruitgraph.server.sitedata import figure_phrase

    v = "https://w3id.org/recruitgraph/vocab/"
    names = {v + "cmp-more-than": "more than", v + "cmp-tens-of-thousands": "tens of thousands",
             v + "cmp-roughly": "roughly"}
    # the source: "more than 160,000 confirmed ... deaths", "tens of thousands fled",
    # "roughly $50,000 in bonuses", "a limited mobilization of 300,000 men"
    assert figure_phrase(v + "cmp-more-than", "160000", v + "unit-person", names) == "more than 160,000 people"
    assert figure_phrase(v + "cmp-tens-of-thousands", "", v + "unit-person", names) == "tens of thousands of people"
    assert figure_phrase(v + "cmp-roughly", "50000", v + "unit-usd", names) == "roughly $50,000"
    assert figure_phrase(v + "cmp-exactly", "300000", v + "unit-person", names) == "300,000 people"


def test_shared_query_link_reopens_with_the_country_chosen(base: str) -> None:
    resp = httpx.get(f"{base}/query", params={"name": "trafficked-nationals", "country": "rgd:nepal", "run": "1"})
    assert resp.status_code == 200
    assert re.search(r'<option value="https://w3id.org/recruitgraph/id/nepal"\s+selected>Nepal</option>', resp.text)


def test_a_figure_page_is_titled_by_what_it_says(base: str) -> None:
    # line 11 of the source: Mediazona counts more than 160,000 confirmed deaths of Russian soldiers
    resp = httpx.get(f"{base}/id/fig-mediazona-confirmed-deaths", headers={"Accept": "text/html"})
    assert resp.status_code == 200
    title = re.search(r"<h1[^>]*>(.*?)</h1>", resp.text, re.S)
    assert title and " ".join(title.group(1).split()) == (
        "more than 160,000 Russian military deaths confirmed through open-source records (Mediazona)"
    )
