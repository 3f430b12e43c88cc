"""compile: YAML claims file -> evidence-backed RDF, with errors naming file and line."""

from __future__ import annotations

import hashlib
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from recruitgraph import config
from recruitgraph.anchoring import write_anchors
from recruitgraph.authoring import compile_claims
from recruitgraph.exc import InputError
from recruitgraph.namespaces import OA, RG, RGD, RGV
from support import first_source_project, missing

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "russia-recruitment-2026-01"


def _source_dir() -> Path:
    for d in config.source_dirs():
        if (Path(d) / f"{SOURCE}.txt").is_file():
            return Path(d)
    missing(f"{SOURCE}.txt not in any source dir (set RECRUITGRAPH_SOURCES)")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project copy with the ontology and the first source's metadata only."""
    return first_source_project(tmp_path, monkeypatch, _source_dir())


ENTITIES = """\
source: russia-recruitment-2026-01
entities:
  - id: test-north-korea
    type: State
    label: North Korea
    country: KP
  - id: test-russia
    type: State
    label: Russia
    country: RU
  - id: test-putin
    type: Official
    label: Vladimir Putin
    aliases: [Putin]
    country: RU
  - id: test-armed-forces
    type: ArmedForces
    label: Russian Armed Forces
  - id: test-idite-lesom
    type: ActivistGroup
    label: Idite Lesom
    aliases: [Get Lost]
"""

CLAIMS = """\
claims:
  - id: nk-sent-troops
    subject: North Korea
    relation: sentTroopsTo
    object: russia
    summary: North Korea sent soldiers to help Russia.
    passage: "north korea sent thousands of soldiers"
    date: 2026-01
    date_inferred: true
    status: source-report
  - id: troops-fighting
    figure:
      measures: troops-fighting
      value: 700000
      comparator: exactly
      unit: person
      about: Russian Armed Forces
      scope: Russian troops fighting in Ukraine
      period: 2025-12
    summary: Putin put the number of Russian troops fighting at 700,000.
    passage: "700,000 Russian troops are currently fighting"
    claimant: putin
    date: 2025-12
    date_inferred: true
    status: official-unverifiable
  - id: get-lost-desertion
    subject: Get Lost
    relation: rg:assistsWith
    object: rgv:assist-desertion
    summary: Idite Lesom helps soldiers desert.
    evidence:
      - passage: which helps soldiers desert
        date: 2026
      - passage: '"They are deemed dispensable'
        passage_exact: true
        claimant: Idite Lesom
        date: 2026-01-05
"""


def _write(home: Path, body: str, *, anchored: bool = True) -> Path:
    """Write a claims file; its passage phrases are turned into anchors as an author does
    with `recruitgraph locate --write` (unless ``anchored`` is false)."""
    path = home / "data" / "claims" / f"{SOURCE}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    if anchored:
        write_anchors(path, _text())
    return path


def _text() -> str:
    return (_source_dir() / f"{SOURCE}.txt").read_text(encoding="utf-8")


def test_compile_writes_direct_triples_claims_and_evidence(home: Path) -> None:
    g = compile_claims(_write(home, ENTITIES + CLAIMS))
    out = home / "data" / f"{SOURCE}.ttl"
    assert out.read_text(encoding="utf-8").startswith("# Generated from")
    assert (RGD["test-north-korea"], RG.sentTroopsTo, RGD["test-russia"]) in g
    claim = RGD["claim-nk-sent-troops"]
    assert (claim, RDF.subject, RGD["test-north-korea"]) in g
    ev = RGD["claim-nk-sent-troops-ev1"]
    assert (claim, RG.hasEvidence, ev) in g
    passage = g.value(ev, RG.passage)
    start, end = int(g.value(passage, OA.start)), int(g.value(passage, OA.end))
    assert passage == RGD[f"{SOURCE}-chars-{start}-{end}"]
    # the selector covers the whole sentence, checked against the text itself
    sentence = _text()[start:end]
    assert sentence.startswith("After signing a mutual defense treaty")
    assert sentence.endswith("a Ukrainian incursion.")
    assert g.value(ev, RG.claimDate) == Literal("2026-01", datatype=XSD.gYearMonth)
    assert g.value(ev, RG.verificationStatus) == RGV["status-source-report"]


