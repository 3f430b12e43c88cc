"""What a worker does with one job, called in this process on a small store made here.

The server runs :func:`recruitgraph.server.workers.run_job` in worker processes
(test_server_protocol.py and test_boundaries_server.py check it over HTTP); these tests call it
directly, so that each limit and refusal is pinned down at its boundary and mutation testing can
see the code (docs/mutation-report.md).
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from recruitgraph.server import workers
from recruitgraph.server.workers import Job, StoreSpec, result_json, run_job
from support import rows_of

EX = "http://example.org/"


@pytest.fixture()
def store() -> ox.Store:
    """Five people, each with a name: five rows of ?p ?name, ten triples in all."""
    s = ox.Store()
    for i in range(5):
        person = ox.NamedNode(f"{EX}p{i}")
        s.add(ox.Quad(person, ox.NamedNode(f"{EX}name"), ox.Literal(f"Person {i}"), ox.DefaultGraph()))
        s.add(ox.Quad(person, ox.NamedNode(f"{EX}age"), ox.Literal(str(20 + i), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), ox.DefaultGraph()))
    return s


SELECT = f"SELECT ?p ?name WHERE {{ ?p <{EX}name> ?name }} ORDER BY ?p"
CONSTRUCT = f"CONSTRUCT WHERE {{ ?p <{EX}name> ?name }}"
DESCRIBE = f"DESCRIBE <{EX}p0> <{EX}p1>"


@pytest.mark.parametrize(("text", "count"), [(SELECT, 5), (CONSTRUCT, 5), (DESCRIBE, 4)])
def test_the_row_limit_holds_at_its_boundary(store: ox.Store, text: str, count: int) -> None:
    fmt = "json" if text is SELECT else "ntriples"
    at_limit = run_job(store, Job(text, fmt, max_rows=count))
    assert at_limit.error is None and at_limit.rows == count and at_limit.fmt == fmt
    over = run_job(store, Job(text, fmt, max_rows=count - 1))
    assert over.error == (400, "Too many results",
                          f"the answer has more than {count - 1} rows, the server's limit; "
                          "add a LIMIT or narrow the query")
    assert over.body == b""


def test_a_select_answer_is_written_by_the_worker(store: ox.Store) -> None:
    out = run_job(store, Job(SELECT, "json", max_rows=10))
    assert rows_of(out) == [{"p": f"{EX}p{i}", "name": f"Person {i}"} for i in range(5)]
    assert (out.rows, out.error, out.retire) == (5, None, False)


def test_bindings_are_rdf_terms(store: ox.Store) -> None:
    text = f"SELECT ?p ?name WHERE {{ ?p <{EX}name> ?name }}"  # pyoxigraph binds projected variables
    out = run_job(store, Job(text, "json", max_rows=10, bindings=(("p", f"<{EX}p3>"),)))
    assert rows_of(out) == [{"p": f"{EX}p3", "name": "Person 3"}]
    # a literal bound where an IRI would match: no row, and nothing pasted into the text
    out = run_job(store, Job(text, "json", max_rows=10, bindings=(("p", '"p3"'),)))
    assert rows_of(out) == []


def test_the_format_is_negotiated_once_the_kind_is_known(store: ox.Store) -> None:
    out = run_job(store, Job(CONSTRUCT, "", max_rows=10, accept="application/n-triples"))
    assert out.fmt == "ntriples" and out.body.count(b"\n") == 5
    out = run_job(store, Job(SELECT, "", max_rows=10, accept="text/csv"))
    assert out.fmt == "csv" and out.body.decode().splitlines()[0] == "p,name"
    out = run_job(store, Job(SELECT, "", max_rows=10, override="tsv", accept="text/csv"))
    assert out.fmt == "tsv"
    refused = run_job(store, Job(SELECT, "", max_rows=10, override="turtle"))
    assert refused.error is not None and refused.error[:2] == (406, "Not acceptable")
    # a format fixed by the caller that does not fit the answer
    wrong = run_job(store, Job(SELECT, "turtle", max_rows=10))
    assert wrong.error is not None and wrong.error[:2] == (406, "Not acceptable")


@pytest.mark.parametrize(("text", "operation", "title"), [
    (f"SELECT * WHERE {{ SERVICE <{EX}sparql> {{ ?s ?p ?o }} }}", "query", "SERVICE refused"),
    (f"LOAD <{EX}data.ttl>", "update", "LOAD refused"),
    (f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}", "query", "Update sent as a query"),
    ("SELECT * WHERE { ?s ?p ?o ", "query", "Malformed query"),
    ("SELECT * WHERE { ?s ?p ?o }\r", "query", "Carriage return in the text"),
])
def test_refused_before_anything_runs(store: ox.Store, text: str, operation: str, title: str) -> None:
    before = len(store)
    out = run_job(store, Job(text, "json", max_rows=10, operation=operation))
    assert out.error is not None and out.error[:2] == (400, title)
    assert len(store) == before


def test_without_the_check_a_syntax_error_is_still_a_400_with_its_place(store: ox.Store) -> None:
    out = run_job(store, Job("SELECT * WHERE { ?s ?p }", "json", max_rows=10, check=False))
    assert out.error is not None and out.error[:2] == (400, "Malformed query")
    assert out.error[2].startswith("SPARQL syntax error at line 1, column")


def test_a_dataset_given_twice_or_not_applicable_is_refused() -> None:
    holder = workers._StoreHolder(StoreSpec(memory=False, data_dir="/nonexistent", role="update"))
    own = run_job(holder, Job(f"WITH <{EX}g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", "", max_rows=1,
                              operation="update", default_graphs=(f"{EX}g",)))
    assert own.error is not None and own.error[:2] == (400, "Dataset given twice")
    data = run_job(holder, Job(f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}", "", max_rows=1,
                               operation="update", named_graphs=(f"{EX}g",)))
    assert data.error is not None and data.error[:2] == (400, "Dataset not applicable")


def test_checked_texts_are_remembered_up_to_a_bound(store: ox.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "_CHECKED", type(workers._CHECKED)())
    monkeypatch.setattr(workers, "_CHECKED_MAX", 3)
    texts = [f"SELECT ?x{i} WHERE {{ ?x{i} ?p ?o }} LIMIT 1" for i in range(5)]
    for text in texts:
        assert run_job(store, Job(text, "json", max_rows=10)).error is None
    # the oldest are forgotten first
    assert [key[0] for key in workers._CHECKED] == texts[2:]


def test_result_json_reads_the_workers_answer(store: ox.Store) -> None:
    data = result_json(run_job(store, Job(SELECT, "json", max_rows=10)))
    assert data["head"]["vars"] == ["p", "name"] and len(data["results"]["bindings"]) == 5


def test_a_worker_answers_from_the_store_its_spec_opens_and_says_which() -> None:
    holder = workers._StoreHolder(StoreSpec(memory=True))
    assert (holder.mode, holder.store) == ("memory", None)  # nothing is opened before the first job
    out = run_job(holder, Job("ASK { <https://w3id.org/recruitgraph/id/russia-recruitment-2026-01> a ?t }",
                              "json", max_rows=10))
    assert out.error is None and json.loads(out.body)["boolean"] is True
    assert (out.store, out.fmt, out.rows) == ("memory", "json", 1)
    first = holder.store
    run_job(holder, Job("ASK { ?s ?p ?o }", "json", max_rows=10))
    assert holder.store is first  # opened once, then kept
    assert workers._StoreHolder(StoreSpec(memory=False, data_dir="/nonexistent")).mode == "disk"
