"""``recruitgraph pipelines`` (pipelines and their analyses) and ``recruitgraph viz`` (pages, figures)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from ..exc import NoResult, ParameterError
from . import add_command, emit, open_graph

ANALYSES = ("stages", "actors", "support", "channels")
VIZ_FORMATS = ("html", "svg", "png")


def register(sub: Any) -> None:
    p = add_command(
        sub,
        "pipelines",
        help="list recruitment pipelines with their stages and evidence, or analyse them",
        example="recruitgraph pipelines --origin Nepal --format table\n"
        "  recruitgraph pipelines --analysis support --format json\n"
        "  recruitgraph pipelines --analysis actors\n"
        "  recruitgraph pipelines --format graphml -o pipelines.graphml",
    )
    p.add_argument("--origin", metavar="X", help="only pipelines starting from this country or cohort: "
                   "its id, rgd:id, IRI, label or alias (several matches are listed, none gives the closest)")
    p.add_argument("--analysis", choices=ANALYSES, default="stages",
                   help="stages: each pipeline's stages with evidence (default); actors: actors on most "
                   "pipelines, with betweenness; support: what each pipeline's evidence rests on; "
                   "channels: channels compared by the cohorts they draw on")
    p.add_argument("-f", "--format", choices=("table", "json", "graphml", "gexf"), default="table",
                   help="table (default) or json; graphml|gexf write the networkx projection (needs -o)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=run_pipelines)

    v = add_command(
        sub,
        "viz",
        help="draw the pipelines: an offline interactive HTML page, or an SVG/PNG layered figure",
        example="recruitgraph viz -o pipelines.html\n"
        "  recruitgraph viz -o prison.html --pipeline prison-pipeline\n"
        "  recruitgraph viz -o putin.html --focus 'Vladimir Putin' --depth 2\n"
        "  recruitgraph viz --format svg -o pipelines.svg",
    )
    v.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write")
    v.add_argument("-f", "--format", choices=VIZ_FORMATS, default=None,
                   help="html (default, or from the file suffix), svg or png")
    v.add_argument("--pipeline", metavar="NAME", help="show one pipeline, drawn stage by stage: a name as "
                   "`recruitgraph pipelines` prints it, its id, rgd:id or IRI (an unknown name lists them)")
    v.add_argument("--focus", metavar="ACTOR", help="show one actor's neighbourhood: its id, rgd:id, IRI, "
                   "label or alias")
    v.add_argument("--depth", metavar="N", type=int, default=None, help="neighbourhood radius with --focus (default 1)")
    v.add_argument("--max-nodes", metavar="N", type=int, default=None,
                   help="aggregate cohort/network members above N nodes (default 2000)")
    v.add_argument("--base-url", metavar="URL", help="link passages to this server's entity pages "
                   "instead of SOURCE#char=START,END")
    v.add_argument("--title", default=None, help="page or figure title")
    v.set_defaults(func=run_viz)


# --- pipelines -------------------------------------------------------------------------------


def _evidence_text(evs: list[Any]) -> str:
    parts = []
    for e in evs:
        bits = [e.status_name.removeprefix("status-") or "no status"]
        if e.claimant_label:
            bits.append(e.claimant_label)
        if e.date:
            bits.append(e.date)
        if e.start is not None:
            bits.append(f"chars {e.start}-{e.end}")
        parts.append(", ".join(bits))
    return "; ".join(parts) or "no evidence"


def run_pipelines(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .. import pipelines as rp
    from ..results import format_table

    if args.format in ("graphml", "gexf"):
        if not args.output:
            raise ParameterError(f"--format {args.format}: give the file to write with -o FILE")
        with open_graph(args) as kg:
            rp.write_network(rp.project(kg), Path(args.output), args.format)
        err.write(f"wrote {args.output}\n")
        return 0
    with open_graph(args) as kg:
        payload: Any
        if args.analysis == "stages":
            found = rp.pipelines(kg, origin=args.origin)
            if not found:
                raise NoResult("no pipeline" + (f" starts from {args.origin!r}" if args.origin else " in the graph"))
            payload = [p.to_dict() for p in found]
            headers = ["pipeline", "#", "role", "actor", "evidence (status, claimant, date, passage)"]
            rows = [[p.label, str(s.order), s.role, s.actor_label, _evidence_text(s.evidence)]
                    for p in found for s in p.stages]
        else:
            if args.origin:
                raise ParameterError("--origin only applies to --analysis stages")
            if args.analysis == "actors":
                payload = rp.betweenness(rp.project(kg))
                headers = ["actor", "class", "pipelines", "betweenness"]
                rows = [[r["label"], r["class"], str(r["pipelines"]), f"{r['betweenness']:.4f}"] for r in payload]
            elif args.analysis == "support":
                payload = rp.support(kg)
                headers = ["pipeline", "verdict", "stage statuses", "backing"]
                rows = [[r["label"], r["verdict"],
                         ", ".join(f"{k.removeprefix('status-')} {v}" for k, v in r["statuses"].items()),
                         ", ".join(f"{rp.curie(b['claim'])} ({rp.local_name(b['status']).removeprefix('status-')})"
                                   for b in r["backing"]) or "-"] for r in payload]
            else:
                payload = rp.channels_by_cohort(kg)
                headers = ["channel", "cohort", "via", "cohort also drawn on by"]
                rows = [[r["label"], c["label"], "+".join(c["via"]), ", ".join(c["shared_with"]) or "-"]
                        for r in payload for c in r["cohorts"]]
            if not payload:
                raise NoResult("no pipelines or channels in the graph")
    text = (json.dumps(payload, indent=2, ensure_ascii=False) + "\n" if args.format == "json"
            else format_table(headers, rows, max_width=90) + "\n")
    emit(text, args.output, out, note=err)
    return 0


# --- viz -----------------------------------------------------------------------------------------


def run_viz(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .. import visualization as viz

    fmt = args.format or (Path(args.output).suffix.lstrip(".").lower() or "html")
    if fmt == "htm":
        fmt = "html"
    if fmt not in VIZ_FORMATS:
        raise ParameterError(f"--format: cannot tell the format from {args.output!r}; use --format html|svg|png")
    if args.depth is not None and args.focus is None:
        raise ParameterError("--depth needs --focus ACTOR")
    if args.pipeline and args.focus:
        raise ParameterError("--pipeline and --focus are two different views; give one")
    with open_graph(args) as kg:
        pipeline = None
        if args.pipeline:
            from ..stages import find_pipeline

            pipeline = find_pipeline(kg, args.pipeline).iri
        G = viz.view_graph(kg, pipeline=pipeline, focus=args.focus, depth=args.depth,
                           max_nodes=args.max_nodes or viz.DEFAULT_MAX_NODES)
    if G.number_of_nodes() == 0:
        raise NoResult("nothing to draw: the graph has no pipelines or relations between actors")
    if fmt == "html":
        viz.write_html(
            G, args.output, title=args.title or "Recruitment pipelines", base_url=args.base_url,
            max_nodes=args.max_nodes or viz.DEFAULT_MAX_NODES,
        )
    else:
        from ..viz_static import draw_layered

        draw_layered(G, args.output, format=fmt, title=args.title)
    err.write(f"wrote {args.output} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)\n")
    return 0
