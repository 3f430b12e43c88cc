"""Ledger, corroboration, contradictions and sources, on invented claims files compiled for real.

tests/fixtures/cited/ holds four fictional files (Freedonia, Sylvania and their outlets do not
exist): a report in which a ministry's count and an intelligence estimate for the same month
disagree, the same ministry's count months earlier (a series, not a contradiction), and two
copies of one wire story (one origin, not two) with regional bonus figures compared per region.
The expected answers below are worked out from those files by hand, never copied from output.
"""

from __future__ import annotations

import shutil
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import recruitgraph
from recruitgraph.authoring import compile_claims
from recruitgraph.namespaces import RG, RGD
from recruitgraph.push import push
from servers import SparqlServer, running_oxigraph, running_virtuoso
from test_remote import assert_same

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "cited"
ORDER = ["measures", "osprey-daily-2031-03", "kestrel-news-2031-03", "harbor-gazette-2031-03"]
QUERIES = ["ledger", "corroboration", "contradictions", "sources"]
GRAPH = "https://w3id.org/recruitgraph/graph/cited-test"

HG, KN, OD = (RGD[s] for s in ORDER[3:0:-1])
WIRE = RGD["fpa-2031-03-recruits"]
RECRUITED = RGD["measure-freedonian-nationals-recruited"]


def short(term: object) -> str:
    return str(term).removeprefix(str(RGD))


def build_cited_home(home: Path) -> Path:
    """A throw-away project at ``home``: ontology, queries and the fixture files, compiled."""
    shutil.copytree(ROOT / "ontology", home / "ontology")
    shutil.copytree(ROOT / "queries", home / "queries")
    (home / "data" / "claims").mkdir(parents=True)
    for path in FIXTURES.glob("*.yaml"):
        shutil.copy(path, home / "data" / "claims")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RECRUITGRAPH_HOME", str(home))
        for name in ORDER:
            compile_claims(home / "data" / "claims" / f"{name}.yaml")
    return home


@pytest.fixture(scope="module")
def cited_kg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[recruitgraph.KnowledgeGraph]:
    """The fixture files compiled into a throw-away project, opened in memory."""
    home = build_cited_home(tmp_path_factory.mktemp("cited") / "home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RECRUITGRAPH_HOME", str(home))
        kg = recruitgraph.open(memory=True)
        try:
            yield kg
        finally:
            kg.close()


def test_contradictions_pair_same_month_estimates_not_a_series(
    cited_kg: recruitgraph.KnowledgeGraph,
) -> None:
    res = cited_kg.query("contradictions")
    pairs = {frozenset((short(r["figure"]), short(r["other"]))) for r in res.rows}
    assert pairs == {
        # the ministry's about 200 ([180, 220]) and 210 against more than 1,000, all for 2031-02
        frozenset(("fig-hg-intelligence-recruits-2031-02", "fig-hg-ministry-recruits-2031-02")),
        frozenset(("fig-hg-intelligence-recruits-2031-02", "fig-kn-ministry-recruits-2031-02")),
        # one province, one month, 500,000 against 300,000
        frozenset(("fig-kn-north-province-bonus", "fig-od-north-province-bonus")),
    }
    # 40 to 60 in 2030-06 is a series with the 2031 counts; the south province is another subject
    assert not any("2030-06" in p or "south" in p for pair in pairs for p in pair)
    only = cited_kg.query("contradictions", measure=str(RGD["measure-sylvanian-sign-on-bonus"]))
    assert len(only) == 1


def test_corroboration_counts_origins_not_copies(cited_kg: recruitgraph.KnowledgeGraph) -> None:
    res = cited_kg.query("corroboration")
    relation = [r for r in res.rows if str(r["kind"]) == "relation"]
    # three sources state it, two of them copies of one wire story: two origins
    assert {short(r["claim"]) for r in relation} == {
        "claim-hg-freedonians-fight-for-sylvania",
        "claim-kn-freedonians-fight-for-sylvania",
        "claim-od-freedonians-fight-for-sylvania",
    }
    assert {r["origin"] for r in relation} == {HG, WIRE}
    assert {int(str(r["origins"])) for r in relation} == {2}
    assert {(short(r["subject"]), short(r["object"])) for r in relation} == {
        ("freedonian-recruits", "sylvanian-army")
    }
    figures = {
        short(r["figure"]): int(str(r["origins"])) for r in res.rows if str(r["kind"]) == "figure"
    }
    # about 200 and exactly 210 for 2031-02 overlap, from two origins; the intelligence estimate
    # and the 2030 range agree with no other origin; the bonus figures disagree or stand alone
    assert figures == {"fig-hg-ministry-recruits-2031-02": 2, "fig-kn-ministry-recruits-2031-02": 2}


