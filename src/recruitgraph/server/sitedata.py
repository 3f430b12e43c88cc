"""The data behind the UI pages: labels, entity facts with evidence, the timeline, pickers,
downloads with checksums and the VoID/DCAT description.

Every query here is fixed text with values bound as RDF terms (pyoxigraph substitutions).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import config
from ..evidence import Evidence, read_evidence
from ..execute import evaluate
from ..graph import KnowledgeGraph
from ..namespaces import PREFIXES, RGD
from ..passages import SourceMeta, cut, source_meta
from ..results import QueryResult, compact, result_from_oxigraph
from .support import Support


def select(kg: KnowledgeGraph, text: str, **bindings: str | ox.NamedNode | ox.Literal) -> QueryResult:
    """Run a fixed SELECT on the UI's graph; string bindings are IRIs."""
    return result_from_oxigraph(evaluate(kg.store, text, bindings=bindings))


def labels(kg: KnowledgeGraph) -> dict[str, str]:
    """Every labelled resource: rdfs:label, else skos:prefLabel (English or untagged)."""
    out: dict[str, str] = {}
    res = select(kg, """SELECT ?s ?l ?pref WHERE {
        { ?s rdfs:label ?l BIND(0 AS ?pref) } UNION { ?s skos:prefLabel ?l BIND(1 AS ?pref) }
        FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "en")) } ORDER BY ?pref""")
    for row in res.rows:
        out.setdefault(str(row["s"]), str(row["l"]))
    return out


def _rows(kg: KnowledgeGraph, text: str) -> Any:
    """Solutions of a fixed SELECT straight from pyoxigraph (no conversion: for whole-graph scans)."""
    return evaluate(kg.store, text)


def readable_names(kg: KnowledgeGraph) -> dict[str, str]:
    """:func:`labels`, plus words for what has no label of its own, so that no table cell or
    heading shows a raw IRI where the graph says enough to name it:

    - classes: their label with a capital ("Recruit cohort");
    - claims: the statement they make, in labels ("Fast-track Russian citizenship offered to
      Foreign nationals");
    - figures: what they say, with their claimant ("700,000 people (troops fighting), according
      to Vladimir Putin");
    - pipeline stages: "Stage 2 of <pipeline>: <actor>";
    - passages: "characters 4609-4796 of <source title>"; evidence records: "evidence for <claim>".

    An ``rdfs:label`` in the data (``recruitgraph compile`` writes one for every claim and figure)
    always wins over these words.
    """
    names = labels(kg)
    out = dict(names)
    for row in _rows(kg, "SELECT ?c WHERE { ?c a owl:Class FILTER(isIRI(?c)) }"):
        c = row["c"].value
        if c in names:
            out[c] = names[c][:1].upper() + names[c][1:]
    for row in _rows(kg, """SELECT ?c ?s ?p ?o WHERE { ?c a rg:RelationClaim ; rdf:subject ?s ;
            rdf:predicate ?p ; rdf:object ?o }"""):
        c = row["c"].value
        if c not in names:
            s, p, o = (display(row[k].value, names) if isinstance(row[k], ox.NamedNode) else row[k].value
                       for k in ("s", "p", "o"))
            out[c] = f"{s} {p} {o}"
    claimants: dict[str, str] = {}
    for row in _rows(kg, "SELECT ?f ?who WHERE { ?f a rg:Figure ; rg:hasEvidence/rg:claimant ?who } ORDER BY ?who"):
        claimants.setdefault(row["f"].value, display(row["who"].value, names))
    for row in _rows(kg, """SELECT ?f ?cmp ?value ?unit ?measures WHERE { ?f a rg:Figure .
            OPTIONAL { ?f rg:comparator ?cmp } OPTIONAL { ?f rg:value ?value } OPTIONAL { ?f rg:unit ?unit }
            OPTIONAL { ?f rg:measures ?measures } }"""):
        f = row["f"].value
        if f in names:
            continue

        def v(key: str, row: Any = row) -> str:
            term = row[key]
            return "" if term is None else str(term.value)

        phrase = figure_phrase(v("cmp"), v("value"), v("unit"), names)
        if v("measures"):
            phrase += f" ({display(v('measures'), names)})"
        if f in claimants:
            phrase += f", according to {claimants[f]}"
        out[f] = phrase
    for row in _rows(kg, """SELECT ?p ?start ?end ?src WHERE { ?p a rg:Passage ; oa:start ?start ; oa:end ?end .
            OPTIONAL { ?p rg:inSource ?src } }"""):
        p = row["p"].value
        if p not in names:
            where = f" of {display(row['src'].value, names)}" if row["src"] is not None else ""
            out[p] = f"characters {row['start'].value}\u2013{row['end'].value}{where}"
    for row in _rows(kg, """SELECT ?st ?order ?pipe ?actor WHERE { ?pipe rg:hasStage ?st .
            OPTIONAL { ?st rg:stageOrder ?order } OPTIONAL { ?st rg:stageActor ?actor } }"""):
        st = row["st"].value
        if st not in names:
            order = f" {row['order'].value}" if row["order"] is not None else ""
            actor = f": {display(row['actor'].value, names)}" if row["actor"] is not None else ""
            out[st] = f"Stage{order} of {display(row['pipe'].value, names)}{actor}"
    for row in _rows(kg, "SELECT ?ev ?x WHERE { ?x rg:hasEvidence ?ev }"):
        ev = row["ev"].value
        if ev not in names and row["x"].value in out:
            out[ev] = f"evidence for \u201c{out[row['x'].value]}\u201d"
    return out


