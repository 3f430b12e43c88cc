"""The source reading view (``/read/<source>``) and the passages shown on passage pages.

The reading view shows the held text of a source with every cited passage highlighted; each
highlight links to the claims that cite it, listed beside the text (as a document viewer beside
its annotations). Passages overlap, so the text is cut at every passage boundary and each piece
is marked with how many passages cover it and linked to the shortest of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..graph import KnowledgeGraph
from ..namespaces import PREFIXES, RGD
from ..passages import SourceMeta, cut
from . import sitedata
from .state import ServerState


@dataclass
class Citing:
    """A claim or figure that cites a passage, with its evidence record's status and claimant."""

    iri: str
    label: str
    status: str = ""
    claimant: str = ""

    @property
    def local(self) -> str | None:
        return sitedata.local_id(self.iri)


@dataclass
class CitedPassage:
    iri: str
    start: int
    end: int
    text: str | None = None
    claims: list[Citing] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"p-{self.start}-{self.end}"

    @property
    def local(self) -> str | None:
        return sitedata.local_id(self.iri)


_CITED = """SELECT ?src ?p ?start ?end ?x ?status ?claimant WHERE {
  { ?p rg:inSource ?src } UNION { ?ev0 rg:source ?src ; rg:passage ?p }
  ?p oa:start ?start ; oa:end ?end .
  OPTIONAL { ?ev rg:passage ?p . ?x rg:hasEvidence ?ev .
             OPTIONAL { ?ev rg:verificationStatus ?status } OPTIONAL { ?ev rg:claimant ?claimant } }
} ORDER BY ?start ?end ?x"""


def cited_passages(kg: KnowledgeGraph, source: str, names: dict[str, str], text: str | None,
                   only: str | None = None) -> list[CitedPassage]:
    """The passages of ``source`` that evidence cites (or just ``only``), each with its claims."""
    subs: dict[ox.Variable, Any] = {ox.Variable("src"): ox.NamedNode(source)}
    if only is not None:
        subs[ox.Variable("p")] = ox.NamedNode(only)
    out: dict[str, CitedPassage] = {}
    for row in kg.store.query(_CITED, prefixes=PREFIXES, substitutions=subs,  # type: ignore[union-attr]
                              use_default_graph_as_union=True):
        p = only or row["p"].value
        start, end = int(row["start"].value), int(row["end"].value)
        item = out.setdefault(p, CitedPassage(p, start, end, cut(text, start, end)))
        x = row["x"]
        if x is None:
            continue
        citing = Citing(x.value, sitedata.display(x.value, names),
                        sitedata.display(row["status"].value, names) if row["status"] is not None else "",
                        sitedata.display(row["claimant"].value, names) if row["claimant"] is not None else "")
        if citing not in item.claims:
            item.claims.append(citing)
    return sorted(out.values(), key=lambda c: (c.start, c.end, c.iri))


def segments(text: str, passages: list[CitedPassage]) -> list[dict[str, Any]]:
    """The text cut at every passage boundary: pieces with their depth, link and anchors."""
    bounds = {0, len(text)}
    for p in passages:
        if 0 <= p.start <= p.end <= len(text):
            bounds.update((p.start, p.end))
    cuts = sorted(bounds)
    starts: dict[int, list[str]] = {}
    for p in passages:
        starts.setdefault(p.start, []).append(p.anchor)
    pieces = []
    for a, b in pairwise(cuts):
        covering = [p for p in passages if p.start <= a and b <= p.end]
        inner = min(covering, key=lambda p: (p.end - p.start, p.start)) if covering else None
        pieces.append({"text": text[a:b], "depth": min(len(covering), 3), "anchors": starts.get(a, []),
                       "link": inner.anchor if inner else None,
                       "title": f"{len(covering)} cited passage{'s' if len(covering) != 1 else ''}" if covering else ""})
    return pieces


_REFERENCE_EVIDENCE = """SELECT ?src ?x ?status ?claimant ?attribution WHERE {
  ?ev rg:source ?src . ?x rg:hasEvidence ?ev .
  FILTER NOT EXISTS { ?ev rg:passage ?p }
  OPTIONAL { ?ev rg:verificationStatus ?status } OPTIONAL { ?ev rg:claimant ?claimant }
  OPTIONAL { ?ev rg:attribution ?attribution }
} ORDER BY ?x"""


def unplaced_claims(kg: KnowledgeGraph, source: str, names: dict[str, str]) -> list[Citing]:
    """Claims citing ``source`` with no passage (the evidence of a cited page)."""
    out: list[Citing] = []
    for row in kg.store.query(_REFERENCE_EVIDENCE, prefixes=PREFIXES,  # type: ignore[union-attr]
                              substitutions={ox.Variable("src"): ox.NamedNode(source)},
                              use_default_graph_as_union=True):
        citing = Citing(row["x"].value, sitedata.display(row["x"].value, names),
                        sitedata.display(row["status"].value, names) if row["status"] is not None else "",
                        sitedata.display(row["claimant"].value, names) if row["claimant"] is not None else "")
        if citing not in out:
            out.append(citing)
    return out


def reading_context(state: ServerState, source: str) -> dict[str, Any] | None:
    from .pages import _names

    kg = state.kg()
    names = _names(state)
    sources = state.cached("source-texts", lambda: sitedata.source_texts(kg))
    meta: SourceMeta | None = sources.get(source)
    if meta is None:
        return None
    text = meta.text
    passages = cited_passages(kg, source, names, text)
    return {
        "meta": meta,
        "title": meta.label or sitedata.display(source, names),
        "text_held": text is not None,
        "pieces": segments(text, passages) if text is not None else [],
        "passages": passages,
        "claims_count": len({c.iri for p in passages for c in p.claims}),
        "unplaced": unplaced_claims(kg, source, names),
        "note": meta.missing_note(),
        "local": sitedata.local_id(source),
    }


async def read_page(request: Request) -> Response:
    """``/read/<source>``: the source's text with its cited passages highlighted and their claims."""
    from .pages import _render
    from .sparql_protocol import ProtocolError

    state: ServerState = request.app.state.rg
    local = request.path_params["local"]
    context = await run_in_threadpool(reading_context, state, str(RGD) + local)
    if context is None:
        raise ProtocolError(404, "Not found", f"no source <{RGD}{local}> in the graph")
    return _render(request, "read.html", nav="", **context)


def reading_routes() -> list[Route]:
    return [Route("/read/{local:path}", read_page)]


__all__ = ["CitedPassage", "cited_passages", "reading_routes", "segments"]
