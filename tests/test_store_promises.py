"""What the store promises, each tested with real processes and files:

- a write waits for another writer, saying "waiting for pid N", and gives up after
  RECRUITGRAPH_LOCK_WAIT seconds naming that pid (and succeeds when the writer finishes in time);
- an edited (not only an added) ontology or data file triggers a rebuild, even when the edit keeps
  the file's size;
- a running server answers from the new build after another process imported a file;
- a write that fails half-way leaves the old build live and nothing behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

import recruitgraph
from recruitgraph import config
from serve_process import running_server
from support import outlet_turtle

ROOT = Path(__file__).resolve().parents[1]
OUTLET = outlet_turtle("test-promise-outlet", "Outlet added by another process")
ASK_OUTLET = "ASK { rgd:test-promise-outlet a rg:MediaOutlet }"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in its own process."""
    return subprocess.run([sys.executable, "-m", "recruitgraph.cli", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


@contextmanager
def writer_holding_lock(data_dir: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the store's write lock for ``seconds``, through the store's own
    lock (as a long import does)."""
    code = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from recruitgraph import config
        from recruitgraph.store import PersistentStore
        store = PersistentStore(Path({str(data_dir)!r}), config.base_resources())
        with store.write_lock():
            print('locked', flush=True)
            time.sleep({seconds})
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture
def built(data_dir: Path) -> Path:
    """A persistent store, built once."""
    with recruitgraph.open() as kg:
        assert kg.triples_count() > 0
    return data_dir


def test_write_gives_up_after_the_lock_wait_naming_the_writer(built: Path, tmp_path: Path) -> None:
    extra = tmp_path / "outlet.ttl"
    extra.write_text(OUTLET)
    with writer_holding_lock(built, 120) as holder:
        started = time.monotonic()
        done = cli("import", str(extra), env={"RECRUITGRAPH_LOCK_WAIT": "1"})
        waited = time.monotonic() - started
    assert done.returncode != 0
    assert f"waiting for pid {holder.pid} to finish writing {built}" in done.stderr
    assert f"being written by pid {holder.pid}" in done.stderr
    assert waited >= 1  # it did wait before giving up
    with recruitgraph.open() as kg:
        assert kg.query(ASK_OUTLET).boolean is False


def test_write_waits_for_the_writer_then_goes_ahead(built: Path, tmp_path: Path) -> None:
    extra = tmp_path / "outlet.ttl"
    extra.write_text(OUTLET)
    with writer_holding_lock(built, 600) as holder:
        importer = subprocess.Popen(
            [sys.executable, "-m", "recruitgraph.cli", "import", str(extra)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "RECRUITGRAPH_LOCK_WAIT": "600"},
        )
        assert importer.stderr is not None
        said = importer.stderr.readline()  # blocks until the importer says it waits
        assert f"waiting for pid {holder.pid} to finish writing {built}" in said
        assert importer.poll() is None  # still waiting, not given up
        # the writer finishes (its process ends, and with it the lock): the import goes ahead
    out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert "imported 1 file(s): 2 new triples" in out
    with recruitgraph.open() as kg:
        assert kg.query(ASK_OUTLET).boolean is True


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of ontology/, data/ and queries/ that tests may edit."""
    root = tmp_path / "home"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / name, root / name)
    monkeypatch.setenv(config.ENV_HOME, str(root))
    return root


def label_of(iri: str) -> set[str]:
    with recruitgraph.open() as kg:
        return {str(r["l"]) for r in kg.query(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}").rows}


@pytest.mark.parametrize(("relative", "iri", "old", "new"), [
    ("ontology/recruitgraph.ttl", "https://w3id.org/recruitgraph/ontology/TextSource", "text source",
     "text sourcf"),
    ("data/sources/russia-recruitment-2026-01.ttl", "https://w3id.org/recruitgraph/id/associated-press",
     "The Associated Press", "The Associated Presz"),
])
def test_an_edited_file_of_the_same_size_triggers_a_rebuild(
    home: Path, data_dir: Path, relative: str, iri: str, old: str, new: str
) -> None:
    assert len(old) == len(new)
    assert label_of(iri) == {old}
    manifest = json.loads((data_dir / "current.json").read_text())
    path = home / relative
    text = path.read_text(encoding="utf-8")
    quoted = f'"{old}"@en'
    assert text.count(quoted) == 1
    stat = path.stat()
    path.write_text(text.replace(quoted, f'"{new}"@en'), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only bytes differ
    assert path.stat().st_size == stat.st_size
    assert label_of(iri) == {new}
    rebuilt = json.loads((data_dir / "current.json").read_text())
    assert rebuilt["build"] != manifest["build"] and rebuilt["base_hash"] != manifest["base_hash"]


def test_a_running_server_serves_an_import_made_by_another_process(built: Path, tmp_path: Path) -> None:
    extra = tmp_path / "outlet.ttl"
    extra.write_text(OUTLET)
    with running_server(global_args=("--data-dir", str(built))) as url:
        def ask() -> bool:
            resp = httpx.get(url + "/sparql", params={"query": ASK_OUTLET}, timeout=30)
            assert resp.status_code == 200, resp.text
            return bool(resp.json()["boolean"])

        assert ask() is False
        done = cli("--data-dir", str(built), "import", str(extra))
        assert done.returncode == 0, done.stderr
        # the next request after the import sees it (the server checks the live build per request)
        assert ask() is True


def test_a_failed_write_leaves_the_old_build(
    built: Path, tmp_path: Path, make_read_only: Callable[[Path], None]
) -> None:
    first = tmp_path / "first.ttl"
    first.write_text(OUTLET)
    with recruitgraph.open() as kg:
        kg.import_files([first])
        before = kg.triples_count()
    manifest = (built / "current.json").read_bytes()
    builds = sorted(p.name for p in (built / "stores").iterdir())
    imports = sorted(p.name for p in (built / "imports").iterdir())
    second = tmp_path / "second.ttl"
    second.write_text(OUTLET.replace("test-promise-outlet", "test-second-outlet"))
    # the copy of the import cannot be kept: the write fails after its new build was started
    make_read_only(built / "imports")
    with recruitgraph.open() as kg, pytest.raises(Exception) as failure:
        kg.import_files([second])
    assert "imports" in str(failure.value) or "Read-only" in str(failure.value)
    assert (built / "current.json").read_bytes() == manifest
    assert sorted(p.name for p in (built / "stores").iterdir()) == builds
    assert sorted(p.name for p in (built / "imports").iterdir()) == imports
    with recruitgraph.open() as kg:
        assert kg.triples_count() == before
        assert kg.query("ASK { rgd:test-second-outlet ?p ?o }").boolean is False
