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
    return state.cached("labels", lambda: sitedata.readable_names(state.kg()))


# -- results as table rows ---------------------------------------------------------------------------


def _table(data: dict[str, Any], state: ServerState) -> dict[str, Any]:
    """The answer as the page shows it: one row per fact, values in words (tables.py)."""
    from . import tables

    sources = state.cached("source-texts", lambda: sitedata.source_texts(state.kg()))
    return tables.build(data, _names(state), sources)


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
    if text is not None:  # HTML forms send CRLF line ends; a bare CR stays and is refused
        text = text.replace("\r\n", "\n")
    context: dict[str, Any] = {"nav": "editor", "examples": EXAMPLES, "text": text, "table": None,
                               "error": None, "kind": None, "links": []}
    named = await run_in_threadpool(lambda: state.kg().named_queries())
    context["named"] = [(q.title, q.text) for q in named if not q.parameters]
    context["terms_json"] = await run_in_threadpool(state.cached, "editor-terms", lambda: _editor_terms(state))
    if text is None:
        context["text"] = sparql_prologue() + "\n" + EXAMPLES[0][1]
        return _editor_response(_render(request, "editor.html", **context))
    status = 200
    try:
        kind = check_query(text)
        context["kind"] = kind
        if kind in ("CONSTRUCT", "DESCRIBE"):
            context["frame"] = "/graph/construct?" + urlencode({"query": text})
            context["links"] = [(f, "/sparql?" + urlencode({"query": text, "format": f})) for f in GRAPH_DOWNLOADS]
        else:
            data = await _run_rows(state, text, {})
            context["table"] = await run_in_threadpool(_table, data, state)
            context["names"] = await run_in_threadpool(_names, state)
            context["links"] = [(f, "/sparql?" + urlencode({"query": text, "format": f})) for f in ROW_DOWNLOADS]
    except ProtocolError as exc:
        context["error"] = exc
        status = exc.status
    return _editor_response(_render(request, "editor.html", status=status, **context))


def _editor_response(response: Response) -> Response:
    """The editor page's policy: the site's, plus inline style attributes, which YASGUI's result
    table writes (styles only: scripts stay limited to this origin's files)."""
    from .app import CSP

    response.headers["Content-Security-Policy"] = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    return response


def _editor_terms(state: ServerState) -> str:
    """The editor's completions, from this graph only: prefixes, and the ontology's classes and
    properties as full IRIs (the editor shows them with the prefixes declared in the query)."""
    from ..visualization import script_json

    kg = state.kg()
    classes = sorted({r["c"].value for r in kg.store.query(  # type: ignore[union-attr]
        "SELECT ?c WHERE { ?c a owl:Class FILTER(isIRI(?c)) }", prefixes=PREFIXES,
        use_default_graph_as_union=True)})
    properties = sorted({r["p"].value for r in kg.store.query(  # type: ignore[union-attr]
        "SELECT ?p WHERE { VALUES ?t { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property } "
        "?p a ?t FILTER(isIRI(?p)) }", prefixes=PREFIXES, use_default_graph_as_union=True)})
    return script_json({"prefixes": PREFIXES, "classes": classes, "properties": properties})


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
    from ..entities import resolve_params
    from .search_pages import search_index

    index = await run_in_threadpool(search_index, state)
    # the same rule as the CLI and Python: id, prefixed name, IRI, label or alias (ParameterError -> 400)
    bindings = query.bind(await run_in_threadpool(resolve_params, kg, query, values, index=index))
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
            context["table"] = await run_in_threadpool(_table, data, state)
            context["names"] = await run_in_threadpool(_names, state)
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
    cluster = pipeline is None and request.query_params.get("view") == "network"
    base = _base(request)

    def build() -> str:
        G = view_graph(state.kg(), pipeline=pipeline)
        return render_html(G, title="Recruitment pipelines", base_url=base, height="78vh", cluster=cluster)

    page = await run_in_threadpool(state.cached, f"frame:pipelines:{pipeline}:{cluster}:{base}", build)
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
        text, bindings, title = params.get("query", "").replace("\r\n", "\n"), {}, "Query result"
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


async def _unknown_entity(request: Request, local: str) -> Response:
    """404 for an unknown id, with the closest ids of the graph (as links for browsers)."""
    from .search_pages import closest_ids

    near = await run_in_threadpool(closest_ids, _state(request), local)
    detail = f"no resource <{RGD}{local}> in the graph"
    if near:
        detail += "; closest ids: " + ", ".join(h.local for h in near)
    if _prefers_html(request.headers.get("accept", "")) and not request.query_params.get("format"):
        return _render(request, "error.html", status=404, nav="", title="Not found",
                       detail=f"There is nothing at /id/{local}.", closest=near)
    from .app import error_response

    return error_response(request, 404, "Not found", detail)


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
        return await _unknown_entity(request, local)
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
        **_passage_or_source(state, iri, info, names),
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