def test_ledger_lists_every_figure_with_claimant_period_bounds_and_origin(
    cited_kg: recruitgraph.KnowledgeGraph,
) -> None:
    res = cited_kg.query("ledger", measure=str(RECRUITED))
    rows = {short(r["figure"]): r for r in res.rows}
    assert set(rows) == {
        "fig-hg-ministry-recruits-2031-02",
        "fig-hg-intelligence-recruits-2031-02",
        "fig-hg-ministry-recruits-2030-06",
        "fig-kn-ministry-recruits-2031-02",
    }
    about = rows["fig-hg-ministry-recruits-2031-02"]
    assert short(about["claimant"]) == "freedonian-labour-ministry"
    assert str(about["claimDate"]) == "2031-02-20" and str(about["period"]) == "2031-02"
    assert (Decimal(str(about["lowerBound"])), Decimal(str(about["upperBound"]))) == (180, 220)
    assert about["origin"] == HG and about["source"] == HG
    rng = rows["fig-hg-ministry-recruits-2030-06"]
    assert (int(str(rng["rangeLow"])), int(str(rng["rangeHigh"]))) == (40, 60)
    assert rng.get("value") is None
    more = rows["fig-hg-intelligence-recruits-2031-02"]
    assert more.get("upperBound") is None and str(more["lowerInclusive"]) == "false"
    assert rows["fig-kn-ministry-recruits-2031-02"]["origin"] == WIRE
    # ordered by the period's first day
    assert short(res.rows[0]["figure"]) == "fig-hg-ministry-recruits-2030-06"
    assert len(cited_kg.query("ledger")) == 7  # every measure: four counts and three bonuses


def test_sources_give_kind_origin_and_claim_count(cited_kg: recruitgraph.KnowledgeGraph) -> None:
    res = cited_kg.query("sources")
    rows = {r["source"]: r for r in res.rows}
    assert set(rows) == {HG, KN, OD}
    assert {int(str(r["claims"])) for r in rows.values()} == {3, 4}
    assert int(str(rows[HG]["claims"])) == 4
    assert all(r["kind"] == RG.ReferenceSource for r in rows.values())
    assert rows[KN]["origin"] == rows[OD]["origin"] == WIRE
    assert short(rows[KN]["carriedBy"]) == "kestrel-news"
    assert str(rows[HG]["url"]).startswith("https://harbor-gazette.example.org/")
    assert str(rows[HG]["dateFromUrl"]) == "true" and rows[OD].get("issued") is None


@pytest.mark.remote
@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_cited_queries_same_answers_remotely(
    tmp_path: Path, cited_kg: recruitgraph.KnowledgeGraph, kind: str
) -> None:
    """The fixture graph in a graph of its own on a server of its own kind: every case, the same
    rows. Not the session's servers, which must hold the shipped dataset alone (see
    ``servers.virtuoso_server``)."""
    start = running_oxigraph if kind == "oxigraph" else running_virtuoso
    with start(tmp_path) as server:
        _compare_on(server, cited_kg, kind)


def _compare_on(server: SparqlServer, cited_kg: recruitgraph.KnowledgeGraph, kind: str) -> None:
    push(
        cited_kg,
        server.query_url,
        graph=GRAPH,
        gsp=server.gsp_url,
        auth=server.auth,
        auth_scheme=server.auth_scheme,
        replace=True,
        chunk_triples=2_000,
        progress=False,
    )
    url = (
        server.query_url.split("?")[0] + "?default-graph-uri=" + urllib.parse.quote(GRAPH, safe="")
    )
    remote = recruitgraph.open(endpoint=url, timeout=60)
    try:
        cases: list[tuple[str, dict[str, str]]] = [(q, {}) for q in QUERIES] + [
            ("ledger", {"measure": str(RECRUITED)}),
            ("contradictions", {"measure": str(RECRUITED)}),
        ]
        for name, params in cases:
            local = cited_kg.run(name, **params)
            assert len(local) > 0, name
            assert_same(local, remote.run(name, **params), f"{name} {params} on {kind}")
    finally:
        remote.close()
