"""A pool of worker processes that run SPARQL queries with a hard time limit.

pyoxigraph cannot interrupt a running query from another thread, so every query runs in a
separate process that opens the store itself (read-only for the persistent store, a fresh
in-memory load otherwise). When a query runs past its limit, its worker is killed and replaced;
the server process never blocks on it and keeps answering other requests.

A worker serialises the answer itself (the parent only relays bytes) and enforces the row limit
while reading solutions, so a huge result is refused before it is built.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

#: Result formats a worker writes, by kind of query.
ROW_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


@dataclass(frozen=True)
class StoreSpec:
    """How a worker opens the store: in memory from files, or the persistent one read-only."""

    memory: bool = True
    data_dir: str | None = None
    extra_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """One query: text, bound parameters (N-Triples terms), wanted format and row limit."""

    text: str
    fmt: str
    max_rows: int
    bindings: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Outcome:
    """What a worker answers: bytes in the wanted format, or an error (status, title, detail)."""

    body: bytes = b""
    rows: int = 0
    error: tuple[int, str, str] | None = None


class QueryFailed(Exception):
    """A query could not be answered; carries the HTTP status, a title and a detail."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail


# -- the worker process ------------------------------------------------------------------------


class _StoreHolder:
    """The worker's store, re-opened when the persistent store publishes a new build."""

    def __init__(self, spec: StoreSpec) -> None:
        self.spec = spec
        self.store: Any = None
        self.persistent: Any = None
        self.stamp: float | None = None
        self.open()

    def _manifest_stamp(self) -> float | None:
        if self.persistent is None:
            return None
        try:
            return os.stat(self.persistent.manifest_path).st_mtime_ns
        except OSError:
            return None

    def open(self) -> None:
        from .. import config
        from ..store import PersistentStore, memory_store

        base = config.base_resources()
        if self.spec.memory:
            self.store = memory_store(list(base.all) + [Path(p) for p in self.spec.extra_files])
            return
        if self.persistent is None:
            self.persistent = PersistentStore(config.user_data_dir(self.spec.data_dir), base)
        self.stamp = self._manifest_stamp()
        self.store = self.persistent.open()

    def fresh(self) -> Any:
        if self.persistent is not None and self._manifest_stamp() != self.stamp:
            self.store = None
            self.open()
        return self.store


