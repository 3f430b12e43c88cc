"""The pool's lanes, its replacement of workers and the workers' start and priority, driven from
this process (where mutation testing can see them).

test_worker_pool.py runs whole requests through a pool; these tests pin down what a request
rarely shows: each refusal word for word, how long a request waits for a worker, the turns
clients take, a request that goes away just as a worker comes free, what the pool counts and
forgets when a worker dies, where each replacement goes, a start that fails and is tried again,
and the niceness of a worker's process. A lane's bookkeeping is checked with stand-ins for
workers (a lane only hands a worker on, after asking it to take the lane's niceness); the rest
with real worker processes on the shipped data.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import resource
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from recruitgraph.exc import StoreError
from recruitgraph.execute import persistent_store
from recruitgraph.server import workers
from recruitgraph.server.workers import (
    MAX_WAITING_PER_CLIENT,
    Job,
    Outcome,
    QueryFailed,
    StoreSpec,
    WorkerPool,
    _Lane,
    _Worker,
)
from support import boolean_of, run_async, with_pool

ASK = "ASK { <https://w3id.org/recruitgraph/id/russia-recruitment-2026-01> a ?t }"
#: A count over the cube of the shipped triples: runs far past any limit here.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: What a request is answered when its worker died under it (the pool takes it for memory).
WORKER_DIED = (503, "Query stopped", "the query needed more memory than the server allows "
               "and was stopped; narrow it or add a LIMIT")
#: Long enough for anything a test waits for that should happen (a guard against "never").
GUARD = 5.0
#: How long a worker may take to start on a loaded machine (a guard, not a measure).
START = 120.0


def refusal(err: pytest.ExceptionInfo[QueryFailed]) -> tuple[int, str, str]:
    return err.value.status, err.value.title, err.value.detail


# -- a lane's bookkeeping, with stand-ins for workers --------------------------------------------


class Stand:
    """Stands for a worker in a lane: notes the niceness each lane that hands it on asks for."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.asked: list[int] = []

    def lower_priority(self, niceness: int) -> None:
        self.asked.append(niceness)

    def __repr__(self) -> str:
        return f"Stand({self.name!r})"


def stand(name: str) -> _Worker:
    return cast(_Worker, Stand(name))


def waits(lane: _Lane, client: str) -> asyncio.Task[_Worker]:
    """A request of ``client`` waiting in ``lane`` for a worker, a minute before its deadline."""
    return asyncio.create_task(lane.acquire(client, time.monotonic() + 60, 60))


async def cancel(task: asyncio.Task[_Worker]) -> None:
    """The request goes away (its client disconnected): the task is cancelled and ends so."""
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def waiting(lane: _Lane) -> dict[str, int]:
    """Requests waiting in ``lane``, by client."""
    return {client: len(queue) for client, queue in lane.waiting.items()}


def test_a_client_past_its_cap_is_refused_in_full_and_another_client_still_waits() -> None:
    async def scenario() -> None:
        lane = _Lane(1)
        mine = [waits(lane, "192.0.2.1") for _ in range(MAX_WAITING_PER_CLIENT)]
        await asyncio.sleep(0.05)
        with pytest.raises(QueryFailed) as err:
            await lane.acquire("192.0.2.1", time.monotonic() + 60, 60)
        assert refusal(err) == (503, "Too many queries waiting",
                                "4 of your queries are already waiting for a worker; "
                                "wait for their answers before sending more")
        other = waits(lane, "192.0.2.2")
        await asyncio.sleep(0.05)
        assert waiting(lane) == {"192.0.2.1": 4, "192.0.2.2": 1}  # the refused one was not queued
        for task in (*mine, other):
            task.cancel()
        await asyncio.gather(*mine, other, return_exceptions=True)
        assert (lane.waiting, list(lane.turns)) == ({}, [])

    run_async(scenario)


