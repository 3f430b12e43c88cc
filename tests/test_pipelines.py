"""Pipelines: the networkx projection, its analyses, GraphML/GEXF export and the CLI.

Most tests run on tests/fixtures/pipelines_fixture.ttl (a fictional graph whose expected values
are read off the fixture file by hand); the last ones run on the shipped data of the first source
and check stages against the source text.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

import recruitgraph
from recruitgraph import pipelines as rp
from recruitgraph.exc import ParameterError
from recruitgraph.namespaces import RG, RGD, RGV
from support import PIPELINES_FIXTURE as FIXTURE
from support import run_cli as run

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT / "data" / "russia-recruitment-2026-01.ttl"




@pytest.fixture(scope="module")
def G(fkg):
    return rp.project(fkg)


def rgd(local: str) -> str:
    return str(RGD[local])


def test_nodes_are_typed_with_country_and_channel(G):
    cohort = G.nodes[rgd("example-cohort")]
    assert cohort["label"] == "Example cohort of job seekers"
    assert cohort["class"] == "RecruitCohort"
    assert cohort["country"] == rgd("example-origin")
    assert str(RGV["channel-false-job-offer"]) in cohort["channel"]
    assert G.nodes[rgd("example-ministry")]["class"] == "Ministry"
    assert G.nodes[rgd("example-origin")]["country"] == rgd("example-origin")  # a state is its own country


def test_relation_edge_carries_all_its_evidence(G):
    edges = G.get_edge_data(rgd("example-channel"), rgd("example-cohort"))
    draws = edges[str(RG.drawsOn)]
    assert draws["label"] == "draws on"
    assert [(e["start"], e["end"]) for e in draws["evidence"]] == [(0, 100), (100, 250)]
    assert [e["status"].rsplit("/", 1)[1] for e in draws["evidence"]] == [
        "status-alleged", "status-official-statement"]
    assert draws["evidence"][1]["claimant"] == rgd("example-court")
    assert draws["evidence"][1]["date"] == "2025"
    # the flat attributes are those of the first evidence
    assert (draws["source"], draws["start"], draws["end"]) == (rgd("example-source"), 0, 100)
    assert draws["evidence"][0]["link"] == rgd("example-source") + "#char=0,100"


def test_direct_triple_without_claim_has_no_evidence(G):
    feeds = G.get_edge_data(rgd("example-channel"), rgd("example-forces"))[str(RG.feedsInto)]
    assert feeds["evidence"] == [] and feeds["status"] == ""


def test_stage_edges_follow_stage_order(fkg):
    H = rp.project(fkg, pipeline="example-job-offers")
    stage_edges = {(u, v) for u, v, d in H.edges(data=True) if d["kind"] == "stage"}
    assert stage_edges == {
        (rgd("example-cohort"), rgd("example-broker")),
        (rgd("example-broker"), rgd("example-channel")),
        (rgd("example-channel"), rgd("example-forces")),
    }
    # relations among the pipeline's actors come along, others do not
    assert rgd("example-xss") not in H and rgd("example-prisoners") not in H


def test_pipelines_in_order_with_evidence(fkg):
    found = {p.id: p for p in rp.pipelines(fkg)}
    job = found["pipeline-example-job-offers"]
    assert [(s.order, s.role, s.actor_label) for s in job.stages] == [
        (1, "origin", "Example cohort of job seekers"),
        (2, "intermediary", "Example broker network"),
        (3, "channel", "Example false job offer channel"),
        (4, "front", "Example armed forces"),
    ]
    third = job.stages[2].evidence[0]
    assert (third.claimant_label, third.date, third.start, third.end) == ("Example court", "2025", 100, 250)


@pytest.mark.parametrize("origin", ["Example origin", "EXAMPLE ORIGIN", "rgd:example-origin", "example-origin",
                                    "Example cohort of job seekers"])
def test_pipelines_from_an_origin(fkg, origin):
    ids = [p.id for p in rp.pipelines(fkg, origin=origin)]
    assert ids == ["pipeline-example-job-offers"]


def test_unknown_origin_is_a_parameter_error(fkg):
    with pytest.raises(ParameterError, match="--origin: nothing in the graph is called 'Atlantis'"):
        rp.pipelines(fkg, origin="Atlantis")


def test_support_separates_claims_only_from_backed(fkg):
    verdicts = {r["pipeline"]: r for r in rp.support(fkg)}
    job = verdicts[rgd("pipeline-example-job-offers")]
    prison = verdicts[rgd("pipeline-example-prison")]
    assert job["verdict"] == "claims-only"
    assert job["statuses"] == {"status-alleged": 3, "status-official-unverifiable": 1}
    assert prison["verdict"] == "backed"
    assert prison["backing"] == [{"claim": rgd("stage-example-prison-1"),
                                  "status": str(RGV["status-court-finding"])}]


def test_betweenness_ranks_actors_on_most_pipelines(G):
    ranked = [r for r in rp.betweenness(G) if r["iri"].startswith(rgd("example-"))]
    assert ranked[0]["label"] == "Example armed forces" and ranked[0]["pipelines"] == 2


def test_channels_by_cohort(fkg):
    rows = {r["label"]: r for r in rp.channels_by_cohort(fkg)}
    job = rows["Example false job offer channel"]
    assert [(c["label"], c["via"]) for c in job["cohorts"]] == [
        ("Example cohort of job seekers", ["drawsOn", "pipeline"])]


def test_focus_and_depth(fkg):
    H = rp.project(fkg, focus="Example ministry of defence", depth=1)
    assert {d["label"] for _, d in H.nodes(data=True)} == {
        "Example ministry of defence", "Example prison channel", "Example armed forces"}
    H2 = rp.project(fkg, focus="rgd:example-ministry", depth=2)
    assert rgd("example-prisoners") in H2 and H2.number_of_nodes() > H.number_of_nodes()


def test_bad_view_parameters(fkg):
    with pytest.raises(ParameterError, match="--depth"):
        rp.project(fkg, focus="example-ministry", depth=-1)
    with pytest.raises(ParameterError, match="--pipeline: no pipeline is called 'no-such-pipeline'"):
        rp.project(fkg, pipeline="no-such-pipeline")
    with pytest.raises(ParameterError, match="--pipeline: no pipeline is called 'example-court'"):
        rp.project(fkg, pipeline="example-court")  # exists, but is no pipeline


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_write_network_round_trip(G, tmp_path, fmt):
    path = rp.write_network(G, tmp_path / f"p.{fmt}", fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    node = back.nodes[rgd("example-cohort")]
    assert node["class"] == "RecruitCohort"
    assert json.loads(node["channel"]) == [str(RGV["channel-false-job-offer"])]
    edge = next(d for u, v, d in back.edges(data=True)
                if (u, v) == (rgd("example-channel"), rgd("example-cohort")))
    assert [e["start"] for e in json.loads(edge["evidence"])] == [0, 100]


def test_write_network_rejects_unknown_format(G, tmp_path):
    with pytest.raises(ParameterError, match="--format"):
        rp.write_network(G, tmp_path / "x.dot", "dot")


# --- CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def fixture_home(tmp_path, monkeypatch):
    """A project home whose data/ holds only the fixture (ontology and queries from the checkout)."""
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    (home / "ontology").symlink_to(ROOT / "ontology")
    (home / "queries").symlink_to(ROOT / "queries")
    (home / "data" / FIXTURE.name).write_bytes(FIXTURE.read_bytes())
    monkeypatch.setenv("RECRUITGRAPH_HOME", str(home))
    return home




def test_cli_help_has_an_example(capsys):
    code, _, _ = run("pipelines", "--help")
    out = capsys.readouterr().out  # argparse prints help to the process's stdout
    assert code == 0 and "Example:" in out and "recruitgraph pipelines --origin" in out


def test_cli_pipelines_json(fixture_home):
    code, out, err = run("--memory", "pipelines", "--origin", "Example origin", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [p["id"] for p in data] == ["pipeline-example-job-offers"]
    assert data[0]["stages"][0]["evidence"][0]["start"] == 0


def test_cli_pipelines_table_and_analyses(fixture_home):
    code, out, _ = run("--memory", "pipelines")
    assert code == 0 and "Example prison pipeline" in out and "court-finding" in out
    code, out, _ = run("--memory", "pipelines", "--analysis", "support")
    assert code == 0 and "claims-only" in out and "backed" in out
    code, out, _ = run("--memory", "pipelines", "--analysis", "actors", "--format", "json")
    assert code == 0 and json.loads(out)[0]["label"] == "Example armed forces"


def test_cli_errors_are_one_line(fixture_home):
    code, _, err = run("--memory", "pipelines", "--origin", "Atlantis")
    assert code == 2 and err.startswith("recruitgraph: error: --origin") and err.count("\n") == 1
    code, _, err = run("--memory", "pipelines", "--format", "graphml")
    assert code == 2 and "-o FILE" in err


def test_cli_graphml_export(fixture_home, tmp_path):
    out = tmp_path / "p.graphml"
    code, _, err = run("--memory", "pipelines", "--format", "graphml", "-o", str(out))
    assert code == 0, err
    assert nx.read_graphml(out).number_of_nodes() == 10


# --- the shipped data of the first source --------------------------------------------------------

#: The seven pipelines the dataset issue names, each with words its label or stages must contain.
SEVEN = {
    "regional cash incentives": ("bonus", "regional", "cash"),
    "prison": ("prison",),
    "pretrial detention": ("pretrial",),
    "pressure on conscripts": ("conscript",),
    "migrants and new citizens": ("migrant", "naturali", "citizen"),
    "foreigners lured by false job offers": ("job", "employment", "traffick"),
    "troops sent by a state under a treaty": ("treaty", "north korea"),
    "residency conditioned on service": ("residen",),
}


@pytest.fixture(scope="module")
def real():
    assert REAL_DATA.is_file(), f"{REAL_DATA.relative_to(ROOT)} is missing"
    graph = recruitgraph.open(memory=True)
    yield graph
    graph.close()


def _text(p: rp.Pipeline) -> str:
    return " ".join([p.label, p.id] + [s.actor_label for s in p.stages]).casefold()


def test_real_data_has_the_named_pipelines_with_evidence(real, source_text):
    found = rp.pipelines(real)
    for name, words in SEVEN.items():
        matching = [p for p in found if any(w in _text(p) for w in words)]
        assert matching, f"no pipeline for {name!r} among {[p.label for p in found]}"
    kinds = {e.is_reference for p in found for s in p.stages for e in s.evidence}
    assert kinds == {True, False}, "stages cite both held passages and reports"
    for p in found:
        assert p.stages, p.iri
        for s in p.stages:
            assert s.evidence, f"{s.iri} has no evidence"
            for e in s.evidence:
                if e.is_reference:
                    # a cited report: its address, what it attributes and to whom
                    assert e.url.startswith("https://") and e.fragment_link() == e.url
                    assert e.attribution.startswith(str(RGV) + "attr-"), e.iri
                    assert e.start is None and e.end is None
                else:
                    assert e.start is not None and 0 <= e.start < e.end <= len(source_text)


def test_real_data_prison_stage_points_at_the_prison_passage(real, source_text):
    prison = [p for p in rp.pipelines(real) if "prison" in _text(p) and "pretrial" not in p.label.casefold()]
    assert prison
    passages = [source_text[e.start:e.end] for s in prison[0].stages for e in s.evidence]
    assert any("prisoners" in t for t in passages), passages


def test_real_data_projection_has_typed_nodes(real):
    G = rp.project(real)
    assert G.number_of_nodes() > 10
    assert all(d["class"] for _, d in G.nodes(data=True))
    assert any(d["evidence"] for _, _, d in G.edges(data=True))


@pytest.mark.parametrize("origin", ["Nepal", "india", "rgd:bangladesh"])
def test_real_data_south_asians_reach_the_front_through_false_job_offers(real, origin):
    # Men from India, Nepal and Bangladesh say recruiters promised civilian jobs and sent them to
    # the battlefield (source, line 6): their countries lead to the false-job-offer pipeline.
    found = rp.pipelines(real, origin=origin)
    assert any("job" in _text(p) for p in found), [p.label for p in found]
    assert all(p.stages[-1].role in ("front", "institution") for p in found)


def test_records_are_counted_not_drawn_by_default(tmp_path):
    from collections import Counter

    from rdflib import Graph
    from rdflib.namespace import RDF

    from recruitgraph import synth
    from recruitgraph.namespaces import RG

    data = tmp_path / "synth.nt"
    synth.generate_file(data, triples=20000, seed=1)
    g = Graph().parse(data)
    recruits = set(g.subjects(RDF.type, RG.Recruit))
    by_cohort = Counter(str(o) for s, o in g.subject_objects(RG.cohort) if s in recruits)
    kg = recruitgraph.open(memory=True, extra_files=[data])
    G = rp.project(kg)
    assert not [n for n, d in G.nodes(data=True) if d["class"] == "Recruit"]
    for cohort, n in by_cohort.items():
        assert G.nodes[cohort]["records"] == n
    full = rp.project(kg, records=True)
    assert len([n for n, d in full.nodes(data=True) if d["class"] == "Recruit"]) == len(recruits)
    # counting the records loses no link between actors: the links are read from the actors'
    # side then, from the predicates' side when records are drawn
    records = {str(r) for r in recruits}
    assert set(G.edges(keys=True)) == {
        (u, v, k) for u, v, k in full.edges(keys=True) if u not in records and v not in records
    }
    assert any(k == str(RG.region) for _, _, k in G.edges(keys=True))
    kg.close()


def test_projection_on_disk_reads_side_by_side_and_gives_the_same_graph(tmp_path, fkg):
    """The persistent store's reads run in threads (parallel_reads); the graph they give must be
    the in-memory store's, node for node and edge for edge."""
    disk = recruitgraph.open(data_dir=tmp_path / "store")
    try:
        disk.import_files([FIXTURE], validate=False)
        assert disk.parallel_reads and not fkg.parallel_reads

        def dump(kg):
            data = nx.node_link_data(rp.project(kg), edges="edges")
            return json.dumps(data, sort_keys=True, default=str)

        assert dump(disk) == dump(fkg)
    finally:
        disk.close()


