"""Pipeline pages: self-contained offline HTML, escaping, aggregation, notebooks, static figures,
and the page itself in headless Chromium with the network blocked."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

import recruitgraph
from recruitgraph import synth
from recruitgraph import visualization as viz
from recruitgraph.cli import main
from recruitgraph.exc import ParameterError
from recruitgraph.viz_static import draw_layered, layered_positions
from support import PIPELINES_FIXTURE as FIXTURE

XSS = "<img src=x onerror=alert(1)>"
URL = re.compile(r"https?://[^\s\"'<>)]+")




@pytest.fixture(scope="module")
def page_file(fkg, tmp_path_factory):
    G = viz.view_graph(fkg)
    path = viz.write_html(G, tmp_path_factory.mktemp("viz") / "pipelines.html")
    return path, G


def _outside_scripts(page: str) -> str:
    return re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S)


def test_page_has_no_remote_reference(page_file, fkg):
    page = page_file[0].read_text(encoding="utf-8")
    # markup outside scripts: not one URL, so no src/href can fetch anything
    assert URL.findall(_outside_scripts(page)) == []
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    # the data block holds only the data's own IRIs (and passage links into them) and the
    # addresses of the reports it cites: links a reader may follow, never fetched by the page
    data = re.search(r'<script type="application/json" id="rg-data">(.*?)</script>', page, re.S)
    assert data
    cited = {str(r["url"]) for r in fkg.query("SELECT ?url WHERE { ?s a rg:Source ; schema:url ?url }").rows}
    found = set(URL.findall(data.group(1)))
    assert found & cited, "the cited reports are linked"
    assert {u for u in found - cited if not u.startswith("https://w3id.org/recruitgraph/")} == set()


def test_data_cannot_close_the_script_element(page_file):
    page = page_file[0].read_text(encoding="utf-8")
    data = re.search(r'id="rg-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and ">" not in data
    assert viz.script_json({"a": "</script><b>&\u2028"}) == '{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028"}'


def test_notebook_view_is_an_escaped_srcdoc_iframe(fkg):
    view = fkg.viz(width=800, height=500) if hasattr(fkg, "viz") else viz.notebook_view(fkg, width=800, height=500)
    out = view._repr_html_()
    m = re.fullmatch(r'<iframe srcdoc="([^"]*)" width="800px" height="500" [^>]*></iframe>', out, re.S)
    assert m, out[:200]
    assert html.unescape(m.group(1)) == view.html
    assert "<img" not in m.group(1)  # the markup inside srcdoc is escaped


def test_aggregation_collapses_records_of_a_cohort(tmp_path):
    data = tmp_path / "synth.nt"
    synth.generate_file(data, triples=20000, seed=1)
    kg = recruitgraph.open(memory=True, extra_files=[data])
    G = viz.view_graph(kg)
    recruits = [n for n, d in G.nodes(data=True) if d["class"] == "Recruit"]
    # room for every node that is not a record, and for fewer records than the register holds
    limit = G.number_of_nodes() - len(recruits) + 100
    assert len(recruits) > 100
    H = viz.aggregate(G, max_nodes=limit)
    assert H.number_of_nodes() <= limit
    groups = [d for _, d in H.nodes(data=True) if d["class"] == "Aggregate"]
    assert sum(d["count"] for d in groups) == H.graph["aggregated"]["collapsed"]
    assert all(d["member_class"] == "Recruit" for d in groups)
    # nothing that is not a record collapses: channels, networks, cohorts stay
    assert {d["class"] for _, d in G.nodes(data=True)} - {"Recruit"} <= {d["class"] for _, d in H.nodes(data=True)}
    page = viz.render_html(G, max_nodes=limit)
    assert 'id="rg-banner"' in page and "Aggregated view" in page
    assert viz.aggregate(G, max_nodes=10**6) is G
    with pytest.raises(ParameterError, match="--max-nodes"):
        viz.aggregate(G, max_nodes=0)
    kg.close()


def test_layered_figure(fkg, tmp_path):
    G = viz.view_graph(fkg)
    pos = layered_positions(G)
    cols = {G.nodes[n]["label"]: c for n, (c, _) in pos.items()}
    assert cols["Example cohort of job seekers"] == 0 and cols["Example armed forces"] == 4
    assert len(set(pos.values())) == len(pos)  # no two boxes share a slot
    svg = draw_layered(G, tmp_path / "p.svg")
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "Intermediary" in text
    png = draw_layered(G, tmp_path / "p.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_viz_command_views(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    root = Path(__file__).resolve().parents[1]
    (home / "ontology").symlink_to(root / "ontology")
    (home / "queries").symlink_to(root / "queries")
    (home / "data" / FIXTURE.name).write_bytes(FIXTURE.read_bytes())
    monkeypatch.setenv("RECRUITGRAPH_HOME", str(home))
    err = io.StringIO()
    assert main(["--memory", "viz", "-o", str(tmp_path / "a.html"), "--pipeline", "example-prison"],
                stdout=io.StringIO(), stderr=err) == 0, err.getvalue()
    assert "Pipeline: Example prison pipeline" in (tmp_path / "a.html").read_text(encoding="utf-8")
    assert main(["--memory", "viz", "-o", str(tmp_path / "b.svg")], stdout=io.StringIO(), stderr=err) == 0
    err = io.StringIO()
    assert main(["--memory", "viz", "-o", str(tmp_path / "c.html"), "--depth", "2"],
                stdout=io.StringIO(), stderr=err) == 2
    assert "--depth needs --focus" in err.getvalue()


# --- in the browser ------------------------------------------------------------------------------


def fictional(labels: list[str]) -> set[str]:
    """The fixture's own labels (the shipped data of the first source is in the graph too)."""
    return {lab for lab in labels if lab.startswith("Example") or lab == XSS}


