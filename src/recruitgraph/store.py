"""The embedded store: pyoxigraph, in memory or persistent under the user's data directory.

A persistent store is a series of immutable builds (``stores/<build-id>/``, RocksDB directories)
and a pointer, ``current.json``, naming the live build with the content hash of the files it was
built from. A write never touches the live build: it makes a new build (a fresh load, or a
checkpoint copy of the live one plus the new files) and publishes it by replacing the pointer
atomically. So readers open the live build read-only while another process writes, and a write
that fails leaves the store exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import json
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .config import Resources
from .exc import InputError, StoreError, StoreLockedError
from .formats import READABLE_EXTENSIONS
from .graphs import drop_default_duplicates, partition
from .namespaces import PREFIXES

#: Bumped when the layout of a build changes, so old builds are rebuilt.
LAYOUT_VERSION = 2  # 2: the base files in named graphs

#: File extension -> RDF format of the files the store loads and imports.
FORMATS: dict[str, ox.RdfFormat] = READABLE_EXTENSIONS

#: Files above this size get a progress bar on an interactive terminal.
PROGRESS_MIN_BYTES = 8 * 1024 * 1024

#: How long a write waits for another writer before giving up (seconds; the environment
#: variable RECRUITGRAPH_LOCK_WAIT overrides it).
WRITE_WAIT_SECONDS = 60.0

#: How many times :meth:`PersistentStore.open` reads the manifest when the build it names is
#: collected by a write before the reader has locked it.
OPEN_ATTEMPTS = 5


def _lock_wait() -> float:
    try:
        return float(os.environ.get("RECRUITGRAPH_LOCK_WAIT", WRITE_WAIT_SECONDS))
    except ValueError:
        return WRITE_WAIT_SECONDS


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF format of ``path`` from its extension (``.ttl.gz`` is not supported)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: unknown RDF file extension {path.suffix!r} (known: {known})")
    return fmt


def content_hash(paths: Sequence[Path]) -> str:
    """SHA-256 over the names and bytes of ``paths`` and the engine version."""
    digest = hashlib.sha256(f"layout={LAYOUT_VERSION};pyoxigraph={ox.__version__}\n".encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, as lower-case hex (read in chunks: texts and imports may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _ProgressReader(io.RawIOBase):
    """A binary reader that advances a tqdm bar as pyoxigraph consumes the file."""

    def __init__(self, fh: IO[bytes], bar: Any) -> None:
        self._fh = fh
        self._bar = bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._fh.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._bar.update(n)
        return int(n or 0)


def _syntax_error(path: Path, exc: SyntaxError) -> InputError:
    where = f"{path}"
    if exc.lineno:
        where += f":{exc.lineno}"
        if exc.offset:
            where += f":{exc.offset}"
    return InputError(f"{where}: {exc.msg}")  # str(exc) would repeat the line: "... (line 3)"


def _open_input(path: Path) -> IO[bytes]:
    """``path`` opened for reading; :class:`InputError` naming it when it cannot be (a directory,
    a file without read permission)."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None


def refuse_entities(path: Path, fmt: ox.RdfFormat) -> None:
    """Refuse an RDF/XML file that declares XML entities, before any parser sees it.

    A few hundred bytes of nested entity declarations ("billion laughs") expand to gigabytes; the
    data of this project never needs an entity, so a declaration anywhere is refused.
    """
    if fmt != ox.RdfFormat.RDF_XML:
        return
    tail = b""
    with _open_input(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            if b"<!ENTITY" in tail + chunk:
                raise InputError(f"{path}: RDF/XML entity declarations (<!ENTITY) are refused: "
                                 "they can expand a small file into gigabytes")
            tail = chunk[-8:]


def refuse_empty(path: Path) -> None:
    """Refuse an empty file (nothing to import is a mistake worth a message, not a new build)."""
    try:
        empty = path.stat().st_size == 0
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    if empty:
        raise InputError(f"{path}: the file is empty; there is nothing to import")


def _in_default_graph(quads: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
    """The statements of ``quads`` with their graph names dropped: imports write the default
    graph (:mod:`recruitgraph.graphs`), whatever graphs a TriG or N-Quads file names."""
    for q in quads:
        yield ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())


@contextlib.contextmanager
def _progress_bar(path: Path, size: int, show: bool) -> Iterator[Any]:
    """A tqdm bar for reading ``path`` when ``show``, else None."""
    if not show:
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=size, unit="B", unit_scale=True, desc=f"loading {path.name}", leave=False) as bar:
        yield bar


