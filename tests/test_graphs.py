"""Named graphs: each source's compiled file in its own graph, the ontology in one, what several
files state in the shared graph, and the union of them all as every query's default graph.

Expected values come from the files themselves, parsed with rdflib (not from the store): the
union holds each distinct statement of the files once, and a report's graph holds the claims
that report's file declares and no other report's.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF

import recruitgraph
from recruitgraph import config
from recruitgraph.export import write_export
from recruitgraph.graphs import GRAPH_NS, ONTOLOGY_GRAPH, SHARED_GRAPH
from recruitgraph.namespaces import RG, RGD
from serve_process import running_server

REPORT = "tmt-2023-09-cuba-arrests"
OTHER = "efe-2024-01-nepal-ban"
CLAIM_CLASSES = {RG.RelationClaim, RG.Figure}


def parse(*paths: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def source_files() -> dict[str, list[Path]]:
    """data files by the id of the source they belong to (files named after an rg:Source)."""
    out: dict[str, list[Path]] = {}
    for path in config.base_resources().data:
        out.setdefault(path.stem, []).append(path)
    return {sid: paths for sid, paths in out.items() if (RGD[sid], RDF.type, RG.Source) in parse(*paths)}


def claims_of(paths: list[Path]) -> set[str]:
    graph = parse(*paths)
    return {str(s) for cls in CLAIM_CLASSES for s in graph.subjects(RDF.type, cls)}


def count(kg: recruitgraph.KnowledgeGraph, where: str = "?s ?p ?o") -> int:
    return int(str(kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0]["n"]))


def test_the_union_holds_each_statement_of_the_files_once(kg: recruitgraph.KnowledgeGraph) -> None:
    # pyoxigraph 0.5 counts a statement of two graphs twice in the union: the graphs must not overlap
    distinct = len(parse(*config.base_resources().all))
    assert count(kg) == distinct
    assert len(kg.store) == distinct
    assert int(str(kg.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0]["n"])) == distinct
    labels = kg.query("SELECT ?l WHERE { rgd:nepal rdfs:label ?l }")
    assert [str(v) for v in labels.column("l")] == ["Nepal"]  # declared in several files, once here


def test_every_source_names_its_own_graph(kg: recruitgraph.KnowledgeGraph) -> None:
    sources = source_files()
    assert REPORT in sources and OTHER in sources
    names = {g.value for g in kg.store.named_graphs()}
    assert names == {GRAPH_NS + sid for sid in sources} | {ONTOLOGY_GRAPH, SHARED_GRAPH}
    pointed = {str(r["s"]): str(r["g"]) for r in kg.query("SELECT ?s ?g WHERE { ?s rg:namedGraph ?g }").rows}
    assert pointed == {str(RGD[sid]): GRAPH_NS + sid for sid in sources}


def test_a_statement_of_one_file_only_is_in_that_files_graph(kg: recruitgraph.KnowledgeGraph) -> None:
    files = source_files()
    mine = parse(*files[REPORT])
    others = parse(*[p for sid, paths in files.items() if sid != REPORT for p in paths],
                   *config.base_resources().ontology,
                   *[p for p in config.base_resources().data if p.stem not in files])
    graph = ox.NamedNode(GRAPH_NS + REPORT)
    held = {(str(q.subject.value), str(q.predicate.value), str(q.object.value))
            for q in kg.store.quads_for_pattern(None, None, None, graph)}
    own = {(str(s), str(p), str(o)) for s, p, o in mine if (s, p, o) not in others}
    assert held == own and len(own) > 100


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server() as url:
        yield url


def select(base: str, query: str, *graphs: str) -> list[dict[str, str]]:
    params = [("query", query)] + [("default-graph-uri", g) for g in graphs]
    resp = httpx.get(base + "/sparql", params=params, headers={"Accept": "application/sparql-results+json"},
                     timeout=60)
    assert resp.status_code == 200, resp.text
    return [{k: v["value"] for k, v in row.items()} for row in resp.json()["results"]["bindings"]]


CLAIMS = ("PREFIX rg: <https://w3id.org/recruitgraph/ontology/> SELECT DISTINCT ?c WHERE { "
          "VALUES ?t { rg:RelationClaim rg:Figure } ?c a ?t }")


def test_default_graph_uri_of_a_report_asks_that_report_alone(server: str) -> None:
    files = source_files()
    expected = claims_of(files[REPORT])
    assert expected and not expected & claims_of(files[OTHER])
    alone = {row["c"] for row in select(server, CLAIMS, GRAPH_NS + REPORT)}
    assert alone == expected
    everything = {row["c"] for row in select(server, CLAIMS)}
    assert expected | claims_of(files[OTHER]) <= everything and len(everything) > len(alone)


def test_named_graph_uri_alone_leaves_the_default_graph_empty(server: str) -> None:
    """The protocol's dataset: the default graph merges the default-graph-uri graphs, so a
    request naming only named graphs has an empty default graph, and its report under GRAPH."""
    files = source_files()
    params = [("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), ("named-graph-uri", GRAPH_NS + REPORT)]
    resp = httpx.get(server + "/sparql", params=params, headers={"Accept": "text/csv"}, timeout=60)
    assert resp.status_code == 200 and resp.text.splitlines()[1] == "0"
    params = [("query", CLAIMS.replace("WHERE { ", "WHERE { GRAPH ?g { ") + " }"),
              ("named-graph-uri", GRAPH_NS + REPORT)]
    resp = httpx.get(server + "/sparql", params=params, headers={"Accept": "application/sparql-results+json"},
                     timeout=60)
    assert {row["c"]["value"] for row in resp.json()["results"]["bindings"]} == claims_of(files[REPORT])


def test_the_shared_graph_adds_what_a_report_states_with_others(server: str) -> None:
    """A statement two files make is in the shared graph, not in either report's graph: adding
    ``graph/shared`` to the report's graph brings it back (the recipe of docs/server.md)."""
    files = source_files()
    mine = parse(*files[REPORT])
    elsewhere = parse(*[p for sid, paths in files.items() if sid != REPORT for p in paths],
                      *[p for p in config.base_resources().data if p.stem not in files])
    restated = {(str(s), str(p), str(o)) for s, p, o in mine if (s, p, o) in elsewhere}
    assert restated
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    alone = {(r["s"], r["p"], r["o"]) for r in select(server, query, GRAPH_NS + REPORT)}
    with_shared = {(r["s"], r["p"], r["o"]) for r in select(server, query, GRAPH_NS + REPORT, SHARED_GRAPH)}
    assert not restated & alone
    assert restated <= with_shared
    assert {(str(s), str(p), str(o)) for s, p, o in mine} <= with_shared