def local_id(iri: str) -> str | None:
    """The ``<local>`` of ``/id/<local>`` for a dataset IRI, else None."""
    base = str(RGD)
    return iri[len(base):] if iri.startswith(base) and len(iri) > len(base) else None


def display(iri: str, names: dict[str, str]) -> str:
    return names.get(iri) or compact(ox_to_uri(iri))


def ox_to_uri(iri: str) -> Any:
    from rdflib import URIRef

    return URIRef(iri)


# -- source text ---------------------------------------------------------------------------------


def source_texts(kg: KnowledgeGraph) -> dict[str, SourceMeta]:
    """Every source of the graph (title, file name and checksum, or address for a cited page)."""
    return source_meta(kg.store)


def passage_text(sources: dict[str, SourceMeta], source: str, start: int | None, end: int | None) -> str | None:
    """The passage itself, when its source text is present locally with the recorded checksum."""
    meta = sources.get(source)
    return cut(meta.text, start, end) if meta else None


def missing_text_note(sources: dict[str, SourceMeta], source: str) -> str:
    """One line saying where to put a source's text so that its passages show here."""
    meta = sources.get(source)
    return meta.missing_note() if meta else ""


def citation(sources: dict[str, SourceMeta], source: str) -> SourceMeta | None:
    """The source as a citation (title, publisher, address) when the project does not hold its text."""
    meta = sources.get(source)
    return meta if meta is not None and meta.reference else None


# -- evidence ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvidenceView(Evidence):
    """An evidence record as a page shows it: the passage text when the source is held here,
    else a note on where to put the text, or the citation of a report the project does not hold."""

    text: str | None = None
    note: str = ""
    cite: SourceMeta | None = None

    @property
    def source_local(self) -> str | None:
        return local_id(self.source)

    @property
    def passage_local(self) -> str | None:
        return local_id(self.passage)


def _view(ev: Evidence, sources: dict[str, SourceMeta]) -> EvidenceView:
    text = passage_text(sources, ev.source, ev.start, ev.end)
    fields = {f: getattr(ev, f) for f in Evidence.__dataclass_fields__}
    return EvidenceView(
        **{**fields, "origin": ev.independent_origin}, text=text,
        note="" if text or ev.start is None else missing_text_note(sources, ev.source),
        cite=citation(sources, ev.source) if ev.start is None else None,
    )


def evidence_views(kg: KnowledgeGraph, claims: str, **bindings: str) -> dict[str, list[EvidenceView]]:
    """The evidence of the claims the pattern ``claims`` binds (``?claim``, ``?ev``), as pages
    show it, by claim; ``bindings`` are IRIs bound to the pattern's variables."""
    found = read_evidence(lambda text: select(kg, text, **bindings).rows, claims, bound=bindings)
    sources = source_texts(kg)
    return {claim: [_view(ev, sources) for ev in evs] for claim, evs in found.items()}


@dataclass
class Fact:
    """A direct triple around an entity and the evidence of the claims that reify it."""

    predicate: str
    other: str
    other_is_iri: bool
    claims: list[str] = field(default_factory=list)
    evidence: list[EvidenceView] = field(default_factory=list)
    support: Support | None = None  # how many independent origins state it (support.py)


