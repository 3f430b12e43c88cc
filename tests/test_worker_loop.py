"""The worker side of the query pool run in this process: the worker loop, updates, the store a
worker holds, and the parts of a job's evaluation that only a real store shows.

In the server this code runs in worker processes (test_worker_pool.py drives them), where
mutation testing sees nothing: mutmut switches a change on in the test process only. So these
tests run it here, on real stores, real pipes and real files: :func:`_worker_main` in a thread of
this process with a ``multiprocessing`` pipe, updates on a persistent store in a temporary
directory, and the stores a worker opens. The worker loop walls itself in as it starts: its
seccomp filter binds the thread that installs it only (Linux, without TSYNC), and its memory
ceiling (RLIMIT_AS) binds the whole process, so every test puts the ceiling back as it found it.

The stores are built from a small project of three statements (``RECRUITGRAPH_HOME``), so that
each answer can be worked out by hand and a build takes a fraction of a second.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import resource
import socket
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any

import pyoxigraph as ox
import pytest

from recruitgraph import config
from recruitgraph.exc import InputError
from recruitgraph.execute import persistent_store
from recruitgraph.server import sandbox, workers
from recruitgraph.server.updates import apply_update
from recruitgraph.server.workers import COPY_HEADROOM, Job, Outcome, StoreSpec, run_job
from support import boolean_of, rows_of

EX = "http://example.org/"
G1, G2 = f"{EX}g1", f"{EX}g2"
GIB = 1024**3
#: Memory a worker in this process may take on top of the process's size: far more than any test
#: needs, so that the ceiling never stops this process (the ceiling is checked, then lifted).
ALLOWANCE = 8 * GIB
#: How long a worker loop may take to end once its jobs are sent, before the test gives up on it
#: (a guard against a loop that never ends, not a measure of speed).
LOOP_GUARD = 120.0

#: Two statements of the small project's data, one in its ontology.
ONTOLOGY = f"<{EX}Thing> a <http://www.w3.org/2002/07/owl#Class> .\n"
DATA = f'<{EX}a> a <{EX}Thing> ; <{EX}name> "A" .\n'
ASK_A = f'ASK {{ <{EX}a> <{EX}name> "A" }}'
ASK_B = f'ASK {{ <{EX}b> <{EX}name> "B" }}'
INSERT_B = f'INSERT DATA {{ <{EX}b> <{EX}name> "B" }}'


@pytest.fixture(autouse=True)
def small_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small project as the shipped ontology and data, and a data directory no test builds a
    store in on purpose: where a worker would read or write if it ignored its spec's directory."""
    home = tmp_path / "home"
    (home / "ontology").mkdir(parents=True)
    (home / "data").mkdir()
    (home / "ontology" / "tiny.ttl").write_text(ONTOLOGY)
    (home / "data" / "things.ttl").write_text(DATA)
    monkeypatch.setenv(config.ENV_HOME, str(home))
    monkeypatch.setenv(config.ENV_DATA_DIR, str(tmp_path / "elsewhere"))
    return home


@pytest.fixture(autouse=True)
def worker_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A worker's process-wide state as this process had it: no sandbox flag, no remembered
    texts, and the memory ceiling put back after the test."""
    monkeypatch.setattr(workers, "_SANDBOXED", False)
    monkeypatch.setattr(workers, "_CHECKED", OrderedDict())
    ceiling = resource.getrlimit(resource.RLIMIT_AS)
    yield
    resource.setrlimit(resource.RLIMIT_AS, ceiling)


@pytest.fixture()
def live_store(tmp_path: Path) -> Path:
    """A persistent store with a published build of the small project."""
    path = tmp_path / "store"
    persistent = persistent_store(str(path))
    persistent.open()
    persistent.release()
    return path


def start_loop(conn: Connection, spec: StoreSpec) -> tuple[threading.Thread, list[BaseException]]:
    """The worker loop on ``conn``, running in a new thread of this process, and a list that
    receives what it raises (nothing, normally)."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            workers._worker_main(conn, spec)
        except BaseException as exc:  # handed to the test
            raised.append(exc)

    thread = threading.Thread(target=run, name="test-worker-loop", daemon=True)
    thread.start()
    return thread, raised


