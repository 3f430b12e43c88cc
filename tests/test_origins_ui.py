"""Entity, claim and figure pages in a real headless Chromium (network blocked except the app):
how many independent origins back each fact, disagreeing figures side by side, and the names each
source uses for an actor. Expected values come from the claims files in data/claims/
(claims_files.py), never from the program's output."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from claims_files import ClaimsFiles, disagree
from serve_process import running_server

pytestmark = pytest.mark.browser

FILES = ClaimsFiles.read()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server(["--query-timeout", "20"]) as url:
        yield url


def _summary(sources: int, origins: int) -> str:
    word = "1 origin" if origins == 1 else f"{origins} independent origins"
    return f"{sources} source{'' if sources == 1 else 's'} · {word}"


def test_entity_page_counts_the_origins_of_a_fact_two_reports_state(browser_page: Any, base: str) -> None:
    sources = FILES.stating("kenyan-citizens", "fightsFor", "russian-armed-forces")
    origins = {FILES.origin(s) for s in sources}
    assert len(origins) >= 2, "the claims files should give this fact from two origins"
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/kenyan-citizens")
    fact = page.locator("#facts .fact", has=page.locator("dt", has_text=re.compile("^fights for$")))
    badge = fact.locator("details.support")
    assert badge.locator("summary").inner_text() == _summary(len(sources), len(origins))
    assert not badge.locator("ul.origins").is_visible()
    badge.locator("summary").click()  # the origins on expand
    listed = badge.locator("li.origin")
    assert listed.count() == len(origins)
    text = badge.inner_text()
    for s in sources:
        assert FILES.source_label(s) in text
    page.assert_clean()


def test_kenyan_figures_side_by_side_with_their_claimants(browser_page: Any, base: str) -> None:
    measure = "kenyan-nationals-recruited"
    figures = FILES.figures_of(measure)
    values = {c["figure"]["value"] for c in figures.values()}
    assert {200, 1000} <= values
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/kenyan-citizens")
    table = page.locator(f"#compare-measure-{measure}")
    assert table.locator("a.ledger-link").get_attribute("href") == f"/ledgers/measure-{measure}"
    rows = table.locator("tbody tr")
    assert rows.count() == len(figures)
    for fig, claim in figures.items():
        row = table.locator(f"tr[data-figure='{fig}']")
        assert f"{claim['figure']['value']:,}" in row.locator("td").first.inner_text()
        claimants = row.locator("td.claimant").inner_text()
        for who in FILES.claimants(claim):
            assert FILES.label(who) in claimants
        expected = any(disagree(claim, other) for f, other in figures.items() if f != fig)
        assert ("contradicts" in row.locator("td.verdict").inner_text()) == expected
        # the page's own figures are told apart from the rest of the ledger
        assert ("focus" in (row.get_attribute("class") or "").split()) == (claim["figure"].get("about") == "kenyan-citizens")
    table.locator("a.ledger-link").click()
    page.wait_for_url(re.compile(rf"/ledgers/measure-{measure}$"))
    page.assert_clean()


def test_figure_page_marks_the_figures_that_contradict_it(browser_page: Any, base: str) -> None:
    figures = FILES.figures_of("nepali-nationals-killed")
    fig = "fig-pti-np-killed-dofe"
    against = {f for f, c in figures.items() if f != fig and disagree(figures[fig], c)}
    assert against, "the claims files give figures for January 2024 that cannot all hold"
    page = browser_page(allowed_origins=[base])
    page.goto(base + f"/id/{fig}")
    own = page.locator(f"#side-by-side tr[data-figure='{fig}']")
    assert "this figure" in own.inner_text()
    marked = {a.get_attribute("data-other") for a in own.locator("td.verdict a").all()}
    assert marked == against
    for f, claim in figures.items():
        row = page.locator(f"#side-by-side tr[data-figure='{f}']")
        assert ("contradicts" in (row.get_attribute("class") or "")) == any(
            disagree(claim, other) for g, other in figures.items() if g != f)
    page.assert_clean()


def test_claim_page_says_who_else_states_its_fact(browser_page: Any, base: str) -> None:
    sources = FILES.stating("kenyan-citizens", "fightsFor", "russian-armed-forces")
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/claim-kt-kenyans-fight-for-russia")
    statement = page.locator("#statement")
    assert FILES.label("kenyan-citizens") in statement.inner_text()
    badge = statement.locator("details.support")
    assert badge.locator("ul.origins").is_visible()  # open on the claim's own page
    assert badge.locator("summary").inner_text() == _summary(len(sources), len({FILES.origin(s) for s in sources}))
    assert badge.locator("a", has_text="this claim").get_attribute("href") == "/id/claim-kt-kenyans-fight-for-russia"
    page.assert_clean()


def test_actor_named_differently_lists_each_sources_names(browser_page: Any, base: str) -> None:
    actor = "prigozhin-mercenary-force"
    used = FILES.names_used(actor)
    assert len({frozenset(n) for n in used.values()}) >= 2, "two reports should call it differently"
    page = browser_page(allowed_origins=[base])
    page.goto(base + f"/id/{actor}")
    table = page.locator("#names-by-source table")
    assert table.locator("tbody tr").count() == len(used)
    for source, names in used.items():
        row = table.locator(f"tr[data-source='{source}']")
        assert row.locator("td").first.inner_text() == FILES.source_label(source)
        assert set(row.locator("td.names").inner_text().split(", ")) == names
    # the name records are in the table, not listed as things that mention the actor
    assert page.locator("#mentions", has_text="named entity").count() == 0
    page.assert_clean()
