"""The ontology and vocabularies: every term used anywhere is declared, every term is documented,
the header metadata is there, and there are no blank nodes.

The declaration check is the one W3C ORG lacked (its ``rdfs:subClasOf`` typo): it runs over
``ontology/``, ``data/`` and ``queries/``, and a test shows that it catches typos.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS

from recruitgraph import config
from recruitgraph.namespaces import OA, PREFIXES, RG, RGSH, RGV, SCHEMA

ROOT = config.project_root()
ONTOLOGY = ROOT / "ontology" / "recruitgraph.ttl"
VOCAB = ROOT / "ontology" / "vocab.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"

#: Standard vocabularies rdflib knows term by term (unknown names are typos).
# (XSD, TIME, DCAT stay inside the tuple: as module globals they warn when pytest inspects them)
DEFINED: tuple[type[rns.DefinedNamespace], ...] = (
    rns.RDF, rns.RDFS, rns.OWL, rns.XSD, rns.SKOS, rns.DCTERMS, rns.PROV, rns.ORG, rns.FOAF,
    rns.TIME, rns.SH, rns.VOID, rns.DCAT,
)
#: Terms of vocabularies rdflib does not ship, as far as recruitgraph uses them.
ALLOWED = {
    str(OA): {"TextPositionSelector", "start", "end", "hasSelector", "hasSource", "hasTarget",
              "hasBody", "Annotation", "SpecificResource", "exact", "TextQuoteSelector", "prefix",
              "suffix"},
    str(SCHEMA): {"Person", "Organization", "Country", "Place", "NewsArticle", "CreativeWork",
                  "GovernmentOrganization", "NewsMediaOrganization", "ResearchOrganization",
                  "AdministrativeArea", "Event", "Legislation", "Offer", "QuantitativeValue",
                  "sameAs", "url", "nationality", "containedInPlace", "makesOffer", "about",
                  "value", "unitCode", "areaServed", "name", "description", "identifier", "startDate",
                  "endDate", "supersededBy", "provider", "StatisticalVariable", "minValue",
                  "maxValue"},
}

_NAME = r"[A-Za-z_][\w\-]*[\w]|[A-Za-z_]"
_PNAME = re.compile(r"(?<![\w:<#/.\-])(" + "|".join(PREFIXES) + r"):(" + _NAME + r")")
_IRI = re.compile(r"<(https?://[^>\s]+)>")
_VERSION_IRI = re.compile(re.escape("https://w3id.org/recruitgraph/") + r"(ontology|vocab)/\d+\.\d+\.\d+")


def _declarations() -> tuple[set[URIRef], set[URIRef], set[URIRef]]:
    onto = Graph().parse(ONTOLOGY)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    rg = {s for k in kinds for s in onto.subjects(RDF.type, k) if isinstance(s, URIRef) and s.startswith(str(RG))}
    vocab = Graph().parse(VOCAB)
    rgv = {s for k in (SKOS.Concept, SKOS.ConceptScheme) for s in vocab.subjects(RDF.type, k)
           if isinstance(s, URIRef)}
    shapes = Graph().parse(SHAPES)
    rgsh = {s for s in shapes.subjects() if isinstance(s, URIRef) and s.startswith(str(RGSH))}
    return rg, rgv, rgsh


def _terms_in_text(text: str) -> set[URIRef]:
    """Terms written as prefixed names or full IRIs in SPARQL (or other) text, comments dropped."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r"^\s*PREFIX\s+\w*:\s*<[^>]*>", "", body, flags=re.MULTILINE | re.IGNORECASE)
    found = {URIRef(PREFIXES[p] + n) for p, n in _PNAME.findall(body)}
    found |= {URIRef(iri) for iri in _IRI.findall(body)}
    return found


def _terms_in_file(path: Path) -> set[URIRef]:
    if path.suffix == ".rq":
        return _terms_in_text(path.read_text(encoding="utf-8"))
    graph = Graph().parse(path)
    found: set[URIRef] = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef):
                found.add(node)
            elif isinstance(node, Literal) and node.datatype is not None:
                found.add(node.datatype)
    # SPARQL inside the shapes counts too
    for pred in (SH.select, SH.ask, SH.construct):
        for text in graph.objects(None, pred):
            found |= _terms_in_text(str(text))
    return found


