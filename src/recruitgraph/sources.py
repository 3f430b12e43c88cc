"""The source registry: metadata of each source text (``data/sources/<id>.ttl``) and the texts
themselves, which stay outside the repository in the source directories
(:func:`recruitgraph.config.source_dirs`) and are found by their SHA-256.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from . import config
from .exc import ConfigError, InputError, SourceError
from .namespaces import RG, RGD, SCHEMA
from .store import file_sha256 as sha256_file
from .turtle import serialize_turtle

__all__ = [
    "SourceInfo",
    "add_source",
    "date_literal",
    "find_text",
    "list_sources",
    "load_base_graph",
    "read_text",
    "sha256_file",
    "source_info",
]

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INFERABLE = ("title", "publisher", "date")


@dataclass(frozen=True)
class SourceInfo:
    """What the graph records about one source."""

    id: str
    iri: URIRef
    title: str | None
    date: str | None
    sha256: str | None
    length: int | None
    file_name: str | None


def check_id(value: str, what: str = "id") -> str:
    """Return ``value`` when it is a kebab-case id, else raise :class:`InputError`."""
    if not _ID_RE.match(value or ""):
        raise InputError(
            f"{what} {value!r} is not a kebab-case id (lower-case letters, digits, '-')"
        )
    return value


def date_literal(value: object, *, where: str = "date") -> Literal:
    """A date typed by its precision: YYYY -> xsd:gYear, YYYY-MM -> gYearMonth, else xsd:date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return Literal(text, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            dt.date.fromisoformat(text)
        except ValueError as exc:
            raise InputError(f"{where}: {text!r} is not a valid date ({exc})") from None
        return Literal(text, datatype=XSD.date)
    raise InputError(f"{where}: {text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")


def load_base_graph(*, exclude: Iterable[Path] = ()) -> Graph:
    """Parse ontology/ and data/ (``config.base_resources()``) into one rdflib graph."""
    skip = {Path(p).resolve() for p in exclude}
    graph = Graph()
    for path in config.base_resources().all:
        if path.resolve() in skip:
            continue
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many kinds; one line names the file
            raise InputError(f"{path}: cannot parse Turtle: {exc}") from None
    return graph


def _str(graph: Graph, s: URIRef, p: URIRef) -> str | None:
    value = graph.value(s, p)
    return None if value is None else str(value)


def source_info(graph: Graph, source: str | URIRef) -> SourceInfo:
    """The registered source ``source`` (id, prefixed name or IRI); raise when unknown."""
    text = str(source)
    if text.startswith("rgd:"):
        text = text[4:]
    iri = URIRef(text) if text.startswith("http") else RGD[text]
    if (iri, RDF.type, RG.Source) not in graph:
        known = ", ".join(s.id for s in list_sources(graph)) or "none"
        raise SourceError(
            f"source {source!r} is not registered (known: {known}); "
            "register it with `recruitgraph source add`"
        )
    count = graph.value(iri, RG.characterCount)
    return SourceInfo(
        id=str(iri)[len(str(RGD)) :] if str(iri).startswith(str(RGD)) else str(iri),
        iri=iri,
        title=_str(graph, iri, RDFS.label),
        date=_str(graph, iri, DCTERMS.issued),
        sha256=_str(graph, iri, RG.sha256),
        length=int(str(count)) if count is not None else None,
        file_name=_str(graph, iri, RG.fileName),
    )


def list_sources(graph: Graph) -> list[SourceInfo]:
    """Every registered source, sorted by id."""
    iris = sorted(set(graph.subjects(RDF.type, RG.Source)), key=str)
    return [source_info(graph, s) for s in iris if isinstance(s, URIRef)]


def find_text(info: SourceInfo, dirs: Sequence[Path] | None = None) -> Path | None:
    """The file holding the text of ``info`` with the registered hash, or None when absent.

    The registered file name is tried first in each directory, then any ``*.txt`` there.
    """
    for d in dirs if dirs is not None else config.source_dirs():
        if not d.is_dir():
            continue
        candidates = [d / info.file_name] if info.file_name else []
        candidates += sorted(p for p in d.glob("*.txt") if p not in candidates)
        for path in candidates:
            if path.is_file() and (info.sha256 is None or sha256_file(path) == info.sha256):
                return path
    return None


def read_text(info: SourceInfo, dirs: Sequence[Path] | None = None) -> str:
    """The text of a source; :class:`SourceError` when it is absent or has changed."""
    path = find_text(info, dirs)
    if path is None:
        searched = ", ".join(str(d) for d in (dirs if dirs is not None else config.source_dirs()))
        changed = [
            d / info.file_name
            for d in (dirs if dirs is not None else config.source_dirs())
            if info.file_name and (d / info.file_name).is_file()
        ]
        if changed:
            raise SourceError(
                f"{changed[0]}: text of source {info.id} has changed (SHA-256 differs from the "
                f"registered {info.sha256}); passages are never re-anchored silently"
            )
        raise SourceError(
            f"text of source {info.id} ({info.file_name or 'no file name'}) is not present in "
            f"{searched}; set RECRUITGRAPH_SOURCES to the directory that holds it"
        )
    return path.read_text(encoding="utf-8")


def metadata_graph(
    source_id: str,
    *,
    text_path: Path,
    title: str,
    publisher: str | None = None,
    publisher_label: str | None = None,
    publisher_type: str = "MediaOutlet",
    publisher_aliases: Iterable[str] = (),
    date: str | None = None,
    url: str | None = None,
    language: str = "en",
    kind: str = "NewsArticle",
    inferred: Iterable[str] = (),
    title_assigned: bool = False,
) -> Graph:
    """RDF metadata of a source (docs/design.md, "Sources")."""
    inferred = set(inferred)
    unknown = inferred - set(INFERABLE)
    if unknown:
        raise InputError(
            f"--inferred: unknown field(s) {sorted(unknown)}; use {', '.join(INFERABLE)}"
        )
    check_id(source_id, "source id")
    text = text_path.read_text(encoding="utf-8")
    g = Graph()
    s = RGD[source_id]
    g.add((s, RDF.type, RG.Source))
    g.add((s, RDF.type, RG.TextSource))
    g.add((s, RDF.type, SCHEMA[kind]))
    g.add((s, RG.origin, s))  # a registered text is its own origin (no copy of another story)
    g.add((s, RDFS.label, Literal(title, lang="en")))
    if title_assigned or "title" in inferred:
        g.add((s, RG.titleAssigned, Literal(True)))
    if publisher:
        pub = RGD[check_id(publisher.removeprefix("rgd:"), "publisher id")]
        g.add((s, DCTERMS.publisher, pub))
        if publisher_label:
            g.add((pub, RDF.type, RG[publisher_type]))
            g.add((pub, RDFS.label, Literal(publisher_label, lang="en")))
            for alias in publisher_aliases:
                g.add((pub, SKOS.altLabel, Literal(alias, lang="en")))
        if "publisher" in inferred:
            g.add((s, RG.publisherInferred, Literal(True)))
    if date:
        g.add((s, DCTERMS.issued, date_literal(date, where="--date")))
        if "date" in inferred:
            g.add((s, RG.dateInferred, Literal(True)))
    if url:
        g.add((s, SCHEMA.url, URIRef(url)))
    g.add((s, RG.sha256, Literal(sha256_file(text_path))))
    g.add((s, RG.characterCount, Literal(len(text))))
    g.add((s, DCTERMS.language, Literal(language)))
    g.add((s, RG.fileName, Literal(text_path.name)))
    return g


def _writable_sources_dir() -> Path:
    for d in config.source_dirs():
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(d, os.W_OK):
            return d
    raise ConfigError(
        "no writable source directory among "
        + ", ".join(str(d) for d in config.source_dirs())
        + "; set RECRUITGRAPH_SOURCES"
    )


def add_source(text_path: Path, source_id: str | None = None, **meta: object) -> tuple[Path, Path]:
    """Register a source text: write ``data/sources/<id>.ttl`` and keep a copy of the text in a
    source directory (unless it is already in one). Returns (metadata file, text file)."""
    text_path = Path(text_path)
    if not text_path.is_file():
        raise InputError(f"{text_path}: no such file")
    try:
        text_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{text_path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    sid = check_id(source_id or text_path.stem, "source id")
    graph = metadata_graph(sid, text_path=text_path, **meta)  # type: ignore[arg-type]
    target_dir = config.data_dir() / "sources"
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"{target_dir}: cannot create the data directory ({exc.strerror})"
        ) from None
    if not os.access(target_dir, os.W_OK):
        raise ConfigError(
            f"{target_dir}: the data directory is read-only; cannot register a source"
        )
    meta_path = target_dir / f"{sid}.ttl"
    header = (
        f"Metadata of source {sid}, written by `recruitgraph source add`.\n"
        "The text itself is not in the repository: only its SHA-256 and length."
    )
    text_copy = _keep_text(text_path)
    meta_path.write_text(serialize_turtle(graph, header=header), encoding="utf-8")
    return meta_path, text_copy


def _keep_text(text_path: Path) -> Path:
    resolved = text_path.resolve()
    for d in config.source_dirs():
        if d.is_dir() and resolved.parent == d.resolve():
            return text_path
    target = _writable_sources_dir() / text_path.name
    if target.exists() and sha256_file(target) != sha256_file(text_path):
        raise SourceError(f"{target}: a different text with this name is already there")
    shutil.copyfile(text_path, target)
    return target