def converse(spec: StoreSpec, jobs: Sequence[Job | None]) -> tuple[list[Any], list[BaseException]]:
    """Run the worker loop with ``jobs`` already waiting in its pipe; return what it sent back,
    in order, and what it raised."""
    ours, theirs = mp.Pipe()
    for job in jobs:
        ours.send(job)
    thread, raised = start_loop(theirs, spec)
    thread.join(LOOP_GUARD)
    ended = not thread.is_alive()
    if not ended:
        ours.close()  # the loop sees the end of its pipe and returns
        thread.join(LOOP_GUARD)
    assert ended, "the worker loop did not end after its last job"
    sent = []
    while ours.poll():
        sent.append(ours.recv())
    ours.close()
    theirs.close()
    return sent, raised


def query(text: str, fmt: str = "json", **options: Any) -> Job:
    return Job(text, fmt, max_rows=10, **options)


def update(text: str, **options: Any) -> Job:
    return Job(text, "", max_rows=0, operation="update", **options)


def values(data_dir: Path, predicate: str, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> set[str]:
    """The objects of ``predicate`` in the live build of the store in ``data_dir`` (in ``graph``
    when given, in any graph otherwise)."""
    store = persistent_store(str(data_dir)).open()
    return {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(predicate), None, graph)
            if isinstance(q.object, ox.Literal)}


def manifest_stamp(data_dir: Path) -> int:
    return os.stat(data_dir / "current.json").st_mtime_ns


# -- the worker loop ------------------------------------------------------------------------


def test_the_loop_says_ready_answers_each_job_in_order_and_ends_on_none() -> None:
    malformed = "SELECT ?x WHERE {\n ?x ?p ?o\n} ORDER ?x"
    sent, raised = converse(StoreSpec(memory=True, memory_allowance=ALLOWANCE), [
        query(ASK_A),
        query(ASK_B),
        query(malformed),
        None,
        query(ASK_A),  # after the end: never read
    ])
    assert raised == []
    # sandboxed: libseccomp is installed wherever the tests run (`./run test` installs it)
    assert sent[0] == ("ready", True)
    assert [type(answer) for answer in sent[1:]] == [Outcome, Outcome, Outcome]
    assert (boolean_of(sent[1]), sent[1].store, sent[1].fmt, sent[1].rows) == (True, "memory", "json", 1)
    assert boolean_of(sent[2]) is False
    # the worker cannot reach the network, so the engine's own parser places the error: the BY
    # that ORDER needs, on line 3 (rdflib's message would be "Expected end of text")
    status, title, detail = sent[3].error
    assert (status, title) == (400, "Malformed query")
    assert detail.startswith("SPARQL syntax error at line 3, column ") and detail.endswith(": expected BY")


def test_the_seccomp_filter_binds_the_loops_thread_only() -> None:
    sent, raised = converse(StoreSpec(role="update", memory_allowance=ALLOWANCE), [None])
    assert (sent, raised) == ([("ready", True)], [])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM):  # this thread can still open one
        pass


def test_a_job_that_breaks_the_worker_is_answered_500_and_the_loop_goes_on() -> None:
    not_a_text = Job(None, "json", max_rows=10)  # type: ignore[arg-type]  # a parent's bug
    sent, raised = converse(StoreSpec(memory=True, memory_allowance=ALLOWANCE),
                            [not_a_text, query(ASK_A), None])
    assert raised == []
    assert sent[0] == ("ready", True)
    assert sent[1] == Outcome(error=(500, "Query failed", "TypeError: argument of type 'NoneType' is not iterable"))
    assert boolean_of(sent[2]) is True


