"""Reading the evidence in the browser (issue 14), in a real headless Chromium with the network
blocked except the app's origin: search with autocomplete, the index by class, 404 with the
closest ids, facts in words, passages in view, pipelines as stages, the timeline.
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


def _clean(page: Any, allow_404: bool = False) -> None:
    errors = [e for e in page.console_errors if not (allow_404 and "404" in e)]
    assert errors == [], page.console_errors
    assert page.page_errors == [], page.page_errors
    assert page.blocked == [], page.blocked
    assert page.dialogs == []


# -- 1. search -------------------------------------------------------------------------------------


def test_type_nep_and_pick_nepal_with_the_keyboard(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/timeline")  # the box is on every page
    box = page.locator("#site-search")
    box.press_sequentially("nep", delay=40)
    listbox = page.locator("#site-search-list")
    listbox.locator("li.option").first.wait_for()
    groups = listbox.locator("li.group").all_text_contents()
    assert "Country of origin (1)" in groups and any(g.startswith("Recruit cohort (") for g in groups)
    assert listbox.locator("li.option").first.inner_text() == "Nepal"
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert listbox.locator('li.option[aria-selected="true"]').inner_text() == "Nepal"
    box.press("Enter")
    page.wait_for_url(base + "/id/nepal")
    assert page.locator("h1").inner_text() == "Nepal"
    _clean(page)


def test_case_diacritics_and_aliases_are_folded(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/")
    box = page.locator("#site-search")
    box.press_sequentially("NÉPÁ", delay=30)
    page.locator("#site-search-list li.option", has_text="Nepal").first.wait_for()
    box.fill("")
    box.press_sequentially("putin", delay=30)
    option = page.locator("#site-search-list li.option", has_text="Vladimir Putin")
    option.wait_for()
    assert "also called Putin" in option.inner_text()
    box.press("Escape")
    assert page.locator("#site-search-list").is_hidden()
    # Enter with nothing picked opens the results page
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=putin"))
    assert page.locator("#search-results a", has_text=re.compile(r"^Vladimir Putin$")).count() == 1
    _clean(page)


def test_search_page_groups_by_class_with_counts(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/search?q=ru")
    total = int(page.locator("#search-count").inner_text().split()[0])
    counts = [int(re.search(r"\((\d+)\)", t).group(1))  # type: ignore[union-attr]
              for t in page.locator("#search-results .search-group h2").all_inner_texts()]
    assert sum(counts) == total > 10
    page.locator(".class-filter a", has_text="Recruit cohort").click()
    page.wait_for_url(re.compile(r"class="))
    headings = page.locator("#search-results .search-group h2").all_inner_texts()
    assert len(headings) == 1 and headings[0].startswith("Recruit cohort")
    _clean(page)


def test_index_by_class_and_404_with_closest_ids(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/")
    group = page.locator("#entity-index .index-group", has=page.locator("h2", has_text="Country of origin"))
    assert group.locator("a", has_text="Nepal").count() == 1
    response = page.goto(base + "/id/nepall")
    assert response is not None and response.status == 404
    page.locator("#closest a", has_text="Nepal").click()
    page.wait_for_url(base + "/id/nepal")
    _clean(page, allow_404=True)


# -- 2. facts in words, one row per fact ---------------------------------------------------------------


def test_troop_figures_one_row_per_fact_with_its_evidence(browser_page: Any, base: str, source_text: str) -> None:
    """Putin's 2025 figure rests on two passages: one row, "2 evidence records", expandable."""
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/query?name=troop-figures&run=1")
    page.wait_for_selector("#results")
    row = page.locator("#results tbody tr", has=page.locator('a[href="/id/fig-putin-troops-fighting-2025"]'))
    assert row.count() == 1
    first = row.locator("td").nth(0).inner_text()
    assert "700,000" in first and "Putin" in first and "fig-" not in first
    assert "700,000" in row.inner_text() and "700000" not in row.inner_text()
    records = row.locator("details.ev-records")
    assert records.locator("summary").inner_text() == "2 evidence records"
    assert not records.locator("blockquote.passage").first.is_visible()
    records.locator("summary").click()
    quotes = records.locator("blockquote.passage").all_inner_texts()
    assert len(quotes) == 2 and all(q.strip() in source_text for q in quotes)
    # the source's title is never a column repeated in every row: it is said once per evidence
    # record (or once above the table when every record has the same source)
    title = "How Russia recruits soldiers for its war in Ukraine at home and abroad"
    fact_cells = " ".join(page.locator("#results tbody td:not(.ev-cell)").all_inner_texts())
    assert title not in fact_cells
    for i in range(records.locator(".ev-record").count()):
        assert records.locator(".ev-record").nth(i).inner_text().count(title) <= 1
    # readable headers, and no raw IRI shown in a cell
    assert "Claim date" in page.locator("#results thead").inner_text()
    cells = page.locator("#results tbody td").all_inner_texts()
    assert not [c for c in cells if "w3id.org" in c or c.startswith(("rgd:", "rgv:", "http"))]
    # the downloads keep one row per evidence record
    csv = page.request.get(base + "/query?name=troop-figures&format=csv").text()
    assert csv.count("fig-putin-troops-fighting-2025") == 2
    _clean(page)


