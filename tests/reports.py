"""Reading the graph the way the report tests of issue 12 need it: ledgers, claims, stages, names.

Every helper takes plain ids (the part of an ``rgd:``/``rgv:`` IRI after its namespace) and
returns plain Python values, so that a test compares what a report says with what the graph
holds in one line. The ids are the tests' own constants, never user input.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal

import recruitgraph

KG = recruitgraph.KnowledgeGraph

#: One ledger row: (value or None for a vague figure, comparator, claimant or None for the
#: outlet's own voice, claim date as written, verification status), ids without their prefixes.
Entry = tuple[Decimal | None, str, str | None, str, str]

_LEDGER = """
SELECT ?value ?cmp ?claimant ?date ?status WHERE {
  ?fig rg:ofMeasure rgd:measure-%(measure)s ; rg:comparator ?cmp ; rg:hasEvidence ?ev .
  ?ev rg:source rgd:%(source)s ; rg:claimDate ?date ; rg:verificationStatus ?status .
  OPTIONAL { ?fig rg:value ?value }
  OPTIONAL { ?ev rg:claimant ?claimant }
}
"""


def local(term: object) -> str | None:
    """The part of an IRI after its last slash, or None when the term is unbound."""
    return None if term is None else str(term).rsplit("/", 1)[-1]


def ledger(kg: KG, measure: str, source: str) -> set[Entry]:
    """The figures one source gives in the ledger of one measure, one entry per evidence record."""
    rows = kg.query(_LEDGER % {"measure": measure, "source": source}).rows
    return {
        (
            None if row.get("value") is None else Decimal(str(row["value"])),
            (local(row["cmp"]) or "").removeprefix("cmp-"),
            local(row.get("claimant")),
            str(row["date"]),
            (local(row["status"]) or "").removeprefix("status-"),
        )
        for row in rows
    }


def _object(obj: str) -> str:
    return obj if obj.startswith("rgv:") else f"rgd:{obj}"


def says(kg: KG, source: str, subject: str, relation: str, obj: str) -> bool:
    """True when the direct triple exists and a relation claim of it has evidence from source."""
    o = _object(obj)
    return bool(
        kg.query(
            f"""ASK {{
              rgd:{subject} rg:{relation} {o} .
              [] rdf:subject rgd:{subject} ; rdf:predicate rg:{relation} ; rdf:object {o} ;
                 rg:hasEvidence/rg:source rgd:{source} .
            }}"""
        )
    )


def origins(kg: KG, subject: str, relation: str, obj: str) -> set[str]:
    """The distinct story origins of the sources that give evidence for a relation claim."""
    rows = kg.query(
        f"""SELECT DISTINCT ?origin WHERE {{
              [] rdf:subject rgd:{subject} ; rdf:predicate rg:{relation} ; rdf:object {_object(obj)} ;
                 rg:hasEvidence/rg:source ?s .
              ?s rg:origin ?origin .
            }}"""
    ).rows
    return {local(row["origin"]) or "" for row in rows}


def stages(kg: KG, pipeline: str, source: str) -> list[tuple[str, str]]:
    """(role, actor) of a pipeline's stages in order, each with evidence from the source."""
    rows = kg.query(
        f"""SELECT ?order ?role ?actor WHERE {{
              rgd:pipeline-{pipeline} rg:hasStage ?st .
              ?st rg:stageOrder ?order ; rg:stageRole ?role ; rg:stageActor ?actor ;
                  rg:hasEvidence/rg:source rgd:{source} .
            }} ORDER BY ?order"""
    ).rows
    return [((local(r["role"]) or "").removeprefix("role-"), local(r["actor"]) or "") for r in rows]


def names_used(kg: KG, source: str) -> set[tuple[str, str]]:
    """(entity, name) for every name the source is recorded as using."""
    rows = kg.query(
        f"""SELECT ?entity ?name WHERE {{
              [] a rg:NameUse ; rg:usedIn rgd:{source} ; rg:namedEntity ?entity ; rg:nameUsed ?name .
            }}"""
    ).rows
    return {(local(r["entity"]) or "", str(r["name"])) for r in rows}


def claim_count(kg: KG, source: str) -> int:
    """How many distinct claims (relations, figures, stages) have evidence from the source."""
    rows = kg.query(
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c rg:hasEvidence/rg:source rgd:{source} }}"
    ).rows
    return int(str(rows[0]["n"]))


def people_brought_by(kg: KG, sources: list[str]) -> set[str]:
    """Every person that a claim of these sources has as subject, object, claimant or stage actor."""
    values = " ".join(f"rgd:{s}" for s in sources)
    rows = kg.query(
        f"""SELECT DISTINCT ?p WHERE {{
              VALUES ?src {{ {values} }}
              ?claim rg:hasEvidence ?ev . ?ev rg:source ?src .
              {{ ?claim rdf:subject ?p }} UNION {{ ?claim rdf:object ?p }}
              UNION {{ ?ev rg:claimant ?p }} UNION {{ ?claim rg:stageActor ?p }}
              ?p a/rdfs:subClassOf* rg:Person .
            }}"""
    ).rows
    return {local(row["p"]) or "" for row in rows}


def public_figures_brought_by(kg: KG, sources: list[str]) -> tuple[set[str], set[str]]:
    """(people the sources bring, those of them with a public role in the graph): a test asserts
    both equal the public figures it read off the reports, so no private person is named."""
    people = people_brought_by(kg, sources)
    return people, {p for p in people if kg.query(f"ASK {{ rgd:{p} rg:role ?role }}")}


def fold(text: str) -> str:
    """Case and diacritics folded, as names are compared."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )


def leaked_names(kg: KG, hashes: set[str]) -> set[str]:
    """Words of any literal in the graph whose SHA-256 (of the folded word) is in ``hashes``.

    Tests keep the names of private people out of the repository by listing only hashes.
    """
    rows = kg.query("SELECT DISTINCT ?text WHERE { ?s ?p ?text . FILTER(isLiteral(?text)) }").rows
    words = {w for row in rows for w in re.findall(r"\w+", fold(str(row["text"])))}
    return {w for w in words if hashlib.sha256(w.encode()).hexdigest() in hashes}
