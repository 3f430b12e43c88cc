"""Reproducible releases: export files plus a VoID/DCAT description, in one folder.

The version comes from the ontology's ``owl:versionInfo`` and the issue date from its
``dcterms:modified`` (never "now"), the exports are sorted, so the same data gives the same
bytes: a release can be cited and checked by its SHA-256 sums. The description is built by
:mod:`recruitgraph.dataset_description`, which the server's ``/downloads/void.ttl`` shares.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph, Literal

from .dataset_description import DatasetFacts, Distribution, describe_dataset, ontology_version
from .exc import ConfigError, NotConforming, SourceError
from .formats import Format, get
from .graphs import graph_facts
from .namespaces import RGD
from .references import source_kinds
from .sources import list_sources, load_base_graph
from .turtle import serialize_turtle

__all__ = ["FORMATS", "describe", "release"]

#: The formats a release is written in (RDF/XML is left out: it cannot write every IRI the
#: imports may hold as a property).
FORMATS: tuple[Format, ...] = tuple(get(name) for name in ("turtle", "ntriples", "nquads", "trig", "jsonld"))


def describe(base: Graph, files: list[Path], version: str, issued: Literal | None,
             graphs: Sequence[tuple[str, int, str | None]] = ()) -> Graph:
    """The VoID/DCAT description of a release made of ``files`` (the shared builder, fed with
    the release's own version, counts, sources, named ``graphs`` and file checksums)."""
    facts = DatasetFacts(
        version=version,
        issued=issued,
        triples=len(base),
        entities=len(set(base.subjects())),
        properties=len(set(base.predicates())),
        sources=tuple(info.iri for info in list_sources(base)),
        source_kinds=source_kinds(base),
        graphs=tuple(graphs),
    )
    dists = []
    for path in files:
        fmt = next(f for f in FORMATS if path.suffix == f.extension)
        dists.append(Distribution.of_bytes(path.name, fmt.name, fmt.media_type, path.read_bytes()))
    return describe_dataset(RGD[f"release-{version}"], facts, dists)


def _canonical_lines(path: Path) -> None:
    # N-Triples/N-Quads: one statement a line, so sorting makes the order stable
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(sorted(set(line for line in lines if line.strip()))))


def release(output: str | os.PathLike[str] = "dist", *, data_dir: str | None = None) -> list[Path]:
    """Write every export format and ``void.ttl`` into ``output``; return the files written.

    The evidence is verified first: a release is refused (nothing written) when a registered
    source text is not found (:class:`SourceError`) or a passage or figure fails its check
    (:class:`NotConforming`), since a release must not carry what nobody could check.
    """
    from . import open as open_kg
    from .verify import verify

    base = load_base_graph()
    version, issued = ontology_version(base)
    report = verify(base)
    if report.checked_nothing:
        reason = "; ".join(report.missing) or "no source is registered"
        raise SourceError(f"release: evidence not checked, nothing written: {reason}")
    if report.problems:
        raise NotConforming(
            f"release: {len(report.problems)} evidence problem(s), nothing written; first: "
            f"{report.problems[0]} (run `recruitgraph verify`)"
        )
    out = Path(output)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{out}: cannot create the release folder ({exc.strerror})") from None
    files: list[Path] = []
    kg = open_kg(memory=True)
    try:
        graphs = graph_facts(kg.store)
        for fmt in FORMATS:
            path = out / f"recruitgraph-{version}{fmt.extension}"
            kg.export(path, format=fmt.name)
            if fmt.name in ("ntriples", "nquads"):
                _canonical_lines(path)
            files.append(path)
    finally:
        kg.close()
    header = (
        f"VoID/DCAT description of recruitgraph release {version}, written by `recruitgraph release`.\n"
        "Checksums are SHA-256 of the files next to this one."
    )
    void = out / "void.ttl"
    void.write_text(
        serialize_turtle(describe(base, files, version, issued, graphs), header=header), encoding="utf-8"
    )
    return [*files, void]
