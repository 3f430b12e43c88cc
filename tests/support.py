"""Small helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import multiprocessing
import shutil
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
from rdflib import Graph

from recruitgraph import config
from recruitgraph.cli import main
from recruitgraph.server.workers import Outcome, StoreSpec, WorkerPool

#: The fictional pipeline graph that the pipeline and visualization tests share.
PIPELINES_FIXTURE = Path(__file__).parent / "fixtures" / "pipelines_fixture.ttl"



def missing(reason: str) -> NoReturn:
    """Something a test needs is absent (a source text, Chromium, a SPARQL server): the test
    fails, on every machine. The one rule for absent prerequisites: a run that skipped what it
    could not check would report a pass for nothing (`./run test` installs all of them)."""
    pytest.fail(f"{reason} (`./run test` installs what the tests need; see README)", pytrace=False)


def run_async(scenario: Callable[[], Awaitable[Any]], timeout: float = 120.0) -> Any:
    """Run ``scenario()`` in an event loop of its own, in a thread of its own, and return its
    result or raise its exception here. After a browser test, the session's Playwright (sync
    API) keeps an event loop running in the main thread, where asyncio.run refuses to start."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = asyncio.run(scenario())  # type: ignore[arg-type]
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="test-asyncio")
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"the scenario ran longer than {timeout} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def base_graph() -> Graph:
    """The ontology and data files parsed by rdflib, independently of the store: what every
    export and count of the embedded store must hold exactly."""
    graph = Graph()
    resources = config.base_resources()
    for path in (*resources.ontology, *resources.data):
        graph.parse(path, format="turtle")
    return graph


SHARED_SOURCES = Path(__file__).resolve().parents[1].parent / "shared" / "sources"


def reading_list_urls() -> list[str]:
    """The URLs of ../shared/sources/reading-list.tsv, read at run time (fails when absent)."""
    tsv = SHARED_SOURCES / "reading-list.tsv"
    if not tsv.is_file():
        missing(f"{tsv} not found")
    with tsv.open(encoding="utf-8", newline="") as fh:
        return [row["url"].strip() for row in csv.DictReader(fh, delimiter="\t") if row.get("url")]


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def outlet_turtle(local: str, label: str) -> str:
    """A two-triple Turtle file declaring the media outlet ``rgd:<local>`` (a test import)."""
    return (
        "@prefix rgd: <https://w3id.org/recruitgraph/id/> .\n"
        "@prefix rg: <https://w3id.org/recruitgraph/ontology/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'rgd:{local} a rg:MediaOutlet ; rdfs:label "{label}"@en .\n'
    )


def first_source_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sources: Path) -> Path:
    """A project in ``tmp_path/home`` with the ontology and the first source's metadata only,
    made the current one (``RECRUITGRAPH_HOME``), its texts read from ``sources``."""
    root = Path(__file__).resolve().parents[1]
    home = tmp_path / "home"
    shutil.copytree(root / "ontology", home / "ontology")
    (home / "data" / "sources").mkdir(parents=True)
    shutil.copy(root / "data" / "sources" / "russia-recruitment-2026-01.ttl", home / "data" / "sources")
    monkeypatch.setenv("RECRUITGRAPH_HOME", str(home))
    monkeypatch.setenv("RECRUITGRAPH_SOURCES", str(sources))
    return home


def with_pool(body: Callable[[WorkerPool], Awaitable[Any]], **options: Any) -> Any:
    """Start a query worker pool on the shipped data, run ``body`` with it, stop it; no worker
    process may outlive the pool, not even a replacement that was starting when it stopped."""
    async def main() -> Any:
        pool = WorkerPool(StoreSpec(memory=True), **options)
        await pool.start()
        try:
            return await body(pool)
        finally:
            await pool.stop()
            assert multiprocessing.active_children() == []

    return run_async(main)


def rows_of(outcome: Outcome) -> list[dict[str, str]]:
    """The rows of a worker's SELECT answer in SPARQL JSON, each a variable -> value mapping;
    an answer that is an error fails the test with the error."""
    assert outcome.error is None, outcome.error
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(outcome.body)["results"]["bindings"]]


def boolean_of(outcome: Outcome) -> bool:
    """The answer of a worker's ASK in SPARQL JSON; an answer that is an error fails the test."""
    assert outcome.error is None, outcome.error
    value: bool = json.loads(outcome.body)["boolean"]
    return value
