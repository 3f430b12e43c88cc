"""Shared fixtures. Server and browser fixtures live in their own modules (servers.py, browser.py)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import recruitgraph

# One definition of each shared fixture, so that session-scoped ones (one Chromium, one
# Playwright driver per run) are not started twice.
from browser import browser_page, chromium_browser  # noqa: F401
from recruitgraph import config
from serve_process import HARDENED_TIMEOUT, running_server
from servers import *  # noqa: F403  (oxigraph_server, virtuoso_server, closed_port, blackhole_endpoint)
from support import PIPELINES_FIXTURE, missing

ROOT = Path(__file__).resolve().parents[1]
FIRST_SOURCE = "russia-recruitment-2026-01.txt"
FIRST_SOURCE_SHA256 = "14f5a33d76afc91d10fdd85ce8cf54228f86c4a381760fc65bb3cd8a8e8858a5"


def find_source(name: str = FIRST_SOURCE) -> Path | None:
    """The source text, looked up through the one setting (``RECRUITGRAPH_SOURCES`` or defaults)."""
    for directory in config.source_dirs():
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Say how to rerun this order (pytest-randomly prints its seed in the header, which -q hides)."""
    seed = getattr(config.option, "randomly_seed", None)
    if config.pluginmanager.has_plugin("randomly") and isinstance(seed, int):
        terminalreporter.write_line(f"random order: rerun it with `pytest --randomly-seed={seed}`")


@pytest.fixture(scope="session")
def source_path() -> Path:
    path = find_source()
    if path is None:
        reason = (f"source text {FIRST_SOURCE} not found in {', '.join(map(str, config.source_dirs()))} "
                  f"(set RECRUITGRAPH_SOURCES to the directory holding it)")
        missing(reason)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == FIRST_SOURCE_SHA256, f"{path} has changed"
    return path


@pytest.fixture(scope="session")
def source_text(source_path: Path) -> str:
    return source_path.read_text(encoding="utf-8")


def _open_shipped(**options: Any) -> recruitgraph.KnowledgeGraph:
    """The shipped ontology and data, whatever the test that first asks for them has set: a test
    pointing RECRUITGRAPH_HOME at a fixture project must not make the session's graph (in random
    order it may be the first to ask for it)."""
    with pytest.MonkeyPatch.context() as mp:
        for variable in (config.ENV_HOME, config.ENV_DATA_DIR):
            mp.delenv(variable, raising=False)
        return recruitgraph.open(memory=True, **options)


@pytest.fixture(scope="session")
def kg() -> Iterator[recruitgraph.KnowledgeGraph]:
    """The shipped ontology and data in an in-memory store (read-only use only)."""
    graph = _open_shipped()
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def fkg() -> Iterator[recruitgraph.KnowledgeGraph]:
    """The shipped graph plus the fictional pipeline fixture (tests/fixtures)."""
    graph = _open_shipped(extra_files=[PIPELINES_FIXTURE])
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def hardened_server() -> Iterator[str]:
    """``recruitgraph serve`` on the in-memory store with the limits the attack and fuzz tests
    push against: HARDENED_TIMEOUT s a query, 256 MB a query, idle connections closed after 2 s.
    One per module, so that workers one module's attacks kill do not reach another's tests."""
    with running_server(["--query-timeout", str(HARDENED_TIMEOUT), "--query-memory", "256",
                         "--idle-timeout", "2"]) as url:
        yield url


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, private data directory for the persistent store."""
    path = tmp_path / "rg-data"
    monkeypatch.setenv(config.ENV_DATA_DIR, str(path))
    return path



@pytest.fixture
def make_read_only() -> Iterator[Callable[[Path], None]]:
    """Make a directory read-only for real: a read-only bind mount as root (whom permission
    bits do not stop), permission bits otherwise. Undone at teardown."""
    mounted: list[Path] = []
    chmodded: list[Path] = []

    def apply(path: Path) -> None:
        if os.geteuid() == 0:
            subprocess.run(["mount", "--bind", str(path), str(path)], check=True, capture_output=True)
            mounted.append(path)
            subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True, capture_output=True)
        else:
            for item in [path, *path.rglob("*")]:
                item.chmod(item.stat().st_mode & ~0o222)
                chmodded.append(item)

    yield apply
    for path in reversed(mounted):
        subprocess.run(["umount", str(path)], check=False, capture_output=True)
    for item in chmodded:
        item.chmod(item.stat().st_mode | 0o200)
