"""Pools of worker processes that check and run SPARQL with hard limits.

pyoxigraph cannot interrupt a running query from another thread, and checking a text by running
it is running it, so nothing a request sends is parsed or evaluated in the server process. Every
query and update goes to a separate process that opens the store itself (read-only for the
persistent store, a fresh in-memory load otherwise), cannot open network sockets, and has a
memory ceiling (:mod:`.sandbox`). A job past its time limit, or a worker that dies (memory), is
answered 503 at once; the worker is killed and replaced in the background.

The time limit counts from the moment the request arrives, so time spent waiting for a worker
counts too. Waiting requests are served round-robin by client address, and one address may only
have :data:`MAX_WAITING_PER_CLIENT` requests waiting, so a client that floods the queue does not
starve the others. Named queries (texts the server ships, of known cost) have their own lane of
workers, which runaway texts sent to ``/sparql`` never occupy. The general lane's workers also run
at a lower CPU priority (:data:`GENERAL_LANE_NICENESS`): when a runaway text and the site's named
queries compete for the same cores, the kernel's scheduler gives the named queries most of them
until the runaway one reaches its time limit.

A worker serialises the answer itself (the parent only relays bytes) and enforces the row limit
while reading solutions, so a huge result is refused before it is built.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import multiprocessing as mp
import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .. import formats
from ..formats import names
from .refusal import Refusal

#: Result formats a worker writes, by kind of query (names of :mod:`recruitgraph.formats`).
ROW_FORMATS = names(formats.ROW_FORMATS)
GRAPH_FORMATS = names(formats.GRAPH_ANSWER_FORMATS)

#: Requests one client address may have waiting for a worker at once (more get 503 at once).
MAX_WAITING_PER_CLIENT = 4

#: Niceness added to the general lane's workers (Linux CFS weights: nice 10 gets about a tenth of
#: the CPU time of nice 0 under contention, and all of it when the cores are otherwise idle).
GENERAL_LANE_NICENESS = 10

#: Started workers kept in reserve to replace a killed one at once.
SPARE_WORKERS = 2

#: Address space kept for copying the store into memory, beside the copy itself: the engine's
#: bulk loader runs threads, each with its stack and allocator arena (a copy of a few triples
#: took a query's worker past its cap without it in the W3C protocol suite).
COPY_HEADROOM = 1024 * 1024 * 1024

#: Memory a query may use on top of the worker's size after opening the store (bytes).
DEFAULT_MEMORY_ALLOWANCE = 1024 * 1024 * 1024

#: Who sent the request being handled (set by the app's middleware; used for fair queueing).
current_client: contextvars.ContextVar[str] = contextvars.ContextVar("current_client", default="-")


@dataclass(frozen=True)
class StoreSpec:
    """How a worker opens the store: in memory from files, or the persistent one read-only.

    ``role="update"`` workers open nothing until they apply an update to the persistent store.
    """

    memory: bool = True
    data_dir: str | None = None
    extra_files: tuple[str, ...] = ()
    memory_allowance: int = DEFAULT_MEMORY_ALLOWANCE
    role: str = "query"
    #: Copy each published build of the persistent store into memory (in the background: the
    #: worker answers from disk meanwhile), reserving ``copy_bytes`` for the copy.
    copy_to_memory: bool = False
    copy_bytes: int = 0
    #: Where the copy is dumped on its way into memory: a directory of the parent's, removed
    #: with the worker, so a worker killed in the middle of a copy (a query past its time limit)
    #: leaves no dump of the store behind. Set by the parent for each worker it starts.
    scratch: str | None = None


@dataclass(frozen=True)
class Job:
    """One query or update.

    ``fmt`` is the answer format; empty means "negotiate from ``accept`` and ``override`` once
    the parsed text tells the kind of answer". ``check`` parses the text and refuses SERVICE and
    LOAD before evaluation (always on for text from a request). ``bindings`` are N-Triples terms.
    ``default_graphs`` and ``named_graphs`` (IRIs) define the dataset when given.
    """

    text: str
    fmt: str
    max_rows: int
    bindings: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    accept: str | None = None
    override: str | None = None
    operation: str = "query"
    check: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a worker answers: bytes in ``fmt``, or an error (status, title, detail).

    ``retire`` asks the pool to replace the worker (it ran out of memory)."""

    body: bytes = b""
    rows: int = 0
    #: Which store answered: "memory" (a copy, or the --memory store) or "disk".
    store: str = ""
    error: tuple[int, str, str] | None = None
    fmt: str = ""
    retire: bool = False


