"""open(in_memory=True): a read-only in-memory copy of the published store when it fits the
budget, the disk store otherwise, and a line saying which and why (issue 15)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import recruitgraph
from recruitgraph.exc import ConfigError, RecruitGraphError
from recruitgraph.memory import BUDGET_ENV, parse_budget

QUERIES = ["figures", "pipelines", "trafficked-nationals", "timeline", "countries"]


def rows(kg: recruitgraph.KnowledgeGraph, name: str) -> list[dict[str, str]]:
    return sorted(
        ({k: str(v) for k, v in r.items()} for r in kg.query(name).rows), key=lambda r: sorted(r.items())
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("memory-mode")
    recruitgraph.open(data_dir=path).close()  # build the published store once
    return path


def test_memory_copy_gives_the_disk_answers_and_says_so(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    disk = recruitgraph.open(data_dir=data_dir)
    with caplog.at_level(logging.INFO, logger="recruitgraph"):
        mem = recruitgraph.open(data_dir=data_dir, in_memory=True, memory_budget="1G")
    assert mem.read_only and not disk.read_only
    assert "reading from the in-memory copy" in mem.mode_message
    assert "fits the memory_budget parameter of 1.0 GB" in mem.mode_message
    assert mem.mode_message in caplog.text
    assert mem.triples_count() == disk.triples_count()
    for name in QUERIES:
        assert rows(mem, name) == rows(disk, name), name
    assert [p.iri for p in mem.pipelines()] == [p.iri for p in disk.pipelines()]


def test_above_the_budget_it_reads_from_disk(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(BUDGET_ENV, "1K")
    with caplog.at_level(logging.INFO, logger="recruitgraph"):
        kg = recruitgraph.open(data_dir=data_dir, in_memory=True)
    assert not kg.read_only
    assert "reading from the disk store" in kg.mode_message
    assert f"exceeds the {BUDGET_ENV} of 1 KB" in kg.mode_message
    assert kg.mode_message in caplog.text
    assert rows(kg, "countries") == rows(recruitgraph.open(data_dir=data_dir), "countries")


def test_the_copy_refuses_imports_and_bad_budgets_are_named(data_dir: Path, tmp_path: Path) -> None:
    kg = recruitgraph.open(data_dir=data_dir, in_memory=True, memory_budget=10**10)
    extra = tmp_path / "extra.ttl"
    extra.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    with pytest.raises(RecruitGraphError, match="read-only in-memory copy"):
        kg.import_files([extra], validate=False)
    with pytest.raises(ConfigError, match="memory_budget: 'lots' is not a memory size"):
        recruitgraph.open(data_dir=data_dir, in_memory=True, memory_budget="lots")
    assert parse_budget("8G") == 8 * 1024**3 and parse_budget("512m") == 512 * 1024**2
