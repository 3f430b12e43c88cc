"""Recruitment pipelines as a networkx graph, and the analyses that run on it.

The projection is built from SPARQL over the store (``kg.query``), never by walking Python
objects: stage actors of every ``rg:Pipeline`` (docs/design.md, "Pipelines") become nodes joined
in stage order, and direct relations between actors (``rg:drawsOn``, ``rg:operatedBy``, ...)
become edges carrying the evidence of the ``rg:RelationClaim`` that reifies them.

>>> import recruitgraph, recruitgraph.pipelines as rp           # doctest: +SKIP
>>> G = rp.project(recruitgraph.open(memory=True))                # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import networkx as nx

from .evidence import Evidence, local_name, read_evidence
from .exc import InputError, NoResult, ParameterError
from .namespaces import PREFIXES, RG, sparql_prologue


class _Result(Protocol):
    rows: list[dict[str, Any]]


class GraphLike(Protocol):
    """What the projection needs from a KnowledgeGraph: SPARQL SELECT with ``.rows``."""

    def query(self, query: str, /, **params: Any) -> _Result: ...


#: Stage roles in the order the layered diagram draws them.
ROLES: tuple[str, ...] = ("origin", "intermediary", "channel", "institution", "front")

#: Statuses that count as independent backing, and those that are only claims.
BACKING_STATUSES = frozenset({"status-independent-count", "status-court-finding"})
WEAK_STATUSES = frozenset(
    {"status-official-unverifiable", "status-alleged", "status-activist-allegation"}
)

# Stage roles whose actors are particular to a pipeline.
_OWN_ROLES = frozenset({"origin", "intermediary", "channel"})

#: Classes whose members collapse into one node when a view is aggregated.
GROUP_CLASSES: tuple[str, ...] = ("RecruitCohort", "TraffickingRing", "RecruitmentNetwork")

# Predicates that are part of the evidence and pipeline machinery, or that point at concepts
# and figures, not at other actors: they never become edges between actors.
_NOT_EDGES = [
    "hasEvidence", "source", "passage", "inSource", "claimant", "verificationStatus", "rank",
    "measures", "comparator", "unit", "about", "amount", "hasStage", "stageActor", "stageRole",
    "pipelineOrigin", "pipelineChannel", "channelType", "usesMethod", "countermeasureType",
    "assistsWith", "country", "nationality",
]
_NOT_NODES = ["Claim", "RelationClaim", "Figure", "Stage", "Evidence", "Passage", "Source", "Pipeline"]
_NOT_NODE_TYPES = " ".join(f"rg:{c}" for c in _NOT_NODES)  # for VALUES blocks


@dataclass
class Stage:
    order: int
    role: str
    actor: str
    actor_label: str
    iri: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Pipeline:
    """A pipeline with its stages in order, each with its evidence."""

    iri: str
    label: str
    stages: list[Stage] = field(default_factory=list)

    @property
    def id(self) -> str:
        return local_name(self.iri)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["id"] = self.id
        return d


def curie(iri: str) -> str:
    """Compact an IRI with the project prefixes when one matches."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _s(term: Any) -> str:
    return "" if term is None else str(term)


def _select(kg: GraphLike, body: str) -> list[dict[str, Any]]:
    return list(kg.query(sparql_prologue() + body).rows)


# --- labels, classes, attributes ---------------------------------------------------------------


#: Reads of the store the projection runs at once (see _side_by_side): one a core, four at most.
#: More threads than cores only wait on each other (at 5M triples on 2 cores: 3.0 s with four
#: threads against 2.5 s with two).
_READERS = min(4, os.cpu_count() or 1)

# Leaves individual records (rg:Recruit) out of a query: an anti-join, cheap even for millions.
_NO_RECORDS = "MINUS { ?s a rg:Recruit }"


def _labels(kg: GraphLike, *, records: bool = True) -> dict[str, str]:
    """Best label of every labelled resource (English or untagged first)."""
    skip = "" if records else _NO_RECORDS
    return _best_labels(_select(kg, f"SELECT ?s ?l WHERE {{ ?s rdfs:label|skos:prefLabel ?l {skip} }}"))