def test_a_request_waits_for_a_worker_until_its_deadline_and_no_longer() -> None:
    async def scenario() -> None:
        lane = _Lane(1)
        # a request that arrived 2.3 s ago with the server's limit of 2.5 s: 0.2 s left to wait
        began = time.monotonic()
        with pytest.raises(QueryFailed) as err:
            await asyncio.wait_for(lane.acquire("192.0.2.1", began + 0.2, 2.5), GUARD)
        waited = time.monotonic() - began
        assert refusal(err) == (503, "Server busy",
                                "no query worker became free within the server's limit of 2.5 s; "
                                "try again shortly")
        # its deadline, not a second more (a wait of at least 1 s) and not the whole limit again
        assert 0.15 <= waited < 1.0
        assert (lane.waiting, list(lane.turns)) == ({}, [])
        # a deadline already passed: refused at once, not after a wait
        began = time.monotonic()
        with pytest.raises(QueryFailed) as err:
            await asyncio.wait_for(lane.acquire("192.0.2.1", began - 1.0, 0.5), GUARD)
        assert time.monotonic() - began < 0.5
        assert refusal(err)[:2] == (503, "Server busy")
        assert "within the server's limit of 0.5 s;" in refusal(err)[2]

    run_async(scenario)


def test_a_request_cancelled_while_waiting_leaves_the_queue_and_the_turns() -> None:
    async def scenario() -> None:
        lane = _Lane(1)
        a1 = waits(lane, "a")
        a2 = waits(lane, "a")
        b1 = waits(lane, "b")
        await asyncio.sleep(0.05)
        assert (waiting(lane), list(lane.turns)) == ({"a": 2, "b": 1}, ["a", "b"])
        await cancel(a1)
        # a's other request still waits, in a's turn
        assert (waiting(lane), list(lane.turns)) == ({"a": 1, "b": 1}, ["a", "b"])
        await cancel(a2)
        # a has nothing waiting any more: gone from the queue and from the turns
        assert (waiting(lane), list(lane.turns)) == ({"b": 1}, ["b"])
        worker, late = stand("w"), stand("late")
        lane.release(worker)
        assert await asyncio.wait_for(b1, GUARD) is worker
        assert (lane.waiting, list(lane.turns), lane.idle) == ({}, [], [])
        lane.release(late)  # nobody waits: kept idle
        assert lane.idle == [late]
        # a may wait again: its cancelled requests no longer count against its cap
        again = [waits(lane, "a") for _ in range(MAX_WAITING_PER_CLIENT)]
        assert [await task for task in again[:1]] == [late]
        await asyncio.sleep(0.05)
        assert waiting(lane) == {"a": MAX_WAITING_PER_CLIENT - 1}
        for task in again:
            task.cancel()
        await asyncio.gather(*again, return_exceptions=True)

    run_async(scenario)


def test_a_request_cancelled_just_as_a_worker_came_free_hands_it_to_the_next_in_turn() -> None:
    async def scenario() -> None:
        lane = _Lane(1)
        gone = waits(lane, "a")
        next_one = waits(lane, "b")
        await asyncio.sleep(0.05)
        worker = stand("w")
        lane.release(worker)  # a's turn: a's request is given the worker ...
        await cancel(gone)  # ... and goes away before it could take it
        assert await asyncio.wait_for(next_one, GUARD) is worker
        assert (lane.waiting, list(lane.turns), lane.idle) == ({}, [], [])

    run_async(scenario)


def test_clients_take_turns_and_a_client_whose_queue_empties_leaves_the_turns() -> None:
    async def scenario() -> None:
        lane = _Lane(1, niceness=10)
        order = [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("c", 1)]
        tasks: dict[tuple[str, int], asyncio.Task[_Worker]] = {}
        for client, n in order:
            tasks[client, n] = waits(lane, client)
            await asyncio.sleep(0.01)
        assert list(lane.turns) == ["a", "b", "c"]
        given = [stand(f"w{i}") for i in range(5)]
        for worker in given[:3]:
            lane.release(worker)
        await asyncio.sleep(0.05)
        # one request of each client in turn, however many a sent first
        assert [tasks[key].done() for key in order] == [True, False, False, True, True]
        # b and c had one request each: served, they left the turns; a comes round again
        assert (waiting(lane), list(lane.turns)) == ({"a": 2}, ["a"])
        for worker in given[3:]:
            lane.release(worker)
        got = {key: await asyncio.wait_for(task, GUARD) for key, task in tasks.items()}
        assert got == {("a", 1): given[0], ("b", 1): given[1], ("c", 1): given[2],
                       ("a", 2): given[3], ("a", 3): given[4]}
        assert (lane.waiting, list(lane.turns), lane.idle) == ({}, [], [])
        # each worker handed on was first asked to take the lane's niceness
        assert [cast(Stand, w).asked for w in given] == [[10]] * 5

    run_async(scenario)


