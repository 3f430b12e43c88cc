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


def test_the_text_report_line_by_line() -> None:
    fine = ValidationReport(conforms=True, consistent=True, files=["a.ttl", "b.ttl"], triples=10,
                            seconds={"shacl": 1.0, "owl": 0.5})
    assert fine.text() == ("Checked 2 file(s), 10 triples in 1.5 s.\nSHACL shapes: conforms.\n"
                           "OWL consistency (HermiT): consistent.\n")
    error = Violation(focus_node="rgd:x", shape="rgsh:FigureShape", path="rg:unit", value="rgv:u",
                      message="needs a unit", severity="Violation", file="data/x.ttl")
    warning = Violation(focus_node="rgd:y", shape="rgsh:LabelShape", path=None, value=None,
                        message="no label", severity="Warning")
    broken = ValidationReport(conforms=False, consistent=False, violations=[error, warning], files=["a.ttl"],
                              triples=3, seconds={"shacl": 0.04}, reasoner_message="HermiT found a clash")
    assert broken.text().split("\n") == [
        "Checked 1 file(s), 3 triples in 0.0 s.",
        "SHACL shapes: does not conform (1 violation(s)), 1 warning(s).",
        "OWL consistency (HermiT): INCONSISTENT.",
        "  HermiT found a clash",
        "", "Violation: rgd:x (in data/x.ttl)", "  shape: rgsh:FigureShape  path: rg:unit", "  value: rgv:u",
        "  needs a unit",
        "", "Warning: rgd:y", "  shape: rgsh:LabelShape", "  no label", ""]
    warned = ValidationReport(conforms=True, consistent=None, violations=[warning])
    assert warned.text().split("\n")[1:3] == ["SHACL shapes: conforms, 1 warning(s).",
                                              "OWL consistency (HermiT): not checked (reasoner skipped)."]