def test_figure_values_aliases_and_multiple_evidence(home: Path) -> None:
    g = compile_claims(_write(home, ENTITIES + CLAIMS), write=False)
    fig = RGD["fig-troops-fighting"]
    assert g.value(fig, RG.value) == Literal(700000)
    assert g.value(fig, RG.value).datatype == XSD.integer
    assert g.value(fig, RG.comparator) == RGV["cmp-exactly"]
    assert g.value(fig, RG.period) == Literal("2025-12", datatype=XSD.gYearMonth)
    assert g.value(RGD["fig-troops-fighting-ev1"], RG.claimant) == RGD["test-putin"]
    # "Get Lost" and "Idite Lesom" are one group
    assert (RGD["test-idite-lesom"], RG.assistsWith, RGV["assist-desertion"]) in g
    ev1, ev2 = RGD["claim-get-lost-desertion-ev1"], RGD["claim-get-lost-desertion-ev2"]
    assert g.value(ev1, RG.claimDate) == Literal("2026", datatype=XSD.gYear)
    assert g.value(ev2, RG.claimDate) == Literal("2026-01-05", datatype=XSD.date)
    p2 = g.value(ev2, RG.passage)
    s, e = int(g.value(p2, OA.start)), int(g.value(p2, OA.end))
    assert _text()[s:e] == "“They are deemed dispensable"  # passage_exact keeps the phrase


def test_output_is_deterministic(home: Path) -> None:
    path = _write(home, ENTITIES + CLAIMS)
    out = home / "data" / f"{SOURCE}.ttl"
    compile_claims(path)
    first = out.read_bytes()
    compile_claims(path)
    assert out.read_bytes() == first


def test_entities_resolve_against_the_graph(home: Path) -> None:
    # a second file uses entities declared by the first one's compiled output
    compile_claims(_write(home, ENTITIES + CLAIMS))
    shutil.move(home / "data" / f"{SOURCE}.ttl", home / "data" / "other.ttl")
    g = compile_claims(
        _write(
            home,
            """\
            source: russia-recruitment-2026-01
            claims:
              - id: desert-again
                subject: idite lesom
                relation: assistsWith
                object: rgv:assist-desertion
                passage: which helps soldiers desert
            """,
        ),
        write=False,
    )
    assert (RGD["test-idite-lesom"], RG.assistsWith, RGV["assist-desertion"]) in g


def _error(home: Path, body: str) -> str:
    with pytest.raises(InputError) as info:
        compile_claims(_write(home, body), write=False)
    return str(info.value)


def test_unknown_name_names_file_line_and_closest(home: Path) -> None:
    msg = _error(home, ENTITIES + CLAIMS.replace("subject: North Korea", "subject: North Koria"))
    line = (ENTITIES + CLAIMS).splitlines().index("    subject: North Korea") + 1
    assert f"{SOURCE}.yaml:{line}:" in msg
    assert "North Koria" in msg and "'North Korea'" in msg
    assert "entities:" in msg


def test_ambiguous_and_missing_passages(home: Path) -> None:
    msg = _error(
        home, ENTITIES + CLAIMS.replace("700,000 Russian troops are currently fighting", "700,000")
    )
    text = _text()
    first, last = text.index("700,000"), text.rindex("700,000")
    assert first != last
    assert "ambiguous" in msg and f"{first}-{first + 7}" in msg and f"{last}-{last + 7}" in msg
    line = (ENTITIES + CLAIMS).splitlines().index(
        '    passage: "700,000 Russian troops are currently fighting"'
    )
    assert f"{SOURCE}.yaml:{line + 1}:" in msg
    msg = _error(
        home, ENTITIES + CLAIMS.replace("north korea sent thousands", "north korea sent many")
    )
    assert "not found" in msg and "closest text" in msg and "North Korea sent" in msg


def test_bad_values_are_reported_with_line(home: Path) -> None:
    body = ENTITIES + CLAIMS.replace("value: 700000", "value: 700,000 troops")
    msg = _error(home, body)
    line = (ENTITIES + CLAIMS).splitlines().index("      value: 700000") + 1
    assert f":{line}: value:" in msg
    msg = _error(home, ENTITIES + CLAIMS.replace("date: 2025-12\n", "date: 2025-13\n"))
    assert "YYYY-MM" in msg
    msg = _error(home, ENTITIES + CLAIMS.replace("summary: Idite", "sumary: Idite"))
    assert "unknown key 'sumary'" in msg