# -- the pool replacing its workers, with real worker processes ---------------------------------


def kill(worker: _Worker) -> None:
    """The worker's process dies (as when the kernel kills it for memory)."""
    worker.process.kill()
    worker.process.join(START)


async def replacements_done(pool: WorkerPool) -> None:
    await asyncio.wait_for(asyncio.gather(*pool._tasks), START)
    await asyncio.sleep(0)


def test_dead_workers_are_counted_forgotten_and_replaced_where_they_are_missing() -> None:
    async def body(pool: WorkerPool) -> None:
        lane = pool.lanes["any"]
        originals = set(pool._all)
        assert len(originals) == 3 and all(w.process.daemon is True for w in originals)
        assert pool.sandboxed is True and pool.status()["sandboxed"] is True
        # both general workers answer one query each: the pool notes the store of each
        outs = await asyncio.gather(*(pool.run(Job(ASK, "json", max_rows=10), timeout=60) for _ in range(2)))
        assert [boolean_of(out) for out in outs] == [True, True]
        assert pool.status()["stores"] == {"memory": 2}
        dead, spare = list(lane.idle), pool._spares[0]
        for worker in dead:
            kill(worker)
        died = await asyncio.gather(*(pool.run(Job(ASK, "json", max_rows=10), timeout=60) for _ in range(2)))
        assert [out.error for out in died] == [WORKER_DIED, WORKER_DIED]
        await replacements_done(pool)
        assert pool.replaced == 2
        assert pool._tasks == set()  # finished replacements are not kept
        # the dead workers are forgotten: their stores, their membership
        assert pool.status()["stores"] == {}
        assert not set(dead) & pool._all
        new = pool._all - originals
        assert len(pool._all) == 3 and len(new) == 2
        assert all(w.process.is_alive() and w.process.daemon is True for w in new)
        # the spare went to the lane at once and a new worker took its place among the spares;
        # the second death found no spare left, so the lane got the other new worker
        assert len(pool._spares) == 1 and pool._spares[0] in new
        assert len(lane.idle) == 2 and set(lane.idle) == {spare, *new} - set(pool._spares)
        status = pool.status()
        assert (status["spares"], status["replaced"], status["lanes"]["any"]["idle"]) == (1, 2, 2)
        assert boolean_of(await pool.run(Job(ASK, "json", max_rows=10), timeout=60)) is True

    with_pool(body, size=2, named_size=0, spares=1)


def test_a_replacement_that_fails_to_start_is_tried_again_a_second_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    starts: list[tuple[float, float, str]] = []

    class Timed(workers._Worker):
        """The pool's next workers, timed; the first is given no time to start, so it fails."""

        def __init__(self, ctx: Any, spec: StoreSpec, start_timeout: float) -> None:
            began = time.monotonic()
            try:
                super().__init__(ctx, spec, start_timeout if starts else 0.0)
            except RuntimeError as exc:
                starts.append((began, time.monotonic(), str(exc)))
                raise
            starts.append((began, time.monotonic(), "started"))

    async def body(pool: WorkerPool) -> None:
        (worker,) = pool.lanes["any"].idle
        monkeypatch.setattr(workers, "_Worker", Timed)
        kill(worker)
        died = await pool.run(Job(ASK, "json", max_rows=10), timeout=60)
        assert died.error == WORKER_DIED
        # no spare: this request waits for the replacement, which is given to the lane
        assert boolean_of(await pool.run(Job(ASK, "json", max_rows=10), timeout=30)) is True
        assert [message for _, _, message in starts] == ["a query worker did not start in time", "started"]
        pause = starts[1][0] - starts[0][1]
        assert 0.95 <= pause < 1.9, pause
        await replacements_done(pool)
        assert (pool.replaced, pool._spares, len(pool._all)) == (1, [], 1)
        assert worker not in pool._all and len(pool.lanes["any"].idle) == 1

    with_pool(body, size=1, named_size=0, spares=0)


# -- a worker's start ----------------------------------------------------------------------------


def test_a_pool_whose_workers_do_not_start_in_time_says_so_and_stays_not_ready() -> None:
    async def main() -> None:
        # no time at all: a new interpreter cannot start and load the store before a poll of 0 s
        pool = WorkerPool(StoreSpec(memory=True), size=1, named_size=0, spares=0, start_timeout=0.0)
        try:
            with pytest.raises(RuntimeError) as err:
                await pool.start()
            assert str(err.value) == "a query worker did not start in time"
            with pytest.raises(QueryFailed) as refused:
                await pool.run(Job(ASK, "json", max_rows=10), timeout=5)
            assert refusal(refused) == (503, "Not ready", "the query workers are not running")
        finally:
            await pool.stop()
        assert multiprocessing.active_children() == []

    run_async(main)


