"""The evidence model: one record type for both kinds of evidence, and one reader over the graph.

An evidence record (docs/model.md) says where a claim is written and who makes it. It is one of
two kinds: a passage of a text the project holds (``passage``, ``start``, ``end``), or a cited
reference to a report it does not hold (``url``, ``attribution``, ``via``, and the story
``origin`` that reprints share). The pipelines, the server's pages, ``verify`` and
``show-evidence`` all read evidence through :func:`read_evidence`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .namespaces import PREFIXES

#: Runs a SELECT (its text without prologue; the caller adds prefixes and binds its own
#: variables as RDF terms) and returns its rows as dicts of variable -> term.
Select = Callable[[str], Iterable[dict[str, Any]]]


def local_name(iri: str) -> str:
    """Last segment of an IRI (after ``#`` or ``/``)."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else ""


@dataclass(frozen=True)
class Evidence:
    """One evidence record of a claim, figure or stage, of either kind."""

    iri: str
    claim: str = ""
    source: str = ""
    passage: str = ""
    start: int | None = None
    end: int | None = None
    claimant: str = ""
    claimant_label: str = ""  # filled by readers that know the labels (pipelines)
    date: str = ""
    inferred: bool = False
    status: str = ""
    attribution: str = ""
    via: str = ""
    url: str = ""
    origin: str = ""

    @property
    def is_reference(self) -> bool:
        """True for a cited reference (no passage of a held text)."""
        return not self.passage and bool(self.url)

    @property
    def status_name(self) -> str:
        """The status concept without its namespace, e.g. ``status-alleged``."""
        return local_name(self.status)

    @property
    def independent_origin(self) -> str:
        """The story this record's source reports (the source itself when it copies none)."""
        return self.origin or self.source

    def fragment_link(self) -> str:
        """RFC 5147 link to the passage: ``SOURCE#char=START,END``; the report's URL for a cited
        reference."""
        if self.source and self.start is not None and self.end is not None:
            return f"{self.source}#char={self.start},{self.end}"
        return self.url or self.source


# What an evidence record, its passage and its source say, by property (docs/model.md).
_EVIDENCE_PROPS = {"source": "rg:source", "passage": "rg:passage", "claimant": "rg:claimant",
                   "date": "rg:claimDate", "inferred": "rg:dateInferred",
                   "status": "rg:verificationStatus", "attribution": "rg:attribution", "via": "rg:via"}
_PASSAGE_PROPS = {"start": "oa:start", "end": "oa:end"}
_SOURCE_PROPS = {"url": "schema:url", "origin": "rg:origin"}


def _s(term: Any) -> str:
    return str(term) if term is not None else ""


#: An IRI that can stand between < and > in a query (RFC 3987's excluded characters, SPARQL's IRIREF)
_PLAIN_IRI = re.compile(r'[^\x00-\x20<>"{}|^`\\]+')
#: Resources a VALUES block names: large blocks, since each query costs a parse and a plan
_BLOCK = 2000


def _props_of(select: Select, iris: Iterable[str], props: dict[str, str], bound: str) -> dict[str, dict[str, Any]] | None:
    """Values of ``props`` of the resources ``iris``, read by VALUES blocks (as :func:`_props`);
    None when one of them is not an IRI a query can name (a graph parsed leniently by rdflib)."""
    names = sorted(i for i in iris if i)
    if not all(_PLAIN_IRI.fullmatch(i) for i in names):
        return None
    field_of, wanted = _fields(props)
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    for i in range(0, len(names), _BLOCK):
        values = " ".join(f"<{n}>" for n in names[i : i + _BLOCK])
        for row in select(f"SELECT ?x ?p ?o{bound} WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?o FILTER(?p IN ({wanted})) }}"):
            _keep_least(out[_s(row["x"])], field_of[_s(row["p"])], row["o"])
    return out


def _fields(props: dict[str, str]) -> tuple[dict[str, str], str]:
    """Field name by full property IRI, and the CURIEs for a FILTER(?p IN (...))."""
    return {PREFIXES[c.split(":")[0]] + c.split(":")[1]: f for f, c in props.items()}, ", ".join(props.values())


def _keep_least(got: dict[str, Any], key: str, value: Any) -> None:
    if key not in got or str(value) < str(got[key]):
        got[key] = value


def _props(select: Select, claims: str, via: str, props: dict[str, str], bound: str) -> dict[str, dict[str, Any]]:
    """Values of ``props`` (field -> CURIE) of the resources reached from the evidence of
    ``claims`` (a pattern binding ``?claim`` and ``?ev``) by ``via`` (a pattern binding ``?x``;
    empty: the evidence itself); the least value where there are several.

    Plain joins from the claims let the engine look each value up by its subject; one query with
    a chain of OPTIONALs made it scan every evidence record of the store instead (8 s against
    2 s at 1M triples, measured under load).
    """
    field_of, wanted = _fields(props)
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    x = "?ev" if not via else "?x"  # no BIND: a bound copy hides the join from the engine
    for row in select(f"SELECT DISTINCT {x} ?p ?o{bound} WHERE {{ {claims} {via} {x} ?p ?o FILTER(?p IN ({wanted})) }}"):
        _keep_least(out[_s(row[x[1:]])], field_of[_s(row["p"])], row["o"])
    return out


def read_evidence(select: Select, claims: str = "?claim rg:hasEvidence ?ev .",
                  bound: Iterable[str] = ()) -> dict[str, list[Evidence]]:
    """Evidence of the claims that the pattern ``claims`` binds (it must bind ``?claim`` and its
    evidence ``?ev``), keyed by claim IRI, each list sorted by evidence IRI.

    ``bound`` names the variables of ``claims`` the caller's ``select`` binds to RDF terms; they
    are projected, since pyoxigraph substitutes only projected variables.
    """
    bound = tuple(bound)

    def also(*projected: str) -> str:
        return "".join(f" ?{v}" for v in bound if v not in projected)

    pairs = {(_s(r["claim"]), _s(r["ev"])) for r in select(f"SELECT ?claim ?ev{also('claim', 'ev')} WHERE {{ {claims} }}")}
    evs = _props(select, claims, "", _EVIDENCE_PROPS, also("ev", "p", "o"))
    # the passages and sources the records name, looked up by name: joined from the claims
    # again, each source was reached once per record (0.34 s for 57 sources at 5M triples)
    passages = _props_of(select, {_s(d.get("passage")) for d in evs.values()}, _PASSAGE_PROPS, also("x", "p", "o"))
    sources = _props_of(select, {_s(d.get("source")) for d in evs.values()}, _SOURCE_PROPS, also("x", "p", "o"))
    if passages is None or sources is None:  # a name that cannot be written in a query
        passages = _props(select, claims, "?ev rg:passage ?x .", _PASSAGE_PROPS, also("x", "p", "o"))
        sources = _props(select, claims, "?ev rg:source ?x .", _SOURCE_PROPS, also("x", "p", "o"))
    out: dict[str, list[Evidence]] = defaultdict(list)
    for claim, ev in sorted(pairs):
        d = evs.get(ev, {})
        at = passages.get(_s(d.get("passage")), {})
        src = sources.get(_s(d.get("source")), {})
        start, end = at.get("start"), at.get("end")
        out[claim].append(Evidence(
            iri=ev, claim=claim, source=_s(d.get("source")), passage=_s(d.get("passage")),
            start=int(start) if start is not None else None, end=int(end) if end is not None else None,
            claimant=_s(d.get("claimant")), date=_s(d.get("date")),
            inferred=_s(d.get("inferred")).lower() in ("true", "1"), status=_s(d.get("status")),
            attribution=_s(d.get("attribution")), via=_s(d.get("via")),
            url=_s(src.get("url")), origin=_s(src.get("origin")),
        ))
    return out


def rdflib_select(graph: Any, **bindings: Any) -> Select:
    """A :data:`Select` over an rdflib graph (the files as parsed, for ``verify``), with
    ``bindings`` (variable -> rdflib term) bound as RDF terms."""
    from .namespaces import sparql_prologue

    def run(text: str) -> list[dict[str, Any]]:
        return [row.asdict() for row in graph.query(sparql_prologue() + text, initBindings=bindings)]

    return run


__all__ = ["Evidence", "Select", "local_name", "rdflib_select", "read_evidence"]
