"""The one table of formats: every RDF and SPARQL result format the project reads or writes.

Each :class:`Format` says what it carries (``rows`` of a SELECT/ASK answer, a ``graph`` of
triples, or a ``dataset`` of quads), its names and aliases (for ``--format`` and ``format=``),
file extensions, media types (the first is the one sent; the others are accepted), whether the
project's prefixes are written, and the pyoxigraph format that reads and writes it: pyoxigraph's
own writers write every one of them (RDF through :func:`recruitgraph.export.serialize_triples`
and the sorted exports, SPARQL results through :func:`recruitgraph.execute.write_answer`); only
the rows of a remote endpoint, which arrive as rdflib terms, are written by
:meth:`recruitgraph.results.QueryResult.serialize`. The CLI, the exports, the release, the
store's loader, the server's content negotiation and the pages' download links all read this
module, so a format is added in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from .exc import ConfigError

Kind = Literal["rows", "graph", "dataset"]


@dataclass(frozen=True)
class Format:
    """One serialisation format and everything the project needs to know about it."""

    name: str
    label: str
    kind: Kind
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    prefixes: bool = False
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    #: The W3C format IRI (https://www.w3.org/ns/formats/), for service descriptions.
    w3c: str | None = None

    @property
    def extension(self) -> str:
        """The usual file extension, with its dot."""
        return self.extensions[0]

    @property
    def media_type(self) -> str:
        """The media type sent with an answer in this format."""
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """The Content-Type header of an answer (every format here is UTF-8 text)."""
        return f"{self.media_type}; charset=utf-8"

    @property
    def carries_triples(self) -> bool:
        return self.kind in ("graph", "dataset")


_W3C = "http://www.w3.org/ns/formats/"

#: Every format, in the order offered: for each kind, the default first.
FORMATS: tuple[Format, ...] = (
    Format("json", "SPARQL results JSON", "rows", (".srj", ".json"),
           ("application/sparql-results+json", "application/json", "text/javascript",
            "application/javascript"), aliases=("srj",), results=ox.QueryResultsFormat.JSON,
           w3c=_W3C + "SPARQL_Results_JSON"),
    Format("xml", "SPARQL results XML", "rows", (".srx", ".xml"),
           ("application/sparql-results+xml", "application/xml", "text/xml"), aliases=("srx",),
           results=ox.QueryResultsFormat.XML, w3c=_W3C + "SPARQL_Results_XML"),
    Format("csv", "CSV", "rows", (".csv",), ("text/csv",), results=ox.QueryResultsFormat.CSV,
           w3c=_W3C + "SPARQL_Results_CSV"),
    Format("tsv", "TSV", "rows", (".tsv",), ("text/tab-separated-values",),
           results=ox.QueryResultsFormat.TSV, w3c=_W3C + "SPARQL_Results_TSV"),
    # Turtle is a subset of N3: a request for N3 is answered in Turtle.
    Format("turtle", "Turtle", "graph", (".ttl", ".turtle"),
           ("text/turtle", "application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3",
            "application/n3"), aliases=("ttl", "n3"), prefixes=True, rdf=ox.RdfFormat.TURTLE, w3c=_W3C + "Turtle"),
    Format("ntriples", "N-Triples", "graph", (".nt", ".ntriples"),
           ("application/n-triples", "text/plain"), aliases=("nt", "n-triples"),
           rdf=ox.RdfFormat.N_TRIPLES, w3c=_W3C + "N-Triples"),
    Format("jsonld", "JSON-LD", "graph", (".jsonld", ".json"),
           ("application/ld+json", "application/x-json+ld", "application/json"),
           aliases=("json-ld", "json"), rdf=ox.RdfFormat.JSON_LD, w3c=_W3C + "JSON-LD"),
    Format("rdfxml", "RDF/XML", "graph", (".rdf", ".owl", ".xml"),
           ("application/rdf+xml", "application/xml", "text/xml"),
           aliases=("rdf", "rdf+xml", "xml"), prefixes=True, rdf=ox.RdfFormat.RDF_XML,
           w3c=_W3C + "RDF_XML"),
    Format("trig", "TriG", "dataset", (".trig",), ("application/trig",), prefixes=True,
           rdf=ox.RdfFormat.TRIG, w3c=_W3C + "TriG"),
    Format("nquads", "N-Quads", "dataset", (".nq", ".nquads"), ("application/n-quads",),
           aliases=("nq", "n-quads"), rdf=ox.RdfFormat.N_QUADS, w3c=_W3C + "N-Quads"),
)

_BY_NAME = {f.name: f for f in FORMATS}


def get(name: str) -> Format:
    """The format of canonical name ``name`` (a KeyError names an unknown one)."""
    return _BY_NAME[name]


def of_kind(*kinds: Kind) -> tuple[Format, ...]:
    """Formats that carry ``kinds``, in the order offered."""
    return tuple(f for f in FORMATS if f.kind in kinds)


def names(formats: Iterable[Format]) -> tuple[str, ...]:
    return tuple(f.name for f in formats)


#: What a SELECT/ASK answer may be written as; what a CONSTRUCT/DESCRIBE answer may (a dataset
#: format then holds the answer as its default graph); what the whole graph may be exported as.
ROW_FORMATS = of_kind("rows")
GRAPH_ANSWER_FORMATS = of_kind("graph", "dataset")
EXPORT_FORMATS = GRAPH_ANSWER_FORMATS


def lookup(name: str, among: Iterable[Format]) -> Format | None:
    """The format of ``among`` called ``name`` (canonical name or alias, any case), else None."""
    key = name.strip().lower()
    for fmt in among:
        if key == fmt.name or key in fmt.aliases:
            return fmt
    return None


def by_media_type(media: str, among: Iterable[Format]) -> Format | None:
    """The first format of ``among`` that accepts ``media`` (parameters ignored), else None."""
    key = media.split(";")[0].strip().lower()
    for fmt in among:
        if key in fmt.media_types:
            return fmt
    return None


def resolve(name: str, among: Iterable[Format], what: str = "format") -> Format:
    """Like :func:`lookup`, but an unknown name is a :class:`ConfigError` listing the choices."""
    choices = tuple(among)
    fmt = lookup(name, choices)
    if fmt is None:
        raise ConfigError(f"unknown {what} {name!r} (choose from {', '.join(names(choices))})")
    return fmt


def for_path(path: Path, among: Iterable[Format] = FORMATS) -> Format | None:
    """The format of ``among`` whose extensions include the suffix of ``path``, else None."""
    suffix = path.suffix.lower()
    for fmt in among:
        if suffix in fmt.extensions:
            return fmt
    return None


#: The formats the store can load, by extension (the first format claiming an extension wins,
#: so ``.json`` is JSON-LD and ``.xml`` RDF/XML for files). Notation3 files load as the RDF they
#: state; nothing is written as N3.
READABLE_EXTENSIONS: dict[str, ox.RdfFormat] = {".n3": ox.RdfFormat.N3}
for _fmt in of_kind("graph", "dataset"):
    for _ext in _fmt.extensions:
        if _fmt.rdf is not None:
            READABLE_EXTENSIONS.setdefault(_ext, _fmt.rdf)
