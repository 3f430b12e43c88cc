"""The synthetic dataset: deterministic, of the size asked, valid against the shapes."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from recruitgraph import config, synth
from recruitgraph.exc import ConfigError
from recruitgraph.namespaces import RG, RGD, RGV

SMALL = 12_000


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    path = tmp_path_factory.mktemp("synth") / "small.nt"
    synth.generate_file(path, triples=SMALL, seed=7)
    return Graph().parse(path, format="nt")


def test_same_size_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    synth.generate_file(a, triples=30_000, seed=42)
    synth.generate_file(b, triples=30_000, seed=42)
    synth.generate_file(c, triples=30_000, seed=43)
    assert _sha256(a) == _sha256(b)
    assert _sha256(a) != _sha256(c)


@pytest.mark.parametrize("n", [SMALL, 50_000, 200_000])
def test_size_is_within_two_percent_and_has_no_duplicates(tmp_path: Path, n: int) -> None:
    path = tmp_path / "s.nt"
    written = synth.generate_file(path, triples=n, seed=1)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert written == len(lines)
    assert abs(written - n) <= 0.02 * n
    assert len(set(lines)) == len(lines)  # a store would silently drop duplicates


def test_turtle_and_ntriples_hold_the_same_graph(tmp_path: Path) -> None:
    synth.generate_file(tmp_path / "s.ttl", triples=SMALL, seed=3)
    synth.generate_file(tmp_path / "s.nt", triples=SMALL, seed=3)
    ttl = Graph().parse(tmp_path / "s.ttl", format="turtle")
    nt = Graph().parse(tmp_path / "s.nt", format="nt")
    assert len(ttl) == len(nt) > SMALL * 0.98
    assert set(ttl) == set(nt)


def test_too_small_a_size_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="--triples 100"):
        synth.generate(io.StringIO(), triples=100)
    with pytest.raises(ConfigError, match="--triples 0"):
        synth.generate(io.StringIO(), triples=0)


def test_recruits_are_pseudonymous_records_with_the_register_fields(small_graph: Graph) -> None:
    recruits = set(small_graph.subjects(RDF.type, RG.Recruit))
    assert len(recruits) > 200
    statuses = set()
    for r in recruits:
        assert re.fullmatch(r"https://w3id.org/recruitgraph/id/synth-recruit-\d{6}", str(r))
        for p in (RG.nationality, RG.cohort, RG.recruitedThrough, RG.region, RG.contractDate):
            assert small_graph.value(r, p) is not None, (r, p)
        statuses.add(small_graph.value(r, RG.serviceStatus))
        # no names: the only label says it is a synthetic record
        labels = list(small_graph.objects(r, RDFS.label))
        assert all("Synthetic recruit record" in str(x) for x in labels)
    assert statuses == {
        RGV[f"service-{s}"] for s in ("serving", "killed", "wounded", "pow", "deserted")
    }


def test_about_forty_countries_and_eighty_five_synthetic_regions(small_graph: Graph) -> None:
    countries = {o for o in small_graph.objects(None, RG.iso3166Alpha2)}
    assert 38 <= len(countries) <= 45
    regions = set(small_graph.subjects(RDF.type, RG.Region))
    assert len(regions) == synth.N_REGIONS == 85
    for r in regions:
        assert str(small_graph.value(r, RDFS.label)).startswith("Synthetic region ")


def test_networks_are_tied_to_origin_countries(small_graph: Graph) -> None:
    for net in small_graph.subjects(RG.recruits, None):
        country = small_graph.value(net, RG.country)
        assert country is not None and (country, RDF.type, RG.CountryOfOrigin) in small_graph
    for rec, net in small_graph.subject_objects(RG.recruitedByNetwork):
        assert small_graph.value(rec, RG.nationality) == small_graph.value(net, RG.country)


def test_every_passage_lies_inside_its_source(small_graph: Graph) -> None:
    figures = set(small_graph.subjects(RDF.type, RG.Figure))
    assert figures
    for fig in figures:
        ev = small_graph.value(fig, RG.hasEvidence)
        passage = small_graph.value(ev, RG.passage)
        source = small_graph.value(ev, RG.source)
        assert small_graph.value(passage, RG.inSource) == source
        start = small_graph.value(passage, URIRef("http://www.w3.org/ns/oa#start")).toPython()
        end = small_graph.value(passage, URIRef("http://www.w3.org/ns/oa#end")).toPython()
        chars = small_graph.value(source, RG.characterCount).toPython()
        assert 0 <= start < end <= chars
        assert len(str(small_graph.value(source, RG.sha256))) == 64
        assert small_graph.value(ev, RG.verificationStatus) is not None
    assert all(str(s).startswith(str(RGD) + "synth-") for s in small_graph.subjects())
    assert (None, RG.value, Literal(0)) not in small_graph


def test_every_term_used_is_declared_in_the_ontology(small_graph: Graph) -> None:
    onto = Graph()
    for path in config.base_resources().ontology:
        onto.parse(path)
    declared = {str(s) for s in onto.subjects()}
    used = {str(t) for triple in small_graph for t in triple if isinstance(t, URIRef)}
    ours = {t for t in used if t.startswith((str(RG), str(RGV)))}
    missing = sorted(ours - declared)
    assert not missing, (
        f"terms not declared in ontology/ (see ontology/TERM-REQUESTS.md): {missing}"
    )


def test_conforms_to_the_shapes(small_graph: Graph) -> None:
    shapes = config.shapes_file()
    assert shapes.is_file(), shapes
    try:
        from recruitgraph.validation import check_graph
    except ImportError:
        check_graph = None
    if check_graph is not None:
        report = check_graph(small_graph)
        assert report.conforms, getattr(report, "text", report)
        return
    import pyshacl

    onto = Graph()
    for path in config.base_resources().ontology:
        onto.parse(path)
    conforms, _, text = pyshacl.validate(
        small_graph, shacl_graph=Graph().parse(shapes), ont_graph=onto, inference="rdfs"
    )
    assert conforms, text


def test_cli_writes_the_file(tmp_path: Path) -> None:
    from recruitgraph.cli import main

    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "cli.nt"
    code = main(
        ["synth", "--triples", "8000", "--seed", "5", "-o", str(target)], stdout=out, stderr=err
    )
    assert code == 0, err.getvalue()
    direct = tmp_path / "direct.nt"
    synth.generate_file(direct, triples=8000, seed=5)
    assert _sha256(target) == _sha256(direct)
    assert "triples" in err.getvalue()
    code = main(["synth", "--triples", "-5", "-o", str(target)], stdout=out, stderr=err)
    assert code == 2
    assert "--triples -5" in err.getvalue()