def _parse_term(text: str) -> Any:
    import pyoxigraph as ox

    quads = list(ox.parse(f"<urn:s> <urn:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))
    return quads[0].object


def run_job(store: Any, job: Job) -> Outcome:
    """Run one job against ``store`` (in the worker process)."""
    import pyoxigraph as ox

    from ..namespaces import PREFIXES
    from ..queries import syntax_position
    from ..results import result_from_oxigraph

    subs = {ox.Variable(name): _parse_term(term) for name, term in job.bindings}
    try:
        answer = store.query(job.text, prefixes=PREFIXES, substitutions=subs)
    except SyntaxError as exc:
        return Outcome(error=(400, "Malformed query", f"SPARQL syntax error {syntax_position(exc)}"))
    except (OSError, ValueError, RuntimeError) as exc:
        return Outcome(error=(500, "Query failed", f"the store could not evaluate the query: {exc}"))
    too_many = (400, "Too many results",
                f"the answer has more than {job.max_rows} rows, the server's limit; "
                "add a LIMIT or narrow the query")
    try:
        if isinstance(answer, ox.QueryBoolean):
            if job.fmt not in ROW_FORMATS:
                return Outcome(error=(406, "Not acceptable", "an ASK answer is a SPARQL result, not a graph"))
            return Outcome(body=result_from_oxigraph(answer).serialize(job.fmt).encode("utf-8"), rows=1)
        if isinstance(answer, ox.QuerySolutions):
            if job.fmt not in ROW_FORMATS:
                return Outcome(error=(406, "Not acceptable", "a SELECT answer is a SPARQL result, not a graph"))
            variables = list(answer.variables)
            kept = []
            for solution in answer:
                kept.append(solution)
                if len(kept) > job.max_rows:
                    return Outcome(error=too_many)
            result = result_from_oxigraph(_Solutions(variables, kept))
            return Outcome(body=result.serialize(job.fmt).encode("utf-8"), rows=len(kept))
        if job.fmt not in GRAPH_FORMATS:
            return Outcome(error=(406, "Not acceptable", "a CONSTRUCT/DESCRIBE answer is a graph"))
        triples = []
        for triple in answer:
            triples.append(triple)
            if len(triples) > job.max_rows:
                return Outcome(error=too_many)
        from ..export import EXPORT_FORMATS

        fmt = EXPORT_FORMATS[job.fmt][0]
        prefixes = PREFIXES if job.fmt in ("turtle", "rdfxml") else None
        data = ox.serialize(triples, format=fmt, prefixes=prefixes) if prefixes else ox.serialize(triples, format=fmt)
        return Outcome(body=data or b"", rows=len(triples))
    except (OSError, ValueError, RuntimeError) as exc:
        return Outcome(error=(500, "Query failed", f"the store could not evaluate the query: {exc}"))


class _Solutions:
    """Already read solutions, shaped like pyoxigraph's QuerySolutions for result_from_oxigraph."""

    def __init__(self, variables: list[Any], solutions: list[Any]) -> None:
        self.variables = variables
        self._solutions = solutions

    def __iter__(self) -> Any:
        return iter(self._solutions)


def _worker_main(conn: Connection, spec: StoreSpec) -> None:
    try:
        holder = _StoreHolder(spec)
    except Exception as exc:  # reported to the parent, which gives up on this worker
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            outcome = run_job(holder.fresh(), job)
        except Exception as exc:  # never let one query kill the worker silently
            outcome = Outcome(error=(500, "Query failed", f"{type(exc).__name__}: {exc}"))
        try:
            conn.send(outcome)
        except (OSError, ValueError):
            return


# -- the parent side ---------------------------------------------------------------------------


class _Worker:
    def __init__(self, ctx: Any, spec: StoreSpec, start_timeout: float) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, spec), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(start_timeout):
            self.kill()
            raise RuntimeError("a query worker did not start in time")
        status, detail = self.conn.recv()
        if status != "ready":
            self.kill()
            raise RuntimeError(f"a query worker could not open the store: {detail}")

    def call(self, job: Job, timeout: float) -> Outcome | None:
        """Send a job and wait; None when the time limit passed (the caller kills the worker)."""
        self.conn.send(job)
        if not self.conn.poll(timeout):
            return None
        try:
            outcome: Outcome = self.conn.recv()
        except (EOFError, OSError):
            return Outcome(error=(500, "Query failed", "the query worker stopped unexpectedly"))
        return outcome

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(2)
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """``size`` worker processes; :meth:`run` waits for a free one and enforces ``timeout``."""

    def __init__(self, spec: StoreSpec, size: int = 2, *, start_timeout: float = 60.0) -> None:
        self.spec = spec
        self.size = max(1, size)
        self.start_timeout = start_timeout
        self._ctx = mp.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.replaced = 0
        self._tasks: set[asyncio.Task[None]] = set()

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.spec, self.start_timeout)
        with self._lock:
            self._all.add(worker)
        return worker

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def run(self, job: Job, timeout: float) -> Outcome:
        """Run ``job`` in a free worker; raise :class:`QueryFailed` (503) past ``timeout``."""
        if self._idle is None:
            raise QueryFailed(503, "Not ready", "the query workers are not running")
        worker = await self._idle.get()
        started = time.monotonic()
        try:
            outcome = await asyncio.to_thread(worker.call, job, timeout)
        except BaseException:
            await self._replace(worker)
            raise
        if outcome is None or not worker.process.is_alive():
            # Answer at once; the replacement starts in the background.
            worker.kill()
            task = asyncio.get_running_loop().create_task(self._replace(worker))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            if outcome is None:
                raise QueryFailed(
                    503, "Query timed out",
                    f"the query ran longer than the server's limit of {timeout:g} s and was stopped "
                    f"after {time.monotonic() - started:.1f} s; narrow it or add a LIMIT",
                )
        else:
            self._idle.put_nowait(worker)
        return outcome

    async def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        self.replaced += 1
        assert self._idle is not None
        try:
            fresh = await asyncio.to_thread(self._spawn)
        except RuntimeError:
            # Try again later rather than shrink the pool for good.
            await asyncio.sleep(1.0)
            fresh = await asyncio.to_thread(self._spawn)
        self._idle.put_nowait(fresh)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            worker.kill()


def result_json(outcome: Outcome) -> dict[str, Any]:
    """Parse a worker's SPARQL JSON answer (for the HTML pages)."""
    data: dict[str, Any] = json.loads(outcome.body.decode("utf-8"))
    return data