# --- naming an origin or a focus: the one entity rule (recruitgraph.entities) -------------------
# Expected values are read off the data files: rgd:sri-lankan-military-veterans is labelled "Retired
# Sri Lankan soldiers recruited for Russia" with the alias "Sri Lankan military veterans"
# (data/lankapuvath-2024-05-sri-lanka-delegation.ttl) and is stage 1 of the pipeline "Sri Lankan
# veterans recruited through messaging campaigns" (data/reuters-onlanka-...-repatriation.ttl);
# "Soldiers sent by North Korea" labels both a channel and a pipeline
# (data/russia-recruitment-2026-01.ttl); Nepal is rgd:nepal there.

SRI_LANKAN_VETERANS = ["pipeline-sri-lankan-veterans"]


@pytest.mark.parametrize("name", ["Retired Sri Lankan soldiers recruited for Russia",  # the label
                                  "sri lankan military veterans",  # an alias, in another case
                                  "rgd:sri-lankan-military-veterans"])
def test_cli_origin_by_label_alias_or_id(name):
    code, out, err = run("--memory", "pipelines", "--origin", name, "--format", "json")
    assert code == 0, err
    assert [p["id"] for p in json.loads(out)] == SRI_LANKAN_VETERANS
    assert json.loads(out)[0]["label"] == "Sri Lankan veterans recruited through messaging campaigns"


