"""source add / source list: registering a text by hash, keeping it outside the repository."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDFS, XSD

from recruitgraph.namespaces import RG, RGD
from support import run_cli as run

ROOT = Path(__file__).resolve().parents[1]
TEXT = "A short invented test report.\nIt says “nothing” of interest — twice.\n"




@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    shutil.copytree(ROOT / "ontology", home / "ontology")
    (home / "data").mkdir()
    monkeypatch.setenv("RECRUITGRAPH_HOME", str(home))
    monkeypatch.setenv("RECRUITGRAPH_SOURCES", str(tmp_path / "texts"))
    monkeypatch.setenv("RECRUITGRAPH_DATA_DIR", str(tmp_path / "store"))
    return tmp_path


def test_add_writes_metadata_and_keeps_text_outside(env: Path) -> None:
    report = env / "inbox" / "test-report.txt"
    report.parent.mkdir()
    report.write_text(TEXT, encoding="utf-8")
    code, out, err = run(
        "source",
        "add",
        str(report),
        "--title",
        "A test report",
        "--publisher",
        "Example News",
        "--date",
        "2026-02-17",
        "--date-precision",
        "month",
        "--inferred",
        "date",
        "--title-inferred",
    )
    assert code == 0, err
    meta = env / "home" / "data" / "sources" / "test-report.ttl"
    g = Graph().parse(meta)
    s = RGD["test-report"]
    assert g.value(s, RG.sha256) == Literal(hashlib.sha256(TEXT.encode("utf-8")).hexdigest())
    assert g.value(s, RG.characterCount) == Literal(len(TEXT))
    assert g.value(s, DCTERMS.issued) == Literal("2026-02", datatype=XSD.gYearMonth)
    assert g.value(s, RG.dateInferred) == Literal(True)
    assert g.value(s, RG.titleAssigned) == Literal(True)
    assert g.value(s, RG.publisherInferred) is None
    assert g.value(RGD["example-news"], RDFS.label) == Literal("Example News", lang="en")
    assert TEXT not in meta.read_text(encoding="utf-8")
    assert (env / "texts" / "test-report.txt").read_text(encoding="utf-8") == TEXT

    code, out, _ = run("source", "list")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("test-report"))
    assert "present" in row and hashlib.sha256(TEXT.encode()).hexdigest()[:12] in row
    (env / "texts" / "test-report.txt").unlink()
    _, out, _ = run("source", "list")
    assert "absent" in next(line for line in out.splitlines() if line.startswith("test-report"))


def test_bad_input_is_a_clear_error(env: Path) -> None:
    code, _, err = run("source", "add", str(env / "missing.txt"), "--title", "x")
    assert code == 2 and "missing.txt: no such file" in err
    bad = env / "Bad Name.txt"
    bad.write_text("x", encoding="utf-8")
    code, _, err = run("source", "add", str(bad), "--title", "x")
    assert code == 2 and "kebab-case" in err
    code, _, err = run(
        "source", "add", str(bad), "--id", "ok-id", "--title", "x", "--date", "Jan 2026"
    )
    assert code == 2 and "YYYY-MM" in err


def test_read_only_data_dir_is_reported(env: Path, make_read_only: Callable[[Path], None]) -> None:
    report = env / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    make_read_only(env / "home" / "data")
    code, _, err = run("source", "add", str(report), "--title", "x")
    assert code == 2 and "read-only" in err.lower()


def test_first_source_metadata_matches_its_readme() -> None:
    g = Graph().parse(ROOT / "data" / "sources" / "russia-recruitment-2026-01.ttl")
    s = RGD["russia-recruitment-2026-01"]
    assert (
        str(g.value(s, RG.sha256))
        == "14f5a33d76afc91d10fdd85ce8cf54228f86c4a381760fc65bb3cd8a8e8858a5"
    )
    assert int(g.value(s, RG.characterCount)) == 8046
    assert g.value(s, DCTERMS.publisher) == RGD["associated-press"]
    assert g.value(s, RG.publisherInferred) == Literal(True)
    assert g.value(s, DCTERMS.issued) == Literal("2026-01", datatype=XSD.gYearMonth)
