"""Namespaces and the canonical prefix table of recruitgraph (see docs/design.md)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
)

RG = Namespace("https://w3id.org/recruitgraph/ontology/")
RGV = Namespace("https://w3id.org/recruitgraph/vocab/")
RGD = Namespace("https://w3id.org/recruitgraph/id/")
RGSH = Namespace("https://w3id.org/recruitgraph/shapes/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

#: The prefixes used in every serialisation and every named query.
PREFIXES: dict[str, str] = {
    "rg": str(RG),
    "rgv": str(RGV),
    "rgd": str(RGD),
    "rgsh": str(RGSH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "time": str(TIME),
    "oa": str(OA),
    "void": str(VOID),
    "dcat": str(DCAT),
    "sh": str(SH),
    "wd": str(WD),
}


def sparql_prologue() -> str:
    """Return ``PREFIX`` declarations for every project prefix."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


__all__ = ["OA", "PREFIXES", "RG", "RGD", "RGSH", "RGV", "SCHEMA", "WD", "sparql_prologue"]