def test_a_report_scoped_by_graph_gets_labels_from_the_union(server: str) -> None:
    """Labels are stated once, by the file that declares the entity: to name what a report's
    claims are about, scope the claims with GRAPH and read labels from the default graph."""
    files = source_files()
    everything = parse(*config.base_resources().all)
    named = {o for s, o in parse(*files[REPORT]).subject_objects(RDF.object)}
    expected = {(str(o), str(label)) for o in named for label in everything.objects(o, rdflib.RDFS.label)}
    assert expected
    query = (f"SELECT ?o ?l WHERE {{ GRAPH <{GRAPH_NS}{REPORT}> {{ ?c rdf:object ?o }} "
             "?o rdfs:label ?l }")
    assert {(r["o"], r["l"]) for r in select(server, query)} == expected
    # the report's graph alone does not hold the labels of entities other files declare
    alone = {(r["o"], r["l"]) for r in select(server, query.replace(f"GRAPH <{GRAPH_NS}{REPORT}>", ""),
                                              GRAPH_NS + REPORT)}
    assert alone < expected


def test_the_service_description_lists_the_graphs(server: str) -> None:
    resp = httpx.get(server + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    graph = rdflib.Graph().parse(data=resp.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    names = {str(o) for o in graph.objects(None, sd.name)}
    assert {GRAPH_NS + REPORT, GRAPH_NS + OTHER, ONTOLOGY_GRAPH, SHARED_GRAPH} <= names


def test_turtle_export_is_the_merge_and_nquads_keep_the_graphs(kg: recruitgraph.KnowledgeGraph,
                                                                tmp_path: Path) -> None:
    one_graph = ox.Store()
    one_graph.extend(ox.Quad(q.subject, q.predicate, q.object) for q in kg.store)
    for fmt in ("turtle", "ntriples"):
        merged, flat = io.BytesIO(), io.BytesIO()
        write_export(kg.store, merged, fmt)
        write_export(one_graph, flat, fmt)
        assert merged.getvalue() == flat.getvalue(), fmt
        assert kg.export(tmp_path / f"x.{fmt}", format=fmt) == len(flat.getvalue())
    nq = io.BytesIO()
    kg.export(nq, format="nquads")
    lines = nq.getvalue().decode().splitlines()
    assert len(lines) == len(parse(*config.base_resources().all))
    own = [line for line in lines if line.endswith(f"<{GRAPH_NS}{REPORT}> .")]
    assert len(own) == len(list(kg.store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_NS + REPORT))))


def restating_nepal(tmp_path: Path, note: str) -> Path:
    """A file that restates Nepal's shipped label and adds one comment: one new statement."""
    extra = tmp_path / "extra.ttl"
    extra.write_text('@prefix rgd: <https://w3id.org/recruitgraph/id/> .\n'
                     '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                     'rgd:nepal rdfs:label "Nepal"@en .\n'
                     f'rgd:nepal rdfs:comment "{note}"@en .\n')
    return extra


def test_an_import_restating_shipped_statements_adds_only_the_new_ones(tmp_path: Path) -> None:
    extra = restating_nepal(tmp_path, "A test note.")
    graph = recruitgraph.open(memory=True)
    before = count(graph)
    assert graph.import_files([extra], validate=False) == 1
    assert count(graph) == before + 1 == len(graph.store)
    assert count(graph, "rgd:nepal rdfs:label ?l") == 1
    assert count(graph, "rgd:nepal rdfs:comment \"A test note.\"@en") == 1


def test_imports_and_updates_of_the_persistent_store_keep_each_statement_once(tmp_path: Path) -> None:
    extra = restating_nepal(tmp_path, "Another test note.")
    graph = recruitgraph.open(data_dir=tmp_path / "store")
    try:
        distinct = len(parse(*config.base_resources().all))
        assert count(graph) == distinct
        assert graph.import_files([extra], validate=False) == 1
        assert count(graph) == distinct + 1 == len(graph.store)
        assert graph._persistent is not None
        graph._persistent.apply_update('INSERT DATA { rgd:nepal rdfs:label "Nepal"@en }')
    finally:
        graph.close()
    reopened = recruitgraph.open(data_dir=tmp_path / "store")
    try:
        assert count(reopened) == distinct + 1
        assert count(reopened, 'rgd:nepal rdfs:label "Nepal"@en') == 1
    finally:
        reopened.close()
