"""SPARQL Update and Graph Store writes, when ``serve --allow-update`` is given.

An update never touches the live build. Under the store's write lock it copies the live build
(a RocksDB checkpoint), applies the update to the copy and publishes the copy by replacing
``current.json`` atomically: the same path ``recruitgraph import`` takes, so readers (this
server's workers, other terminals) see either the old or the new build, never half of one.

Updates need the persistent store (an in-memory server refuses ``--allow-update``). The store
keeps each update, so a later rebuild from changed ``ontology/`` or ``data/`` files replays the
imported files and the updates in the order they were made.
"""

from __future__ import annotations

import pyoxigraph as ox

from .. import config
from ..exc import StoreError
from ..store import Manifest, PersistentStore


def apply_update(data_dir: str | None, text: str, *, base_iri: str | None = None,
                 using: tuple[str, ...] | None = None, using_named: tuple[str, ...] | None = None) -> None:
    """Apply a SPARQL Update to a new build of the persistent store and publish it.

    Runs in an update worker process (never in the server process), under its time and memory
    limits. Raises ``SyntaxError`` for a malformed update (nothing is published then).
    """
    if using or using_named:  # the worker turns them into USING clauses first
        raise ValueError("using-graph-uri must be applied to the update text before it is run")
    persistent = PersistentStore(config.user_data_dir(data_dir), config.base_resources())
    if Manifest.read(persistent.manifest_path) is None:
        raise StoreError(f"{persistent.root}: no live build to update")
    persistent.apply_update(text, base_iri=base_iri)


def graph_update(method: str, graph: str | None, triples: list[ox.Triple]) -> str:
    """The SPARQL Update for a Graph Store Protocol write ("" when there is nothing to do).

    Terms are serialised by the RDF library, never pasted from the request.
    """
    target = f"GRAPH <{ox.NamedNode(graph).value}>" if graph else "DEFAULT"
    data = " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    wrapped = f"GRAPH <{ox.NamedNode(graph).value}> {{ {data} }}" if graph else data
    parts = []
    if method in ("PUT", "DELETE"):
        parts.append(f"DROP SILENT {target}")
    if method in ("PUT", "POST") and triples:
        parts.append(f"INSERT DATA {{ {wrapped} }}")
    return " ;\n".join(parts)
