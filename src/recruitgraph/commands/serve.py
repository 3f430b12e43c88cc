"""``recruitgraph serve``: the SPARQL endpoint and the browser UI on a local port."""

from __future__ import annotations

import argparse
import socket
from typing import Any, TextIO

from ..exc import ConfigError
from . import add_command


def register(sub: Any) -> None:
    p = add_command(
        sub,
        "serve",
        help="start the web UI and the SPARQL 1.1 endpoint (read-only, on 127.0.0.1 unless told otherwise)",
        example="recruitgraph serve --port 8000\n"
        "  recruitgraph serve --memory-budget 4G     # the workers' in-memory copies of the store\n"
        "  recruitgraph --memory serve --query-timeout 5 --max-rows 5000",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--allow-update", action="store_true",
                   help="accept SPARQL Update and Graph Store writes from requests carrying the token")
    p.add_argument("--token-file", metavar="FILE",
                   help="file whose first line is the update token (needed with --allow-update)")
    p.add_argument("--query-timeout", type=float, default=10.0, metavar="S",
                   help="seconds a query may run before it is stopped (default 10)")
    p.add_argument("--max-rows", type=int, default=10_000, metavar="N",
                   help="most rows (or triples) an answer may have (default 10000)")
    p.add_argument("--max-body", type=int, default=1_000_000, metavar="BYTES",
                   help="largest request body accepted (default 1000000)")
    p.add_argument("--workers", type=int, default=2, metavar="N",
                   help="worker processes for queries sent by clients (default 2)")
    p.add_argument("--named-workers", type=int, default=2, metavar="N",
                   help="worker processes kept for the named queries (default 2)")
    p.add_argument("--query-memory", type=int, default=1024, metavar="MIB",
                   help="memory a query may use in its worker, in MiB (default 1024)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also accept requests for this Host name (default: only 127.0.0.1, localhost, [::1]); "
                        "repeat for more")
    p.add_argument("--base-url", metavar="URL",
                   help="the server's public URL, used in the service and VoID descriptions "
                        "(default http://HOST:PORT)")
    p.add_argument("--idle-timeout", type=float, default=5.0, metavar="S",
                   help="seconds an idle connection is kept open (default 5)")
    p.add_argument("--memory-budget", metavar="SIZE",
                   help="memory the query workers' in-memory copies of the store may take together, "
                        "e.g. 8G (default: RECRUITGRAPH_MEMORY_BUDGET, else 8G); 0 reads from disk")
    p.set_defaults(func=run_serve)


def _copies(args: argparse.Namespace) -> int:
    """Query worker processes that may hold a copy: both lanes and the started spares."""
    from ..server.workers import SPARE_WORKERS

    return args.workers + args.named_workers + SPARE_WORKERS


def _copy_decision(args: argparse.Namespace) -> Any:
    """Whether the query workers copy the persistent store into memory, against the budget."""
    from .. import open as open_kg
    from ..memory import decide_copies, parse_budget

    budget = parse_budget(args.memory_budget, origin="--memory-budget") if args.memory_budget else None
    kg = open_kg(data_dir=args.data_dir)  # builds the store on first use, as the workers would
    try:
        triples = kg.triples_count()
    finally:
        kg.close()
    return decide_copies(triples, _copies(args), budget)


def listening_socket(host: str) -> socket.socket:
    """A TCP socket for ``host``, not yet bound. Made with the protocol named (IPPROTO_TCP):
    asyncio turns Nagle's algorithm off on accepted connections only then, and with it on, each
    response on a kept-alive connection waited about 40 ms for the client's delayed ACK."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM,
                         socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return sock


def run_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import uvicorn

    from ..server import ServerOptions, create_app
    from ..server.state import LOOPBACK_HOSTS, read_token_file

    if args.allow_update and not args.token_file:
        raise ConfigError("--allow-update needs --token-file FILE holding the token requests must carry")
    if (args.query_timeout <= 0 or args.max_rows <= 0 or args.max_body <= 0 or args.workers <= 0
            or args.named_workers < 0 or args.query_memory <= 0 or args.idle_timeout <= 0):
        raise ConfigError("--query-timeout, --max-rows, --max-body, --workers, --query-memory and "
                          "--idle-timeout must be positive")
    token = read_token_file(args.token_file) if args.token_file else None
    sock = listening_socket(args.host)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    base_url = (args.base_url or f"http://{shown}:{port}").rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"--base-url {args.base_url}: give an http:// or https:// URL")
    hosts = (*LOOPBACK_HOSTS, *(h.strip().lower() for h in args.allow_host if h.strip()))
    decision = None if args.memory else _copy_decision(args)
    options = ServerOptions(
        memory=bool(args.memory), data_dir=args.data_dir, allow_update=args.allow_update, token=token,
        query_timeout=args.query_timeout, max_rows=args.max_rows, max_body=args.max_body,
        workers=args.workers, named_workers=args.named_workers, query_memory=args.query_memory << 20,
        allowed_hosts=hosts, base_url=base_url,
        copy_to_memory=bool(decision and decision.in_memory),
        copy_bytes=decision.estimate // _copies(args) if decision else 0,
    )
    app = create_app(options)
    out.write(f"recruitgraph: serving on http://{shown}:{port}/  (SPARQL endpoint: http://{shown}:{port}/sparql)\n")
    if decision is not None:
        out.write(decision.message + "\n")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        err.write(f"recruitgraph: warning: listening on {args.host}, reachable from other machines\n")
    out.write("recruitgraph: press Ctrl+C to stop\n")
    out.flush()
    from ..server.connections import IdleClosingProtocol

    config = uvicorn.Config(app, log_level="warning", access_log=False, http=IdleClosingProtocol,
                            timeout_keep_alive=max(1, round(args.idle_timeout)))
    uvicorn.Server(config).run(sockets=[sock])
    return 0