def test_unregistered_source_is_an_error(home: Path) -> None:
    msg = _error(home, "source: no-such-source\nclaims: []\n")
    assert ":1:" in msg and "not registered" in msg


def test_non_conforming_compile_writes_nothing(home: Path) -> None:
    from recruitgraph.exc import NotConforming

    out = home / "data" / f"{SOURCE}.ttl"
    body = ENTITIES + CLAIMS.replace("      unit: person\n", "")  # shapes require a unit
    with pytest.raises(NotConforming) as info:
        compile_claims(_write(home, body))
    assert "unit" in str(info.value)
    assert not out.exists()


def test_unconfirmed_drafts_are_refused(home: Path) -> None:
    body = ENTITIES + CLAIMS.replace(
        "  - id: troops-fighting\n", "  - id: troops-fighting\n    confirmed: false\n"
    )
    msg = _error(home, body)
    assert "unconfirmed draft" in msg
    line = body.splitlines().index("    confirmed: false") + 1
    assert f":{line}:" in msg
    body = ENTITIES + CLAIMS.replace(
        "  - id: troops-fighting\n", "  - id: troops-fighting\n    confirmed: true\n"
    )
    msg = _error(home, body.replace("measures: troops-fighting", "measures: ???"))
    assert "'???' placeholder" in msg
    compile_claims(_write(home, body), write=False)  # confirmed: true compiles


def test_anchors_replace_phrases_and_the_file_keeps_no_words(home: Path) -> None:
    path = _write(home, ENTITIES + CLAIMS)
    written = path.read_text(encoding="utf-8")
    assert "passage" not in written  # phrases and passage_exact are gone
    text = _text()
    start = text.index("After signing a mutual defense treaty")
    end = text.index("a Ukrainian incursion.") + len("a Ukrainian incursion.")
    digest = hashlib.sha256(text[start:end].encode("utf-8")).hexdigest()[:8]
    assert f'anchor: "{start}-{end} {digest}"' in written
    # the dispensable quote stays the phrase only (passage_exact), on its own line
    quote = text.index("“They are deemed dispensable")
    assert f"{quote}-{quote + len('“They are deemed dispensable')} " in written


def test_phrases_anchors_and_fingerprints_are_checked(home: Path) -> None:
    msg = _error_raw(home, ENTITIES + CLAIMS)
    line = (ENTITIES + CLAIMS).splitlines().index(
        '    passage: "north korea sent thousands of soldiers"'
    )
    assert f"{SOURCE}.yaml:{line + 1}:" in msg and "recruitgraph locate --write" in msg
    path = _write(home, ENTITIES + CLAIMS)
    written = path.read_text(encoding="utf-8")
    anchor = re.search(r'anchor: "(\d+)-(\d+) ([0-9a-f]{8})"', written)
    assert anchor
    wrong = "0" * 8 if anchor.group(3) != "0" * 8 else "1" * 8
    path.write_text(written.replace(anchor.group(3), wrong, 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        compile_claims(path, write=False)
    assert "fingerprint" in str(info.value) and f"not {wrong}" in str(info.value)
    line = written[: anchor.start()].count("\n") + 1
    assert f"{SOURCE}.yaml:{line}:" in str(info.value)


def _error_raw(home: Path, body: str) -> str:
    with pytest.raises(InputError) as info:
        compile_claims(_write(home, body, anchored=False), write=False)
    return str(info.value)


def test_claims_and_figures_get_labels_in_words(home: Path) -> None:
    g = compile_claims(_write(home, ENTITIES + CLAIMS), write=False)
    label = g.value(RGD["fig-troops-fighting"], RDFS.label)
    assert str(label) == "700,000 Russian troops fighting in Ukraine (Vladimir Putin)"
    assert label.language == "en"
    assert str(g.value(RGD["claim-nk-sent-troops"], RDFS.label)) == (
        "North Korea sent troops to Russia"
    )
    assert str(g.value(RGD["claim-get-lost-desertion"], RDFS.label)) == (
        "Idite Lesom assists with desertion"
    )
