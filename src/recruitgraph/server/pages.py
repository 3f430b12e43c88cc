"""The browser UI: gallery of named queries, SPARQL editor, results, timeline, entity pages
(Linked Data at ``/id/<local>``), pipelines, downloads.

Pages are rendered on the server (Jinja2, autoescaped); the only scripts are our own files under
``/static`` (table sorting, editor examples) and, inside ``/graph/...`` frames, the page of
``recruitgraph viz`` (visualization.py) whose inline scripts are allowed by their hashes.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
from functools import partial
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..exc import ParameterError
from ..namespaces import PREFIXES, RGD, sparql_prologue
from ..queries import NamedQuery, expand_iri, query_kind
from . import ledgers, sitedata
from .sparql_protocol import EXTENSIONS, ProtocolError, check_query, content_type, negotiate_graph
from .state import ServerState
from .workers import Job, result_json

ROW_DOWNLOADS = ("csv", "json", "tsv", "xml")
GRAPH_DOWNLOADS = ("turtle", "ntriples", "jsonld", "rdfxml")

EXAMPLES = [
    ("Countries in the graph", "SELECT ?country ?label WHERE {\n  ?country a rg:State ; rdfs:label ?label .\n} ORDER BY ?label"),
    ("Figures with their claimant and status", "SELECT ?figure ?value ?claimant ?status WHERE {\n"
     "  ?figure a rg:Figure ; rg:hasEvidence ?ev .\n  OPTIONAL { ?figure rg:value ?value }\n"
     "  OPTIONAL { ?ev rg:claimant ?claimant }\n  ?ev rg:verificationStatus ?status .\n} ORDER BY ?figure"),
    ("Everything said about one entity (graph)", "DESCRIBE rgd:russia"),
    ("Pipelines and their stages (graph)", "CONSTRUCT { ?p rg:hasStage ?s . ?s rg:stageActor ?a } WHERE {\n"
     "  ?p a rg:Pipeline ; rg:hasStage ?s . ?s rg:stageActor ?a .\n}"),
]


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.rg
    return state


def _render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    templates = request.app.state.templates
    context.setdefault("nav", name.removesuffix(".html"))
    response: Response = templates.TemplateResponse(request, name, context, status_code=status)
    return response


def _names(state: ServerState) -> dict[str, str]:
    return state.cached("labels", lambda: sitedata.labels(state.kg()))


# -- results as table rows ---------------------------------------------------------------------------


def _cell(term: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """One table cell: text, optional link to the entity page, and a sort key."""
    value = term.get("value", "")
    if term.get("type") == "uri":
        local = sitedata.local_id(value)
        return {"text": sitedata.display(value, names), "href": f"/id/{local}" if local else None,
                "title": value, "sort": sitedata.display(value, names).casefold()}
    sort: Any = value.casefold()
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        sort = float(value)
    return {"text": value, "href": None, "title": term.get("datatype", ""), "sort": sort}


def _table(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    if "boolean" in data:
        return {"boolean": bool(data["boolean"])}
    bindings = data["results"]["bindings"]
    every = data["head"]["vars"]
    # ?xLabel repeats what the ?x cell already shows as its link text, and a column no row fills
    # is noise: both stay in the downloads but not in the table people read.
    variables = [v for v in every
                 if not (v.endswith("Label") and v[:-5] in every)
                 and (not bindings or any(v in b for b in bindings))]
    rows = []
    for binding in bindings:
        rows.append([_cell(binding[v], names) if v in binding else {"text": "", "href": None, "sort": ""}
                     for v in variables])
    return {"variables": variables, "rows": rows, "hidden": len(every) - len(variables)}


async def _run_rows(state: ServerState, text: str, bindings: dict[str, Any]) -> dict[str, Any]:
    job = Job(text, "json", state.options.max_rows, tuple((k, str(v)) for k, v in sorted(bindings.items())))
    outcome = await state.pool.run(job, state.options.query_timeout)
    if outcome.error:
        raise ProtocolError(*outcome.error)
    return result_json(outcome)


# -- home: gallery and editor ---------------------------------------------------------------------------


async def home(request: Request) -> Response:
    """The gallery; with ``?query=`` the editor with that query and its results."""
    if "query" in request.query_params:
        return await editor(request)
    state = _state(request)
    queries = await run_in_threadpool(lambda: state.kg().named_queries())
    return _render(request, "home.html", queries=queries)


async def editor(request: Request) -> Response:
    state = _state(request)
    text = request.query_params.get("query")
    context: dict[str, Any] = {"nav": "editor", "examples": EXAMPLES, "text": text, "table": None,
                               "error": None, "kind": None, "links": []}
    named = await run_in_threadpool(lambda: state.kg().named_queries())
    context["named"] = [(q.title, q.text) for q in named if not q.parameters]
    if text is None:
        context["text"] = sparql_prologue() + "\n" + EXAMPLES[0][1]
        return _render(request, "editor.html", **context)
    status = 200
    try:
        kind = check_query(text)
        context["kind"] = kind
        if kind in ("CONSTRUCT", "DESCRIBE"):
            context["frame"] = "/graph/construct?" + urlencode({"query": text})
            context["links"] = [(f, "/sparql?" + urlencode({"query": text, "format": f})) for f in GRAPH_DOWNLOADS]
        else:
            data = await _run_rows(state, text, {})
            context["table"] = _table(data, await run_in_threadpool(_names, state))
            context["links"] = [(f, "/sparql?" + urlencode({"query": text, "format": f})) for f in ROW_DOWNLOADS]
    except ProtocolError as exc:
        context["error"] = exc
        status = exc.status
    return _render(request, "editor.html", status=status, **context)


# -- named queries --------------------------------------------------------------------------------------


def _param_fields(state: ServerState, query: NamedQuery, values: dict[str, str]) -> list[dict[str, Any]]:
    fields = []
    for p in query.parameters:
        options: list[tuple[str, str]] = []
        if p.type == "iri" and p.cls:
            cls = p.cls
            options = state.cached(f"instances:{cls}", partial(sitedata.instances, state.kg(), cls))
        default = "" if p.default is None else str(p.default)
        value = values.get(p.name, default)
        if options and value:
            # rgd:nepal, nepal and the full IRI all pick the same entry of the list
            with contextlib.suppress(ValueError):
                value = expand_iri(value)
        fields.append({"param": p, "options": options, "value": value,
                       "cls_label": _names(state).get(p.cls or "", p.cls or "")})
    return fields


async def named_query(request: Request) -> Response:
    """``/query?name=N&param=value``: the form, and the answer once the form is filled."""
    state = _state(request)
    name = request.query_params.get("name", "")
    kg = await run_in_threadpool(state.kg)
    query = kg.catalogue.get(name)  # UnknownQueryError -> 404
    values = {p.name: request.query_params[p.name] for p in query.parameters
              if request.query_params.get(p.name, "").strip()}
    fields = await run_in_threadpool(_param_fields, state, query, values)
    fmt = request.query_params.get("format")
    missing = [p.name for p in query.parameters if p.required and p.name not in values and p.default is None]
    run = not missing and ("run" in request.query_params or not query.parameters or fmt)
    context: dict[str, Any] = {"nav": "home", "query": query, "fields": fields, "table": None, "error": None,
                               "links": [], "frame": None, "ran": bool(run)}
    if not run:
        if fmt:
            raise ParameterError(f"query {name}: missing required parameter(s) {', '.join(missing)}")
        return _render(request, "query.html", **context)
    bindings = query.bind(values)  # ParameterError -> 400
    kind = query.kind
    share = {"name": name, **values}
    if fmt:
        return await _named_download(state, query, bindings, kind, fmt)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        context["frame"] = "/graph/query?" + urlencode(share)
        context["links"] = [(f, "/query?" + urlencode({**share, "format": f})) for f in GRAPH_DOWNLOADS]
    else:
        status = 200
        try:
            data = await _run_rows(state, query.text, bindings)
            context["table"] = _table(data, await run_in_threadpool(_names, state))
        except ProtocolError as exc:
            context["error"] = exc
            status = exc.status
        context["links"] = [(f, "/query?" + urlencode({**share, "format": f})) for f in ROW_DOWNLOADS]
        if status != 200:
            return _render(request, "query.html", status=status, **context)
    return _render(request, "query.html", **context)


async def _named_download(state: ServerState, query: NamedQuery, bindings: dict[str, Any], kind: str,
                          fmt: str) -> Response:
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    if fmt not in (GRAPH_DOWNLOADS if graph else ROW_DOWNLOADS):
        raise ProtocolError(406, "Not acceptable", f"format={fmt!r} does not fit a {kind} answer")
    job = Job(query.text, fmt, state.options.max_rows, tuple((k, str(v)) for k, v in sorted(bindings.items())))
    outcome = await state.pool.run(job, state.options.query_timeout)
    if outcome.error:
        raise ProtocolError(*outcome.error)
    filename = f"{query.name}.{EXTENSIONS[fmt]}"
    return Response(outcome.body, media_type=content_type(fmt),
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# -- graph frames (the page of `recruitgraph viz`) ---------------------------------------------------


_SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.S)
_STYLE_RE = re.compile(r"<style>(.*?)</style>", re.S)


def _hashes(page: str, pattern: re.Pattern[str]) -> str:
    return " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode() + "'"
        for m in pattern.finditer(page)
    )


def frame_response(page: str) -> Response:
    """Serve a visualization page; its own inline scripts are allowed by hash, nothing remote."""
    csp = (f"default-src 'none'; script-src {_hashes(page, _SCRIPT_RE) or chr(39) + 'none' + chr(39)}; "
           "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
    return Response(page, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": csp})


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def graph_pipelines(request: Request) -> Response:
    from ..visualization import render_html, view_graph

    state = _state(request)
    pipeline = request.query_params.get("pipeline") or None
    base = _base(request)

    def build() -> str:
        G = view_graph(state.kg(), pipeline=pipeline)
        return render_html(G, title="Recruitment pipelines", base_url=base, height="78vh")

    page = await run_in_threadpool(state.cached, f"frame:pipelines:{pipeline}:{base}", build)
    return frame_response(page)


async def graph_entity(request: Request) -> Response:
    from ..visualization import render_html, view_graph

    state = _state(request)
    iri = str(RGD) + request.path_params["local"]
    base = _base(request)

    def build() -> str:
        G = view_graph(state.kg(), focus=iri, depth=1)
        return render_html(G, title=_names(state).get(iri, iri), base_url=base, height="60vh")

    page = await run_in_threadpool(state.cached, f"frame:entity:{iri}:{base}", build)
    return frame_response(page)


async def graph_construct(request: Request) -> Response:
    """A CONSTRUCT/DESCRIBE answer (editor or named query) drawn as the viz page draws graphs."""
    from ..visualization import render_html

    state = _state(request)
    params = request.query_params
    if "name" in params:
        query = (await run_in_threadpool(state.kg)).catalogue.get(params["name"])
        values = {p.name: params[p.name] for p in query.parameters if params.get(p.name, "").strip()}
        text, bindings, title = query.text, query.bind(values), query.title
    else:
        text, bindings, title = params.get("query", ""), {}, "Query result"
        check_query(text)
    if query_kind(text) not in ("CONSTRUCT", "DESCRIBE"):
        raise ProtocolError(400, "Not a graph query", "only CONSTRUCT and DESCRIBE answers are drawn as graphs")
    job = Job(text, "ntriples", state.options.max_rows, tuple((k, str(v)) for k, v in sorted(bindings.items())))
    outcome = await state.pool.run(job, state.options.query_timeout)
    if outcome.error:
        raise ProtocolError(*outcome.error)
    triples = [q.triple for q in ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES)]
    names = await run_in_threadpool(_names, state)
    G = _graph_from_triples(triples, names)
    return frame_response(render_html(G, title=title, base_url=_base(request), height="70vh"))


def _graph_from_triples(triples: list[ox.Triple], names: dict[str, str]) -> Any:
    """A MultiDiGraph shaped like pipelines.project() output from plain triples."""
    import networkx as nx

    from ..pipelines import curie, local_name

    G = nx.MultiDiGraph()
    types: dict[str, str] = {}
    rdf_type = PREFIXES["rdf"] + "type"
    for t in triples:
        if t.predicate.value == rdf_type and isinstance(t.object, ox.NamedNode):
            types.setdefault(t.subject.value if hasattr(t.subject, "value") else str(t.subject),
                             local_name(t.object.value))

    def node(term: Any) -> str:
        key = term.value if isinstance(term, ox.NamedNode) else str(term)
        if key not in G:
            G.add_node(key, iri=key, label=names.get(key) or curie(key), pipelines=[], roles=[], evidence=[],
                       **{"class": types.get(key, "Thing"), "channel": []})
        return key

    for t in triples:
        if t.predicate.value == rdf_type or isinstance(t.object, ox.Literal):
            continue
        s, o = node(t.subject), node(t.object)
        G.add_edge(s, o, key=t.predicate.value, predicate=t.predicate.value,
                   label=names.get(t.predicate.value) or local_name(t.predicate.value), kind="relation", evidence=[])
    for t in triples:
        if isinstance(t.object, ox.Literal):
            node(t.subject)
    return G


# -- entity pages (Linked Data) ---------------------------------------------------------------------------


async def entity(request: Request) -> Response:
    """``/id/<local>``: HTML for browsers, Turtle, N-Triples, JSON-LD or RDF/XML by Accept."""
    state = _state(request)
    local = request.path_params["local"]
    iri = str(RGD) + local
    accept = request.headers.get("accept", "")
    override = request.query_params.get("format")
    kg = await run_in_threadpool(state.kg)
    triples = await run_in_threadpool(sitedata.graph_of, kg, iri)
    if not triples:
        raise ProtocolError(404, "Not found", f"no resource <{iri}> in the graph")
    if override or not _prefers_html(accept):
        fmt = negotiate_graph(accept, override)
        from ..export import EXPORT_FORMATS

        rdf_format = EXPORT_FORMATS[fmt][0]
        if fmt in ("turtle", "rdfxml"):
            data = ox.serialize(triples, format=rdf_format, prefixes=PREFIXES)
        else:
            data = ox.serialize(triples, format=rdf_format)
        return Response(data or b"", media_type=content_type(fmt), headers={"Vary": "Accept"})
    context = await run_in_threadpool(_entity_context, state, iri)
    response = _render(request, "entity.html", nav="", local=local, iri=iri, **context)
    response.headers["Vary"] = "Accept"
    return response


def _prefers_html(accept: str) -> bool:
    if not accept:
        return False
    from .sparql_protocol import parse_accept

    for rng in parse_accept(accept):
        if rng.media in ("text/html", "application/xhtml+xml"):
            return True
        if rng.media in ("*/*", "text/*"):
            return False
        if rng.media in ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
                         "application/json", "application/x-turtle", "text/plain"):
            return False
    return False


def _figure_title(info: dict[str, Any], names: dict[str, str]) -> str:
    """A figure has no label of its own: name it by what it says ("more than 160,000 people")."""
    rg = PREFIXES["rg"]

    def first(prop: str) -> str:
        values = info.get(rg + prop) or []
        return str(values[0]) if values else ""

    if rg + "Figure" not in [str(t) for t in info.get(PREFIXES["rdf"] + "type", [])]:
        return ""
    phrase = sitedata.figure_phrase(first("comparator"), first("value"), first("unit"), names)
    measure = first("measures")
    return f"{phrase} ({sitedata.display(measure, names)})" if measure else phrase


def _entity_context(state: ServerState, iri: str) -> dict[str, Any]:
    kg = state.kg()
    names = _names(state)
    info = sitedata.describe(kg, iri)
    pipes = sitedata.pipelines_of(kg, iri)
    label = names.get(iri) or _figure_title(info, names) or sitedata.display(iri, names)
    return {
        "label": label,
        "info": info,
        "types": [sitedata.display(t, names) for t in info.get(PREFIXES["rdf"] + "type", [])],
        "outgoing": sitedata.facts(kg, iri, incoming=False),
        "incoming": sitedata.facts(kg, iri, incoming=True),
        "evidence": sitedata.own_evidence(kg, iri),
        "pipelines": pipes,
        "has_graph": _in_projection(state, iri),
        "names": names,
        "P": PREFIXES,
    }


def _in_projection(state: ServerState, iri: str) -> bool:
    def nodes() -> frozenset[str]:
        from ..pipelines import project

        return frozenset(project(state.kg()).nodes)

    return iri in state.cached("projection-nodes", nodes)


# -- timeline, pipelines, downloads ----------------------------------------------------------------------


async def timeline_page(request: Request) -> Response:
    state = _state(request)

    def build() -> dict[str, Any]:
        names = _names(state)
        items = sitedata.timeline(state.kg(), names)
        return {"items": items, "svg": _timeline_svg(items)}

    data = await run_in_threadpool(state.cached, "timeline", build)
    kinds = [k for k in ("figure", "event", "claim") if request.query_params.get(k, "on") != "off"]
    items = [i for i in data["items"] if i.kind in kinds] if len(kinds) < 3 else data["items"]
    return _render(request, "timeline.html", items=items, svg=data["svg"], kinds=kinds)


def _timeline_svg(items: list[sitedata.TimelineItem]) -> dict[str, Any]:
    """Geometry of the SVG time axis: one tick per year, one dot per item (drawn by the template)."""
    if not items:
        return {"width": 0, "ticks": [], "dots": []}
    first, last = min(i.year for i in items), max(i.year for i in items) + 1
    width, pad = 900, 30
    span = max(1, last - first)

    def x(year: float) -> float:
        return round(pad + (year - first) / span * (width - 2 * pad), 1)

    ticks = [{"x": x(y), "label": str(y)} for y in range(first, last + 1)]
    dots = []
    stack: dict[float, int] = {}
    for n, item in enumerate(items):
        px = x(item.year + item.fraction)
        level = stack.get(px, 0)
        stack[px] = level + 1
        dots.append({"x": px, "y": 60 - 12 * min(level, 3), "item": item, "n": n + 1})
    return {"width": width, "ticks": ticks, "dots": dots}


async def pipelines_page(request: Request) -> Response:
    state = _state(request)

    def build() -> list[Any]:
        from ..pipelines import pipelines

        return pipelines(state.kg())

    pipes = await run_in_threadpool(state.cached, "pipelines", build)
    chosen = request.query_params.get("pipeline", "")
    frame = "/graph/pipelines" + ("?" + urlencode({"pipeline": chosen}) if chosen else "")
    return _render(request, "pipelines.html", pipes=pipes, chosen=chosen, frame=frame,
                   names=await run_in_threadpool(_names, state))


async def downloads_page(request: Request) -> Response:
    state = _state(request)
    files = await run_in_threadpool(state.cached, "downloads", lambda: sitedata.downloads(state.kg()))
    void = await run_in_threadpool(_void, state, _base(request))
    return _render(request, "downloads.html", files=files.values(),
                   void_sha=hashlib.sha256(void.encode()).hexdigest(), void_size=len(void.encode()))


def _void(state: ServerState, base: str) -> str:
    files = state.cached("downloads", lambda: sitedata.downloads(state.kg()))
    return state.cached(f"void:{base}", lambda: sitedata.void_description(state.kg(), base, files))


async def download_file(request: Request) -> Response:
    state = _state(request)
    name = request.path_params["name"]
    if name == "void.ttl":
        text = await run_in_threadpool(_void, state, _base(request))
        return Response(text, media_type=content_type("turtle"))
    files = await run_in_threadpool(state.cached, "downloads", lambda: sitedata.downloads(state.kg()))
    if name not in files:
        raise ProtocolError(404, "Not found", f"no download {name!r}; see /downloads")
    item = files[name]
    return Response(item.data, media_type=f"{item.media_type}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Digest": "sha-256=" + base64.b64encode(hashlib.sha256(item.data).digest()).decode()})


async def favicon(request: Request) -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)


async def robots(request: Request) -> Response:
    return PlainTextResponse("User-agent: *\nDisallow: /sparql\nDisallow: /graph/\n")


def routes() -> list[Route]:
    return [
        Route("/", home),
        Route("/editor", editor),
        Route("/query", named_query),
        Route("/timeline", timeline_page),
        Route("/pipelines", pipelines_page),
        Route("/downloads", downloads_page),
        Route("/downloads/{name}", download_file),
        Route("/id/{local:path}", entity),
        Route("/graph/pipelines", graph_pipelines),
        Route("/graph/entity/{local:path}", graph_entity),
        Route("/graph/construct", graph_construct),
        Route("/graph/query", graph_construct),
        Route("/favicon.ico", favicon),
        Route("/robots.txt", robots),
        *ledgers.routes(),
    ]


__all__ = ["frame_response", "routes"]
