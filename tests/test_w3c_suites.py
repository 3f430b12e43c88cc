"""The W3C SPARQL 1.1 Protocol suite (34 tests) and Graph Store Protocol indirect-identification
suite (9 tests), driven by their manifests in ``../shared/w3c/`` (read here at run time, never
copied into the repository; a missing manifest fails the run).

Each test runs against ``recruitgraph serve --allow-update`` on a scratch store whose named
graphs hold the suite's four data graphs (reloaded before each test, since update tests clear
the store); each protocol test made only of queries also runs against a read-only server on the
same store. Paths of the manifests (``/sparql/``, ``/gsp``) become this server's ``/sparql`` and
``/store``; the server's token is added to every request (the suites do not model auth).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib import RDF, Namespace
from rdflib.collection import Collection

from serve_process import running_server

W3C = Path(__file__).resolve().parents[2] / "shared" / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
KASEI = "http://kasei.us/2009/09/sparql/data/data{}.rdf"
TOKEN = "w3c-suite-token-" + "w" * 20

#: hts: status names -> the statuses they allow.
STATUS = {"OK": {200}, "Created": {201}, "NoContent": {204}, "NotFound": {404}, "BadRequest": {400}}


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: set[int]
    boolean: bool | None = None
    result_format: str | None = None
    location_template: bool = False


@dataclass
class Case:
    name: str
    calls: list[Call] = field(default_factory=list)

    @property
    def queries_only(self) -> bool:
        return all("update" not in c.path and "update" not in (c.body or "")[:7].lower()
                   and "sparql-update" not in c.headers.get("content-type", "")
                   and c.method in ("GET", "POST") for c in self.calls)


def _statuses(graph: rdflib.Graph, resp: rdflib.term.Node) -> set[int]:
    allowed: set[int] = set()
    for code in graph.objects(resp, MF.expectedStatus):
        name = str(code).rsplit("#", 1)[-1]
        match = re.fullmatch(r"StatusCode(\d)xx", name)
        allowed |= set(range(int(match.group(1)) * 100, int(match.group(1)) * 100 + 100)) if match else STATUS[name]
    return allowed


def load_cases(manifest: Path) -> list[Case]:
    """The tests of a manifest, in its order (a missing file raises: the suite fails)."""
    graph = rdflib.Graph().parse(data=manifest.read_text(encoding="utf-8"), format="turtle",
                                 publicID=manifest.as_uri())
    root = next(graph.subjects(RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(graph, next(graph.objects(root, MF.entries))):
        case = Case(str(graph.value(entry, MF.name)))
        action = graph.value(entry, MF.action)
        for req in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            for header in Collection(graph, graph.value(req, HT.headers) or RDF.nil):
                headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
            body = graph.value(req, HT.body)
            resp = graph.value(req, HT.resp)
            boolean = graph.value(resp, MF.expectedBoolean)
            case.calls.append(Call(
                method=str(graph.value(req, HT.methodName)),
                path=str(graph.value(req, HT.absolutePath)),
                headers=headers,
                body=str(graph.value(body, CNT.chars)) if body is not None else None,
                statuses=_statuses(graph, resp),
                boolean=None if boolean is None else boolean.toPython(),
                result_format=str(graph.value(resp, MF.expectedFormat) or "") or None,
                location_template=graph.value(resp, MF.expectedLocation) is not None,
            ))
        cases.append(case)
    return cases


PROTOCOL = load_cases(W3C / "protocol-manifest.ttl")
GSP = load_cases(W3C / "gsp-manifest-indirect.ttl")


def test_the_manifests_hold_the_whole_suites() -> None:
    assert len(PROTOCOL) == 34
    assert len(GSP) == 9


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("w3c")
    (tmp / "token").write_text(TOKEN + "\n")
    return tmp


@pytest.fixture(scope="module")
def writable(store: Path) -> Iterator[str]:
    with running_server(["--allow-update", "--token-file", str(store / "token")],
                        global_args=("--data-dir", str(store / "data"))) as url:
        yield url


@pytest.fixture(scope="module")
def read_only(store: Path, writable: str) -> Iterator[str]:
    with running_server(global_args=("--data-dir", str(store / "data"))) as url:
        yield url


def load_data_graphs(url: str) -> None:
    for n in range(4):
        resp = httpx.put(url + "/store", params={"graph": KASEI.format(n)}, content=(W3C / f"data{n}.nt").read_bytes(),
                         headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"},
                         timeout=60)
        assert resp.status_code in (201, 204), resp.text


def run_case(url: str, case: Case) -> None:
    location = ""
    with httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        for number, call in enumerate(case.calls, start=1):
            path = call.path.replace("$LOCATION$", httpx.QueryParams({"x": location}).get("x") or "")
            path = re.sub(r"^/sparql/", "/sparql", path)
            path = re.sub(r"^/gsp", "/store", path)
            if "$LOCATION$" in call.path:
                path = "/store?" + str(httpx.QueryParams({"graph": location}))
            resp = client.request(call.method, path, headers=call.headers,
                                  content=call.body.encode("utf-8") if call.body is not None else None)
            where = f"{case.name}, request {number}: {call.method} {path} -> {resp.status_code} {resp.text[:300]}"
            assert resp.status_code in call.statuses, where
            if call.location_template:
                location = resp.headers["location"]
            media = resp.headers.get("content-type", "")
            if call.boolean is not None:
                assert media.startswith(("application/sparql-results+json", "application/sparql-results+xml")), where
                value = resp.json()["boolean"] if "json" in media else "<boolean>true" in resp.text
                assert value is call.boolean, where
            if call.result_format == "tabular":
                assert media.startswith(("application/sparql-results", "text/csv", "text/tab-separated")), where
            if call.result_format == "RDF":
                assert media.startswith(("text/turtle", "application/rdf+xml", "application/n-triples",
                                         "application/ld+json")), where


@pytest.mark.parametrize("case", PROTOCOL, ids=[c.name for c in PROTOCOL])
def test_protocol(writable: str, case: Case) -> None:
    load_data_graphs(writable)
    run_case(writable, case)


@pytest.mark.parametrize("case", [c for c in PROTOCOL if c.queries_only],
                         ids=[c.name for c in PROTOCOL if c.queries_only])
def test_protocol_read_only(writable: str, read_only: str, case: Case) -> None:
    load_data_graphs(writable)
    run_case(read_only, case)


@pytest.mark.parametrize("case", GSP, ids=[c.name for c in GSP])
def test_graph_store_indirect(writable: str, case: Case) -> None:
    # each test of the suite starts from a graph store without its graphs
    resp = httpx.post(writable + "/sparql", data={"update": "DROP SILENT NAMED"},
                      headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert resp.status_code == 204, resp.text
    run_case(writable, case)
