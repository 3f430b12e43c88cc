"""Fuzzing ``recruitgraph serve`` with hostile SPARQL, headers and paths (issue 13).

Hypothesis draws a bounded, seeded number of requests (derandomised: the same cases every run)
from pieces attackers use: SERVICE and LOAD behind comments and escapes, runaway joins, deep
nesting, memory bombs, broken escapes in paths, odd Accept and Content-Type headers, non-ASCII
tokens. After every case: no 5xx except 503 (a limit), the health route answers within a second,
and no connection ever reached the listener standing in for another host.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servers import Listener

CASES = 120  # bounded: the run takes a few minutes at most


LISTENER = Listener()
TARGET = f"<http://127.0.0.1:{LISTENER.port}/sparql>"

PIECES = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "*", "?s", "?p", "?o", "?x", "{", "}", "(", ")",
    "[", "]", ".", ";", ",", "SERVICE", "SERVICE SILENT", TARGET, "LOAD", "INSERT", "DELETE", "DATA",
    "GRAPH", "FILTER", "BIND", "AS", "CONCAT(?x, ?x)", "VALUES ?x { 1 2 3 }", "OPTIONAL", "UNION",
    "MINUS", "EXISTS", "NOT", "COUNT(*)", "GROUP BY", "ORDER BY", "LIMIT 1", "rgd:nepal", "rg:Figure",
    "rgd:x\\#", "#c\r", "#c\n", '"SERVICE"', "'''x'''", '"\\u0000"', "<javascript:alert(1)>", "a",
    "REGEX(?x, \"(a+)+$\")", "?a ?b ?c . ?d ?e ?f . ?g ?h ?i", "PREFIX x: <http://x/>", "BASE <http://b/>",
    "\u0000", "\ufeff", "é", "\\", "%", "<", ">",
]
sparql = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map(" ".join),
    st.text(max_size=200),
    st.integers(min_value=1, max_value=6000).map(lambda n: "SELECT * WHERE " + "{" * n + "}" * n),
)
header_value = st.one_of(
    st.sampled_from(["*/*", "text/*", "application/sparql-results+json;q=0, */*", "text/html", "image/png",
                     "application/sparql-query; charset=UTF-16", "multipart/form-data; boundary=x",
                     "application/x-www-form-urlencoded", "Bearer " + "x" * 30, ";;;q=abc", ""]),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=80),
)
segment = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7e, exclude_characters="?#%/"),
            max_size=30),
    st.binary(max_size=12).map(lambda b: "".join(f"%{c:02x}" for c in b)),
)
path = st.one_of(
    st.tuples(st.sampled_from(["/id/", "/downloads/", "/graph/entity/", "/static/", "/"]), segment)
    .map(lambda t: t[0] + t[1]),
    st.tuples(st.sampled_from(["/query?name=", "/store?graph=", "/pipelines?pipeline=", "/timeline?figure="]),
              st.text(max_size=40)).map(lambda t: t[0] + quote(t[1], safe="")),
)


@pytest.fixture(scope="module")
def base(hardened_server: str) -> str:
    return hardened_server


def check(base: str, resp: httpx.Response | None) -> None:
    if resp is not None:
        assert resp.status_code < 500 or resp.status_code == 503, (resp.status_code, resp.text[:500])
        assert "Traceback" not in resp.text
    started = time.monotonic()
    assert httpx.get(base + "/health", timeout=5).status_code == 200
    assert time.monotonic() - started < 1.0
    assert LISTENER.connections == 0, "the server contacted another host"


def send(method: str, url: str, **kwargs: object) -> httpx.Response | None:
    try:
        return httpx.request(method, url, timeout=60, **kwargs)  # type: ignore[arg-type]
    except (httpx.InvalidURL, httpx.LocalProtocolError, UnicodeEncodeError):
        return None  # the client would not send it: nothing reached the server


@settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=sparql, accept=header_value, content_type=header_value, how=st.sampled_from(["get", "form", "direct",
                                                                                           "update"]))
def test_hostile_sparql_and_headers(base: str, query: str, accept: str, content_type: str, how: str) -> None:
    headers = {"Accept": accept}
    if how == "get":
        resp = send("GET", base + "/sparql", params={"query": query}, headers=headers)
    elif how == "form":
        resp = send("POST", base + "/sparql", data={"query": query}, headers=headers)
    elif how == "update":
        resp = send("POST", base + "/sparql", data={"update": query},
                    headers={**headers, "Authorization": content_type})
    else:
        resp = send("POST", base + "/sparql", content=query.encode("utf-8", "surrogatepass"),
                    headers={**headers, "Content-Type": content_type or "application/sparql-query"})
    check(base, resp)


@settings(max_examples=CASES // 2, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(target=path, accept=header_value, host=st.sampled_from(["127.0.0.1", "localhost", "evil.example", "",
                                                               "127.0.0.1:1", "[::1]", "ünïcode"]))
def test_hostile_paths_and_hosts(base: str, target: str, accept: str, host: str) -> None:
    headers = {"Accept": accept}
    if host:
        headers["Host"] = host
    check(base, send("GET", base + target, headers=headers))
