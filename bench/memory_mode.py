#!/usr/bin/env python3
"""Load time of ``recruitgraph.open(in_memory=True)`` and named queries in both modes (issue 15).

    bench/memory_mode.py DATA_DIR [--reps 3] [--queries figures,timeline]

DATA_DIR is a project data directory holding an import (e.g. 1M triples of ``recruitgraph
synth``). Prints one JSON line: the open times, the mode line, and per query the median of the
warm runs on disk and in memory, with the row counts (which must agree).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data_dir")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--queries", default=None, help="comma-separated named queries (default all)")
    a = p.parse_args()
    import recruitgraph

    t = time.perf_counter()
    disk = recruitgraph.open(data_dir=a.data_dir)
    out: dict = {"open_disk_s": round(time.perf_counter() - t, 3)}
    t = time.perf_counter()
    mem = recruitgraph.open(data_dir=a.data_dir, in_memory=True)
    out["open_in_memory_s"] = round(time.perf_counter() - t, 3)
    out["mode"], out["triples"] = mem.mode_message, mem.triples_count()
    names = a.queries.split(",") if a.queries else [q.name for q in disk.named_queries()]
    params = {"actor-profile": {"actor": "rgd:synth-network-0001"}}
    out["queries"] = {}
    for name in names:
        entry = {}
        for mode, kg in (("disk", disk), ("memory", mem)):
            n = len(kg.query(name, **params.get(name, {})).rows)  # warm-up
            runs = []
            for _ in range(a.reps):
                s = time.perf_counter()
                kg.query(name, **params.get(name, {}))
                runs.append(time.perf_counter() - s)
            entry[mode] = {"median_s": round(statistics.median(runs), 4), "rows": n}
        out["queries"][name] = entry
        print(json.dumps({name: entry}), file=sys.stderr, flush=True)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
