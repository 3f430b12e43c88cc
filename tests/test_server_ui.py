"""The browser UI of ``recruitgraph serve`` in a real headless Chromium, network blocked except
the app's own origin: gallery -> question -> country -> answer; entity page with evidence;
pipelines, timeline, editor and downloads pages; no console errors and no blocked request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from serve_process import running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server(["--query-timeout", "20"]) as url:
        yield url


def _clean(page: Any) -> None:
    assert page.console_errors == [], page.console_errors
    assert page.page_errors == [], page.page_errors
    assert page.blocked == [], page.blocked
    assert page.dialogs == []


def test_gallery_question_country_answer(browser_page: Any, base: str) -> None:
    """Nepal in the deception/trafficking question: the source says Nepal asked Russia to return
    its nationals (its foreign minister, 2024) and then banned work travel to Russia and Ukraine."""
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/")
    cards = page.locator("#gallery .card")
    assert cards.count() >= 10
    page.locator('#gallery .card[data-query="trafficked-nationals"] h2 a').click()
    page.wait_for_url(re.compile(r"/query\?name=trafficked-nationals"))
    options = page.locator("#param-country option").all_text_contents()
    assert "Nepal" in options and "India" in options  # a picker filled from the graph
    page.select_option("#param-country", label="Nepal")
    page.click("#run")
    page.wait_for_selector("#results")
    text = page.locator("#results tbody").inner_text()
    rows = page.locator("#results tbody tr")
    assert rows.count() >= 3
    assert "repatriation request" in text and "travel ban" in text
    assert "Narayan Prakash Saud" in text  # the claimant of the repatriation request
    assert "India" not in text  # only Nepal's rows
    # every country cell links to the entity page
    assert page.locator('#results a[href="/id/nepal"]').count() >= 1
    # the URL reopens the same answer
    shared = page.url
    page.goto(shared)
    assert page.locator("#results tbody tr").count() == rows.count()
    _clean(page)


def test_results_table_sorts(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/?query=" + "SELECT%20%3Fc%20%3Flabel%20WHERE%20%7B%20%3Fc%20a%20rg%3ACountryOfOrigin%20%3B%20rdfs%3Alabel%20%3Flabel%20%7D")
    page.wait_for_selector("#results")
    labels = page.locator("#results tbody tr td:nth-child(2)").all_inner_texts()
    page.locator("#results thead th:nth-child(2) button").click()
    assert page.locator("#results tbody tr td:nth-child(2)").all_inner_texts() == sorted(labels, key=str.casefold)
    page.locator("#results thead th:nth-child(2) button").click()
    assert page.locator("#results tbody tr td:nth-child(2)").all_inner_texts() == sorted(labels, key=str.casefold, reverse=True)
    _clean(page)


def test_entity_page_shows_evidence(browser_page: Any, base: str, source_text: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/nepal")
    assert page.locator("h1").inner_text() == "Nepal"
    evidence = page.locator(".ev")
    assert evidence.count() >= 2
    item = evidence.filter(has_text="Narayan Prakash Saud").first
    body = item.inner_text()
    assert "2024" in body and "official statement" in body
    start, end = (int(x) for x in re.search(r"characters (\d+)\u2013(\d+)", body).groups())  # type: ignore[union-attr]
    # the passage shown is exactly the source's text at those offsets
    assert item.locator("blockquote.passage").inner_text().strip() == source_text[start:end].strip()
    _clean(page)


def test_entity_neighbourhood_graph(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/nepali-nationals")
    frame = page.frame_locator("#neighbourhood iframe")
    frame.locator("body[data-rg-state]").wait_for()
    frame.locator("#rg-network canvas").wait_for()
    _clean(page)


def test_pipelines_page(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/pipelines?view=network")
    frame = page.frame_locator("#pipeline-frame")
    frame.locator("#rg-network canvas").wait_for()
    assert frame.locator("#rg-class-filter input[type=checkbox]").count() >= 3
    options = page.locator("#pipeline-select option")
    assert options.count() >= 2
    value = options.nth(1).get_attribute("value")
    page.select_option("#pipeline-select", value=value)
    page.click("#pipeline-filter button")
    page.wait_for_url(re.compile(r"pipeline="))
    page.frame_locator("#pipeline-frame").locator("#rg-network canvas").wait_for()
    _clean(page)


def test_timeline_troop_figures(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/timeline")
    dates = page.locator("#timeline li[data-date]").evaluate_all("els => els.map(e => e.dataset.date)")
    assert dates == sorted(dates) and len(dates) >= 5
    # the source gives troop figures for December 2023, 2024 and December 2025
    assert {"2023-12", "2025-12"} <= {d[:7] for d in dates}
    marks = page.locator("svg.timeline-axis a.mark").count()
    more = sum(int(c) for c in page.locator("svg.timeline-axis a.more").evaluate_all("els => els.map(e => e.dataset.count)"))
    assert marks + more == len(dates)
    assert page.locator("#timeline li .status").count() == len(dates)
    _clean(page)


def test_editor_construct_graph_and_downloads(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/editor")
    assert "PREFIX rg:" in page.locator("#query-text").input_value()
    page.select_option("#examples", label="Everything said about one entity (graph)")
    assert page.locator("#query-text").input_value().startswith("DESCRIBE")
    page.click("#run")
    page.wait_for_url(re.compile(r"/\?query=DESCRIBE"))
    page.frame_locator("#answer-block iframe").locator("#rg-network canvas").wait_for()
    assert page.locator(".downloads a", has_text="TURTLE").count() == 1
    page.goto(base + "/downloads")
    assert page.locator("#downloads tbody tr").count() == 7
    _clean(page)


def test_data_is_escaped(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/?query=" + "SELECT%20%3Fx%20WHERE%20%7B%20BIND(%22%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%22%20AS%20%3Fx)%20%7D")
    page.wait_for_selector("#results")
    assert page.locator("#results img").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.locator("#results").inner_text()
    _clean(page)