def test_a_store_that_cannot_be_opened_is_reported_and_the_loop_ends(tmp_path: Path) -> None:
    missing = tmp_path / "missing.ttl"
    spec = StoreSpec(memory=True, extra_files=(str(missing),), memory_allowance=ALLOWANCE)
    sent, raised = converse(spec, [query(ASK_A), None])
    assert raised == []
    assert sent == [("failed", f"InputError: {missing}: no such file")]


def test_an_update_worker_opens_nothing_before_its_first_job(tmp_path: Path) -> None:
    # a query worker would build the store in a data directory that holds none
    spec = StoreSpec(memory=False, data_dir=str(tmp_path / "no-store"), role="update", memory_allowance=ALLOWANCE)
    sent, raised = converse(spec, [None])
    assert (sent, raised) == ([("ready", True)], [])
    assert not (tmp_path / "no-store").exists()


def test_the_loop_ends_when_the_parent_goes_away() -> None:
    ours, theirs = mp.Pipe()
    thread, raised = start_loop(theirs, StoreSpec(role="update", memory_allowance=ALLOWANCE))
    assert ours.poll(LOOP_GUARD) and ours.recv() == ("ready", True)
    ours.close()
    thread.join(LOOP_GUARD)
    assert not thread.is_alive() and raised == []
    theirs.close()


def ceiling_after(spec: StoreSpec) -> tuple[int, int]:
    """The memory ceiling a worker loop with ``spec`` leaves on this process, and the process's
    size just after (the ceiling is the size when the loop started plus what ``spec`` allows)."""
    sent, raised = converse(spec, [None])
    assert (sent, raised) == ([("ready", True)], [])
    return resource.getrlimit(resource.RLIMIT_AS)[0], sandbox.address_space()


#: How far this process's size may move between the worker's measure and the test's (freed
#: thread stacks and arenas): far less than any difference the tests below look for.
SIZE_DRIFT = 256 * 1024**2


def test_the_memory_ceiling_is_the_size_plus_the_allowance() -> None:
    # a copy budget without copy_to_memory reserves nothing
    spec = StoreSpec(role="update", memory_allowance=ALLOWANCE, copy_to_memory=False, copy_bytes=2**50)
    ceiling, size = ceiling_after(spec)
    assert ceiling % resource.getpagesize() == 0  # a size in pages plus an allowance in pages
    assert abs(ceiling - ALLOWANCE - size) < SIZE_DRIFT


def test_a_worker_that_copies_the_store_into_memory_reserves_the_copy_and_its_headroom() -> None:
    copy = 4 * GIB
    spec = StoreSpec(role="update", memory_allowance=ALLOWANCE, copy_to_memory=True, copy_bytes=copy)
    ceiling, size = ceiling_after(spec)
    assert abs(ceiling - (ALLOWANCE + copy + COPY_HEADROOM) - size) < SIZE_DRIFT


# -- workers started by the parent ----------------------------------------------------------


def test_a_started_worker_is_a_sandboxed_daemon_process() -> None:
    worker = workers._Worker(mp.get_context("spawn"), StoreSpec(memory=True), start_timeout=LOOP_GUARD)
    try:
        assert worker.sandboxed is True
        assert worker.process.daemon is True  # never outlives the server
        out = worker.call(query(ASK_A), timeout=LOOP_GUARD)
        assert out is not None and boolean_of(out) is True
        # a deadline already passed: no wait at all (a process cannot parse and answer a new
        # text between the send and a poll of zero seconds)
        assert worker.call(query("SELECT ?late WHERE { ?late ?p ?o }"), timeout=-5) is None
    finally:
        worker.kill()
    assert not worker.process.is_alive()


def test_a_worker_that_does_not_answer_at_once_is_given_up() -> None:
    with pytest.raises(RuntimeError) as err:
        # a new interpreter cannot start, load a store and answer before a poll of zero seconds
        workers._Worker(mp.get_context("spawn"), StoreSpec(memory=True), start_timeout=0)
    assert str(err.value) == "a query worker did not start in time"
    assert mp.active_children() == []