def test_a_worker_that_cannot_open_the_persistent_store_reports_the_stores_own_words(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    data_dir.mkdir()
    (data_dir / "current.json").write_text("not a manifest\n")
    with pytest.raises(RuntimeError) as err:
        _Worker(multiprocessing.get_context("spawn"), StoreSpec(memory=False, data_dir=str(data_dir)),
                start_timeout=START)
    assert multiprocessing.active_children() == []
    # what the store says when this process opens it
    with pytest.raises(StoreError) as store_error:
        persistent_store(str(data_dir)).open()
    assert str(store_error.value).startswith(f"{data_dir / 'current.json'}: unreadable store manifest")
    assert str(err.value) == f"a query worker could not open the store: StoreError: {store_error.value}"


# -- a worker's process: its time limit and its niceness -----------------------------------------


@contextlib.contextmanager
def started_worker(spec: StoreSpec) -> Iterator[_Worker]:
    worker = _Worker(multiprocessing.get_context("spawn"), spec, start_timeout=START)
    try:
        yield worker
    finally:
        worker.kill()


def test_a_job_past_a_limit_under_a_second_is_given_up_at_that_limit() -> None:
    with started_worker(StoreSpec(memory=True)) as worker:
        began = time.monotonic()
        assert worker.call(Job(RUNAWAY, "json", max_rows=10), timeout=0.3) is None
        assert 0.25 <= time.monotonic() - began < 0.9


def priority(pid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, pid)


def test_a_lane_raises_its_workers_niceness_to_its_own_and_never_lowers_it(tmp_path: Path) -> None:
    ours = priority(0)
    spec = StoreSpec(memory=False, data_dir=str(tmp_path / "unused"), role="update")  # opens nothing
    with started_worker(spec) as worker:
        pid = worker.process.pid
        assert pid is not None
        assert worker.niceness() == priority(pid) == ours  # a worker starts at this process's
        _Lane(1, cap=None).release(worker)  # a lane of niceness 0 leaves it as it is
        assert priority(pid) == ours
        _Lane(1, niceness=ours + 3).release(worker)
        assert priority(pid) == worker.niceness() == ours + 3
        _Lane(1, niceness=ours + 1).release(worker)  # already nicer than asked: left so
        assert priority(pid) == ours + 3
    assert not worker.process.is_alive()
    assert worker.niceness() is None  # gone
    # a worker that died is still handed on (its next job answers that it died), without an error
    lane = _Lane(1, niceness=ours + 5)
    lane.release(worker)
    assert lane.idle == [worker]


def test_the_niceness_of_a_lane_counts_from_one(tmp_path: Path) -> None:
    spec = StoreSpec(memory=False, data_dir=str(tmp_path / "unused"), role="update")
    with started_worker(spec) as worker:
        pid = worker.process.pid
        assert pid is not None
        base = priority(pid)
        if os.geteuid() == 0:  # only root may put a worker below this process's niceness
            # a server started below niceness 0: a lane of niceness 0 leaves its workers there
            os.setpriority(os.PRIO_PROCESS, pid, -1)
            _Lane(1, cap=None).release(worker)
            assert priority(pid) == -1
            os.setpriority(os.PRIO_PROCESS, pid, 0)
            base = 0
        # a lane one step nicer than the worker raises it by that one step
        _Lane(1, niceness=base + 1).release(worker)
        assert priority(pid) == worker.niceness() == base + 1


# -- the worker loop, when a job runs out of memory ----------------------------------------------


class Exhausting(str):
    """A query text whose hashing fails as an allocation does: the job runs out of memory while
    the worker checks it (a real allocation failure in this process could abort it)."""

    def __hash__(self) -> int:
        raise MemoryError


def test_a_job_that_runs_out_of_memory_is_answered_503_and_ends_the_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the loop sets a worker's process-wide state: put back as it was after the test
    monkeypatch.setattr(workers, "_SANDBOXED", False)
    monkeypatch.setattr(workers, "_CHECKED", OrderedDict())
    ceiling = resource.getrlimit(resource.RLIMIT_AS)
    ours, theirs = multiprocessing.Pipe()
    ours.send(Job(Exhausting(ASK), "json", max_rows=10))
    ours.send(Job(ASK, "json", max_rows=10))  # never read: the worker is done after the first
    ours.send(None)
    raised: list[BaseException] = []

    def run() -> None:
        try:
            workers._worker_main(theirs, StoreSpec(role="update", memory_allowance=8 * 1024**3))
        except BaseException as exc:  # handed to the test
            raised.append(exc)

    thread = threading.Thread(target=run, name="test-worker-loop", daemon=True)
    try:
        thread.start()
        thread.join(START)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, ceiling)
    assert not thread.is_alive() and raised == []
    sent = []
    while ours.poll():
        sent.append(ours.recv())
    ours.close()
    theirs.close()
    assert sent == [("ready", True), Outcome(error=WORKER_DIED, retire=True)]


