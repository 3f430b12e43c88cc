"""SPARQL Update and Graph Store writes, when ``serve --allow-update`` is given.

An update never touches the live build. Under the store's write lock it copies the live build
(a RocksDB checkpoint), applies the update to the copy and publishes the copy by replacing
``current.json`` atomically: the same path ``recruitgraph import`` takes, so readers (this
server's workers, other terminals) see either the old or the new build, never half of one.

Limits, documented in docs: updates need the persistent store (an in-memory server refuses
``--allow-update``), and a later rebuild from changed ``ontology/`` or ``data/`` files replays
imported files but not updates: export the graph first if you need to keep them.
"""

from __future__ import annotations

import time
import uuid

import pyoxigraph as ox

from .. import config
from ..exc import StoreError
from ..namespaces import PREFIXES
from ..store import Manifest, PersistentStore


def apply_update(data_dir: str | None, text: str) -> None:
    """Apply a SPARQL Update to a new build of the persistent store and publish it.

    Raises ``SyntaxError`` for a malformed update (nothing is published then).
    """
    persistent = PersistentStore(config.user_data_dir(data_dir), config.base_resources())
    with persistent.write_lock():
        current = Manifest.read(persistent.manifest_path)
        if current is None or not (persistent.builds / current.build).is_dir():
            raise StoreError(f"{persistent.root}: no live build to update")
        target = persistent.builds / (time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8])
        import shutil

        try:
            source = ox.Store.read_only(str(persistent.builds / current.build))
            source.backup(str(target))
            del source
            store = ox.Store(str(target))
            store.update(text, prefixes=PREFIXES)
            store.flush()
            del store
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        Manifest(target.name, current.base_hash, current.imports, time.time()).write(
            persistent.manifest_path
        )


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