def test_a_worker_that_cannot_open_the_store_says_why(tmp_path: Path) -> None:
    missing = tmp_path / "missing.ttl"
    with pytest.raises(RuntimeError) as err:
        workers._Worker(mp.get_context("spawn"), StoreSpec(memory=True, extra_files=(str(missing),)),
                        start_timeout=LOOP_GUARD)
    assert str(err.value) == f"a query worker could not open the store: InputError: {missing}: no such file"
    assert mp.active_children() == []


# -- updates --------------------------------------------------------------------------------


def update_worker(data_dir: Path) -> workers._StoreHolder:
    return workers._StoreHolder(StoreSpec(memory=False, data_dir=str(data_dir), role="update"))


def test_an_update_publishes_a_new_build_with_relative_iris_resolved(live_store: Path) -> None:
    before = manifest_stamp(live_store)
    out = run_job(update_worker(live_store), update("INSERT DATA { <b> <name> 'B' }", base_iri=EX))
    assert out == Outcome()
    assert manifest_stamp(live_store) != before
    assert values(live_store, f"{EX}name") == {"A", "B"}


def test_a_malformed_update_is_placed_by_the_engine_and_publishes_nothing(live_store: Path) -> None:
    before = manifest_stamp(live_store)
    # unchecked (a text the server ships), so the engine's parser is the one that refuses it:
    # the object is missing where the } stands, at column 31
    out = run_job(update_worker(live_store), update("INSERT DATA { <urn:a> <urn:b> }", check=False))
    assert out.error is not None
    status, title, detail = out.error
    assert (status, title) == (400, "Malformed update")
    assert detail.startswith("SPARQL syntax error at line 1, column 31: expected one of ")
    assert manifest_stamp(live_store) == before


