"""Search on every page: ``/search?q=`` (HTML, or JSON for the autocomplete box), the index of
entities by class at ``/id/``, and the closest ids offered by a 404 on ``/id/<unknown>``.

The word index (``recruitgraph.search``) is built from the store once per build and kept in the
server state's cache, so a keystroke costs two binary searches, not a query over the store.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..search import DEFAULT_LIMIT, Hit, SearchIndex, as_json, build_index, class_words
from .sparql_protocol import ProtocolError
from .state import ServerState

#: Longest query text accepted (a search box, not a document).
MAX_QUERY = 200
#: Entities listed per class on the /id/ index before "all N".
INDEX_PREVIEW = 30


def search_index(state: ServerState) -> SearchIndex:
    """The word index of the live build."""
    return state.cached("search-index", lambda: build_index(state.kg().store))


def closest_ids(state: ServerState, local: str) -> list[Hit]:
    return search_index(state).closest(local)


def _names(state: ServerState) -> dict[str, str]:
    from .pages import _names as names

    return names(state)


def _limit(request: Request, default: int) -> int:
    raw = request.query_params.get("limit", "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 500:
        raise ProtocolError(400, "Bad request", f"limit={raw!r}: give a whole number from 1 to 500")
    return int(raw)


async def search_page(request: Request) -> Response:
    """``/search?q=``: hits grouped by class with counts; ``&format=json`` for the autocomplete."""
    from .pages import _render

    state: ServerState = request.app.state.rg
    q = request.query_params.get("q", "")
    if len(q) > MAX_QUERY:
        raise ProtocolError(400, "Bad request", f"q: at most {MAX_QUERY} characters")
    cls = request.query_params.get("class") or None
    as_data = request.query_params.get("format") == "json"
    limit = _limit(request, 8 if as_data else 200)
    index = await run_in_threadpool(search_index, state)
    results = await run_in_threadpool(index.search, q, limit, cls)
    names = await run_in_threadpool(_names, state)
    if as_data:
        return JSONResponse(as_json(results, names), headers={"Cache-Control": "no-store"})
    listed = results.grouped()
    shown = {cls_iri for cls_iri, _, _ in listed}
    # every class that matches has its heading and count, also when none of its hits fit the list
    if cls is None:
        listed += [(cls_iri, count, []) for cls_iri, count in results.by_class if cls_iri not in shown]
    groups = [(cls_iri, class_words(cls_iri, names), count, hits) for cls_iri, count, hits in listed]
    classes = [(c, class_words(c, names), n) for c, n in results.by_class]
    return _render(request, "search.html", nav="", q=q, results=results, groups=groups, classes=classes,
                   chosen=cls, limit=limit)


async def id_index(request: Request) -> Response:
    """``/id/``: every named entity of the dataset by class (``?class=IRI`` lists one class whole)."""
    from .pages import _render

    state: ServerState = request.app.state.rg
    index = await run_in_threadpool(search_index, state)
    names = await run_in_threadpool(_names, state)
    chosen = request.query_params.get("class") or None
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for iri, label, cls in index.entities:
        if chosen is None or cls == chosen:
            members[cls].append((label, iri))
    if chosen is not None and not members:
        raise ProtocolError(404, "Not found", f"no entity of class <{chosen}> in the graph")
    groups = []
    for cls, items in members.items():
        items.sort(key=lambda li: (li[0].casefold(), li[1]))
        shown = items if chosen else items[:INDEX_PREVIEW]
        groups.append({"cls": cls, "label": class_words(cls, names), "count": len(items),
                       "members": [Hit(iri, label, cls) for label, iri in shown]})
    groups.sort(key=lambda g: str(g["label"]).casefold())
    context: dict[str, Any] = {"groups": groups, "chosen": chosen, "total": len(index)}
    return _render(request, "index.html", nav="", **context)


async def id_root(request: Request) -> Response:
    return RedirectResponse("/id/", status_code=301)


def search_routes() -> list[Route]:
    return [
        Route("/search", search_page),
        Route("/id", id_root),
        Route("/id/", id_index),
    ]


__all__ = ["DEFAULT_LIMIT", "closest_ids", "search_index", "search_routes"]
