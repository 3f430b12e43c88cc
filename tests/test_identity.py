"""One identity per actor, and every report of the reading list in the graph (issue 12).

Both read the shipped ontology and data files; the reading list is read from
``../shared/sources/reading-list.tsv`` at run time, and its absence fails the test.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from recruitgraph.namespaces import RG, RGD, SCHEMA
from recruitgraph.references import name_key
from support import base_graph, reading_list_urls

#: Nodes that are records about the world, not actors or things in it: their labels may repeat.
RECORDS = {
    RG.Claim,
    RG.RelationClaim,
    RG.Figure,
    RG.Stage,
    RG.Evidence,
    RG.Passage,
    RG.Source,
    RG.TextSource,
    RG.ReferenceSource,
    RG.StoryOrigin,
    RG.NameUse,
    RG.Measure,
    RG.Pipeline,
}


def name_collisions(graph: Graph) -> dict[str, set[URIRef]]:
    """Folded names (labels and aliases) that stand for more than one entity."""
    names: dict[str, set[URIRef]] = defaultdict(set)
    for prop in (RDFS.label, SKOS.altLabel):
        for s, name in graph.subject_objects(prop):
            if not isinstance(s, URIRef) or not str(s).startswith(str(RGD)):
                continue
            if set(graph.objects(s, RDF.type)) & RECORDS:
                continue
            key = name_key(str(name))
            names[key].add(s)
            names[key.removeprefix("the ")].add(s)
    return {k: v for k, v in names.items() if len(v) > 1}


def test_no_two_entities_share_a_folded_name() -> None:
    collisions = name_collisions(base_graph())
    assert not collisions, "; ".join(
        f"{name!r}: {', '.join(sorted(str(e).removeprefix(str(RGD)) for e in ents))}"
        for name, ents in sorted(collisions.items())
    )


def test_the_collision_check_catches_case_spacing_and_diacritics() -> None:
    graph = Graph()
    a, b, c = RGD["zemlya-ministry"], RGD["zemlya-ministry-2"], RGD["zemlya-office"]
    for node in (a, b, c):
        graph.add((node, RDF.type, RG.Ministry))
    graph.add((a, RDFS.label, Literal("Zemlyá Ministry", lang="en")))
    graph.add((b, SKOS.altLabel, Literal("  zemlya   ministry", lang="en")))
    graph.add((c, RDFS.label, Literal("Zemlya Office", lang="en")))
    assert name_collisions(graph) == {"zemlya ministry": {a, b}}


def test_every_report_of_the_reading_list_is_a_source_with_claims() -> None:
    urls = reading_list_urls()
    assert len(urls) == 28
    graph = base_graph()
    sources = {
        str(url): s
        for s, url in graph.subject_objects(SCHEMA.url)
        if (s, RDF.type, RG.Source) in graph
    }
    without_source = [u for u in urls if u not in sources]
    assert not without_source, f"{len(without_source)} report(s) are no source: {without_source}"
    not_cited = [
        u for u in urls
        if (sources[u], RDF.type, RG.ReferenceSource) not in graph
        or graph.value(sources[u], RG.dateRead) is None
        or graph.value(sources[u], RG.origin) is None
    ]
    assert not not_cited, f"reference source without date read or origin: {not_cited}"

    def claims(source: URIRef) -> int:
        return len({c for ev in graph.subjects(RG.source, source) for c in graph.subjects(RG.hasEvidence, ev)})

    # Every report was read whole: the shortest (the Kyiv Independent's note on the count of the
    # dead, the AP's story of Nepal's ban) still give eight claims or more.
    few = {u: n for u in urls if (n := claims(sources[u])) < 8}
    assert not few, f"report(s) with fewer than 8 claims: {few}"