def test_an_update_of_a_store_with_no_live_build_fails(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    out = run_job(update_worker(empty), update(INSERT_B))
    assert out.error == (500, "Update failed", f"{empty}: no live build to update")


def test_an_update_while_another_process_writes_is_answered_busy(
    live_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECRUITGRAPH_LOCK_WAIT", "0")  # give up at once rather than after a minute
    before = manifest_stamp(live_store)
    with persistent_store(str(live_store)).write_lock():  # another writer, as far as flock can tell
        out = run_job(update_worker(live_store), update(INSERT_B))
    assert out.error == (503, "Store busy", f"{live_store}: the store is being written by pid {os.getpid()}; "
                                           "try again when it has finished")
    assert manifest_stamp(live_store) == before


@pytest.mark.parametrize("dataset", [{"default_graphs": (G1,)}, {"named_graphs": (G1,)}])
def test_an_update_whose_dataset_was_not_made_into_using_clauses_is_refused(
    live_store: Path, dataset: dict[str, tuple[str, ...]]
) -> None:
    before = manifest_stamp(live_store)
    out = workers._run_update(update_worker(live_store), update(INSERT_B, **dataset))
    assert out.error == (400, "Update failed", "the store could not apply the update: "
                                               "using-graph-uri must be applied to the update text before it is run")
    assert manifest_stamp(live_store) == before


@pytest.fixture()
def three_graphs(live_store: Path) -> Path:
    """The live store with <s> <p> "0" in the default graph, "1" in <g1> and "2" in <g2>."""
    text = (f'INSERT DATA {{ <{EX}s> <{EX}p> "0" . GRAPH <{G1}> {{ <{EX}s> <{EX}p> "1" }} '
            f'GRAPH <{G2}> {{ <{EX}s> <{EX}p> "2" }} }}')
    assert run_job(update_worker(live_store), update(text)) == Outcome()
    return live_store


COPY_P = f"INSERT {{ <{EX}s> <{EX}copied> ?o }} WHERE {{ <{EX}s> <{EX}p> ?o }}"
COPY_P_NAMED = f"INSERT {{ <{EX}s> <{EX}copied> ?o }} WHERE {{ GRAPH ?g {{ <{EX}s> <{EX}p> ?o }} }}"


def test_using_graph_uri_makes_the_named_graph_the_updates_default_graph(three_graphs: Path) -> None:
    out = run_job(update_worker(three_graphs), update(COPY_P, default_graphs=(G1,)))
    assert out == Outcome()
    # without USING, the WHERE would read the store's default graph and copy "0"
    assert values(three_graphs, f"{EX}copied", ox.DefaultGraph()) == {"1"}


def test_using_named_graph_uri_limits_the_named_graphs_the_update_reads(three_graphs: Path) -> None:
    out = run_job(update_worker(three_graphs), update(COPY_P_NAMED, named_graphs=(G2,)))
    assert out == Outcome()
    assert values(three_graphs, f"{EX}copied", ox.DefaultGraph()) == {"2"}


def test_a_dataset_given_twice_or_not_applicable_is_refused_in_full(tmp_path: Path) -> None:
    holder = update_worker(tmp_path / "never-opened")
    own = run_job(holder, update(f"WITH <{G1}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", default_graphs=(G1,)))
    assert own.error == (400, "Dataset given twice",
                         "using-graph-uri and using-named-graph-uri cannot be combined with USING, "
                         "USING NAMED or WITH in the update")
    data = run_job(holder, update(INSERT_B, named_graphs=(G1,)))
    assert data.error == (400, "Dataset not applicable",
                          "using-graph-uri and using-named-graph-uri apply to DELETE/INSERT ... WHERE "
                          "operations; this update has none they can apply to")


# -- the store a worker holds ---------------------------------------------------------------


def test_a_disk_worker_reopens_the_store_for_a_new_build_and_only_then(live_store: Path) -> None:
    holder = workers._StoreHolder(StoreSpec(memory=False, data_dir=str(live_store)))
    out = run_job(holder, query(ASK_B))
    assert (boolean_of(out), out.store, holder.mode) == (False, "disk", "disk")
    assert holder.stamp == manifest_stamp(live_store)  # the build it opened
    first = holder.store
    run_job(holder, query(ASK_B))
    assert holder.store is first  # same build: kept open
    apply_update(str(live_store), INSERT_B)  # another process publishes a build
    out = run_job(holder, query(ASK_B))
    assert (boolean_of(out), out.store) == (True, "disk")
    assert holder.store is not first and holder.stamp == manifest_stamp(live_store)


def open_and_copy(holder: workers._StoreHolder) -> None:
    """Open ``holder``'s store and wait for the one thread that copies it into memory."""
    started: list[threading.Thread] = []

    def note(frame: FrameType, event: str, arg: Any) -> None:  # runs first thing in each new thread
        started.append(threading.current_thread())
        sys.setprofile(None)

    threading.setprofile(note)
    try:
        holder.open()
    finally:
        threading.setprofile(None)
    assert [(thread.name, thread.daemon) for thread in started] == [("rg-copy", True)]
    started[0].join(LOOP_GUARD)
    assert not started[0].is_alive()


def test_a_disk_worker_switches_to_its_copy_in_memory_once_the_copy_is_made(live_store: Path) -> None:
    holder = workers._StoreHolder(StoreSpec(memory=False, data_dir=str(live_store), copy_to_memory=True))
    open_and_copy(holder)
    assert holder.mode == "memory" and holder.store is not None
    assert holder.stamp == manifest_stamp(live_store)
    out = run_job(holder, query(ASK_A))
    assert (boolean_of(out), out.store) == (True, "memory")


def test_a_disk_worker_dumps_its_copy_in_its_scratch_directory_and_clears_it(
    live_store: Path, tmp_path: Path, make_read_only: Callable[[Path], None]
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    spec = StoreSpec(memory=False, data_dir=str(live_store), copy_to_memory=True, scratch=str(scratch))
    holder = workers._StoreHolder(spec)
    open_and_copy(holder)
    assert (holder.mode, list(scratch.iterdir())) == ("memory", [])  # the dump is gone with the copy
    make_read_only(scratch)  # nowhere to dump: the copy fails and the worker stays on disk
    holder = workers._StoreHolder(spec)
    open_and_copy(holder)
    out = run_job(holder, query(ASK_A))
    assert (boolean_of(out), out.store, holder.mode) == (True, "disk", "disk")


def test_a_worker_that_copies_the_store_has_a_scratch_directory_that_goes_with_it(live_store: Path) -> None:
    # the parent owns the directory: a worker killed in the middle of a copy (a query past its
    # time limit) leaves no dump of the store behind
    spec = StoreSpec(memory=False, data_dir=str(live_store), copy_to_memory=True)
    worker = workers._Worker(mp.get_context("spawn"), spec, start_timeout=LOOP_GUARD)
    try:
        assert worker.scratch is not None
        scratch = Path(worker.scratch)
        assert scratch.is_dir() and scratch.name.startswith("recruitgraph-worker-")
        assert scratch.parent == Path(tempfile.gettempdir())
        cut_short = scratch / "recruitgraph-copy-cut-short"  # what a copy stopped midway leaves
        cut_short.mkdir()
        (cut_short / "store.nq").write_text(DATA)
    finally:
        worker.kill()
    assert not scratch.exists()
    worker.kill()  # as the pool does when it retires a worker, then replaces it: nothing left to do
    plain = workers._Worker(mp.get_context("spawn"), StoreSpec(memory=True), start_timeout=LOOP_GUARD)
    plain.kill()
    assert plain.scratch is None  # a worker that copies nothing has none


def test_a_worker_that_cannot_be_started_leaves_no_scratch_directory(
    live_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Starting the process fails before any worker exists (here its arguments cannot be sent to
    # a spawned process; on a loaded machine, no process or pipe can be made): the directory
    # made for it goes, and the error reaches the pool.
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    spec = StoreSpec(memory=False, data_dir=str(live_store), copy_to_memory=True,
                     extra_files=(threading.Lock(),))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="pickle"):
        workers._Worker(mp.get_context("spawn"), spec, start_timeout=LOOP_GUARD)
    assert list(temp.iterdir()) == []


def test_a_worker_dumps_its_copies_in_the_scratch_directory_its_parent_made(live_store: Path) -> None:
    spec = StoreSpec(memory=False, data_dir=str(live_store), copy_to_memory=True)
    worker = workers._Worker(mp.get_context("spawn"), spec, start_timeout=LOOP_GUARD)

    def answers_from(store: str, tries: int = 400) -> bool:
        for _ in range(tries):  # the copy runs in the background: it takes milliseconds here
            out = worker.call(query(ASK_A), LOOP_GUARD)
            assert out is not None and boolean_of(out)
            if out.store == store:
                return True
            time.sleep(0.05)
        return False

    try:
        assert worker.scratch is not None
        assert answers_from("memory")
        # without its directory, the copy of the next build fails: the worker answers from disk
        os.rmdir(worker.scratch)
        apply_update(str(live_store), INSERT_B)
        assert not answers_from("memory", tries=40)
        # with it back, the next build is copied again
        os.mkdir(worker.scratch)
        apply_update(str(live_store), f'INSERT DATA {{ <{EX}c> <{EX}name> "C" }}')
        assert answers_from("memory")
    finally:
        worker.kill()


def test_a_memory_worker_loads_the_project_and_its_extra_files(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(f'<{EX}b> <{EX}name> "B" .\n')
    holder = workers._StoreHolder(StoreSpec(memory=True, extra_files=(str(extra),)))
    out_a, out_b = run_job(holder, query(ASK_A)), run_job(holder, query(ASK_B))
    assert (boolean_of(out_a), boolean_of(out_b), out_b.store) == (True, True, "memory")


def test_a_store_that_failed_to_open_is_tried_again_on_the_next_job(tmp_path: Path) -> None:
    missing = tmp_path / "missing.ttl"
    holder = workers._StoreHolder(StoreSpec(memory=True, extra_files=(str(missing),)))
    for _ in range(2):
        with pytest.raises(InputError, match=f"^{re.escape(str(missing))}: no such file$"):
            holder.fresh()


# -- evaluation -----------------------------------------------------------------------------


@pytest.fixture()
def store() -> ox.Store:
    """<s> <p> "0" in the default graph, "1" in <g1>, "2" in <g2>."""
    s = ox.Store()
    for graph, value in ((ox.DefaultGraph(), "0"), (ox.NamedNode(G1), "1"), (ox.NamedNode(G2), "2")):
        s.add(ox.Quad(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.Literal(value), graph))
    return s


def test_default_graph_uri_is_the_querys_default_graph(store: ox.Store) -> None:
    text = f"SELECT ?o WHERE {{ <{EX}s> <{EX}p> ?o }} ORDER BY ?o"
    assert rows_of(run_job(store, query(text))) == [{"o": "0"}, {"o": "1"}, {"o": "2"}]  # the union
    assert rows_of(run_job(store, query(text, default_graphs=(G1,)))) == [{"o": "1"}]


def test_named_graph_uri_is_the_querys_set_of_named_graphs(store: ox.Store) -> None:
    text = f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ <{EX}s> <{EX}p> ?o }} }} ORDER BY ?g"
    assert rows_of(run_job(store, query(text))) == [{"g": G1, "o": "1"}, {"g": G2, "o": "2"}]
    assert rows_of(run_job(store, query(text, named_graphs=(G2,)))) == [{"g": G2, "o": "2"}]


def test_relative_iris_resolve_against_the_base_iri(store: ox.Store) -> None:
    out = run_job(store, query("SELECT ?o WHERE { <s> <p> ?o } ORDER BY ?o", base_iri=EX))
    assert rows_of(out) == [{"o": "0"}, {"o": "1"}, {"o": "2"}]


def test_a_query_the_store_cannot_evaluate_is_a_400(store: ox.Store) -> None:
    out = run_job(store, query("SELECT * WHERE { ?s ?p ?o }", default_graphs=("not an IRI",)))
    assert out.error is not None
    status, title, detail = out.error
    assert (status, title) == (400, "Query failed")
    assert detail.startswith("the store could not evaluate the query: ")


@pytest.mark.parametrize(("text", "kind"), [("SELECT * WHERE { ?s ?p ?o }", "SELECT"), ("ASK { ?s ?p ?o }", "ASK")])
def test_rows_asked_as_a_graph_are_refused_with_the_reason(store: ox.Store, text: str, kind: str) -> None:
    out = run_job(store, query(text, "turtle"))
    assert out.error == (406, "Not acceptable", f"a {kind} answer is a SPARQL result, not a graph")


def test_the_kind_of_answer_comes_from_the_parser_not_the_first_keyword(store: ox.Store) -> None:
    # a prefix named like a query form: the first keyword-like word is "construct"
    text = f"PREFIX construct: <{EX}> SELECT ?o WHERE {{ construct:s construct:p ?o }} ORDER BY ?o"
    out = run_job(store, query(text, ""))
    assert out.fmt == "json" and rows_of(out) == [{"o": "0"}, {"o": "1"}, {"o": "2"}]


def test_a_text_checked_twice_is_parsed_once() -> None:
    job = query("SELECT * WHERE { ?s ?p ?o }")
    assert workers._check(job) is workers._check(job)


def test_a_malformed_query_is_placed_by_the_engine_only_in_a_sandboxed_worker(
    store: ox.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "SELECT ?x WHERE {\n ?x ?p ?o\n} ORDER ?x"
    outside = run_job(store, query(text))
    assert outside.error == (400, "Malformed query", "SPARQL syntax error at line 3, column 3: Expected end of text")
    monkeypatch.setattr(workers, "_SANDBOXED", True)
    monkeypatch.setattr(workers, "_CHECKED", OrderedDict())
    inside = run_job(store, query(text))
    assert inside.error is not None and inside.error[2].endswith(": expected BY")
