"""release: export files and a VoID/DCAT description, byte-identical for the same data."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID

from recruitgraph.cli import main
from recruitgraph.sources import load_base_graph

ROOT = Path(__file__).resolve().parents[1]
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
SPDX = Namespace("http://spdx.org/rdf/terms#")


@pytest.fixture
def releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("RECRUITGRAPH_DATA_DIR", str(tmp_path / "store"))
    a, b = tmp_path / "a", tmp_path / "b"
    for target in (a, b):
        out, err = io.StringIO(), io.StringIO()
        assert main(["release", "-o", str(target)], stdout=out, stderr=err) == 0, err.getvalue()
    return a, b


def test_two_releases_are_byte_identical(releases: tuple[Path, Path]) -> None:
    a, b = releases
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert {Path(n).suffix for n in names} == {".ttl", ".nt", ".nq", ".trig", ".jsonld"}
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_description_counts_checksums_and_licence(releases: tuple[Path, Path]) -> None:
    a, _ = releases
    void = Graph().parse(a / "void.ttl")
    [ds] = list(void.subjects(RDF.type, VOID.Dataset))
    assert (ds, RDF.type, DCAT.Dataset) in void
    base = load_base_graph()
    onto = next(base.subjects(RDF.type, OWL.Ontology))
    assert void.value(ds, OWL.versionInfo) == base.value(onto, OWL.versionInfo)
    assert void.value(ds, DCTERMS.issued) == base.value(onto, DCTERMS.modified)
    assert void.value(ds, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    nt = next(a.glob("*.nt"))
    assert int(void.value(ds, VOID.triples)) == len(Graph().parse(nt, format="nt"))
    # the named graphs partition the data: their sizes add up to the dataset's
    subsets = list(void.objects(ds, VOID.subset))
    assert URIRef("https://w3id.org/recruitgraph/graph/russia-recruitment-2026-01") in subsets
    assert sum(int(void.value(g, VOID.triples)) for g in subsets) == int(void.value(ds, VOID.triples))
    assert void.value(URIRef("https://w3id.org/recruitgraph/graph/russia-recruitment-2026-01"),
                      DCTERMS.source) == URIRef("https://w3id.org/recruitgraph/id/russia-recruitment-2026-01")
    assert (
        ds,
        DCTERMS.source,
        URIRef("https://w3id.org/recruitgraph/id/russia-recruitment-2026-01"),
    ) in void
    dists = list(void.objects(ds, DCAT.distribution))
    assert len(dists) == 5
    for dist in dists:
        path = a / str(void.value(dist, DCTERMS.identifier))
        checksum = void.value(dist, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        assert int(void.value(dist, DCAT.byteSize)) == path.stat().st_size
        assert void.value(dist, DCTERMS.license) == CC_BY


def test_server_and_release_share_the_description_builder(releases: tuple[Path, Path]) -> None:
    """The server's /downloads/void.ttl comes from the same builder: same licence, version and
    issue date as the release, and checksums of the bytes it serves."""
    import recruitgraph
    from recruitgraph.server import sitedata

    a, _ = releases
    release_void = Graph().parse(a / "void.ttl")
    [rds] = list(release_void.subjects(RDF.type, VOID.Dataset))
    kg = recruitgraph.open(memory=True)
    try:
        files = sitedata.downloads(kg)
        served = Graph().parse(
            data=sitedata.void_description(kg, "http://127.0.0.1:8080", files), format="turtle"
        )
    finally:
        kg.close()
    [sds] = list(served.subjects(RDF.type, VOID.Dataset))
    for prop in (DCTERMS.license, OWL.versionInfo, DCTERMS.issued):
        assert served.value(sds, prop) == release_void.value(rds, prop), prop
    assert served.value(sds, DCTERMS.license) == CC_BY
    assert (None, DCTERMS.license, URIRef("https://opensource.org/license/mit")) not in served
    for name, item in files.items():
        dist = URIRef(f"http://127.0.0.1:8080/downloads/{name}")
        checksum = served.value(dist, SPDX.checksum)
        assert str(served.value(checksum, SPDX.checksumValue)) == hashlib.sha256(
            item.data
        ).hexdigest()


def test_release_refuses_when_a_source_text_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECRUITGRAPH_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("RECRUITGRAPH_SOURCES", str(tmp_path / "no-texts"))
    out, err = io.StringIO(), io.StringIO()
    code = main(["release", "-o", str(tmp_path / "dist")], stdout=out, stderr=err)
    assert code == 2
    assert "russia-recruitment-2026-01" in err.getvalue()
    assert str(tmp_path / "no-texts") in err.getvalue()
    assert not (tmp_path / "dist").exists()  # nothing written


def test_citation_and_changelog_match_the_ontology_version() -> None:
    import yaml

    base = load_base_graph()
    onto = next(base.subjects(RDF.type, OWL.Ontology))
    version = str(base.value(onto, OWL.versionInfo))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert str(citation["version"]) == version
    assert citation["license"] == "CC-BY-4.0"
    assert f"## [{version}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