_HIDDEN = {PREFIXES["rdf"] + "type", PREFIXES["rdfs"] + "label", PREFIXES["rdfs"] + "comment",
           PREFIXES["skos"] + "altLabel", PREFIXES["skos"] + "prefLabel", PREFIXES["rg"] + "hasEvidence",
           PREFIXES["rdf"] + "subject", PREFIXES["rdf"] + "object", PREFIXES["rdf"] + "predicate",
           PREFIXES["schema"] + "sameAs", PREFIXES["rg"] + "summary", PREFIXES["rg"] + "quote",
           PREFIXES["skos"] + "definition",
           PREFIXES["rg"] + "namedEntity"}  # name uses: shown as "What each source calls it"


def facts(kg: KnowledgeGraph, iri: str, *, incoming: bool) -> list[Fact]:
    """Direct triples with ``iri`` as subject (or object), each with its claims' evidence."""
    side = "rdf:object" if incoming else "rdf:subject"
    if incoming:
        pattern = "?other ?p ?e . OPTIONAL { ?claim rdf:subject ?other ; rdf:predicate ?p ; rdf:object ?e }"
    else:
        pattern = "?e ?p ?other . OPTIONAL { ?claim rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?other }"
    res = select(kg, f"SELECT * WHERE {{ {pattern} }} ORDER BY ?p ?other ?claim", e=iri)
    evidence = evidence_views(kg, f"?claim {side} ?e ; rg:hasEvidence ?ev .", e=iri)
    grouped: dict[tuple[str, str], Fact] = {}
    for row in res.rows:
        p = str(row["p"])
        if p in _HIDDEN:
            continue
        other = row["other"]
        key = (p, str(other))
        fact = grouped.get(key)
        if fact is None:
            from rdflib import URIRef

            fact = grouped[key] = Fact(p, str(other), isinstance(other, URIRef))
        claim = str(row["claim"]) if "claim" in row else ""
        if claim and claim not in fact.claims:
            fact.claims.append(claim)
            fact.evidence += [ev for ev in evidence.get(claim, []) if all(e.iri != ev.iri for e in fact.evidence)]
    return list(grouped.values())


def own_evidence(kg: KnowledgeGraph, iri: str) -> list[EvidenceView]:
    """The evidence of ``iri`` itself, when it is a claim, figure or stage."""
    return evidence_views(kg, "?claim rg:hasEvidence ?ev .", claim=iri).get(iri, [])


def describe(kg: KnowledgeGraph, iri: str) -> dict[str, Any]:
    """Label, types, description, aliases and external links of an entity (empty if unknown)."""
    res = select(kg, """SELECT ?e ?p ?o WHERE { ?e ?p ?o .
        VALUES ?p { rdf:type rdfs:label rdfs:comment skos:altLabel skos:prefLabel schema:sameAs
                    skos:definition rg:summary rg:quote rg:comparator rg:value rg:unit rg:measures } }""", e=iri)
    info: dict[str, list[str]] = defaultdict(list)
    for row in res.rows:
        info[str(row["p"])].append(str(row["o"]))
    return info


def claim_statement(kg: KnowledgeGraph, iri: str) -> tuple[str, str, str] | None:
    """Subject, relation and object of a relation claim (None for anything else)."""
    res = select(kg, """SELECT ?c ?s ?p ?o WHERE { ?c a rg:RelationClaim ; rdf:subject ?s ; rdf:predicate ?p ;
        rdf:object ?o } LIMIT 1""", c=iri)
    if not res.rows:
        return None
    row = res.rows[0]
    return str(row["s"]), str(row["p"]), str(row["o"])


def name_uses(kg: KnowledgeGraph, iri: str) -> list[tuple[str, list[str]]]:
    """The names each source uses for ``iri`` (``rg:NameUse``, recorded by ``compile``), by source."""
    res = select(kg, """SELECT ?e ?src ?name WHERE { ?use a rg:NameUse ; rg:namedEntity ?e ;
        rg:nameUsed ?name ; rg:usedIn ?src } ORDER BY ?src ?name""", e=iri)
    by_source: dict[str, list[str]] = {}
    for row in res.rows:
        names = by_source.setdefault(str(row["src"]), [])
        if str(row["name"]) not in names:
            names.append(str(row["name"]))
    return list(by_source.items())


def figures(kg: KnowledgeGraph) -> frozenset[str]:
    """Every figure of the graph (facts about an entity that are figures get their own section)."""
    return frozenset(row["f"].value for row in _rows(kg, "SELECT ?f WHERE { ?f a rg:Figure }"))


def graph_of(kg: KnowledgeGraph, iri: str, *, as_object: bool = True) -> list[ox.Triple]:
    """The triples about ``iri`` (as subject, and as object when asked): its Linked Data document."""
    out = [q.triple for q in kg.store.quads_for_pattern(ox.NamedNode(iri), None, None)]
    if as_object:
        out += [q.triple for q in kg.store.quads_for_pattern(None, None, ox.NamedNode(iri))]
    return out


