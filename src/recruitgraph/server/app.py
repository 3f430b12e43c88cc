"""The web application: the SPARQL 1.1 Protocol at ``/sparql``, Graph Store reads at ``/store``,
and the browser UI (``pages``). Build it with :func:`create_app`; ``recruitgraph serve`` runs it
with uvicorn.

Every error, on every route, has one JSON shape::

    {"error": {"status": 400, "title": "Malformed query", "detail": "... line 1, column 8 ..."}}

(browsers navigating to a page get the same fields as an HTML page). No traceback is ever sent.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
import traceback
from collections.abc import AsyncGenerator, AsyncIterator
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..exc import (
    NoResult,
    ParameterError,
    QuerySyntaxError,
    QueryTimeout,
    RecruitGraphError,
    UnknownQueryError,
)
from ..formats import by_media_type, of_kind
from .sparql_protocol import (
    ProtocolError,
    check_query,
    content_type,
    negotiate_graph,
    service_description,
)
from .state import ServerOptions, ServerState
from .workers import Job, Outcome, QueryFailed, current_client

HERE = Path(__file__).resolve().parent

#: Content Security Policy of every page: nothing from another origin, no inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; frame-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'self'")

#: Routes of the machine interfaces (JSON errors, never HTML pages).
API_PATHS = ("/sparql", "/store")

#: Routes open to every origin (CORS): the machine interfaces, entity data and downloads.
CORS_PATHS = (*API_PATHS, "/id/", "/downloads")


def error_body(status: int, title: str, detail: str) -> dict[str, Any]:
    """The one error shape of the server."""
    return {"error": {"status": int(status), "title": title, "detail": detail}}


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith(API_PATHS):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept.split(",")[0]


def error_response(request: Request, status: int, title: str, detail: str) -> Response:
    """JSON for programs, an HTML page with the same fields for browsers."""
    headers = {"Allow": "GET, POST, OPTIONS"} if status == 405 else None
    if _wants_html(request):
        templates = request.app.state.templates
        response: Response = templates.TemplateResponse(
            request, "error.html", {"status": status, "title": title, "detail": detail},
            status_code=status, headers=headers,
        )
        return response
    return JSONResponse(error_body(status, title, detail), status_code=status, headers=headers)


# -- middleware ----------------------------------------------------------------------------------


#: Characters a path may not hold once decoded: they cannot be part of an IRI (RFC 3987).
_NOT_IN_IRI = frozenset(' <>"{}|\\^`') | frozenset(chr(c) for c in range(0x20)) | {"\x7f"}


def _path_problem(raw: bytes) -> str | None:
    """Why a request path is refused (undecodable or not IRI material), or None."""
    from urllib.parse import unquote_to_bytes

    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return "the path is not UTF-8 once its %-escapes are decoded"
    bad = sorted({c for c in path if c in _NOT_IN_IRI})
    if bad:
        return f"the path holds characters an IRI cannot: {''.join(bad)!r}"
    return None


class GuardMiddleware:
    """Host allow-list, path and header checks (400), body size limit (413), security headers
    (CSP) and CORS for the machine routes.

    The Host header is checked against the allow-list and then replaced by the configured base
    URL's host, so nothing downstream (links, the service description, VoID, cache keys) can
    reflect what a client sent.
    """

    def __init__(self, app: ASGIApp, options: ServerOptions) -> None:
        self.app = app
        self.max_body = options.max_body
        self.allowed = {h.lower() for h in options.allowed_hosts}
        from urllib.parse import urlsplit

        base = urlsplit(options.base_url)
        self.scheme = base.scheme
        self.netloc = base.netloc.encode("ascii")

    def _host_ok(self, host: bytes | None) -> bool:
        if host is None:
            return True  # HTTP/1.0 without Host: nothing to rebind
        try:
            name = host.decode("ascii").strip().lower()
        except UnicodeDecodeError:
            return False
        if name.startswith("["):
            name = name[: name.find("]") + 1]
        else:
            name = name.rsplit(":", 1)[0] if ":" in name else name
        return name in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The time limit of a query counts from here; fair queueing is by client address.
        scope["rg.started"] = time.monotonic()
        client = scope.get("client")
        current_client.set(str(client[0]) if client else "-")
        raw_headers = list(scope.get("headers") or [])
        headers = dict(raw_headers)
        length = headers.get(b"content-length")
        api = scope["path"].startswith(CORS_PATHS)
        if not self._host_ok(headers.get(b"host")):
            await self._refuse(send, api, 400, "Unknown host",
                               "this server answers only for its own host names (see serve --allow-host)")
            return
        problem = _path_problem(scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape"))
        if problem:
            await self._refuse(send, api, 400, "Bad request", problem)
            return
        auth = headers.get(b"authorization")
        if auth is not None and not auth.isascii():
            await self._refuse(send, api, 400, "Bad request", "the Authorization header is not ASCII")
            return
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await self._refuse(send, api, 413, "Request too large",
                               f"request bodies are limited to {self.max_body} bytes")
            return
        scope = {**scope, "scheme": self.scheme,
                 "headers": [(k, v) for k, v in raw_headers if k != b"host"] + [(b"host", self.netloc)]}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers") or [])
                names = {k.lower() for k, _ in raw}
                if b"content-security-policy" not in names:
                    raw.append((b"content-security-policy", CSP.encode()))
                raw.append((b"x-content-type-options", b"nosniff"))
                raw.append((b"referrer-policy", b"same-origin"))
                if api and b"access-control-allow-origin" not in names:
                    raw.append((b"access-control-allow-origin", b"*"))
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _refuse(self, send: Send, api: bool, status: int, title: str, detail: str) -> None:
        body = json.dumps(error_body(status, title, detail)).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"content-security-policy", CSP.encode()), (b"connection", b"close")]
        if api:
            headers.append((b"access-control-allow-origin", b"*"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def read_body(request: Request) -> bytes:
    """The request body, refused with 413 past the limit even without a Content-Length."""
    limit = request.app.state.rg.options.max_body
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, "Request too large", f"request bodies are limited to {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


# -- the SPARQL endpoint ---------------------------------------------------------------------------


def _preflight() -> Response:
    return Response(status_code=204, headers={
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
        "Access-Control-Max-Age": "600",
    })


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _check_charset(request: Request) -> None:
    """The protocol's bodies are UTF-8: another charset parameter is refused (415)."""
    for param in request.headers.get("content-type", "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise ProtocolError(415, "Unsupported media type",
                                f"request bodies must be UTF-8, not {value.strip()}")


