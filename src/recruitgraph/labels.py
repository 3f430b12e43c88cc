"""Labels in words for claims, figures and pipeline stages, generated from what they state.

A claim is named by its subject, relation and object ("North Korea sent troops to Russia"); a
figure by what it says and who says it ("more than 160,000 Russian military deaths confirmed by
name from open-source records (Mediazona)"); a stage by its pipeline, place and actor. Every view
(server pages, pipeline tooltips, the visualisation) shows these labels instead of ids.
``compile`` calls :func:`add_labels` on everything it writes, whatever kind of source the claims
come from, so the labels of every claims file follow the same rules.
"""

from __future__ import annotations

import re
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from .namespaces import RG

__all__ = ["add_labels", "claim_label", "figure_label", "relation_label", "stage_label"]

_LABEL_PROPS = (RDFS.label, SKOS.prefLabel)
#: Comparators that stand for the number themselves ("thousands of soldiers").
_MAGNITUDES = {"dozens", "hundreds", "thousands", "tens-of-thousands", "millions"}
#: Units written before the number, and units written as a word after it.
_ARTICLES = {"The", "A", "An"}
_STATE = "\0"
_PREFIX_UNITS = {"usd": "$", "eur": "€"}
_WORD_UNITS = {
    "year": ("year", "years"),
    "month": ("month", "months"),
    "rub": ("rouble", "roubles"),
    "times": ("time", "times"),
}


def _local(iri: object) -> str:
    text = str(iri)
    return re.split(r"[#/]", text)[-1]


def _name(graphs: tuple[Graph, ...], term: Node | None) -> str:
    """The English label of a term in the first graph that has one, else its local name."""
    if term is None:
        return "?"
    if isinstance(term, Literal):
        return str(term)
    for graph in graphs:
        for prop in _LABEL_PROPS:
            labels = list(graph.objects(term, prop))
            if labels:
                english = [lab for lab in labels if getattr(lab, "language", None) in ("en", None)]
                return str(sorted(english or labels, key=str)[0])
    # why: a concept of the project's vocabulary is named without its scheme prefix (cmp-, unit-)
    return re.sub(r"^(cmp|unit|qty|role|status|assist|rank)-", "", _local(term)).replace("-", " ")


def _value(graph: Graph, fig: Node, prop: URIRef) -> Decimal | None:
    value = graph.value(fig, prop)
    return None if value is None else Decimal(str(value))


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        n = int(value)
        if n >= 1_000_000 and n % 100_000 == 0:  # "1 million", as sources write large round numbers
            return f"{Decimal(n) / 1_000_000:f}".rstrip("0").rstrip(".") + " million"
        return f"{n:,}"
    return f"{value:f}"


def _amount(graph: Graph, graphs: tuple[Graph, ...], fig: Node) -> str:
    """What the figure says of its number: "more than 160,000", "roughly $50,000", "thousands"."""
    cmp_iri = graph.value(fig, RG.comparator)
    cmp = _local(cmp_iri).removeprefix("cmp-") if cmp_iri is not None else "exactly"
    unit = _local(graph.value(fig, RG.unit) or "").removeprefix("unit-")
    value = _value(graph, fig, RG.value)
    low, high = _value(graph, fig, RG.rangeLow), _value(graph, fig, RG.rangeHigh)

    def fmt(v: Decimal) -> str:
        if unit in _PREFIX_UNITS:
            return _PREFIX_UNITS[unit] + _number(v)
        if unit in _WORD_UNITS:
            one, many = _WORD_UNITS[unit]
            return f"{_number(v)} {one if v == 1 else many}"
        return _number(v)

    if low is not None and high is not None:
        return f"between {fmt(low)} and {fmt(high)}"
    if value is None:
        if cmp == "unspecified":
            return "an unspecified number of"
        words = _name(graphs, cmp_iri) if cmp_iri is not None else cmp
        return f"{words} of" if cmp in _MAGNITUDES else words
    words = "" if cmp == "exactly" else _name(graphs, cmp_iri) + " "
    return words + fmt(value)


def _proper_words(graphs: tuple[Graph, ...]) -> set[str]:
    """Words written with a capital inside a label or description (not as its first word) and
    never in lower case: names and the adjectives of names ("Russian", "North", "Iraqi"), not
    "People" of some title; and the names of states, marked with a leading ``_STATE``."""
    capital: set[str] = set()
    lower: set[str] = set()
    for graph in graphs:
        for prop in (RDFS.label, SKOS.altLabel, RDFS.comment, RG.scope, RG.summary):
            for lab in graph.objects(None, prop):
                capital.update(re.findall(r"(?<=[\w,;] )[A-Z][\w'-]*", str(lab)))
                lower.update(re.findall(r"\b[a-z][\w'-]*", str(lab)))
    words = {w for w in capital if w.lower() not in lower}
    return words | {_STATE + n for n in _state_names(graphs)}


def _state_names(graphs: tuple[Graph, ...]) -> tuple[str, ...]:
    """Labels of states: a word that starts with one names its people ("Nepali", "Iraqis")."""
    return tuple(
        str(graph.value(s, RDFS.label))
        for graph in graphs
        for kind in (RG.State, RG.CountryOfOrigin)
        for s in graph.subjects(RDF.type, kind)
        if graph.value(s, RDFS.label) is not None
    )