def _labels_of(kg: GraphLike, iris: Iterable[str]) -> dict[str, str]:
    """Best label of each of ``iris``: what a projection shows, where reading every label
    of the store would read a register's labels only to drop them (0.99 s at 5M triples, for
    4,593 labels beside 385,340 of records)."""
    return _best_labels(_select_for(kg, sorted(set(iris)), "?s rdfs:label|skos:prefLabel ?l", "?s ?l"))


def _best_labels(rows: list[dict[str, Any]]) -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    for r in rows:
        lit = r["l"]
        lang = getattr(lit, "language", None) or ""
        rank = 0 if lang in ("", "en") else 1
        key = _s(r["s"])
        if key not in best or rank < best[key][0]:
            best[key] = (rank, str(lit))
    return {k: v[1] for k, v in best.items()}


def _label(labels: dict[str, str], iri: str) -> str:
    if not iri:
        return ""
    return labels.get(iri) or local_name(iri).replace("-", " ")


def _types_of(kg: GraphLike, nodes: list[str]) -> dict[str, set[str]]:
    types: dict[str, set[str]] = defaultdict(set)
    for r in _select_for(kg, nodes, "?s a ?t FILTER(STRSTARTS(STR(?t), STR(rg:)))", "?s ?t"):
        types[_s(r["s"])].add(_s(r["t"]))
    return types


def _select_for(kg: GraphLike, nodes: Iterable[str], pattern: str, variables: str) -> list[dict[str, Any]]:
    """Rows of ``pattern`` for the resources ``nodes`` only, bound to ``?s`` by VALUES blocks.

    The IRIs are the graph's own, read from the store; 500 a query keeps each text small.
    """
    iris = [n for n in nodes if n]
    rows: list[dict[str, Any]] = []
    for i in range(0, len(iris), 500):
        values = " ".join(f"<{n}>" for n in iris[i : i + 500])
        rows += _select(kg, f"SELECT {variables} WHERE {{ VALUES ?s {{ {values} }} {pattern} }}")
    return rows


def _classes_hierarchy(kg: GraphLike) -> dict[str, set[str]]:
    supers: dict[str, set[str]] = defaultdict(set)
    for r in _select(
        kg,
        "SELECT ?c ?d WHERE { ?c rdfs:subClassOf+ ?d FILTER(STRSTARTS(STR(?c), STR(rg:))) }",
    ):
        supers[_s(r["c"])].add(_s(r["d"]))
    return supers


def _most_specific(types: set[str], supers: dict[str, set[str]]) -> str:
    """The type that is not a superclass of another of the node's types (ties: by name)."""
    implied = set().union(*(supers.get(t, set()) for t in types)) if types else set()
    specific = sorted(t for t in types if t not in implied)
    return specific[0] if specific else ""


# --- evidence ------------------------------------------------------------------------------------

def _evidence(
    kg: GraphLike, labels: dict[str, str], *, kinds: tuple[str, ...] = ()
) -> dict[str, list[Evidence]]:
    """Evidence of every claim (or of the claims of the rg: classes ``kinds``), keyed by claim
    IRI, sorted by evidence IRI, with the claimants' labels."""
    return _with_claimant_labels(_read_evidence(kg, kinds), labels)


def _read_evidence(kg: GraphLike, kinds: tuple[str, ...] = ()) -> dict[str, list[Evidence]]:
    kind = f"VALUES ?kind {{ {' '.join(f'rg:{k}' for k in kinds)} }} ?claim a ?kind . " if kinds else ""
    return read_evidence(lambda text: _select(kg, text), f"{kind}?claim rg:hasEvidence ?ev .")


def _with_claimant_labels(
    found: dict[str, list[Evidence]], labels: dict[str, str]
) -> dict[str, list[Evidence]]:
    return {claim: [replace(e, claimant_label=_label(labels, e.claimant)) for e in evs]
            for claim, evs in found.items()}


