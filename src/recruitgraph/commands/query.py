"""``recruitgraph query`` and ``recruitgraph queries``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from .. import formats
from ..exc import ConfigError, NoResult, ParameterError
from ..queries import query_kind
from ..results import QueryResult, format_table
from . import add_command, emit, open_graph

#: What an answer may be written as: rows (plus the terminal's table), or a graph.
ROW_CHOICES = ("table", *formats.names(formats.ROW_FORMATS))
GRAPH_CHOICES = formats.names(formats.GRAPH_ANSWER_FORMATS)


def register(sub: Any) -> None:
    p = add_command(
        sub,
        "query",
        help="run a SPARQL query: inline text, a .rq file, or a named query",
        example="recruitgraph query troop-figures --format table\n"
        "  recruitgraph query actor-profile --param actor=rgd:vladimir-putin\n"
        "  recruitgraph query 'SELECT ?s WHERE { ?s a rg:State }' --format csv\n"
        "  recruitgraph query troop-figures --endpoint http://127.0.0.1:7878/query",
    )
    p.add_argument("query", metavar="QUERY", help="SPARQL text, a path to a .rq file, or a named query ('-' reads stdin)")
    p.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a declared parameter (repeatable); IRIs as <...>, prefixed names or ids")
    p.add_argument("-f", "--format", default=None,
                   help=f"{'|'.join(ROW_CHOICES)} for SELECT/ASK (default table); "
                   f"{'|'.join(GRAPH_CHOICES)} for CONSTRUCT/DESCRIBE (default turtle)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the result to FILE")
    p.add_argument("--endpoint", metavar="URL", help="run on a remote SPARQL 1.1 endpoint instead "
                   "(basic auth from RECRUITGRAPH_ENDPOINT_USER / RECRUITGRAPH_ENDPOINT_PASSWORD)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a remote endpoint (default 30)")
    p.set_defaults(func=run_query)

    q = add_command(sub, "queries", help="list the named queries with their titles and parameters",
                    example="recruitgraph queries --format json")
    q.add_argument("-f", "--format", choices=("table", "json"), default="table")
    q.set_defaults(func=list_queries)


def parse_params(items: list[str]) -> dict[str, str]:
    """``name=value`` pairs from ``--param``; a malformed one names itself."""
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    return params


def run_query(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    text = sys.stdin.read() if args.query == "-" else args.query
    kg = _open(args)
    try:
        params = parse_params(args.param)
        kind = query_kind(kg.resolve(text, params)[0])
        graph = kind in ("CONSTRUCT", "DESCRIBE")
        if args.format in (None, "table") and not graph:
            result = kg.run(text, **params)
            assert isinstance(result, QueryResult)
            emit(result.serialize("table"), args.output, out)
            return _no_result(err) if result.boolean is False or (result.boolean is None and not result.rows) else 0
        choices = formats.GRAPH_ANSWER_FORMATS if graph else formats.ROW_FORMATS
        chosen = formats.lookup(args.format or "turtle", choices)
        if chosen is None:
            what = "a graph is written as" if graph else "a SELECT/ASK result is written as"
            raise ConfigError(f"--format {args.format}: {what} {', '.join(GRAPH_CHOICES if graph else ROW_CHOICES)}")
        written = kg.answer(text, chosen.name, **params)
        emit(written.body.decode("utf-8"), args.output, out)
        return _no_result(err) if written.boolean is False or written.rows == 0 else 0
    finally:
        kg.close()


def _no_result(err: TextIO) -> int:
    err.write("recruitgraph: no result\n")
    return NoResult.exit_code


def _open(args: argparse.Namespace) -> Any:
    if getattr(args, "endpoint", None):
        from .. import open as open_kg

        return open_kg(endpoint=args.endpoint, timeout=args.timeout)
    return open_graph(args)


def list_queries(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .. import config
    from ..queries import QueryCatalogue

    queries = QueryCatalogue(config.queries_dir()).all()
    if args.format == "json":
        data = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "kind": q.kind,
                "tags": list(q.tags),
                "parameters": [
                    {"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                     "class": p.cls, "description": p.description}
                    for p in q.parameters
                ],
            }
            for q in queries.values()
        ]
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    rows = []
    for q in queries.values():
        params = ", ".join(
            f"{p.name}:{p.type}{'' if p.required else '?'}" for p in q.parameters
        ) or "-"
        rows.append([q.name, q.title, params])
    out.write(format_table(["name", "title", "parameters"], rows, max_width=70))
    return 0 if rows else 1


__all__ = ["register"]
