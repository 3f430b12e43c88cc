"""Pipelines as stages from the command line: ``recruitgraph viz --pipeline NAME`` takes the names
``recruitgraph pipelines`` prints, lists them for an unknown name, and draws the stages left to
right (the offline page, checked in Chromium, and the static SVG figure)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from recruitgraph.cli import main
from recruitgraph.stages import drawing, find_pipeline


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--memory", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _printed_names() -> list[str]:
    code, out, _ = _run("pipelines")
    assert code == 0
    rows = [line.split("  ")[0].strip() for line in out.splitlines()[2:] if line.strip()]
    return sorted(set(rows))


def test_every_printed_name_draws_its_pipeline(tmp_path: Path) -> None:
    names = _printed_names()
    assert "Prisons" in names and "Pressure on conscripts" in names  # a channel shares this label
    for name in names:
        code, _, err = _run("viz", "--pipeline", name, "-o", str(tmp_path / "p.html"))
        assert code == 0, err


def test_unknown_pipeline_lists_the_names(tmp_path: Path) -> None:
    code, _, err = _run("viz", "--pipeline", "no such pipeline", "-o", str(tmp_path / "p.html"))
    assert code != 0
    assert "no pipeline is called 'no such pipeline'" in err
    for name in _printed_names():
        assert name in err
    assert not (tmp_path / "p.html").exists()


def test_ids_and_iris_name_pipelines_too(kg: Any) -> None:
    iri = "https://w3id.org/recruitgraph/id/pipeline-prison-recruitment"
    for name in ("prisons", "PRISONS", "pipeline-prison-recruitment", "prison-recruitment",
                 "rgd:pipeline-prison-recruitment", iri):
        assert find_pipeline(kg, name).iri == iri


def test_drawing_puts_stages_in_role_columns(kg: Any) -> None:
    d = drawing(find_pipeline(kg, "Prisons"), {})
    xs = [b.x for b in sorted(d.boxes, key=lambda b: b.stage.order)]
    assert xs == sorted(xs) and len(set(xs)) == 5
    assert [c["role"] for c in d.columns] == ["origin", "intermediary", "channel", "institution", "front"]
    assert len(d.arrows) == 4


def test_static_svg_of_one_pipeline(tmp_path: Path) -> None:
    target = tmp_path / "prisons.svg"
    code, _, err = _run("viz", "--pipeline", "Prisons", "--format", "svg", "-o", str(target))
    assert code == 0, err
    svg = target.read_text()
    # matplotlib writes each text it draws as a comment before its glyphs
    drawn = re.findall(r"<!-- (.*?) -->", svg)
    assert [w for w in drawn if w in ("Origin", "Intermediary", "Channel", "Institution", "Front")] == [
        "Origin", "Intermediary", "Channel", "Institution", "Front"]
    assert "Convicted prisoners" in drawn and "Recruitment from" in drawn


@pytest.mark.browser
def test_viz_page_of_one_pipeline_left_to_right_and_readable(browser_page: Any, tmp_path: Path) -> None:
    target = tmp_path / "prisons.html"
    assert _run("viz", "--pipeline", "Prisons", "-o", str(target))[0] == 0
    page = browser_page()
    page.goto(target.as_uri())
    page.locator("body[data-rg-state=stable]").wait_for()
    levels = page.evaluate("""() => rg.data.nodes.filter(n => n.level !== undefined)
        .map(n => [n.level, rg.network.getPositions([n.id])[n.id].x])""")
    assert len(levels) == 5
    assert [lv for lv, _ in sorted(levels, key=lambda p: p[1])] == sorted(lv for lv, _ in levels)
    assert page.evaluate("() => rg.network.getScale()") * 14 >= 12 - 1e-6
    assert page.console_errors == [] and page.page_errors == [] and page.blocked == []
