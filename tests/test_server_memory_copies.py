"""The server's query workers answer from in-memory copies of the persistent store when the copies
fit the memory budget, say so at start-up, and follow a write made by another process: the next
answer comes from the new build on disk, then from its copy, and no answer ever mixes builds."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

import recruitgraph
from support import outlet_turtle

OUTLET = outlet_turtle("test-copy-outlet", "Outlet added while the server runs")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@contextmanager
def serving(data_dir: Path, *args: str) -> Iterator[tuple[str, str]]:
    """``recruitgraph --data-dir D serve --port 0 ARGS``: (base URL, the start-up line on the mode)."""
    proc = subprocess.Popen([sys.executable, "-m", "recruitgraph.cli", "--data-dir", str(data_dir), "serve",
                             "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            start_new_session=True, text=True)
    try:
        assert proc.stdout is not None
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", proc.stdout.readline())
        assert match, "serve did not print its URL"
        mode = proc.stdout.readline().strip()
        base = match.group(1)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base, mode
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)


@pytest.fixture
def built(data_dir: Path) -> tuple[Path, int]:
    """A persistent store, built once, and its triple count as the Python API reports it."""
    with recruitgraph.open() as kg:
        return data_dir, kg.triples_count()


def count(base: str) -> int:
    resp = httpx.get(base + "/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30)
    assert resp.status_code == 200, resp.text
    return int(resp.text.splitlines()[1])


def named(base: str) -> None:
    resp = httpx.get(base + "/query", params={"name": "troop-figures", "format": "json"}, timeout=30)
    assert resp.status_code == 200, resp.text


def stores(base: str) -> dict[str, int]:
    """How many answers came from each store ("memory", "disk") since the server started."""
    return dict(httpx.get(base + "/health", timeout=5).json()["answers"])


def until(condition: str, check: object, base: str, expected: int, seconds: float = 60) -> dict[str, int]:
    """Send queries (each answer must count ``expected`` triples) until ``check(stores)`` holds."""
    deadline = time.monotonic() + seconds
    while True:
        assert count(base) == expected  # never a half-built copy, never the other build
        named(base)
        seen = stores(base)
        if check(seen):  # type: ignore[operator]
            return seen
        assert time.monotonic() < deadline, f"{condition}: workers last answered from {seen}"
        time.sleep(0.1)


def test_workers_switch_to_memory_copies_and_follow_an_import(built: tuple[Path, int], tmp_path: Path) -> None:
    data_dir, before = built
    extra = tmp_path / "outlet.ttl"
    extra.write_text(OUTLET, encoding="utf-8")
    with serving(data_dir) as (base, mode):
        assert "in-memory copies" in mode and "fits the default budget" in mode, mode
        loaded = until("copies loaded", lambda s: s.get("memory", 0) >= 1, base, before)
        done = subprocess.run([sys.executable, "-m", "recruitgraph.cli", "--data-dir", str(data_dir), "import",
                               str(extra)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        after = before + 2  # the outlet's type and label
        # the first answer after the import comes from the new build on disk ...
        on_disk = until("new build on disk", lambda s: s.get("disk", 0) > loaded.get("disk", 0), base, after)
        # ... then the answers come from the copy of the new build
        until("copy of the new build", lambda s: s.get("memory", 0) > on_disk.get("memory", 0), base, after)


def test_a_budget_too_small_keeps_every_worker_on_disk(built: tuple[Path, int]) -> None:
    data_dir, before = built
    with serving(data_dir, "--memory-budget", "1M") as (base, mode):
        assert "the disk store" in mode and "exceeds" in mode and "--memory-budget" in mode, mode
        for _ in range(12):
            assert count(base) == before
            named(base)
        assert set(stores(base)) == {"disk"} and stores(base)["disk"] >= 24
