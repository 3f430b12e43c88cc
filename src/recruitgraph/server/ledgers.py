"""Browser pages for cited sources and figure ledgers: ``/sources`` (every source with its
publisher, dates, origin, language, claim count and a link out), ``/ledgers`` (the measures) and
``/ledgers/<measure>`` (a chart of the measure's figures over time by claimant, the table of the
ledger and the contradictions the rule finds). They run the named queries ``sources``, ``ledger``
and ``contradictions``; parameters are bound as RDF terms by the query layer.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..namespaces import RG, RGD
from .ledger_chart import chart, marks_from_rows
from .sparql_protocol import ProtocolError
from .state import ServerState

__all__ = ["routes"]

_LOCAL = re.compile(r"^measure-[a-z0-9]+(?:-[a-z0-9]+)*$")


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.rg
    return state


def _render(request: Request, name: str, **context: Any) -> Response:
    context.setdefault("nav", name.removesuffix(".html"))
    response: Response = request.app.state.templates.TemplateResponse(request, name, context)
    return response


def _rows(state: ServerState, name: str, **params: str) -> list[dict[str, Any]]:
    """The rows of a named query as plain strings, every variable present (None when unbound).

    Plain strings, not rdflib terms: a Literal compares unequal to the text it holds, which
    templates compare with."""
    result = state.kg().query(name, **params)
    return [
        {v: None if row.get(v) is None else f"{row[v]}" for v in result.variables}
        for row in result.rows
    ]


async def sources_page(request: Request) -> Response:
    state = _state(request)
    rows = await run_in_threadpool(state.cached, "page:sources", lambda: _rows(state, "sources"))
    text_kind = str(RG.TextSource)
    return _render(request, "sources.html", rows=rows, text_kind=text_kind)


def _measures(state: ServerState) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}
    for row in _rows(state, "ledger"):
        m = str(row["measure"])
        entry = counts.setdefault(
            m,
            {
                "measure": m,
                "label": str(row.get("measureLabel") or m),
                "figures": set(),
                "origins": set(),
            },
        )
        entry["figures"].add(str(row["figure"]))
        entry["origins"].add(str(row["origin"]))
    return sorted(
        (
            {**e, "figures": len(e["figures"]), "origins": len(e["origins"])}
            for e in counts.values()
        ),
        key=lambda e: (-e["origins"], e["label"]),
    )


async def ledgers_page(request: Request) -> Response:
    state = _state(request)
    measures = await run_in_threadpool(state.cached, "page:ledgers", lambda: _measures(state))
    return _render(request, "ledgers.html", measures=measures)


async def ledger_page(request: Request) -> Response:
    state = _state(request)
    local = request.path_params["local"]
    if not _LOCAL.match(local):
        raise ProtocolError(404, "Not found", f"no measure {local!r}; see /ledgers")
    iri = str(RGD[local])

    def build() -> dict[str, Any]:
        rows = _rows(state, "ledger", measure=iri)
        contradictions = _rows(state, "contradictions", measure=iri)
        return {"rows": rows, "svg": chart(marks_from_rows(rows)), "contradictions": contradictions}

    data = await run_in_threadpool(state.cached, f"page:ledger:{local}", build)
    if not data["rows"]:
        raise ProtocolError(404, "Not found", f"no figures for measure {local!r}; see /ledgers")
    first = data["rows"][0]
    return _render(
        request,
        "ledger.html",
        nav="ledgers",
        measure=iri,
        label=str(first.get("measureLabel") or local),
        **data,
    )


def routes() -> list[Route]:
    """The routes of these pages, added to the app's by :mod:`.pages`."""
    return [
        Route("/sources", sources_page),
        Route("/ledgers", ledgers_page),
        Route("/ledgers/{local}", ledger_page),
    ]
