"""The pool of query workers driven from this process: real worker processes on the shipped
data, the pool's own code (lanes, limits, replacement) running here where mutation testing can
see it. test_server_protocol.py and test_server_load.py check the same over HTTP."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from recruitgraph.server.workers import Job, QueryFailed, StoreSpec, WorkerPool, current_client
from support import boolean_of, rows_of, run_async, with_pool

ASK = "ASK { <https://w3id.org/recruitgraph/id/russia-recruitment-2026-01> a ?t }"
#: A count over the cube of the shipped triples: runs far past any limit here.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: The niceness this process runs at (the workers inherit it): 0, or more under `nice`.
NICENESS = os.getpriority(os.PRIO_PROCESS, 0)
NAMED = "SELECT ?s WHERE { ?s a <https://w3id.org/recruitgraph/ontology/Source> } LIMIT 1"
#: NAMED with a CRLF line end, which the check refuses (its two parsers disagree on a bare CR)
#: and pyoxigraph reads.
NAMED_CRLF = NAMED.replace(" WHERE", "\r\nWHERE")
CRLF_REFUSED = (
    400,
    "Carriage return in the text",
    "end lines with LF: the server's two SPARQL parsers disagree on where a comment ended by a bare "
    "CR stops, so such texts are refused",
)


@asynccontextmanager
async def kept_busy(
    pool: WorkerPool, workers: int = 1, settle: float = 0.5
) -> AsyncIterator[list[asyncio.Task[object]]]:
    """``workers`` workers of ``pool`` kept busy with RUNAWAY (each given ``settle`` seconds to
    take it), and their queries cancelled on the way out."""
    busy = [
        asyncio.create_task(pool.run(Job(RUNAWAY, "json", max_rows=10), timeout=8)) for _ in range(workers)
    ]
    await asyncio.sleep(settle)
    try:
        yield busy
    finally:
        for task in busy:
            task.cancel()
        await asyncio.gather(*busy, return_exceptions=True)


def test_a_job_is_answered_and_counted_by_the_store_that_answered() -> None:
    async def body(pool: WorkerPool) -> None:
        before = pool.status()
        # workers start at this process's niceness; the general lane lowers it only beside a named lane
        assert before["lanes"] == {"any": {"workers": 1, "idle": 1, "waiting": 0, "niceness": [NICENESS]}}
        assert (before["spares"], before["replaced"], before["stores"], before["answers"]) == (1, 0, {}, {})
        out = await pool.run(Job(ASK, "json", max_rows=10), timeout=60)
        assert boolean_of(out) is True and out.store == "memory"
        after = pool.status()
        assert (after["stores"], after["answers"], after["lanes"]["any"]["idle"]) == ({"memory": 1}, {"memory": 1}, 1)
        await pool.run(Job(ASK, "json", max_rows=10), timeout=60)
        assert pool.status()["answers"] == {"memory": 2}

    with_pool(body, size=1, named_size=0, spares=1)


def test_a_pool_that_is_not_started_refuses() -> None:
    async def main() -> None:
        pool = WorkerPool(StoreSpec(memory=True), size=1, named_size=0, spares=0)
        try:
            with pytest.raises(QueryFailed) as err:
                await pool.run(Job(ASK, "json", max_rows=10), timeout=5)
            assert (err.value.status, err.value.title) == (503, "Not ready")
        finally:
            await pool.stop()

    run_async(main)


def test_a_runaway_query_is_stopped_at_the_limit_and_its_worker_replaced() -> None:
    async def body(pool: WorkerPool) -> None:
        started = time.monotonic()
        with pytest.raises(QueryFailed) as err:
            await pool.run(Job(RUNAWAY, "json", max_rows=10), timeout=2)
        wall = time.monotonic() - started
        assert (err.value.status, err.value.title) == (503, "Query timed out")
        head = "the query ran longer than the server's limit of 2 s and was stopped after "
        tail = " s; narrow it or add a LIMIT"
        assert err.value.detail.startswith(head) and err.value.detail.endswith(tail)
        # the time it ran, to a tenth of a second: the limit at least, and no more than it took
        assert 2.0 <= float(err.value.detail.removeprefix(head).removesuffix(tail)) <= round(wall, 1)
        # the spare took its place at once: the next query is answered without waiting for a start
        out = await pool.run(Job(ASK, "json", max_rows=10), timeout=60)
        assert boolean_of(out) is True
        assert pool.status()["replaced"] == 1

    with_pool(body, size=1, named_size=0, spares=1)


def test_a_client_may_have_only_so_many_queries_waiting() -> None:
    async def body(pool: WorkerPool) -> None:
        current_client.set("192.0.2.1")
        async with kept_busy(pool):
            waiting = [asyncio.create_task(pool.run(Job(ASK, "json", max_rows=10), timeout=6)) for _ in range(4)]
            await asyncio.sleep(0.3)
            assert pool.status()["lanes"]["any"]["waiting"] == 4
            with pytest.raises(QueryFailed) as err:
                await pool.run(Job(ASK, "json", max_rows=10), timeout=6)
            assert (err.value.status, err.value.title) == (503, "Too many queries waiting")
            assert err.value.detail.startswith("4 of your queries are already waiting")
            # another client still gets a place in the queue
            current_client.set("192.0.2.2")
            waiting.append(asyncio.create_task(pool.run(Job(ASK, "json", max_rows=10), timeout=6)))
            await asyncio.sleep(0.3)
            assert pool.status()["lanes"]["any"]["waiting"] == 5
            for task in waiting:
                task.cancel()
            await asyncio.gather(*waiting, return_exceptions=True)

    with_pool(body, size=1, named_size=0, spares=0)


def test_waiting_past_the_limit_is_a_503_server_busy() -> None:
    async def body(pool: WorkerPool) -> None:
        async with kept_busy(pool):
            with pytest.raises(QueryFailed) as err:
                await pool.run(Job(ASK, "json", max_rows=10), timeout=1.5)
            assert (err.value.status, err.value.title) == (503, "Server busy")
            assert "within the server's limit of 1.5 s" in err.value.detail
            assert pool.status()["lanes"]["any"]["waiting"] == 0  # the request that gave up left the queue

    with_pool(body, size=1, named_size=0, spares=0)


def test_named_queries_have_their_own_lane_and_general_workers_run_nicer() -> None:
    async def body(pool: WorkerPool) -> None:
        status = pool.status()["lanes"]
        assert status["any"]["niceness"] == [max(10, NICENESS)] and status["named"]["niceness"] == [NICENESS]
        async with kept_busy(pool):
            # the general worker is busy with a runaway text; the named query does not wait for it
            out = await pool.run(Job(NAMED, "json", max_rows=10), timeout=5)
            assert len(json.loads(out.body)["results"]["bindings"]) == 1

    with_pool(body, size=1, named_size=1, spares=0, is_named=lambda text: text == NAMED)


def test_a_named_query_borrows_the_idle_general_worker_and_a_general_one_never_borrows() -> None:
    async def body(pool: WorkerPool) -> None:
        # both lanes idle: the named query takes the general worker and leaves its own lane free
        async with kept_busy(pool):
            lanes = pool.status()["lanes"]
            assert (lanes["any"]["idle"], lanes["named"]["idle"]) == (0, 1)
            # the general worker busy, the next named query runs on its own lane's worker at once
            assert len(rows_of(await pool.run(Job(NAMED, "json", max_rows=10), timeout=5))) == 1
            # a general query waits for the general worker rather than take the idle named one
            with pytest.raises(QueryFailed) as err:
                await pool.run(Job(ASK, "json", max_rows=10), timeout=1.5)
            assert (err.value.status, err.value.title) == (503, "Server busy")

    with_pool(body, size=1, named_size=1, spares=0, is_named=lambda text: text in (NAMED, RUNAWAY))


def test_a_named_query_runs_unchecked_and_any_other_text_is_checked() -> None:
    """The server ships its named queries and parsed them when it loaded them; every other text
    is checked in the worker before it runs."""
    async def body(pool: WorkerPool) -> None:
        other = await pool.run(Job(NAMED_CRLF + " ", "json", max_rows=10), timeout=30)
        assert other.error == CRLF_REFUSED
        # on the general worker it borrows while that one is idle, then on its own lane's
        assert len(rows_of(await pool.run(Job(NAMED_CRLF, "json", max_rows=10), timeout=30))) == 1
        async with kept_busy(pool):
            assert pool.status()["lanes"]["any"]["idle"] == 0
            assert len(rows_of(await pool.run(Job(NAMED_CRLF, "json", max_rows=10), timeout=5))) == 1

    with_pool(body, size=1, named_size=1, spares=0, is_named=lambda text: text == NAMED_CRLF)


def test_the_time_limit_counts_from_the_arrival_and_keeps_a_reserve_to_run_in() -> None:
    """A request that spent its time before it got a worker is refused before it starts, with
    the worker given back, not killed; the reserve is half a second, or a quarter of a shorter
    limit."""
    async def body(pool: WorkerPool) -> None:
        ask = Job(ASK, "json", max_rows=10)
        with pytest.raises(QueryFailed) as err:
            await pool.run(ask, timeout=10, started=time.monotonic() - 9.8)
        assert (err.value.status, err.value.title, err.value.detail) == (
            503,
            "Server busy",
            "no query worker became free within the server's limit of 10 s; try again shortly",
        )
        assert (pool.status()["lanes"]["any"]["idle"], pool.status()["replaced"]) == (1, 0)
        # a second left of ten is more than the half second kept in reserve: it runs
        assert boolean_of(await pool.run(ask, timeout=10, started=time.monotonic() - 9)) is True
        # of a one-second limit, a quarter is kept: 0.45 s left is enough
        assert boolean_of(await pool.run(ask, timeout=1, started=time.monotonic() - 0.55)) is True
        # and 0.23 s left is not (a fifth, 0.2 s, would be)
        with pytest.raises(QueryFailed) as err:
            await pool.run(ask, timeout=1, started=time.monotonic() - 0.77)
        assert (err.value.title, pool.status()["replaced"]) == ("Server busy", 0)

    with_pool(body, size=1, named_size=0, spares=0)


def test_a_pool_stops_cleanly_when_its_workers_have_died_already() -> None:
    async def body(pool: WorkerPool) -> None:
        # killed from outside (the out-of-memory killer, say): telling them to stop finds their
        # pipes broken, which must not stop the pool from ending the rest
        for child in multiprocessing.active_children():
            assert child.pid is not None
            os.kill(child.pid, signal.SIGKILL)
            child.join(10)
        assert not any(child.is_alive() for child in multiprocessing.active_children())

    with_pool(body, size=2, named_size=0, spares=1)


def test_every_worker_of_a_pool_can_be_busy_at_once() -> None:
    """Each worker has a thread to wait on it: no query waits for another's call to end, with
    spares in reserve and with more workers than a thread pool allows by default."""
    size = min(32, (os.cpu_count() or 1) + 4) + 1  # one more than that default

    async def body(pool: WorkerPool) -> None:
        async with kept_busy(pool, workers=size - 1, settle=1) as busy:
            assert pool.status()["lanes"]["any"]["idle"] == 1
            assert boolean_of(await pool.run(Job(ASK, "json", max_rows=10), timeout=5)) is True
            # answered while every other worker is still busy: its call did not wait for a thread
            assert not any(task.done() for task in busy)

    with_pool(body, size=size, named_size=0, spares=3)


def test_a_query_whose_caller_goes_away_ends_its_worker_and_the_spare_takes_its_place() -> None:
    async def body(pool: WorkerPool) -> None:
        task = asyncio.create_task(pool.run(Job(RUNAWAY, "json", max_rows=10), timeout=30))
        await asyncio.sleep(0.5)
        task.cancel()  # the client disconnected
        with pytest.raises(asyncio.CancelledError):
            await task
        # the worker was killed mid-query; the spare answers the next one at once
        assert boolean_of(await pool.run(Job(ASK, "json", max_rows=10), timeout=10)) is True
        assert pool.status()["replaced"] == 1

    with_pool(body, size=1, named_size=0, spares=1)