def _side_by_side(kg: GraphLike, *reads: Callable[[], Any]) -> list[Any]:
    """Run independent reads of the store and return their results in order: at once where the
    graph says they gain from it (``parallel_reads``), else one after the other.

    pyoxigraph lets go of the GIL while it evaluates a query on disk, so two cores answer two
    queries side by side (the projection at 1M triples on disk: 1.28 s one read at a time,
    0.86 s two at once, 0.83 s four); an exception of a read is raised here.
    """
    if not getattr(kg, "parallel_reads", False):
        return [read() for read in reads]
    with ThreadPoolExecutor(max_workers=min(len(reads), _READERS)) as pool:
        futures = [pool.submit(read) for read in reads]
        return [f.result() for f in futures]


# --- pipelines -------------------------------------------------------------------------------

_STAGES_Q = """
SELECT ?pipeline ?stage ?order ?role ?actor WHERE {
  ?pipeline a rg:Pipeline ; rg:hasStage ?stage .
  ?stage rg:stageActor ?actor .
  OPTIONAL { ?stage rg:stageOrder ?order }
  OPTIONAL { ?stage rg:stageRole ?role }
}"""


def _pipelines(
    kg: GraphLike, labels: dict[str, str], evidence: dict[str, list[Evidence]]
) -> list[Pipeline]:
    return _pipelines_from(_select(kg, _STAGES_Q), labels, evidence)


def _pipelines_from(
    stage_rows: list[dict[str, Any]], labels: dict[str, str], evidence: dict[str, list[Evidence]]
) -> list[Pipeline]:
    found: dict[str, Pipeline] = {}
    for r in stage_rows:
        p = _s(r["pipeline"])
        pipe = found.setdefault(p, Pipeline(iri=p, label=_label(labels, p)))
        stage = _s(r["stage"])
        actor = _s(r["actor"])
        pipe.stages.append(
            Stage(
                order=int(r["order"]) if r.get("order") is not None else 0,
                role=local_name(_s(r.get("role"))).removeprefix("role-"),
                actor=actor,
                actor_label=_label(labels, actor),
                iri=stage,
                evidence=list(evidence.get(stage, [])),
            )
        )
    for pipe in found.values():
        pipe.stages.sort(key=lambda s: (s.order, s.iri))
    return sorted(found.values(), key=lambda p: p.iri)


def pipelines(kg: GraphLike, origin: str | None = None) -> list[Pipeline]:
    """Every pipeline, stages in order with their evidence; ``origin`` keeps those starting there.

    ``origin`` names a country or cohort by the one rule of :func:`recruitgraph.entities.resolve_entity`
    (id, prefixed name, IRI, label or alias); a pipeline matches when its
    ``rg:pipelineOrigin``, its origin-stage actor, or that actor's ``rg:originCountry`` is it, or
    when one of its origin, intermediary or channel stages draws on or recruits that cohort or
    nationals of that country: Nepal's citizens reach the front through the false-job-offer
    pipeline. Institution and front stages do not count: the armed forces recruit from every
    country, which would put every pipeline under every origin.
    """
    labels = _labels(kg)
    found = _pipelines(kg, labels, _evidence(kg, labels))
    if origin is None:
        return found
    from .entities import resolve_entity

    target = resolve_entity(kg, origin, what="--origin")
    origins: dict[str, set[str]] = defaultdict(set)
    for r in _select(
        kg,
        """SELECT ?p ?o WHERE { ?p a rg:Pipeline .
             { ?p rg:pipelineOrigin ?o } UNION
             { ?p rg:hasStage ?s . ?s rg:stageRole rgv:role-origin ; rg:stageActor ?o } UNION
             { ?p rg:hasStage ?s . ?s rg:stageRole rgv:role-origin ; rg:stageActor ?a .
               ?a rg:originCountry|rg:country ?o } UNION
             { ?p rg:hasStage ?s . ?s rg:stageActor ?a ; rg:stageRole ?r .
               ?a rg:drawsOn|rg:recruits ?o } UNION
             { ?p rg:hasStage ?s . ?s rg:stageActor ?a ; rg:stageRole ?r .
               ?a rg:drawsOn|rg:recruits ?c . ?c rg:originCountry ?o }
             FILTER(!BOUND(?r) || ?r IN (rgv:role-origin, rgv:role-intermediary, rgv:role-channel)) }""",
    ):
        origins[_s(r["p"])].add(_s(r["o"]))
    return [p for p in found if target in origins[p.iri]]


