"""Regression tests for the attacks of issue 13, one test per attack, against the real server.

Each attack is what an unauthenticated page on any site could send to a server on loopback: the
server must not contact another host, must not freeze, crash or grow, and must keep answering
everyone else. A listening socket stands in for "another host" and records every connection.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from serve_process import HARDENED_TIMEOUT, running_server
from servers import Listener

TIMEOUT = HARDENED_TIMEOUT
LABEL_Q = "SELECT ?label WHERE { rgd:nepal rdfs:label ?label }"


@pytest.fixture()
def listener() -> Iterator[Listener]:
    target = Listener()
    yield target
    target.close()


@pytest.fixture(scope="module")
def base(hardened_server: str) -> str:
    return hardened_server


def healthy(base: str) -> None:
    """The server answers its health route and a page within a second, and queries again soon."""
    for path in ("/health", "/robots.txt"):
        started = time.monotonic()
        assert httpx.get(base + path, timeout=5).status_code == 200
        assert time.monotonic() - started < 1.0, path
    # killed workers are replaced: queries are answered again (503 only while they start)
    deadline = time.monotonic() + 60
    while (status := httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code) == 503:
        assert time.monotonic() < deadline, "the query workers did not come back"
        time.sleep(0.5)
    assert status == 200


def settled(base: str) -> None:
    """Wait until killed workers have been replaced (spares included), so a test starts clean."""
    deadline = time.monotonic() + 90
    while True:
        status = httpx.get(base + "/health", timeout=5).json()
        if status["spares"] == 2 and all(lane["idle"] == lane["workers"] for lane in status["lanes"].values()):
            return
        assert time.monotonic() < deadline, status
        time.sleep(0.5)


def refused_without_contact(base: str, listener: Listener, query: str) -> httpx.Response:
    resp = httpx.get(base + "/sparql", params={"query": query}, timeout=30)
    time.sleep(0.2)  # a connection attempt, if any, has reached the listener
    assert listener.connections == 0, "the server contacted another host"
    assert 400 <= resp.status_code < 500, resp.text
    healthy(base)
    return resp


# -- SERVICE: refused from the parse, and the worker has no network anyway ---------------------------


def test_service_after_a_comment_ended_by_carriage_return(base: str, listener: Listener) -> None:
    query = f"SELECT * WHERE {{ #c\rSERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    refused_without_contact(base, listener, query)


def test_service_after_an_escaped_prefixed_name(base: str, listener: Listener) -> None:
    query = f"SELECT * WHERE {{ VALUES ?a {{ rgd:x\\# }} SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    refused_without_contact(base, listener, query)


def test_plain_service_is_refused_by_the_parser(base: str, listener: Listener) -> None:
    resp = refused_without_contact(base, listener, f"SELECT * {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}")
    assert resp.json()["error"]["title"] == "SERVICE refused"


def test_service_hidden_in_exists_and_subquery(base: str, listener: Listener) -> None:
    query = (f"SELECT * {{ {{ SELECT ?s {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{listener.url}> "
             "{ ?s ?p ?o } } } LIMIT 1 } }")
    resp = refused_without_contact(base, listener, query)
    assert resp.json()["error"]["title"] == "SERVICE refused"


def test_service_to_the_server_itself_does_not_deadlock(base: str) -> None:
    resp = httpx.get(base + "/sparql", params={"query": f"SELECT * {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}"},
                     timeout=30)
    assert resp.status_code == 400
    healthy(base)


def test_service_with_a_variable_endpoint(base: str, listener: Listener) -> None:
    query = f'SELECT * {{ BIND(<{listener.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}'
    refused_without_contact(base, listener, query)


# -- work that used to run in the server process ------------------------------------------------------


def _values_bomb() -> str:
    values = " ".join(f'"{i}"' for i in range(1000))
    return ("SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?{v} {{ {values} }}" for v in "abc") + " }")


def test_values_cross_product_runs_in_a_worker_and_is_stopped(base: str) -> None:
    query = _values_bomb()
    assert len(query) > 12_000
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(httpx.get, base + "/sparql", params={"query": query}, timeout=60)
        time.sleep(0.3)
        healthy(base)  # every route answers while the bomb runs
        resp = future.result()
    assert resp.status_code == 503, resp.text
    assert "limit" in resp.json()["error"]["detail"]
    healthy(base)


def test_doubling_concat_hits_the_memory_limit(base: str) -> None:
    binds = ['BIND("0123456789abcdef" AS ?v0)']
    binds += [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(32)]
    query = "SELECT (STRLEN(?v32) AS ?n) WHERE { " + " ".join(binds) + " }"
    assert len(query) < 1200
    resp = httpx.get(base + "/sparql", params={"query": query}, timeout=60)
    assert resp.status_code == 503, resp.text
    healthy(base)


def test_thousands_of_nested_braces_are_refused_before_parsing(base: str) -> None:
    query = "SELECT * WHERE " + "{" * 4000 + " ?s ?p ?o " + "}" * 4000
    resp = httpx.post(base + "/sparql", content=query.encode(), timeout=30,
                      headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 400
    assert resp.json()["error"]["title"] == "Query nested too deeply"
    healthy(base)


def test_nested_expressions_in_parentheses_are_refused_too(base: str) -> None:
    query = "SELECT * WHERE { BIND(" + "(" * 3000 + "1" + ")" * 3000 + " AS ?x) }"
    resp = httpx.post(base + "/sparql", data={"query": query}, timeout=30)
    assert resp.status_code == 400
    healthy(base)


# -- the queue -------------------------------------------------------------------------------------------

SLOW_Q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _from(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60)


def test_time_in_the_queue_counts_toward_the_limit(base: str) -> None:
    settled(base)
    with ThreadPoolExecutor(4) as pool:
        started = time.monotonic()
        answers = list(pool.map(lambda _: httpx.get(base + "/sparql", params={"query": SLOW_Q}, timeout=60),
                                range(4)))
        elapsed = time.monotonic() - started
    assert [r.status_code for r in answers] == [503] * 4
    # two workers, four runaway queries: the waiting two are answered at the limit, not after 2x
    assert elapsed < TIMEOUT * 1.5 + 1.0, elapsed
    healthy(base)


def test_a_client_flooding_the_queue_does_not_starve_another(base: str) -> None:
    settled(base)
    flooder, other = _from("127.0.0.2"), _from("127.0.0.3")
    with flooder, other, ThreadPoolExecutor(10) as pool:
        flood = [pool.submit(flooder.get, base + "/sparql", params={"query": SLOW_Q}) for _ in range(8)]
        time.sleep(1.5)
        started = time.monotonic()
        mine = other.get(base + "/sparql", params={"query": LABEL_Q})
        waited = time.monotonic() - started
        statuses = [f.result().status_code for f in flood]
    assert mine.status_code == 200 and "Nepal" in mine.text, mine.text
    # served at the first free worker (when a runaway query is stopped), ahead of the flood's queue
    assert waited < TIMEOUT + 1.0, waited
    assert statuses.count(503) == 8
    # the flooder could only queue a few: the rest were refused at once
    assert any("waiting" in f.result().json()["error"]["title"].lower() for f in flood)


def test_named_queries_have_their_own_workers(base: str) -> None:
    settled(base)
    assert httpx.get(base + "/query", params={"name": "countries", "format": "json"}, timeout=60).status_code == 200
    with ThreadPoolExecutor(4) as pool:
        runaway = [pool.submit(httpx.get, base + "/sparql", params={"query": SLOW_Q}, timeout=60) for _ in range(2)]
        time.sleep(0.3)
        started = time.monotonic()
        named = httpx.get(base + "/query", params={"name": "countries", "format": "json"}, timeout=60)
        waited = time.monotonic() - started
        [f.result() for f in runaway]
    assert named.status_code == 200 and named.json()["results"]["bindings"]
    assert waited < 1.5, waited


# -- updates (token holders) -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("updates")
    token = "attack-token-" + "y" * 20
    (tmp / "token").write_text(token + "\n")
    with running_server(["--allow-update", "--token-file", str(tmp / "token"), "--query-timeout", str(TIMEOUT)],
                        global_args=("--data-dir", str(tmp / "data"))) as url:
        yield url, {"Authorization": f"Bearer {token}"}


def _update(url: str, auth: dict[str, str], text: str) -> httpx.Response:
    return httpx.post(url + "/sparql", data={"update": text}, headers=auth, timeout=60)


@pytest.mark.parametrize(("update", "title"), [
    ("#c\rLOAD <{url}>", None),  # a comment ended by a carriage return hides nothing
    ("LOAD SILENT <{url}> INTO GRAPH <urn:g>", "LOAD refused"),
    ("INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "SERVICE refused"),
])
def test_updates_that_would_reach_another_host_are_refused(
        writable: tuple[str, dict[str, str]], listener: Listener, update: str, title: str | None) -> None:
    url, auth = writable
    resp = _update(url, auth, update.format(url=listener.url))
    time.sleep(0.2)
    assert listener.connections == 0
    assert resp.status_code == 400
    if title is not None:
        assert resp.json()["error"]["title"] == title


def test_runaway_update_is_stopped_and_releases_the_write_lock(writable: tuple[str, dict[str, str]]) -> None:
    url, auth = writable
    # over the named graphs, where the shipped data lives (an update's WHERE reads the store's own
    # default graph, not the union queries see)
    runaway = ('INSERT { <urn:x> <urn:count> ?n } WHERE { SELECT (COUNT(*) AS ?n) '
               "WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } } }")
    started = time.monotonic()
    resp = _update(url, auth, runaway)
    assert resp.status_code == 503, resp.text
    assert time.monotonic() - started < TIMEOUT + 5
    # the lock holder was killed: the next update gets the lock and is published
    ok = _update(url, auth, 'INSERT DATA { <urn:after> <urn:p> "after the runaway" }')
    assert ok.status_code == 204, ok.text
    ask = httpx.get(url + "/sparql", params={"query": "ASK { <urn:after> <urn:p> ?o }"}, timeout=30)
    assert ask.json()["boolean"] is True


def test_worker_cannot_open_network_sockets() -> None:
    """The second wall, checked directly: the sandbox of a worker process refuses AF_INET sockets."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        assert pool.apply(_try_socket_in_sandbox) == "refused"