def _first(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise ProtocolError(400, "Repeated parameter", f"give {name}= once, not {len(values)} times")
    return values[0]


def _graphs(params: dict[str, list[str]], name: str) -> tuple[str, ...] | None:
    """The IRIs of a dataset parameter (``default-graph-uri`` ...), checked; None when absent."""
    import pyoxigraph as ox

    values = params.get(name)
    if not values:
        return None
    try:
        return tuple(ox.NamedNode(v).value for v in values)
    except ValueError:
        raise ProtocolError(400, "Bad request", f"{name}: {values!r} holds a value that is not an IRI") from None


def _started(request: Request) -> float:
    started: float = request.scope.get("rg.started", time.monotonic())
    return started


def _endpoint_url(request: Request) -> str:
    """The endpoint's own URL from the configured base, never from the request's Host."""
    state: ServerState = request.app.state.rg
    return state.options.base_url.rstrip("/") + "/sparql"


async def sparql_endpoint(request: Request) -> Response:
    """SPARQL 1.1 Protocol: query by GET, POST form and POST application/sparql-query."""
    if request.method == "OPTIONS":
        return _preflight()
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    query: str | None = None
    update: str | None = None
    if request.method == "POST":
        media = _media(request)
        _check_charset(request)
        body = await read_body(request)
        if media == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise ProtocolError(400, "Bad request", "the form is not UTF-8") from None
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            query = _decode(body)
        elif media == "application/sparql-update":
            update = _decode(body)
        else:
            raise ProtocolError(415, "Unsupported media type",
                                f"POST a query as application/x-www-form-urlencoded, application/sparql-query "
                                f"or application/sparql-update, not {media or 'no Content-Type'}")
    query = query if query is not None else _lines(_first(params, "query"))
    update = update if update is not None else _lines(_first(params, "update"))
    if update is not None:
        if query is not None:
            raise ProtocolError(400, "Bad request", "give either query= or update=, not both")
        return await _run_update(request, update, params)
    # Clients repeat format= (SPARQLWrapper sends "csv" and "text/csv"): the first one counts.
    chosen = params.get("format") or params.get("output")
    override = chosen[0] if chosen else None
    if query is None:
        if request.method == "GET" and not override and _browser(request):
            return RedirectResponse("/editor", status_code=303)
        return _service_description(request, override)
    check_query(query)  # size and nesting only: the worker parses it
    state: ServerState = request.app.state.rg
    job = Job(query, "", state.options.max_rows, accept=request.headers.get("accept"), override=override,
              default_graphs=_graphs(params, "default-graph-uri"),
              named_graphs=_graphs(params, "named-graph-uri"), base_iri=_endpoint_url(request))
    outcome = await state.pool.run(job, state.options.query_timeout, started=_started(request))
    if outcome.error:
        raise ProtocolError(*outcome.error)
    return _answer(outcome)


def _answer(outcome: Outcome) -> Response:
    """A negotiated answer: its media type, and Vary: Accept since the format depends on it."""
    return Response(outcome.body, media_type=content_type(outcome.fmt), headers={"Vary": "Accept"})


def _browser(request: Request) -> bool:
    first = request.headers.get("accept", "").split(",")[0].strip().lower()
    return first in ("text/html", "application/xhtml+xml")


def _lines(text: str | None) -> str | None:
    """CRLF line ends as LF (what HTML forms send); a bare CR is left for the parser to refuse."""
    return text.replace("\r\n", "\n") if text is not None else None


def _graph_sizes(state: ServerState) -> list[tuple[str, int]]:
    from ..graphs import graph_sizes

    kg = state.kg()
    return [] if kg.is_remote else graph_sizes(kg.store)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise ProtocolError(400, "Bad request", "the request body is not UTF-8") from None


def _service_description(request: Request, override: str | None) -> Response:
    from ..export import serialize_triples

    state: ServerState = request.app.state.rg
    fmt = negotiate_graph(request.headers.get("accept"), override)
    triples = service_description(_endpoint_url(request),
                                  state.cached("triples", lambda: state.kg().triples_count()),
                                  update=state.options.allow_update,
                                  graphs=state.cached("graphs", lambda: _graph_sizes(state)))
    return Response(serialize_triples(triples, fmt), media_type=content_type(fmt), headers={"Vary": "Accept"})


async def _apply(request: Request, job: Job) -> None:
    """Run an update job in the update worker (time and memory limits, write lock released
    when it is stopped) and forget the cached pages."""
    state: ServerState = request.app.state.rg
    assert state.update_pool is not None  # _check_write_allowed passed
    outcome = await state.update_pool.run(job, state.options.query_timeout, started=_started(request))
    if outcome.error:
        raise ProtocolError(*outcome.error)
    state.invalidate()


async def _run_update(request: Request, text: str, params: dict[str, list[str]]) -> Response:
    _check_write_allowed(request)
    if request.method != "POST":
        raise ProtocolError(405, "Method not allowed", "send updates by POST")
    check_query(text)
    await _apply(request, Job(text, "", 0, operation="update", base_iri=_endpoint_url(request),
                              default_graphs=_graphs(params, "using-graph-uri"),
                              named_graphs=_graphs(params, "using-named-graph-uri")))
    return Response(status_code=204)


def _check_write_allowed(request: Request) -> None:
    options: ServerOptions = request.app.state.rg.options
    if not options.allow_update:
        raise ProtocolError(403, "Read-only endpoint",
                            "this server is read-only; updates need `recruitgraph serve --allow-update "
                            "--token-file FILE` and the token as Authorization: Bearer")
    if not options.token_ok(request.headers.get("authorization")):
        raise ProtocolError(403, "Forbidden", "updates need the server's token as Authorization: Bearer <token>")


# -- Graph Store Protocol ------------------------------------------------------------------------


async def graph_store(request: Request) -> Response:
    """SPARQL 1.1 Graph Store HTTP Protocol on ``?default`` or ``?graph=IRI``: GET and HEAD;
    PUT, POST and DELETE with updates on. A POST to ``/store`` itself creates a new graph."""
    if request.method == "OPTIONS":
        return _preflight()
    params = request.query_params
    graph = params.get("graph")
    if request.method == "POST" and "default" not in params and graph is None:
        return await _graph_store_write(request, None, create=True)
    if ("default" in params) == (graph is not None):
        raise ProtocolError(400, "Bad request", "name the graph: /store?default or /store?graph=IRI")
    if graph is not None:
        graph = _graph_iri(graph)
    if request.method in ("PUT", "POST", "DELETE"):
        return await _graph_store_write(request, graph)
    fmt = negotiate_graph(request.headers.get("accept"), params.get("format"))
    state: ServerState = request.app.state.rg
    if graph is None:
        text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    else:
        if not await _graph_exists(request, graph):
            raise ProtocolError(404, "No such graph", f"the store has no graph <{graph}>")
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    # The whole graph is the point of this route, so the row limit does not apply to it.
    outcome = await state.pool.run(Job(text, fmt, 1 << 62, check=False),
                                   max(state.options.query_timeout, 60.0), started=_started(request))
    if outcome.error:
        raise ProtocolError(*outcome.error)
    return _answer(outcome)


def _graph_iri(value: str) -> str:
    """A graph= value as an IRI the RDF library accepts (it is then safe inside ``<...>``)."""
    import pyoxigraph as ox

    try:
        return ox.NamedNode(value).value
    except ValueError:
        raise ProtocolError(400, "Bad request", f"graph={value!r} is not an IRI") from None


async def _graph_exists(request: Request, graph: str) -> bool:
    state: ServerState = request.app.state.rg
    outcome = await state.pool.run(Job(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "json", 1, check=False),
                                   state.options.query_timeout, started=_started(request))
    if outcome.error:
        raise ProtocolError(*outcome.error)
    return b"true" in outcome.body


#: The formats a Graph Store write accepts (graph formats: a body holds one graph's triples).
_RDF_BODIES = of_kind("graph")
_RDF_BODY_NAMES = ", ".join(f.label for f in _RDF_BODIES)


async def _graph_store_write(request: Request, graph: str | None, *, create: bool = False) -> Response:
    _check_write_allowed(request)
    from .updates import graph_update

    state: ServerState = request.app.state.rg
    if create:
        import uuid

        graph = f"{state.options.base_url.rstrip('/')}/store/graph/{uuid.uuid4().hex}"
    existed = True if graph is None else (False if create else await _graph_exists(request, graph))
    triples: list[Any] = []
    if request.method == "DELETE":
        if not existed:
            raise ProtocolError(404, "No such graph", f"the store has no graph <{graph}>")
    else:
        triples = await _request_triples(request)
    text = graph_update(request.method, graph, triples)
    if text:
        await _apply(request, Job(text, "", 0, operation="update", check=False))
    if not existed and request.method in ("PUT", "POST"):
        headers = {"Location": graph} if create and graph else None
        return Response(status_code=201, headers=headers)
    return Response(status_code=204)


async def _request_triples(request: Request) -> list[Any]:
    """The triples of a Graph Store body: one RDF document, or the parts of multipart/form-data."""

    media = _media(request)
    body = await read_body(request)
    if media == "multipart/form-data":
        from starlette.datastructures import Headers, UploadFile
        from starlette.formparsers import MultiPartParser

        async def stream() -> AsyncGenerator[bytes, None]:
            yield body

        try:
            form = await MultiPartParser(Headers(raw=request.scope["headers"]), stream()).parse()
        except Exception as exc:  # python-multipart's own error types
            raise ProtocolError(400, "Bad request", f"the multipart body cannot be read ({exc})") from None
        triples: list[Any] = []
        for _, part in form.multi_items():
            if not isinstance(part, UploadFile):
                continue
            part_media = (part.content_type or "").split(";")[0].strip().lower()
            fmt = by_media_type(part_media, _RDF_BODIES)
            if fmt is None or fmt.rdf is None:
                raise ProtocolError(415, "Unsupported media type",
                                    f"a part of type {part_media or 'none'}: send {_RDF_BODY_NAMES}")
            triples += await _parse_rdf(await part.read(), fmt.rdf)
        return triples
    body_format = by_media_type(media, _RDF_BODIES)
    if body_format is None or body_format.rdf is None:
        raise ProtocolError(415, "Unsupported media type",
                            f"send {_RDF_BODY_NAMES} (or multipart/form-data of them) to the graph store")
    return await _parse_rdf(body, body_format.rdf)


async def _parse_rdf(body: bytes, fmt: Any) -> list[Any]:
    """Parse a Graph Store body (a parser, never an evaluator; RDF/XML entities refused)."""
    import pyoxigraph as ox
    from starlette.concurrency import run_in_threadpool

    if fmt == ox.RdfFormat.RDF_XML and b"<!ENTITY" in body.upper():
        raise ProtocolError(400, "Malformed RDF", "RDF/XML with entity declarations (<!ENTITY) is refused")

    def parse() -> list[Any]:
        return [q.triple for q in ox.parse(body, format=fmt)]

    try:
        return await run_in_threadpool(parse)
    except SyntaxError as exc:
        raise ProtocolError(400, "Malformed RDF", str(exc)) from None


async def health(request: Request) -> Response:
    """``/health``: answered by the server process alone, whatever the workers are doing."""
    state: ServerState = request.app.state.rg
    return JSONResponse({"status": "ok", **state.pool.status()}, headers={"Cache-Control": "no-store"})


# -- errors --------------------------------------------------------------------------------------


async def _protocol_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProtocolError | QueryFailed)
    return error_response(request, exc.status, exc.title, exc.detail)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if exc.detail and exc.detail != title else {
        404: f"nothing at {request.url.path}", 405: f"{request.method} is not allowed here",
    }.get(exc.status_code, title)
    return error_response(request, exc.status_code, title, str(detail))


