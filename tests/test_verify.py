"""verify and show-evidence: passages checked against the source texts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from recruitgraph import config
from recruitgraph.anchoring import write_anchors
from recruitgraph.authoring import compile_claims
from recruitgraph.verify import figure_in_text, value_forms
from support import missing
from support import run_cli as run

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "russia-recruitment-2026-01"

CLAIMS = """\
source: russia-recruitment-2026-01
entities:
  - {id: test-putin, type: Official, label: Vladimir Putin, aliases: [Putin]}
  - {id: test-armed-forces, type: ArmedForces, label: Russian Armed Forces}
claims:
  - id: troops-fighting
    figure: {measures: troops-fighting, value: 700000, comparator: exactly, unit: person,
             about: Russian Armed Forces}
    summary: Putin put the number of Russian troops fighting at 700,000.
    passage: "700,000 Russian troops are currently fighting"
    claimant: Putin
    date: 2025-12
    status: official-unverifiable
  - id: killed-or-wounded
    figure: {measures: killed-or-wounded, value: 1000000, comparator: more-than, unit: person}
    summary: Britain estimated over a million Russian troops killed or wounded.
    passage: "1 million Russian troops may have been killed"
    status: foreign-government-estimate
"""




@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    original = next(
        (
            Path(d) / f"{SOURCE}.txt"
            for d in config.source_dirs()
            if (Path(d) / f"{SOURCE}.txt").is_file()
        ),
        None,
    )
    if original is None:
        missing(f"{SOURCE}.txt not in any source dir (set RECRUITGRAPH_SOURCES)")
    home = tmp_path / "home"
    shutil.copytree(ROOT / "ontology", home / "ontology")
    (home / "data" / "sources").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "sources" / f"{SOURCE}.ttl", home / "data" / "sources")
    (tmp_path / "texts").mkdir()
    shutil.copy(original, tmp_path / "texts")
    monkeypatch.setenv("RECRUITGRAPH_HOME", str(home))
    monkeypatch.setenv("RECRUITGRAPH_SOURCES", str(tmp_path / "texts"))
    claims = home / "data" / "claims" / f"{SOURCE}.yaml"
    claims.parent.mkdir()
    claims.write_text(CLAIMS, encoding="utf-8")
    write_anchors(claims, (tmp_path / "texts" / f"{SOURCE}.txt").read_text(encoding="utf-8"))
    compile_claims(claims)
    return tmp_path


def test_value_forms_cover_how_sources_write_numbers() -> None:
    assert "700,000" in value_forms(700000)
    assert "1 million" in value_forms(1000000)
    assert "5,000" in value_forms(5000)
    assert "two dozen" in value_forms(24)
    assert figure_in_text(2, "That sum exceeds twice the region’s average annual income.")  # noqa: RUF001
    assert figure_in_text(1000000, "more than 1 million Russian troops")
    assert figure_in_text(1600, "averaged just over $1,600 during")
    assert not figure_in_text(700000, "about 1,700,000 people")
    assert not figure_in_text(35, "at least 350 citizens")


def test_verify_passes_on_good_data(env: Path) -> None:
    code, out, _ = run("verify")
    assert code == 0
    assert "checked 1 source text(s)" in out and "2 figure(s): all fine" in out


def test_changed_text_is_reported_not_reanchored(env: Path) -> None:
    path = env / "texts" / f"{SOURCE}.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace("700,000", "800,000", 1), encoding="utf-8"
    )
    code, out, _ = run("verify")
    assert code == 1
    assert f"{SOURCE}: text" in out and "has changed" in out


def test_bad_selector_and_wrong_figure_are_reported(env: Path) -> None:
    ttl = env / "home" / "data" / f"{SOURCE}.ttl"
    text = ttl.read_text(encoding="utf-8")
    source = (env / "texts" / f"{SOURCE}.txt").read_text(encoding="utf-8")
    end = source.index("currently fighting in Ukraine.") + len("currently fighting in Ukraine.")
    assert f"oa:end {end}" in text
    ttl.write_text(
        text.replace("rg:value 700000", "rg:value 710000").replace(
            f"oa:end {end}", "oa:end 9999"
        ),
        encoding="utf-8",
    )
    code, out, _ = run("verify")
    assert code == 1
    assert "outside the text" in out and "9999" in out
    ttl.write_text(text.replace("rg:value 700000", "rg:value 710000"), encoding="utf-8")
    code, out, _ = run("verify")
    assert code == 1 and "value 710000 not found in its passage" in out


def test_show_evidence_prints_passage_or_says_absent(env: Path) -> None:
    code, out, _ = run("show-evidence", "troops-fighting")
    assert code == 0
    text = (env / "texts" / f"{SOURCE}.txt").read_text(encoding="utf-8")
    start = text.index("President Vladimir Putin said at his annual news conference")
    end = text.index("currently fighting in Ukraine.") + len("currently fighting in Ukraine.")
    assert f"chars {start}-{end}" in out
    assert "Vladimir Putin" in out and "official-unverifiable" in out
    assert text[start:end] in out  # the words come from the local copy, not the repository
    assert "claim:    700,000 troops fighting: Russian Armed Forces (Vladimir Putin)" in out
    code, out, _ = run(
        "show-evidence", "rgd:fig-killed-or-wounded", "--sources", str(env / "nowhere")
    )
    assert code == 0 and "text absent" in out
    code, _, err = run("show-evidence", "troops-fightin")
    assert code == 1 and "rgd:fig-troops-fighting" in err


def test_a_fingerprint_that_does_not_match_is_reported(env: Path) -> None:
    ttl = env / "home" / "data" / f"{SOURCE}.ttl"
    text = ttl.read_text(encoding="utf-8")
    recorded = re.findall(r'rg:textFingerprint "([0-9a-f]{8})"', text)
    assert len(recorded) == 2
    ttl.write_text(text.replace(recorded[0], "00000000"), encoding="utf-8")
    code, out, _ = run("verify")
    assert code == 1
    assert "recorded 00000000" in out and "no longer point at the words" in out
    code, out, _ = run("show-evidence", "troops-fighting")
    _, out2, _ = run("show-evidence", "killed-or-wounded")
    assert "does not match its fingerprint 00000000" in out + out2


def test_verify_fails_when_it_finds_no_text(env: Path) -> None:
    nowhere = env / "nowhere"
    nowhere.mkdir()
    code, out, err = run("verify", "--sources", str(nowhere))
    assert code == 2
    assert SOURCE in err and str(nowhere) in err
    assert "nothing checked" in out and "all fine" not in out
    # the text present but one source of two absent: still not a pass
    extra = env / "home" / "data" / "sources" / "absent-report.ttl"
    record = (env / "home" / "data" / "sources" / f"{SOURCE}.ttl").read_text(encoding="utf-8")
    record = record.replace(f"rgd:{SOURCE}", "rgd:absent-report")
    record = record.replace(f'"{SOURCE}.txt"', '"absent-report.txt"')
    record = re.sub(r'rg:sha256 "[0-9a-f]{64}"', 'rg:sha256 "' + "f" * 64 + '"', record)
    extra.write_text(record, encoding="utf-8")
    code, out, err = run("verify")
    assert code == 2 and "absent-report" in err and str(env / "texts") in err