def load_file(store: ox.Store, path: Path, *, bulk: bool, progress: bool | None = None) -> None:
    """Load one RDF file into the default graph, turning parser errors into :class:`InputError`."""
    fmt = rdf_format(path)
    refuse_entities(path, fmt)
    base_iri = path.resolve().as_uri()
    with _open_input(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        show = progress if progress is not None else (size >= PROGRESS_MIN_BYTES and sys.stderr.isatty())
        try:
            with _progress_bar(path, size, show) as bar:
                source = fh if bar is None else io.BufferedReader(_ProgressReader(fh, bar), 1 << 20)
                if fmt.supports_datasets:
                    # load() keeps a dataset's graphs (its to_graph is for triples only)
                    quads = _in_default_graph(ox.parse(source, format=fmt, base_iri=base_iri))
                    (store.bulk_extend if bulk else store.extend)(quads)
                else:
                    (store.bulk_load if bulk else store.load)(input=source, format=fmt, base_iri=base_iri)
        except SyntaxError as exc:
            raise _syntax_error(path, exc) from None


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse one RDF file completely (nothing is written anywhere); errors name file, line, column."""
    fmt = rdf_format(path)
    refuse_entities(path, fmt)
    with _open_input(path) as fh:
        try:
            return list(_in_default_graph(ox.parse(fh, format=fmt, base_iri=path.resolve().as_uri())))
        except SyntaxError as exc:
            raise _syntax_error(path, exc) from None


def load_base(store: ox.Store, base: Resources, *, bulk: bool) -> None:
    """Load the ontology and data files into their named graphs (:mod:`recruitgraph.graphs`)."""
    quads = partition(base.ontology, base.data)
    if bulk:
        store.bulk_extend(quads)
    else:
        store.extend(quads)


def load_extra(store: ox.Store, path: Path, *, bulk: bool, progress: bool | None = None) -> None:
    """Load an imported file into the default graph, leaving out what a named graph holds."""
    load_file(store, path, bulk=bulk, progress=progress)
    drop_default_duplicates(store)


def memory_store(base: Resources, extra: Sequence[Path] = ()) -> ox.Store:
    """A fresh in-memory store holding the base files in their graphs and ``extra`` files."""
    store = ox.Store()
    load_base(store, base, bulk=False)
    for path in extra:
        load_extra(store, path, bulk=False)
    return store


@dataclass
class Manifest:
    """What ``current.json`` records about the live build."""

    build: str
    base_hash: str
    imports: list[dict[str, str]] = field(default_factory=list)
    created: float = 0.0

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        """The manifest at ``path``; None when there is none; :class:`StoreError` when unreadable.

        Every key is required (every manifest ever written has all four): a manifest without its
        imports read as one with none would have the next write delete their copies.
        """
        try:
            raw = json.loads(path.read_text())
            return cls(raw["build"], raw["base_hash"], list(raw["imports"]), float(raw["created"]))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise StoreError(f"{path}: unreadable store manifest ({exc})") from None

    def write(self, path: Path) -> None:
        """Write atomically and durably: a temporary file, fsynced, renamed, directory fsynced."""
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _compact(store: ox.Store) -> None:
    """Flush a new build and compact it before it is published. A bulk load into a store that
    already holds data leaves its files overlapping, and every full read then merges them: at 5M
    triples the N-Triples dump of an import took 56 s against 31.7 s once compacted, and the
    compaction took 2 s."""
    store.flush()
    store.optimize()


def _collect_build(path: Path) -> None:
    """Delete the build at ``path`` unless a reader holds its shared lock."""
    try:
        with open(f"{path}.readers", "ab") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(path)
    except OSError:
        pass  # in use by a reader (or not deletable now): a later write collects it


class PersistentStore:
    """The store under a data directory; see the module docstring for the layout."""

    def __init__(self, root: Path, base: Resources) -> None:
        self.root = root
        self.base = base
        self.manifest_path = root / "current.json"
        self.builds = root / "stores"
        self.imports_dir = root / "imports"
        self._reader_lock: IO[bytes] | None = None
        #: Triples the last :meth:`add_files` added.
        self.last_added = 0

    # -- opening ----------------------------------------------------------------------------

    def open(self) -> ox.Store:
        """Open the live build read-only, building it first when missing or out of date.

        A missing or unreadable ``current.json`` in a directory that already holds builds or
        imports is an error naming the last good build and the imports (``recruitgraph store
        repair`` rebuilds from them): rebuilding silently would drop every import. When a write
        collects the build named by the manifest before this reader has locked it, the manifest
        is read again, up to :data:`OPEN_ATTEMPTS` times.
        """
        base_hash = content_hash(self.base.all)
        for _ in range(OPEN_ATTEMPTS):
            manifest = self.manifest()
            if manifest is None or manifest.base_hash != base_hash or not (self.builds / manifest.build).is_dir():
                manifest = self._rebuild(base_hash)
            store = self._open_build(manifest.build)
            if store is not None:
                return store
        raise StoreError(f"{self.manifest_path}: the live build changed {OPEN_ATTEMPTS} times while it was "
                         "being opened (writes in quick succession); try again")

    def manifest(self) -> Manifest | None:
        """The live manifest; None for a new store; :class:`StoreError` when it is lost."""
        try:
            manifest = Manifest.read(self.manifest_path)
        except StoreError as exc:
            raise StoreError(f"{exc}; {self._recovery_hint()}") from None
        if manifest is None and (self.last_good() is not None or self._import_files()):
            raise StoreError(f"{self.manifest_path}: the store manifest is missing; {self._recovery_hint()}")
        return manifest

    def _import_files(self) -> list[Path]:
        return sorted(self.imports_dir.iterdir()) if self.imports_dir.is_dir() else []

    def last_good(self) -> Manifest | None:
        """The newest build's own copy of its manifest (kept beside each published build)."""
        found = []
        for path in sorted(self.builds.glob("*.json")):  # in name order, to behave the same everywhere
            try:
                manifest = Manifest.read(path)
            except StoreError:
                continue
            if manifest is not None and (self.builds / manifest.build).is_dir():
                found.append(manifest)
        return max(found, key=lambda m: (m.created, m.build)) if found else None

    def _recovery_hint(self) -> str:
        good = self.last_good()
        if good is None:
            files = ", ".join(p.name for p in self._import_files()) or "none"
            return (f"no build records its imports; the imported files are in {self.imports_dir} ({files}); "
                    "run `recruitgraph store repair` to rebuild from ontology/, data/ and those files")
        names = ", ".join(item["name"] for item in good.imports) or "none"
        return (f"the last good build is {good.build} with {len(good.imports)} import(s) ({names}); "
                "run `recruitgraph store repair` to make it live again (rebuilt if ontology/ or data/ changed)")

    def repair(self) -> Manifest:
        """Publish a new manifest from the last good build (rebuilt with its imports when the
        base files changed); with no build to go on, rebuild from base files and imported files."""
        base_hash = content_hash(self.base.all)
        with self.write_lock():
            good = self.last_good()
            if good is None:
                imports = [{"name": p.name.split("-", 1)[-1], "sha256": file_sha256(p),
                            "path": str(p.relative_to(self.root)),
                            "kind": "update" if p.name.endswith("-update.ru") else "rdf"}
                           for p in sorted(self._import_files(), key=lambda p: p.stat().st_mtime)]
                good = Manifest("", base_hash, imports)
            if good.base_hash == base_hash and good.build and (self.builds / good.build).is_dir():
                manifest = Manifest(good.build, base_hash, good.imports, time.time())
                self._publish(manifest)
            else:
                manifest = self._rebuild_locked(base_hash, good)
            self._collect_garbage(keep=manifest.build)
            return manifest

    def _publish(self, manifest: Manifest) -> None:
        """Record ``manifest`` beside its build (for repair), then make it live."""
        manifest.write(self.builds / f"{manifest.build}.json")
        manifest.write(self.manifest_path)

    def _open_build(self, build: str) -> ox.Store | None:
        """The build opened read-only; None when a write collected it before this reader locked it."""
        path = self.builds / build
        self._hold_reader_lock(path)
        if not path.is_dir():
            self.release()
            return None
        try:
            return ox.Store.read_only(str(path))
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the store read-only ({exc})") from None

    def _hold_reader_lock(self, build_path: Path) -> None:
        # A shared lock tells the garbage collector of other processes that this build is in use.
        self.release()
        try:
            fh = open(str(build_path) + ".readers", "ab")  # noqa: SIM115 (held until release)
        except OSError:
            return  # a read-only data directory: nobody can delete the build either
        fcntl.flock(fh, fcntl.LOCK_SH)
        self._reader_lock = fh

    def release(self) -> None:
        if self._reader_lock is not None:
            self._reader_lock.close()
            self._reader_lock = None

    # -- writing ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, wait: float | None = None) -> Iterator[None]:
        """Hold the store's write lock; wait up to ``wait`` seconds for another writer."""
        self._ensure_writable()
        lock_path = self.root / "write.lock"
        with open(lock_path, "a+b") as fh:
            deadline = time.monotonic() + (_lock_wait() if wait is None else wait)
            announced = False
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    holder = lock_path.with_suffix(".pid")
                    who = holder.read_text().strip() if holder.exists() else "another process"
                    if time.monotonic() >= deadline:
                        raise StoreLockedError(
                            f"{self.root}: the store is being written by {who}; try again when it has finished"
                        ) from None
                    if not announced:
                        sys.stderr.write(f"recruitgraph: waiting for {who} to finish writing {self.root} ...\n")
                        announced = True
                    time.sleep(0.2)
            lock_path.with_suffix(".pid").write_text(f"pid {os.getpid()}\n")
            self._clean_leftovers()
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    lock_path.with_suffix(".pid").unlink()
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _clean_leftovers(self) -> None:
        """Remove what a writer that died left behind (we hold the lock, so it is not running):
        temporary manifests and imported copies no manifest refers to. Partial build
        directories go with the garbage collection after the next publish."""
        for tmp in self.root.glob(".current.json.*.tmp"):
            tmp.unlink(missing_ok=True)
        for tmp in self.builds.glob(".*.json.*.tmp"):
            tmp.unlink(missing_ok=True)
        try:
            current = Manifest.read(self.manifest_path)
        except StoreError:
            return
        if current is None:
            return  # repair decides what the imports are
        kept = {self.root / item["path"] for item in current.imports}
        for path in self._import_files():
            if path not in kept:
                path.unlink(missing_ok=True)

    def _ensure_writable(self) -> None:
        read_only = False
        try:
            self.builds.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise StoreError(f"{self.root}: cannot create the store directory ({exc.strerror})") from None
            read_only = True
        if read_only or not os.access(self.root, os.W_OK) or not os.access(self.builds, os.W_OK):
            raise StoreError(
                f"{self.root}: the data directory is read-only; the store cannot be built or changed "
                "there (choose another with --data-dir or RECRUITGRAPH_DATA_DIR, or use --memory)"
            )

    def _new_build_dir(self) -> Path:
        name = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        return self.builds / name

    def _rebuild(self, base_hash: str) -> Manifest:
        with self.write_lock():
            # Someone else may have rebuilt while we waited.
            current = self.manifest()
            if current and current.base_hash == base_hash and (self.builds / current.build).is_dir():
                return current
            manifest = self._rebuild_locked(base_hash, current)
            self._collect_garbage(keep=manifest.build)
            return manifest

    def add_files(self, files: Sequence[Path], *, progress: bool | None = None,
                  check: Callable[[ox.Store], None] | None = None) -> Manifest:
        """Publish a new build holding the live data plus ``files``.

        ``check`` sees the new build (the build it extends plus the files) under the write lock,
        before it is published, and raises to refuse it. :attr:`last_added` is then the number
        of triples the files added.
        """
        for path in files:
            refuse_empty(path)

        def apply(store: ox.Store, created: list[Path]) -> list[dict[str, str]]:
            before = len(store)
            records = []
            for path in files:
                load_extra(store, path, bulk=True, progress=progress)
                records.append(self._keep(path, file_sha256(path), path.name, "rdf", created))
            store.flush()
            self.last_added = len(store) - before
            if self.last_added == 0:
                names = ", ".join(str(p) for p in files)
                raise InputError(f"{names}: no new triples (everything is already in the store, or the "
                                 "files hold none); nothing was written")
            if check is not None:
                check(store)
            return records

        return self._publish_derived(apply)

    def apply_update(self, text: str, *, base_iri: str | None = None) -> Manifest:
        """Publish a new build with a SPARQL Update applied; the update is replayed on rebuilds.

        A malformed update raises the engine's ``SyntaxError`` and publishes nothing.
        """

        def apply(store: ox.Store, created: list[Path]) -> list[dict[str, str]]:
            store.update(text, prefixes=PREFIXES, base_iri=base_iri)
            drop_default_duplicates(store)
            data = text.encode("utf-8")
            record = self._keep(data, hashlib.sha256(data).hexdigest(), "update.ru", "update", created)
            if base_iri:
                record["base"] = base_iri  # relative IRIs resolve the same way when replayed
            return [record]

        return self._publish_derived(apply)

    def _keep(
        self, content: bytes | Path, digest: str, name: str, kind: str, created: list[Path]
    ) -> dict[str, str]:
        """Keep a copy of an imported file (copied, never held in memory) or of an update's text,
        so that rebuilds can replay it."""
        self.imports_dir.mkdir(exist_ok=True)
        dest = self.imports_dir / f"{digest[:16]}-{name}"
        if not dest.exists():
            if isinstance(content, Path):
                shutil.copyfile(content, dest)
            else:
                dest.write_bytes(content)
            created.append(dest)
        return {"name": name, "sha256": digest, "path": str(dest.relative_to(self.root)), "kind": kind}

    def _publish_derived(self, apply: Callable[[ox.Store, list[Path]], list[dict[str, str]]]) -> Manifest:
        """Copy the live build (a RocksDB checkpoint), change the copy, publish it atomically."""
        base_hash = content_hash(self.base.all)
        with self.write_lock():
            current = self.manifest()
            if current is None or current.base_hash != base_hash or not (self.builds / current.build).is_dir():
                current = self._rebuild_locked(base_hash, current)
            target = self._new_build_dir()
            created: list[Path] = []
            failure: BaseException | None = None
            try:
                source = ox.Store.read_only(str(self.builds / current.build))
                source.backup(str(target))
                del source
                store = ox.Store(str(target))
                records = apply(store, created)
                _compact(store)
                del store
            except BaseException as exc:
                failure = exc
            if failure is not None:
                # The traceback's frames hold the open store, which would write its files again
                # after the directory is removed: drop them and close the store first.
                failure.__traceback__ = None
                store = None  # type: ignore[assignment]  # noqa: F841 (drops the last reference)
                import gc

                gc.collect()
                shutil.rmtree(target, ignore_errors=True)
                for path in created:
                    path.unlink(missing_ok=True)
                raise failure
            manifest = Manifest(target.name, base_hash, current.imports + records, time.time())
            self._publish(manifest)
            self._collect_garbage(keep=target.name)
            return manifest

    def _rebuild_locked(self, base_hash: str, current: Manifest | None) -> Manifest:
        imports = current.imports if current else []
        target = self._new_build_dir()
        try:
            store = ox.Store(str(target))
            load_base(store, self.base, bulk=True)
            for item in imports:
                # imported files and updates, replayed in the order they were made
                if item.get("kind") == "update":
                    store.update((self.root / item["path"]).read_text(encoding="utf-8"), prefixes=PREFIXES,
                                 base_iri=item.get("base"))
                    drop_default_duplicates(store)
                else:
                    load_extra(store, self.root / item["path"], bulk=True)
            _compact(store)
            del store
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        manifest = Manifest(target.name, base_hash, imports, time.time())
        self._publish(manifest)
        return manifest

    def _collect_garbage(self, keep: str) -> None:
        """Delete the builds neither live nor open in some reader, then what is left of builds gone:
        their records and their readers' lock files."""
        for path in self.builds.iterdir():
            if path.name != keep and path.is_dir():
                _collect_build(path)
        for path in self.builds.iterdir():
            # A reader that opened a build just collected leaves its lock file behind.
            if path.suffix in (".json", ".readers") and not (self.builds / path.stem).is_dir():
                path.unlink(missing_ok=True)

    def imported(self) -> list[dict[str, str]]:
        manifest = self.manifest()
        return manifest.imports if manifest else []
