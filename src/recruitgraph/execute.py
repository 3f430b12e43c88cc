"""One way to open the embedded store and one way to run a query on it.

The Python API (:func:`recruitgraph.open`), the CLI through it, the server's worker processes and
its pages all open the store with :func:`open_store` and run SPARQL with :func:`evaluate` (the
project's prefixes, parameters bound as RDF terms, an optional dataset and base IRI);
:func:`write_answer` reads an answer under a row limit and writes it in a format of
:mod:`recruitgraph.formats`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import config
from .exc import RecruitGraphError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from .store import PersistentStore


class TooManyRows(RecruitGraphError):
    """An answer has more rows (or triples) than the limit allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer has more than {limit} rows, the limit; add a LIMIT or narrow the query")
        self.limit = limit


class WrongKind(RecruitGraphError):
    """An answer cannot be written in the format asked (rows as a graph, or the reverse)."""


def open_store(
    *, memory: bool = False, data_dir: str | os.PathLike[str] | None = None,
    extra_files: Sequence[str | os.PathLike[str]] = (),
) -> tuple[ox.Store, PersistentStore | None]:
    """The store built from ``ontology/`` and ``data/``: in memory (plus ``extra_files``), or the
    persistent one in the data directory (built or rebuilt as needed) with its manager."""
    from .store import memory_store

    if memory:
        return memory_store(config.base_resources(), [Path(p) for p in extra_files]), None
    persistent = persistent_store(data_dir)
    return persistent.open(), persistent


def persistent_store(data_dir: str | os.PathLike[str] | None = None) -> PersistentStore:
    """The manager of the persistent store in the data directory, not opened yet (a reader that
    must note the published build before opening it, as the server's workers do, opens it)."""
    from .store import PersistentStore

    return PersistentStore(config.user_data_dir(data_dir), config.base_resources())


def evaluate(
    store: ox.Store, text: str, *, bindings: Mapping[str, Any] | None = None,
    default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
    base_iri: str | None = None,
) -> Any:
    """Run a query on ``store`` with the project's prefixes; ``bindings`` (variable -> pyoxigraph
    term, or an IRI string) are substituted as RDF terms, never pasted into the text;
    ``default_graph`` and ``named_graphs`` (IRIs) define the dataset when given; otherwise the
    default graph is the union of the store's graphs (each source has its own: graphs.py)."""
    subs = {ox.Variable(k): ox.NamedNode(v) if isinstance(v, str) else v for k, v in (bindings or {}).items()}
    options: dict[str, Any] = {}
    if default_graph is not None or named_graphs is not None:
        # the protocol's dataset: the default graph merges the default-graph-uri graphs (with
        # named-graph-uri alone, none: an empty default graph), the named graphs are those given
        options["default_graph"] = [ox.NamedNode(g) for g in default_graph or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
    else:
        # the default graph of every query is the union of the store's graphs (graphs.py)
        options["use_default_graph_as_union"] = True
    if base_iri:
        options["base_iri"] = base_iri
    return store.query(text, prefixes=PREFIXES, substitutions=subs, **options)


@dataclass(frozen=True)
class Written:
    """An answer written in a format: its bytes, its rows (or triples), and an ASK's boolean."""

    body: bytes
    rows: int
    boolean: bool | None = None


def write_answer(answer: Any, fmt: str, max_rows: int | None = None) -> Written:
    """Read ``answer`` (what :func:`evaluate` returned) and write it in ``fmt`` with pyoxigraph's
    own writers; return the bytes and the number of rows or triples. More than ``max_rows`` is
    :class:`TooManyRows`, found while the engine writes (nothing larger is built); rows asked as
    a graph or the reverse is :class:`WrongKind`."""
    from . import formats
    from .export import serialize_triples

    if isinstance(answer, ox.QueryBoolean | ox.QuerySolutions):
        target = formats.lookup(fmt, formats.ROW_FORMATS)
        if target is None or target.results is None:
            raise WrongKind(f"a {'ASK' if isinstance(answer, ox.QueryBoolean) else 'SELECT'} answer "
                            "is a SPARQL result, not a graph")
        if isinstance(answer, ox.QueryBoolean):
            return Written(answer.serialize(format=target.results) or b"", 1, bool(answer))
        tsv, rows = _capped_tsv(answer, max_rows)
        if target.results == ox.QueryResultsFormat.TSV:
            return Written(tsv, rows)
        # TSV writes every term in N-Triples syntax: read back, the solutions are the same
        again = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        return Written(again.serialize(format=target.results) or b"", rows)
    if fmt not in formats.names(formats.GRAPH_ANSWER_FORMATS):
        raise WrongKind("a CONSTRUCT/DESCRIBE answer is a graph")
    triples = []
    for triple in answer:
        triples.append(triple)
        if max_rows is not None and len(triples) > max_rows:
            raise TooManyRows(max_rows)
    return Written(serialize_triples(triples, fmt), len(triples))


class _Capped(io.RawIOBase):
    """A byte sink that refuses to take more than ``limit`` TSV rows (one a line after the header)."""

    def __init__(self, limit: int | None) -> None:
        self.data = bytearray()
        self.lines = 0
        self.limit = limit
        self.exceeded = False

    def writable(self) -> bool:
        return True

    def write(self, chunk: Any) -> int:
        self.data += chunk
        self.lines += bytes(chunk).count(b"\n")
        if self.limit is not None and self.lines - 1 > self.limit:
            self.exceeded = True
            raise OSError("row limit")
        return len(chunk)


def _capped_tsv(answer: Any, limit: int | None) -> tuple[bytes, int]:
    sink = _Capped(limit)
    try:
        answer.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except Exception:
        if sink.exceeded:
            raise TooManyRows(limit or 0) from None
        raise
    data = bytes(sink.data)
    if limit is not None and data.count(b"\n") - 1 > limit:
        raise TooManyRows(limit)
    return data, max(0, data.count(b"\n") - 1)


__all__ = ["TooManyRows", "Written", "WrongKind", "evaluate", "open_store", "persistent_store", "write_answer"]
