"""Reproducible releases: export files plus a VoID/DCAT description, in one folder.

The version comes from the ontology's ``owl:versionInfo`` and the issue date from its
``dcterms:modified`` (never "now"), the exports are sorted, so the same data gives the same
bytes: a release can be cited and checked by its SHA-256 sums.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from .exc import ConfigError
from .namespaces import RG, RGD
from .sources import list_sources, load_base_graph
from .turtle import serialize_turtle

__all__ = ["FORMATS", "describe", "release"]

#: format name -> (file extension, media type)
FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("ttl", "text/turtle"),
    "ntriples": ("nt", "application/n-triples"),
    "nquads": ("nq", "application/n-quads"),
    "trig": ("trig", "application/trig"),
    "jsonld": ("jsonld", "application/ld+json"),
}
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def _ontology_meta(graph: Graph) -> tuple[str, Literal | None]:
    onto = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    if onto is None:
        raise ConfigError("the ontology declares no owl:Ontology; cannot tell the release version")
    version = graph.value(onto, OWL.versionInfo)
    if version is None:
        raise ConfigError(f"{onto} has no owl:versionInfo; cannot tell the release version")
    modified = graph.value(onto, DCTERMS.modified)
    return str(version), modified if isinstance(modified, Literal) else None


def _canonical_lines(path: Path) -> None:
    # N-Triples/N-Quads: one statement a line, so sorting makes the order stable
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(sorted(set(line for line in lines if line.strip()))))


def describe(base: Graph, files: list[Path], version: str, issued: Literal | None) -> Graph:
    """The VoID/DCAT description of a release made of ``files``."""
    g = Graph()
    ds = RGD[f"release-{version}"]
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal(f"recruitgraph dataset {version}", lang="en")))
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "An evidence-backed knowledge graph of how Russia recruits soldiers for its war in "
                "Ukraine: ontology, claims with their sources and passages, and pipelines.",
                lang="en",
            ),
        )
    )
    g.add((ds, OWL.versionInfo, Literal(version)))
    g.add((ds, URIRef(f"{DCAT}version"), Literal(version)))
    if issued is not None:
        g.add((ds, DCTERMS.issued, issued))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, VOID.triples, Literal(len(base))))
    g.add((ds, VOID.distinctSubjects, Literal(len(set(base.subjects())))))
    g.add((ds, VOID.properties, Literal(len(set(base.predicates())))))
    for info in list_sources(base):
        g.add((ds, DCTERMS.source, info.iri))
    for path in files:
        fmt = next(k for k, (ext, _) in FORMATS.items() if path.suffix == f".{ext}")
        dist = RGD[f"release-{version}-{fmt}"]
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"{fmt} export", lang="en")))
        g.add((dist, DCAT.mediaType, Literal(FORMATS[fmt][1])))
        g.add((dist, RG.fileName, Literal(path.name)))
        g.add((dist, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, RG.sha256, Literal(hashlib.sha256(path.read_bytes()).hexdigest())))
        g.add((dist, DCTERMS.license, LICENSE))
    return g


def release(output: str | os.PathLike[str] = "dist", *, data_dir: str | None = None) -> list[Path]:
    """Write every export format and ``void.ttl`` into ``output``; return the files written."""
    from . import open as open_kg

    out = Path(output)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{out}: cannot create the release folder ({exc.strerror})") from None
    base = load_base_graph()
    version, issued = _ontology_meta(base)
    files: list[Path] = []
    kg = open_kg(memory=True)
    try:
        for fmt, (ext, _) in FORMATS.items():
            path = out / f"recruitgraph-{version}.{ext}"
            kg.export(path, format=fmt)
            if fmt in ("ntriples", "nquads"):
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
        serialize_turtle(describe(base, files, version, issued), header=header), encoding="utf-8"
    )
    return [*files, void]