def undeclared_terms(files: Iterable[Path]) -> list[str]:
    """Every term in ``files`` that its vocabulary does not declare, as ``file: IRI`` lines."""
    rg, rgv, rgsh = _declarations()
    problems = []
    for path in files:
        for term in sorted(_terms_in_file(path)):
            iri = str(term)
            if iri in (str(RG), str(RGV), str(RGSH)) or _VERSION_IRI.fullmatch(iri):
                continue  # the ontology / vocabulary / shapes documents and their versions
            ok = True
            if iri.startswith(str(RG)):
                ok = term in rg
            elif iri.startswith(str(RGV)):
                ok = term in rgv
            elif iri.startswith(str(RGSH)):
                ok = term in rgsh
            else:
                for ns in DEFINED:
                    if iri.startswith(str(ns)) and iri != str(ns):
                        ok = term in ns
                        break
                else:
                    for base, names in ALLOWED.items():
                        if iri.startswith(base):
                            ok = iri[len(base):] in names
            if not ok:
                problems.append(f"{path}: {iri}")
    return problems


def _project_files() -> list[Path]:
    files = sorted((ROOT / "ontology").glob("*.ttl"))
    files += sorted((ROOT / "data").rglob("*.ttl"))
    files += sorted((ROOT / "queries").rglob("*.rq"))
    return files


def test_every_used_term_is_declared() -> None:
    files = _project_files()
    assert ONTOLOGY in files and VOCAB in files and SHAPES in files
    assert undeclared_terms(files) == []


def test_typos_are_caught(tmp_path: Path) -> None:
    ttl = tmp_path / "typo.ttl"
    ttl.write_text(
        "@prefix rg: <https://w3id.org/recruitgraph/ontology/> .\n"
        "@prefix rgv: <https://w3id.org/recruitgraph/vocab/> .\n"
        "@prefix rgd: <https://w3id.org/recruitgraph/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "rg:Figure rdfs:subClasOf rg:Claim .\n"
        "rgd:c1 rg:hasEvidenc rgd:e1 .\n"
        "rgd:e1 rg:verificationStatus rgv:status-made-up ; skos:prefLable \"x\" .\n",
        encoding="utf-8",
    )
    rq = tmp_path / "typo.rq"
    rq.write_text("# rg:Commented is ignored\nSELECT ?c WHERE { ?c a rg:Figur ; rg:value ?v }\n",
                  encoding="utf-8")
    problems = undeclared_terms([ttl, rq])
    text = "\n".join(problems)
    for bad in ("rdf-schema#subClasOf", "ontology/hasEvidenc", "vocab/status-made-up",
                "core#prefLable", "ontology/Figur"):
        assert bad in text, f"{bad} not reported"
    assert "Commented" not in text
    assert "ontology/value" not in text and "ontology/Agent" not in text
    assert len(problems) == 5


def test_core_terms_of_the_design_are_declared() -> None:
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    core = design.split("## Core terms", 1)[1]
    names = set(re.findall(r"`([A-Za-z][A-Za-z0-9]*)`", core.split("Concept schemes", 1)[0]))
    rg, rgv, _ = _declarations()
    assert {n for n in names if RG[n] not in rg} == set()
    concepts = set(re.findall(r"`((?:status|channel|method|qty|cmp|unit|role|rank|cm|assist)-[a-z-]+)`", design))
    # the design lists some concepts without their prefix ("exactly, more-than, ...")
    assert concepts and {c for c in concepts if RGV[c] not in rgv and not c.endswith("-")} == set()
    schemes = ["verification-status", "channel", "method", "quantity", "comparator", "unit", "role",
               "rank", "countermeasure", "assistance"]
    assert [s for s in schemes if RGV[s] not in rgv] == []


def _rg_terms(graph: Graph) -> list[URIRef]:
    return sorted(s for s in set(graph.subjects(RDFS.isDefinedBy, None)) | set(graph.subjects(RDF.type, None))
                  if isinstance(s, URIRef) and s.startswith(str(RG)) and s != URIRef(str(RG)))


