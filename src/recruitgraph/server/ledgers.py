"""Browser pages for cited sources and figure ledgers: ``/sources`` (every source with its
publisher, dates, origin, language, claim count and a link out), ``/ledgers`` (the measures) and
``/ledgers/<measure>`` (a chart of the measure's figures over time by claimant, the table of the
ledger and the contradictions the rule finds). They run the named queries ``sources``, ``ledger``
and ``contradictions``; parameters are bound as RDF terms by the query layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..namespaces import RG, RGD
from .ledger_chart import chart, marks_from_rows
from .sparql_protocol import ProtocolError
from .state import ServerState

__all__ = ["Comparison", "LedgerEntry", "comparisons", "routes"]

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


# -- the comparisons entity and claim pages show ------------------------------------------------------


@dataclass
class LedgerEntry:
    """One figure of a measure's ledger, its evidence records folded into one line."""

    figure: str
    label: str
    value: str
    bounds: str
    stated: str
    period: str
    claimants: list[str] = field(default_factory=list)  # IRIs; empty: the source itself
    statuses: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    contradicts: list[str] = field(default_factory=list)  # figures the contradictions rule pairs it with
    focus: bool = False  # a figure of the page the comparison is shown on


@dataclass
class Comparison:
    """The ledger of one measure, as a page about some of its figures shows it."""

    measure: str
    label: str
    entries: list[LedgerEntry]

    @property
    def local(self) -> str:
        return self.measure.rsplit("/", 1)[-1]

    @property
    def all_focus(self) -> bool:
        """Every figure of the ledger is one of the page's (then no row needs telling apart)."""
        return all(e.focus for e in self.entries)

    @property
    def disagreements(self) -> int:
        return sum(1 for e in self.entries if e.contradicts)


def _number(text: str) -> str:
    try:
        d = Decimal(text)
    except InvalidOperation:
        return text
    return f"{int(d):,}" if d == d.to_integral_value() else f"{d.normalize():,}"


def bounds_text(row: dict[str, Any]) -> str:
    """The interval the bounds rule gives a figure: "(200, ∞)", "[7,200, 8,800]", "(\u2212\u221e, 30]"."""
    lo, hi = row.get("lowerBound"), row.get("upperBound")
    left = "(\u2212\u221e" if lo is None else ("[" if row.get("lowerInclusive") in ("true", "1") else "(") + _number(lo)
    right = "∞)" if hi is None else _number(hi) + ("]" if row.get("upperInclusive") in ("true", "1") else ")")
    return f"{left}, {right}"


def _value_text(row: dict[str, Any], names: dict[str, str]) -> str:
    from .sitedata import figure_phrase

    comparator, unit = row.get("comparator") or "", row.get("unit") or ""
    if row.get("value") is None and row.get("rangeLow") is not None:
        span = f"{_number(row['rangeLow'])}\u2013{_number(row.get('rangeHigh') or '')}"
        words = figure_phrase("exactly", "2", unit, names).removeprefix("2 ")
        cmp = names.get(comparator, "")
        return f"{cmp + ' ' if cmp and not comparator.endswith('cmp-between') else ''}{span} {words}"
    return figure_phrase(comparator, row.get("value") or "", unit, names)


def _period_text(row: dict[str, Any]) -> str:
    if row.get("period"):
        return str(row["period"])
    if row.get("periodStart") or row.get("periodEnd"):
        return f"{row.get('periodStart') or ''}\u2013{row.get('periodEnd') or ''}"
    return ""


def _ledger_index(state: ServerState) -> dict[str, list[dict[str, Any]]]:
    """Every measure's ledger rows (the named query ``ledger``), by measure."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(state, "ledger"):
        out.setdefault(str(row["measure"]), []).append(row)
    return out


def _contradiction_pairs(state: ServerState) -> dict[str, list[str]]:
    """Figure -> the figures the named query ``contradictions`` pairs it with, both ways."""
    out: dict[str, list[str]] = {}
    for row in _rows(state, "contradictions"):
        a, b = str(row["figure"]), str(row["other"])
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    return out


def _entries(rows: list[dict[str, Any]], pairs: dict[str, list[str]], names: dict[str, str]) -> list[LedgerEntry]:
    entries: dict[str, LedgerEntry] = {}
    for row in rows:
        fig = str(row["figure"])
        entry = entries.get(fig)
        if entry is None:
            entry = entries[fig] = LedgerEntry(
                figure=fig, label=row.get("figureLabel") or names.get(fig, fig),
                value=_value_text(row, names), bounds=bounds_text(row), stated=row.get("claimDate") or "",
                period=_period_text(row), contradicts=sorted(set(pairs.get(fig, []))))
        for attr, key in (("claimants", "claimant"), ("statuses", "status"), ("sources", "source"),
                          ("origins", "origin")):
            value = row.get(key)
            if value and value not in getattr(entry, attr):
                getattr(entry, attr).append(value)
    return list(entries.values())


def comparisons(state: ServerState, figures: Iterable[str], names: dict[str, str]) -> list[Comparison]:
    """For the measures of ``figures`` that hold other figures too: the whole ledger, the figures
    given marked as the page's own, and the contradictions the rule finds marked on each side."""
    ledger = state.cached("ledger-by-measure", lambda: _ledger_index(state))
    pairs = state.cached("contradiction-pairs", lambda: _contradiction_pairs(state))
    wanted = set(figures)
    out = []
    for measure, rows in ledger.items():
        in_ledger = {str(r["figure"]) for r in rows}
        if not wanted & in_ledger or len(in_ledger) < 2:
            continue
        entries = _entries(rows, pairs, names)
        for e in entries:
            e.focus = e.figure in wanted
        out.append(Comparison(measure, rows[0].get("measureLabel") or names.get(measure, measure), entries))
    return sorted(out, key=lambda c: c.label)


async def sources_page(request: Request) -> Response:
    state = _state(request)
    rows = await run_in_threadpool(state.cached, "page:sources", lambda: _rows(state, "sources"))
    # in the order they were published, those whose date is unknown after
    rows = sorted(rows, key=lambda r: (r.get("issued") is None, r.get("issued") or ""))
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
        from . import sitedata

        names = state.cached("labels", lambda: sitedata.readable_names(state.kg()))
        rows = _rows(state, "ledger", measure=iri)
        for row in rows:  # the value and the interval in words, as on the entity pages
            row["valueText"], row["boundsText"] = _value_text(row, names), bounds_text(row)
            row["statusText"] = names.get(row["status"] or "", row["status"] or "")
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
