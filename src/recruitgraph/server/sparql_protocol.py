"""The SPARQL 1.1 Protocol pieces that do not depend on the web framework.

Content negotiation (https://www.w3.org/TR/sparql11-protocol/#query-success), the ``format=``
override many endpoints accept, the cheap checks made before a worker parses a query, and the service description
(https://www.w3.org/TR/sparql11-service-description/).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..formats import GRAPH_ANSWER_FORMATS, ROW_FORMATS, Format, names
from ..queries import query_kind
from .refusal import Refusal

#: Format name -> media type sent back, for every format an answer may take.
MEDIA_TYPES: dict[str, str] = {f.name: f.media_type for f in (*ROW_FORMATS, *GRAPH_ANSWER_FORMATS)}

#: Formats of each kind of answer, the default first.
ROW_ORDER = names(ROW_FORMATS)
GRAPH_ORDER = names(GRAPH_ANSWER_FORMATS)

#: File extension of each format, for downloads.
EXTENSIONS: dict[str, str] = {f.name: f.extension.lstrip(".") for f in (*ROW_FORMATS, *GRAPH_ANSWER_FORMATS)}


def _media_table(kind: tuple[Format, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for fmt in kind:
        for media in fmt.media_types:
            table.setdefault(media, fmt.name)
    return table


def _name_table(kind: tuple[Format, ...]) -> dict[str, str]:
    return {alias: fmt.name for fmt in kind for alias in (fmt.name, *fmt.aliases)}


# Accepted media types (and common aliases) -> format, for each kind of answer; names accepted by
# ``format=`` (and ``output=``), as SPARQLWrapper, Virtuoso and Fuseki use them.
_ROW_TYPES = _media_table(ROW_FORMATS)
_GRAPH_TYPES = _media_table(GRAPH_ANSWER_FORMATS)
_ROW_NAMES = _name_table(ROW_FORMATS)
_GRAPH_NAMES = _name_table(GRAPH_ANSWER_FORMATS)


class ProtocolError(Refusal):
    """A request the protocol refuses."""


def content_type(fmt: str) -> str:
    """The Content-Type header of an answer in ``fmt``."""
    return f"{MEDIA_TYPES[fmt]}; charset=utf-8"


@dataclass(frozen=True)
class _Range:
    media: str
    q: float
    order: int


def _all_ranges(header: str | None) -> list[_Range]:
    """Every media range of an Accept header with its q clamped to [0, 1], q=0 (a refusal) included."""
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


def parse_accept(header: str | None) -> list[_Range]:
    """Accept header -> the media ranges it accepts (q > 0), best first (q, then specificity,
    then order)."""
    def specificity(r: _Range) -> int:
        return 0 if r.media == "*/*" else 1 if r.media.endswith("/*") else 2
    return sorted((r for r in _all_ranges(header) if r.q > 0), key=lambda r: (-r.q, -specificity(r), r.order))


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
                        graphs: Sequence[tuple[str, int]] = ()) -> list[Any]:
    """A SPARQL 1.1 service description of ``endpoint`` as pyoxigraph triples (``update``:
    updates are on), listing the named ``graphs`` (IRI, triples) of its dataset, whose default
    graph is their union; the caller serialises it in the negotiated format."""
    import pyoxigraph as ox

    sd = "http://www.w3.org/ns/sparql-service-description#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    void_triples = ox.NamedNode("http://rdfs.org/ns/void#triples")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    service, dataset, graph = ox.NamedNode(endpoint), ox.BlankNode(), ox.BlankNode()
    out = [
        ox.Triple(service, rdf_type, ox.NamedNode(sd + "Service")),
        ox.Triple(service, ox.NamedNode(sd + "endpoint"), service),
        ox.Triple(service, ox.NamedNode("http://purl.org/dc/terms/title"),
                  ox.Literal("recruitgraph SPARQL endpoint")),
        ox.Triple(service, ox.NamedNode(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, ox.NamedNode(sd + "Dataset")),
        ox.Triple(dataset, ox.NamedNode("http://purl.org/dc/terms/description"),
                  ox.Literal("The default graph is the union of the named graphs (and of what was "
                             "imported into the default graph).", language="en")),
        ox.Triple(dataset, ox.NamedNode(sd + "defaultGraph"), graph),
        ox.Triple(graph, rdf_type, ox.NamedNode(sd + "Graph")),
        ox.Triple(graph, void_triples, ox.Literal(str(int(triples)), datatype=integer)),
    ]
    for iri, count in graphs:
        named, described = ox.BlankNode(), ox.BlankNode()
        out += [
            ox.Triple(dataset, ox.NamedNode(sd + "namedGraph"), named),
            ox.Triple(named, rdf_type, ox.NamedNode(sd + "NamedGraph")),
            ox.Triple(named, ox.NamedNode(sd + "name"), ox.NamedNode(iri)),
            ox.Triple(named, ox.NamedNode(sd + "graph"), described),
            ox.Triple(described, rdf_type, ox.NamedNode(sd + "Graph")),
            ox.Triple(described, void_triples, ox.Literal(str(int(count)), datatype=integer)),
        ]
    for language in ("SPARQL11Query", "SPARQL11Update") if update else ("SPARQL11Query",):
        out.append(ox.Triple(service, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + language)))
    for fmt in (*ROW_FORMATS, *GRAPH_ANSWER_FORMATS):
        if fmt.w3c:
            out.append(ox.Triple(service, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(fmt.w3c)))
    return out
