"""extract: a draft claims file for a person to confirm; nothing enters the graph."""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from recruitgraph.cli import main
from recruitgraph.extract import extract, render_yaml
from recruitgraph.namespaces import RG, RGD
from support import missing

ROOT = Path(__file__).resolve().parents[1]

# An invented text (not from any source): written for this test only.
TEXT = (
    "Sample Heading\n"
    "The Ministry of Examples said more than 1,200 volunteers joined in 2025.\n"
    "Officials reportedly paid roughly $9,500 to each recruit, according to the Example Group.\n"
    "Tens of thousands left, and about 1 million people stayed in 12 countries.\n"
)


def _graph() -> Graph:
    g = Graph()
    g.add((RGD["example-group"], RDF.type, RG.ActivistGroup))
    g.add((RGD["example-group"], RDFS.label, Literal("Example Group", lang="en")))
    g.add((RGD["example-group"], SKOS.altLabel, Literal("EG", lang="en")))
    return g


def test_numbers_carry_qualifier_unit_and_sentence() -> None:
    draft = extract(TEXT, graph=_graph())
    got = {(n.value, n.comparator, n.unit) for n in draft.numbers if not n.is_year}
    assert (Decimal(1200), "more-than", "person") in got
    assert (Decimal(9500), "roughly", "usd") in got
    assert (Decimal(1000000), "about", "person") in got
    assert (Decimal(12), "exactly", "country") in got
    assert (None, "tens-of-thousands", None) in got
    assert [n.text for n in draft.numbers if n.is_year] == ["2025"]
    n = next(n for n in draft.numbers if n.value == 1200)
    s, e = n.sentence
    assert TEXT[s:e] == "The Ministry of Examples said more than 1,200 volunteers joined in 2025."


def test_known_entities_new_names_and_hedges() -> None:
    draft = extract(TEXT, graph=_graph())
    assert [m.iri for m in draft.known] == [RGD["example-group"]]
    assert "Ministry of Examples" in [c.name for c in draft.candidates]
    assert "Sample Heading" not in [c.name for c in draft.candidates]
    hedges = {TEXT[s:e]: hits for (s, e), hits in draft.hedged}
    officials = (
        "Officials reportedly paid roughly $9,500 to each recruit, according to the Example Group."
    )
    assert {"reportedly", "according to"} <= set(hedges[officials])


def test_draft_is_valid_yaml_and_unconfirmed() -> None:
    doc = yaml.safe_load(render_yaml(extract(TEXT, source_id="sample", graph=_graph())))
    assert doc["source"] == "sample"
    assert doc["claims"] and all(c["confirmed"] is False for c in doc["claims"])
    assert {"id": "example-group", "name": "Example Group", "times": 1} in doc["mentions"]
    alleged = [c for c in doc["claims"] if c.get("figure", {}).get("value") == 9500]
    assert alleged[0]["status"] == "alleged"


def test_cli_writes_a_draft_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECRUITGRAPH_DATA_DIR", str(tmp_path / "store"))
    text = tmp_path / "sample.txt"
    text.write_text(TEXT, encoding="utf-8")
    before = sorted(p.name for p in (ROOT / "data").rglob("*"))
    out, err = io.StringIO(), io.StringIO()
    code = main(["extract", str(text), "-o", str(tmp_path / "draft.yaml")], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert "confirmed: false" in (tmp_path / "draft.yaml").read_text(encoding="utf-8")
    assert sorted(p.name for p in (ROOT / "data").rglob("*")) == before


def test_bench_reports_recall_above_floor() -> None:
    claims = ROOT / "data" / "claims" / "russia-recruitment-2026-01.yaml"
    assert claims.is_file(), claims
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "extract_quality.py"), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 3:
        missing(proc.stderr.strip())
    assert proc.returncode == 0, proc.stderr
    import json

    result = json.loads(proc.stdout)
    assert result["figures"]["recall"] >= RECALL_FLOOR_FIGURES
    assert result["entities_new_source"]["recall"] >= RECALL_FLOOR_ENTITIES
    assert result["entities_known"]["recall"] >= RECALL_FLOOR_KNOWN


# Floors just under what was measured on the first source (bench/extract_quality.py: figures
# 100%, entities 20.8% as a new source and 34.9% once known; most of the 106 entities are
# cohorts, channels and incentives labelled in our own words, which no name matcher finds).
RECALL_FLOOR_FIGURES = 0.95
RECALL_FLOOR_ENTITIES = 0.18
RECALL_FLOOR_KNOWN = 0.3