def test_claim_page_titled_by_its_statement(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/claim-citizenship-laws-issued-by-russia")
    title = page.locator("h1").inner_text()
    assert "claim-" not in title and "w3id" not in title and "Russia" in title
    assert "Relation claim" in page.locator(".iri .tag").all_inner_texts()
    page.goto(base + "/id/fig-putin-troops-fighting-2023")
    assert page.locator("h1").inner_text().startswith("617,000")
    assert "Putin" in page.locator("h1").inner_text()
    _clean(page)


# -- 3. passages in view ---------------------------------------------------------------------------------


def test_source_reading_view_highlights_passages_with_their_claims(browser_page: Any, base: str,
                                                                   source_text: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/russia-recruitment-2026-01")
    page.click("#reading-link")
    page.wait_for_url(base + "/read/russia-recruitment-2026-01")
    article = page.locator("#source-text")
    # the whole held text is on the page, with cited passages highlighted
    assert article.text_content() == source_text
    highlight = article.locator("a.hl", has_text="700,000 Russian troops").first
    target = highlight.get_attribute("href")
    assert target and target.startswith("#c-")
    highlight.click()
    side = page.locator(target)
    assert side.is_visible()
    start, end = (int(x) for x in target[3:].split("-"))
    assert side.locator("blockquote.passage").inner_text().strip() == source_text[start:end].strip()
    claims = side.locator("li a").all_inner_texts()
    assert any("700,000" in c and "Putin" in c for c in claims)
    assert page.locator("#claims-beside section.cited").count() >= 20
    _clean(page)


def test_passage_page_shows_its_text_and_every_claim_citing_it(browser_page: Any, base: str,
                                                               source_text: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/russia-recruitment-2026-01-chars-4609-4681")
    assert page.locator("#passage-text").inner_text().strip() == source_text[4609:4681].strip()
    citing = page.locator("#citing li")
    assert citing.count() >= 7
    assert citing.locator("a", has_text="Russia offers Fast-track Russian citizenship").count() == 1
    assert citing.locator("a", has_text="rgd:").count() == 0  # stages are named too
    page.locator("#passage a.in-context").click()
    page.wait_for_url(re.compile(r"/read/russia-recruitment-2026-01#p-4609-4681$"))
    _clean(page)


def test_pipeline_tooltip_shows_the_passage(browser_page: Any, base: str, source_text: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/pipelines?view=network")
    frame = page.frame_locator("#pipeline-frame")
    frame.locator("body[data-rg-state=stable]").wait_for()
    texts = page.frame(url=re.compile(r"/graph/pipelines")).evaluate(  # type: ignore[union-attr]
        "() => Array.from(document.querySelectorAll('body')).map(() => {"
        "  const e = rg.data.edges.find(x => x.ev.length && x.ev[0].text);"
        "  const box = rg.describeEdge(e); document.getElementById('rg-details').replaceChildren(box);"
        "  return Array.from(box.querySelectorAll('blockquote.rg-passage-text')).map(b => b.textContent); })[0]")
    assert texts and all(t in source_text for t in texts)
    _clean(page)


def test_without_the_source_text_offsets_and_where_to_put_it(browser_page: Any, tmp_path: Any) -> None:
    empty = tmp_path / "no-sources"
    empty.mkdir()
    with running_server(["--query-timeout", "20"], env={"RECRUITGRAPH_SOURCES": str(empty)}) as url:
        page = browser_page(allowed_origins=[url])
        page.goto(url + "/id/russia-recruitment-2026-01-chars-4609-4681")
        note = page.locator("#text-missing").inner_text()
        assert "russia-recruitment-2026-01.txt" in note and str(empty) in note
        assert page.locator("#passage-text").count() == 0
        page.goto(url + "/query?name=troop-figures&run=1")
        row = page.locator("#results tbody tr", has=page.locator('a[href="/id/fig-putin-troops-fighting-2025"]'))
        row.locator("details.ev-records summary").click()
        record = row.locator(".ev-record").first
        assert re.search(r"characters \d+\u2013\d+", record.inner_text())
        assert "russia-recruitment-2026-01.txt" in record.locator(".note").inner_text()
        _clean(page)


# -- 4. pipelines as stages ---------------------------------------------------------------------------------


def test_prison_pipeline_drawn_as_five_ordered_stages(browser_page: Any, base: str, source_text: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/pipelines")  # opens on the list of pipelines, each drawn stage by stage
    assert page.locator("section.pipeline svg.stages").count() >= 5
    prisons = page.locator("section.pipeline", has=page.locator("h2 a", has_text=re.compile(r"^Prisons$")))
    stages = prisons.locator("svg.stages a.stage")
    assert stages.count() == 5
    boxes = [stages.nth(i).bounding_box() for i in range(5)]
    orders = [int(stages.nth(i).get_attribute("data-order") or 0) for i in range(5)]
    by_x = [o for _, o in sorted(zip([b["x"] for b in boxes], orders, strict=True))]  # type: ignore[index]
    assert by_x == [1, 2, 3, 4, 5]  # left to right in stage order
    roles = prisons.locator("svg.stages text.role").all_text_contents()
    assert [r.lower() for r in roles] == ["origin", "intermediary", "channel", "institution", "front"]
    sizes = prisons.locator("svg.stages text.label").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a)")
    assert min(sizes) >= 12  # readable at the default zoom
    assert "Convicted prisoners" in prisons.locator("svg.stages").text_content()
    colours = {prisons.locator("svg.stages rect.box").nth(i).get_attribute("stroke") for i in range(5)}
    assert len(colours) >= 4  # one colour per class family
    # the evidence of a step is one click away
    prisons.locator('svg.stages a.step[data-to="3"]').click()
    page.wait_for_url(re.compile(r"/id/pipeline-prison-recruitment-stage-3$"))
    heading = page.locator("h1").inner_text()
    assert "stage 3" in heading.lower() and "Prisons" in heading
    quote = page.locator("#own-evidence blockquote.passage").first.inner_text().strip()
    assert quote and quote in source_text
    _clean(page)


def test_whole_network_is_clustered_and_filters_refit(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/pipelines?view=network")
    page.frame_locator("#pipeline-frame").locator("body[data-rg-state=stable]").wait_for()
    frame = page.frame(url=re.compile(r"/graph/pipelines"))
    assert frame is not None
    assert frame.evaluate("() => rg.isCluster('cluster:RecruitCohort')")
    frame.select_option("#rg-country", index=1)
    inside = frame.evaluate("""() => {
        const box = document.getElementById('rg-network').getBoundingClientRect();
        const ids = rg.view.getIds();
        return ids.map(id => rg.network.findNode(id)[0]).filter(Boolean).every(top => {
          const p = rg.network.canvasToDOM(rg.network.getPositions([top])[top]);
          return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height;
        }) && rg.network.getScale() >= 12 / 14 - 1e-6;
    }""")
    assert inside  # what the filter leaves is in view, not specks off screen
    frame.click("#rg-open-clusters")
    assert not frame.evaluate("() => rg.isCluster('cluster:RecruitCohort')")
    _clean(page)


# -- 5. timeline ---------------------------------------------------------------------------------------------


def test_timeline_draws_dates_with_their_precision(browser_page: Any, base: str) -> None:
    """A year is a span: the 2022 mobilisation no longer sits at 1 January, before the invasion."""
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/timeline")
    axis = page.locator("svg.timeline-axis")

    def width(precision: str) -> float:
        mark = axis.locator(f'a.mark[data-precision="{precision}"] rect').first
        return float(mark.get_attribute("width") or 0)

    assert width("year") > 5 * width("month") > 0
    # a year's bar covers the months and days of that year drawn on the axis
    covered = axis.evaluate("""svg => {
        const marks = Array.from(svg.querySelectorAll('a.mark')).map(a => ({date: a.dataset.date,
            x: parseFloat(a.querySelector('rect, circle').getAttribute(a.querySelector('rect') ? 'x' : 'cx'))}));
        const years = Array.from(svg.querySelectorAll('a.mark[data-precision=year] rect')).map(r => ({
            date: r.parentElement.dataset.date, x0: parseFloat(r.getAttribute('x')),
            x1: parseFloat(r.getAttribute('x')) + parseFloat(r.getAttribute('width'))}));
        const pairs = [];
        years.forEach(y => marks.filter(m => m.date.length > 4 && m.date.startsWith(y.date))
            .forEach(m => pairs.push(y.x0 - 1 <= m.x && m.x <= y.x1 + 5)));
        return pairs;
    }""")
    assert covered and all(covered)
    legend = page.locator("#timeline-legend").inner_text()
    assert "figure" in legend and "event" in legend and "dated claim" in legend
    assert "inferred" in legend
    assert axis.locator('a.mark[data-inferred="yes"] .inferred').count() >= 1
    marks = axis.locator("a.mark").count()
    counted = sum(int(c) for c in axis.locator("a.more").evaluate_all("els => els.map(e => e.dataset.count)"))
    assert marks + counted == page.locator("#timeline li[data-date]").count()
    _clean(page)


def test_timeline_plus_n_opens_its_items_in_place(browser_page: Any, base: str) -> None:
    """A crowded date's "+N" opens the N items not drawn, on the timeline itself, each linked to its
    page; the keyboard opens and closes it too."""
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/timeline")
    page.locator("body[data-ready]").wait_for()
    axis = page.locator("svg.timeline-axis")
    drawn = set(axis.locator("a.mark").evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    listed = page.locator("#timeline li[data-date] > a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    more = axis.locator("a.more").last
    n = int(more.get_attribute("data-count") or 0)
    assert n >= 2 and more.locator("text.more-label").text_content() == f"+{n}"
    pid = more.get_attribute("aria-controls") or ""
    pop = page.locator("#" + pid)
    assert pop.is_hidden() and more.get_attribute("aria-expanded") == "false"
    more.click()
    pop.wait_for(state="visible")
    assert more.get_attribute("aria-expanded") == "true"
    assert page.url == base + "/timeline"  # opened in place: no jump to the list below
    links = pop.locator("li.more-item a")
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    # the N items the axis had no room for: listed below too, never drawn as marks
    assert len(hrefs) == n and all(h.startswith("/id/") for h in hrefs)
    assert set(hrefs) <= set(listed) and not set(hrefs) & drawn
    assert len(drawn) + sum(int(c) for c in axis.locator("a.more").evaluate_all(
        "els => els.map(e => e.dataset.count)")) == len(listed)
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == hrefs[0]
    # it opens next to its "+N", inside the timeline's box
    box, at = pop.bounding_box(), more.bounding_box()
    assert box and at and box["y"] >= at["y"] + at["height"] - 1 and box["x"] <= at["x"] + at["width"]
    # Escape closes it and gives the focus back to its "+N"; Enter and Space open it again
    page.keyboard.press("Escape")
    pop.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.id") == more.get_attribute("id")
    page.keyboard.press("Enter")
    pop.wait_for(state="visible")
    page.keyboard.press("Escape")
    pop.wait_for(state="hidden")
    page.keyboard.press(" ")
    pop.wait_for(state="visible")
    # another "+N" replaces it; a click elsewhere closes it
    first = axis.locator("a.more").first
    first.click()
    page.locator("#" + (first.get_attribute("aria-controls") or "")).wait_for(state="visible")
    assert pop.is_hidden()
    page.locator("h1").click()
    assert page.locator(".more-pop:visible").count() == 0
    # each item leads to its page
    more.click()
    links.nth(n - 1).click()
    page.wait_for_url(base + hrefs[n - 1])
    assert page.locator("h1").inner_text().strip()
    # an address naming a "+N" opens it; closing it then really closes it
    page.goto(f"{base}/timeline#{pid}")
    pop.wait_for(state="visible")
    page.keyboard.press("Escape")
    pop.wait_for(state="hidden")
    _clean(page)


def test_timeline_plus_n_opens_without_a_script(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base], javascript=False)
    page.goto(base + "/timeline")
    more = page.locator("svg.timeline-axis a.more").first
    pop = page.locator("#" + (more.get_attribute("aria-controls") or ""))
    assert pop.is_hidden()
    more.click()
    pop.wait_for(state="visible")
    assert pop.locator("li.more-item a").count() == int(more.get_attribute("data-count") or 0)
    pop.locator(".more-close").click()
    pop.wait_for(state="hidden")
    _clean(page)


# -- 6. the SPARQL editor ---------------------------------------------------------------------------------------


def test_editor_is_yasgui_and_completes_rg_terms_offline(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/editor")
    page.locator("body[data-editor=yasgui]").wait_for()
    assert page.locator("#yasgui .CodeMirror .cm-keyword").count() >= 1  # syntax highlighting
    page.evaluate("() => { rgEditor.tab.setQuery('SELECT ?x WHERE {\\n  ?x a '); }")
    page.evaluate("() => { const d = rgEditor.yasqe.getDoc(); d.setCursor(d.lineCount(), 0); rgEditor.yasqe.focus(); }")
    page.keyboard.type("rg:RecruitCo", delay=40)
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for()
    assert any("RecruitCohort" in h for h in hints.all_inner_texts())
    page.keyboard.press("Escape")
    # a class of our ontology was completed without asking any other host (LOV, prefix.cc)
    page.evaluate("() => { rgEditor.tab.setQuery('SELECT ?c ?label WHERE { ?c a rg:CountryOfOrigin ; rdfs:label ?label }'); }")
    page.locator("#yasgui .yasqe_queryButton").click()
    page.locator("#yasgui .yasr table tbody tr").first.wait_for()
    assert "Nepal" in page.locator("#yasgui .yasr").inner_text()
    # the named queries are offered as examples, and the server-side run keeps a shareable URL
    options = page.locator("#examples option").all_inner_texts()
    assert any("(named query)" in o for o in options)
    page.select_option("#examples", label="Countries in the graph")
    assert "rg:State" in page.evaluate("() => rgEditor.yasqe.getValue()")
    page.click("#run")
    page.wait_for_url(re.compile(r"/\?query=SELECT"))
    page.wait_for_selector("#results")
    assert page.locator('#results a[href="/id/russia"]').count() == 1
    _clean(page)


#: Records every Content-Security-Policy violation of the page, from its first script on.
_RECORD_VIOLATIONS = """window.rgViolations = [];
document.addEventListener('securitypolicyviolation', e => window.rgViolations.push(
    e.effectiveDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"""


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def _sha256(text: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_editor_policy_allows_only_yasgui_s_own_inline_styles(browser_page: Any, base: str) -> None:
    """No 'unsafe-inline' on the editor: YASGUI's few inline styles are allowed by hash, and a run
    through highlighting, rg: completion, a named query, the table and response views, a column
    resize and the parse-error tooltip raises no violation; any other inline style is refused."""
    page = browser_page(allowed_origins=[base])
    page.page.context.add_init_script(_RECORD_VIOLATIONS)
    site = _directives(page.goto(base + "/timeline").headers["content-security-policy"])  # type: ignore[union-attr]
    assert site["style-src"] == ["'self'"] and site["script-src"] == ["'self'"] and "style-src-attr" not in site
    response = page.goto(base + "/editor")
    assert response is not None
    policy = response.headers["content-security-policy"]
    editor = _directives(policy)
    assert "unsafe-inline" not in policy
    # what YASGUI writes: the column resizer's drag cursor sheet, the tooltip's underline attribute
    assert editor["style-src"][0] == "'self'" and _sha256("*{cursor:col-resize!important}") in editor["style-src"]
    assert len(editor["style-src"]) == 3  # 'self', the resizer's table sheet, its drag cursor
    assert editor["style-src-attr"] == ["'unsafe-hashes'", _sha256("text-decoration:underline")]
    assert {k: v for k, v in editor.items() if not k.startswith("style-src")} == {
        k: v for k, v in site.items() if k != "style-src"}
    page.locator("body[data-editor=yasgui]").wait_for()
    assert page.locator("#yasgui .CodeMirror .cm-keyword").count() >= 1
    page.evaluate("() => { rgEditor.tab.setQuery('SELECT ?x WHERE {\\n  ?x a '); }")
    page.evaluate("() => { const d = rgEditor.yasqe.getDoc(); d.setCursor(d.lineCount(), 0); rgEditor.yasqe.focus(); }")
    page.keyboard.type("rg:RecruitCo", delay=40)
    page.locator(".CodeMirror-hints li", has_text="RecruitCohort").first.wait_for()
    page.keyboard.press("Enter")
    assert "rg:RecruitCohort" in page.evaluate("() => rgEditor.yasqe.getValue()")
    # a named query picked from the examples, run by YASGUI against /sparql: the table view
    page.select_option("#examples", label="States in the graph (named query)")  # queries/countries.rq
    page.locator("#yasgui .yasqe_queryButton").click()
    page.locator("#yasgui .yasr table tbody tr").first.wait_for()
    # the states of the data files (rg:iso3166Alpha2), Nepal among them, fit on one page
    assert "Nepal" in page.locator("#yasgui .yasr table").inner_text()
    # dragging a column's grip applies the resizer's cursor sheet (allowed by its hash)
    grip = page.locator("#yasgui .yasr .grip-handle").first
    box = grip.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 40, box["y"] + 5, steps=4)
    assert page.evaluate("() => getComputedStyle(document.body).cursor") == "col-resize"
    page.mouse.up()
    page.locator("#yasgui .yasr .select_response").first.click()
    page.locator("#yasgui .yasr .CodeMirror").first.wait_for()
    # an invalid line: the tooltip underlines what was expected (a style attribute, by hash)
    page.evaluate("() => { rgEditor.tab.setQuery('SELECT ?x WHERE { ?x a }'); }")
    icon = page.locator("#yasgui .parseErrorIcon").first
    icon.wait_for()
    icon.hover()
    page.locator(".yasqe_tooltip strong").first.wait_for()
    assert page.evaluate("() => getComputedStyle(document.querySelector('.yasqe_tooltip strong')).textDecorationLine") \
        == "underline"
    assert page.evaluate("() => window.rgViolations") == []
    _clean(page)
    # the policy is enforced: a style attribute or sheet of any other text is refused
    page.evaluate("""() => { document.body.insertAdjacentHTML('beforeend', '<p id="probe" style="color: red">x</p>');
        const s = document.createElement('style'); s.textContent = '#probe { font-size: 40px }'; document.head.append(s); }""")
    assert page.evaluate("() => getComputedStyle(document.getElementById('probe')).fontSize") != "40px"
    assert page.evaluate("() => getComputedStyle(document.getElementById('probe')).color") != "rgb(255, 0, 0)"
    assert sorted(v.split()[0] for v in page.evaluate("() => window.rgViolations")) == ["style-src-attr", "style-src-elem"]


# -- 7. one rule for naming entities, in the UI too ------------------------------------------------------------


def test_query_form_takes_a_label_and_names_the_closest(browser_page: Any, base: str) -> None:
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/query?name=actor-profile&actor=Putin&run=1")
    page.wait_for_selector("#results")
    assert page.locator('#results a[href="/id/vladimir-putin"]').count() >= 1
    response = page.goto(base + "/query?name=actor-profile&actor=Putn&run=1")
    assert response is not None and response.status == 400
    assert "Vladimir Putin (rgd:vladimir-putin)" in page.locator(".error").inner_text()
    # the 400 page itself is logged by Chromium as a failed resource; nothing else may be
    assert [e for e in page.console_errors if "400" not in e] == []
    assert page.page_errors == [] and page.blocked == []


def test_cited_page_is_a_citation_not_a_missing_passage(browser_page: Any, base: str) -> None:
    """A source the project does not hold (a cited page) shows as a link out, never as a passage
    whose text is missing."""
    page = browser_page(allowed_origins=[base])
    page.goto(base + "/id/fig-ki-confirmed-deaths-2023-06")
    cite = page.locator("#own-evidence .cite-line").first
    link = cite.locator("a.link-out")
    assert (link.get_attribute("href") or "").startswith("https://")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert "without holding its text" in cite.inner_text()
    assert page.locator("#own-evidence .note").count() == 0
    page.goto(base + "/read/kyivindependent-mediazona-count")
    assert (page.locator("#citation a.link-out").get_attribute("href") or "").startswith("https://")
    assert page.locator("#text-missing").count() == 0
    assert page.locator("#c-unplaced li a").count() >= 1
    assert page.blocked == []  # the link out is never followed by the page itself
    _clean(page)
