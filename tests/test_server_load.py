"""A bounded load test of ``recruitgraph serve``: concurrent clients, mixed named queries, zero
errors. The full run (16 clients x 200 requests) is ``bench/load_server.py``; figures in
``bench/load_server.md``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from serve_process import running_server

BENCH = Path(__file__).resolve().parents[1] / "bench" / "load_server.py"


@pytest.mark.slow
def test_concurrent_mixed_named_queries_without_errors() -> None:
    spec = importlib.util.spec_from_file_location("load_server", BENCH)
    assert spec and spec.loader
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    with running_server() as base:
        result = load.run(base, clients=4, per_client=25)
    assert result["requests"] == 100
    assert result["distinct_requests"] >= 10  # every named query takes part
    assert result["errors"] == 0, result["error_kinds"]


def test_general_lane_runs_at_lower_cpu_priority_than_the_named_lane() -> None:
    """Texts sent to /sparql run niced, so a runaway one yields the cores to the site's named
    queries; the figures come from the operating system, read for the idle workers."""
    import httpx

    from recruitgraph.server.workers import GENERAL_LANE_NICENESS

    with running_server() as base:
        lanes = httpx.get(base + "/health").json()["lanes"]
    ours = os.getpriority(os.PRIO_PROCESS, 0)  # the server and its workers start with it
    assert GENERAL_LANE_NICENESS == 10
    assert lanes["any"]["niceness"] == [max(ours, 10)]
    assert lanes["named"]["niceness"] == [ours]
