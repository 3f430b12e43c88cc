"""The sources and ledger pages in a real headless Chromium, on the invented claims files of
tests/fixtures/cited (network blocked except the app's own origin)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serve_process import running_server
from test_cited_queries import build_cited_home

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = build_cited_home(tmp_path_factory.mktemp("cited-ui") / "home")
    with running_server(["--query-timeout", "20"], env={"RECRUITGRAPH_HOME": str(home)}) as url:
        yield url


def test_ledger_chart_draws_intervals_arrows_and_status(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/ledgers")
    row = page.locator("#ledgers tbody tr", has_text="Freedonian nationals recruited")
    assert row.locator("td").nth(1).inner_text() == "4"  # four figures
    assert row.locator("td").nth(2).inner_text() == "2"  # from two origins
    row.locator("a").click()
    page.wait_for_url(re.compile(r"/ledgers/measure-freedonian-nationals-recruited$"))
    chart = page.locator("#ledger-chart")
    assert chart.locator("a.ledger-mark").count() == 4
    # only "more than 1,000" is open upwards; it is the one the source does not vouch for
    up = chart.locator("a.ledger-mark:has(polygon.arrow-up)")
    assert up.count() == 1
    assert up.get_attribute("data-figure") == "fig-hg-intelligence-recruits-2031-02"
    assert up.locator("line.bar").get_attribute("stroke-dasharray") == "6 4"
    assert chart.locator("line.bar[stroke-dasharray]").count() == 1
    # the exact 210 is a dot with a zero-length bar; the range 40-60 has no dot
    assert chart.locator("a[data-figure='fig-hg-ministry-recruits-2030-06'] circle").count() == 0
    assert chart.locator("a[data-figure='fig-kn-ministry-recruits-2031-02'] circle").count() == 1
    legend = page.locator("#ledger-legend li").all_inner_texts()
    assert {"Freedonian labour ministry", "Freedonian intelligence service"} <= {
        t.strip() for t in legend
    }
    assert page.locator("#contradictions li").count() == 2
    assert page.locator("#ledger tbody tr").count() == 4
    up.locator("polygon.arrow-up").click()
    page.wait_for_url(re.compile(r"/id/fig-hg-intelligence-recruits-2031-02$"))
    page.assert_clean()


def test_sources_page_counts_claims_and_shares_origins(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/sources")
    rows = page.locator("#sources tbody tr")
    assert rows.count() == 3
    harbor = rows.filter(has_text="disagree on recruits")
    assert harbor.locator("td.claims").inner_text() == "4"
    assert harbor.locator("td.origin").inner_text() == "itself"
    assert "(from URL)" in harbor.inner_text()
    copies = rows.filter(has_text="Wire story")
    assert copies.count() == 2
    assert set(copies.locator("td.origin a").all_inner_texts()) == {
        "Freedonian Press Agency: original story fpa-2031-03-recruits"
    }
    link = harbor.locator("a.out")
    assert link.get_attribute("href").startswith("https://harbor-gazette.example.org/")
    assert "noreferrer" in (link.get_attribute("rel") or "")
    page.assert_clean()


def test_wire_copies_count_as_one_origin_on_the_entity_page(browser_page: Any, base: str) -> None:
    from claims_files import ClaimsFiles

    files = ClaimsFiles.read(Path(__file__).parent / "fixtures" / "cited")
    sources = files.stating("freedonian-recruits", "fightsFor", "sylvanian-army")
    origins = {files.origin(s) for s in sources}
    assert len(sources) > len(origins) >= 2  # two copies of one wire story and a paper's own report
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/freedonian-recruits")
    badge = page.locator("#facts .fact", has_text="Sylvanian army").locator("details.support")
    assert badge.locator("summary").inner_text() == f"{len(sources)} sources · {len(origins)} independent origins"
    badge.locator("summary").click()
    assert badge.locator("li.origin").count() == len(origins)
    for origin in origins:
        copies = sorted(files.source_label(s) for s in sources if files.origin(s) == origin)
        item = badge.locator(f"li.origin[data-origin='{origin}']")
        assert sorted(a.inner_text() for a in item.locator("a").all() if a.inner_text() in copies) == copies
    page.assert_clean()