# --- the projection ---------------------------------------------------------------------------

_RELATIONS_Q = """
SELECT ?claim ?s ?p ?o WHERE {
  ?claim a rg:RelationClaim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  FILTER(isIRI(?o))
}"""


def _edge_predicates(kg: GraphLike, *, records: bool) -> tuple[list[str], list[str]]:
    """The ontology's object properties that link actors (with ``records``, also those of
    individual records such as rg:cohort), and the properties of individual records."""
    rows = _select(
        kg,
        """SELECT ?p ?domain WHERE { ?p a owl:ObjectProperty FILTER(STRSTARTS(STR(?p), STR(rg:)))
             OPTIONAL { ?p rdfs:domain ?domain } }""",
    )
    excluded = {str(RG[p]) for p in _NOT_EDGES}
    record_props = {_s(r["p"]) for r in rows if _s(r.get("domain")) == str(RG.Recruit)}
    edges = {_s(r["p"]) for r in rows} - excluded - (set() if records else record_props)
    return sorted(edges), sorted(record_props - excluded)


def _direct_q(predicates: list[str]) -> str:
    """Every direct link between actors, records included (``project(records=True)``)."""
    # The predicates are the ontology's own IRIs, read from the store, not user input; naming
    # them lets the engine read each one's index instead of scanning every triple.
    values = " ".join(f"<{p}>" for p in predicates) or "<urn:x-recruitgraph:none>"
    # Anti-joins (MINUS), not a FILTER NOT EXISTS per row: the engine builds each excluded set
    # once (1.10 s against 0.33 s at 1M triples, the same 1,013 links). ?s and ?o are always
    # bound here, so MINUS removes exactly what NOT EXISTS would.
    return f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ {values} }}
  ?s ?p ?o .
  FILTER(isIRI(?o))
  MINUS {{ VALUES ?t1 {{ {_NOT_NODE_TYPES} }} ?s a ?t1 }}
  MINUS {{ VALUES ?t2 {{ {_NOT_NODE_TYPES} }} ?o a ?t2 }}
  MINUS {{ ?o a skos:Concept }}
}}"""


def _direct_rows(kg: GraphLike, predicates: list[str], *, records: bool) -> list[dict[str, Any]]:
    """The direct links (``?s ?p ?o``) between actors by ``predicates``.

    Without records, the links are read from the actors' side: the instances of the ontology's
    actor classes first, then their own triples. Read from the predicates' side, the records'
    region and origin links (385,425 of rg:region alone at 5M triples) were scanned only to be
    thrown away by an anti-join: 2.0 s at 5M against about 0.2 s this way, the same 2,011 links.
    """
    if records:
        return _select(kg, _direct_q(predicates))
    if not predicates:
        return []
    not_actors = f"{_NOT_NODE_TYPES} rg:Recruit"
    classes = [_s(r["c"]) for r in _select(
        kg,
        f"""SELECT ?c WHERE {{ ?c a owl:Class FILTER(isIRI(?c) && STRSTARTS(STR(?c), STR(rg:)))
             MINUS {{ VALUES ?x {{ {not_actors} }} ?c rdfs:subClassOf* ?x }} }}""",
    )]
    if not classes:
        return []
    actors = {_s(r["s"]) for r in _select(
        kg, f"SELECT DISTINCT ?s WHERE {{ VALUES ?t {{ {' '.join(f'<{c}>' for c in sorted(classes))} }} ?s a ?t }}"
    )}
    wanted = ", ".join(f"<{p}>" for p in predicates)
    # per row, not anti-joins: with ?s bound, each test is one lookup, where a MINUS would
    # rebuild its whole excluded set for every block of actors
    return _select_for(
        kg,
        sorted(actors),
        f"""?s ?p ?o FILTER(?p IN ({wanted}) && isIRI(?o))
           FILTER NOT EXISTS {{ VALUES ?t1 {{ {not_actors} }} ?s a ?t1 }}
           FILTER NOT EXISTS {{ VALUES ?t2 {{ {_NOT_NODE_TYPES} }} ?o a ?t2 }}
           FILTER NOT EXISTS {{ ?o a skos:Concept }}""",
        "?s ?p ?o",
    )


def _record_counts(kg: GraphLike, predicates: list[str]) -> dict[str, int]:
    """How many individual records point at each cohort, network, office or channel."""
    if not predicates:
        return {}
    values = " ".join(f"<{p}>" for p in predicates)
    rows = _select(kg, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {values} }} ?r ?p ?g }} GROUP BY ?g")
    return {_s(r["g"]): int(str(r["n"])) for r in rows}


def _ev_dict(e: Evidence, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "iri": e.iri,
        "source": e.source,
        "source_label": _label(labels, e.source),
        "passage": e.passage,
        "start": e.start,
        "end": e.end,
        "link": e.fragment_link(),
        "claimant": e.claimant,
        "claimant_label": e.claimant_label,
        "date": e.date,
        "status": e.status,
        "status_label": _label(labels, e.status),
        "url": e.url,
        "attribution": e.attribution,
        "origin": e.origin,
    }


def _edge_attrs(
    predicate: str, label: str, evs: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    first = evs[0] if evs else {}
    return {
        "predicate": predicate,
        "label": label,
        "source": first.get("source", ""),
        "start": first.get("start"),
        "end": first.get("end"),
        "claimant": first.get("claimant", ""),
        "date": first.get("date", ""),
        "status": first.get("status", ""),
        "evidence": evs,
        **extra,
    }


def project(
    kg: GraphLike,
    *,
    pipeline: str | None = None,
    focus: str | None = None,
    depth: int | None = None,
    records: bool = False,
) -> nx.MultiDiGraph:
    """Project the store into a :class:`networkx.MultiDiGraph` of actors.

    Nodes are keyed by IRI with attributes ``iri label class classes country channel pipelines
    roles evidence``; edges carry ``predicate label source start end claimant date status`` of
    their first evidence and the full list in ``evidence``. ``pipeline`` keeps one pipeline's
    stages and the relations among its actors; ``focus``/``depth`` keep an actor's neighbourhood.

    Individual records (``rg:Recruit``, as in a register of recruits) are counted, not drawn: a
    cohort, network, office or channel node gets ``records`` = how many records point at it.
    ``records=True`` makes every record a node of its own (tens of thousands in a register).
    """
    if depth is not None and depth < 0:
        raise ParameterError(f"--depth: must be 0 or more, not {depth}")
    edge_predicates, record_predicates = _edge_predicates(kg, records=records)
    raw_evidence, stage_rows, relation_rows, direct_rows, counts, supers, channel_type = _side_by_side(
        kg,
        lambda: _read_evidence(kg, ("Stage", "RelationClaim")),
        lambda: _select(kg, _STAGES_Q),
        lambda: _select(kg, _RELATIONS_Q),
        lambda: _direct_rows(kg, edge_predicates, records=records),
        lambda: {} if records else _record_counts(kg, record_predicates),
        lambda: _classes_hierarchy(kg),
        lambda: _channel_types(kg),
    )
    # every actor any view of this projection can draw, then what the views name
    actors = {_s(r["actor"]) for r in stage_rows}
    for r in (*relation_rows, *direct_rows):
        actors.update((_s(r["s"]), _s(r["o"])))
    named = actors | set(edge_predicates) | set(channel_type.values())
    named.update(_s(r[k]) for r in stage_rows for k in ("pipeline", "stage"))
    named.update(_s(r[k]) for r in relation_rows for k in ("claim", "p"))
    named.update(v for evs in raw_evidence.values() for e in evs for v in (e.source, e.claimant, e.status))
    labels, types, countries = _side_by_side(
        kg,
        # drawn one by one, records are most of the labels: one read of them all is cheaper
        lambda: _labels(kg) if records else _labels_of(kg, named),
        lambda: _types_of(kg, sorted(actors)),
        lambda: _countries_of(kg, sorted(actors)),
    )
    if not records:
        labels.update(_labels_of(kg, set(countries.values()) - labels.keys()))
    evidence = _with_claimant_labels(raw_evidence, labels)
    G = nx.MultiDiGraph()
    pipes = _pipelines_from(stage_rows, labels, evidence)
    if pipeline is not None:
        from .stages import find_pipeline  # stages draws pipelines: imported here, not at the top

        pipes = [find_pipeline(kg, pipeline, pipes)]
    G.graph["pipelines"] = [p.iri for p in pipes]

    def add_node(iri: str) -> None:
        if iri not in G:
            G.add_node(iri, iri=iri, label=_label(labels, iri), pipelines=[], roles=[], evidence=[])

    for pipe in pipes:
        prev: Stage | None = None
        for stage in pipe.stages:
            add_node(stage.actor)
            node = G.nodes[stage.actor]
            if pipe.iri not in node["pipelines"]:
                node["pipelines"].append(pipe.iri)
            if stage.role and stage.role not in node["roles"]:
                node["roles"].append(stage.role)
            stage_evs = [
                {**_ev_dict(e, labels), "stage": stage.iri, "claim_label": _label(labels, stage.iri)}
                for e in stage.evidence
            ]
            node["evidence"].extend(stage_evs)
            if prev is not None and prev.actor != stage.actor:
                evs = list(stage_evs)
                G.add_edge(
                    prev.actor,
                    stage.actor,
                    key=f"{pipe.iri}#{stage.order}",
                    **_edge_attrs(
                        str(RG.hasStage),
                        stage.role or "next stage",
                        evs,
                        kind="stage",
                        pipeline=pipe.iri,
                        pipeline_label=pipe.label,
                        stage=stage.iri,
                    ),
                )
            prev = stage

    claims_by_triple: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in relation_rows:
        claims_by_triple[(_s(r["s"]), _s(r["p"]), _s(r["o"]))].append(_s(r["claim"]))
    triples = set(claims_by_triple)
    triples.update((_s(r["s"]), _s(r["p"]), _s(r["o"])) for r in direct_rows)
    keep = set(G.nodes) if pipeline is not None else None
    for s, p, o in sorted(triples):
        if keep is not None and not (s in keep and o in keep):
            continue
        claims = sorted(claims_by_triple.get((s, p, o), []))
        evs = [
            {**_ev_dict(e, labels), "claim": c, "claim_label": _label(labels, c)}
            for c in claims
            for e in evidence.get(c, [])
        ]
        add_node(s)
        add_node(o)
        G.add_edge(
            s, o, key=p, **_edge_attrs(p, _label(labels, p), evs, kind="relation", claims=claims)
        )

    _attach_attributes(G, types, supers, labels, countries, channel_type)
    if not records:
        for iri, data in G.nodes(data=True):
            if iri in counts:
                data["records"] = counts[iri]
    if focus is not None:
        from .entities import resolve_entity

        G = _neighbourhood(G, resolve_entity(kg, focus, what="--focus"), depth)
    return G


#: Where a node's country comes from, in order of preference.
_COUNTRY_PROPS = ("country", "nationality", "originCountry", "locatedIn")


def _countries_of(kg: GraphLike, nodes: list[str]) -> dict[str, str]:
    """One country per node: by the first property of _COUNTRY_PROPS it has, then the least
    IRI, so that a node of two countries (networks in Kenya and Russia) gets the same one from
    every store, whatever order the rows come in."""
    rank = {str(RG[p]): i for i, p in enumerate(_COUNTRY_PROPS)}
    best: dict[str, tuple[int, str]] = {}
    wanted = ", ".join(f"rg:{p}" for p in _COUNTRY_PROPS)
    # a FILTER on the node's own properties: a VALUES block for ?p beside the one for ?s made
    # the engine scan the four properties whole (3 s at 1M triples, against 23 ms)
    for r in _select_for(kg, nodes, f"?s ?p ?c FILTER(?p IN ({wanted}))", "?s ?p ?c"):
        key, choice = _s(r["s"]), (rank[_s(r["p"])], _s(r["c"]))
        if key not in best or choice < best[key]:
            best[key] = choice
    return {node: country for node, (_, country) in best.items()}


def _channel_types(kg: GraphLike) -> dict[str, str]:
    return {_s(r["ch"]): _s(r["ct"]) for r in _select(kg, "SELECT ?ch ?ct WHERE { ?ch rg:channelType ?ct }")}


def _attach_attributes(
    G: nx.MultiDiGraph,
    types: dict[str, set[str]],
    supers: dict[str, set[str]],
    labels: dict[str, str],
    countries: dict[str, str],
    channel_type: dict[str, str],
) -> None:
    """Class, country and channel of every node."""
    channels: dict[str, set[str]] = defaultdict(set)
    for iri in G.nodes:
        if iri in channel_type:
            channels[iri].add(channel_type[iri])
    # a node belongs to the channels it is directly linked to, and to those of its pipelines
    for u, v in G.edges():
        for a, b in ((u, v), (v, u)):
            if b in channel_type:
                channels[a].add(channel_type[b])
    pipe_channels: dict[str, set[str]] = defaultdict(set)
    for iri, data in G.nodes(data=True):
        if iri in channel_type:
            for p in data["pipelines"]:
                pipe_channels[p].add(channel_type[iri])
    for iri, data in G.nodes(data=True):
        node_types = types.get(iri, set())
        cls = _most_specific(node_types, supers)
        data["class"] = local_name(cls) or "Thing"
        data["classes"] = sorted(local_name(t) for t in node_types)
        is_state = any(local_name(t) in ("State", "CountryOfOrigin") for t in node_types)
        country = iri if is_state else countries.get(iri, "")
        data["country"] = country
        data["country_label"] = _label(labels, country)
        chans = channels[iri].union(*(pipe_channels[p] for p in data["pipelines"]))
        data["channel"] = sorted(chans)
    G.graph["channel_labels"] = {c: _label(labels, c) for c in sorted(set(channel_type.values()))}


def _neighbourhood(G: nx.MultiDiGraph, focus: str, depth: int | None) -> nx.MultiDiGraph:
    if focus not in G:
        raise NoResult(f"--focus: {curie(focus)} takes part in no pipeline or relation")
    radius = 1 if depth is None else depth
    nodes = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), focus, cutoff=radius)
    H = G.subgraph(nodes).copy()
    H.graph["focus"] = focus
    H.graph["depth"] = radius
    return H


# --- analyses ----------------------------------------------------------------------------------


def betweenness(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Actors ranked by the number of pipelines they sit on, then by betweenness centrality."""
    simple = nx.DiGraph(G)
    central = nx.betweenness_centrality(simple) if simple.number_of_nodes() else {}
    rows = [
        {
            "iri": iri,
            "label": data.get("label", ""),
            "class": data.get("class", ""),
            "pipelines": len(data.get("pipelines", [])),
            "betweenness": round(central.get(iri, 0.0), 4),
        }
        for iri, data in G.nodes(data=True)
    ]
    rows.sort(key=lambda r: (-r["pipelines"], -r["betweenness"], r["label"]))
    return rows


