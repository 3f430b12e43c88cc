"""Notebooks and Python: results as HTML tables and DataFrames of Python values, and the graph as
a pyvis Network whose page, written through the project's writer, works offline in Chromium."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from recruitgraph import viz
from recruitgraph.visualization import style_of, view_graph

PRISONS = "https://w3id.org/recruitgraph/id/pipeline-prison-recruitment"


def test_results_render_as_an_escaped_html_table(kg: Any) -> None:
    result = kg.query("""SELECT ?c ?label ?n WHERE { ?c a rg:CountryOfOrigin ; rdfs:label ?label .
        BIND(3 AS ?n) } ORDER BY ?label""")
    page = result._repr_html_()
    assert page.count("<tr>") == len(result) + 1
    assert ">rgd:nepal</td>" in page and 'title="https://w3id.org/recruitgraph/id/nepal"' in page
    xss = kg.query('SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }')._repr_html_()
    assert "<script>" not in xss and "&lt;script&gt;" in xss


def test_to_dataframe_gives_python_values(kg: Any) -> None:
    import pandas as pd

    result = kg.query("""SELECT ?figure ?value ?day ?ratio ?flag WHERE {
        ?figure a rg:Figure ; rg:value ?value .
        BIND("2024-05-02"^^xsd:date AS ?day) BIND(2.5 AS ?ratio) BIND(true AS ?flag) } LIMIT 3""")
    df = result.to_dataframe()
    assert pd.api.types.is_numeric_dtype(df["value"]) and not pd.api.types.is_bool_dtype(df["value"])
    assert isinstance(result.to_records()[0]["value"], int)
    row = df.iloc[0]
    assert isinstance(row["figure"], str) and row["figure"].startswith("https://w3id.org/recruitgraph/id/")
    assert row["day"] == datetime.date(2024, 5, 2)
    assert row["ratio"] == Decimal("2.5")
    assert bool(row["flag"]) is True


def test_to_pyvis_keeps_colours_shapes_and_evidence(kg: Any) -> None:
    from pyvis.network import Network

    G = view_graph(kg, pipeline=PRISONS)
    net = viz.to_pyvis(G)
    assert isinstance(net, Network)
    assert len(net.nodes) == G.number_of_nodes() and len(net.edges) == G.number_of_edges()
    for node in net.nodes:
        colour, shape = style_of(node["rg"]["cls"])
        assert node["color"] == colour and node["shape"] == shape
    titles = "\n".join(node["title"] for node in net.nodes)
    assert "claimant:" in titles and "characters" in titles


@pytest.mark.browser
def test_pyvis_page_through_the_project_writer_works_offline(kg: Any, browser_page: Any, tmp_path: Path) -> None:
    net = viz.to_pyvis(view_graph(kg, pipeline=PRISONS))
    net.nodes[0]["color"] = "#123456"  # a reader's customisation survives the writer
    path = viz.write_html(net, tmp_path / "prisons.html")
    page = browser_page()
    page.goto(path.as_uri())
    page.locator("body[data-rg-state=stable]").wait_for()
    assert page.evaluate("() => rg.nodes.get(0).color") == "#123456"
    assert page.evaluate("() => rg.data.nodes.length") == len(net.nodes)
    assert page.evaluate("() => rg.data.hierarchical") is True
    evidence = page.evaluate("() => rg.describeNode(rg.data.nodes[0]).textContent")
    assert "Evidence (" in evidence and "claimant" in evidence
    assert page.console_errors == [] and page.page_errors == [] and page.blocked == []
    assert page.requests == [path.as_uri()]