def _open(browser_page, path: Path):
    bp = browser_page()
    bp.goto(path.as_uri())
    bp.wait_for_selector("body[data-rg-state=stable]", timeout=60_000)
    return bp


def _node_point(bp, G, iri: str) -> tuple[float, float]:
    """Where the node of ``iri`` is drawn on the page (for the mouse)."""
    index = list(G.nodes).index(iri)
    xy = bp.evaluate(f"(() => {{ const p = rg.network.getPosition({index}); return rg.network.canvasToDOM(p); }})()")
    box = bp.locator("#rg-network").bounding_box()
    return box["x"] + xy["x"], box["y"] + xy["y"]


@pytest.mark.browser
def test_page_draws_offline_without_errors(browser_page, page_file):
    path, G = page_file
    bp = _open(browser_page, path)
    assert bp.evaluate("rg.nodes.length") == G.number_of_nodes()
    assert bp.evaluate("rg.edges.length") == G.number_of_edges()
    assert bp.console_errors == [] and bp.page_errors == []
    assert bp.requests == [path.as_uri()] and bp.blocked == []
    # the layout stopped: physics is off once stabilised
    assert bp.evaluate("rg.network.physics.physicsEnabled") is False
    # every URL in the rendered DOM (text and attributes) is one of the data's own IRIs
    dom = bp.evaluate("document.body.innerText + ' ' + Array.from(document.querySelectorAll('*'))"
                      ".flatMap(e => Array.from(e.attributes).map(a => a.value)).join(' ')")
    assert all(u.startswith("https://w3id.org/recruitgraph/") for u in URL.findall(dom))


