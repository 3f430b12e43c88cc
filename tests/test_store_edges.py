"""The persistent store's records and messages, called in this process: what a build records of
each import and update, the recovery hint of a lost manifest in its two forms, a repair with no
build to go on, and the in-memory store with extra files. (test_store_safety meets the same
through the CLI in another process, where mutation testing cannot see the store's code.)"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import pty
import re
import select
import shutil
import struct
import sys
import termios
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from recruitgraph import config
from recruitgraph.exc import InputError, StoreError
from recruitgraph.execute import persistent_store
from recruitgraph.store import (
    OPEN_ATTEMPTS,
    PROGRESS_MIN_BYTES,
    Manifest,
    PersistentStore,
    _ProgressReader,
    content_hash,
    load_file,
    memory_store,
    parse_file,
    refuse_empty,
    refuse_entities,
)

OUTLET = """\
@prefix rgd: <https://w3id.org/recruitgraph/id/> .
@prefix rg: <https://w3id.org/recruitgraph/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
rgd:test-outlet a rg:MediaOutlet ; rdfs:label "Test outlet"@en .
"""
EX = "http://example.org/"
UPDATE = "INSERT DATA { <thing> <name> 'Thing' }"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_error(data_dir: Path) -> str:
    """What a fresh store object says when asked for its live manifest, which must fail."""
    with pytest.raises(StoreError) as err:
        persistent_store(str(data_dir)).manifest()
    return str(err.value)


def forget_build_records(data_dir: Path) -> None:
    """Delete each build's own copy of its manifest, which a repair goes on from."""
    for copy in (data_dir / "stores").glob("*.json"):
        copy.unlink()


def write_many_triples(path: Path) -> bytes:
    """40,000 N-Triples statements, more than one read of a buffered reader; returns the bytes."""
    data = "".join(f"<{EX}s{i}> <{EX}p> \"{i}\" .\n" for i in range(40_000)).encode("ascii")
    path.write_bytes(data)
    return data


@pytest.fixture()
def imported(data_dir: Path, tmp_path: Path) -> tuple[PersistentStore, Path]:
    """A store with one imported file, outlet.ttl, and the file."""
    extra = tmp_path / "outlet.ttl"
    extra.write_text(OUTLET, encoding="utf-8")
    store = persistent_store(str(data_dir))
    store.add_files([extra])
    store.release()
    return store, extra


def test_a_build_records_each_import_and_update(imported: tuple[PersistentStore, Path]) -> None:
    store, extra = imported
    digest = sha256(extra.read_bytes())
    started = time.time()
    manifest = store.apply_update(UPDATE, base_iri=EX)
    assert started <= manifest.created <= time.time()  # when the build was made
    update = sha256(UPDATE.encode())
    assert manifest.imports == [
        {"name": "outlet.ttl", "sha256": digest, "path": f"imports/{digest[:16]}-outlet.ttl", "kind": "rdf"},
        # the base is kept so that a rebuild resolves <thing> as this one did
        {"name": "update.ru", "sha256": update, "path": f"imports/{update[:16]}-update.ru", "kind": "update",
         "base": EX},
    ]
    assert store.imported() == manifest.imports
    assert (store.root / manifest.imports[1]["path"]).read_text(encoding="utf-8") == UPDATE
    live = store.open()
    assert [q.object for q in live.quads_for_pattern(ox.NamedNode(f"{EX}thing"), None, None)] == [ox.Literal("Thing")]


def test_a_manifest_is_written_one_key_a_line_in_name_order(
    data_dir: Path, imported: tuple[PersistentStore, Path]
) -> None:
    # people open current.json when a store needs repair, and compare a build's copy with it
    store, _ = imported
    build = store.manifest().build  # type: ignore[union-attr]
    for path in (data_dir / "current.json", data_dir / "stores" / f"{build}.json"):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert list(data) == ["base_hash", "build", "created", "imports"]  # in the file's order
        assert text == json.dumps(data, indent=2, sort_keys=True) + "\n"
        assert text.startswith('{\n  "base_hash": "')


