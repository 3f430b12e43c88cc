"""The embedded store: persistence, rebuild on change, imports all-or-nothing, concurrent access."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import recruitgraph
from recruitgraph import config
from recruitgraph.exc import InputError, NotConforming, StoreError, StoreLockedError

ROOT = Path(__file__).resolve().parents[1]

GOOD_TTL = """\
@prefix rgd: <https://w3id.org/recruitgraph/id/> .
@prefix rg: <https://w3id.org/recruitgraph/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
rgd:test-note a rg:MediaOutlet ; rdfs:label "Test outlet added by a test"@en .
"""
ADDED = 2  # triples in GOOD_TTL

UNEVIDENCED_FIGURE = """\
@prefix rgd: <https://w3id.org/recruitgraph/id/> .
@prefix rg: <https://w3id.org/recruitgraph/ontology/> .
@prefix rgv: <https://w3id.org/recruitgraph/vocab/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
rgd:fig-test-unevidenced a rg:Figure ; rdfs:label "A figure without evidence"@en ;
    rg:measures rgv:qty-troops-fighting ; rg:comparator rgv:cmp-exactly ; rg:unit rgv:unit-person ;
    rg:value 12345 .
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of ontology/, data/ and queries/ that tests may change."""
    root = tmp_path / "home"
    for name in ("ontology", "data", "queries"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    monkeypatch.setenv(config.ENV_HOME, str(root))
    return root


def count(kg: recruitgraph.KnowledgeGraph, sparql: str) -> int:
    return int(kg.query(sparql).rows[0]["n"])


def test_memory_store_holds_ontology_and_data(kg: recruitgraph.KnowledgeGraph) -> None:
    assert count(kg, "SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }") >= 30
    assert kg.query("ASK { rgd:russia-recruitment-2026-01 a rg:Source }").boolean is True


def test_persistent_store_is_built_once_and_reopened(data_dir: Path) -> None:
    with recruitgraph.open() as first:
        n = first.triples_count()
    manifest = (data_dir / "current.json").read_text()
    with recruitgraph.open() as second:
        assert second.triples_count() == n
    assert (data_dir / "current.json").read_text() == manifest  # no rebuild when nothing changed


def test_store_rebuilds_when_data_changes(home: Path, data_dir: Path) -> None:
    with recruitgraph.open() as kg:
        before = kg.triples_count()
    (home / "data" / "extra.ttl").write_text(GOOD_TTL)
    with recruitgraph.open() as kg:
        assert kg.triples_count() == before + ADDED
        assert kg.query("ASK { rgd:test-note rdfs:label ?l }").boolean


def test_import_is_persistent(home: Path, data_dir: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(GOOD_TTL)
    with recruitgraph.open() as kg:
        before = kg.triples_count()
        assert kg.import_files([extra]) == ADDED
    extra.unlink()  # the store keeps its own copy
    with recruitgraph.open() as kg:
        assert kg.triples_count() == before + ADDED
    # a change of the base data rebuilds the store and keeps the imported file
    (home / "data" / "more.ttl").write_text(GOOD_TTL.replace("test-note", "test-note-2"))
    with recruitgraph.open() as kg:
        assert kg.triples_count() == before + 2 * ADDED


def test_malformed_turtle_names_file_line_column_and_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(GOOD_TTL + 'rgd:x rdfs:label "unterminated .\n')
    good = tmp_path / "good.ttl"
    good.write_text(GOOD_TTL)
    with recruitgraph.open() as kg:
        before = kg.triples_count()
        with pytest.raises(InputError, match=r"bad\.ttl:5:18: .*end of file"):
            kg.import_files([good, bad])
        assert kg.triples_count() == before
    with recruitgraph.open() as kg:
        assert kg.triples_count() == before
        assert not kg.query("ASK { rgd:test-note ?p ?o }").boolean


def test_unknown_extension_is_refused(data_dir: Path, tmp_path: Path) -> None:
    odd = tmp_path / "notes.docx"
    odd.write_text("hello")
    with recruitgraph.open() as kg, pytest.raises(InputError) as err:
        kg.import_files([odd])
    # the extensions of the seven syntaxes pyoxigraph reads: Turtle, N-Triples, N-Quads, TriG,
    # RDF/XML (with .owl and .xml), JSON-LD (with .json) and N3
    assert str(err.value) == (f"{odd}: unknown RDF file extension '.docx' (known: .json, .jsonld, .n3, .nq, "
                              ".nquads, .nt, .ntriples, .owl, .rdf, .trig, .ttl, .turtle, .xml)")


def test_read_only_data_dir_gives_clear_error(tmp_path: Path, make_read_only: Callable[[Path], None]) -> None:
    target = tmp_path / "ro"
    target.mkdir()
    make_read_only(target)
    with pytest.raises(StoreError, match="the data directory is read-only"):
        recruitgraph.open(data_dir=target)


def test_a_read_only_data_dir_is_refused_even_when_its_builds_directory_is_writable(
    tmp_path: Path, make_read_only: Callable[[Path], None]
) -> None:
    # The manifest, the imports and the write lock live in the data directory itself.
    target, builds = tmp_path / "ro", tmp_path / "elsewhere"
    target.mkdir()
    builds.mkdir()
    (target / "stores").symlink_to(builds)
    make_read_only(target)
    with pytest.raises(StoreError) as err:
        recruitgraph.open(data_dir=target)
    assert str(err.value) == (f"{target}: the data directory is read-only; the store cannot be built or changed there "
                              "(choose another with --data-dir or RECRUITGRAPH_DATA_DIR, or use --memory)")
    assert list(builds.iterdir()) == []


def test_a_builds_directory_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    target = tmp_path / "data"
    target.mkdir()
    (target / "stores").write_text("not a directory")
    with pytest.raises(StoreError) as err:
        recruitgraph.open(data_dir=target)
    assert str(err.value) == f"{target}: cannot create the store directory ({os.strerror(errno.EEXIST)})"


def test_existing_store_in_read_only_dir_can_still_be_read(
    data_dir: Path, make_read_only: Callable[[Path], None]
) -> None:
    with recruitgraph.open() as kg:
        n = kg.triples_count()
    make_read_only(data_dir)
    with recruitgraph.open() as kg:
        assert kg.triples_count() == n


def test_write_waits_for_lock_then_says_so(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with recruitgraph.open() as kg:
        before = kg.triples_count()
    extra = tmp_path / "extra.ttl"
    extra.write_text(GOOD_TTL)
    monkeypatch.setenv("RECRUITGRAPH_LOCK_WAIT", "0.5")
    # another process holds the write lock, as a long import would
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import fcntl, sys, time
            fh = open({str(data_dir / 'write.lock')!r}, 'a+b')
            fcntl.flock(fh, fcntl.LOCK_EX)
            open({str(data_dir / 'write.pid')!r}, 'w').write('pid 4242\\n')
            print('locked', flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with recruitgraph.open() as kg:  # reading works while the writer holds the lock
            assert kg.triples_count() == before
            with pytest.raises(StoreLockedError, match="being written by pid 4242"):
                kg.import_files([extra])
            assert kg.triples_count() == before
    finally:
        holder.kill()
        holder.wait()
    with recruitgraph.open() as kg:
        assert kg.import_files([extra]) == ADDED


def test_reader_in_another_process_survives_an_import(data_dir: Path, tmp_path: Path) -> None:
    """A long-running reader (as `serve`) keeps its snapshot while an import publishes a new build."""
    with recruitgraph.open() as kg:
        before = kg.triples_count()
    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys, recruitgraph
            kg = recruitgraph.open()
            print(kg.triples_count(), flush=True)
            sys.stdin.readline()
            print(kg.triples_count(), flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ.copy(),
    )
    assert reader.stdin is not None and reader.stdout is not None
    assert int(reader.stdout.readline()) == before
    extra = tmp_path / "extra.ttl"
    extra.write_text(GOOD_TTL)
    with recruitgraph.open() as kg:
        kg.import_files([extra])
    reader.stdin.write("\n")
    reader.stdin.flush()
    assert int(reader.stdout.readline()) == before  # its open build was not deleted under it
    reader.wait(timeout=30)
    with recruitgraph.open() as kg:
        assert kg.triples_count() == before + ADDED


def test_stale_builds_are_collected(data_dir: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    for i in range(3):
        extra.write_text(GOOD_TTL.replace("test-note", f"test-note-{i}"))
        with recruitgraph.open() as kg:
            kg.import_files([extra])
    live = json.loads((data_dir / "current.json").read_text())["build"]
    # The earlier builds went with their records and lock files; the store opened the new one.
    assert sorted(p.name for p in (data_dir / "stores").iterdir()) == [live, f"{live}.json", f"{live}.readers"]


def test_lock_file_flock_semantics_are_available(tmp_path: Path) -> None:
    # The concurrency design relies on advisory locks on the data directory's file system.
    with open(tmp_path / "l", "a+b") as a, open(tmp_path / "l", "a+b") as b:
        fcntl.flock(a, fcntl.LOCK_EX)
        with pytest.raises(BlockingIOError):
            fcntl.flock(b, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_import_that_violates_the_shapes_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(GOOD_TTL)
    bad = tmp_path / "unevidenced.ttl"
    bad.write_text(UNEVIDENCED_FIGURE)
    with recruitgraph.open() as kg:
        before = kg.triples_count()
        with pytest.raises(NotConforming) as info:
            kg.import_files([good, bad])
        message = str(info.value)
        assert "nothing was written" in message
        assert "fig-test-unevidenced" in message and "unevidenced.ttl" in message
        assert kg.triples_count() == before
    with recruitgraph.open() as kg:
        assert kg.triples_count() == before


def test_updates_survive_a_rebuild(home: Path, data_dir: Path, tmp_path: Path) -> None:
    from recruitgraph.store import PersistentStore

    with recruitgraph.open() as kg:
        before = kg.triples_count()
    persistent = PersistentStore(data_dir, config.base_resources())
    persistent.apply_update('INSERT DATA { rgd:test-note a rg:MediaOutlet ; rdfs:label "Updated"@en }')
    # a relative IRI, resolved against the base the update was made with, now and on replay
    persistent.apply_update('INSERT DATA { <test-note-3> a rg:MediaOutlet ; rdfs:label "Relative"@en }',
                            base_iri="https://w3id.org/recruitgraph/id/")
    with pytest.raises(SyntaxError):
        persistent.apply_update("INSERT DATA { oops }")
    with recruitgraph.open() as kg:
        assert kg.triples_count() == before + 2 * ADDED
    (home / "data" / "more.ttl").write_text(GOOD_TTL.replace("test-note", "test-note-2"))
    with recruitgraph.open() as kg:  # rebuilt from the changed data, the updates replayed
        assert kg.triples_count() == before + 3 * ADDED
        assert kg.query('ASK { rgd:test-note rdfs:label "Updated"@en }').boolean
        assert kg.query('ASK { rgd:test-note-3 rdfs:label "Relative"@en }').boolean


def test_a_rebuild_records_when_it_was_made_and_one_that_fails_leaves_no_build(
    home: Path, data_dir: Path, tmp_path: Path
) -> None:
    from recruitgraph.store import PersistentStore

    extra = tmp_path / "outlet.ttl"
    extra.write_text(GOOD_TTL)
    persistent = PersistentStore(data_dir, config.base_resources())
    persistent.add_files([extra])
    (home / "data" / "more.ttl").write_text(GOOD_TTL.replace("test-note", "test-note-2"))
    began = time.time()
    with recruitgraph.open() as kg:  # rebuilt from the changed data
        assert kg.query("ASK { rgd:test-note-2 a rg:MediaOutlet }").boolean
    live = json.loads((data_dir / "current.json").read_text())
    assert began <= live["created"] <= time.time()
    builds = sorted(p.name for p in (data_dir / "stores").iterdir())
    # the imported copy is damaged, then the base changes again: the rebuild cannot replay it
    (data_dir / live["imports"][0]["path"]).write_text("this is not Turtle\n")
    (home / "data" / "more.ttl").write_text(GOOD_TTL.replace("test-note", "test-note-3"))
    with pytest.raises(InputError) as err:
        recruitgraph.open()
    assert live["imports"][0]["path"] in str(err.value)
    assert sorted(p.name for p in (data_dir / "stores").iterdir()) == builds  # no half-made build
    assert json.loads((data_dir / "current.json").read_text()) == live


def test_a_write_to_a_stale_or_lost_build_rebuilds_it_first(
    home: Path, data_dir: Path, tmp_path: Path
) -> None:
    """A write made while the live build is out of date (the base changed, no reader opened it
    since) or gone from disk starts from a rebuild of the base with every import replayed; the
    rebuild stays live even when the write itself is refused."""
    from recruitgraph.store import PersistentStore, content_hash

    files = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.ttl"
        path.write_text(GOOD_TTL.replace("test-note", f"test-note-{name}"))
        files.append(path)
    with recruitgraph.open() as kg:
        before = kg.triples_count()
    persistent = PersistentStore(data_dir, config.base_resources())
    first = persistent.add_files(files[:1])
    (home / "data" / "more.ttl").write_text(GOOD_TTL)  # the base changes
    persistent = PersistentStore(data_dir, config.base_resources())
    with pytest.raises(InputError, match="no new triples"):
        persistent.add_files(files[:1])  # a.ttl again: nothing new once replayed
    rebuilt = persistent.manifest()
    assert rebuilt is not None and rebuilt.build != first.build
    assert rebuilt.base_hash == content_hash(config.base_resources().all) != first.base_hash
    assert [item["name"] for item in rebuilt.imports] == ["a.ttl"]
    (home / "data" / "more.ttl").write_text(GOOD_TTL.replace("test-note", "test-note-more"))
    persistent = PersistentStore(data_dir, config.base_resources())
    manifest = persistent.add_files(files[1:2])
    assert manifest.base_hash == content_hash(config.base_resources().all) != rebuilt.base_hash
    assert [item["name"] for item in manifest.imports] == ["a.ttl", "b.ttl"]
    with recruitgraph.open() as kg:  # a.ttl, the base file as it is now and b.ttl
        assert kg.triples_count() == before + 3 * ADDED
    shutil.rmtree(data_dir / "stores" / manifest.build)  # the live build is lost
    manifest = persistent.add_files(files[2:])
    assert [item["name"] for item in manifest.imports] == ["a.ttl", "b.ttl", "c.ttl"]
    persistent.release()
    with recruitgraph.open() as kg:
        assert kg.triples_count() == before + 4 * ADDED
        outlets = "SELECT (COUNT(*) AS ?n) { ?s a rg:MediaOutlet FILTER(STRSTARTS(STR(?s), STR(rgd:test-note))) }"
        assert count(kg, outlets) == 4  # test-note-more (the base file) and test-note-a, -b, -c
