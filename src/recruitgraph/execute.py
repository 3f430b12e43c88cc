"""One way to open the embedded store and one way to run a query on it.

The Python API (:func:`recruitgraph.open`), the CLI through it, the server's worker processes and
its pages all open the store with :func:`open_store` and run SPARQL with :func:`evaluate` (the
project's prefixes, parameters bound as RDF terms, an optional dataset and base IRI);
:func:`write_answer` reads an answer under a row limit and writes it in a format of
:mod:`recruitgraph.formats`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
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
        return memory_store(list(config.base_resources().all) + [Path(p) for p in extra_files]), None
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
    ``default_graph`` and ``named_graphs`` (IRIs) define the dataset when given."""
    subs = {ox.Variable(k): ox.NamedNode(v) if isinstance(v, str) else v for k, v in (bindings or {}).items()}
    options: dict[str, Any] = {}
    if default_graph is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
    elif named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    if base_iri:
        options["base_iri"] = base_iri
    return store.query(text, prefixes=PREFIXES, substitutions=subs, **options)


def write_answer(answer: Any, fmt: str, max_rows: int | None = None) -> tuple[bytes, int]:
    """Read ``answer`` (what :func:`evaluate` returned) and write it in ``fmt``; return the bytes
    and the number of rows or triples. More than ``max_rows`` is :class:`TooManyRows`; rows asked
    as a graph or the reverse is :class:`WrongKind`."""
    from . import formats
    from .export import serialize_triples
    from .results import result_from_oxigraph

    rows = formats.names(formats.ROW_FORMATS)
    if isinstance(answer, ox.QueryBoolean):
        if fmt not in rows:
            raise WrongKind("an ASK answer is a SPARQL result, not a graph")
        return result_from_oxigraph(answer).serialize(fmt).encode("utf-8"), 1
    if isinstance(answer, ox.QuerySolutions):
        if fmt not in rows:
            raise WrongKind("a SELECT answer is a SPARQL result, not a graph")
        variables = list(answer.variables)
        kept = _take(answer, max_rows)
        return result_from_oxigraph(_Solutions(variables, kept)).serialize(fmt).encode("utf-8"), len(kept)
    if fmt not in formats.names(formats.GRAPH_ANSWER_FORMATS):
        raise WrongKind("a CONSTRUCT/DESCRIBE answer is a graph")
    triples = _take(answer, max_rows)
    return serialize_triples(triples, fmt), len(triples)


def _take(items: Any, limit: int | None) -> list[Any]:
    kept = []
    for item in items:
        kept.append(item)
        if limit is not None and len(kept) > limit:
            raise TooManyRows(limit)
    return kept


class _Solutions:
    """Already read solutions, shaped like pyoxigraph's QuerySolutions for result_from_oxigraph."""

    def __init__(self, variables: list[Any], solutions: list[Any]) -> None:
        self.variables = variables
        self._solutions = solutions

    def __iter__(self) -> Any:
        return iter(self._solutions)


__all__ = ["TooManyRows", "WrongKind", "evaluate", "open_store", "persistent_store", "write_answer"]
