"""The edges of ``recruitgraph.validation``: the reasoner's three outcomes with their exact
messages, and how a report names shapes and values it did not expect (blank shapes, typed
literals, blank nodes), the shapes file read and refused, and the file a subject belongs to.
Small graphs, so that each test runs in seconds."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from recruitgraph import config, validation
from recruitgraph.exc import ConfigError, InputError
from recruitgraph.validation import validate

SOURCE_FILE = config.data_dir() / "sources" / "russia-recruitment-2026-01.ttl"
EX = Namespace("http://example.org/shapes#")
GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extra.ttl"
    path.write_text(text, encoding="utf-8")
    return path


CLASH = """\
@prefix rg: <https://w3id.org/recruitgraph/ontology/> .
@prefix rgd: <https://w3id.org/recruitgraph/id/> .
rgd:test-clash a rg:Figure , rg:Person .
"""


# ------------------------------------------------------------------------------- reasoner


def test_missing_java_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a directory without java
    with pytest.raises(ConfigError) as info:
        validate([SOURCE_FILE])
    assert str(info.value) == (
        "the HermiT reasoner needs Java, and no `java` was found on PATH: install a Java runtime "
        "(e.g. apt-get install default-jre-headless) or run with --no-reasoner")


def test_an_inconsistent_graph_gets_the_reasoners_verdict(tmp_path: Path) -> None:
    # the ontology declares claims and agents disjoint: one node cannot be both
    report = validate([SOURCE_FILE], extra_files=[write(tmp_path, CLASH)])
    assert report.consistent is False
    assert report.reasoner_message == "HermiT: the ontology together with the data is inconsistent"
    assert "reasoner" in report.seconds


def test_a_consistent_graph_has_no_message(tmp_path: Path) -> None:
    report = validate([SOURCE_FILE])
    assert (report.consistent, report.reasoner_message) == (True, None)


def test_a_java_that_fails_is_reported_by_its_last_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A JVM that cannot start (a heap far too small) is a configuration error that quotes the
    last line the JVM printed (the test reads it from the same java, run directly)."""
    import owlready2.reasoning

    monkeypatch.setattr(owlready2.reasoning, "JAVA_MEMORY", 1)
    jvm = subprocess.run(["java", "-Xmx1M", "-version"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    lines = jvm.stdout.strip().splitlines()
    assert jvm.returncode != 0 and len(lines) >= 2 and lines[-1] != lines[-2]
    with pytest.raises(ConfigError) as info:
        validate([SOURCE_FILE])
    assert str(info.value) == f"the HermiT reasoner failed: {lines[-1]}"


def test_the_reasoner_keeps_the_terminal_clean(capfd: pytest.CaptureFixture[str]) -> None:
    validate([SOURCE_FILE])
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


# ---------------------------------------------------------------------------- report names


def shapes_graph() -> tuple[Graph, URIRef, BNode, BNode]:
    """A named shape with a blank property shape, and a blank shape held only in a list."""
    g = Graph()
    g.bind("ex", EX)
    named, prop, listed = EX.PersonShape, BNode(), BNode()
    g.add((named, RDF.type, SH.NodeShape))
    g.add((named, SH.property, prop))
    g.add((prop, SH.path, EX.name))
    head = BNode()
    Collection(g, head, [listed])
    g.add((named, SH["or"], head))
    g.add((listed, SH.path, EX.alias))
    return g, named, prop, listed


def test_a_blank_property_shape_is_named_by_its_parent() -> None:
    g, named, prop, _ = shapes_graph()
    assert validation._shape_name(g, named) == "ex:PersonShape"
    assert validation._shape_name(g, prop) == "ex:PersonShape"


def test_a_blank_shape_that_is_no_property_is_anonymous() -> None:
    # held in an sh:or list: it has a parent node, but not by sh:property
    g, _, _, listed = shapes_graph()
    assert validation._shape_name(g, listed) == "(anonymous shape)"
    assert validation._shape_name(g, BNode()) == "(anonymous shape)"
    assert validation._shape_name(g, None) == "(unknown shape)"


def test_values_are_written_short_with_the_graphs_prefixes() -> None:
    g = Graph()
    g.bind("ex", EX)
    assert validation._short(g, EX.a) == "ex:a"
    assert validation._short(g, URIRef("urn:x:1")) == "<urn:x:1>"
    assert validation._short(g, Literal("2024", datatype=GYEAR)) == '"2024"^^xsd:gYear'
    assert validation._short(g, Literal("plain")) == '"plain"'
    assert validation._short(g, BNode("b7")) == "_:b7"
    assert validation._short(g, None) is None


# ------------------------------------------------------------------- graphs and timings


GOOD_FIGURE = """\
@prefix rg: <https://w3id.org/recruitgraph/ontology/> .
@prefix rgv: <https://w3id.org/recruitgraph/vocab/> .
@prefix rgd: <https://w3id.org/recruitgraph/id/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
rgd:fig-edge a rg:Figure ;
    rg:summary "Edge figure."@en ;
    rg:measures rgv:qty-contracts-signed ; rg:value 400000 ; rg:comparator rgv:cmp-more-than ;
    rg:unit rgv:unit-person ;
    rg:hasEvidence rgd:fig-edge-ev1 .
rgd:fig-edge-ev1 a rg:Evidence ;
    rg:source rgd:russia-recruitment-2026-01 ; rg:passage rgd:edge-chars-0-10 ;
    rg:claimDate "2025-12"^^xsd:gYearMonth ; rg:verificationStatus rgv:status-official-unverifiable .
rgd:edge-chars-0-10 a rg:Passage , oa:TextPositionSelector ;
    oa:start 0 ; oa:end 10 ; rg:inSource rgd:russia-recruitment-2026-01 .
"""


def test_a_graph_in_memory_is_checked_on_top_of_the_files() -> None:
    files_only = validate([SOURCE_FILE], reasoner=False)
    good = Graph().parse(data=GOOD_FIGURE, format="turtle")
    report = validate([SOURCE_FILE], graph=good, reasoner=False)
    assert report.conforms
    # the graph's triples are added to the files' (the figure is new to both)
    assert report.triples == files_only.triples + len(good)
    broken = Graph().parse(data=GOOD_FIGURE.replace("rg:unit rgv:unit-person ;", ""), format="turtle")
    report = validate([SOURCE_FILE], graph=broken, reasoner=False)
    assert not report.conforms
    assert {(v.focus_node, v.shape) for v in report.errors} == {("rgd:fig-edge", "rgsh:FigureShape")}


def test_the_report_times_each_step_it_ran() -> None:
    started = time.perf_counter()
    report = validate([SOURCE_FILE], reasoner=False)
    wall = time.perf_counter() - started
    assert set(report.seconds) == {"parse", "shacl"}
    assert all(0 <= s <= wall for s in report.seconds.values())
    started = time.perf_counter()
    report = validate([SOURCE_FILE])
    wall = time.perf_counter() - started
    assert set(report.seconds) == {"parse", "shacl", "reasoner"}
    assert all(0 <= s <= wall for s in report.seconds.values())


def test_only_the_files_given_are_checked_and_without_the_reasoner_nothing_is_said_of_it() -> None:
    report = validate([SOURCE_FILE], reasoner=False)
    assert report.files == ["data/sources/russia-recruitment-2026-01.ttl"]
    assert (report.consistent, report.reasoner_message) == (None, None)


# ------------------------------------------------------------------ shapes file and owners


def test_the_shapes_file_is_read_as_turtle_whatever_its_name(tmp_path: Path) -> None:
    # ".nt" would make rdflib guess N-Triples, which has no prefixes
    path = tmp_path / "shapes.nt"
    path.write_text("@prefix ex: <http://example.org/> .\nex:S a ex:Shape .\n", encoding="utf-8")
    assert set(validation._parse_shapes(path)) == {
        (URIRef("http://example.org/S"), RDF.type, URIRef("http://example.org/Shape"))
    }


def test_a_missing_or_broken_shapes_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "shapes.ttl"
    with pytest.raises(ConfigError) as info:
        validation._parse_shapes(missing)
    assert str(info.value) == f"{missing}: shapes file not found"
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        validation._parse_shapes(broken)
    assert str(err.value).startswith(f"{broken}: at line 2 of <>:\nBad syntax (objectList expected)")


def test_a_subject_belongs_to_the_file_that_types_it_else_to_the_first_that_names_it(tmp_path: Path) -> None:
    mentions, types = tmp_path / "a-mentions.ttl", tmp_path / "b-types.ttl"
    ex = Namespace("http://example.org/")
    first, second = Graph(), Graph()
    first.add((ex.typed, ex.p, Literal(1)))
    first.add((ex.untyped, ex.p, Literal(2)))
    second.add((ex.typed, RDF.type, ex.C))
    second.add((ex.untyped, ex.p, Literal(3)))
    owners = validation._owner_index({mentions: first, types: second})
    assert owners == {ex.typed: str(types), ex.untyped: str(mentions)}


# ------------------------------------------------------------------------ SHACL, in small


#: shapes files with their own names for the project's namespaces
HEADER = """\
@prefix mine: <https://w3id.org/recruitgraph/shapes/> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix onto: <https://w3id.org/recruitgraph/ontology/> .
"""
RENAMED = HEADER + """\
mine:Summarised a sh:NodeShape ;
    sh:targetNode <https://w3id.org/recruitgraph/id/test-node> ;
    sh:property [ sh:path onto:summary ; sh:minCount 1 ] .
"""
#: a shape that reaches, through sh:node, a shape whose only check is a warning
NESTED = HEADER + """\
mine:Outer a sh:NodeShape ;
    sh:targetNode <https://w3id.org/recruitgraph/id/test-node> ;
    sh:node mine:Inner .
mine:Inner a sh:NodeShape ;
    sh:property [ sh:path onto:summary ; sh:minCount 1 ; sh:severity sh:Warning ] .
"""
NODE = "@prefix ids: <https://w3id.org/recruitgraph/id/> .\nids:test-node ids:p 1 .\n"


def shacl(shapes: str) -> tuple[bool, list[validation.Violation]]:
    """_run_shacl on NODE against ``shapes`` (Turtle), with no file owning anything."""
    return validation._run_shacl(
        Graph().parse(data=NODE, format="turtle"), Graph().parse(data=shapes, format="turtle"), {}
    )


def test_a_report_names_things_with_the_projects_prefixes_whatever_the_files_call_them() -> None:
    """Shapes, paths, focus nodes and components, in the report's fields and in pyshacl's
    messages alike (before, a name pyshacl had written once kept the file's prefix)."""
    conforms, found = shacl(RENAMED)
    assert not conforms
    assert [(v.focus_node, v.shape, v.path, v.value, v.component, v.message) for v in found] == [
        ("rgd:test-node", "rgsh:Summarised", "rg:summary", None, "sh:MinCountConstraintComponent",
         "Less than 1 values on rgd:test-node->rg:summary")
    ]


def test_a_value_that_breaks_a_nested_shape_only_with_a_warning_does_not_conform_to_it() -> None:
    """SHACL: a value conforms to a shape when checking it gives no results, whatever their
    severity; so the outer shape's sh:node reports a violation, followed by the warning it
    comes from (pyshacl's sh:detail)."""
    conforms, found = shacl(NESTED)
    assert not conforms
    assert [(v.focus_node, v.shape, v.value, v.component, v.severity) for v in found] == [
        ("rgd:test-node", "rgsh:Outer", "rgd:test-node", "sh:NodeConstraintComponent", "Violation"),
        ("rgd:test-node", "rgsh:Inner", None, "sh:MinCountConstraintComponent", "Warning"),
    ]
    # pyshacl's own message names the inner shape with the project's prefix as well
    assert found[0].message == "Value does not conform to Shape rgsh:Inner. See details for more information."


def test_a_shape_with_several_messages_gives_them_all_the_longest_first() -> None:
    shapes = RENAMED.replace(
        "sh:minCount 1 ]", 'sh:minCount 1 ; sh:message "Needs a summary"@en , "A summary is missing"@en ]'
    )
    _, found = shacl(shapes)
    assert [v.message for v in found] == ["A summary is missing; Needs a summary"]


def test_a_result_without_a_message_says_so() -> None:
    """A SPARQL constraint without sh:message: pyshacl gives its results no message."""
    shapes = HEADER + """\
mine:Sparql a sh:NodeShape ;
    sh:targetNode <https://w3id.org/recruitgraph/id/test-node> ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
"""
    _, found = shacl(shapes)
    assert [(v.shape, v.component, v.message) for v in found] == [
        ("rgsh:Sparql", "sh:SPARQLConstraintComponent", "(no message)")
    ]


def test_a_severity_of_its_own_counts_as_a_violation() -> None:
    """SHACL lets a shape name any severity; one the report does not know fails the check."""
    shapes = RENAMED.replace("sh:minCount 1 ]", "sh:minCount 1 ; sh:severity mine:Critical ]")
    conforms, found = shacl(shapes)
    assert not conforms
    assert [(v.shape, v.severity) for v in found] == [("rgsh:Summarised", "Violation")]


def test_results_are_ordered_violations_first_then_by_file_node_shape_and_path() -> None:
    """A result whose node no file owns comes before those of files, and one without a path
    before those with one (an absolute path and a bracketed IRI sort before letters)."""
    shapes = HEADER + """\
mine:Kinds a sh:NodeShape ;
    sh:targetNode <https://w3id.org/recruitgraph/id/test-a> , <https://w3id.org/recruitgraph/id/test-z> ;
    sh:nodeKind sh:BlankNode ;
    sh:property [ sh:path <http://example.org/unbound#p> ; sh:minCount 1 ] ;
    sh:property [ sh:path onto:summary ; sh:minCount 1 ; sh:severity sh:Warning ] .
"""
    data = Graph().parse(
        data="@prefix ids: <https://w3id.org/recruitgraph/id/> .\nids:test-a ids:p 1 .\nids:test-z ids:p 2 .\n",
        format="turtle",
    )
    owned = URIRef("https://w3id.org/recruitgraph/id/test-a")
    _, found = validation._run_shacl(
        data, Graph().parse(data=shapes, format="turtle"), {owned: "/tmp/extra.ttl"}
    )
    assert [(v.severity, v.file, v.focus_node, v.path) for v in found] == [
        ("Violation", None, "rgd:test-z", None),
        ("Violation", None, "rgd:test-z", "<http://example.org/unbound#p>"),
        ("Violation", "/tmp/extra.ttl", "rgd:test-a", None),
        ("Violation", "/tmp/extra.ttl", "rgd:test-a", "<http://example.org/unbound#p>"),
        ("Warning", None, "rgd:test-z", "rg:summary"),
        ("Warning", "/tmp/extra.ttl", "rgd:test-a", "rg:summary"),
    ]
