"""Read-only in-memory copies of the published store, when they fit a memory budget.

The disk store (RocksDB) answers queries 3 to 7 times slower than pyoxigraph's in-memory store
on the same data (docs/performance.md). A reader that only queries can copy the published build
into memory when the copy fits the budget, and read from disk otherwise.

The copy costs about :data:`BYTES_PER_TRIPLE` of resident memory per triple (measured at 1M and
5M synthetic triples: 390 MB to 580 MB per million while loading), so the decision is taken on
the triple count before anything is copied.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .exc import ConfigError

#: Environment variable that sets the budget (bytes, or a number with K, M, G or T).
BUDGET_ENV = "RECRUITGRAPH_MEMORY_BUDGET"
#: Default budget: 8 GiB, a third of a 24 GB machine, leaving room for the server and the OS.
DEFAULT_BUDGET = 8 * 1024**3
#: Resident memory of an in-memory copy per triple, with the loader's headroom (bench/run).
BYTES_PER_TRIPLE = 800

_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_budget(text: str, *, origin: str = BUDGET_ENV) -> int:
    """Bytes of a budget such as ``8G``, ``512M``, ``1.5g`` or ``1000000``."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", text.lower())
    if not m:
        raise ConfigError(f"{origin}: {text!r} is not a memory size like 8G, 512M or 1000000")
    return int(float(m.group(1)) * _UNITS[m.group(2)])


def memory_budget(budget: int | str | None = None) -> tuple[int, str]:
    """The budget in bytes and where it comes from: the parameter, the environment, the default."""
    if budget is not None:
        value = parse_budget(budget, origin="memory_budget") if isinstance(budget, str) else int(budget)
        if value < 0:
            raise ConfigError(f"memory_budget: must be 0 or more, not {budget}")
        return value, "memory_budget parameter"
    env = os.environ.get(BUDGET_ENV, "").strip()
    if env:
        return parse_budget(env), BUDGET_ENV
    return DEFAULT_BUDGET, "default budget"


def human(n: float) -> str:
    """``1.5 GB``-style size."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit in ("B", "KB") else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"


@dataclass(frozen=True)
class Decision:
    """Which store a reader uses, and the one-line reason said at start-up."""

    in_memory: bool
    triples: int
    estimate: int
    budget: int
    message: str


def decide(triples: int, budget: int | str | None = None) -> Decision:
    """Memory when ``triples`` fit the budget, disk otherwise, with the reason in ``message``."""
    limit, where = memory_budget(budget)
    estimate = triples * BYTES_PER_TRIPLE
    fits = estimate <= limit
    mode = "in-memory copy" if fits else "disk store"
    verdict = "fits" if fits else "exceeds"
    message = (
        f"recruitgraph: reading from the {mode}: {triples:,} triples need about {human(estimate)}, "
        f"which {verdict} the {where} of {human(limit)}"
        + ("" if fits else f" (raise it with {BUDGET_ENV} or memory_budget=)")
    )
    return Decision(fits, triples, estimate, limit, message)


def decide_copies(triples: int, copies: int, budget: int | str | None = None) -> Decision:
    """Whether ``copies`` in-memory copies (one per query worker of the server) of ``triples``
    fit the budget; the one-line reason in ``message``."""
    limit, where = memory_budget(budget)
    estimate = triples * BYTES_PER_TRIPLE * copies
    fits = estimate <= limit
    message = (
        f"recruitgraph: query workers read from {'in-memory copies' if fits else 'the disk store'}: "
        f"{copies} copies of {triples:,} triples need about {human(estimate)}, which "
        f"{'fits' if fits else 'exceeds'} the {where} of {human(limit)}"
        + ("; they answer from disk until their copy is loaded, and again after each new build "
           "until its copy is" if fits else f" (raise it with --memory-budget or {BUDGET_ENV})")
    )
    return Decision(fits, triples, estimate, limit, message)


def copy_to_memory(disk: ox.Store, scratch: Path | None = None) -> ox.Store:
    """A new in-memory store with every quad of ``disk``.

    The engine dumps N-Quads to a temporary file and bulk-loads it back: both run in Rust, about
    twice as fast as iterating the quads through Python and without holding them as objects.
    """
    store = ox.Store()
    with tempfile.TemporaryDirectory(prefix="recruitgraph-copy-", dir=scratch) as tmp:
        dump = Path(tmp) / "store.nq"
        disk.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    return store