def test_a_build_is_named_by_the_time_it_was_made_and_a_random_part(
    data_dir: Path, imported: tuple[PersistentStore, Path]
) -> None:
    # names that sort in the order the builds were made, as people read them in messages
    store, _ = imported
    began = int(time.time())
    build = store.apply_update(UPDATE, base_iri=EX).build
    ended = time.time()
    named = re.fullmatch(r"(\d{8}T\d{6})-[0-9a-f]{8}", build)
    assert named is not None, build
    assert began <= time.mktime(time.strptime(named.group(1), "%Y%m%dT%H%M%S")) <= ended
    assert (data_dir / "stores" / build).is_dir()


def test_an_update_without_a_base_records_none(imported: tuple[PersistentStore, Path]) -> None:
    store, _ = imported
    manifest = store.apply_update(f"INSERT DATA {{ <{EX}thing> <{EX}name> 'Thing' }}")
    assert "base" not in manifest.imports[-1]


def test_a_new_store_has_no_imports(data_dir: Path) -> None:
    assert persistent_store(str(data_dir)).imported() == []


def test_a_lost_manifest_names_the_last_good_build(data_dir: Path, imported: tuple[PersistentStore, Path]) -> None:
    store, _ = imported
    build = store.manifest().build  # type: ignore[union-attr]
    (data_dir / "current.json").unlink()
    assert manifest_error(data_dir) == (
        f"{data_dir / 'current.json'}: the store manifest is missing; the last good build is {build} with "
        "1 import(s) (outlet.ttl); run `recruitgraph store repair` to make it live again (rebuilt if "
        "ontology/ or data/ changed)")


def test_the_last_good_build_is_the_newest_of_the_builds_still_there(
    data_dir: Path, imported: tuple[PersistentStore, Path], tmp_path: Path
) -> None:
    store, _ = imported
    first = store.manifest()
    assert first is not None
    reader = persistent_store(str(data_dir))
    reader.open()  # holds the first build: the next write keeps it beside its own
    second_file = tmp_path / "second.ttl"
    second_file.write_text(OUTLET.replace("test-outlet", "test-second"), encoding="utf-8")
    made = store.add_files([second_file])
    store.release()
    assert build_dirs(data_dir) == sorted([first.build, made.build]) and made.created > first.created
    # Builds made in the same second sort by their random part: name the newer one so that it
    # sorts last, as it would a second later (a build is its directory and its record).
    stores = data_dir / "stores"
    second = replace(made, build="29980101T000000-00000000")
    (stores / made.build).rename(stores / second.build)
    (stores / f"{made.build}.json").unlink()
    second.write(stores / f"{second.build}.json")
    # Two records that do not count: an unreadable one, first in name order, and the newest of
    # all, whose build is gone.
    (stores / "00000000T000000-00000000.json").write_text("{", encoding="utf-8")
    gone = Manifest(build="29990101T000000-deadbeef", base_hash=second.base_hash, imports=[],
                    created=second.created + 3600)
    gone.write(stores / f"{gone.build}.json")
    (data_dir / "current.json").unlink()
    assert manifest_error(data_dir) == (
        f"{data_dir / 'current.json'}: the store manifest is missing; the last good build is {second.build} with "
        "2 import(s) (outlet.ttl, second.ttl); run `recruitgraph store repair` to make it live again (rebuilt if "
        "ontology/ or data/ changed)")
    reader.release()


def test_with_no_build_left_the_hint_names_the_imported_files(
    data_dir: Path, imported: tuple[PersistentStore, Path]
) -> None:
    _, extra = imported
    digest = sha256(extra.read_bytes())
    (data_dir / "current.json").unlink()
    forget_build_records(data_dir)
    assert manifest_error(data_dir) == (
        f"{data_dir / 'current.json'}: the store manifest is missing; no build records its imports; the "
        f"imported files are in {data_dir / 'imports'} ({digest[:16]}-outlet.ttl); run `recruitgraph store "
        "repair` to rebuild from ontology/, data/ and those files")
    # a repair rebuilds from the base files and the imported file, and records it as imported
    repaired = persistent_store(str(data_dir)).repair()
    assert repaired.imports == [
        {"name": "outlet.ttl", "sha256": digest, "path": f"imports/{digest[:16]}-outlet.ttl", "kind": "rdf"}]
    live = persistent_store(str(data_dir)).open()
    outlet = ox.NamedNode("https://w3id.org/recruitgraph/id/test-outlet")
    assert len(list(live.quads_for_pattern(outlet, None, None))) == 2


