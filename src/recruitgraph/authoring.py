"""Compile a YAML claims file (docs/design.md, "Authoring format") into evidence-backed RDF.

Every claim becomes a direct triple plus a claim node with one evidence record per passage; each
passage is an anchor (offsets and a fingerprint, written by ``recruitgraph locate``) checked
against the source text, so the file never holds the source's words. Every claim, figure and
stage gets a label in words (:mod:`recruitgraph.labels`). Names are resolved against the
entities of the file and of the graph (:mod:`.resolve` rules below); errors name the YAML file
and line. The result is checked by the shapes before
``data/<source-id>.ttl`` is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from . import config, references
from .exc import InputError, NotConforming, SourceError
from .graphs import graph_iri
from .labels import add_labels
from .locate import check_anchor, fingerprint
from .namespaces import OA, RG, RGD, RGV, SCHEMA, WD
from .sources import date_literal, load_base_graph, read_text, source_info
from .turtle import serialize_turtle

__all__ = ["compile", "compile_claims", "load_claims_yaml", "output_path"]

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Keys of a passage's evidence record; every evidence key a claim or a stage may carry inline.
PASSAGE_EVIDENCE_KEYS = references.COMMON_EVIDENCE_KEYS | references.PASSAGE_KEYS
ITEM_EVIDENCE_KEYS = PASSAGE_EVIDENCE_KEYS | references.EVIDENCE_KEYS
_STATE_CLASSES = {"State", "CountryOfOrigin"}
#: Properties whose literal values are dates typed by their precision (docs/design.md).
_DATE_PROPERTIES = frozenset([RG.date, RG.claimDate, RG.period, RG.periodStart, RG.periodEnd])


# --- YAML with line numbers ------------------------------------------------------------------


class Node(dict[str, Any]):
    """A YAML mapping that remembers its line and the line of each key (1-based)."""

    line: int = 0
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Node:  # type: ignore[override]
        result = Node(super().construct_mapping(node, deep=True))  # type: ignore[arg-type]
        result.line = node.start_mark.line + 1
        result.lines = {
            str(k.value): k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")
        }
        return result


_LineLoader.add_constructor(
    "tag:yaml.org,2002:map",
    lambda loader, node: loader.construct_mapping(node),  # type: ignore[arg-type]
)


def load_claims_yaml(path: Path) -> Node:
    """Parse a claims file, keeping line numbers; :class:`InputError` names file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"{where}: YAML syntax error: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: it carries no mark
        line = text.count("\n", 0, exc.position) + 1
        raise InputError(
            f"{path}:{line}: YAML syntax error: the character U+{exc.character:04X} is not allowed"
        ) from None
    if not isinstance(data, Node):
        raise InputError(f"{path}:1: a claims file is a mapping with source, entities, claims")
    return data


# --- the compiler ----------------------------------------------------------------------------