def test_the_pool_replaces_a_worker_that_ran_out_of_memory_rather_than_give_it_back() -> None:
    async def body(pool: WorkerPool) -> None:
        out = await pool.run(Job(Exhausting(ASK), "json", max_rows=10), timeout=60)
        assert (out.error, out.retire) == (WORKER_DIED, True)
        # the worker said it was done, and is replaced even if its process has not ended yet:
        # the next query is answered by the replacement, not sent to the worker that is leaving
        assert boolean_of(await pool.run(Job(ASK, "json", max_rows=10), timeout=START)) is True
        assert pool.status()["replaced"] == 1

    with_pool(body, size=1, named_size=0, spares=0)


# -- which lane a job goes to, and the pool's sandbox flag --------------------------------------


NAMED_TEXT = "SELECT ?s WHERE { ?s a <https://w3id.org/recruitgraph/ontology/Source> } LIMIT 1"


def test_only_a_named_query_goes_to_the_named_lane() -> None:
    pool = WorkerPool(StoreSpec(memory=True), 1, named_size=1, is_named=lambda text: text == NAMED_TEXT)
    assert pool._lane(Job(NAMED_TEXT, "json", max_rows=10)) is pool.lanes["named"]
    assert pool._lane(Job(ASK, "json", max_rows=10)) is pool.lanes["any"]  # any other text
    # an update is never a named query, even with a named query's text
    assert pool._lane(Job(NAMED_TEXT, "json", max_rows=10, operation="update")) is pool.lanes["any"]
    # without a named lane, a named query goes to the general one
    plain = WorkerPool(StoreSpec(memory=True), 1, named_size=0, is_named=lambda text: text == NAMED_TEXT)
    assert set(plain.lanes) == {"any"}
    assert plain._lane(Job(NAMED_TEXT, "json", max_rows=10)) is plain.lanes["any"]
    # the general lane gives way (a niceness of 10) only where named queries are told apart
    assert (pool.lanes["any"].niceness, pool.lanes["named"].niceness) == (workers.GENERAL_LANE_NICENESS, 0) == (10, 0)
    # named queries are of known cost: one client may have any number waiting for them
    assert (pool.lanes["any"].cap, pool.lanes["named"].cap) == (workers.MAX_WAITING_PER_CLIENT, None)
    alone = WorkerPool(StoreSpec(memory=True), 1)
    assert set(alone.lanes) == {"any"} and alone.lanes["any"].niceness == 0


def test_the_pool_is_sandboxed_only_while_every_worker_is(monkeypatch: pytest.MonkeyPatch) -> None:
    class Unconfined(workers._Worker):
        """A worker as on a kernel without seccomp: it runs, but unconfined."""

        def __init__(self, ctx: Any, spec: StoreSpec, start_timeout: float) -> None:
            super().__init__(ctx, spec, start_timeout)
            self.sandboxed = False

    async def body(pool: WorkerPool) -> None:
        assert pool.sandboxed is True
        (worker,) = pool.lanes["any"].idle
        monkeypatch.setattr(workers, "_Worker", Unconfined)
        kill(worker)
        died = await pool.run(Job(ASK, "json", max_rows=10), timeout=60)
        assert died.error == WORKER_DIED
        await replacements_done(pool)
        # one unconfined worker is enough for the pool to say it is not sandboxed
        assert pool.sandboxed is False and pool.status()["sandboxed"] is False

    with_pool(body, size=1, named_size=0, spares=0)