def test_the_memory_store_holds_the_base_and_the_extra_files(tmp_path: Path) -> None:
    extra = tmp_path / "outlet.ttl"
    extra.write_text(OUTLET, encoding="utf-8")
    base = config.base_resources()
    plain, with_extra = memory_store(base), memory_store(base, [extra])
    assert len(with_extra) == len(plain) + 2
    outlet = ox.NamedNode("https://w3id.org/recruitgraph/id/test-outlet")
    assert {q.graph_name for q in with_extra.quads_for_pattern(outlet, None, None)} == {ox.DefaultGraph()}
    # every base file in a graph of its own: the same named graphs in both
    assert set(plain.named_graphs()) == set(with_extra.named_graphs()) != set()


def test_a_repair_with_the_last_good_build_republishes_it(
    data_dir: Path, imported: tuple[PersistentStore, Path]
) -> None:
    store, _ = imported
    before = store.manifest()
    assert before is not None
    (data_dir / "current.json").unlink()
    repaired = persistent_store(str(data_dir)).repair()
    # the base files did not change: the same build is made live again, not rebuilt
    assert (repaired.build, repaired.base_hash, repaired.imports) == (before.build, before.base_hash, before.imports)
    assert repaired.created > before.created
    assert persistent_store(str(data_dir)).manifest() == repaired


def test_a_repair_from_the_imported_files_alone_keeps_their_names_and_order(
    data_dir: Path, tmp_path: Path
) -> None:
    extra = tmp_path / "news-outlet-list.ttl"  # hyphens in the name: the copy is "<digest>-news-outlet-list.ttl"
    extra.write_text(OUTLET, encoding="utf-8")
    store = persistent_store(str(data_dir))
    store.add_files([extra])
    update = f"INSERT DATA {{ <{EX}thing> <{EX}name> 'Thing' }}"
    store.apply_update(update)
    store.release()
    digest, update_digest = sha256(extra.read_bytes()), sha256(update.encode())
    kept = data_dir / "imports" / f"{digest[:16]}-news-outlet-list.ttl"
    kept_update = data_dir / "imports" / f"{update_digest[:16]}-update.ru"
    # the update's copy is the older of the two: a repair replays them by age, not by name
    os.utime(kept_update, (1_000_000, 1_000_000))
    os.utime(kept, (2_000_000, 2_000_000))
    (data_dir / "current.json").unlink()
    forget_build_records(data_dir)
    repaired = persistent_store(str(data_dir)).repair()
    assert repaired.imports == [
        {"name": "update.ru", "sha256": update_digest, "path": f"imports/{update_digest[:16]}-update.ru",
         "kind": "update"},
        {"name": "news-outlet-list.ttl", "sha256": digest, "path": f"imports/{digest[:16]}-news-outlet-list.ttl",
         "kind": "rdf"},
    ]
    # the rebuild is recorded for the base files as they are, and is the build left live
    assert repaired.base_hash == content_hash(config.base_resources().all)
    assert (data_dir / "stores" / repaired.build).is_dir()
    again = persistent_store(str(data_dir))
    live = again.open()
    assert again.manifest() == repaired  # opened as it is: not rebuilt again
    assert [q.object for q in live.quads_for_pattern(ox.NamedNode(f"{EX}thing"), None, None)] == [ox.Literal("Thing")]


