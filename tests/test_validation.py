"""``recruitgraph.validation`` and ``recruitgraph validate``: the shipped data conforms and is
consistent; broken records are reported with focus node, shape and file; exit codes 0 / 1 / 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from recruitgraph import config
from recruitgraph.cli import main
from recruitgraph.exc import ConfigError, InputError
from recruitgraph.validation import ValidationReport, Violation, check_graph, validate

SOURCE = "rgd:russia-recruitment-2026-01"
SOURCE_FILE = config.data_dir() / "sources" / "russia-recruitment-2026-01.ttl"
#: Length of the source text in code points, as /work/shared/sources/README.md gives it.
SOURCE_LENGTH = 8046

PREFIXES = """\
@prefix rg: <https://w3id.org/recruitgraph/ontology/> .
@prefix rgv: <https://w3id.org/recruitgraph/vocab/> .
@prefix rgd: <https://w3id.org/recruitgraph/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
"""

#: A well-formed figure with its evidence and passage, which the broken variants start from.
GOOD = PREFIXES + f"""
rgd:fig-test-contracts a rg:Figure ;
    rg:summary "Test figure."@en ;
    rg:measures rgv:qty-contracts-signed ; rg:value 400000 ; rg:comparator rgv:cmp-more-than ;
    rg:unit rgv:unit-person ;
    rg:hasEvidence rgd:fig-test-contracts-ev1 .
rgd:fig-test-contracts-ev1 a rg:Evidence ;
    rg:source {SOURCE} ; rg:passage rgd:test-chars-0-10 ;
    rg:claimDate "2025-12"^^xsd:gYearMonth ; rg:verificationStatus rgv:status-official-unverifiable .
rgd:test-chars-0-10 a rg:Passage , oa:TextPositionSelector ;
    oa:start 0 ; oa:end 10 ; rg:inSource {SOURCE} .
"""


def check(path: Path) -> ValidationReport:
    """Shapes only, on the ontology, the source's metadata and ``path`` (fast: not all of data/)."""
    return validate([SOURCE_FILE], extra_files=[path], reasoner=False)


def write(tmp_path: Path, text: str, name: str = "extra.ttl") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def find(violations: list[Violation], focus: str, shape: str, path: str | None = None) -> Violation:
    hits = [v for v in violations if v.focus_node == focus and v.shape == shape
            and v.severity == "Violation" and (path is None or v.path == path)]
    assert hits, f"no violation of {shape} on {focus}; got {[(v.focus_node, v.shape) for v in violations]}"
    return hits[0]


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ----------------------------------------------------------------------------- shipped data


def test_shipped_data_conforms_and_is_consistent() -> None:
    report = validate()
    assert report.errors == [], report.text()
    assert report.conforms is True
    assert report.consistent is True, report.reasoner_message
    assert report.ok
    names = {Path(f).name for f in report.files}
    assert {"recruitgraph.ttl", "vocab.ttl"} <= names
    assert {p.name for p in config.base_resources().data} <= names


def test_good_record_passes(tmp_path: Path) -> None:
    report = check(write(tmp_path, GOOD))
    assert report.errors == [], report.text()


# -------------------------------------------------------------------------- broken records


