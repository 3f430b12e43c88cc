"""Generation time and page-load time of `recruitgraph viz` pages at 1k, 10k and 50k nodes.

Synthetic research-scale data (``recruitgraph.synth``, deterministic) is loaded into an
in-memory store next to the shipped data; the script projects it, writes the page (aggregated
above the default threshold of 2,000 nodes, and once without aggregation at 1k), and opens it in
Debian's headless Chromium with every network request aborted, timing until the layout has
stabilised (``body[data-rg-state=stable]``). Not a test: it prints a table.

    .venv/bin/python bench/viz_scale.py [--sizes 1000,10000,50000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import recruitgraph
from recruitgraph import pipelines, synth, visualization

TRIPLES_PER_NODE = 16.8  # measured on the generator (seed 1): about 17 triples per projected node


def load_page(browser, path: Path) -> tuple[float, int, int]:
    """Seconds until the page is stable, nodes in vis's DataSet, requests other than the file."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    other: list[str] = []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else (other.append(r.request.url), r.abort()))
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-rg-state=stable]", timeout=600_000)
    elapsed = time.perf_counter() - start
    n = page.evaluate("rg.nodes.length")
    page.close()
    return elapsed, n, len(other)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--no-sandbox", "--disable-gpu", "--disable-quic"])
        for size in (int(s) for s in args.sizes.split(",")):
            data = Path(tmp) / f"synth-{size}.nt"
            synth.generate_file(data, triples=int(size * TRIPLES_PER_NODE), seed=1)
            kg = recruitgraph.open(memory=True, extra_files=[data])
            t0 = time.perf_counter()
            G = pipelines.project(kg, records=True)  # a node per record, as the page draws them
            t_project = time.perf_counter() - t0
            variants = [("aggregated", visualization.DEFAULT_MAX_NODES)]
            if G.number_of_nodes() <= 2500:
                variants.insert(0, ("full", 10**9))
            for name, threshold in variants:
                page = Path(tmp) / f"viz-{size}-{name}.html"
                t0 = time.perf_counter()
                visualization.write_html(G, page, max_nodes=threshold)
                t_html = time.perf_counter() - t0
                load, drawn, other = load_page(browser, page)
                rows.append((G.number_of_nodes(), G.number_of_edges(), name, drawn, t_project, t_html,
                             page.stat().st_size / 1e6, load, other))
            kg.close()
        browser.close()
    head = ("nodes", "edges", "view", "drawn", "project s", "write s", "page MB", "load s", "requests")
    print("  ".join(f"{h:>10}" for h in head))
    for r in rows:
        print(f"{r[0]:>10,}  {r[1]:>10,}  {r[2]:>10}  {r[3]:>10,}  {r[4]:>10.2f}  {r[5]:>10.2f}  "
              f"{r[6]:>10.2f}  {r[7]:>10.2f}  {r[8]:>10}")


if __name__ == "__main__":
    main()
