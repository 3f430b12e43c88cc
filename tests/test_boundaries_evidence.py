"""A passage's offsets at the edges of its text, in `verify` and in the shapes: a passage may end
on the last character of the text (end == length, ends are exclusive) and may start at 0; one
character past the end, a start below 0, or a start not before the end is refused by both."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from recruitgraph import config
from recruitgraph.locate import fingerprint
from recruitgraph.namespaces import RG, RGD
from recruitgraph.validation import check_graph
from recruitgraph.verify import verify

SOURCE = "russia-recruitment-2026-01"
OA = Namespace("http://www.w3.org/ns/oa#")


def with_passage(start: int, end: int, text: str) -> tuple[Graph, URIRef]:
    """The ontology, the source's record and one passage at ``start``-``end`` whose IRI and
    fingerprint are what compile writes for those offsets."""
    graph = Graph()
    for path in (*config.base_resources().ontology, config.data_dir() / "sources" / f"{SOURCE}.ttl"):
        graph.parse(path, format="turtle")
    src = RGD[SOURCE]
    passage = URIRef(f"{src}-chars-{start}-{end}")
    graph.add((passage, RDF.type, RG.Passage))
    graph.add((passage, RDF.type, OA.TextPositionSelector))
    graph.add((passage, OA.start, Literal(start, datatype=XSD.integer)))
    graph.add((passage, OA.end, Literal(end, datatype=XSD.integer)))
    graph.add((passage, RG.inSource, src))
    graph.add((passage, RG.textFingerprint, Literal(fingerprint(text[max(start, 0):end]))))
    return graph, passage


def test_the_registered_length_is_the_texts(source_text: str) -> None:
    record = Graph().parse(config.data_dir() / "sources" / f"{SOURCE}.ttl", format="turtle")
    assert record.value(RGD[SOURCE], RG.characterCount).toPython() == len(source_text) == 8046


@pytest.mark.parametrize(("start", "end", "ok"), [
    (8046 - 60, 8046, True),     # ends on the last character
    (0, 40, True),               # starts on the first
    (8045, 8046, True),          # the last character alone
    (8046 - 60, 8047, False),    # one past the end
    (-1, 40, False),             # one before the start
    (40, 40, False),             # empty
])
def test_verify_at_the_edges_of_the_text(source_path: Path, source_text: str,
                                         start: int, end: int, ok: bool) -> None:
    graph, _ = with_passage(start, end, source_text)
    report = verify(graph, sources_dirs=[source_path.parent])
    assert report.passages_checked == 1
    if ok:
        assert report.problems == [], report.problems
        assert report.ok
    else:
        assert not report.ok
        assert report.problems == [
            f"rgd:{SOURCE}-chars-{start}-{end}: chars {start}-{end} lie outside the text of "
            f"{SOURCE} (8046 characters)"
        ]


@pytest.mark.parametrize(("start", "end", "shape"), [
    (8046 - 60, 8046, None),
    (8045, 8046, None),
    (0, 40, None),
    (8046 - 60, 8047, "PassageInsideTextShape"),
    (-1, 40, "PassageShape"),
    (40, 40, "PassageShape"),
    (39, 40, None),
])
def test_shapes_at_the_edges_of_the_text(source_text: str, start: int, end: int,
                                         shape: str | None) -> None:
    graph, _ = with_passage(start, end, source_text)
    report = check_graph(graph)
    on_passage = [v for v in report.violations if v.severity == "Violation"
                  and v.focus_node.endswith(f"-chars-{start}-{end}")]
    if shape is None:
        assert on_passage == [], report.text()
    else:
        assert {v.shape for v in on_passage} == {f"rgsh:{shape}"}, report.text()
        if shape == "PassageInsideTextShape":
            assert "8047" in on_passage[0].message and "8046" in on_passage[0].message