@pytest.mark.parametrize(
    ("name", "old", "new", "focus", "shape", "path"),
    [
        ("figure without evidence", "rg:hasEvidence rgd:fig-test-contracts-ev1 .", ".",
         "rgd:fig-test-contracts", "rgsh:ClaimShape", "rg:hasEvidence"),
        ("passage beyond the text", "oa:end 10 ;", f"oa:end {SOURCE_LENGTH + 1} ;",
         "rgd:test-chars-0-10", "rgsh:PassageInsideTextShape", None),
        ("status outside the scheme", "rgv:status-official-unverifiable", "rgv:cmp-about",
         "rgd:fig-test-contracts-ev1", "rgsh:EvidenceShape", "rg:verificationStatus"),
        ("start after end", "oa:start 0 ;", "oa:start 20 ;",
         "rgd:test-chars-0-10", "rgsh:PassageShape", "oa:start"),
        ("figure without unit", "rg:unit rgv:unit-person ;", "",
         "rgd:fig-test-contracts", "rgsh:FigureShape", "rg:unit"),
        ("figure without value", "rg:value 400000 ;", "",
         "rgd:fig-test-contracts", "rgsh:FigureShape", None),
        ("vague comparator with a value", "rgv:cmp-more-than", "rgv:cmp-hundreds",
         "rgd:fig-test-contracts", "rgsh:FigureShape", None),
        ("claim date not a date", '"2025-12"^^xsd:gYearMonth', '"December 2025"',
         "rgd:fig-test-contracts-ev1", "rgsh:EvidenceShape", "rg:claimDate"),
        ("evidence without source", f"rg:source {SOURCE} ;", "",
         "rgd:fig-test-contracts-ev1", "rgsh:EvidenceShape", "rg:source"),
    ],
)
def test_broken_record_is_reported_with_node_shape_and_file(
    tmp_path: Path, name: str, old: str, new: str, focus: str, shape: str, path: str | None
) -> None:
    assert old in GOOD
    broken = write(tmp_path, GOOD.replace(old, new, 1), "broken.ttl")
    report = check(broken)
    assert not report.conforms and not report.ok
    hit = find(report.violations, focus, shape, path)
    assert hit.file == str(broken)
    assert hit.message
    text = report.text()
    assert focus in text and shape in text and str(broken) in text


def test_passage_end_message_names_the_length(tmp_path: Path) -> None:
    broken = write(tmp_path, GOOD.replace("oa:end 10 ;", "oa:end 9000 ;"))
    hit = find(check(broken).violations, "rgd:test-chars-0-10", "rgsh:PassageInsideTextShape")
    assert "9000" in hit.message and str(SOURCE_LENGTH) in hit.message


def test_relation_claim_needs_its_direct_triple(tmp_path: Path) -> None:
    text = PREFIXES + """
rgd:test-a a rg:State ; rdfs:label "A"@en .
rgd:test-b a rg:State ; rdfs:label "B"@en .
rgd:claim-test a rg:RelationClaim ; rg:summary "A sent troops to B."@en ;
    rdf:subject rgd:test-a ; rdf:predicate rg:sentTroopsTo ; rdf:object rgd:test-b ;
    rg:hasEvidence rgd:fig-test-contracts-ev1 .
""" + GOOD.split(PREFIXES, 1)[1]
    hit = find(check(write(tmp_path, text)).violations, "rgd:claim-test", "rgsh:DirectTripleShape")
    assert "missing" in hit.message and "test-a" in hit.message and "sentTroopsTo" in hit.message
    fixed = write(tmp_path, text + "rgd:test-a rg:sentTroopsTo rgd:test-b .\n", "fixed.ttl")
    assert check(fixed).errors == []


def test_pipeline_needs_two_ordered_stages_and_typed_nodes(tmp_path: Path) -> None:
    text = PREFIXES + """
rgd:pipeline-test a rg:Pipeline ; rdfs:label "test pipeline"@en ; rg:hasStage rgd:stage-test-1 .
rgd:stage-test-1 a rg:Stage ; rg:stageOrder 1 ; rg:stageRole rgv:role-origin ;
    rg:stageActor rgd:untyped-thing ; rg:hasEvidence rgd:fig-test-contracts-ev1 .
rgd:untyped-thing rdfs:label "no type"@en .
""" + GOOD.split(PREFIXES, 1)[1]
    report = check(write(tmp_path, text))
    find(report.violations, "rgd:pipeline-test", "rgsh:PipelineShape")
    find(report.violations, "rgd:untyped-thing", "rgsh:TypedShape")


def test_missing_summary_is_a_warning_only(tmp_path: Path) -> None:
    report = check(write(tmp_path, GOOD.replace('rg:summary "Test figure."@en ;', "")))
    assert report.conforms
    assert any(v.severity == "Warning" and v.path == "rg:summary" for v in report.violations)


def test_reasoner_finds_inconsistency(tmp_path: Path) -> None:
    # A claim is never an agent (the ontology declares them disjoint).
    clash = write(tmp_path, GOOD + "rgd:fig-test-contracts a rg:Person .\n")
    report = validate([SOURCE_FILE], extra_files=[clash])
    assert report.consistent is False
    assert not report.ok
    assert "inconsistent" in report.text().lower()