def test_every_ontology_term_is_documented() -> None:
    graph = Graph().parse(ONTOLOGY)
    terms = _rg_terms(graph)
    assert len(terms) > 100
    for term in terms:
        labels = list(graph.objects(term, RDFS.label))
        assert len(labels) == 1 and labels[0].language == "en", term
        assert len(list(graph.objects(term, SKOS.definition))) == 1, term
        assert graph.value(term, RDFS.isDefinedBy) == URIRef(str(RG)), term
        kinds = set(graph.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term
        if OWL.Class in kinds:
            assert str(labels[0])[0].islower(), f"{term}: class labels are lower-case words"
        else:
            first = str(labels[0]).split()[0]
            assert first[0].islower() or first.isupper(), f"{term}: property labels are lower-case"
        # date-valued properties must not pin one datatype (gYear, gYearMonth, date are all allowed)
        if term in (RG.claimDate, RG.date, RG.period, RG.periodStart, RG.periodEnd, RG.contractDate):
            assert graph.value(term, RDFS.range) is None, term


def test_domains_ranges_and_superclasses_are_known() -> None:
    graph = Graph().parse(ONTOLOGY)
    classes = set(graph.subjects(RDF.type, OWL.Class))
    for pred in (RDFS.domain, RDFS.range, RDFS.subClassOf, OWL.disjointWith):
        for s, o in graph.subject_objects(pred):
            if isinstance(o, URIRef) and o.startswith(str(RG)):
                assert o in classes, f"{s} {pred} {o}: not a declared class"
    for s, o in graph.subject_objects(OWL.inverseOf):
        assert (s, RDF.type, OWL.ObjectProperty) in graph and (o, RDF.type, OWL.ObjectProperty) in graph
        assert graph.value(s, RDFS.domain) == graph.value(o, RDFS.range)


def test_every_concept_is_documented() -> None:
    graph = Graph().parse(VOCAB)
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) >= 10
    for scheme in schemes:
        assert graph.value(scheme, DCTERMS.title) is not None, scheme
        assert graph.value(scheme, SKOS.definition) is not None, scheme
        assert graph.value(scheme, RDFS.isDefinedBy) == URIRef(str(RGV)), scheme
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 80
    for concept in concepts:
        assert len(list(graph.objects(concept, SKOS.prefLabel))) == 1, concept
        assert graph.value(concept, SKOS.definition) is not None, concept
        in_scheme = list(graph.objects(concept, SKOS.inScheme))
        assert len(in_scheme) == 1 and in_scheme[0] in schemes, concept
        assert graph.value(concept, SKOS.topConceptOf) == in_scheme[0], concept
        assert (in_scheme[0], SKOS.hasTopConcept, concept) in graph, concept
        assert graph.value(concept, RDFS.isDefinedBy) == URIRef(str(RGV)), concept
        # kebab-case names that start with their scheme's prefix
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", concept[len(str(RGV)):]), concept


def test_comparators_say_how_to_read_them() -> None:
    graph = Graph().parse(VOCAB)
    readings = ("bound", "approximate", "order of magnitude", "value = quantity", "no number")
    for concept in graph.subjects(SKOS.inScheme, RGV.comparator):
        definition = str(graph.value(concept, SKOS.definition))
        assert any(r in definition for r in readings), concept


@pytest.mark.parametrize("path", [ONTOLOGY, VOCAB], ids=lambda p: p.name)
def test_header_metadata_and_no_blank_nodes(path: Path) -> None:
    graph = Graph().parse(path)
    assert not [t for t in graph if any(isinstance(n, BNode) for n in t)]
    ontologies = list(graph.subjects(RDF.type, OWL.Ontology))
    assert len(ontologies) == 1
    head = ontologies[0]
    assert str(graph.value(head, OWL.versionIRI)) == f"{head}0.1.0"
    assert str(graph.value(head, OWL.versionInfo)) == "0.1.0"
    assert graph.value(head, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    for pred in (DCTERMS.title, DCTERMS.description, DCTERMS.created, DCTERMS.modified, DCTERMS.creator):
        assert graph.value(head, pred) is not None, pred


def test_alignment_to_standard_vocabularies() -> None:
    graph = Graph().parse(ONTOLOGY)
    aligned = {str(o) for p in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch)
               for o in graph.objects(None, p)}
    for ns in (PROV, ORG, FOAF, SCHEMA, rns.TIME, OA):
        assert any(iri.startswith(str(ns)) for iri in aligned), f"no alignment to {ns}"
    # SKOS is used, not aligned to: coded values are SKOS concepts of the vocabularies
    assert (RG.verificationStatus, RDFS.range, SKOS.Concept) in graph
    assert (RG.Passage, RDFS.subClassOf, OA.TextPositionSelector) in graph
    assert (RG.Source, RDFS.subClassOf, PROV.Entity) in graph
