"""``recruitgraph push``: upload the dataset to a remote SPARQL 1.1 store."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..exc import EndpointError
from . import add_command, open_graph


def register(sub: Any) -> None:
    p = add_command(
        sub, "push",
        help="upload the dataset to a remote SPARQL store (Graph Store Protocol, or SPARQL Update)",
        description="Upload the ontology, the data and all evidence to a remote SPARQL 1.1 store "
        "in chunks of N-Triples, by the Graph Store HTTP Protocol where the server has it and "
        "SPARQL Update INSERT DATA otherwise, then report the triple count the server holds. "
        "Without --graph the store's named graphs (one per source, the ontology's and the shared "
        "one) keep their names: run the server with the union of its graphs as default graph "
        "(Oxigraph: --union-default-graph; Virtuoso does by itself). "
        "Credentials come only from RECRUITGRAPH_ENDPOINT_USER and RECRUITGRAPH_ENDPOINT_PASSWORD.",
        example="recruitgraph push --endpoint http://127.0.0.1:7878/query --no-progress\n"
        "  RECRUITGRAPH_ENDPOINT_USER=dba RECRUITGRAPH_ENDPOINT_PASSWORD=... \\\n"
        "    recruitgraph push --endpoint http://127.0.0.1:8890/sparql "
        "--graph https://w3id.org/recruitgraph/graph --auth digest --replace",
    )
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the store's SPARQL query endpoint (used for the final triple count and "
                   "to guess the upload URLs)")
    p.add_argument("--graph", metavar="IRI", help="put every triple in this one named graph (default: "
                   "each named graph of the store to the graph of the same name)")
    p.add_argument("--gsp", metavar="URL", help="Graph Store Protocol URL (default: guessed from "
                   "--endpoint: Oxigraph /store, Fuseki /data, Virtuoso /sparql-graph-crud[-auth], "
                   "GraphDB /repositories/ID/rdf-graphs/service)")
    p.add_argument("--update-endpoint", metavar="URL",
                   help="SPARQL Update URL, used where the Graph Store Protocol is missing")
    p.add_argument("--protocol", choices=("auto", "gsp", "update"), default="auto",
                   help="upload protocol (default auto: Graph Store Protocol, else SPARQL Update)")
    p.add_argument("--replace", action="store_true", help="empty each target graph first")
    p.add_argument("--chunk", type=int, default=50_000, metavar="N",
                   help="triples per request (default 50000)")
    p.add_argument("--auth", choices=("basic", "digest"), default="basic",
                   help="how to send the credentials from the environment (default basic)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds to wait for each request (default 60)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run_push)


def run_push(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..push import push

    if args.chunk < 1:
        raise EndpointError(f"--chunk {args.chunk}: must be at least 1")
    # open_graph would treat --endpoint as the graph to read: the data comes from the local store.
    local = argparse.Namespace(memory=getattr(args, "memory", False),
                               data_dir=getattr(args, "data_dir", None))
    with open_graph(local) as kg:
        local_count = len(kg.store)
        held = push(kg, args.endpoint, graph=args.graph, chunk_triples=args.chunk,
                    auth_scheme=args.auth, protocol=args.protocol, gsp=args.gsp,
                    update_endpoint=args.update_endpoint, replace=args.replace,
                    timeout=args.timeout, progress=False if args.no_progress else None,
                    log=lambda msg: _say(err, msg))
    where = f"graph <{args.graph}>" if args.graph else "the graphs it was sent"
    out.write(f"pushed {local_count:,} triples; {args.endpoint} now holds {held:,} triples in {where}\n")
    return 0


def _say(err: TextIO, message: str) -> None:
    err.write(f"recruitgraph: {message}\n")