def _phrase(text: str, proper: set[str]) -> str:
    """``text`` to follow a number: its first letter lower-cased unless the first word is a name
    (written with a capital inside some label or description), an acronym, or the text starts
    with the name of a state ("Nepali nationals", "North Korean soldiers")."""
    first = re.match(r"[\w'-]+", text)
    word = first.group(0) if first else ""
    if not word or word.isupper() or (word in proper and word not in _ARTICLES):
        return text
    if any(text.startswith(name[1:]) for name in proper if name.startswith(_STATE)):
        return text
    return text[0].lower() + text[1:]


def _who(graph: Graph, graphs: tuple[Graph, ...], claim: Node) -> str | None:
    """Who states a claim: the claimant of its first evidence, else the source's publisher
    (unless the publisher is only inferred: then "the source report")."""
    for ev in sorted(graph.objects(claim, RG.hasEvidence), key=str):
        claimant = graph.value(ev, RG.claimant)
        if claimant is not None:
            return _name(graphs, claimant)
    for ev in sorted(graph.objects(claim, RG.hasEvidence), key=str):
        source = graph.value(ev, RG.source)
        for g in graphs:
            publisher = g.value(source, DCTERMS.publisher) if source is not None else None
            if publisher is not None:
                if any(x.value(source, RG.publisherInferred) == Literal(True) for x in graphs):
                    return "the source report"  # why: the graph does not know who published it
                return _name(graphs, publisher)
        if source is not None:
            return _name(graphs, source)
    return None


def figure_label(
    graph: Graph, fig: Node, lookup: Graph | None = None, *, proper: set[str] | None = None
) -> str:
    """ "more than 160,000 Russian military deaths confirmed by name ... (Mediazona)"."""
    graphs = (graph,) if lookup is None else (graph, lookup)
    proper = _proper_words(graphs) if proper is None else proper
    scope = graph.value(fig, RG.scope)
    if scope is not None:
        what = _phrase(str(scope), proper)
    else:
        kind = _name(graphs, graph.value(fig, RG.measures))
        about = graph.value(fig, RG.about)
        what = kind if about is None else f"{kind}: {_name(graphs, about)}"
    who = _who(graph, graphs, fig)
    unit = _local(graph.value(fig, RG.unit) or "").removeprefix("unit-")
    # why: "18 years lower age limit" misreads; a unit word and the scope need a break between
    sep = " \u2014 " if unit in _WORD_UNITS and graph.value(fig, RG.value) is not None else " "
    label = f"{_amount(graph, graphs, fig)}{sep}{what}"
    return f"{label} ({who})" if who else label


def relation_label(graph: Graph, claim: Node, lookup: Graph | None = None) -> str:
    """ "North Korea sent troops to Russia": subject, relation and object by their labels."""
    graphs = (graph,) if lookup is None else (graph, lookup)
    subject = _name(graphs, graph.value(claim, RDF.subject))
    relation = _name(graphs, graph.value(claim, RDF.predicate))
    obj = graph.value(claim, RDF.object)
    if isinstance(obj, Literal):
        return f"{subject}: {relation} {obj}"
    return f"{subject} {relation} {_name(graphs, obj)}"


def stage_label(graph: Graph, stage: Node, lookup: Graph | None = None) -> str:
    """ "Prisons, stage 2 (intermediary): Mercenary force led by Yevgeny Prigozhin"."""
    graphs = (graph,) if lookup is None else (graph, lookup)
    pipeline = graph.value(None, RG.hasStage, stage)
    order = graph.value(stage, RG.stageOrder)
    role = _name(graphs, graph.value(stage, RG.stageRole))
    actor = _name(graphs, graph.value(stage, RG.stageActor))
    return f"{_name(graphs, pipeline)}, stage {order} ({role}): {actor}"


def claim_label(graph: Graph, claim: Node, lookup: Graph | None = None) -> str:
    """The label of any claim: a figure, a pipeline stage or a relation claim."""
    if (claim, RDF.type, RG.Figure) in graph:
        return figure_label(graph, claim, lookup)
    if (claim, RDF.type, RG.Stage) in graph:
        return stage_label(graph, claim, lookup)
    return relation_label(graph, claim, lookup)


def add_labels(graph: Graph, lookup: Graph | None = None) -> int:
    """Give every claim, figure and stage of ``graph`` that has no label its generated
    ``rdfs:label`` (English); names are looked up in ``graph``, then ``lookup``. Returns how
    many labels were added."""
    graphs = (graph,) if lookup is None else (graph, lookup)
    proper = _proper_words(graphs)
    added = 0
    # figures first: a relation claim may compare two figures and is named by their labels
    for kind in (RG.Figure, RG.Stage, RG.RelationClaim):
        for claim in sorted(set(graph.subjects(RDF.type, kind)), key=str):
            if graph.value(claim, RDFS.label) is not None:
                continue
            if kind == RG.Figure:
                text = figure_label(graph, claim, lookup, proper=proper)
            else:
                text = claim_label(graph, claim, lookup)
            graph.add((claim, RDFS.label, Literal(text, lang="en")))
            added += 1
    return added