def test_check_graph_is_shapes_only(tmp_path: Path) -> None:
    from rdflib import Graph

    broken = write(tmp_path, GOOD.replace("rg:unit rgv:unit-person ;", ""))
    report = check_graph(Graph().parse(broken), files=[broken])
    assert report.consistent is None and not report.conforms
    assert find(report.violations, "rgd:fig-test-contracts", "rgsh:FigureShape").file == str(broken)
    # the graph must hold what its records point to (here the source's metadata)
    lone = Graph().parse(write(tmp_path, GOOD, "good.ttl"))
    assert not check_graph(lone).conforms
    assert check_graph(lone + Graph().parse(SOURCE_FILE)).conforms


# ---------------------------------------------------------------------------------- errors


def test_unparsable_file_names_file_and_line(tmp_path: Path) -> None:
    bad = write(tmp_path, PREFIXES + "rgd:x a rg:Figure ;\n  rg:value 12 12 .\n", "bad.ttl")
    with pytest.raises(InputError) as info:
        validate(extra_files=[bad], reasoner=False)
    assert f"{bad}:9:" in str(info.value)


def test_missing_java_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a directory without java
    with pytest.raises(ConfigError, match="Java"):
        validate()


# ------------------------------------------------------------------------------------- CLI


def test_cli_exit_0_when_valid() -> None:
    code, out, err = run_cli("validate")
    assert code == 0, out + err
    assert "SHACL shapes: conforms" in out and "consistent" in out


def test_cli_exit_1_with_violations_as_json(tmp_path: Path) -> None:
    broken = write(tmp_path, GOOD.replace("rg:hasEvidence rgd:fig-test-contracts-ev1 .", "."))
    code, out, _ = run_cli("validate", "--no-reasoner", "--format", "json", str(broken))
    assert code == 1
    data = json.loads(out)
    assert data["conforms"] is False and data["consistent"] is None
    assert any(v["focus_node"] == "rgd:fig-test-contracts" and v["shape"] == "rgsh:ClaimShape"
               and v["file"] == str(broken) for v in data["violations"])


def test_cli_exit_1_when_inconsistent(tmp_path: Path) -> None:
    clash = write(tmp_path, GOOD + "rgd:fig-test-contracts a rg:Person .\n")
    code, out, _ = run_cli("validate", str(clash))
    assert code == 1
    assert "INCONSISTENT" in out


def test_cli_exit_2_on_errors(tmp_path: Path) -> None:
    bad = write(tmp_path, "this is not turtle\n", "bad.ttl")
    code, _, err = run_cli("validate", "--no-reasoner", str(bad))
    assert code == 2
    assert str(bad) in err and ":1:" in err
    code, _, err = run_cli("validate", "--no-reasoner", str(tmp_path / "missing.ttl"))
    assert code == 2 and "missing.ttl" in err
    code, _, err = run_cli("validate", "--format", "xml")
    assert code == 2 and "format" in err


# ---------------------------------------------------------------------------------- docs


def test_model_doc_example_matches_the_data(source_text: str) -> None:
    """The worked example of docs/model.md is real: its triples are in the data, it conforms,
    and its passage holds the figure as the source writes it."""
    import re

    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    doc = (config.project_root() / "docs" / "model.md").read_text(encoding="utf-8")
    block = re.search(r"```turtle\n(.*?)```", doc, re.S)
    assert block
    example = Graph().parse(data=block.group(1), format="turtle")
    data = Graph()
    for path in config.base_resources().data:
        data.parse(path)
    missing = [t for t in example if t not in data]
    assert missing == []
    passage = URIRef("https://w3id.org/recruitgraph/id/russia-recruitment-2026-01-chars-2851-2994")
    assert (passage, RDF.type, URIRef("http://www.w3.org/ns/oa#TextPositionSelector")) in example
    sentence = source_text[2851:2994]
    assert "more than 400,000 people signed military contracts" in sentence
    assert sentence.startswith("Putin said in December")