class QueryFailed(Refusal):
    """A query could not be answered (limits, a busy or stopped worker)."""


# -- the worker process ------------------------------------------------------------------------


class _StoreHolder:
    """The worker's store, opened on first use and re-opened when the persistent store
    publishes a new build."""

    def __init__(self, spec: StoreSpec) -> None:
        self.spec = spec
        self.store: Any = None
        self.persistent: Any = None
        self.stamp: float | None = None
        self.mode = "memory" if spec.memory else "disk"

    def _manifest_stamp(self) -> float | None:
        if self.persistent is None:
            return None
        try:
            return os.stat(self.persistent.manifest_path).st_mtime_ns
        except OSError:
            return None

    def open(self) -> None:
        from ..execute import open_store, persistent_store

        if self.spec.memory:
            self.store, _ = open_store(memory=True, extra_files=self.spec.extra_files)
            return
        if self.persistent is None:
            self.persistent = persistent_store(self.spec.data_dir)
        self.stamp = self._manifest_stamp()  # before opening: a build published meanwhile shows as new
        self.store, self.mode = self.persistent.open(), "disk"
        if self.spec.copy_to_memory:
            self._copy_in_background(self.store, self.stamp)

    def _copy_in_background(self, disk: Any, stamp: float | None) -> None:
        """Copy ``disk`` into memory in a thread (pyoxigraph releases the GIL while it dumps and
        loads, so queries go on from disk), then switch to the copy in one assignment, unless a
        newer build was published meanwhile. A copy that fails leaves the worker on disk."""
        from ..memory import copy_to_memory

        def run() -> None:
            try:
                copy = copy_to_memory(disk, Path(self.spec.scratch) if self.spec.scratch else None)
            except (MemoryError, OSError, RuntimeError, ValueError):
                return
            if self.stamp == stamp:
                self.store, self.mode = copy, "memory"

        threading.Thread(target=run, name="rg-copy", daemon=True).start()

    def fresh(self) -> Any:
        if self.store is None or (self.persistent is not None and self._manifest_stamp() != self.stamp):
            self.store = None
            self.open()
        return self.store