def pipelines_of(kg: KnowledgeGraph, iri: str) -> list[dict[str, Any]]:
    """Pipelines with a stage whose actor is ``iri``: pipeline, role and stage order."""
    res = select(kg, """SELECT ?e ?pipe ?role ?order WHERE { ?pipe rg:hasStage ?st .
        ?st rg:stageActor ?e . OPTIONAL { ?st rg:stageRole ?role } OPTIONAL { ?st rg:stageOrder ?order } }
        ORDER BY ?pipe ?order""", e=iri)
    return [{"pipeline": str(r["pipe"]), "role": str(r.get("role", "")), "order": str(r.get("order", ""))}
            for r in res.rows]


# -- pickers ---------------------------------------------------------------------------------------------


def instances(kg: KnowledgeGraph, cls: str) -> list[tuple[str, str]]:
    """(IRI, label) of the instances of ``cls`` and its subclasses, sorted by label."""
    res = select(kg, """SELECT DISTINCT ?cls ?i ?l WHERE { ?i a/rdfs:subClassOf* ?cls .
        OPTIONAL { ?i rdfs:label ?l FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "en")) } }""", cls=cls)
    pairs = {str(r["i"]): str(r.get("l") or compact(r["i"])) for r in res.rows}
    return sorted(pairs.items(), key=lambda kv: (kv[1].casefold(), kv[0]))


# -- timeline ---------------------------------------------------------------------------------------------

_TIMELINE = """
SELECT ?item ?kind ?date ?status ?claimant ?value ?cmp ?unit ?measures ?summary ?about ?inferred WHERE {
  {
    ?item a rg:Figure ; rg:hasEvidence ?ev . ?ev rg:claimDate ?cd .
    OPTIONAL { ?item rg:period ?per }
    BIND(COALESCE(?per, ?cd) AS ?date) BIND("figure" AS ?kind)
    OPTIONAL { ?ev rg:dateInferred ?inf }
    BIND(IF(BOUND(?per), false, COALESCE(?inf, false)) AS ?inferred)
    OPTIONAL { ?item rg:value ?value } OPTIONAL { ?item rg:comparator ?cmp }
    OPTIONAL { ?item rg:unit ?unit } OPTIONAL { ?item rg:measures ?measures }
    OPTIONAL { ?item rg:about ?about }
  } UNION {
    ?item rg:date ?date . BIND("event" AS ?kind)
    OPTIONAL { ?c rdf:subject ?item ; rg:hasEvidence ?ev }
  } UNION {
    ?item a rg:RelationClaim ; rg:hasEvidence ?ev . ?ev rg:claimDate ?date .
    FILTER NOT EXISTS { ?ev rg:dateInferred true }
    BIND("claim" AS ?kind)
  }
  OPTIONAL { ?ev rg:verificationStatus ?status }
  OPTIONAL { ?ev rg:claimant ?claimant }
  OPTIONAL { ?item rg:summary ?summary }
}"""


@dataclass
class TimelineItem:
    item: str
    kind: str
    date: str
    label: str
    status: str = ""
    claimant: str = ""
    figure: str = ""
    inferred: bool = False

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def precision(self) -> str:
        """``year``, ``month`` or ``day``: how much of the date the source gives."""
        return {4: "year", 7: "month"}.get(len(self.date), "day")

    def span(self) -> tuple[float, float]:
        """Start and end of the date as fractional years: a year is a whole year, a month a twelfth."""
        year = self.year
        if self.precision == "year":
            return float(year), year + 1.0
        month = int(self.date[5:7])
        if self.precision == "month":
            return year + (month - 1) / 12, year + month / 12
        day = int(self.date[8:10])
        start = year + (month - 1 + (day - 1) / 31) / 12
        return start, start + 1 / 372

    @property
    def fraction(self) -> float:
        """Position within the year (month precision; a bare year sits at its start)."""
        month = int(self.date[5:7]) if len(self.date) >= 7 else 1
        day = int(self.date[8:10]) if len(self.date) >= 10 else 1
        return (month - 1 + (day - 1) / 31) / 12


_UNIT_PLURALS = {"person": "people", "soldier": "soldiers", "usd": "US dollars", "country": "countries",
                 "year": "years", "times": "times", "month": "months"}
_VAGUE = {"dozens", "hundreds", "thousands", "tens-of-thousands"}