def _passage_or_source(state: ServerState, iri: str, info: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A passage page shows its text and every claim citing it; a source page links its reading view."""
    from .reading import cited_passages

    types = {str(t) for t in info.get(PREFIXES["rdf"] + "type", [])}
    kg = state.kg()
    sources = state.cached("source-texts", lambda: sitedata.source_texts(kg))
    if PREFIXES["rg"] + "Passage" in types:
        found = sitedata.select(kg, "SELECT ?p ?src WHERE { { ?p rg:inSource ?src } UNION { ?ev rg:passage ?p ; rg:source ?src } }",
                                p=iri).rows
        if found:
            source = str(found[0]["src"])
            meta = sources.get(source)
            text = meta.text if meta else None
            cited = cited_passages(kg, source, names, text, only=iri)
            if cited:
                return {"passage": cited[0], "passage_source": source, "passage_note": "" if text or meta is None
                        else meta.missing_note(), "passage_source_local": sitedata.local_id(source)}
    if iri in sources:
        return {"source_meta": sources[iri]}
    return {}


def _in_projection(state: ServerState, iri: str) -> bool:
    def nodes() -> frozenset[str]:
        from ..pipelines import project

        return frozenset(project(state.kg()).nodes)

    return iri in state.cached("projection-nodes", nodes)


# -- timeline, pipelines, downloads ----------------------------------------------------------------------


async def timeline_page(request: Request) -> Response:
    state = _state(request)

    def build() -> list[sitedata.TimelineItem]:
        return sitedata.timeline(state.kg(), _names(state))

    every = await run_in_threadpool(state.cached, "timeline", build)
    kinds = [k for k in ("figure", "event", "claim") if request.query_params.get(k, "on") != "off"]
    items = [i for i in every if i.kind in kinds]
    return _render(request, "timeline.html", items=items, svg=_timeline_svg(items), kinds=kinds,
                   any_inferred=any(i.inferred for i in items))


#: Rows of the time axis before a crowded date shows "+N" instead of more marks.
TIMELINE_LANES = 6


def _timeline_svg(items: list[sitedata.TimelineItem]) -> dict[str, Any]:
    """Geometry of the SVG time axis: one tick per year; each item a span as long as its date's
    precision (a year, a month; a day is a dot), packed into lanes; what does not fit in
    ``TIMELINE_LANES`` lanes is counted in a "+N" mark that links to those items in the list."""
    if not items:
        return {"width": 0, "ticks": [], "marks": [], "more": [], "height": 0}
    first, last = min(i.year for i in items), max(i.year for i in items) + 1
    width, pad, lane_h, top = 900, 30, 16, 26
    span = max(1, last - first)

    def x(year: float) -> float:
        return round(pad + (year - first) / span * (width - 2 * pad), 1)

    lanes: list[float] = []
    marks: list[dict[str, Any]] = []
    crowded: dict[str, dict[str, Any]] = {}
    for n, item in enumerate(sorted(items, key=lambda i: (i.span()[0], -i.span()[1], i.label))):
        a, b = item.span()
        x1, x2 = x(a), max(x(b), x(a) + 8)
        lane = next((k for k, end in enumerate(lanes) if end + 3 <= x1), None)
        if lane is None and len(lanes) < TIMELINE_LANES:
            lanes.append(0.0)
            lane = len(lanes) - 1
        if lane is None:
            entry = crowded.setdefault(item.date, {"x": x1, "date": item.date, "n": 0})
            entry["n"] += 1
            continue
        lanes[lane] = x2
        marks.append({"x": x1, "w": round(x2 - x1, 1), "y": top + lane * lane_h, "item": item, "n": n + 1,
                      "dot": item.precision == "day"})
    more: list[dict[str, Any]] = []
    for entry in sorted(crowded.values(), key=lambda e: e["x"]):
        if more and entry["x"] - more[-1]["x"] < 30:  # two "+N" that would overlap say one sum
            more[-1]["n"] += entry["n"]
            more[-1]["dates"].append(entry["date"])
        else:
            more.append({**entry, "dates": [entry["date"]]})
    axis_y = top + TIMELINE_LANES * lane_h + 8
    ticks = [{"x": x(y), "label": str(y)} for y in range(first, last + 1)]
    return {"width": width, "ticks": ticks, "marks": marks, "more": more,
            "axis_y": axis_y, "height": axis_y + 24}


async def pipelines_page(request: Request) -> Response:
    """The pipelines stage by stage (default), one pipeline with its interactive graph
    (``?pipeline=``), or the whole network as a second, clustered view (``?view=network``)."""
    from ..stages import drawing, find_pipeline
    from .search_pages import search_index

    state = _state(request)

    def build() -> list[Any]:
        from ..pipelines import pipelines

        return pipelines(state.kg())

    pipes = await run_in_threadpool(state.cached, "pipelines", build)
    chosen = request.query_params.get("pipeline", "")
    view = request.query_params.get("view", "stages")
    if view not in ("stages", "network"):
        raise ProtocolError(400, "Bad request", f"view={view!r}: give stages or network")
    if chosen:
        picked = find_pipeline(state.kg(), chosen, pipes)  # ParameterError -> 400 listing the names
        shown = [picked]
        frame = "/graph/pipelines?" + urlencode({"pipeline": picked.iri})
    else:
        shown = pipes
        frame = "/graph/pipelines?view=network" if view == "network" else ""
    index = await run_in_threadpool(search_index, state)

    def cls_of(iri: str) -> str:
        hit = index.hit(iri)
        return hit.cls.rsplit("/", 1)[-1] if hit else ""

    drawings = [drawing(p, {st.actor: cls_of(st.actor) for st in p.stages}) for p in shown]
    legend: dict[str, str] = {}
    for d in drawings:
        for box in d.boxes:
            legend.setdefault(box.cls or "Other", box.colour)
    names = await run_in_threadpool(_names, state)
    return _render(request, "pipelines.html", pipes=pipes, chosen=chosen, frame=frame, view=view,
                   drawings=drawings, names=names,
                   legend=sorted(((names.get(PREFIXES["rg"] + c) or c, col) for c, col in legend.items())))


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
    from .reading import reading_routes
    from .search_pages import search_routes

    return [
        *search_routes(),
        *reading_routes(),
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