async def _package_error(request: Request, exc: Exception) -> Response:
    status = 400
    if isinstance(exc, UnknownQueryError | NoResult):
        status = 404
    elif isinstance(exc, QueryTimeout):
        status = 503
    elif not isinstance(exc, ParameterError | QuerySyntaxError):
        status = 500
    title = {400: "Bad request", 404: "Not found", 503: "Query timed out", 500: "Server error"}[status]
    return error_response(request, status, title, str(exc))


async def _internal_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server's log, never to the client.
    traceback.print_exception(exc, file=sys.stderr)
    return error_response(request, 500, "Internal Server Error",
                          "the server failed to answer this request; the details are in its log")


# -- the application ----------------------------------------------------------------------------------


#: URL schemes a page may offer as a link (javascript:, data: and the like never are).
LINK_SCHEMES = ("http://", "https://", "mailto:")


def link_href(value: object) -> str | None:
    """``value`` when it is safe as a link target (http, https, mailto, or a path), else None."""
    text = str(value).strip()
    if text.lower().startswith(LINK_SCHEMES) or (text.startswith("/") and not text.startswith("//")):
        return text
    return None


def _templates() -> Any:
    from starlette.templating import Jinja2Templates

    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    from .sitedata import local_id

    env.filters["local_id"] = local_id
    env.filters["link_href"] = link_href
    return Jinja2Templates(env=env)