def figure_phrase(comparator: str, value: str, unit: str, names: dict[str, str]) -> str:
    """A figure as a reader says it: "more than 160,000 people", "tens of thousands of people"."""
    cmp_key = comparator.rsplit("/", 1)[-1].removeprefix("cmp-")
    unit_key = unit.rsplit("/", 1)[-1].removeprefix("unit-")
    plural = _UNIT_PLURALS.get(unit_key, names.get(unit, unit_key))
    cmp_label = names.get(comparator, cmp_key.replace("-", " "))
    if cmp_key in _VAGUE:
        return f"{cmp_label} of {plural}"
    if cmp_key == "unspecified" or not value:
        return f"an unspecified number of {plural}"
    try:
        number = f"{int(value):,}"
    except ValueError:
        number = value
    quantity = f"${number}" if unit_key == "usd" else f"{number} {plural if number != '1' else unit_key}"
    return quantity if cmp_key == "exactly" else f"{cmp_label} {quantity}"


def timeline(kg: KnowledgeGraph, names: dict[str, str]) -> list[TimelineItem]:
    """Dated figures, events and claims, sorted by date, one item per figure/event/claim."""
    res = select(kg, _TIMELINE)
    seen: dict[str, TimelineItem] = {}
    for row in res.rows:
        item = str(row["item"])
        date = str(row["date"])
        if item in seen or len(date) < 4 or not date[:4].isdigit():
            continue
        figure = ""
        if row.get("kind") is not None and str(row["kind"]) == "figure":
            figure = figure_phrase(str(row.get("cmp", "")), str(row.get("value", "")),
                                   str(row.get("unit", "")), names)
            if "measures" in row:
                figure += f" ({display(str(row['measures']), names)})"
        label = str(row["summary"]) if "summary" in row else display(item, names)
        seen[item] = TimelineItem(
            item=item, kind=str(row["kind"]), date=date, label=label,
            status=display(str(row["status"]), names) if "status" in row else "",
            claimant=display(str(row["claimant"]), names) if "claimant" in row else "",
            figure=figure,
            inferred=str(row.get("inferred", "")) == "true",
        )
    return sorted(seen.values(), key=lambda t: (t.date, t.label))


# -- downloads ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    name: str
    format: str
    media_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


def downloads(kg: KnowledgeGraph) -> dict[str, Download]:
    """The dataset in every export format, by file name."""
    from ..export import serialize_store
    from ..formats import EXPORT_FORMATS

    out = {}
    for fmt in EXPORT_FORMATS:
        name = f"recruitgraph{fmt.extension}"
        out[name] = Download(name, fmt.name, fmt.media_type, serialize_store(kg.store, fmt.name))
    return out


def void_description(kg: KnowledgeGraph, base: str, files: dict[str, Download]) -> str:
    """The VoID/DCAT description of the served dataset and its downloads (Turtle), built by the
    builder ``recruitgraph release`` uses, from the store's own ontology version and counts."""
    from rdflib import URIRef

    from ..dataset_description import DatasetFacts, Distribution, describe_dataset, ontology_version
    from ..graphs import graph_facts
    from ..turtle import serialize_turtle

    onto = kg.construct(
        "CONSTRUCT { ?o a owl:Ontology ; owl:versionInfo ?v ; dcterms:modified ?m } WHERE { "
        "?o a owl:Ontology ; owl:versionInfo ?v OPTIONAL { ?o dcterms:modified ?m } }"
    )
    version, issued = ontology_version(onto)
    stats = select(kg, """SELECT (COUNT(DISTINCT ?s) AS ?e) WHERE { ?s ?p ?o
        FILTER(STRSTARTS(STR(?s), STR(rgd:))) }""").rows[0]
    sources = select(kg, "SELECT ?s WHERE { ?s a rg:Source } ORDER BY ?s").rows
    facts = DatasetFacts(
        version=version,
        issued=issued,
        triples=kg.triples_count(),
        entities=int(str(stats["e"])),
        sources=tuple(URIRef(str(row["s"])) for row in sources),
        graphs=tuple(graph_facts(kg.store)),
    )
    urls = [URIRef(f"{base}/downloads/{name}") for name in files]
    dists = [
        Distribution(name, item.format, item.media_type, item.sha256, item.size, url)
        for (name, item), url in zip(files.items(), urls, strict=True)
    ]
    graph = describe_dataset(
        URIRef(f"{base}/downloads/void.ttl#dataset"),
        facts,
        dists,
        distribution_iri=urls,
        sparql_endpoint=URIRef(f"{base}/sparql"),
    )
    return serialize_turtle(graph)


def source_dirs_note() -> list[Path]:
    return config.source_dirs()