def test_a_load_with_a_progress_bar_reads_the_whole_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "many.nt"
    write_many_triples(path)
    store = ox.Store()
    load_file(store, path, bulk=False, progress=True)
    assert len(store) == 40_000
    assert {q.object.value for q in store.quads_for_pattern(ox.NamedNode(f"{EX}s39999"), None, None)} == {"39999"}
    err = capsys.readouterr().err
    # the bar, named after the file, counting bytes to its size (2,417,780) in SI units
    assert "loading many.nt:" in err and " 0.00/2.42M " in err and "B/s]" in err


def test_the_progress_bar_moves_while_a_long_load_reads_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """tqdm redraws at most every 0.1 s; 200,000 statements (12.4 MB, twelve reads) take
    several times that to load, so the bar is drawn again part way, with bytes counted."""
    path = tmp_path / "long.nt"
    path.write_bytes("".join(f"<{EX}s{i}> <{EX}p> \"{i}\" .\n" for i in range(200_000)).encode("ascii"))
    load_file(ox.Store(), path, bulk=False, progress=True)
    counts = re.findall(r" ([\d.]+)M?/12\.4M ", capsys.readouterr().err)
    assert counts[0] == "0.00" and any(float(c) > 0 for c in counts[1:]), counts


def test_the_progress_bar_counts_every_byte_read(tmp_path: Path) -> None:
    from tqdm import tqdm

    path = tmp_path / "many.nt"
    data = write_many_triples(path)
    with path.open("rb") as fh, tqdm(total=len(data), disable=False, file=io.StringIO()) as bar:
        reader = io.BufferedReader(_ProgressReader(fh, bar), 1 << 20)
        assert reader.read() == data
        assert reader.read() == b""  # at the end, nothing more, and the count stays
        assert bar.n == len(data) == 2_417_780  # 51 bytes a line, plus its number twice


@pytest.mark.parametrize("name", ["gone.ttl", "gone.nq", "gone.rdf"])
def test_a_missing_extra_file_is_named_whatever_its_format(tmp_path: Path, name: str) -> None:
    """Through the Python API, which no command-line check stands in front of."""
    import recruitgraph

    gone = tmp_path / name
    with pytest.raises(InputError) as err:
        recruitgraph.open(memory=True, extra_files=[gone])
    assert str(err.value) == f"{gone}: no such file"


def test_a_syntax_error_names_the_file_line_and_column_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> .\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_file(ox.Store(), bad, bulk=False)
    # the dot is the 47th character of line 2: two IRIs of 22 characters and two blanks before it
    assert str(err.value) == f"{bad}:2:47: Parser error at line 2 column 47: . is not a valid RDF object"


def test_the_hint_lists_every_import_of_the_last_good_build(data_dir: Path, tmp_path: Path) -> None:
    store = persistent_store(str(data_dir))
    for name in ("first.ttl", "second.ttl"):
        (tmp_path / name).write_text(OUTLET.replace("test-outlet", name.split(".")[0]), encoding="utf-8")
    store.add_files([tmp_path / "first.ttl"])
    manifest = store.add_files([tmp_path / "second.ttl"])
    store.release()
    (data_dir / "current.json").unlink()
    assert manifest_error(data_dir) == (
        f"{data_dir / 'current.json'}: the store manifest is missing; the last good build is {manifest.build} "
        "with 2 import(s) (first.ttl, second.ttl); run `recruitgraph store repair` to make it live again "
        "(rebuilt if ontology/ or data/ changed)")
    # with no build record left, the hint lists the kept copies, in the order of their names
    forget_build_records(data_dir)
    kept = sorted(f"{item['sha256'][:16]}-{item['name']}" for item in manifest.imports)
    assert manifest_error(data_dir) == (
        f"{data_dir / 'current.json'}: the store manifest is missing; no build records its imports; the "
        f"imported files are in {data_dir / 'imports'} ({kept[0]}, {kept[1]}); run `recruitgraph store "
        "repair` to rebuild from ontology/, data/ and those files")


