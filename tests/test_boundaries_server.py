"""The server's limits, each at its boundary: rows of SELECT, CONSTRUCT and DESCRIBE answers
(the limit itself passes, one more is refused), the request body (the limit passes, one byte
more is a 413, with and without Content-Length), LOAD refused in updates, and an entity page
answering 406 to an Accept it cannot serve. Written against HTTP only, on a real server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from serve_process import running_server

MAX_ROWS = 50
MAX_BODY = 2_000
TOKEN = "boundary-" + "t" * 24
NEPAL = "https://w3id.org/recruitgraph/id/nepal"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server(["--max-rows", str(MAX_ROWS), "--max-body", str(MAX_BODY)]) as url:
        yield url


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("writable")
    (home / "token").write_text(TOKEN + "\n")
    with running_server(["--allow-update", "--token-file", str(home / "token")],
                        global_args=("--data-dir", str(home / "data"))) as url:
        yield url


def refused(resp: httpx.Response, status: int) -> str:
    """The error's detail, after checking the status and the JSON error shape."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    return str(resp.json()["error"]["detail"])


def sparql(base: str, query: str, accept: str) -> httpx.Response:
    return httpx.get(base + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=60)


def ntriples(resp: httpx.Response) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [line for line in resp.text.splitlines() if line.strip()]


def test_select_row_limit_at_and_past_the_boundary(base: str) -> None:
    json = "application/sparql-results+json"
    at = sparql(base, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}", json)
    assert at.status_code == 200 and len(at.json()["results"]["bindings"]) == MAX_ROWS
    past = sparql(base, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS + 1}", json)
    assert str(MAX_ROWS) in refused(past, 400)


def test_construct_row_limit_at_and_past_the_boundary(base: str) -> None:
    nt = "application/n-triples"
    at = sparql(base, f"CONSTRUCT WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}", nt)
    assert len(ntriples(at)) == MAX_ROWS
    past = sparql(base, f"CONSTRUCT WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS + 1}", nt)
    assert str(MAX_ROWS) in refused(past, 400)


def test_describe_row_limit(base: str) -> None:
    nt = "application/n-triples"
    # what DESCRIBE gives for one entity is below the limit: served whole
    own = ntriples(sparql(base, f"CONSTRUCT WHERE {{ <{NEPAL}> ?p ?o }}", nt))
    assert 0 < len(own) < MAX_ROWS
    described = ntriples(sparql(base, f"DESCRIBE <{NEPAL}>", nt))
    assert sorted(described) == sorted(own)
    # every subject's description is far past it: refused, naming the limit
    assert str(MAX_ROWS) in refused(sparql(base, "DESCRIBE ?s WHERE { ?s ?p ?o }", nt), 400)


def padded(size: int) -> bytes:
    """A valid query of exactly ``size`` bytes (padded with a comment)."""
    head = b"ASK { ?s ?p ?o } #"
    return head + b"x" * (size - len(head))


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_body_limit_at_and_one_byte_past(base: str, chunked: bool) -> None:
    def send(body: bytes) -> httpx.Response:
        content: bytes | Iterator[bytes] = body
        if chunked:  # no Content-Length: the limit holds while reading
            content = iter([body[: len(body) // 2], body[len(body) // 2 :]])
        return httpx.post(base + "/sparql", content=content,
                          headers={"Content-Type": "application/sparql-query"})

    at = send(padded(MAX_BODY))
    assert at.status_code == 200, at.text
    assert at.json()["boolean"] is True
    assert str(MAX_BODY) in refused(send(padded(MAX_BODY + 1)), 413)


@pytest.mark.parametrize("accept", ["image/png", "application/pdf", "text/csv"])
def test_entity_page_answers_406_to_an_accept_it_cannot_serve(base: str, accept: str) -> None:
    refused(httpx.get(base + "/id/nepal", headers={"Accept": accept}), 406)
    assert httpx.get(base + "/id/nepal", headers={"Accept": "text/turtle"}).status_code == 200


@pytest.mark.parametrize("update", [
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "load silent <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:g>",
    'INSERT DATA { <urn:refused> <urn:p> "c" } ; LOAD <file:///etc/passwd>',
])
def test_load_is_refused_in_updates(writable: str, update: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    detail = refused(httpx.post(writable + "/sparql", data={"update": update}, headers=auth), 400)
    assert "LOAD" in detail
    # nothing of a refused update is applied, while an allowed one is (the token is right)
    ask = httpx.get(writable + "/sparql", params={"query": "ASK { <urn:refused> ?p ?o }"})
    assert ask.json()["boolean"] is False
    marker = 'INSERT DATA { <urn:allowed> <urn:p> "x" }'
    r = httpx.post(writable + "/sparql", data={"update": marker}, headers=auth)
    assert r.status_code == 204, r.text