def test_cli_origin_counts_the_pipelines_own_stages_only():
    # Nepali nationals are the origin of the Nepali route and a cohort the false-job-offer channel
    # draws on; the armed forces recruit them too, but that institution stage closes every
    # pipeline, and pressure on Russian conscripts does not start in Nepal.
    code, out, err = run("--memory", "pipelines", "--origin", "Nepal", "--format", "json")
    assert code == 0, err
    ids = {p["id"] for p in json.loads(out)}
    assert {"pipeline-nepali-route", "pipeline-false-job-offers"} <= ids
    assert "pipeline-conscript-pressure" not in ids and "pipeline-sri-lankan-veterans" not in ids


def test_cli_ambiguous_origin_lists_the_candidates():
    code, out, err = run("--memory", "pipelines", "--origin", "Soldiers sent by North Korea")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("recruitgraph: error: --origin: 'Soldiers sent by North Korea'")
    assert "rgd:north-korean-troop-deployment" in err and "rgd:pipeline-north-korean-troops" in err


def test_cli_unknown_origin_gives_the_closest_ids():
    code, out, err = run("--memory", "pipelines", "--origin", "Nepall")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "--origin: nothing in the graph is called 'Nepall'" in err
    assert "closest: Nepal (rgd:nepal)" in err


def test_cli_focus_takes_an_alias_and_lists_on_ambiguity(tmp_path):
    # rgd:prigozhin-mercenary-force has the aliases "Wagner" and "Wagner Group" (data/*.ttl)
    drawn = {}
    for name in ("Wagner Group", "rgd:prigozhin-mercenary-force"):
        code, _, err = run("--memory", "viz", "--focus", name, "-o", str(tmp_path / "f.html"))
        assert code == 0, err
        drawn[name] = err
    assert drawn["Wagner Group"] == drawn["rgd:prigozhin-mercenary-force"]
    code, _, err = run("--memory", "viz", "--focus", "Soldiers sent by North Korea", "-o", str(tmp_path / "g.html"))
    assert code == 2 and err.count("\n") == 1 and "--focus:" in err and "rgd:pipeline-north-korean-troops" in err
    assert not (tmp_path / "g.html").exists()