class _Compiler:
    def __init__(self, path: Path, doc: Node, lookup: Graph, text: str, source: URIRef) -> None:
        self.path, self.doc, self.lookup, self.text, self.source = path, doc, lookup, text, source
        self.out = Graph()
        self.file_names: dict[str, set[URIRef]] = {}
        self.graph_names: dict[str, set[URIRef]] = {}
        self.display: dict[str, str] = {}
        self.state_codes: dict[str, URIRef] = {}
        self.source_date = lookup.value(source, URIRef("http://purl.org/dc/terms/issued"))
        self.reference = False  # True for a cited reference: evidence without passages

    # errors
    def fail(self, line: int, message: str) -> InputError:
        return InputError(f"{self.path}:{line}: {message}")

    # names
    @staticmethod
    def _key(name: str) -> str:
        return references.name_key(name)

    def _index(self, table: dict[str, set[URIRef]], name: str, iri: URIRef) -> None:
        key = self._key(name)
        table.setdefault(key, set()).add(iri)
        self.display.setdefault(key, name)
        if key.startswith("the "):
            table.setdefault(key[4:], set()).add(iri)
            self.display.setdefault(key[4:], name)

    def index_graph(self) -> None:
        for p in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):
            for s, o in self.lookup.subject_objects(p):
                if isinstance(s, URIRef) and str(s).startswith(str(RGD)):
                    self._index(self.graph_names, str(o), s)
        for s in set(self.lookup.subjects(RDF.type, None)):
            if isinstance(s, URIRef) and str(s).startswith(str(RGD)):
                self.graph_names.setdefault(str(s)[len(str(RGD)) :], set()).add(s)
        for s, code in self.lookup.subject_objects(RG.iso3166Alpha2):
            if isinstance(s, URIRef):
                self.state_codes[str(code).upper()] = s

    def resolve_key(self, node: Node, key: str) -> URIRef:
        """:meth:`resolve` the value of ``node[key]``, errors naming its line and the key."""
        return self.resolve(node[key], node.line_of(key), key)

    def resolve(self, name: object, line: int, field: str) -> URIRef:
        """An entity by IRI, prefixed name, id, label or alias (file first, then graph)."""
        if not isinstance(name, str) or not name.strip():
            raise self.fail(line, f"{field}: expected the name or id of an entity, got {name!r}")
        text = name.strip()
        if text.startswith(("http://", "https://")):
            return URIRef(text)
        if text.startswith("rgd:"):
            text = text[4:]
        key = self._key(text)
        for table in (self.file_names, self.graph_names):
            found = table.get(key) or table.get(key[4:] if key.startswith("the ") else "")
            if found and len(found) == 1:
                return next(iter(found))
            if found:
                cands = ", ".join(sorted(f"rgd:{str(i)[len(str(RGD)) :]}" for i in found))
                raise self.fail(
                    line, f"{field}: {name!r} is ambiguous: it names {cands}; use an id"
                )
        known = list(self.file_names) + list(self.graph_names)
        close = difflib.get_close_matches(key, known, n=5, cutoff=0.5)
        hint = ", ".join(repr(self.display.get(k, k)) for k in close) or "none"
        raise self.fail(
            line,
            f"{field}: unknown entity {name!r}; closest existing names: {hint}. "
            "A new entity must be declared under `entities:`",
        )

    # vocabulary
    def concept(self, prefix: str, value: object, line: int, field: str) -> URIRef:
        text = str(value).strip()
        if text.startswith("rgv:"):
            text = text[4:]
        if not text.startswith(prefix):
            text = prefix + text
        iri = RGV[text]
        family = [
            str(c)[len(str(RGV)) :]
            for c in self.lookup.subjects(RDF.type, SKOS.Concept)
            if str(c).startswith(str(RGV) + prefix)
        ]
        if family and (iri, RDF.type, SKOS.Concept) not in self.lookup:
            close = difflib.get_close_matches(text, family, n=5, cutoff=0.4)
            known = ", ".join(sorted(c[len(prefix) :] for c in (close or family)))
            raise self.fail(line, f"{field}: unknown value {value!r}; known: {known}")
        return iri

    def rg_term(self, value: object, line: int, field: str, kinds: Sequence[URIRef], what: str) -> URIRef:
        """The rg: term ``value`` names, refused unless the ontology declares it as one of ``kinds``."""
        text = str(value).strip().removeprefix("rg:")
        iri = RG[text]
        declared = {s for k in kinds for s in self.lookup.subjects(RDF.type, k)}
        if declared and iri not in declared:
            names = [str(d)[len(str(RG)) :] for d in declared if str(d).startswith(str(RG))]
            close = difflib.get_close_matches(text, names, n=5, cutoff=0.5)
            raise self.fail(
                line,
                f"{field}: rg:{text} is not a {what} of the ontology; closest: {', '.join(close) or 'none'}",
            )
        return iri

    # literals
    def number_key(self, node: Node, key: str) -> Literal:
        """:meth:`number` of ``node[key]``, errors naming its line and the key."""
        return self.number(node[key], node.line_of(key), key)

    def number(self, value: object, line: int, field: str = "value") -> Literal:
        if isinstance(value, bool):
            raise self.fail(line, f"{field}: expected a number, got {value!r}")
        if isinstance(value, int):
            return Literal(value)
        try:
            dec = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(
                line,
                f"{field}: {value!r} is not a number (write 1000000, not '1 million' or '1,000,000')",
            ) from None
        if dec == dec.to_integral_value() and "." not in str(value):
            return Literal(int(dec))
        return Literal(dec, datatype=XSD.decimal)

    def date(self, value: object, line: int, field: str) -> Literal:
        try:
            return date_literal(value, where=field)
        except InputError as exc:
            raise self.fail(line, str(exc)) from None

    # entities
    def declare_entities(self) -> None:
        items = self.doc.get("entities") or []
        if not isinstance(items, list):
            raise self.fail(self.doc.line_of("entities"), "entities: expected a list")
        for ent in items:
            if not isinstance(ent, Node):
                raise self.fail(self.doc.line_of("entities"), "entities: each entry is a mapping")
            eid = ent.get("id")
            if not isinstance(eid, str) or not _ID_RE.match(eid):
                raise self.fail(ent.line, f"entity id {eid!r} is not a kebab-case id")
            if not ent.get("label"):
                raise self.fail(ent.line, f"entity {eid}: a label is required")
            aliases = ent.get("aliases") or []
            if not isinstance(aliases, list) or any(isinstance(a, (dict, list)) for a in aliases):
                # a text would otherwise be read letter by letter, each letter an alias
                raise self.fail(ent.line_of("aliases"), "aliases: expected a list of names")
            iri = RGD[eid]
            references.check_new_entity(self, ent, iri)
            if iri in self.file_names.get(eid, set()):
                raise self.fail(ent.line, f"entity {eid} is declared twice in this file")
            self.file_names.setdefault(eid, set()).add(iri)
            self._index(self.file_names, str(ent["label"]), iri)
            for alias in ent.get("aliases") or []:
                self._index(self.file_names, str(alias), iri)
            types = ent.get("type")
            # a state may be declared with one type or a list of them
            if {str(t) for t in (types if isinstance(types, list) else [types])} & _STATE_CLASSES:
                code = ent.get("country")
                if isinstance(code, str) and len(code) == 2:
                    self.state_codes[code.upper()] = iri

    _ENTITY_KEYS = frozenset(
        ["id", "type", "label", "aliases", "description", "country", "wikidata", "properties"]
    )

    def entity_triples(self) -> None:
        for ent in self.doc.get("entities") or []:
            references.check_keys(self, ent, self._ENTITY_KEYS, f"entity {ent.get('id')}")
            iri = RGD[ent["id"]]
            types = ent.get("type")
            if not types:
                raise self.fail(
                    ent.line, f"entity {ent['id']}: a type (an rg: class name) is required"
                )
            types = types if isinstance(types, list) else [types]
            for t in types:
                self.out.add(
                    (iri, RDF.type, self.rg_term(t, ent.line_of("type"), "type", [OWL.Class], "class"))
                )
            self.out.add((iri, RDFS.label, Literal(str(ent["label"]), lang="en")))
            for alias in ent.get("aliases") or []:
                self.out.add((iri, SKOS.altLabel, Literal(str(alias), lang="en")))
            if ent.get("description"):
                self.out.add(
                    (iri, RDFS.comment, Literal(str(ent["description"]).strip(), lang="en"))
                )
            if ent.get("wikidata"):
                qid = str(ent["wikidata"]).strip()
                if not re.fullmatch(r"Q\d+", qid):
                    raise self.fail(ent.line_of("wikidata"), f"wikidata: {qid!r} is not a Q-id")
                self.out.add((iri, SCHEMA.sameAs, WD[qid]))
            if ent.get("country"):
                self._country(iri, set(map(str, types)), ent["country"], ent.line_of("country"))
            props = ent.get("properties") or Node()
            if not isinstance(props, Node):
                raise self.fail(
                    ent.line_of("properties"),
                    "properties: expected a mapping of rg: property names to values",
                )
            for key, value in props.items():
                line = props.line_of(key)
                pred = self.rg_term(
                    key, line, "properties", [OWL.DatatypeProperty, OWL.ObjectProperty], "property"
                )
                for v in value if isinstance(value, list) else [value]:
                    self.out.add((iri, pred, self.object_value(v, line, pred)))

    def _country(self, iri: URIRef, types: set[str], code: object, line: int) -> None:
        text = str(code).strip()
        if types & _STATE_CLASSES and re.fullmatch(r"[A-Za-z]{2}", text):
            self.out.add((iri, RG.iso3166Alpha2, Literal(text.upper())))
            return
        if re.fullmatch(r"[A-Z]{2}", text):
            state = self.state_codes.get(text)
            if state is None:
                raise self.fail(
                    line, f"country: no state with ISO code {text} is known; declare it"
                )
        else:
            state = self.resolve(text, line, "country")
        self.out.add((iri, RG.country, state))

    def object_value(
        self, value: object, line: int, pred: URIRef | None = None
    ) -> URIRef | Literal:
        if isinstance(value, str) and value.startswith("rgv:"):
            return RGV[value[4:]]
        if isinstance(value, str) and value.startswith("rgd:"):
            return self.resolve(value, line, "object")
        return self.literal(value, line, pred)

    def literal(self, value: object, line: int, pred: URIRef | None = None) -> Literal:
        if pred in _DATE_PROPERTIES:
            # why: "2024" or 2024 must become an xsd:gYear, not a string or an integer
            return self.date(value, line, str(pred)[len(str(RG)) :])
        if isinstance(value, bool):
            return Literal(value)
        if isinstance(value, int | float):
            return self.number(value, line)
        if isinstance(value, dt.date):
            return self.date(value, line, "value")
        return Literal(str(value).strip(), lang="en")

    # evidence
    def passage(self, rec: Node) -> URIRef:
        """The passage an evidence record's ``anchor`` points at, checked against the text."""
        if "passage" in rec or "passage_exact" in rec:
            key = "passage" if "passage" in rec else "passage_exact"
            raise self.fail(
                rec.line_of(key),
                "a claims file holds no words of the source: run `recruitgraph locate --write "
                f"{self.path}` to turn each passage phrase into an anchor",
            )
        line = rec.line_of("anchor")
        if not rec.get("anchor"):
            raise self.fail(
                line,
                "anchor: required (write `passage: <a phrase>`, then `recruitgraph locate "
                "--write FILE` turns it into an anchor)",
            )
        try:
            start, end = check_anchor(self.text, rec["anchor"])
        except ValueError as exc:
            raise self.fail(line, str(exc)) from None
        sid = str(self.source)[len(str(RGD)) :]
        iri = RGD[f"{sid}-chars-{start}-{end}"]
        self.out.add((iri, RDF.type, RG.Passage))
        self.out.add((iri, RDF.type, OA.TextPositionSelector))
        self.out.add((iri, OA.start, Literal(start)))
        self.out.add((iri, OA.end, Literal(end)))
        self.out.add((iri, RG.textFingerprint, Literal(fingerprint(self.text[start:end]))))
        self.out.add((iri, RG.inSource, self.source))
        return iri

    def evidence(self, claim: URIRef, item: Node) -> None:
        """The evidence records of ``item`` (a claim or a stage): one writer for both kinds,
        a passage of the held text or, in a reference source, what the report attributes."""
        if self.reference:
            references.check_reference_item(self, item)
        records = item.get("evidence")
        if records is None:
            records = [item]
        elif not isinstance(records, list) or not records:
            noun = "records" if self.reference else "passages"
            raise self.fail(item.line_of("evidence"), f"evidence: expected a list of {noun}")
        allowed = references.EVIDENCE_KEYS if self.reference else PASSAGE_EVIDENCE_KEYS
        for n, rec in enumerate(records, start=1):
            if rec is not item:
                references.check_keys(self, rec, allowed, "evidence")
            ev = URIRef(f"{claim}-ev{n}")
            self.out.add((claim, RG.hasEvidence, ev))
            self.out.add((ev, RDF.type, RG.Evidence))
            self.out.add((ev, RG.source, self.source))
            if self.reference:
                references.reference_details(self, ev, rec)
            else:
                self.out.add((ev, RG.passage, self.passage(rec)))
                if rec.get("claimant"):
                    self.out.add((ev, RG.claimant, self.resolve_key(rec, "claimant")))
                if rec.get("date") is not None:
                    self.out.add((ev, RG.claimDate, self.date(rec["date"], rec.line_of("date"), "date")))
                    if rec.get("date_inferred"):
                        self.out.add((ev, RG.dateInferred, Literal(True)))
                elif self.source_date is not None:
                    # no date given: the claim was made by the time the source was published
                    self.out.add((ev, RG.claimDate, self.source_date))
                    self.out.add((ev, RG.dateInferred, Literal(True)))
            status = rec.get("status") or "source-report"
            self.out.add((ev, RG.verificationStatus, self.concept("status-", status, rec.line_of("status"), "status")))
            if rec.get("quote") and rec is not item:
                self.out.add((claim, RG.quote, Literal(str(rec["quote"]), lang="en")))

    # claims
    _CLAIM_KEYS = ITEM_EVIDENCE_KEYS | {
        "id", "confirmed", "subject", "relation", "object", "object_literal", "figure",
        "summary", "rank", "evidence", "note",
    }
    _FIGURE_KEYS = frozenset(
        [
            "measures",
            "value",
            "comparator",
            "unit",
            "about",
            "scope",
            "period",
            "period_start",
            "period_end",
            "origin_country",
            "measure",
            "low",
            "high",
        ]
    )

    def claims(self) -> None:
        items = self.doc.get("claims") or []
        if not isinstance(items, list):
            raise self.fail(self.doc.line_of("claims"), "claims: expected a list")
        seen: set[str] = set()
        for item in items:
            if not isinstance(item, Node):
                raise self.fail(self.doc.line_of("claims"), "claims: each entry is a mapping")
            cid = item.get("id")
            if not isinstance(cid, str) or not _ID_RE.match(cid):
                raise self.fail(item.line, f"claim id {cid!r} is not a kebab-case id")
            if cid in seen:
                raise self.fail(item.line, f"claim id {cid} is used twice")
            seen.add(cid)
            references.check_keys(self, item, self._CLAIM_KEYS, f"claim {cid}")
            self._check_confirmed(cid, item)
            claim = self.figure(cid, item) if "figure" in item else self.relation(cid, item)
            if item.get("summary"):
                self.out.add((claim, RG.summary, Literal(str(item["summary"]).strip(), lang="en")))
            if item.get("quote"):
                self.out.add((claim, RG.quote, Literal(str(item["quote"]), lang="en")))
            if item.get("rank"):
                self.out.add(
                    (
                        claim,
                        RG.rank,
                        self.concept("rank-", item["rank"], item.line_of("rank"), "rank"),
                    )
                )
            if "evidence" not in item and not _has_passage(item) and not self.reference:
                raise self.fail(
                    item.line, f"claim {cid}: an anchor (or an evidence list) is required"
                )
            self.evidence(claim, item)

    def _check_confirmed(self, cid: str, item: Node) -> None:
        # drafts from `recruitgraph extract` carry `confirmed: false` until a person checks them
        if item.get("confirmed") is False:
            raise self.fail(
                item.line_of("confirmed"),
                f"claim {cid} is an unconfirmed draft (confirmed: false); check it against the "
                "text, complete it and set `confirmed: true`, or delete it",
            )
        todo = _find_placeholder(item)
        if todo is not None:
            raise self.fail(todo, f"claim {cid}: a '???' placeholder is still to be filled in")

    def relation(self, cid: str, item: Node) -> URIRef:
        for key in ("subject", "relation"):
            if not item.get(key):
                raise self.fail(item.line, f"claim {cid}: '{key}' is required (or give a 'figure')")
        if ("object" in item) == ("object_literal" in item):
            raise self.fail(
                item.line, f"claim {cid}: give exactly one of 'object' or 'object_literal'"
            )
        claim = RGD[f"claim-{cid}"]
        subj = self.resolve_key(item, "subject")
        pred = self.rg_term(
            item["relation"],
            item.line_of("relation"),
            "relation",
            [OWL.ObjectProperty, OWL.DatatypeProperty],
            "property",
        )
        obj: URIRef | Literal
        if "object_literal" in item:
            obj = self.literal(item["object_literal"], item.line_of("object_literal"), pred)
        elif isinstance(item["object"], str) and item["object"].startswith("rgv:"):
            obj = RGV[item["object"][4:]]
        else:
            obj = self.resolve_key(item, "object")
        self.out.add((subj, pred, obj))
        self.out.add((claim, RDF.type, RG.RelationClaim))
        self.out.add((claim, RDF.subject, subj))
        self.out.add((claim, RDF.predicate, pred))
        self.out.add((claim, RDF.object, obj))
        return claim

    def figure(self, cid: str, item: Node) -> URIRef:
        fig = item["figure"]
        if not isinstance(fig, Node):
            raise self.fail(item.line_of("figure"), "figure: expected a mapping")
        references.check_keys(self, fig, self._FIGURE_KEYS, "figure")
        references.fill_from_measure(self, fig)
        for key in ("measures", "comparator"):
            if not fig.get(key):
                raise self.fail(fig.line, f"figure {cid}: '{key}' is required")
        claim = RGD[f"fig-{cid}"]
        add = self.out.add
        add((claim, RDF.type, RG.Figure))
        add(
            (
                claim,
                RG.measures,
                self.concept("qty-", fig["measures"], fig.line_of("measures"), "measures"),
            )
        )
        if fig.get("value") is not None:
            add((claim, RG.value, self.number_key(fig, "value")))
        add(
            (
                claim,
                RG.comparator,
                self.concept("cmp-", fig["comparator"], fig.line_of("comparator"), "comparator"),
            )
        )
        if fig.get("unit"):
            add((claim, RG.unit, self.concept("unit-", fig["unit"], fig.line_of("unit"), "unit")))
        if fig.get("about"):
            add((claim, RG.about, self.resolve_key(fig, "about")))
        if fig.get("origin_country"):
            add((claim, RG.originCountry, self.resolve_key(fig, "origin_country")))
        if fig.get("scope"):
            add((claim, RG.scope, Literal(str(fig["scope"]).strip(), lang="en")))
        for key, pred in (
            ("period", RG.period),
            ("period_start", RG.periodStart),
            ("period_end", RG.periodEnd),
        ):
            if fig.get(key) is not None:
                add((claim, pred, self.date(fig[key], fig.line_of(key), key)))
        references.figure_ledger(self, claim, fig)
        return claim

    # pipelines
    _PIPELINE_KEYS = frozenset(["id", "label", "description", "origin", "channel", "stages"])
    _STAGE_KEYS = ITEM_EVIDENCE_KEYS | {"role", "actor", "summary", "evidence"}

    def pipelines(self) -> None:
        for pipe in self.doc.get("pipelines") or []:
            pid = pipe.get("id")
            if not isinstance(pid, str) or not _ID_RE.match(pid):
                raise self.fail(pipe.line, f"pipeline id {pid!r} is not a kebab-case id")
            references.check_keys(self, pipe, self._PIPELINE_KEYS, f"pipeline {pid}")
            iri = RGD[f"pipeline-{pid}"]
            self.out.add((iri, RDF.type, RG.Pipeline))
            if not pipe.get("label"):
                raise self.fail(pipe.line, f"pipeline {pid}: a label is required")
            self.out.add((iri, RDFS.label, Literal(str(pipe["label"]), lang="en")))
            if pipe.get("description"):
                self.out.add(
                    (iri, RDFS.comment, Literal(str(pipe["description"]).strip(), lang="en"))
                )
            if pipe.get("origin"):
                self.out.add((iri, RG.pipelineOrigin, self.resolve_key(pipe, "origin")))
            if pipe.get("channel"):
                self.out.add((iri, RG.pipelineChannel, self.resolve_key(pipe, "channel")))
            stages = pipe.get("stages") or []
            if not stages:
                raise self.fail(pipe.line, f"pipeline {pid}: stages are required")
            for n, stage in enumerate(stages, start=1):
                references.check_keys(self, stage, self._STAGE_KEYS, f"stage {n}")
                for key in ("role", "actor"):
                    if not stage.get(key):
                        raise self.fail(stage.line, f"stage {n}: '{key}' is required")
                if "evidence" not in stage and not _has_passage(stage) and not self.reference:
                    raise self.fail(stage.line, f"stage {n}: an anchor is required")
                st = RGD[f"pipeline-{pid}-stage-{n}"]
                self.out.add((iri, RG.hasStage, st))
                self.out.add((st, RDF.type, RG.Stage))
                self.out.add((st, RG.stageOrder, Literal(n, datatype=XSD.positiveInteger)))
                self.out.add(
                    (
                        st,
                        RG.stageRole,
                        self.concept("role-", stage["role"], stage.line_of("role"), "role"),
                    )
                )
                self.out.add((st, RG.stageActor, self.resolve_key(stage, "actor")))
                if stage.get("summary"):
                    self.out.add(
                        (st, RG.summary, Literal(str(stage["summary"]).strip(), lang="en"))
                    )
                if stage.get("quote"):
                    self.out.add((st, RG.quote, Literal(str(stage["quote"]), lang="en")))
                self.evidence(st, stage)