def test_the_hint_says_none_when_nothing_was_imported(data_dir: Path) -> None:
    store = persistent_store(str(data_dir))
    store.open()
    build = store.manifest().build  # type: ignore[union-attr]
    store.release()
    (data_dir / "current.json").unlink()
    assert manifest_error(data_dir) == (
        f"{data_dir / 'current.json'}: the store manifest is missing; the last good build is {build} with "
        "0 import(s) (none); run `recruitgraph store repair` to make it live again (rebuilt if ontology/ or "
        "data/ changed)")
    # and with no build record left either, an unreadable manifest names no imported file
    forget_build_records(data_dir)
    (data_dir / "current.json").write_text('{"build": "b"}', encoding="utf-8")
    assert manifest_error(data_dir) == (
        f"{data_dir / 'current.json'}: unreadable store manifest ('base_hash'); no build records its imports; "
        f"the imported files are in {data_dir / 'imports'} (none); run `recruitgraph store repair` to rebuild "
        "from ontology/, data/ and those files")


@pytest.mark.parametrize("key", ["imports", "created"])
def test_a_manifest_without_one_of_its_keys_is_unreadable(
    imported: tuple[PersistentStore, Path], data_dir: Path, tmp_path: Path, key: str
) -> None:
    # Read as a build with no imports, it would have the next write delete the imported copy.
    live = data_dir / "current.json"
    data = json.loads(live.read_text())
    build = data["build"]
    del data[key]
    live.write_text(json.dumps(data), encoding="utf-8")
    kept = sorted((data_dir / "imports").iterdir())
    assert manifest_error(data_dir) == (
        f"{live}: unreadable store manifest ('{key}'); the last good build is {build} with 1 import(s) "
        "(outlet.ttl); run `recruitgraph store repair` to make it live again (rebuilt if ontology/ or data/ changed)")
    other = tmp_path / "other.ttl"
    other.write_text(OUTLET.replace("test-outlet", "test-other"), encoding="utf-8")
    with pytest.raises(StoreError):
        imported[0].add_files([other])
    assert sorted((data_dir / "imports").iterdir()) == kept and len(kept) == 1


