#!/usr/bin/env python3
"""Time (and optionally profile) the pipeline projection, the aggregated page and the sorted
Turtle export against the raw dump, on an existing project data directory (issue 15).

    bench/profile_views.py DATA_DIR [--raw RAW_STORE_DIR] [--reps 5] [--profile projection]
    bench/profile_views.py BIG_DIR --raw BIG_RAW --against SMALL_DIR --against-raw SMALL_RAW

Prints one JSON line with the median and every run of each measure, so that runs before and
after a change, taken in the same conditions, can be set side by side. With ``--against``, a
second (smaller) data directory is measured in alternation with the first, one run of each in
turn, and the line gains the growth (big median / small median) of each measure: on a shared
machine whose speed drifts by tens of percent over minutes, runs taken in turn see the same
drift, where two runs one after the other do not.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def seconds(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return round(time.perf_counter() - t, 3)


def measures_of(data_dir: str, raw_dir: str | None, tmp: Path) -> dict[str, Callable[[], Any]]:
    """The measures on one data directory (and its raw store, for the raw dump)."""
    import pyoxigraph as ox

    import recruitgraph
    from recruitgraph.namespaces import PREFIXES
    from recruitgraph.pipelines import project
    from recruitgraph.visualization import view_graph, write_html

    kg = recruitgraph.open(data_dir=data_dir)
    measures: dict[str, Callable[[], Any]] = {
        "projection": lambda: project(kg),
        "page": lambda: write_html(view_graph(kg), tmp / "page.html"),
        "export": lambda: kg.export(tmp / "export.ttl", format="turtle"),
    }
    if raw_dir:
        raw = ox.Store.read_only(raw_dir)
        measures["raw-dump"] = lambda: raw.dump(output=str(tmp / "raw.ttl"), format=ox.RdfFormat.TURTLE,
                                               from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
    return measures


def summary(runs: list[float]) -> dict[str, Any]:
    return {"median_s": statistics.median(runs), "runs": runs}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data_dir")
    p.add_argument("--raw", help="a raw pyoxigraph store directory holding the same data")
    p.add_argument("--against", help="a smaller data directory, measured in turn with DATA_DIR")
    p.add_argument("--against-raw", help="the raw store of --against")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--only", default="projection,page,export", help="comma-separated measures")
    p.add_argument("--profile", help="profile one measure with cProfile instead of timing it")
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="recruitgraph-views-"))
    (tmp / "big").mkdir()
    (tmp / "small").mkdir()
    big = measures_of(a.data_dir, a.raw, tmp / "big")
    if a.profile:
        prof = cProfile.Profile()
        prof.runcall(big[a.profile])
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
        return 0
    small = measures_of(a.against, a.against_raw, tmp / "small") if a.against else {}
    wanted = a.only.split(",") + (["raw-dump"] if a.raw and "export" in a.only else [])
    out: dict[str, Any] = {}
    for name in wanted:
        runs: dict[str, list[float]] = {"big": [], "small": []}
        for _ in range(a.reps):
            runs["big"].append(seconds(big[name]))
            if name in small:
                runs["small"].append(seconds(small[name]))
        out[name] = summary(runs["big"])
        if runs["small"]:
            out[name] = {"big": out[name], "small": summary(runs["small"]),
                         "growth": round(statistics.median(runs["big"]) / statistics.median(runs["small"]), 2)}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