def _try_socket_in_sandbox() -> str:
    from recruitgraph.server import sandbox

    assert sandbox.forbid_network(), "libseccomp is needed for the worker sandbox"
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        a, b = socket.socketpair()  # the pipe to the server still works
        a.close()
        b.close()
        return "refused"
    return "opened"


# -- hosts, paths, headers, connections, links -------------------------------------------------------------


def _raw(base: str, request: bytes) -> bytes:
    """Send raw bytes (headers httpx would refuse to send) and read the whole answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_dns_rebinding_host_is_refused(base: str) -> None:
    resp = httpx.get(base + "/sparql", params={"query": "ASK {}"}, headers={"Host": "attacker.example"})
    assert resp.status_code == 400 and resp.json()["error"]["title"] == "Unknown host"
    assert httpx.get(base + "/", headers={"Host": "attacker.example:80"}).status_code == 400


def test_loopback_names_are_accepted_and_never_reflected(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    for host in (f"localhost:{port}", f"[::1]:{port}"):
        void = httpx.get(base + "/downloads/void.ttl", headers={"Host": host}, timeout=30)
        sd = httpx.get(base + "/sparql", headers={"Host": host, "Accept": "text/turtle"}, timeout=30)
        for resp in (void, sd):
            assert resp.status_code == 200
            assert "localhost" not in resp.text and "::1" not in resp.text
            assert base in resp.text  # the configured base, from serve's own address


def test_allow_host_and_base_url_options() -> None:
    with running_server(["--allow-host", "kg.example.org", "--base-url", "https://kg.example.org"]) as url:
        sd = httpx.get(url + "/sparql", headers={"Host": "kg.example.org", "Accept": "text/turtle"}, timeout=30)
        assert sd.status_code == 200
        assert "<https://kg.example.org/sparql>" in sd.text and "127.0.0.1" not in sd.text
        assert httpx.get(url + "/sparql", headers={"Host": "other.example.org"}).status_code == 400


def test_undecodable_entity_path_is_400(base: str) -> None:
    answer = _raw(base, b"GET /id/%ff HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b'"status": 400' in answer


def test_space_in_entity_path_is_400(base: str) -> None:
    resp = httpx.get(base + "/id/a%20b")
    assert resp.status_code == 400 and "IRI" in resp.json()["error"]["detail"]


def test_non_ascii_authorization_header_is_400(base: str) -> None:
    answer = _raw(base, "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ключ\r\n"
                        "Content-Type: application/sparql-update\r\nContent-Length: 2\r\n"
                        "Connection: close\r\n\r\n{}".encode())
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]


def test_idle_and_slow_connections_are_closed(base: str) -> None:
    host, port = base.removeprefix("http://").split(":")
    for opening in (b"", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"):  # silent; headers never finished
        with socket.create_connection((host, int(port)), timeout=15) as conn:
            conn.sendall(opening)
            started = time.monotonic()
            assert conn.recv(100) == b""  # closed by the server
            assert time.monotonic() - started < 5


def test_page_cache_is_bounded() -> None:
    from recruitgraph.server.state import CACHE_ENTRIES, ServerOptions, ServerState

    state = ServerState(ServerOptions(memory=True))
    try:
        for i in range(CACHE_ENTRIES * 2):
            assert state.cached(f"key-{i}", lambda i=i: i) == i
        assert len(state._cache) == CACHE_ENTRIES
        assert state.cached(f"key-{CACHE_ENTRIES * 2 - 1}", lambda: -1) == CACHE_ENTRIES * 2 - 1  # recent kept
    finally:
        state.close()


def test_javascript_same_as_is_not_a_link(writable: tuple[str, dict[str, str]]) -> None:
    url, auth = writable
    ok = _update(url, auth, "INSERT DATA { rgd:nepal schema:sameAs <javascript:alert(1)> , "
                            "<https://www.wikidata.org/wiki/Q837> }")
    assert ok.status_code == 204, ok.text
    page = httpx.get(url + "/id/nepal", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    assert "javascript:alert(1)" in page.text  # shown as text
    assert 'href="javascript:' not in page.text.lower()
    assert 'href="https://www.wikidata.org/wiki/Q837"' in page.text
