"""Exports of the whole graph in the standard RDF formats, deterministic where the format allows.

The engine writes N-Triples/N-Quads fast; sorting those lines gives one canonical order, and
re-serialising the sorted statements as Turtle or TriG (with the project prefixes) groups each
subject's triples together. Two exports of the same data are byte-identical. Blank nodes, which
the shipped data never has but imported files may, are relabelled by RDF canonicalisation
(RDFC-1.0) first so that their labels do not depend on load order.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .exc import ConfigError
from .namespaces import PREFIXES

#: Export format name -> (pyoxigraph format, usual file extension, media type).
EXPORT_FORMATS: dict[str, tuple[ox.RdfFormat, str, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, ".ttl", "text/turtle"),
    "trig": (ox.RdfFormat.TRIG, ".trig", "application/trig"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, ".nt", "application/n-triples"),
    "nquads": (ox.RdfFormat.N_QUADS, ".nq", "application/n-quads"),
    "jsonld": (ox.RdfFormat.JSON_LD, ".jsonld", "application/ld+json"),
    "rdfxml": (ox.RdfFormat.RDF_XML, ".rdf", "application/rdf+xml"),
}

_ALIASES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "json-ld": "jsonld", "xml": "rdfxml",
            "rdf": "rdfxml", "n-triples": "ntriples", "n-quads": "nquads"}


def normalise_format(name: str) -> str:
    """Accept ``ttl``, ``turtle``, ``nt`` and the like; refuse unknown names clearly."""
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {name!r} (choose from {', '.join(EXPORT_FORMATS)})")
    return key


def format_for_path(path: Path) -> str:
    """Guess the export format from a file name."""
    for name, (_, ext, _) in EXPORT_FORMATS.items():
        if path.suffix.lower() == ext:
            return name
    raise ConfigError(f"{path}: cannot tell the export format from the extension; give --format")


def _sorted_lines(store: ox.Store, quads: bool) -> bytes:
    fmt = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
    data = store.dump(format=fmt) if quads else store.dump(format=fmt, from_graph=ox.DefaultGraph())
    assert data is not None
    if b"_:" in data:
        dataset = ox.Dataset(ox.parse(data, format=fmt))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        data = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS) if quads else ox.serialize(
            (q.triple for q in dataset), format=fmt)
        assert data is not None
    lines = data.split(b"\n")
    lines.sort()
    return b"\n".join(line for line in lines if line) + b"\n"


def serialize_store(store: ox.Store, format: str = "turtle") -> bytes:
    """The store's content as bytes in ``format``; Turtle/TriG/N-Triples/N-Quads sorted."""
    key = normalise_format(format)
    fmt = EXPORT_FORMATS[key][0]
    if key in ("ntriples", "nquads"):
        return _sorted_lines(store, quads=key == "nquads")
    if key in ("turtle", "trig"):
        quads = key == "trig"
        lines = _sorted_lines(store, quads=quads)
        parsed = ox.parse(lines, format=ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES)
        out = ox.serialize(parsed, format=fmt, prefixes=PREFIXES)
        assert out is not None
        return out
    # JSON-LD and RDF/XML: from the sorted statements too, so repeated exports match.
    lines = _sorted_lines(store, quads=False)
    parsed = ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)
    out = ox.serialize(parsed, format=fmt, prefixes=PREFIXES) if key == "rdfxml" else ox.serialize(parsed, format=fmt)
    assert out is not None
    return out


def write_export(store: ox.Store, target: str | Path | IO[bytes], format: str = "turtle") -> int:
    """Write the export to a path or binary stream; return the number of bytes written."""
    data = serialize_store(store, format)
    if isinstance(target, str | Path):
        path = Path(target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write the export ({exc.strerror})") from None
    elif isinstance(target, io.TextIOBase):
        target.write(data.decode("utf-8"))
    else:
        target.write(data)
    return len(data)