def support(kg: GraphLike) -> list[dict[str, Any]]:
    """Classify each pipeline by what its stages rest on.

    ``backed``: a stage, or a relation claim or figure about one of its own actors (origin,
    intermediary or channel: the institution and the front are shared by most pipelines, so a
    count about the armed forces backs none in particular), has an independent count or a court
    finding; ``claims-only``: every stage rests only on
    official-unverifiable, alleged or activist claims; ``reported``: anything else.
    """
    labels = _labels(kg)
    evidence = _evidence(kg, labels)
    corroborating: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in _select(
        kg,
        """SELECT DISTINCT ?actor ?claim WHERE {
             { ?claim a rg:RelationClaim ; rdf:subject|rdf:object ?actor }
             UNION { ?claim a rg:Figure ; rg:about|rg:originCountry ?actor } }""",
    ):
        claim = _s(r["claim"])
        for e in evidence.get(claim, []):
            if e.status_name in BACKING_STATUSES:
                corroborating[_s(r["actor"])].append((claim, e.status))
    out = []
    for pipe in _pipelines(kg, labels, evidence):
        statuses = Counter(e.status_name for s in pipe.stages for e in s.evidence)
        backing = sorted(
            {(s.iri, e.status) for s in pipe.stages for e in s.evidence if e.status_name in BACKING_STATUSES}
            | {c for s in pipe.stages if s.role in _OWN_ROLES for c in corroborating.get(s.actor, [])}
        )
        unsupported = [s.iri for s in pipe.stages if not s.evidence]
        if backing:
            verdict = "backed"
        elif statuses and set(statuses) <= WEAK_STATUSES and not unsupported:
            verdict = "claims-only"
        else:
            verdict = "reported"
        out.append(
            {
                "pipeline": pipe.iri,
                "label": pipe.label,
                "verdict": verdict,
                "statuses": dict(sorted(statuses.items())),
                "backing": [{"claim": c, "status": st} for c, st in backing],
                "stages_without_evidence": unsupported,
            }
        )
    return out


