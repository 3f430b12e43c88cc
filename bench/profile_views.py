#!/usr/bin/env python3
"""Time (and optionally profile) the pipeline projection, the aggregated page and the sorted
Turtle export against the raw dump, on an existing project data directory (issue 15).

    bench/profile_views.py DATA_DIR [--raw RAW_STORE_DIR] [--reps 5] [--profile projection]

Prints one JSON line with the median and every run of each measure, so that runs before and
after a change, taken in the same conditions, can be set side by side.
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


def timed(fn: Callable[[], Any], reps: int) -> dict[str, Any]:
    runs = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        runs.append(round(time.perf_counter() - t, 3))
    return {"median_s": statistics.median(runs), "runs": runs}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data_dir")
    p.add_argument("--raw", help="a raw pyoxigraph store directory holding the same data")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--only", default="projection,page,export", help="comma-separated measures")
    p.add_argument("--profile", help="profile one measure with cProfile instead of timing it")
    a = p.parse_args()
    import pyoxigraph as ox

    import recruitgraph
    from recruitgraph.namespaces import PREFIXES
    from recruitgraph.pipelines import project
    from recruitgraph.visualization import view_graph, write_html

    kg = recruitgraph.open(data_dir=a.data_dir)
    tmp = Path(tempfile.mkdtemp(prefix="recruitgraph-views-"))
    raw = ox.Store.read_only(a.raw) if a.raw else None
    measures: dict[str, Callable[[], Any]] = {
        "projection": lambda: project(kg),
        "page": lambda: write_html(view_graph(kg), tmp / "page.html"),
        "export": lambda: kg.export(tmp / "export.ttl", format="turtle"),
    }
    if raw is not None:
        measures["raw-dump"] = lambda: raw.dump(output=str(tmp / "raw.ttl"), format=ox.RdfFormat.TURTLE,
                                               from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
    if a.profile:
        prof = cProfile.Profile()
        prof.runcall(measures[a.profile])
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
        return 0
    wanted = a.only.split(",") + (["raw-dump"] if raw is not None and "export" in a.only else [])
    out = {name: timed(measures[name], a.reps) for name in wanted}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
