"""The VoID/DCAT description of the dataset, built as RDF from its own metadata.

One builder serves ``recruitgraph release`` (``void.ttl`` next to the export files) and the
server (``/downloads/void.ttl``): the version and issue date come from the ontology
(``owl:versionInfo``, ``dcterms:modified``), the counts from the data, the checksums and sizes
from the files themselves, and the licence of the data is CC BY 4.0 (the code is MIT, which is
not the data's licence).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from .exc import ConfigError

__all__ = [
    "DATA_LICENSE",
    "DatasetFacts",
    "Distribution",
    "describe_dataset",
    "ontology_version",
]

#: The licence of the data (the dataset and every distribution of it).
DATA_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_ONTOLOGY = URIRef("https://w3id.org/recruitgraph/ontology/")
_VOCAB = URIRef("https://w3id.org/recruitgraph/vocab/")
_RGD = "https://w3id.org/recruitgraph/id/"


@dataclass(frozen=True)
class Distribution:
    """One downloadable file of the dataset."""

    name: str
    format: str
    media_type: str
    data_sha256: str
    size: int
    url: URIRef | None = None

    @classmethod
    def of_bytes(
        cls, name: str, format: str, media_type: str, data: bytes, url: URIRef | None = None
    ) -> Distribution:
        """A distribution whose checksum and size are those of ``data``."""
        return cls(name, format, media_type, hashlib.sha256(data).hexdigest(), len(data), url)


@dataclass(frozen=True)
class DatasetFacts:
    """What the description says about the data: version, date, counts and sources."""

    version: str
    issued: Literal | None
    triples: int
    entities: int
    properties: int | None = None
    sources: tuple[URIRef, ...] = ()
    #: (class, count) of each kind of source: text held (rg:TextSource), cited (rg:ReferenceSource)
    source_kinds: tuple[tuple[URIRef, int], ...] = ()
    #: (IRI, triples, source or None) of each named graph: one per source, the ontology's, the
    #: shared one (recruitgraph.graphs); the default graph of queries is their union
    graphs: tuple[tuple[str, int, str | None], ...] = ()


def ontology_version(graph: Graph) -> tuple[str, Literal | None]:
    """``(owl:versionInfo, dcterms:modified)`` of the ontology in ``graph``; the release's
    version and date, never "now". :class:`ConfigError` when the ontology says neither."""
    onto = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    if onto is None:
        raise ConfigError("the ontology declares no owl:Ontology; cannot tell the release version")
    version = graph.value(onto, OWL.versionInfo)
    if version is None:
        raise ConfigError(f"{onto} has no owl:versionInfo; cannot tell the release version")
    modified = graph.value(onto, DCTERMS.modified)
    return str(version), modified if isinstance(modified, Literal) else None


def describe_dataset(
    dataset: URIRef,
    facts: DatasetFacts,
    distributions: Sequence[Distribution],
    *,
    distribution_iri: Iterable[URIRef] | None = None,
    sparql_endpoint: URIRef | None = None,
) -> Graph:
    """The VoID/DCAT description of ``dataset`` and its ``distributions`` (one IRI each, from
    ``distribution_iri`` or ``<dataset>-<format>``), with a SHA-256 checksum per file."""
    g = Graph()
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(f"recruitgraph dataset {facts.version}", lang="en")))
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "An evidence-backed knowledge graph of how Russia recruits soldiers for its war in "
                "Ukraine: ontology, claims with their sources and passages, and pipelines.",
                lang="en",
            ),
        )
    )
    g.add((dataset, OWL.versionInfo, Literal(facts.version)))
    g.add((dataset, URIRef(f"{DCAT}version"), Literal(facts.version)))  # DCAT 3
    if facts.issued is not None:
        g.add((dataset, DCTERMS.issued, facts.issued))
    g.add((dataset, DCTERMS.license, DATA_LICENSE))
    g.add((dataset, VOID.triples, Literal(facts.triples)))
    g.add((dataset, VOID.entities, Literal(facts.entities)))
    if facts.properties is not None:
        g.add((dataset, VOID.properties, Literal(facts.properties)))
    g.add((dataset, VOID.uriSpace, Literal(_RGD)))
    g.add((dataset, VOID.vocabulary, _ONTOLOGY))
    g.add((dataset, VOID.vocabulary, _VOCAB))
    if sparql_endpoint is not None:
        g.add((dataset, VOID.sparqlEndpoint, sparql_endpoint))
    for source in facts.sources:
        g.add((dataset, DCTERMS.source, source))
    for cls, count in facts.source_kinds:
        part = URIRef(f"{dataset}-sources-{str(cls).rsplit('/', 1)[-1]}")
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count)))
    for iri, count, owner in facts.graphs:
        graph = URIRef(iri)
        g.add((dataset, VOID.subset, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(count)))
        if owner is not None:
            g.add((graph, DCTERMS.source, URIRef(owner)))
    iris = list(distribution_iri) if distribution_iri is not None else None
    for n, dist in enumerate(distributions):
        node = iris[n] if iris is not None else URIRef(f"{dataset}-{dist.format}")
        g.add((dataset, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(f"{dist.format} export", lang="en")))
        g.add((node, DCAT.mediaType, Literal(dist.media_type)))
        g.add((node, DCTERMS.identifier, Literal(dist.name)))
        g.add((node, DCAT.byteSize, Literal(dist.size, datatype=XSD.nonNegativeInteger)))
        g.add((node, DCTERMS.license, DATA_LICENSE))
        if dist.url is not None:
            g.add((node, DCAT.downloadURL, dist.url))
        checksum = URIRef(f"{node}#sha256" if "#" not in str(node) else f"{node}-sha256")
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(dist.data_sha256, datatype=XSD.hexBinary)))
    return g
