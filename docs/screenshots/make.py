#!/usr/bin/env python3
"""Regenerate the README's screenshots: start ``recruitgraph serve`` (in-memory store, a free
port), drive Debian's Chromium through Playwright with every request outside the app's origin
blocked, and write six PNGs beside this script:

- ``search.png``: "nep" typed in the search box, the matches grouped by class;
- ``entity.png``: Nepal's request to Russia, with the evidence its facts rest on;
- ``pipeline.png``: the prison pipeline drawn stage by stage;
- ``sources.png``: the sources page, one row per report with its publisher, dates and origin;
- ``ledger.png``: the ledger of Kenyans recruited, where Kenya's count of over 200 meets its
  intelligence service's more than 1,000;
- ``origins.png``: the Kenyan recruits' page, a fact's independent origins opened and the Kenyan
  figures side by side.

    .venv/bin/python docs/screenshots/make.py

The server runs with an empty sources folder (``RECRUITGRAPH_SOURCES``): source texts are
others' writing and stay out of the repository, images included, so the pages show each passage
by its position with the note on where to put the text, never the passage itself.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"


def start_server(no_texts: str) -> tuple[subprocess.Popen[bytes], str]:
    proc = subprocess.Popen([sys.executable, "-m", "recruitgraph.cli", "--memory", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, "RECRUITGRAPH_SOURCES": no_texts})
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
    if not match:
        proc.kill()
        raise SystemExit(f"make.py: serve did not print its URL: {line!r}")
    base = match.group(1)
    for _ in range(300):
        try:
            with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=5):
                return proc, base
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("make.py: serve did not come up")


def shoot(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 820}, device_scale_factor=1)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        page.goto(base + "/")
        page.locator("#site-search").press_sequentially("nep", delay=60)
        page.locator("#site-search-list li.option").first.wait_for()
        page.locator("#site-search").press("ArrowDown")
        written.append(HERE / "search.png")
        page.screenshot(path=str(written[-1]))

        page.goto(base + "/id/nepal-repatriation-request")
        if page.locator("blockquote.passage").count():
            raise SystemExit("make.py: a passage of a source text would be in the screenshot")
        written.append(HERE / "entity.png")
        page.screenshot(path=str(written[-1]))

        page.goto(base + "/pipelines?pipeline=Prisons")
        page.frame_locator("#pipeline-frame").locator("body[data-rg-state=stable]").wait_for()
        written.append(HERE / "pipeline.png")
        bottom = page.locator("section.pipeline").bounding_box()
        assert bottom is not None
        page.screenshot(path=str(written[-1]), clip={"x": 0, "y": 0, "width": 1280,
                                                     "height": bottom["y"] + bottom["height"] + 12})

        page.goto(base + "/sources")
        written.append(HERE / "sources.png")
        page.screenshot(path=str(written[-1]))

        page.goto(base + "/ledgers/measure-kenyan-nationals-recruited")
        written.append(HERE / "ledger.png")
        _clip(page, "h1", "#ledger", written[-1])

        page.goto(base + "/id/kenyan-citizens")
        page.locator("#facts details.support").first.locator("summary").click()
        written.append(HERE / "origins.png")
        _clip(page, "#facts", "#side-by-side", written[-1])
        browser.close()
        if errors:
            raise SystemExit(f"make.py: console errors: {errors}")
    return written


def _clip(page: object, first: str, last: str, path: Path) -> None:
    """A full-page screenshot from the top of ``first`` to the bottom of ``last``."""
    top = page.locator(first).first.bounding_box()  # type: ignore[attr-defined]
    bottom = page.locator(last).first.bounding_box()  # type: ignore[attr-defined]
    assert top is not None and bottom is not None
    y = max(0, top["y"] - 12)
    page.screenshot(path=str(path), full_page=True,  # type: ignore[attr-defined]
                    clip={"x": 0, "y": y, "width": 1280, "height": bottom["y"] + bottom["height"] + 12 - y})


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="recruitgraph-no-texts-") as no_texts:
        proc, base = start_server(no_texts)
        try:
            for path in shoot(base):
                print(f"wrote {path}")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