def create_app(options: ServerOptions | None = None, **settings: Any) -> Starlette:
    """The Starlette application for ``options`` (or keyword settings of :class:`ServerOptions`).

    >>> app = create_app(memory=True)        # doctest: +SKIP
    """
    options = options or ServerOptions(**settings)
    if options.allow_update and (options.memory or not options.token):
        from ..exc import ConfigError

        raise ConfigError("--allow-update needs the persistent store (not --memory) and --token-file")
    state = ServerState(options)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(state.kg)  # build or open the store before the first request
        await run_in_threadpool(state.is_named, "")  # read the named queries once
        await state.pool.start()
        if state.update_pool is not None:
            await state.update_pool.start()
        if not state.pool.sandboxed:
            sys.stderr.write("recruitgraph: warning: libseccomp is missing, so query workers can open "
                             "network sockets; SERVICE and LOAD are still refused by the parser\n")
        try:
            yield
        finally:
            await state.pool.stop()
            if state.update_pool is not None:
                await state.update_pool.stop()
            state.close()

    from . import pages

    routes = [
        Route("/sparql", sparql_endpoint, methods=["GET", "POST", "OPTIONS"]),
        Route("/store", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"]),
        Route("/health", health),
        *pages.routes(),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    handlers: dict[Any, Any] = {
        ProtocolError: _protocol_error,
        QueryFailed: _protocol_error,
        HTTPException: _http_error,
        RecruitGraphError: _package_error,
        Exception: _internal_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.state.rg = state
    app.state.templates = _templates()
    from starlette.middleware.gzip import GZipMiddleware

    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(GuardMiddleware, options=options)  # outermost: refuses before anything runs
    return app