def channels_by_cohort(kg: GraphLike) -> list[dict[str, Any]]:
    """Each recruitment channel with the cohorts it draws on (``rg:drawsOn`` or a pipeline)."""
    labels = _labels(kg)
    rows = _select(
        kg,
        """SELECT DISTINCT ?channel ?cohort ?via WHERE {
             { ?channel rg:drawsOn ?cohort . BIND("drawsOn" AS ?via) }
             UNION
             { ?p rg:hasStage ?s1 , ?s2 .
               ?s1 rg:stageRole rgv:role-channel ; rg:stageActor ?channel .
               ?s2 rg:stageRole rgv:role-origin ; rg:stageActor ?cohort .
               ?cohort a rg:RecruitCohort . BIND("pipeline" AS ?via) } }""",
    )
    table: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        table[_s(r["channel"])][_s(r["cohort"])].add(_s(r["via"]))
    cohort_channels: dict[str, set[str]] = defaultdict(set)
    for ch, cohorts in table.items():
        for co in cohorts:
            cohort_channels[co].add(ch)
    out = []
    for ch in sorted(table, key=lambda c: _label(labels, c).casefold()):
        cohorts = table[ch]
        out.append(
            {
                "channel": ch,
                "label": _label(labels, ch),
                "cohorts": [
                    {"iri": co, "label": _label(labels, co), "via": sorted(cohorts[co]),
                     "shared_with": sorted(_label(labels, c) for c in cohort_channels[co] - {ch})}
                    for co in sorted(cohorts, key=lambda c: _label(labels, c).casefold())
                ],
            }
        )
    return out


