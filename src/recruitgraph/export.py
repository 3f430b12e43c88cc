"""Exports of the whole graph in the standard RDF formats, deterministic where the format allows.

The engine writes N-Triples/N-Quads fast; sorting those lines gives one canonical order, and
re-serialising the sorted statements as Turtle or TriG (with the project prefixes) groups each
subject's triples together. Two exports of the same data are byte-identical. Blank nodes, which
the shipped data never has but imported files may, are relabelled by RDF canonicalisation
(RDFC-1.0) first so that their labels do not depend on load order.

Turtle, N-Triples, JSON-LD and RDF/XML hold the merge of the store's graphs, each statement
once; TriG and N-Quads keep the named graphs (one per source, see :mod:`recruitgraph.graphs`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from . import formats
from .exc import ConfigError
from .namespaces import PREFIXES


def normalise_format(name: str) -> str:
    """Accept ``ttl``, ``turtle``, ``nt`` and the like; refuse unknown names clearly."""
    return formats.resolve(name, formats.EXPORT_FORMATS, "export format").name


def format_for_path(path: Path) -> str:
    """Guess the export format from a file name."""
    fmt = formats.for_path(path, formats.EXPORT_FORMATS)
    if fmt is None:
        raise ConfigError(f"{path}: cannot tell the export format from the extension; give --format")
    return fmt.name


def serialize_triples(triples: Any, format: str) -> bytes:
    """pyoxigraph triples (or quads) as bytes in ``format``, with the project's prefixes where
    the format has them (the one rule for every writer: CLI answers, the server, entity pages)."""
    fmt = formats.get(normalise_format(format))
    assert fmt.rdf is not None
    if fmt.prefixes:
        data = ox.serialize(triples, format=fmt.rdf, prefixes=PREFIXES)
    else:
        data = ox.serialize(triples, format=fmt.rdf)
    return data or b""


def _graphs(store: ox.Store) -> list[ox.DefaultGraph | ox.NamedNode | ox.BlankNode]:
    return [ox.DefaultGraph(), *store.named_graphs()]


def _dump(store: ox.Store, quads: bool, output: IO[bytes] | None = None) -> bytes:
    """N-Quads of the whole store, or N-Triples of every graph one after the other (the merge,
    with a statement of two graphs twice: the sort that follows removes the repeat)."""
    if quads:
        return store.dump(output, format=ox.RdfFormat.N_QUADS) or b""
    parts = [store.dump(output, format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b"" for g in _graphs(store)]
    return b"".join(parts)


def _sorted_lines(store: ox.Store, quads: bool) -> bytes:
    fmt = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
    data = _dump(store, quads)
    if b"_:" in data:
        dataset = ox.Dataset(ox.parse(data, format=fmt))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        relabelled = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS) if quads else ox.serialize(
            (q.triple for q in dataset), format=fmt)
        assert relabelled is not None
        data = relabelled
    lines = sorted(set(data.split(b"\n")))
    return b"\n".join(line for line in lines if line) + b"\n"


def _keeps_graphs(key: str) -> bool:
    return formats.get(key).kind == "dataset"


def _line_format(key: str) -> ox.RdfFormat:
    """N-Quads for the formats that keep graphs, N-Triples for the others."""
    return ox.RdfFormat.N_QUADS if _keeps_graphs(key) else ox.RdfFormat.N_TRIPLES


def _write_statements(statements: Any, key: str, output: str | None = None) -> bytes | None:
    """Serialise sorted statements in format ``key`` (to ``output``, else as bytes), keeping
    their order; the formats with prefixes get the project's."""
    fmt = formats.get(key)
    assert fmt.rdf is not None
    if fmt.prefixes:
        return ox.serialize(statements, output, format=fmt.rdf, prefixes=PREFIXES)
    return ox.serialize(statements, output, format=fmt.rdf)


def serialize_store(store: ox.Store, format: str = "turtle") -> bytes:
    """The store's content as bytes in ``format``, from its statements in sorted order."""
    key = normalise_format(format)
    lines = _sorted_lines(store, quads=_keeps_graphs(key))
    if _line_format(key) == formats.get(key).rdf:
        return lines
    out = _write_statements(ox.parse(lines, format=_line_format(key)), key)
    assert out is not None
    return out


def _has_blank_nodes(path: Path) -> bool:
    with path.open("rb") as fh:
        tail = b""
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            if b"_:" in tail + chunk:
                return True
            tail = chunk[-1:]
    return False


def _export_via_sort(store: ox.Store, path: Path, key: str) -> bool:
    """Write a sorted export to ``path`` with little memory, whatever the size of the store.

    The engine dumps N-Triples/N-Quads to a temporary file, the system's ``sort`` orders the
    lines byte-wise (an external merge sort: bounded memory, both cores), and the engine streams
    the sorted statements into the output format. Returns False, having written nothing, when
    this path does not apply (no ``sort`` program, or blank nodes that need canonicalisation).
    """
    sort = shutil.which("sort")
    if sort is None:
        return False
    quads = _keeps_graphs(key)
    line_format = _line_format(key)
    with tempfile.TemporaryDirectory(prefix="recruitgraph-export-", dir=path.parent) as tmp:
        dump = Path(tmp) / "dump"
        with dump.open("wb") as fh:
            _dump(store, quads, fh)
        if _has_blank_nodes(dump):
            return False
        ordered = path if line_format == formats.get(key).rdf else Path(tmp) / "sorted"
        done = subprocess.run(
            [sort, "-u", "-S", "256M", "-T", tmp, "-o", str(ordered), str(dump)],
            env={**os.environ, "LC_ALL": "C"}, capture_output=True, check=False,
        )
        if done.returncode != 0:
            return False
        if ordered != path:
            _write_statements(ox.parse(path=str(ordered), format=line_format), key, str(path))
    return True


def write_export(store: ox.Store, target: str | Path | IO[bytes], format: str = "turtle") -> int:
    """Write the export to a path or binary stream; return the number of bytes written."""
    if isinstance(target, str | Path):
        path = Path(target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not _export_via_sort(store, path, normalise_format(format)):
                path.write_bytes(serialize_store(store, format))
            return path.stat().st_size
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write the export ({exc.strerror or exc})") from None
    data = serialize_store(store, format)
    if isinstance(target, io.TextIOBase):
        target.write(data.decode("utf-8"))
    else:
        target.write(data)
    return len(data)