def _parse_term(text: str) -> Any:
    import pyoxigraph as ox

    quads = list(ox.parse(f"<urn:s> <urn:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))
    return quads[0].object


# Texts already parsed and found acceptable, with their kind (named queries come back often).
_CHECKED: OrderedDict[tuple[str, str, str | None], Any] = OrderedDict()
_CHECKED_MAX = 256

#: Set in a worker once it cannot open network sockets.
_SANDBOXED = False


def _check(job: Job) -> Any:
    from ..namespaces import PREFIXES
    from .sparql_check import parse_operation

    key = (job.text, job.operation, job.base_iri)
    parsed = _CHECKED.get(key)
    if parsed is None:
        parsed = parse_operation(job.text, job.operation, PREFIXES, job.base_iri, sandboxed=_SANDBOXED)
        _CHECKED[key] = parsed
        while len(_CHECKED) > _CHECKED_MAX:
            _CHECKED.popitem(last=False)
    return parsed


def run_job(holder: Any, job: Job) -> Outcome:
    """Check and run one job (in the worker process); ``holder`` is a store or a _StoreHolder."""
    from ..queries import query_kind
    from .sparql_check import CheckFailed
    from .sparql_protocol import ProtocolError, negotiate

    try:
        parsed = _check(job) if job.check else None
        kind = parsed.kind if parsed is not None else query_kind(job.text)
        if job.operation == "update" and (job.default_graphs or job.named_graphs):
            job = _with_using(job, parsed)
    except CheckFailed as exc:
        return Outcome(error=(exc.status, exc.title, exc.detail))
    if job.operation == "update":
        return _run_update(holder, job)
    try:
        fmt = job.fmt or negotiate(job.accept, kind, job.override)
    except ProtocolError as exc:
        return Outcome(error=(exc.status, exc.title, exc.detail))
    if not isinstance(holder, _StoreHolder):
        return _evaluate(holder, job, fmt)
    store = holder.fresh()
    mode = holder.mode  # read with the store: the copy may replace it while this job runs
    return replace(_evaluate(store, job, fmt), store=mode)


def _with_using(job: Job, parsed: Any) -> Job:
    """The update job with the protocol's using-graph-uri / using-named-graph-uri applied as
    USING clauses (400 when the update names its own dataset, as the protocol says)."""
    from dataclasses import replace

    from .sparql_check import CheckFailed, add_using

    if parsed is None or parsed.own_dataset:
        raise CheckFailed(400, "Dataset given twice",
                          "using-graph-uri and using-named-graph-uri cannot be combined with USING, "
                          "USING NAMED or WITH in the update")
    text = add_using(job.text, job.default_graphs or (), job.named_graphs or ())
    checked = _check(replace(job, text=text, default_graphs=None, named_graphs=None))
    if not checked.all_using:
        raise CheckFailed(400, "Dataset not applicable",
                          "using-graph-uri and using-named-graph-uri apply to DELETE/INSERT ... WHERE "
                          "operations; this update has none they can apply to")
    return replace(job, text=text, default_graphs=None, named_graphs=None)


def _run_update(holder: Any, job: Job) -> Outcome:
    from ..exc import RecruitGraphError, StoreLockedError
    from ..queries import syntax_position
    from .updates import apply_update

    spec: StoreSpec = holder.spec
    try:
        apply_update(spec.data_dir, job.text, base_iri=job.base_iri,
                      using=job.default_graphs, using_named=job.named_graphs)
    except SyntaxError as exc:
        return Outcome(error=(400, "Malformed update", f"SPARQL syntax error {syntax_position(exc)}"))
    except StoreLockedError as exc:
        return Outcome(error=(503, "Store busy", str(exc)))
    except RecruitGraphError as exc:
        return Outcome(error=(500, "Update failed", str(exc)))
    except (OSError, ValueError, RuntimeError) as exc:
        return Outcome(error=(400, "Update failed", f"the store could not apply the update: {exc}"))
    return Outcome()


def _evaluate(store: Any, job: Job, fmt: str) -> Outcome:
    from ..execute import TooManyRows, WrongKind, evaluate, write_answer
    from ..queries import syntax_position

    try:
        answer = evaluate(store, job.text, bindings={name: _parse_term(term) for name, term in job.bindings},
                          default_graph=job.default_graphs, named_graphs=job.named_graphs,
                          base_iri=job.base_iri or None)
        written = write_answer(answer, fmt, job.max_rows)
    except SyntaxError as exc:
        return Outcome(error=(400, "Malformed query", f"SPARQL syntax error {syntax_position(exc)}"))
    except TooManyRows:
        return Outcome(error=(400, "Too many results",
                              f"the answer has more than {job.max_rows} rows, the server's limit; "
                              "add a LIMIT or narrow the query"))
    except WrongKind as exc:
        return Outcome(error=(406, "Not acceptable", str(exc)))
    except (OSError, ValueError, RuntimeError) as exc:
        return Outcome(error=(400, "Query failed", f"the store could not evaluate the query: {exc}"))
    return Outcome(body=written.body, rows=written.rows, fmt=fmt)


def _worker_main(conn: Connection, spec: StoreSpec) -> None:
    from . import sandbox

    try:
        holder = _StoreHolder(spec)
        if spec.role == "query":
            holder.open()
        # Parsed once before the limits, so the first query does not pay for imports and warm-up.
        from ..namespaces import PREFIXES
        from .sparql_check import parse_operation

        parse_operation("ASK { ?s ?p ?o FILTER(?o > 1) }", "query", PREFIXES)
    except Exception as exc:  # reported to the parent, which gives up on this worker
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    global _SANDBOXED
    sandboxed = _SANDBOXED = sandbox.forbid_network()
    sandbox.limit_memory(spec.memory_allowance + (spec.copy_bytes + COPY_HEADROOM if spec.copy_to_memory else 0))
    conn.send(("ready", sandboxed))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            outcome = run_job(holder, job)
        except MemoryError:
            outcome = Outcome(error=_OUT_OF_MEMORY, retire=True)
        except Exception as exc:  # never let one query kill the worker silently
            outcome = Outcome(error=(500, "Query failed", f"{type(exc).__name__}: {exc}"))
        try:
            conn.send(outcome)
        except (OSError, ValueError):
            return
        if outcome.retire:
            return


_OUT_OF_MEMORY = (503, "Query stopped", "the query needed more memory than the server allows "
                  "and was stopped; narrow it or add a LIMIT")


# -- the parent side ---------------------------------------------------------------------------

#: What :meth:`_Worker.call` returns when the worker died during the job.
_DIED = Outcome(error=_OUT_OF_MEMORY, retire=True)


class _Worker:
    def __init__(self, ctx: Any, spec: StoreSpec, start_timeout: float) -> None:
        self.scratch = tempfile.mkdtemp(prefix="recruitgraph-worker-") if spec.copy_to_memory else None
        spec = replace(spec, scratch=self.scratch)
        try:
            self.conn, child = ctx.Pipe()
            self.process = ctx.Process(target=_worker_main, args=(child, spec), daemon=True)
            self.process.start()
        except BaseException:
            self._remove_scratch()  # no worker, so no kill to remove it
            raise
        child.close()
        if not self.conn.poll(start_timeout):
            self.kill()
            raise RuntimeError("a query worker did not start in time")
        status, detail = self.conn.recv()
        if status != "ready":
            self.kill()
            raise RuntimeError(f"a query worker could not open the store: {detail}")
        self.sandboxed = bool(detail)

    def call(self, job: Job, timeout: float) -> Outcome | None:
        """Send a job and wait; None when the time limit passed (the caller kills the worker)."""
        try:
            self.conn.send(job)
            if not self.conn.poll(max(0.0, timeout)):
                return None
            outcome: Outcome = self.conn.recv()
        except (EOFError, OSError):
            return _DIED
        return outcome

    def niceness(self) -> int | None:
        """The worker process's niceness as the system reports it (None once it is gone)."""
        try:
            return os.getpriority(os.PRIO_PROCESS, self.process.pid or 0) if self.process.pid else None
        except OSError:
            return None

    def lower_priority(self, niceness: int) -> None:
        """Raise the worker's niceness to ``niceness`` (never lowers it: that needs privileges)."""
        pid = self.process.pid
        if pid is None or niceness <= 0:
            return
        with contextlib.suppress(OSError, AttributeError):
            if os.getpriority(os.PRIO_PROCESS, pid) < niceness:
                os.setpriority(os.PRIO_PROCESS, pid, niceness)

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(2)
        with contextlib.suppress(Exception):
            self.conn.close()
        self._remove_scratch()

    def _remove_scratch(self) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


class _Lane:
    """Workers of one kind and the requests waiting for them, served round-robin by client."""

    def __init__(self, size: int, cap: int | None = MAX_WAITING_PER_CLIENT, niceness: int = 0) -> None:
        self.size = max(1, size)
        self.niceness = niceness
        self.cap = cap  # requests one client may have waiting (None: no cap)
        self.idle: list[_Worker] = []
        self.waiting: dict[str, deque[asyncio.Future[_Worker]]] = {}
        self.turns: deque[str] = deque()

    async def acquire(self, client: str, deadline: float, limit: float) -> _Worker:
        if self.idle:
            return self.idle.pop()
        queue = self.waiting.get(client)
        if self.cap is not None and queue is not None and len(queue) >= self.cap:
            raise QueryFailed(503, "Too many queries waiting",
                              f"{self.cap} of your queries are already waiting for a worker; "
                              "wait for their answers before sending more")
        future: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        if queue is None:
            queue = self.waiting[client] = deque()
            self.turns.append(client)
        queue.append(future)
        try:
            await asyncio.wait({future}, timeout=max(0.0, deadline - time.monotonic()))
        except BaseException:
            if future.done() and not future.cancelled():
                self.release(future.result())  # the request went away just as a worker came free
            else:
                future.cancel()
                self._forget(client, future)
            raise
        if not future.done():
            future.cancel()
            self._forget(client, future)
            raise QueryFailed(503, "Server busy",
                              f"no query worker became free within the server's limit of {limit:g} s; "
                              "try again shortly")
        return future.result()

    def _forget(self, client: str, future: asyncio.Future[_Worker]) -> None:
        queue = self.waiting.get(client)
        if queue is None:
            return
        with contextlib.suppress(ValueError):
            queue.remove(future)
        if not queue:
            del self.waiting[client]
            with contextlib.suppress(ValueError):
                self.turns.remove(client)

    def release(self, worker: _Worker) -> None:
        """Hand a free worker to the next client in turn, or keep it idle."""
        worker.lower_priority(self.niceness)
        while self.turns:
            client = self.turns.popleft()
            queue = self.waiting[client]
            future = queue.popleft()
            if queue:
                self.turns.append(client)
            else:
                del self.waiting[client]
            if not future.done():
                future.set_result(worker)
                return
        self.idle.append(worker)


#: Marks a replacement that goes to the spares rather than to a lane.
_SPARE = _Lane(1)


class WorkerPool:
    """Lanes of worker processes; :meth:`run` waits for a free one and enforces ``timeout``.

    ``size`` workers run texts sent by clients; ``named_size`` workers run the texts
    ``is_named`` recognises (the named queries the server ships); ``spares`` started workers
    wait in reserve to replace a killed one at once.
    """

    def __init__(self, spec: StoreSpec, size: int, *, named_size: int = 1,
                 start_timeout: float = 60.0, is_named: Callable[[str], bool] | None = None,
                 spares: int = SPARE_WORKERS) -> None:
        self.spec = spec
        self.start_timeout = start_timeout
        self._ctx = mp.get_context("spawn")
        self.lanes = {"any": _Lane(size, niceness=GENERAL_LANE_NICENESS if is_named else 0)}
        if named_size > 0 and is_named is not None:
            # Named queries are of known, small cost: no cap per client (clients behind one
            # address, such as a NAT or this machine, all get their turn in order).
            self.lanes["named"] = _Lane(named_size, cap=None)
        self.is_named = is_named
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        # A started worker kept in reserve, so a killed one is replaced at once.
        self._spares: list[_Worker] = []
        self.spares = spares
        self.replaced = 0
        self.sandboxed = True
        #: The store each live worker last answered from ("memory" or "disk"), and how many
        #: answers came from each since the start, for /health.
        self.stores: dict[int, str] = {}
        self.answers: dict[str, int] = {}
        self._started = False
        self._tasks: set[asyncio.Task[None]] = set()
        # Own threads: waiting on a worker must never queue behind worker start-ups (slow on a
        # loaded machine) in the event loop's small default pool.
        from concurrent.futures import ThreadPoolExecutor

        calls = sum(lane.size for lane in self.lanes.values()) + spares + 2
        self._calls = ThreadPoolExecutor(max_workers=calls, thread_name_prefix="rg-call")
        self._starts = ThreadPoolExecutor(max_workers=spares + 2, thread_name_prefix="rg-start")

    async def _start_one(self) -> _Worker:
        return await asyncio.get_running_loop().run_in_executor(self._starts, self._spawn)

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.spec, self.start_timeout)
        with self._lock:
            self._all.add(worker)
            self.sandboxed = self.sandboxed and worker.sandboxed
        return worker

    async def start(self) -> None:
        for lane in self.lanes.values():
            for worker in await asyncio.gather(*(self._start_one() for _ in range(lane.size))):
                lane.release(worker)
        self._spares.extend(await asyncio.gather(*(self._start_one() for _ in range(self.spares))))
        self._started = True

    def status(self) -> dict[str, Any]:
        """Idle and waiting counts by lane, spares and replacements (for ``/health``)."""
        lanes = {name: {"workers": lane.size, "idle": len(lane.idle),
                        "waiting": sum(len(q) for q in lane.waiting.values()),
                        "niceness": sorted({n for w in lane.idle if (n := w.niceness()) is not None})}
                 for name, lane in self.lanes.items()}
        stores: dict[str, int] = {}
        for mode in self.stores.values():
            stores[mode] = stores.get(mode, 0) + 1
        return {"lanes": lanes, "spares": len(self._spares), "replaced": self.replaced,
                "sandboxed": self.sandboxed, "stores": stores, "answers": dict(self.answers)}

    def _lane(self, job: Job) -> _Lane:
        if "named" in self.lanes and job.operation == "query" and self.is_named and self.is_named(job.text):
            return self.lanes["named"]
        return self.lanes["any"]

    async def run(self, job: Job, timeout: float, *, started: float | None = None) -> Outcome:
        """Run ``job`` in a free worker; raise :class:`QueryFailed` (503) past ``timeout``
        seconds counted from ``started`` (default: now), waiting included."""
        if not self._started:
            raise QueryFailed(503, "Not ready", "the query workers are not running")
        began = time.monotonic() if started is None else started
        deadline = began + timeout
        lane = self._lane(job)
        if lane is not self.lanes["any"]:
            from dataclasses import replace

            job = replace(job, check=False)  # a text the server ships: parsed when it was loaded
        if lane is not self.lanes["any"] and self.lanes["any"].idle:
            lane = self.lanes["any"]  # a named query may borrow an idle general worker, never wait for one
        worker = await lane.acquire(current_client.get(), deadline, timeout)
        if deadline - time.monotonic() < min(0.5, timeout / 4):
            # Too little time left to run it: refuse now rather than start it and kill the worker
            # (a replacement costs far more than the query).
            lane.release(worker)
            raise QueryFailed(503, "Server busy",
                              f"no query worker became free within the server's limit of {timeout:g} s; "
                              "try again shortly")
        try:
            outcome = await asyncio.get_running_loop().run_in_executor(
                self._calls, worker.call, job, deadline - time.monotonic())
        except BaseException:
            self._retire(worker, lane)
            raise
        if outcome is None or outcome.retire or not worker.process.is_alive():
            # Answer at once; the replacement starts in the background.
            self._retire(worker, lane)
            if outcome is None:
                raise QueryFailed(
                    503, "Query timed out",
                    f"the query ran longer than the server's limit of {timeout:g} s and was stopped "
                    f"after {time.monotonic() - began:.1f} s; narrow it or add a LIMIT",
                )
        else:
            if outcome.store:
                self.stores[id(worker)] = outcome.store
                self.answers[outcome.store] = self.answers.get(outcome.store, 0) + 1
            lane.release(worker)
        return outcome

    def _retire(self, worker: _Worker, lane: _Lane) -> None:
        worker.kill()
        task = asyncio.get_running_loop().create_task(self._replace(worker, lane))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, worker: _Worker, lane: _Lane) -> None:
        worker.kill()
        self.stores.pop(id(worker), None)
        with self._lock:
            self._all.discard(worker)
        self.replaced += 1
        if self._spares:
            lane.release(self._spares.pop())  # at once; the new worker becomes the spare
            lane = _SPARE
        while True:
            try:
                fresh = await self._start_one()
                break
            except RuntimeError:
                # Try again later rather than shrink the pool for good.
                await asyncio.sleep(1.0)
        if lane is _SPARE:
            self._spares.append(fresh)
        else:
            lane.release(fresh)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        # A replacement may be starting in a thread: wait for it, so that no worker process is
        # left running after the pool (it would outlive a process that ends without atexit)
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: self._starts.shutdown(wait=True, cancel_futures=True))
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            worker.kill()
        self._calls.shutdown(wait=False, cancel_futures=True)


def result_json(outcome: Outcome) -> dict[str, Any]:
    """Parse a worker's SPARQL JSON answer (for the HTML pages)."""
    data: dict[str, Any] = json.loads(outcome.body.decode("utf-8"))
    return data
