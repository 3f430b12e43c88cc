"""What the server holds between requests: options, the worker pool and the UI's own graph.

The UI pages (entity pages, timeline, pipelines) run small fixed queries on a graph opened in
the server process; every user-supplied query goes to the worker pool instead, where it can be
stopped. Both follow the persistent store: when ``current.json`` changes (an import in another
terminal, an update through this server), the next request re-opens the new build.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .. import config
from ..graph import KnowledgeGraph
from ..graph import open as open_graph
from .workers import DEFAULT_MEMORY_ALLOWANCE, StoreSpec, WorkerPool

T = TypeVar("T")

#: Host names a request may carry by default (DNS rebinding gets any other name refused).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")

#: Values the page cache keeps per build of the store (least recently used go first).
CACHE_ENTRIES = 256


@dataclass
class ServerOptions:
    """Settings of ``recruitgraph serve`` (see ``recruitgraph serve --help``)."""

    memory: bool = False
    data_dir: str | None = None
    extra_files: tuple[str, ...] = ()
    allow_update: bool = False
    token: str | None = None
    query_timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    workers: int = 2
    named_workers: int = 2
    query_memory: int = DEFAULT_MEMORY_ALLOWANCE
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    base_url: str = "http://127.0.0.1:8000"
    extra: dict[str, Any] = field(default_factory=dict)
    #: Query workers copy each published build into memory (decided at start-up against the
    #: memory budget: :func:`recruitgraph.memory.decide_copies`), reserving ``copy_bytes`` each.
    copy_to_memory: bool = False
    copy_bytes: int = 0

    def spec(self, role: str = "query") -> StoreSpec:
        copy = self.copy_to_memory and role == "query" and not self.memory
        return StoreSpec(memory=self.memory, data_dir=self.data_dir, extra_files=tuple(self.extra_files),
                         memory_allowance=self.query_memory, role=role, copy_to_memory=copy,
                         copy_bytes=self.copy_bytes if copy else 0)

    def token_ok(self, header: str | None) -> bool:
        """True when updates are enabled and ``Authorization: Bearer <token>`` matches."""
        if not (self.allow_update and self.token and header):
            return False
        scheme, _, value = header.partition(" ")
        # bytes: compare_digest refuses str with characters outside ASCII
        given = value.strip().encode("utf-8", "surrogateescape")
        return scheme.lower() == "bearer" and secrets.compare_digest(given, self.token.encode("utf-8"))


class ServerState:
    """The options, the pools and a bounded cache keyed by the live build."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self._named: frozenset[str] | None = None
        self.pool = WorkerPool(options.spec(), options.workers, named_size=options.named_workers,
                               is_named=self.is_named)
        self.update_pool = WorkerPool(options.spec("update"), 1, spares=0) if options.allow_update else None
        self._kg: KnowledgeGraph | None = None
        self._stamp: str = ""
        self._lock = threading.RLock()
        self._cache: OrderedDict[str, Any] = OrderedDict()

    def is_named(self, text: str) -> bool:
        """True for the text of a named query the server ships (they run in their own lane)."""
        if self._named is None:
            from ..queries import QueryCatalogue

            catalogue = QueryCatalogue(config.queries_dir()).all()
            self._named = frozenset(q.text for q in catalogue.values())
        return text in self._named

    @property
    def manifest_path(self) -> Path | None:
        if self.options.memory:
            return None
        return config.user_data_dir(self.options.data_dir) / "current.json"

    def _current_stamp(self) -> str:
        path = self.manifest_path
        if path is None:
            return "memory"
        try:
            return f"{path.stat().st_mtime_ns}"
        except OSError:
            return "missing"

    def kg(self) -> KnowledgeGraph:
        """The graph for UI pages, re-opened when the persistent store published a new build."""
        with self._lock:
            stamp = self._current_stamp()
            if self._kg is None or stamp != self._stamp:
                if self._kg is not None:
                    self._kg.close()
                if self.options.memory:
                    self._kg = open_graph(memory=True, extra_files=list(self.options.extra_files))
                else:
                    self._kg = open_graph(data_dir=self.options.data_dir)
                self._stamp = self._current_stamp()
                self._cache.clear()
            return self._kg

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """A value computed once per build of the store (at most :data:`CACHE_ENTRIES` kept)."""
        self.kg()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
            else:
                self._cache[key] = build()
                while len(self._cache) > CACHE_ENTRIES:
                    self._cache.popitem(last=False)
            value: T = self._cache[key]
            return value

    def invalidate(self) -> None:
        with self._lock:
            self._stamp = ""

    def close(self) -> None:
        with self._lock:
            if self._kg is not None:
                self._kg.close()
                self._kg = None


def read_token_file(path: str | os.PathLike[str]) -> str:
    """The update token from a file (first line, stripped); refuses an empty or short one."""
    from ..exc import ConfigError

    try:
        token = Path(path).read_text(encoding="utf-8").strip().splitlines()[0].strip()
    except (OSError, IndexError, UnicodeDecodeError) as exc:
        raise ConfigError(f"--token-file {path}: cannot read a token ({exc})") from None
    if len(token) < 16:
        raise ConfigError(f"--token-file {path}: the token must be at least 16 characters")
    return token