@pytest.mark.browser
def test_hover_shows_evidence_tooltip(browser_page, page_file, fkg):
    path, G = page_file
    bp = _open(browser_page, path)
    point = _node_point(bp, G, "https://w3id.org/recruitgraph/id/example-prisoners")
    bp.mouse.move(*point)
    tip = bp.locator("#rg-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    # from the fixture: the origin stage of the prison pipeline rests on a court finding by the
    # example court dated 2024-05-02, characters 250-400 of the example source
    assert "Example prisoners" in text
    assert "court finding" in text.replace("-", " ") and "Example court" in text and "2024-05-02" in text
    assert "250\u2013400" in text  # en dash between the offsets
    link = tip.locator("a.rg-passage").first.get_attribute("href")
    assert link == "https://w3id.org/recruitgraph/id/example-source#char=250,400"
    # a click puts the same evidence in the details panel
    bp.mouse.click(*point)
    assert "Example court" in bp.locator("#rg-details").inner_text()
    assert bp.blocked == [] and bp.console_errors == []


@pytest.mark.browser
def test_cited_report_evidence_links_out(browser_page, page_file):
    path, G = page_file
    bp = _open(browser_page, path)
    # the Cuban route's origin stage rests on the Moscow Times report of 8 September 2023
    # (reading list, row 1), which attributes it to Cuba's authorities: an official statement
    cuban = "https://w3id.org/recruitgraph/id/cuban-citizens"
    bp.evaluate(f"rg.network.selectNodes([{list(G.nodes).index(cuban)}])")
    bp.mouse.click(*_node_point(bp, G, cuban))
    details = bp.locator("#rg-details")
    links = [a.get_attribute("href") for a in details.locator("a.rg-reference").all()]
    assert "https://www.themoscowtimes.com/2023/09/08/cuba-arrests-17-over-trafficking-for-russias-war-in-ukraine-a82396" in links
    assert "cited report (official)" in details.inner_text()
    # linked, never fetched
    assert bp.requests == [path.as_uri()] and bp.console_errors == []


@pytest.mark.browser
def test_filters_hide_what_they_should(browser_page, page_file):
    path, G = page_file
    bp = _open(browser_page, path)
    total = G.number_of_nodes()
    cohorts = sum(1 for _, d in G.nodes(data=True) if d["class"] == "RecruitCohort")
    bp.locator('input[data-class="RecruitCohort"]').uncheck()
    assert bp.evaluate("rg.view.length") == total - cohorts
    assert bp.evaluate("rg.view.get().every(n => rg.data.nodes[n.id].cls !== 'RecruitCohort')")
    bp.locator('input[data-class="RecruitCohort"]').check()
    bp.select_option("#rg-channel", "https://w3id.org/recruitgraph/vocab/channel-prison")
    shown = fictional(bp.evaluate("rg.view.get().map(n => rg.data.nodes[n.id].label)"))
    assert shown == {"Example prisoners", "Example prison channel", "Example ministry of defence",
                     "Example armed forces"}
    bp.select_option("#rg-channel", "")
    bp.select_option("#rg-country", "https://w3id.org/recruitgraph/id/example-origin")
    shown = set(bp.evaluate("rg.view.get().map(n => rg.data.nodes[n.id].label)"))
    assert shown == {"Example origin", "Example cohort of job seekers", "Example broker network", XSS}
    assert "Showing" in bp.locator("#rg-count").inner_text()


@pytest.mark.browser
def test_html_label_renders_as_text(browser_page, page_file):
    path, G = page_file
    bp = _open(browser_page, path)
    index = list(G.nodes).index("https://w3id.org/recruitgraph/id/example-xss")
    # show the node's details the way a click does, then look at the DOM
    bp.evaluate(f"document.getElementById('rg-details').replaceChildren(rg.describeNode(rg.data.nodes[{index}]))")
    assert bp.locator("#rg-details h3").inner_text() == XSS
    assert bp.locator("img").count() == 0
    assert bp.evaluate(f"rg.nodes.get({index}).label").replace("\n", " ") == XSS
    bp.wait_for_timeout(300)
    assert bp.dialogs == [] and bp.page_errors == [] and bp.blocked == []


@pytest.mark.browser
def test_aggregated_page_says_so_and_loads(browser_page, tmp_path):
    data = tmp_path / "synth.nt"
    synth.generate_file(data, triples=20000, seed=1)
    kg = recruitgraph.open(memory=True, extra_files=[data])
    G = viz.view_graph(kg)
    path = viz.write_html(G, tmp_path / "big.html", max_nodes=500)
    bp = _open(browser_page, path)
    assert "Aggregated view" in bp.locator("#rg-banner").inner_text()
    assert bp.evaluate("rg.nodes.length") == viz.aggregate(G, 500).number_of_nodes()
    assert bp.console_errors == [] and bp.blocked == []
    kg.close()


def test_a_register_larger_than_the_threshold_is_counted_in_the_store(tmp_path):
    data = tmp_path / "synth.nt"
    synth.generate_file(data, triples=20000, seed=1)
    kg = recruitgraph.open(memory=True, extra_files=[data])
    total = viz.count_records(kg)
    assert total > 500
    G = viz.view_graph(kg, max_nodes=500)
    assert G.graph["records_counted"] == total
    assert not [n for n, d in G.nodes(data=True) if d["class"] == "Recruit"]
    counted = [d["records"] for _, d in G.nodes(data=True) if d.get("records")]
    assert counted and max(counted) <= total
    page = viz.render_html(G, max_nodes=500)
    assert 'id="rg-banner"' in page and f"{total:,} individual records" in page
    kg.close()
