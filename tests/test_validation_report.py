"""The validation report as data: every field of ``to_dict`` and of a shapes-only check, on
reports and graphs made here (what mutation testing found unguarded: docs/mutation-report.md)."""

from __future__ import annotations

import time

from rdflib import Graph

from recruitgraph import config
from recruitgraph.validation import ValidationReport, Violation, check_graph

SOURCE_FILE = config.data_dir() / "sources" / "russia-recruitment-2026-01.ttl"


def test_to_dict_names_every_field() -> None:
    violation = Violation(focus_node="rgd:x", shape="rgsh:FigureShape", path="rg:unit", value=None,
                          message="needs a unit", severity="Violation", file="data/x.ttl",
                          component="sh:MinCountConstraintComponent")
    report = ValidationReport(conforms=False, consistent=None, violations=[violation], files=["data/x.ttl"],
                              triples=42, seconds={"shacl": 1.23456, "owl": 0.0004},
                              reasoner_message="skipped")
    assert report.to_dict() == {
        "ok": False, "conforms": False, "consistent": None, "reasoner_message": "skipped",
        "files": ["data/x.ttl"], "triples": 42, "seconds": {"shacl": 1.235, "owl": 0.0},
        "violations": [{"focus_node": "rgd:x", "shape": "rgsh:FigureShape", "path": "rg:unit", "value": None,
                        "message": "needs a unit", "severity": "Violation", "file": "data/x.ttl",
                        "component": "sh:MinCountConstraintComponent"}],
    }
    assert ValidationReport(conforms=True, consistent=True).to_dict()["ok"] is True


def test_a_shapes_only_check_reports_its_files_triples_and_time() -> None:
    graph = Graph().parse(SOURCE_FILE)
    started = time.perf_counter()
    report = check_graph(graph, files=[SOURCE_FILE])
    elapsed = time.perf_counter() - started
    assert report.conforms and report.consistent is None and report.ok
    # files as people read them: relative to the checkout
    assert report.files == ["data/sources/russia-recruitment-2026-01.ttl"]
    # the shapes read the ontology and the concept schemes beside the graph
    vocabulary = Graph()
    for path in config.base_resources().ontology:
        vocabulary.parse(path)
    assert report.triples == len(vocabulary + graph)
    # the time it reports is the check's own, within the time the call took
    assert list(report.seconds) == ["shacl"] and 0 < report.seconds["shacl"] <= elapsed
    assert check_graph(graph).files == []