def _has_passage(item: Node) -> bool:
    """Whether an entry points at a passage (an anchor, or a phrase still to be anchored)."""
    return bool(item.get("anchor") or item.get("passage"))


def _find_placeholder(node: object, line: int = 0) -> int | None:
    """Line of the first ``???`` value left in a draft entry, else None."""
    if isinstance(node, Node):
        for key, value in node.items():
            found = _find_placeholder(value, node.line_of(key))
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find_placeholder(value, line)
            if found is not None:
                return found
    elif isinstance(node, str) and "???" in node:
        return line
    return None


def output_path(source_id: str) -> Path:
    """Where the compiled Turtle of a source goes: ``data/<source-id>.ttl``."""
    return config.data_dir() / f"{source_id}.ttl"


def _validate(path: Path, compiled: Graph, lookup: Graph) -> None:
    try:
        from .validation import check_graph  # written alongside; optional until it lands
    except ImportError:
        return
    report = check_graph(compiled + lookup)
    if not report.conforms:
        raise NotConforming(
            f"{path}: the compiled data does not conform to the shapes; nothing written.\n{report.text()}",
            report,
        )


def compile_claims(
    yaml_path: str | Path,
    *,
    sources_dirs: Sequence[Path] | None = None,
    graph_for_lookup: Any = None,
    write: bool = True,
    validate: bool = True,
) -> Graph:
    """Compile ``yaml_path`` into RDF, validate it, and write ``data/<source-id>.ttl``.

    ``graph_for_lookup`` is an rdflib Graph or a store (anything with ``construct``); by default
    the ontology and data files are parsed, leaving out the file this compile would replace.
    """
    path = Path(yaml_path)
    doc = load_claims_yaml(path)
    sid = references.file_id(path, doc)
    target = output_path(sid)
    if graph_for_lookup is None:
        lookup = load_base_graph(exclude=[target])
        # claims files may name each other's entities: compile them in any order
        elsewhere = references.declared_elsewhere(path, path.parent, lookup)
        # and whether or not the others were compiled since their last edit: an entity's name is
        # the one its claims file gives now, not that of its Turtle compiled before a rename
        for renamed in set(elsewhere.subjects(RDFS.label, None)):
            lookup.remove((renamed, RDFS.label, None))
        lookup += elsewhere
    elif isinstance(graph_for_lookup, Graph):
        lookup = graph_for_lookup
    else:
        lookup = graph_for_lookup.construct("CONSTRUCT WHERE { ?s ?p ?o }")
    if "reference" in doc or "source" not in doc:
        # a cited reference (no text held) or the shared measures file
        comp = _Compiler(path, doc, lookup, "", RGD[sid])
        comp.reference = "reference" in doc
    else:
        try:
            info = source_info(lookup, sid)
        except SourceError as exc:
            raise InputError(f"{path}:{doc.line_of('source')}: {exc}") from None
        comp = _Compiler(path, doc, lookup, read_text(info, sources_dirs), info.iri)
    comp.index_graph()
    comp.declare_entities()
    comp.entity_triples()
    references.compile_extras(comp)
    comp.claims()
    comp.pipelines()
    if "source" in doc:  # every file but the measures file (references.file_id)
        # the source names the graph its compiled file is loaded into (graphs.py)
        comp.out.add((comp.source, RG.namedGraph, URIRef(graph_iri(sid))))
    references.derive_figure_facts(comp.out, lookup)
    add_labels(comp.out, lookup)
    if validate:
        _validate(path, comp.out, lookup)
    if write:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_turtle(path, comp.out), encoding="utf-8")
    return comp.out


def render_turtle(yaml_path: str | Path, compiled: Graph) -> str:
    """The Turtle text ``compile`` writes for ``compiled`` (the graph compiled from ``yaml_path``)."""
    name = Path(yaml_path).name
    header = (
        f"Generated from {name} by `recruitgraph compile`: do not edit by hand.\n"
        f"Edit the YAML file and run: recruitgraph compile data/claims/{name}"
    )
    return serialize_turtle(compiled, header=header)


compile = compile_claims
