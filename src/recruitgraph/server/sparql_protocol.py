"""The SPARQL 1.1 Protocol pieces that do not depend on the web framework.

Content negotiation (https://www.w3.org/TR/sparql11-protocol/#query-success), the ``format=``
override many endpoints accept, the cheap checks made before a worker parses a query, and the service description
(https://www.w3.org/TR/sparql11-service-description/).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..queries import query_kind

#: Format name -> media type sent back (with charset, since every one of them is UTF-8 text).
MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

#: Formats of each kind of answer, the default first.
ROW_ORDER = ("json", "xml", "csv", "tsv")
GRAPH_ORDER = ("turtle", "ntriples", "jsonld", "rdfxml")

#: File extension of each format, for downloads.
EXTENSIONS: dict[str, str] = {
    "json": "srj", "xml": "srx", "csv": "csv", "tsv": "tsv",
    "turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "rdfxml": "rdf",
}

# Accepted media types (and common aliases) -> format, for each kind of answer.
_ROW_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json", "application/json": "json",
    "text/javascript": "json", "application/javascript": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
    "text/n3": "turtle", "text/rdf+n3": "turtle", "application/n3": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/ld+json": "jsonld", "application/x-json+ld": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
}
# Names accepted by ``format=`` (and ``output=``), as SPARQLWrapper, Virtuoso and Fuseki use them.
_ROW_NAMES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"}
_GRAPH_NAMES = {
    "turtle": "turtle", "ttl": "turtle", "n3": "turtle", "ntriples": "ntriples", "nt": "ntriples",
    "n-triples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
    "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml",
}


class ProtocolError(Exception):
    """A request the protocol refuses: HTTP status, short title, detail for the user."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail


def content_type(fmt: str) -> str:
    """The Content-Type header of an answer in ``fmt``."""
    return f"{MEDIA_TYPES[fmt]}; charset=utf-8"


@dataclass(frozen=True)
class _Range:
    media: str
    q: float
    order: int


def parse_accept(header: str | None) -> list[_Range]:
    """Accept header -> media ranges, best first (q, then specificity, then order)."""
    if not header or not header.strip():
        return [_Range("*/*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append(_Range(media, q, order))
    def specificity(r: _Range) -> int:
        return 0 if r.media == "*/*" else 1 if r.media.endswith("/*") else 2
    return sorted((r for r in ranges if r.q > 0), key=lambda r: (-r.q, -specificity(r), r.order))


def _all_ranges(header: str | None) -> list[_Range]:
    """Every media range of an Accept header, q=0 included (a refusal)."""
    if not header or not header.strip():
        return [_Range("*/*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(_Range(media, q, order))
    return ranges


def negotiate(accept: str | None, kind: str, override: str | None = None) -> str:
    """Pick the answer format for a query ``kind`` (SELECT, ASK, CONSTRUCT, DESCRIBE).

    ``override`` (the ``format=`` parameter) wins over the Accept header; a name or media type
    that fits nothing is a 406. Each format takes the q-value of the most specific range that
    matches it (its media type or an alias, then ``type/*``, then ``*/*``), so ``q=0`` refuses a
    format even beside a wildcard, and ``text/*`` means the formats whose media type is text.
    """
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    types = _GRAPH_TYPES if graph else _ROW_TYPES
    names = _GRAPH_NAMES if graph else _ROW_NAMES
    candidates = list(GRAPH_ORDER if graph else ROW_ORDER)
    offered = ", ".join(sorted(set(types.values())))
    if override:
        key = override.strip().lower()
        fmt = names.get(key) or types.get(key.split(";")[0].strip())
        if fmt is None:
            raise ProtocolError(406, "Not acceptable",
                                f"format={override!r} does not fit a {kind} answer (choose from {offered})")
        return fmt
    ranges = _all_ranges(accept)
    best: tuple[float, int, int, int] | None = None
    chosen: str | None = None
    for preference, fmt in enumerate(candidates):
        canonical = MEDIA_TYPES[fmt]
        match: tuple[int, float, int] | None = None  # (specificity, q, order)
        for rng in ranges:
            if rng.media == canonical or types.get(rng.media) == fmt:
                spec = 2
            elif rng.media.endswith("/*") and rng.media != "*/*" and canonical.startswith(rng.media[:-1]):
                spec = 1
            elif rng.media == "*/*":
                spec = 0
            else:
                continue
            if match is None or (spec, rng.q) > (match[0], match[1]):
                match = (spec, rng.q, rng.order)
        if match is None or match[1] <= 0:
            continue
        rank = (match[1], match[0], -match[2], -preference)
        if best is None or rank > best:
            best, chosen = rank, fmt
    if chosen is None:
        raise ProtocolError(
            406, "Not acceptable",
            f"nothing in Accept: {accept!r} fits a {kind} answer; this endpoint offers "
            + ", ".join(sorted({MEDIA_TYPES[f] for f in types.values()})),
        )
    return chosen


def negotiate_graph(accept: str | None, override: str | None = None) -> str:
    """The format of an RDF graph answer (entity pages, Graph Store reads)."""
    return negotiate(accept, "CONSTRUCT", override)


def check_query(text: str) -> str:
    """Cheap checks of a query text in the server process; return the kind it appears to be.

    Nothing is parsed or evaluated here: the text must not be empty or nested deeper than
    :data:`~.sparql_check.MAX_NESTING`. The worker that runs it parses it and refuses SERVICE.
    The kind returned is a guess from the first keyword, for choosing a page or a format hint.
    """
    from .sparql_check import CheckFailed, check_nesting

    if not text.strip():
        raise ProtocolError(400, "Missing query", "the query is empty")
    try:
        check_nesting(text)
    except CheckFailed as exc:
        raise ProtocolError(exc.status, exc.title, exc.detail) from None
    kind = query_kind(text)
    return kind if kind not in ("UNKNOWN", "UPDATE") else "SELECT"


def service_description(endpoint: str, triples: int, *, update: bool = False,
                        graphs: Sequence[tuple[str, int]] = ()) -> str:
    """A SPARQL 1.1 service description of ``endpoint`` in Turtle (``update``: updates are on),
    listing the named ``graphs`` (IRI, triples) of its dataset; the default graph is their union."""
    languages = "sd:SPARQL11Query, sd:SPARQL11Update" if update else "sd:SPARQL11Query"
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
               "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
    result_formats = " ,\n        ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in formats)
    named = "".join(f" ;\n        sd:namedGraph [ a sd:NamedGraph ; sd:name <{iri}> ;\n"
                    f"            sd:graph [ a sd:Graph ; void:triples {int(count)} ] ]" for iri, count in graphs)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    dcterms:title "recruitgraph SPARQL endpoint" ;
    sd:supportedLanguage {languages} ;
    sd:resultFormat {result_formats} ;
    sd:defaultDataset [
        a sd:Dataset ;
        dcterms:description "The default graph is the union of the named graphs (and of what was imported into the default graph)."@en ;
        sd:defaultGraph [ a sd:Graph ; void:triples {int(triples)} ]{named}
    ] .
"""
