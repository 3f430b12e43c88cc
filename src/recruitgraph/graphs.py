"""The named graphs of the store: one per source, one for the ontology, one shared.

Each source's compiled file (``data/<id>.ttl``, with its metadata file ``data/sources/<id>.ttl``
when there is one) goes in the graph ``<https://w3id.org/recruitgraph/graph/<id>>``, which the
source names with ``rg:namedGraph``; the ontology and vocabularies go in ``graph/ontology``.
The graphs are a *partition* of the data: a statement that two or more of these units make
(an entity's type and label repeat in every file that mentions it) goes once to
``graph/shared``, as do the files that belong to no source (the shared measures). Queries see
the union of all graphs as their default graph, and since no statement is in two graphs the
union holds each once: pyoxigraph 0.5 counts a statement present in two graphs twice when the
default graph is the union (oxigraph issue #1919).

>>> graph_iri("tmt-2023-09-cuba-arrests")
'https://w3id.org/recruitgraph/graph/tmt-2023-09-cuba-arrests'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from .exc import InputError
from .namespaces import PREFIXES

#: Where the graph names live, under the project's namespace.
GRAPH_NS = "https://w3id.org/recruitgraph/graph/"
#: The ontology and vocabulary files.
ONTOLOGY_GRAPH = GRAPH_NS + "ontology"
#: Statements several files make, and the files of no single source.
SHARED_GRAPH = GRAPH_NS + "shared"
#: The property by which a source names its graph.
NAMED_GRAPH = PREFIXES["rg"] + "namedGraph"

_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_SOURCE = ox.NamedNode(PREFIXES["rg"] + "Source")
_RESERVED = {"ontology", "shared"}


def graph_iri(source_id: str) -> str:
    """The name of the graph holding what was compiled from source ``source_id`` alone."""
    if source_id in _RESERVED:
        raise InputError(f"source id {source_id!r} is reserved for the graph <{GRAPH_NS}{source_id}>")
    return GRAPH_NS + source_id


def _parse(path: Path) -> set[ox.Triple]:
    from .store import parse_file

    return {quad.triple for quad in parse_file(path)}


def units(ontology: Sequence[Path], data: Sequence[Path]) -> dict[str, list[set[ox.Triple]]]:
    """The statements of each file, grouped by the graph they belong to before sharing: the
    ontology graph, each source's graph (files named after a resource typed ``rg:Source``), and
    the shared graph for the other data files."""
    parsed = {path: _parse(path) for path in data}
    by_stem: dict[str, list[Path]] = {}
    for path in data:
        by_stem.setdefault(path.stem, []).append(path)
    out: dict[str, list[set[ox.Triple]]] = {ONTOLOGY_GRAPH: [set().union(*(_parse(p) for p in ontology))]}
    for stem, paths in by_stem.items():
        triples = set().union(*(parsed[p] for p in paths))
        is_source = ox.Triple(ox.NamedNode(PREFIXES["rgd"] + stem), _RDF_TYPE, _SOURCE) in triples
        key = graph_iri(stem) if is_source else SHARED_GRAPH
        out.setdefault(key, []).append(triples)
    return out


def partition(ontology: Sequence[Path], data: Sequence[Path]) -> list[ox.Quad]:
    """Every statement of the files once, in the graph the module docstring describes."""
    grouped = {graph: set().union(*parts) for graph, parts in units(ontology, data).items()}
    owners: dict[ox.Triple, str | None] = {}
    for graph, triples in grouped.items():
        for triple in triples:
            owners[triple] = graph if triple not in owners else None
    shared = ox.NamedNode(SHARED_GRAPH)
    names = {graph: ox.NamedNode(graph) for graph in grouped}
    return [ox.Quad(t.subject, t.predicate, t.object, names[g] if g is not None else shared)
            for t, g in owners.items()]


def drop_default_duplicates(store: ox.Store) -> None:
    """Remove from the default graph the statements a named graph already holds.

    Imports and updates write the default graph; a statement that is also in a named graph
    would be counted twice by queries over the union (see the module docstring). The copy in
    the default graph adds nothing a query can see, so it goes.
    """
    # One update, evaluated by the engine from the named graphs' side: about 0.2 s whatever the
    # size of the import (iterating the named graphs' statements from Python took 0.5 s).
    store.update("DELETE { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } ?s ?p ?o }")


def graph_sizes(store: ox.Store) -> list[tuple[str, int]]:
    """(IRI, number of triples) of each named graph of the store, sorted by IRI."""
    from .execute import evaluate

    counts = evaluate(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) } "
                             "GROUP BY ?g ORDER BY ?g")
    return [(row["g"].value, int(row["n"].value)) for row in counts]


def graph_facts(store: ox.Store) -> list[tuple[str, int, str | None]]:
    """(IRI, number of triples, the source naming it or None) of each named graph."""
    from .execute import evaluate

    owners = {row["g"].value: row["s"].value for row in evaluate(store, "SELECT ?g ?s ?named WHERE { ?s ?named ?g }",
                                                                  bindings={"named": NAMED_GRAPH})}
    return [(iri, count, owners.get(iri)) for iri, count in graph_sizes(store)]
