"""``recruitgraph export``, ``import``, ``stats`` and ``store repair``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from ..exc import ConfigError
from ..export import format_for_path, normalise_format
from ..formats import EXPORT_FORMATS, names
from ..results import format_table
from . import add_command, open_graph

NETWORK_FORMATS = ("graphml", "gexf")


def register(sub: Any) -> None:
    e = add_command(
        sub, "export",
        help="write the ontology, the data and all evidence as RDF (or the pipeline network)",
        example="recruitgraph export --format turtle -o recruitgraph.ttl\n"
        "  recruitgraph export --format graphml -o pipelines.graphml",
    )
    e.add_argument("-f", "--format", default=None,
                   help=f"{'|'.join(names(EXPORT_FORMATS))} (RDF; Turtle and TriG sorted) or "
                   f"{'|'.join(NETWORK_FORMATS)} (the networkx pipeline projection); "
                   "default: from the file extension, else turtle")
    e.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output)")
    e.set_defaults(func=run_export)

    i = add_command(
        sub, "import",
        help="add RDF files to the store, after parsing and SHACL validation (all or nothing)",
        example="recruitgraph import new-claims.ttl more.nt",
    )
    i.add_argument("files", nargs="+", metavar="FILE", help="RDF files (.ttl .nt .nq .trig .rdf .jsonld)")
    i.add_argument("--no-validate", action="store_true",
                   help="skip the SHACL check (for bulk research loads already validated elsewhere)")
    i.set_defaults(func=run_import)

    st = add_command(sub, "store", help="maintain the persistent store",
                     example="recruitgraph store repair")
    actions = st.add_subparsers(dest="action", required=True, metavar="ACTION")
    r = add_command(actions, "repair",
                    help="make the last good build live again after current.json was lost or damaged "
                         "(rebuilt with its imports when ontology/ or data/ changed)",
                    example="recruitgraph --data-dir ~/.local/share/recruitgraph store repair")
    r.set_defaults(func=run_repair)

    s = add_command(sub, "stats", help="triples, entities by class, claims by verification status, sources",
                    example="recruitgraph stats --format json")
    s.add_argument("-f", "--format", choices=("table", "json"), default="table")
    s.set_defaults(func=run_stats)


def run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = args.format
    if fmt is None:
        fmt = Path(args.output).suffix.lstrip(".") if args.output else "turtle"
        if fmt not in NETWORK_FORMATS:
            fmt = format_for_path(Path(args.output)) if args.output else "turtle"
    with open_graph(args) as kg:
        if fmt in NETWORK_FORMATS:
            from ..pipelines import project, write_network

            if not args.output:
                raise ConfigError(f"--format {fmt}: give the output file with -o FILE")
            write_network(project(kg), Path(args.output), fmt)
            err.write(f"wrote {args.output}\n")
            return 0
        fmt = normalise_format(fmt)
        if args.output:
            size = kg.export(Path(args.output), format=fmt)
            err.write(f"wrote {size:,} bytes to {args.output}\n")
        else:
            out.flush()
            target = getattr(out, "buffer", None)
            if target is not None:
                kg.export(target, format=fmt)
                target.flush()
            else:
                import io

                buffer = io.BytesIO()
                kg.export(buffer, format=fmt)
                out.write(buffer.getvalue().decode("utf-8"))
    return 0


def run_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_graph(args) as kg:
        added = kg.import_files([Path(f) for f in args.files], validate=not args.no_validate)
        out.write(f"imported {len(args.files)} file(s): {added:,} new triples; the store now holds "
                  f"{kg.triples_count():,}\n")
    return 0


def run_repair(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .. import config
    from ..store import PersistentStore

    if getattr(args, "memory", False) or getattr(args, "endpoint", None):
        raise ConfigError("store repair works on the persistent store (drop --memory / --endpoint)")
    root = config.user_data_dir(getattr(args, "data_dir", None))
    manifest = PersistentStore(root, config.base_resources()).repair()
    out.write(f"repaired {root}: build {manifest.build} is live with {len(manifest.imports)} import(s)\n")
    return 0


def run_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from rdflib import URIRef

    from ..results import compact

    with open_graph(args) as kg:
        stats = kg.stats()
    if args.format == "json":
        json.dump(stats, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    out.write(f"triples: {stats['triples']:,}\n\nentities by class\n")
    out.write(format_table(["class", "entities"],
                           [[compact(URIRef(k)), str(v)] for k, v in stats["entities_by_class"].items()]))
    out.write("\nclaims by verification status\n")
    out.write(format_table(["status", "claims"],
                           [[compact(URIRef(k)), str(v)] for k, v in stats["claims_by_status"].items()]))
    out.write("\nsources\n")
    out.write(format_table(["source", "title", "sha256"],
                           [[compact(URIRef(s["source"])), s.get("label", ""), s.get("sha", "")[:16]]
                            for s in stats["sources"]]))
    return 0