@pytest.mark.parametrize("start", [(1 << 20) - 7, (1 << 20) - 1, 1 << 20, (3 << 20) + 100])
def test_an_entity_declaration_is_found_wherever_it_falls_in_a_large_file(tmp_path: Path, start: int) -> None:
    """The file is read a megabyte at a time: a declaration across two reads (seven of its eight
    bytes in the first, or one), at the start of the second, or in the fourth is refused like one
    at the top (here after a comment padding it out, which XML allows in the DOCTYPE)."""
    head = b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!--'
    tail = (b'<!ENTITY a "lol">\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b"&a;</rdf:RDF>\n")
    data = head + b" " * (start - len(head) - 3) + b"-->" + tail
    assert data.index(b"<!ENTITY") == start
    padded = tmp_path / "padded.rdf"
    padded.write_bytes(data)
    with pytest.raises(InputError) as err:
        refuse_entities(padded, ox.RdfFormat.RDF_XML)
    assert str(err.value) == (f"{padded}: RDF/XML entity declarations (<!ENTITY) are refused: they can expand "
                              "a small file into gigabytes")
    assert refuse_entities(padded, ox.RdfFormat.TURTLE) is None  # only RDF/XML has entities


def test_an_empty_file_is_refused_and_a_missing_one_named(tmp_path: Path) -> None:
    empty, newline, gone = tmp_path / "empty.ttl", tmp_path / "newline.ttl", tmp_path / "gone.ttl"
    empty.write_bytes(b"")
    newline.write_bytes(b"\n")
    with pytest.raises(InputError) as err:
        refuse_empty(empty)
    assert str(err.value) == f"{empty}: the file is empty; there is nothing to import"
    assert refuse_empty(newline) is None  # one byte: not empty (the parser decides the rest)
    with pytest.raises(InputError) as err:
        refuse_empty(gone)
    assert str(err.value) == f"{gone}: no such file"


def test_files_that_add_nothing_are_all_named_and_nothing_is_published(
    imported: tuple[PersistentStore, Path], tmp_path: Path
) -> None:
    store, extra = imported
    before = store.manifest()
    again = tmp_path / "outlet-again.ttl"  # the same triples under another name
    again.write_text(OUTLET, encoding="utf-8")
    with pytest.raises(InputError) as err:
        store.add_files([extra, again])
    store.release()
    assert str(err.value) == (
        f"{extra}, {again}: no new triples (everything is already in the store, or the files hold "
        "none); nothing was written")
    assert store.manifest() == before


def test_an_import_shows_its_progress_when_asked_whatever_the_files_size(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = tmp_path / "outlet.ttl"  # far below the size that gets a bar unasked
    extra.write_text(OUTLET, encoding="utf-8")
    store = persistent_store(str(data_dir))
    store.add_files([extra], progress=True)
    assert "loading outlet.ttl:" in capsys.readouterr().err
    other = tmp_path / "other.ttl"
    other.write_text(OUTLET.replace("test-outlet", "test-other"), encoding="utf-8")
    store.add_files([other])  # unasked, a small file loads quietly
    store.release()
    assert "loading" not in capsys.readouterr().err


def build_dirs(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "stores").iterdir() if p.is_dir())


def empty_live_build(store: PersistentStore, data_dir: Path) -> tuple[Manifest, Path]:
    """Leave the live build's directory in place but empty; its manifest and path."""
    before = store.manifest()
    assert before is not None
    live = data_dir / "stores" / before.build
    shutil.rmtree(live)
    live.mkdir()
    return before, live


def test_a_write_that_cannot_read_the_live_build_reports_that_and_leaves_nothing(
    imported: tuple[PersistentStore, Path], data_dir: Path, tmp_path: Path
) -> None:
    """The live build's directory is there but empty: the engine's own error comes out (not one
    from cleaning up a copy never made), and no new build or kept copy is left behind."""
    store, _ = imported
    before, live = empty_live_build(store, data_dir)
    extra = tmp_path / "other.ttl"
    extra.write_text(OUTLET.replace("test-outlet", "test-other"), encoding="utf-8")
    kept = sorted((data_dir / "imports").iterdir())
    with pytest.raises(OSError) as err:
        store.add_files([extra])
    store.release()
    assert f"{live}/CURRENT" in str(err.value)
    assert build_dirs(data_dir) == [before.build]
    assert sorted((data_dir / "imports").iterdir()) == kept
    assert store.manifest() == before


def test_a_build_open_in_a_reader_outlives_later_writes_until_released(
    imported: tuple[PersistentStore, Path], data_dir: Path, tmp_path: Path
) -> None:
    """A reader's shared lock keeps its build from the collector of a write (another process's,
    or, as here, another store object's: the locks are per open file); once released, the next
    write collects it."""
    reader = persistent_store(str(data_dir))
    live = reader.open()
    first = reader.manifest()
    assert first is not None
    writer = persistent_store(str(data_dir))
    files = []
    for name in ("second", "third"):
        files.append(tmp_path / f"{name}.ttl")
        files[-1].write_text(OUTLET.replace("test-outlet", f"test-{name}"), encoding="utf-8")
    second = writer.add_files(files[:1])
    writer.release()
    assert build_dirs(data_dir) == sorted([first.build, second.build])
    ask = "ASK { <https://w3id.org/recruitgraph/id/test-outlet> ?p ?o }"
    assert live.query(ask)  # the reader's build still answers
    reader.release()
    third = writer.add_files(files[1:])
    writer.release()
    assert build_dirs(data_dir) == [third.build]


@contextmanager
def writes_before_locks(reader: PersistentStore, writer: PersistentStore, tmp_path: Path, times: int) -> Iterator[list[str]]:
    """The first ``times`` times ``reader`` is about to take its reader lock, ``writer`` imports a
    new file, and so publishes a build and collects the one ``reader`` has just read from the
    manifest: the narrow window of a write in another process, made certain. Yields the builds
    published."""
    published: list[str] = []

    def trace(frame: Any, event: str, arg: Any) -> None:
        # The method's own frame, known by its argument; by name, it is only part of it
        # (bench/mutation renames each function and calls it through a wrapper).
        if (event == "call" and "_hold_reader_lock" in frame.f_code.co_name and "build_path" in frame.f_locals
                and frame.f_locals.get("self") is reader and len(published) < times):
            extra = tmp_path / f"race-{len(published)}.ttl"
            extra.write_text(OUTLET.replace("test-outlet", f"test-race-{len(published)}"), encoding="utf-8")
            published.append(writer.add_files([extra]).build)
            writer.release()

    before = sys.gettrace()
    sys.settrace(trace)
    try:
        yield published
    finally:
        sys.settrace(before)


@pytest.mark.parametrize("writes", [1, OPEN_ATTEMPTS - 1])
def test_a_reader_whose_build_is_collected_before_it_locks_it_opens_the_new_one(
    imported: tuple[PersistentStore, Path], data_dir: Path, tmp_path: Path, writes: int
) -> None:
    reader, writer = persistent_store(str(data_dir)), persistent_store(str(data_dir))
    with writes_before_locks(reader, writer, tmp_path, writes) as published:
        live = reader.open()
    # Each write collected the build the reader was about to lock; the reader read the manifest
    # again and opened the next, until the last write's build, which nothing collected.
    assert len(published) == writes and build_dirs(data_dir) == [published[-1]]
    assert reader.manifest().build == published[-1]  # type: ignore[union-attr]
    ask = f"ASK {{ <https://w3id.org/recruitgraph/id/test-race-{writes - 1}> ?p ?o }}"
    assert live.query(ask)
    reader.release()


def test_a_reader_gives_up_when_every_build_it_reads_is_collected_before_it_locks_it(
    imported: tuple[PersistentStore, Path], data_dir: Path, tmp_path: Path
) -> None:
    reader, writer = persistent_store(str(data_dir)), persistent_store(str(data_dir))
    with writes_before_locks(reader, writer, tmp_path, OPEN_ATTEMPTS) as published, pytest.raises(StoreError) as err:
        reader.open()
    assert str(err.value) == (f"{data_dir / 'current.json'}: the live build changed 5 times while it was "
                              "being opened (writes in quick succession); try again")
    assert len(published) == OPEN_ATTEMPTS == 5
    assert build_dirs(data_dir) == [published[-1]]  # the reader holds no build: the last write collected all others


def test_two_opens_of_a_new_store_at_once_build_it_once(data_dir: Path) -> None:
    """The second waits for the first's build under the write lock, then opens that build
    instead of making another (two processes starting a server and a query on a new machine)."""
    stores = [persistent_store(str(data_dir)) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        opened = list(pool.map(lambda store: store.open(), stores))
    builds = {store.manifest().build for store in stores}  # type: ignore[union-attr]
    assert len(builds) == 1 and build_dirs(data_dir) == sorted(builds)
    assert all(len(live) == len(opened[0]) > 0 for live in opened)
    for store in stores:
        store.release()


def test_a_live_build_that_cannot_be_opened_is_named(imported: tuple[PersistentStore, Path], data_dir: Path) -> None:
    _, live = empty_live_build(imported[0], data_dir)
    with pytest.raises(StoreError) as err:
        persistent_store(str(data_dir)).open()
    assert str(err.value).startswith(f"{live}: cannot open the store read-only (IO error: ")
    assert str(err.value).endswith(f"{live}/CURRENT: No such file or directory)")


@contextmanager
def terminal() -> Iterator[list[bytes]]:
    """Standard error on a pseudo-terminal, as in an interactive shell; yields what was written
    to it, complete once the block has ended (a few lines at most: the terminal's buffer holds
    them until they are read)."""
    master, slave = pty.openpty()
    # a size, as a terminal window has (a new one has none, and tqdm then draws nothing)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    written: list[bytes] = []
    stream = os.fdopen(slave, "w", buffering=1)
    saved, sys.stderr = sys.stderr, stream
    try:
        yield written
        stream.flush()
        while select.select([master], [], [], 0.5)[0]:
            written.append(os.read(master, 65536))
    finally:
        sys.stderr = saved
        stream.close()
        os.close(master)


def padded_to(path: Path, size: int) -> Path:
    """One triple, then a comment filling the file to exactly ``size`` bytes."""
    triple = f"<{EX}s> <{EX}p> <{EX}o> .\n#".encode("ascii")
    path.write_bytes(triple + b"x" * (size - len(triple) - 1) + b"\n")
    assert path.stat().st_size == size
    return path


@pytest.mark.parametrize(("size", "shown"), [(PROGRESS_MIN_BYTES, True), (PROGRESS_MIN_BYTES - 1, False)])
def test_on_a_terminal_a_file_of_8_mib_or_more_shows_its_progress_unasked(
    tmp_path: Path, size: int, shown: bool
) -> None:
    assert PROGRESS_MIN_BYTES == 8 * 1024 * 1024
    path = padded_to(tmp_path / "padded.nt", size)
    store = ox.Store()
    with terminal() as written:
        load_file(store, path, bulk=False)
    assert len(store) == 1
    shown_there = b"".join(written)
    assert (b"loading padded.nt:" in shown_there) is shown
    if shown:  # and wiped when the load is done, leaving the line to what comes next
        assert shown_there.endswith(b"\r") and shown_there.rsplit(b"\r", 2)[1].strip() == b""


@pytest.mark.parametrize("progress", [False, True])
@pytest.mark.parametrize("name", ["graphs.trig", "triples.ttl"])
def test_a_file_loads_the_same_with_a_progress_bar_or_without(tmp_path: Path, progress: bool, name: str) -> None:
    """Relative IRIs resolve against the file, in a dataset format as in a triple format, and a
    TriG file's named graph goes to the default graph (imports own no graphs), bar or no bar."""
    path = tmp_path / name
    second = f"GRAPH <{EX}g> {{ <d> <e> <f> }}" if name.endswith(".trig") else "<d> <e> <f> ."
    path.write_text(f"<a> <b> <c> .\n{second}\n", encoding="utf-8")
    store = ox.Store()
    load_file(store, path, bulk=False, progress=progress)
    base = tmp_path.resolve().as_uri() + "/"
    assert {(q.subject.value, q.object.value, q.graph_name) for q in store} == {
        (f"{base}a", f"{base}c", ox.DefaultGraph()),
        (f"{base}d", f"{base}f", ox.DefaultGraph()),
    }


@pytest.mark.parametrize("name", ["graphs.trig", "triples.ttl"])
def test_a_file_parsed_for_validation_reads_as_it_loads(tmp_path: Path, name: str) -> None:
    """What the shapes check (parse_file) is what the store loads: relative IRIs resolved
    against the file, every statement in the default graph."""
    path = tmp_path / name
    second = f"GRAPH <{EX}g> {{ <d> <e> <f> }}" if name.endswith(".trig") else "<d> <e> <f> ."
    path.write_text(f"<a> <b> <c> .\n{second}\n", encoding="utf-8")
    loaded = ox.Store()
    load_file(loaded, path, bulk=False)
    parsed = parse_file(path)
    assert len(parsed) == 2 and set(parsed) == set(loaded)
    assert {q.subject.value for q in parsed} == {tmp_path.resolve().as_uri() + "/a", tmp_path.resolve().as_uri() + "/d"}


def test_an_import_names_no_graph_of_its_own(data_dir: Path, tmp_path: Path) -> None:
    """A TriG file's statements, even one it puts in the ontology's graph, are imported into the
    default graph: the named graphs stay the project's (one per source, ontology, shared)."""
    path = tmp_path / "outlet.trig"
    path.write_text(f"GRAPH <https://w3id.org/recruitgraph/graph/ontology> {{ <{EX}s> <{EX}p> <{EX}o> }}\n",
                    encoding="utf-8")
    store = persistent_store(str(data_dir))
    store.add_files([path])
    live = store.open()
    assert [q.graph_name for q in live.quads_for_pattern(ox.NamedNode(f"{EX}s"), None, None, None)] == [
        ox.DefaultGraph()
    ]
    store.release()