# --- export --------------------------------------------------------------------------------------


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# GEXF reserves start/end for time intervals: passage offsets are renamed in both formats alike
_RENAMED = {"start": "passage_start", "end": "passage_end"}


def _attrs(data: dict[str, Any]) -> dict[str, Any]:
    # a missing value is left out, not written as "": GEXF types a column by its first value
    return {_RENAMED.get(k, k): _scalar(v) for k, v in data.items() if v is not None}


def network_for_export(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute values are GraphML/GEXF scalars (lists and dicts as JSON strings,
    missing values left out; edge ``start``/``end`` become ``passage_start``/``passage_end``)."""
    H = nx.MultiDiGraph()
    H.graph.update(_attrs(G.graph))
    for n, data in G.nodes(data=True):
        H.add_node(n, **_attrs(data))
    for u, v, k, data in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **_attrs(data))
    return H


def write_network(G: nx.MultiDiGraph, path: str | Path, format: str) -> Path:
    """Write ``G`` as ``graphml`` or ``gexf`` (for Gephi and Cytoscape), attributes included."""
    path = Path(path)
    H = network_for_export(G)
    try:
        if format == "graphml":
            nx.write_graphml(H, path, named_key_ids=True)
        elif format == "gexf":
            nx.write_gexf(H, path)
        else:
            raise ParameterError(f"--format: {format!r} is not graphml or gexf")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    return path


def nodes_of(G: nx.MultiDiGraph, cls: str) -> Iterable[str]:
    """IRIs of the nodes of one class (local name, e.g. ``RecruitCohort``)."""
    return (n for n, d in G.nodes(data=True) if d.get("class") == cls)


__all__ = [
    "GROUP_CLASSES", "ROLES", "Evidence", "GraphLike", "Pipeline", "Stage", "betweenness",
    "channels_by_cohort", "curie", "local_name", "network_for_export", "pipelines", "project",
    "support", "write_network",
]
