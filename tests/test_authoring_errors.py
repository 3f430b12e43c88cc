"""compile: one mistake per claims file, and the exact error it gets (file, line and wording),
for claims, figures, pipelines, entities, cited references, measures and names; and the RDF
terms of what the committed claims files do not use (booleans, decimals, dates as values, IRIs
and prefixed names, codes of countries, another file's entities and measures, a store as lookup).

Each case writes a small claims file whose lines are counted in the case itself: ``HEAD`` is
lines 1-10, so what a case appends starts at line 11 (``REF``, a cited reference's header, is
lines 1-8). Anchors are those of docs/design.md, checked by the compiler against the registered
text (its SHA-256 is checked by the ``source_path`` fixture of conftest.py).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from recruitgraph.authoring import compile_claims
from recruitgraph.exc import InputError, NotConforming
from recruitgraph.graphs import graph_iri
from recruitgraph.namespaces import RG, RGD, RGV, SCHEMA
from recruitgraph.validation import ValidationReport
from support import first_source_project, run_cli

SOURCE = "russia-recruitment-2026-01"  # the first source (conftest.py checks its text)

#: The sentence "After signing a mutual defense treaty ... a Ukrainian incursion." and the
#: sentence of the 700,000 troops (the anchors of docs/design.md).
ANCHOR = "779-961 336fbab4"
ANCHOR_TROOPS = "1396-1529 2608759f"

HEAD = f"""\
source: {SOURCE}
entities:
  - id: test-north-korea
    type: State
    label: North Korea
    country: KP
  - id: test-russia
    type: State
    label: Russia
    country: RU
"""
assert HEAD.count("\n") == 10

#: A valid relation claim, lines 11-16 after HEAD.
CLAIM = f"""\
claims:
  - id: nk-sent-troops
    subject: North Korea
    relation: sentTroopsTo
    object: Russia
    anchor: "{ANCHOR}"
"""

#: A valid figure, lines 11-21 after HEAD.
FIGURE = f"""\
claims:
  - id: troops
    figure:
      measures: troops-fighting
      value: 700000
      comparator: exactly
      unit: person
      about: Russia
      period: 2025-12
    anchor: "{ANCHOR_TROOPS}"
    status: official-unverifiable
"""

#: A valid pipeline, lines 11-17 after HEAD.
PIPELINE = f"""\
pipelines:
  - id: p1
    label: North Korean troops
    origin: North Korea
    stages:
      - {{role: origin, actor: North Korea, anchor: "{ANCHOR}"}}
      - {{role: front, actor: Russia, anchor: "{ANCHOR}"}}
"""

NOT_A_DATE = "is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
NO_WORDS = (
    "a claims file holds no words of the source: run `recruitgraph locate --write {path}` "
    "to turn each passage phrase into an anchor"
)
CLAIM_KEYS = (
    "anchor, attribution, claimant, confirmed, date, date_inferred, evidence, figure, id, note, "
    "object, object_literal, passage, passage_exact, quote, rank, relation, status, subject, "
    "summary, via"
)
STATUSES = (
    "activist-allegation, alleged, court-finding, expert-assessment, "
    "foreign-government-estimate, independent-count, media-report, official-statement, "
    "official-unverifiable, source-report"
)
UNITS = (
    "country, eur, inr, iqd, item, kes, month, percent, person, place, region, rub, share, "
    "soldier, times, usd, year"
)
ZS = "z" * 40  # no value of any family is close to it (difflib ratio far below the cutoffs)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source_path: Path) -> Path:
    """A project with the ontology and the first source's metadata only (as test_authoring)."""
    return first_source_project(tmp_path, monkeypatch, source_path.parent)


def _write(home: Path, body: str) -> Path:
    path = home / "data" / "claims" / f"{SOURCE}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _write_other(home: Path, items: str, key: str = "entities") -> None:
    """Another claims file, other-2031.yaml: its source line, then ``items`` under ``key``."""
    path = home / "data" / "claims" / "other-2031.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"source: other-2031\n{key}:\n{items}", encoding="utf-8")


def _error(home: Path, body: str) -> tuple[Path, str]:
    """The claims file written and the message its compile fails with."""
    path = _write(home, body)
    with pytest.raises(InputError) as info:
        compile_claims(path, write=False)
    return path, str(info.value)


def _compiled(home: Path, body: str) -> Graph:
    """The graph of a valid file (the shapes are left to test_validation: these files are
    minimal, not complete records)."""
    return compile_claims(_write(home, body), write=False, validate=False)


def _unknown(field: str, name: str) -> str:
    """The message for a name close to no existing one."""
    return (
        f"{field}: unknown entity {name!r}; closest existing names: none. "
        "A new entity must be declared under `entities:`"
    )


def _exact(term: object) -> tuple[str, str, str | None, str | None]:
    """A term as written, for comparisons rdflib's equality would blur (it ignores the case
    of language tags)."""
    if isinstance(term, Literal):
        dtype = None if term.datatype is None else str(term.datatype)
        return ("literal", str(term), dtype, term.language)
    return (type(term).__name__, str(term), None, None)


# --- one mistake per file, after HEAD (line 11 on) ----------------------------------------------

AFTER_HEAD = [
    # names (resolve): blank, not a string, unknown with and without close names
    pytest.param(
        CLAIM.replace("object: Russia", 'object: "  "'),
        15,
        "object: expected the name or id of an entity, got '  '",
        id="blank-object",
    ),
    pytest.param(
        CLAIM.replace("object: Russia", "object: 12"),
        15,
        "object: expected the name or id of an entity, got 12",
        id="number-as-object",
    ),
    pytest.param(
        CLAIM.replace("subject: North Korea", "subject: 12"),
        13,
        "subject: expected the name or id of an entity, got 12",
        id="number-as-subject",
    ),
    pytest.param(
        # "rusia" is closest to the label "Russia" (ratio 10/11), then to the id test-russia
        # (10/16); every other name is below 0.5. Labels are shown as written, ids as ids.
        CLAIM.replace("object: Russia", "object: Rusia"),
        15,
        "object: unknown entity 'Rusia'; closest existing names: 'Russia', 'test-russia'. "
        "A new entity must be declared under `entities:`",
        id="unknown-object-with-hint",
    ),
    pytest.param(
        # "mr. russia" without its first four characters would be "russia": only "the " is
        # dropped before a second look-up
        CLAIM.replace("object: Russia", "object: Mr. Russia"),
        15,
        "object: unknown entity 'Mr. Russia'; closest existing names: 'Russia', 'test-russia'. "
        "A new entity must be declared under `entities:`",
        id="unknown-object-not-the",
    ),
    pytest.param(
        # a label starting with "The" is also indexed without it; both keys are close to the
        # misspelling and both show the label as written (test-hermits scores 12/26, below 0.5)
        "  - id: test-hermits\n    type: State\n    label: The Hermit Kingdom\n"
        + CLAIM.replace("object: Russia", "object: Hermit Kingdon"),
        18,
        "object: unknown entity 'Hermit Kingdon'; closest existing names: "
        "'The Hermit Kingdom', 'The Hermit Kingdom'. "
        "A new entity must be declared under `entities:`",
        id="unknown-object-close-to-a-the-label",
    ),
    pytest.param(
        # rg:State is labelled "state", but only the data namespace (rgd:) holds entities
        CLAIM.replace("object: Russia", "object: state"),
        15,
        _unknown("object", "state"),
        id="an-ontology-label-is-no-entity",
    ),
    pytest.param(
        # the source's dcterms:issued is "2026-01": only labels and ids are names
        CLAIM.replace("object: Russia", 'object: "2026-01"'),
        15,
        _unknown("object", "2026-01"),
        id="a-literal-of-the-graph-is-no-name",
    ),
    pytest.param(
        CLAIM.replace("object: Russia", "object: rgd:qqqqqqqq"),
        15,
        _unknown("object", "rgd:qqqqqqqq"),
        id="unknown-prefixed-object",
    ),
    pytest.param(
        CLAIM.replace("relation: sentTroopsTo", f"relation: {ZS}"),
        14,
        f"relation: rg:{ZS} is not a property of the ontology; closest: none",
        id="unknown-relation",
    ),
    pytest.param(
        # the five properties of ontology/recruitgraph.ttl nearest to "claimedBy" at difflib's
        # cutoff of 0.5, nearest first: carriedBy 0.78, claimDate 0.67, issuedBy and claimant
        # 0.59 (ties go by name, last first), operatedBy 0.53; triggeredBy (0.5) is the sixth
        CLAIM.replace("relation: sentTroopsTo", "relation: claimedBy"),
        14,
        "relation: rg:claimedBy is not a property of the ontology; "
        "closest: carriedBy, claimDate, issuedBy, claimant, operatedBy",
        id="unknown-relation-lists-the-five-nearest-properties",
    ),
    pytest.param(
        # rg:Treaty is declared, but as a class: a relation must be a property
        CLAIM.replace("relation: sentTroopsTo", "relation: Treaty"),
        14,
        "relation: rg:Treaty is not a property of the ontology; closest: party, operatedBy, grants",
        id="a-class-is-no-relation",
    ),
    pytest.param(
        CLAIM.replace("relation: sentTroopsTo", "relation: date").replace(
            "object: Russia", "object_literal: 2025-13"
        ),
        15,
        f"date: '2025-13' {NOT_A_DATE}",
        id="bad-date-literal-of-a-date-relation",
    ),
    # claims: shape of the list and of each entry
    pytest.param("claims: just text\n", 11, "claims: expected a list", id="claims-not-a-list"),
    pytest.param(
        "claims:\n  - just text\n", 11, "claims: each entry is a mapping", id="claim-not-a-mapping"
    ),
    pytest.param(
        CLAIM.replace("id: nk-sent-troops", "id: NK_Troops"),
        12,
        "claim id 'NK_Troops' is not a kebab-case id",
        id="claim-id-not-kebab",
    ),
    pytest.param(
        CLAIM.replace("  - id: nk-sent-troops\n", "  - note: no id\n"),
        12,
        "claim id None is not a kebab-case id",
        id="claim-without-id",
    ),
    pytest.param(
        CLAIM + CLAIM.removeprefix("claims:\n"),
        17,
        "claim id nk-sent-troops is used twice",
        id="claim-id-twice",
    ),
    pytest.param(
        CLAIM + "    colour: red\n",
        17,
        f"claim nk-sent-troops: unknown key 'colour'; allowed: {CLAIM_KEYS}",
        id="unknown-claim-key",
    ),
    pytest.param(
        CLAIM + "    confirmed: false\n",
        17,
        "claim nk-sent-troops is an unconfirmed draft (confirmed: false); check it against the "
        "text, complete it and set `confirmed: true`, or delete it",
        id="unconfirmed-draft",
    ),
    pytest.param(
        CLAIM.replace(f'    anchor: "{ANCHOR}"\n', f'    evidence:\n      - anchor: "{ANCHOR}"\n')
        + "        claimant: ???\n",
        18,
        "claim nk-sent-troops: a '???' placeholder is still to be filled in",
        id="placeholder-in-an-evidence-record",
    ),
    pytest.param(
        CLAIM.replace(f'    anchor: "{ANCHOR}"\n', "    evidence: ['???']\n"),
        16,
        "claim nk-sent-troops: a '???' placeholder is still to be filled in",
        id="placeholder-in-a-list",
    ),
    pytest.param(
        CLAIM.replace("    subject: North Korea\n", ""),
        12,
        "claim nk-sent-troops: 'subject' is required (or give a 'figure')",
        id="no-subject",
    ),
    pytest.param(
        CLAIM.replace("    relation: sentTroopsTo\n", ""),
        12,
        "claim nk-sent-troops: 'relation' is required (or give a 'figure')",
        id="no-relation",
    ),
    pytest.param(
        CLAIM + "    object_literal: Russia\n",
        12,
        "claim nk-sent-troops: give exactly one of 'object' or 'object_literal'",
        id="object-and-object-literal",
    ),
    pytest.param(
        CLAIM.replace("    object: Russia\n", ""),
        12,
        "claim nk-sent-troops: give exactly one of 'object' or 'object_literal'",
        id="no-object",
    ),
    pytest.param(
        CLAIM + f"    rank: {ZS}\n",
        17,
        f"rank: unknown value '{ZS}'; known: deprecated, normal, preferred",
        id="unknown-rank",
    ),
    # evidence and passages
    pytest.param(
        CLAIM.replace(f'    anchor: "{ANCHOR}"\n', ""),
        12,
        "claim nk-sent-troops: an anchor (or an evidence list) is required",
        id="no-anchor",
    ),
    pytest.param(
        CLAIM.replace(f'    anchor: "{ANCHOR}"\n', "    evidence: []\n"),
        16,
        "evidence: expected a list of passages",
        id="empty-evidence",
    ),
    pytest.param(
        CLAIM.replace(f'    anchor: "{ANCHOR}"\n', "    evidence: one passage\n"),
        16,
        "evidence: expected a list of passages",
        id="evidence-not-a-list",
    ),
    pytest.param(
        CLAIM.replace(
            f'    anchor: "{ANCHOR}"\n',
            f'    evidence:\n      - anchor: "{ANCHOR}"\n        attribution: official\n',
        ),
        18,
        "evidence: unknown key 'attribution'; allowed: anchor, claimant, date, date_inferred, "
        "passage, passage_exact, quote, status",
        id="reference-key-in-a-passage-record",
    ),
    pytest.param(
        CLAIM.replace(
            f'    anchor: "{ANCHOR}"\n',
            f'    evidence:\n      - anchor: "{ANCHOR}"\n      - status: alleged\n',
        ),
        18,
        "anchor: required (write `passage: <a phrase>`, then `recruitgraph locate --write "
        "FILE` turns it into an anchor)",
        id="evidence-record-without-anchor",
    ),
    pytest.param(
        CLAIM.replace(ANCHOR, "779-961 00000000"),
        16,
        "anchor '779-961 00000000': the text at 779-961 has fingerprint 336fbab4, not 00000000; "
        "the anchor was made for another text or edited by hand (locate the phrase again)",
        id="wrong-fingerprint",
    ),
    pytest.param(
        CLAIM.replace(ANCHOR, "9000-9010 00000000"),
        16,
        "anchor '9000-9010 00000000' ends beyond the text (8046 characters)",
        id="anchor-beyond-the-text",
    ),
    pytest.param(
        CLAIM + "    passage_exact: true\n",
        17,
        NO_WORDS,
        id="passage-exact-left-with-an-anchor",
    ),
    pytest.param(
        CLAIM.replace(f'anchor: "{ANCHOR}"', "passage: north korea sent thousands"),
        16,
        NO_WORDS,
        id="passage-phrase",
    ),
    pytest.param(
        CLAIM.replace(f'anchor: "{ANCHOR}"', "passage: north korea sent thousands")
        + "    passage_exact: true\n",
        16,
        NO_WORDS,
        id="passage-phrase-and-passage-exact",
    ),
    pytest.param(
        CLAIM + "    date: 2025-13\n",
        17,
        f"date: '2025-13' {NOT_A_DATE}",
        id="bad-claim-date",
    ),
    pytest.param(
        CLAIM + '    date: "2025-02-30"\n',
        17,
        "date: '2025-02-30' is not a valid date (day is out of range for month)",
        id="impossible-claim-date",
    ),
    pytest.param(
        CLAIM + f"    status: {ZS}\n",
        17,
        f"status: unknown value '{ZS}'; known: {STATUSES}",
        id="unknown-status",
    ),
    pytest.param(
        CLAIM + "    claimant: qqqqqqqq\n",
        17,
        _unknown("claimant", "qqqqqqqq"),
        id="unknown-claimant",
    ),
    # figures
    pytest.param(
        CLAIM.replace("    subject: North Korea\n", "    figure: 5\n"),
        13,
        "figure: expected a mapping",
        id="figure-not-a-mapping",
    ),
    pytest.param(
        FIGURE.replace("      unit: person\n", "      unit: person\n      colour: red\n"),
        18,
        "figure: unknown key 'colour'; allowed: about, comparator, high, low, measure, measures, "
        "origin_country, period, period_end, period_start, scope, unit, value",
        id="unknown-figure-key",
    ),
    pytest.param(
        FIGURE.replace("      measures: troops-fighting\n", ""),
        14,
        "figure troops: 'measures' is required",
        id="figure-without-measures",
    ),
    pytest.param(
        FIGURE.replace("      comparator: exactly\n", ""),
        14,
        "figure troops: 'comparator' is required",
        id="figure-without-comparator",
    ),
    pytest.param(
        FIGURE.replace("value: 700000", "value: true"),
        15,
        "value: expected a number, got True",
        id="boolean-value",
    ),
    pytest.param(
        FIGURE.replace("value: 700000", "value: 700,000"),
        15,
        "value: '700,000' is not a number (write 1000000, not '1 million' or '1,000,000')",
        id="value-with-commas",
    ),
    pytest.param(
        FIGURE.replace("unit: person", f"unit: {ZS}"),
        17,
        f"unit: unknown value '{ZS}'; known: {UNITS}",
        id="unknown-unit",
    ),
    pytest.param(
        FIGURE.replace("about: Russia", "about: qqqqqqqq"),
        18,
        _unknown("about", "qqqqqqqq"),
        id="unknown-about",
    ),
    pytest.param(
        FIGURE.replace("about: Russia", "origin_country: qqqqqqqq"),
        18,
        _unknown("origin_country", "qqqqqqqq"),
        id="unknown-origin-country",
    ),
    pytest.param(
        FIGURE.replace("period: 2025-12", "period: 2025-13"),
        19,
        f"period: '2025-13' {NOT_A_DATE}",
        id="bad-period",
    ),
    pytest.param(
        FIGURE.replace("period: 2025-12", "period_start: December"),
        19,
        f"period_start: 'December' {NOT_A_DATE}",
        id="bad-period-start",
    ),
    pytest.param(
        FIGURE.replace("period: 2025-12", "period_end: 2025-00"),
        19,
        f"period_end: '2025-00' {NOT_A_DATE}",
        id="bad-period-end",
    ),
    pytest.param(
        FIGURE.replace("value: 700000", "low: 700000"),
        14,
        "figure: a stated range needs both 'low' and 'high'",
        id="low-without-high",
    ),
    pytest.param(
        FIGURE.replace(
            "      value: 700000\n", "      value: 700000\n      low: 1\n      high: 2\n"
        ),
        16,
        "figure: give 'value' or 'low'/'high', not both",
        id="value-and-range",
    ),
    pytest.param(
        FIGURE.replace("      value: 700000\n", "      low: 10\n      high: 5\n"),
        15,
        "figure: low 10 is above high 5",
        id="low-above-high",
    ),
    pytest.param(
        FIGURE.replace("      value: 700000\n", "      low: many\n      high: 5\n"),
        15,
        "low: 'many' is not a number (write 1000000, not '1 million' or '1,000,000')",
        id="low-not-a-number",
    ),
    pytest.param(
        FIGURE.replace("comparator: exactly", "comparator: between"),
        16,
        "comparator between needs 'low' and 'high'",
        id="between-without-range",
    ),
    pytest.param(
        FIGURE.replace("measures: troops-fighting", "measure: qqqqqqqq"),
        14,
        "measure: unknown measure 'qqqqqqqq'; closest: none (declare it under `measures:` or "
        "compile data/claims/measures.yaml first)",
        id="unknown-measure",
    ),
    # pipelines
    pytest.param(
        PIPELINE.replace("id: p1", "id: P_1"),
        12,
        "pipeline id 'P_1' is not a kebab-case id",
        id="pipeline-id-not-kebab",
    ),
    pytest.param(
        PIPELINE.replace("    label: North Korean troops\n", "    colour: red\n"),
        13,
        "pipeline p1: unknown key 'colour'; allowed: channel, description, id, label, origin, "
        "stages",
        id="unknown-pipeline-key",
    ),
    pytest.param(
        PIPELINE.replace("    label: North Korean troops\n", ""),
        12,
        "pipeline p1: a label is required",
        id="pipeline-without-label",
    ),
    pytest.param(
        PIPELINE.split("    stages:\n")[0],
        12,
        "pipeline p1: stages are required",
        id="pipeline-without-stages",
    ),
    pytest.param(
        PIPELINE.replace("origin: North Korea", "origin: qqqqqqqq"),
        14,
        _unknown("origin", "qqqqqqqq"),
        id="unknown-pipeline-origin",
    ),
    pytest.param(
        PIPELINE.replace("origin: North Korea", "channel: qqqqqqqq"),
        14,
        _unknown("channel", "qqqqqqqq"),
        id="unknown-pipeline-channel",
    ),
    pytest.param(
        PIPELINE.replace("role: front, ", "role: front, colour: red, "),
        17,
        "stage 2: unknown key 'colour'; allowed: actor, anchor, attribution, claimant, date, "
        "date_inferred, evidence, passage, passage_exact, quote, role, status, summary, via",
        id="unknown-stage-key",
    ),
    pytest.param(
        PIPELINE.replace("role: front, ", ""),
        17,
        "stage 2: 'role' is required",
        id="stage-without-role",
    ),
    pytest.param(
        PIPELINE.replace("actor: Russia, ", ""),
        17,
        "stage 2: 'actor' is required",
        id="stage-without-actor",
    ),
    pytest.param(
        PIPELINE.replace(
            f', anchor: "{ANCHOR}"}}\n      - {{role: front', "}\n      - {role: front"
        ),
        16,
        "stage 1: an anchor is required",
        id="stage-without-anchor",
    ),
    pytest.param(
        PIPELINE.replace("role: front", f"role: {ZS}"),
        17,
        f"role: unknown value '{ZS}'; known: channel, front, institution, intermediary, origin",
        id="unknown-stage-role",
    ),
    pytest.param(
        PIPELINE.replace("role: front", "role: qqqqqqqq"),
        17,
        "role: unknown value 'qqqqqqqq'; known: channel, front, origin",  # those alike at 0.4
        id="stage-role-like-three",
    ),
    pytest.param(
        PIPELINE.replace("actor: Russia", "actor: qqqqqqqq"),
        17,
        _unknown("actor", "qqqqqqqq"),
        id="unknown-stage-actor",
    ),
    pytest.param(
        PIPELINE.replace(
            f'      - {{role: front, actor: Russia, anchor: "{ANCHOR}"}}\n',
            f'      - actor: Russia\n        role: {ZS}\n        anchor: "{ANCHOR}"\n',
        ),
        18,
        f"role: unknown value '{ZS}'; known: channel, front, institution, intermediary, origin",
        id="unknown-stage-role-on-its-own-line",
    ),
]


@pytest.mark.parametrize(("body", "line", "message"), AFTER_HEAD)
def test_a_mistake_is_reported_with_file_line_and_words(
    home: Path, body: str, line: int, message: str
) -> None:
    path, msg = _error(home, HEAD + body)
    assert msg == f"{path}:{line}: {message.format(path=path)}"


# --- mistakes in the header and the entities (whole files) --------------------------------------

ENTITY = """\
source: russia-recruitment-2026-01
entities:
  - id: test-envoy
    type: Official
    label: Test Envoy
"""
ENTITY_KEYS = "aliases, country, description, id, label, properties, type, wikidata"

WHOLE_FILE = [
    pytest.param(
        "- a list\n- not a mapping\n",
        1,
        "a claims file is a mapping with source, entities, claims",
        id="not-a-mapping",
    ),
    pytest.param(
        "source: russia-recruitment-2026-01\nclaims: a: b\n",
        2,
        "YAML syntax error: mapping values are not allowed here",
        id="yaml-syntax",
    ),
    pytest.param(
        # a control character (here BEL) is refused by YAML's reader, before any parsing
        "source: russia-recruitment-2026-01\nclaims: []\n# a bell \x07 in a comment\n",
        3,
        "YAML syntax error: the character U+0007 is not allowed",
        id="control-character",
    ),
    pytest.param(
        # the line counts the file's first line too, when it is blank
        "\nsource: russia-recruitment-2026-01\nclaims: []\n# a bell \x07 in a comment\n",
        4,
        "YAML syntax error: the character U+0007 is not allowed",
        id="control-character-after-a-blank-first-line",
    ),
    pytest.param(
        "claims: []\nsource: 12\n",
        2,
        "'source' must be the id of a registered source (or of a cited reference, with a "
        "`reference:` header)",
        id="source-not-an-id",
    ),
    pytest.param(
        "claims: []\nsource: no-such-source\n",
        2,
        "source 'no-such-source' is not registered (known: russia-recruitment-2026-01); "
        "register it with `recruitgraph source add`",
        id="unregistered-source",
    ),
    pytest.param(
        "source: russia-recruitment-2026-01\nentities: {a: 1}\n",
        2,
        "entities: expected a list",
        id="entities-not-a-list",
    ),
    pytest.param(
        "source: russia-recruitment-2026-01\nentities:\n  - test-envoy\n",
        2,
        "entities: each entry is a mapping",
        id="entity-not-a-mapping",
    ),
    pytest.param(
        ENTITY.replace("id: test-envoy", "id: Test_Envoy"),
        3,
        "entity id 'Test_Envoy' is not a kebab-case id",
        id="entity-id-not-kebab",
    ),
    pytest.param(
        ENTITY.replace("    label: Test Envoy\n", ""),
        3,
        "entity test-envoy: a label is required",
        id="entity-without-label",
    ),
    pytest.param(
        ENTITY + ENTITY.split("entities:\n")[1],
        6,
        "entity test-envoy is declared twice in this file",
        id="entity-twice",
    ),
    pytest.param(
        ENTITY.replace("id: test-envoy", "id: associated-press"),
        3,
        "entity associated-press is already declared elsewhere in the graph: use its id and drop "
        "this declaration (record the names this report uses for it under `names:`)",
        id="entity-declared-in-the-graph",
    ),
    pytest.param(
        ENTITY.replace("label: Test Envoy", "label: AP"),
        5,
        "entity test-envoy: the name 'AP' already names rgd:associated-press; if it is the same "
        "actor use that id, else give a name that tells them apart",
        id="label-names-a-graph-entity",
    ),
    pytest.param(
        ENTITY + "    aliases: [Envoy, Associated Press]\n",
        6,
        "entity test-envoy: the name 'Associated Press' already names rgd:associated-press; if "
        "it is the same actor use that id, else give a name that tells them apart",
        id="alias-names-a-graph-entity",
    ),
    pytest.param(
        ENTITY + "    colour: red\n",
        6,
        f"entity test-envoy: unknown key 'colour'; allowed: {ENTITY_KEYS}",
        id="unknown-entity-key",
    ),
    pytest.param(
        ENTITY.replace("    type: Official\n", ""),
        3,
        "entity test-envoy: a type (an rg: class name) is required",
        id="entity-without-type",
    ),
    pytest.param(
        ENTITY.replace("type: Official", f"type: [Official, {ZS}]"),
        4,
        f"type: rg:{ZS} is not a class of the ontology; closest: none",
        id="unknown-type",
    ),
    pytest.param(
        ENTITY + "    wikidata: Q12x\n",
        6,
        "wikidata: 'Q12x' is not a Q-id",
        id="bad-wikidata",
    ),
    pytest.param(
        ENTITY + "    country: XX\n",
        6,
        "country: no state with ISO code XX is known; declare it",
        id="unknown-country-code",
    ),
    pytest.param(
        # the source's dcterms:language "en" is no ISO code: only rg:iso3166Alpha2 values are
        ENTITY + "    country: EN\n",
        6,
        "country: no state with ISO code EN is known; declare it",
        id="a-language-is-no-country-code",
    ),
    pytest.param(
        ENTITY + "    country: qqqqqqqq\n",
        6,
        _unknown("country", "qqqqqqqq"),
        id="unknown-country-name",
    ),
    pytest.param(
        ENTITY + f"    properties:\n      {ZS}: x\n",
        7,
        f"properties: rg:{ZS} is not a property of the ontology; closest: none",
        id="unknown-property",
    ),
    pytest.param(
        ENTITY + "    aliases: Envoy Man\n",
        6,
        "aliases: expected a list of names",
        id="aliases-as-text",
    ),
    pytest.param(
        ENTITY + "    aliases: [{Envoy: Man}]\n",
        6,
        "aliases: expected a list of names",
        id="an-alias-as-mapping",
    ),
    pytest.param(
        ENTITY + "    properties: [rg:role, Envoy]\n",
        6,
        "properties: expected a mapping of rg: property names to values",
        id="properties-not-a-mapping",
    ),
    pytest.param(
        ENTITY + "    properties: Envoy\n",
        6,
        "properties: expected a mapping of rg: property names to values",
        id="properties-as-text",
    ),
    pytest.param(
        ENTITY + "    properties:\n      rg:role: Envoy\n      rg:period: [2025, 2025-13]\n",
        8,
        f"period: '2025-13' {NOT_A_DATE}",
        id="bad-date-in-properties",
    ),
    pytest.param(
        ENTITY + "    properties:\n      rg:role: Envoy\n      rg:country: rgd:qqqqqqqq\n",
        8,
        _unknown("object", "rgd:qqqqqqqq"),
        id="unknown-entity-in-properties",
    ),
]


@pytest.mark.parametrize(("body", "line", "message"), WHOLE_FILE)
def test_a_mistake_in_header_or_entities_is_reported(
    home: Path, body: str, line: int, message: str
) -> None:
    path, msg = _error(home, body)
    assert msg == f"{path}:{line}: {message}"


# --- cited references (no text held), measures and names ------------------------------------

REF = """\
source: test-gazette-2031-03
reference:
  url: https://gazette.example.org/2031/03/04/story
  label: A test report on recruits
  publisher: The Associated Press
  published: 2031-03-04
  read: 2031-03-10
  language: en
"""
#: A figure stated by an agency, lines 9-14 after REF.
REF_CLAIM = """\
claims:
  - id: rc1
    figure: {measures: troops-fighting, value: 10, comparator: exactly, unit: person}
    attribution: agency
    claimant: AP
    summary: A test figure.
"""
REF_NO_DATE = REF.replace("  published: 2031-03-04\n", "")  # 7 lines
ATTRIBUTION_KINDS = (
    "own-reporting, official, agency, court, outlet, expert, activist, witness, document"
)
NO_TEXT = (
    "a reference source has no text to point into; give 'attribution', 'claimant' and "
    "'summary' instead"
)
#: A measure, lines 11-16 after HEAD.
MEASURE = """\
measures:
  - id: test-measure
    label: Test measure
    definition: A test.
    quantity: troops-fighting
    unit: person
"""

#: MEASURE's measure as another claims file declares it (rgd:measure-zeta-count): the list items only
ZETA_COUNT = MEASURE.removeprefix("measures:\n").replace("test-measure", "zeta-count")


REFERENCE_MISTAKES = [
    pytest.param(
        "source: test-gazette-2031-03\nreference: a page\n",
        2,
        "reference: expected a mapping (url, label, publisher, ...)",
        id="reference-not-a-mapping",
    ),
    pytest.param(
        REF + "  colour: red\n",
        9,
        "reference: unknown key 'colour'; allowed: carried_by, copy_note, date_from_url, kind, "
        "label, language, origin, origin_publisher, published, publisher, read, url",
        id="unknown-reference-key",
    ),
    pytest.param(
        REF.replace("  url: https://gazette.example.org/2031/03/04/story\n", ""),
        3,
        "reference: 'url' is required",
        id="reference-without-url",
    ),
    pytest.param(
        REF.replace("  language: en\n", ""),
        3,
        "reference: 'language' is required",
        id="reference-without-language",
    ),
    pytest.param(
        REF.replace("https://gazette", "ftp://gazette"),
        3,
        "reference url 'ftp://gazette.example.org/2031/03/04/story' is not an http(s) address",
        id="url-not-http",
    ),
    pytest.param(
        REF.replace("gazette.example.org", "localhost"),
        3,
        "reference url 'https://localhost/2031/03/04/story' has no host name",
        id="url-without-host-name",
    ),
    pytest.param(
        REF.replace("04/story", "04/the story"),
        3,
        "reference url 'https://gazette.example.org/2031/03/04/the story' contains white space",
        id="url-with-space",
    ),
    pytest.param(
        REF.replace("publisher: The Associated Press", "publisher: qqqqqqqq"),
        5,
        _unknown("publisher", "qqqqqqqq"),
        id="unknown-publisher",
    ),
    pytest.param(
        REF + "  carried_by: qqqqqqqq\n",
        9,
        _unknown("carried_by", "qqqqqqqq"),
        id="unknown-carrier",
    ),
    pytest.param(
        REF.replace("published: 2031-03-04", "published: 2031-13"),
        6,
        f"published: '2031-13' {NOT_A_DATE}",
        id="bad-publication-date",
    ),
    pytest.param(
        REF_NO_DATE + "  date_from_url: true\n",
        8,
        "date_from_url: there is no 'published' date",
        id="date-from-url-without-date",
    ),
    pytest.param(
        REF.replace("read: 2031-03-10", "read: 2031-03"),
        7,
        "read: the day the copy was read, YYYY-MM-DD",
        id="read-a-month",
    ),
    pytest.param(
        REF.replace("read: 2031-03-10", "read: 2031-13"),
        7,
        f"read: '2031-13' {NOT_A_DATE}",
        id="bad-read-date",
    ),
    pytest.param(
        REF + "  origin_publisher: AP\n",
        9,
        "origin_publisher needs an 'origin'",
        id="origin-publisher-without-origin",
    ),
    pytest.param(
        REF + "  origin: Wire_Story\n",
        9,
        "origin 'Wire_Story' is not a kebab-case id",
        id="origin-not-kebab",
    ),
    pytest.param(
        REF + "  origin: test-wire-story\n  origin_publisher: qqqqqqqq\n",
        10,
        _unknown("origin_publisher", "qqqqqqqq"),
        id="unknown-origin-publisher",
    ),
    pytest.param(
        REF + REF_CLAIM + f'    anchor: "{ANCHOR}"\n',
        15,
        f"anchor: {NO_TEXT}",
        id="anchor-in-a-reference",
    ),
    pytest.param(
        REF + REF_CLAIM + "    passage_exact: true\n",
        15,
        f"passage_exact: {NO_TEXT}",
        id="passage-exact-in-a-reference",
    ),
    pytest.param(
        REF + REF_CLAIM.replace("    summary: A test figure.\n", ""),
        10,
        "summary: required in a reference source (our own words)",
        id="reference-claim-without-summary",
    ),
    pytest.param(
        REF + REF_CLAIM.replace("    attribution: agency\n", ""),
        10,
        f"attribution: required; one of {ATTRIBUTION_KINDS}",
        id="no-attribution",
    ),
    pytest.param(
        REF + REF_CLAIM.replace("attribution: agency", "attribution: rumour"),
        12,
        f"attribution: 'rumour' is unknown; one of {ATTRIBUTION_KINDS}",
        id="unknown-attribution",
    ),
    pytest.param(
        REF + REF_CLAIM.replace("    claimant: AP\n", ""),
        12,
        "claimant: required with attribution agency (who the report says made the statement; "
        "an unnamed body gets a descriptive entity)",
        id="agency-without-claimant",
    ),
    pytest.param(
        REF + REF_CLAIM + "    via: qqqqqqqq\n",
        15,
        _unknown("via", "qqqqqqqq"),
        id="unknown-via",
    ),
    pytest.param(
        REF + REF_CLAIM + "    date: unknown\n",
        15,
        "date: unknown is only for a report with no date; omit 'date' to use the report's "
        "publication date",
        id="date-unknown-of-a-dated-report",
    ),
    pytest.param(
        REF_NO_DATE + REF_CLAIM,
        9,
        "date: required, since the report's publication date is unknown (write "
        "`date: unknown` when the report gives no date at all)",
        id="no-date-at-all",
    ),
    pytest.param(
        REF + REF_CLAIM + "    date: 2031-13\n",
        15,
        f"date: '2031-13' {NOT_A_DATE}",
        id="bad-statement-date",
    ),
    pytest.param(
        REF
        + REF_CLAIM.replace("    attribution: agency\n    claimant: AP\n", "")
        + "    evidence: []\n",
        13,
        "evidence: expected a list of records",
        id="empty-reference-evidence",
    ),
    pytest.param(
        REF
        + REF_CLAIM.replace("    attribution: agency\n    claimant: AP\n", "")
        + "    evidence:\n      - attribution: own-reporting\n        anchor: x\n",
        15,
        "evidence: unknown key 'anchor'; allowed: attribution, claimant, date, date_inferred, "
        "quote, status, via",
        id="anchor-in-a-reference-record",
    ),
    # measures (after HEAD: line 11 on)
    pytest.param(HEAD + "measures: one\n", 11, "measures: expected a list", id="measures-text"),
    pytest.param(
        HEAD + "measures:\n  - one\n",
        11,
        "measures: each entry is a mapping",
        id="measure-not-a-mapping",
    ),
    pytest.param(
        HEAD + MEASURE + "    colour: red\n",
        17,
        "measure: unknown key 'colour'; allowed: counts, definition, id, label, per_subject, "
        "quantity, unit",
        id="unknown-measure-key",
    ),
    pytest.param(
        HEAD + MEASURE.replace("id: test-measure", "id: Test_Measure"),
        12,
        "measure id 'Test_Measure' is not a kebab-case id",
        id="measure-id-not-kebab",
    ),
    pytest.param(
        HEAD + MEASURE.replace("    definition: A test.\n", ""),
        12,
        "measure test-measure: 'definition' is required",
        id="measure-without-definition",
    ),
    pytest.param(
        HEAD + MEASURE + MEASURE.removeprefix("measures:\n"),
        17,
        "measure test-measure is declared twice in this file",
        id="measure-twice",
    ),
    pytest.param(
        HEAD + MEASURE.replace("unit: person", f"unit: {ZS}"),
        16,
        f"unit: unknown value '{ZS}'; known: {UNITS}",
        id="unknown-measure-unit",
    ),
    pytest.param(
        # the qty- concepts of ontology/ nearest to qty-troops-fightin at difflib's 0.4, sorted
        HEAD + MEASURE.replace("quantity: troops-fighting", "quantity: troops-fightin"),
        15,
        "quantity: unknown value 'troops-fightin'; known: contracts-signed, foreign-fighters, "
        "regions, troops-fighting, troops-sent",
        id="unknown-measure-quantity",
    ),
    pytest.param(
        HEAD + MEASURE + "    counts: qqqqqqqq\n",
        17,
        _unknown("counts", "qqqqqqqq"),
        id="unknown-counted-entity",
    ),
    # names a report uses (after HEAD)
    pytest.param(
        HEAD + "names: Rossiya\n",
        11,
        "names: expected a list of {entity, name}",
        id="names-text",
    ),
    pytest.param(
        HEAD + "names:\n  - Rossiya\n",
        11,
        "names: each entry is {entity: <id>, name: <name>}",
        id="name-not-a-mapping",
    ),
    pytest.param(
        HEAD + "names:\n  - {entity: test-russia}\n",
        12,
        "names: each entry is {entity: <id>, name: <name>}",
        id="name-without-name",
    ),
    pytest.param(
        HEAD + "names:\n  - {entity: test-russia, name: Rossiya, colour: red}\n",
        12,
        "names: unknown key(s) ['colour']",
        id="unknown-name-key",
    ),
    pytest.param(
        HEAD + "names:\n  - {entity: qqqqqqqq, name: Rossiya}\n",
        12,
        _unknown("entity", "qqqqqqqq"),
        id="name-of-an-unknown-entity",
    ),
    pytest.param(
        HEAD + "names:\n  - {entity: test-russia, name: North Korea}\n",
        12,
        "names: 'North Korea' already names rgd:test-north-korea; one name cannot stand for two "
        "entities (check whether they are the same actor)",
        id="name-of-another-file-entity",
    ),
    pytest.param(
        HEAD + "names:\n  - {entity: test-russia, name: ' the associated  PRESS'}\n",
        12,
        "names: 'the associated  PRESS' already names rgd:associated-press; one name cannot "
        "stand for two entities (check whether they are the same actor)",
        id="name-of-a-graph-entity",
    ),
]


@pytest.mark.parametrize(("body", "line", "message"), REFERENCE_MISTAKES)
def test_a_mistake_in_references_measures_or_names_is_reported(
    home: Path, body: str, line: int, message: str
) -> None:
    path, msg = _error(home, body)
    assert msg == f"{path}:{line}: {message}"


def test_a_measure_the_project_declares_already_is_refused(home: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    (home / "data" / "measures.ttl").write_text(
        (root / "data" / "measures.ttl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    # data/measures.ttl declares rgd:measure-contract-soldiers-recruited-per-year
    path, msg = _error(
        home, HEAD + MEASURE.replace("id: test-measure", "id: contract-soldiers-recruited-per-year")
    )
    assert msg == (
        f"{path}:12: measure contract-soldiers-recruited-per-year is already declared "
        "(data/measures.ttl or another file)"
    )


def test_a_name_two_entities_of_another_file_share_is_refused_naming_both(home: Path) -> None:
    _write_other(
        home,
        "  - {id: twin-a, type: State, label: Twin A, aliases: [Twins]}\n"
        "  - {id: twin-b, type: State, label: Twin B, aliases: [Twins]}\n"
        "claims: []\n",
    )
    path, msg = _error(home, HEAD + "names:\n  - entity: test-russia\n    name: Twins\n")
    assert msg == (  # at the line of the name
        f"{path}:13: names: 'Twins' already names rgd:twin-a, rgd:twin-b; one name cannot stand "
        "for two entities (check whether they are the same actor)"
    )
    path, msg = _error(home, ENTITY + "    aliases: [Twins]\n")
    assert msg == (
        f"{path}:6: entity test-envoy: the name 'Twins' already names rgd:twin-a, rgd:twin-b; if "
        "it is the same actor use that id, else give a name that tells them apart"
    )


def test_an_entity_of_a_file_after_unreadable_ones_is_found(home: Path) -> None:
    # the files are read in name order: one that is not YAML, one that is no mapping and this
    # file itself come before the one that declares the entity, and each is passed over
    claims = home / "data" / "claims"
    claims.mkdir(parents=True, exist_ok=True)
    (claims / "aaa-not-yaml.yaml").write_text("entities: [unclosed\n", encoding="utf-8")
    (claims / "aab-a-list.yaml").write_text("- one\n- two\n", encoding="utf-8")
    (claims / "zeta-2031.yaml").write_text(
        "source: zeta-2031\nentities:\n  - {id: zeta-envoy, type: Official, label: Zeta Envoy}\n",
        encoding="utf-8",
    )
    g = _compiled(home, HEAD + CLAIM.replace("subject: North Korea", "subject: Zeta Envoy"))
    assert g.value(RGD["claim-nk-sent-troops"], RDF.subject) == RGD["zeta-envoy"]
    assert sorted(p.name for p in claims.iterdir()) == [
        "aaa-not-yaml.yaml", "aab-a-list.yaml", f"{SOURCE}.yaml", "zeta-2031.yaml"
    ]


def test_entities_another_file_gets_wrong_are_passed_over(home: Path) -> None:
    # its own compile refuses each of them; here they neither break this compile nor lend names
    _write_other(
        home,
        "  - just-a-name\n"
        "  - {type: State, label: Nameless Land}\n"
        "  - {id: Zeta_Land, type: State, label: Zeta Land}\n"
        "  - {id: zeta-seven, type: 7, label: Zeta Seven}\n"  # a type that is no name is ignored
        "  - {id: zeta-envoy, type: [Official, Person], label: Zeta Envoy}\n",
    )
    g = _compiled(home, HEAD + CLAIM.replace("object: Russia", "object: Zeta Envoy"))
    assert g.value(RGD["claim-nk-sent-troops"], RDF.object) == RGD["zeta-envoy"]
    path, msg = _error(home, ENTITY.replace("id: test-envoy", "id: zeta-envoy"))
    assert msg.startswith(f"{path}:3: entity zeta-envoy is already declared elsewhere in the graph")
    for name in ("Nameless Land", "Zeta Land"):
        path, msg = _error(home, HEAD + CLAIM.replace("object: Russia", f"object: {name}"))
        assert msg.startswith(f"{path}:15: object: unknown entity {name!r}; closest existing names: ")


def test_a_measure_of_another_file_after_one_that_is_no_mapping_is_found(home: Path) -> None:
    # the other file's own compile refuses `- just-a-name`; this one passes over it
    _write_other(home, "  - just-a-name\n" + ZETA_COUNT, key="measures")
    g = _compiled(home, HEAD + FIGURE.replace("measures: troops-fighting", "measure: zeta-count"))
    assert g.value(RGD["fig-troops"], RG.ofMeasure) == RGD["measure-zeta-count"]


def test_a_measure_of_another_file_is_known_by_its_label(home: Path) -> None:
    # as one of data/measures.ttl: its label cannot also name an entity
    _write_other(home, ZETA_COUNT, key="measures")
    path, msg = _error(home, HEAD + "names:\n  - {entity: test-russia, name: Test measure}\n")
    assert msg == (
        f"{path}:12: names: 'Test measure' already names rgd:measure-zeta-count; one name cannot "
        "stand for two entities (check whether they are the same actor)"
    )


def test_a_figure_takes_the_kind_and_unit_of_another_files_measure_written_with_prefixes(
    home: Path,
) -> None:
    # `quantity: qty-troops-fighting` is `quantity: troops-fighting` (as the measure's own compile
    # reads it); a figure that omits its kind and unit takes them from its measure
    prefixed = ZETA_COUNT.replace("quantity: troops-fighting", "quantity: qty-troops-fighting")
    _write_other(home, prefixed.replace("unit: person", "unit: unit-person"), key="measures")
    figure = FIGURE.replace("measures: troops-fighting", "measure: zeta-count").replace("      unit: person\n", "")
    g = _compiled(home, HEAD + figure)
    assert g.value(RGD["fig-troops"], RG.measures) == RGV["qty-troops-fighting"]
    assert g.value(RGD["fig-troops"], RG.unit) == RGV["unit-person"]


def test_aliases_another_file_gives_as_text_are_not_read_letter_by_letter(home: Path) -> None:
    # other-2031.yaml is wrong (its own compile refuses it), but it must not lend a name to
    # each of its letters: "T" would then name rgd:twin-a and be refused here
    _write_other(home, "  - {id: twin-a, type: State, label: Twin A, aliases: Tw}\n")
    g = _compiled(home, ENTITY.replace("label: Test Envoy", "label: T"))
    assert list(g.objects(RGD["test-envoy"], RDFS.label)) == [Literal("T", lang="en")]


def test_a_type_another_file_writes_as_a_prefixed_name_is_that_class(home: Path) -> None:
    # `type: rg:State` is `type: State` (the compiler takes both): the state's name then marks
    # the name of its people in a generated label, which is otherwise lower-cased
    scope = FIGURE.replace("      period:", "      scope: Zetanian soldiers at the front\n      period:")
    g = _compiled(home, HEAD + scope)
    assert g.value(RGD["fig-troops"], RDFS.label) == Literal(
        "700,000 zetanian soldiers at the front (the source report)", lang="en"
    )
    _write_other(home, "  - {id: zeta-land, type: rg:State, label: Zetania}\n")
    g = _compiled(home, HEAD + scope)
    assert g.value(RGD["fig-troops"], RDFS.label) == Literal(
        "700,000 Zetanian soldiers at the front (the source report)", lang="en"
    )


def test_an_entity_renamed_in_another_file_goes_by_its_new_name_before_that_file_is_compiled(
    home: Path,
) -> None:
    # other-2031.ttl was compiled before its claims file renamed the envoy: the compile of this
    # file must not depend on whether the other one was compiled since
    (home / "data" / "other-2031.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"<{RGD['zeta-envoy']}> a <{RG.Official}> ; rdfs:label \"Zeta Ambassador\"@en .\n",
        encoding="utf-8",
    )
    _write_other(home, "  - {id: zeta-envoy, type: Official, label: Zeta Envoy}\n")
    g = _compiled(home, HEAD + CLAIM.replace("subject: North Korea", "subject: Zeta Envoy"))
    assert g.value(RGD["claim-nk-sent-troops"], RDFS.label) == Literal(
        "Zeta Envoy sent troops to Russia", lang="en"
    )
    path, msg = _error(home, HEAD + CLAIM.replace("subject: North Korea", "subject: Zeta Ambassador"))
    assert msg == f"{path}:13: " + _unknown("subject", "Zeta Ambassador")


def _name_languages(g: Graph, entity: str) -> list[str | None]:
    # rdflib compares language tags ignoring case: read the tags themselves
    return [o.language for o in g.objects(RGD[entity], SKOS.altLabel) if isinstance(o, Literal)]


def test_a_name_is_in_the_language_of_its_text_source(home: Path) -> None:
    names = HEAD + "names:\n  - {entity: test-russia, name: Rossiya}\n"
    assert _name_languages(_compiled(home, names), "test-russia") == ["en"]
    record = home / "data" / "sources" / f"{SOURCE}.ttl"
    text = record.read_text(encoding="utf-8")
    assert text.count('dcterms:language "en"') == 1
    record.write_text(text.replace('dcterms:language "en"', 'dcterms:language "ru"'), encoding="utf-8")
    assert _name_languages(_compiled(home, names), "test-russia") == ["ru"]
    # a record that gives no language: English, as the claims files are written in
    record.write_text(text.replace('    dcterms:language "en" ;\n', ""), encoding="utf-8")
    assert "dcterms:language" not in record.read_text(encoding="utf-8")
    assert _name_languages(_compiled(home, names), "test-russia") == ["en"]


def test_a_name_is_in_the_language_of_its_reference(home: Path) -> None:
    names = "names:\n  - {entity: associated-press, name: Assoshieited Press}\n"
    g = _compiled(home, REF.replace("language: en", "language: ru") + names)
    assert _name_languages(g, "associated-press") == ["ru"]


def test_a_name_may_give_its_own_language(home: Path) -> None:
    g = _compiled(home, HEAD + "names:\n  - {entity: test-russia, name: Rossiya, lang: ru}\n")
    assert list(g.objects(RGD["test-russia"], SKOS.altLabel)) == [Literal("Rossiya", lang="ru")]


def test_a_cited_reference_compiles_to_its_source_record_and_attributions(home: Path) -> None:
    sid = "test-gazette-2031-03"
    g = _compiled(home, REF + "  kind: Report\n" + REF_CLAIM)
    source = RGD[sid]
    for cls in (RG.Source, RG.ReferenceSource, SCHEMA.Report):
        assert (source, RDF.type, cls) in g
    assert g.value(source, SCHEMA.url) == URIRef("https://gazette.example.org/2031/03/04/story")
    assert g.value(source, DCTERMS.publisher) == RGD["associated-press"]
    assert _exact(g.value(source, DCTERMS.issued)) == _exact(
        Literal("2031-03-04", datatype=XSD.date)
    )
    assert _exact(g.value(source, RG.dateRead)) == _exact(Literal("2031-03-10", datatype=XSD.date))
    assert g.value(source, RG.origin) == source  # no origin given: the report is its own
    assert g.value(source, RG.namedGraph) == URIRef(graph_iri(sid))
    ev = RGD["fig-rc1-ev1"]
    assert g.value(ev, RG.source) == source
    assert g.value(ev, RG.attribution) == RGV["attr-agency"]
    assert g.value(ev, RG.claimant) == RGD["associated-press"]
    # no date given: the statement was made by the time the report was published
    assert _exact(g.value(ev, RG.claimDate)) == _exact(Literal("2031-03-04", datatype=XSD.date))
    assert g.value(ev, RG.dateInferred) == Literal(True)
    assert g.value(ev, RG.verificationStatus) == RGV["status-source-report"]
    assert g.value(ev, RG.passage) is None


def test_a_measures_file_holds_only_measures(home: Path) -> None:
    folder = home / "data" / "claims"
    folder.mkdir(parents=True)
    path = folder / "measures.yaml"
    path.write_text("measures: []\nclaims: []\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        compile_claims(path, write=False)
    assert str(info.value) == (
        f"{path}:2: a measures file holds only `measures:` (found 'claims'); claims go in a "
        "source's file"
    )
    path = folder / "Shared_Measures.yaml"
    path.write_text("measures: []\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        compile_claims(path, write=False)
    assert str(info.value) == f"{path}:1: the file name 'Shared_Measures' is not a kebab-case id"


def test_an_unreadable_file_is_named(home: Path) -> None:
    path = home / "data" / "claims" / "absent.yaml"
    with pytest.raises(InputError) as info:
        compile_claims(path, write=False)
    assert str(info.value) == f"{path}: cannot read (No such file or directory)"


def test_a_name_shared_by_two_entities_is_ambiguous(home: Path) -> None:
    # both entities take the alias "North" (lines 6 and 12); claims start at line 13, and
    # "the north" is looked up as "north" once "the north" itself names nothing
    body = HEAD.replace(
        "    label: North Korea\n", "    label: North Korea\n    aliases: [North]\n"
    )
    body = body.replace("    country: RU\n", "    country: RU\n    aliases: [North]\n")
    body += CLAIM.replace("object: Russia", "object: the north")
    path, msg = _error(home, body)
    assert msg == (
        f"{path}:17: object: 'the north' is ambiguous: it names rgd:test-north-korea, "
        "rgd:test-russia; use an id"
    )


def test_close_names_and_values_are_at_most_five(home: Path) -> None:
    # six entities test-unit-a ... test-unit-f are all close to "test-unit-x": five are shown
    units = "".join(
        f"  - id: test-unit-{c}\n    type: ArmedForces\n    label: Unit {c.upper()}{c.upper()}\n"
        for c in "abcdef"
    )
    body = HEAD + units + CLAIM.replace("object: Russia", "object: test-unit-x")
    path, msg = _error(home, body)
    prefix = f"{path}:33: object: unknown entity 'test-unit-x'; closest existing names: "
    assert msg.startswith(prefix)
    hint = msg.removeprefix(prefix).split(". A new entity")[0].split(", ")
    assert len(hint) == 5 and set(hint) < {f"'test-unit-{c}'" for c in "abcdef"}
    # twenty comparators, many close to "more-then": five are listed, the right one among them
    path, msg = _error(home, HEAD + FIGURE.replace("comparator: exactly", "comparator: more-then"))
    prefix = f"{path}:16: comparator: unknown value 'more-then'; known: "
    assert msg.startswith(prefix)
    known = msg.removeprefix(prefix).split(", ")
    assert len(known) == 5 and "more-than" in known and known == sorted(known)


def test_an_unknown_quantity_lists_the_known_ones(home: Path) -> None:
    # nothing is close to forty z's: all fifty quantities are listed, in order, without "qty-"
    path, msg = _error(home, HEAD + FIGURE.replace("measures: troops-fighting", f"measures: {ZS}"))
    prefix = f"{path}:14: measures: unknown value '{ZS}'; known: "
    assert msg.startswith(prefix + "age-limit, armed-forces-size, average-annual-income, ")
    known = msg.removeprefix(prefix).split(", ")
    assert len(known) == 50 and known == sorted(known)
    assert known[-3:] == ["war-duration", "willing-recruits", "work-permits"]
    # the line is the key's own, not the figure's: here `measures` comes second, on line 15
    second = FIGURE.replace("      measures: troops-fighting\n", "").replace(
        "      value: 700000\n", f"      value: 700000\n      measures: {ZS}\n"
    )
    path, msg = _error(home, HEAD + second)
    assert msg.startswith(f"{path}:15: measures: unknown value '{ZS}'; known: age-limit, ")


def test_a_stage_keeps_its_quote_and_may_give_its_passages_as_evidence(home: Path) -> None:
    """A quote belongs to its own stage; a stage with an evidence list needs no anchor of its
    own and gets one evidence record per passage, in the order given."""
    body = PIPELINE.replace(
        f'actor: North Korea, anchor: "{ANCHOR}"}}',
        f'actor: North Korea, anchor: "{ANCHOR}", quote: "words of the test"}}',
    ).replace(
        f'      - {{role: front, actor: Russia, anchor: "{ANCHOR}"}}\n',
        "      - role: front\n        actor: Russia\n        evidence:\n"
        f'          - anchor: "{ANCHOR_TROOPS}"\n          - anchor: "{ANCHOR}"\n',
    )
    g = _compiled(home, HEAD + body)
    first, second = RGD["pipeline-p1-stage-1"], RGD["pipeline-p1-stage-2"]
    # the tag as written to the Turtle (rdflib compares tags ignoring case)
    assert [(str(q), q.language) for q in g.objects(first, RG.quote)] == [("words of the test", "en")]
    assert list(g.objects(second, RG.quote)) == []
    records = [URIRef(f"{second}-ev{n}") for n in (1, 2)]
    assert sorted(g.objects(second, RG.hasEvidence)) == records
    assert [g.value(ev, RG.passage) for ev in records] == [
        RGD[f"{SOURCE}-chars-1396-1529"],
        RGD[f"{SOURCE}-chars-779-961"],
    ]


def test_figure_values_keep_their_form(home: Path) -> None:
    """An integer stays an integer, a number written with a point a decimal (even 3.0), and a
    number written as text ("1e3", "1000") the integer it means."""
    cases = {"a": "2.5", "b": "3.0", "c": "1e3", "d": '"1000"', "e": "-4", "f": "0"}
    claims = "claims:\n" + "".join(
        f"""\
  - id: fig-{k}
    figure: {{measures: troops-fighting, value: {v}, comparator: exactly, unit: person}}
    anchor: "{ANCHOR_TROOPS}"
"""
        for k, v in cases.items()
    )
    g = _compiled(home, HEAD + claims)
    values = {k: g.value(RGD[f"fig-fig-{k}"], RG.value) for k in cases}
    assert {k: _exact(v) for k, v in values.items()} == {
        k: _exact(v)
        for k, v in {
            "a": Literal("2.5", datatype=XSD.decimal),
            "b": Literal("3.0", datatype=XSD.decimal),
            "c": Literal("1000", datatype=XSD.integer),
            "d": Literal("1000", datatype=XSD.integer),
            "e": Literal("-4", datatype=XSD.integer),
            "f": Literal("0", datatype=XSD.integer),
        }.items()
    }
    assert [str(values[k]) for k in cases] == ["2.5", "3.0", "1000", "1000", "-4", "0"]


def test_entity_property_values_become_typed_terms(home: Path) -> None:
    body = ENTITY + textwrap.indent(
        textwrap.dedent(
            """\
            aliases: [The Envoy]
            description: "  Speaks for a state.  "
            wikidata: Q42
            properties:
              rg:role: ["  Envoy  ", 2025-12-01, 2025-12-01 10:30:00]
              rg:date: [2024, "2025-03", 2025-03-04]
              rg:characterCount: 12
              rg:dateInferred: false
              rg:relativeTolerance: 0.25
              rg:assistsWith: rgv:assist-desertion
              rg:country: rgd:associated-press
            """
        ),
        "    ",
    )
    g = _compiled(home, body)
    envoy = RGD["test-envoy"]

    def objects(local: str) -> set[tuple[str, str, str | None, str | None]]:
        return {_exact(o) for o in g.objects(envoy, RG[local])}

    def exact(*terms: object) -> set[tuple[str, str, str | None, str | None]]:
        return {_exact(t) for t in terms}

    # a date in a property that is not a date property is an xsd:date (a timestamp its day)
    assert objects("role") == exact(
        Literal("Envoy", lang="en"),
        Literal("2025-12-01", datatype=XSD.date),
    )
    # a date property types each value by its precision
    assert objects("date") == exact(
        Literal("2024", datatype=XSD.gYear),
        Literal("2025-03", datatype=XSD.gYearMonth),
        Literal("2025-03-04", datatype=XSD.date),
    )
    assert objects("characterCount") == exact(Literal("12", datatype=XSD.integer))
    assert objects("dateInferred") == exact(Literal("false", datatype=XSD.boolean))
    assert objects("relativeTolerance") == exact(Literal("0.25", datatype=XSD.decimal))
    assert objects("assistsWith") == exact(RGV["assist-desertion"])
    assert objects("country") == exact(RGD["associated-press"])
    assert (envoy, RDF.type, RG.Official) in g
    assert _exact(g.value(envoy, RDFS.label)) == _exact(Literal("Test Envoy", lang="en"))
    assert _exact(g.value(envoy, SKOS.altLabel)) == _exact(Literal("The Envoy", lang="en"))
    assert _exact(g.value(envoy, RDFS.comment)) == _exact(Literal("Speaks for a state.", lang="en"))
    assert g.value(envoy, SCHEMA.sameAs) == URIRef("http://www.wikidata.org/entity/Q42")


def test_relation_literals_are_typed(home: Path) -> None:
    """``object_literal`` values of each kind: booleans, integers, decimals, dates, words."""
    rows = [
        ("dateInferred", "true", Literal("true", datatype=XSD.boolean)),
        ("characterCount", "8", Literal("8", datatype=XSD.integer)),
        ("relativeTolerance", "0.5", Literal("0.5", datatype=XSD.decimal)),
        ("date", "2026", Literal("2026", datatype=XSD.gYear)),
        ("role", "2026-01-02", Literal("2026-01-02", datatype=XSD.date)),
        ("role", "' Envoy of the state '", Literal("Envoy of the state", lang="en")),
    ]
    claims = "claims:\n" + "".join(
        f"""\
  - id: lit-{n}
    subject: Russia
    relation: {rel}
    object_literal: {value}
    anchor: "{ANCHOR}"
"""
        for n, (rel, value, _) in enumerate(rows)
    )
    g = _compiled(home, HEAD + claims)
    for n, (rel, _, expected) in enumerate(rows):
        claim = RGD[f"claim-lit-{n}"]
        assert _exact(g.value(claim, RDF.object)) == _exact(expected), rel
        assert (RGD["test-russia"], RG[rel], expected) in g


def test_names_iris_and_prefixes_resolve(home: Path) -> None:
    """IRIs (http and https), rgd: ids, "the" before a name, case and diacritics, and rg:/rgv:
    prefixes on relations and values all name the same terms."""
    forms = [
        "https://w3id.org/recruitgraph/id/test-russia",
        "http://example.org/elsewhere",
        "rgd:test-russia",
        "the Russia",
        "RUSSÍA",
    ]
    claims = "claims:\n" + "".join(
        f"""\
  - id: name-{n}
    subject: North Korea
    relation: rg:sentTroopsTo
    object: {form}
    anchor: "{ANCHOR}"
    status: rgv:status-alleged
    rank: preferred
"""
        for n, form in enumerate(forms)
    )
    g = _compiled(home, HEAD + claims)
    objects = [g.value(RGD[f"claim-name-{n}"], RDF.object) for n in range(len(forms))]
    assert objects == [
        RGD["test-russia"],
        URIRef("http://example.org/elsewhere"),
        RGD["test-russia"],
        RGD["test-russia"],
        RGD["test-russia"],
    ]
    for n in range(len(forms)):
        claim = RGD[f"claim-name-{n}"]
        assert g.value(claim, RDF.predicate) == RG.sentTroopsTo
        assert g.value(claim, RG.rank) == RGV["rank-preferred"]
        ev = RGD[f"claim-name-{n}-ev1"]
        assert g.value(ev, RG.verificationStatus) == RGV["status-alleged"]
        # no date given: the claim was made by the time the source was published (2026-01)
        assert _exact(g.value(ev, RG.claimDate)) == _exact(
            Literal("2026-01", datatype=XSD.gYearMonth)
        )
        assert g.value(ev, RG.dateInferred) == Literal(True)


def test_a_label_with_the_is_found_without_it(home: Path) -> None:
    body = (
        HEAD
        + "  - id: test-hermits\n    type: State\n    label: The Hermit Kingdom\n"
        + CLAIM.replace("object: Russia", "object: hermit kingdom")
    )
    g = _compiled(home, body)
    assert g.value(RGD["claim-nk-sent-troops"], RDF.object) == RGD["test-hermits"]
    assert (RGD["test-hermits"], SKOS.altLabel, None) not in g


def test_countries_by_code_name_and_graph(home: Path) -> None:
    """A state's own code is stored upper-case; anyone else's ``country`` is a state, found by
    a code of this file or of the graph, or by name (a graph entity also by its skos:prefLabel)."""
    (home / "data" / "test-freedonia.ttl").write_text(
        "@prefix rgd: <https://w3id.org/recruitgraph/id/> .\n"
        "@prefix rg: <https://w3id.org/recruitgraph/ontology/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'rgd:test-freedonia a rg:State ; skos:prefLabel "Freedonia"@en ; rg:iso3166Alpha2 "fd" .\n',
        encoding="utf-8",
    )
    people = "".join(
        f"  - id: test-person-{n}\n    type: Official\n    label: Person {n}\n"
        f"    country: {country}\n"
        for n, country in enumerate(["RU", "Russia", "XQ", "FD", "Freedonia"])
    )
    body = HEAD + "  - id: test-small\n    type: State\n    label: Small\n    country: xq\n"
    g = _compiled(home, body + people)
    assert g.value(RGD["test-small"], RG.iso3166Alpha2) == Literal("XQ")
    assert g.value(RGD["test-north-korea"], RG.iso3166Alpha2) == Literal("KP")
    assert [g.value(RGD[f"test-person-{n}"], RG.country) for n in range(5)] == [
        RGD["test-russia"],
        RGD["test-russia"],
        RGD["test-small"],
        RGD["test-freedonia"],
        RGD["test-freedonia"],
    ]
    assert (RGD["test-russia"], RG.country, None) not in g


def test_a_state_declared_with_a_list_of_types_lends_its_code(home: Path) -> None:
    body = HEAD + (
        "  - id: test-small\n    type: [State]\n    label: Small\n    country: XQ\n"
        "  - id: test-person\n    type: Official\n    label: Somebody\n    country: XQ\n"
    )
    g = _compiled(home, body)
    assert g.value(RGD["test-person"], RG.country) == RGD["test-small"]


def test_an_untyped_node_of_the_graph_is_no_entity(home: Path) -> None:
    (home / "data" / "test-untyped.ttl").write_text(
        "@prefix rgd: <https://w3id.org/recruitgraph/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'rgd:qqqq-untyped rdfs:comment "a node without a type"@en .\n',
        encoding="utf-8",
    )
    path, msg = _error(home, HEAD + CLAIM.replace("object: Russia", "object: qqqq-untyped"))
    assert msg == f"{path}:15: {_unknown('object', 'qqqq-untyped')}"


def test_files_name_each_others_entities_and_measures(home: Path) -> None:
    """A claims file may use the entities and measures another (uncompiled) file declares."""
    (home / "data" / "claims").mkdir(parents=True)
    (home / "data" / "claims" / "other.yaml").write_text(
        textwrap.dedent(
            """\
            source: other-source
            entities:
              - {id: test-envoy, type: Official, label: Test Envoy, aliases: [The Envoy]}
            measures:
              - id: test-troops
                label: Troops
                definition: A test measure.
                quantity: troops-fighting
                unit: person
            """
        ),
        encoding="utf-8",
    )
    claims = f"""\
claims:
  - id: envoy-count
    figure: {{measure: test-troops, value: 5, comparator: exactly}}
    anchor: "{ANCHOR_TROOPS}"
    claimant: The Envoy
"""
    g = _compiled(home, HEAD + claims)
    fig = RGD["fig-envoy-count"]
    assert g.value(fig, RG.ofMeasure) == RGD["measure-test-troops"]
    assert g.value(fig, RG.measures) == RGV["qty-troops-fighting"]  # from the measure
    assert g.value(fig, RG.unit) == RGV["unit-person"]
    assert g.value(RGD["fig-envoy-count-ev1"], RG.claimant) == RGD["test-envoy"]
    assert (RGD["test-envoy"], None, None) not in g  # declared by the other file only


def test_a_measures_file_compiles_on_its_own(home: Path) -> None:
    path = home / "data" / "claims" / "measures.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        MEASURE.replace("    quantity:", "    per_subject: true\n    quantity:"), encoding="utf-8"
    )
    g = compile_claims(path)
    measure = RGD["measure-test-measure"]
    assert (measure, RDF.type, RG.Measure) in g
    assert _exact(g.value(measure, SKOS.definition)) == _exact(Literal("A test.", lang="en"))
    assert g.value(measure, RG.quantityKind) == RGV["qty-troops-fighting"]
    assert g.value(measure, RG.perSubject) == Literal(True)
    assert list(g.triples((None, RG.namedGraph, None))) == []  # no source, no graph of its own
    written = (home / "data" / "measures.ttl").read_text(encoding="utf-8")
    assert written.startswith(
        "# Generated from measures.yaml by `recruitgraph compile`: do not edit by hand.\n"
        "# Edit the YAML file and run: recruitgraph compile data/claims/measures.yaml\n"
    )


def test_a_store_or_given_text_folders_serve_the_compile(
    home: Path, monkeypatch: pytest.MonkeyPatch, source_path: Path, tmp_path: Path
) -> None:
    """The names may come from an open store (``construct``), the text from ``sources_dirs``."""
    import recruitgraph

    path = _write(home, HEAD + CLAIM)
    kg = recruitgraph.open(memory=True)
    try:
        g = compile_claims(path, graph_for_lookup=kg, write=False, validate=False)
    finally:
        kg.close()
    assert (RGD["test-north-korea"], RG.sentTroopsTo, RGD["test-russia"]) in g
    assert (RGD[SOURCE], RG.namedGraph, None) in g
    empty = tmp_path / "no-texts"
    empty.mkdir()
    monkeypatch.setenv("RECRUITGRAPH_SOURCES", str(empty))
    g = compile_claims(path, sources_dirs=[source_path.parent], write=False, validate=False)
    assert (RGD["claim-nk-sent-troops"], RG.hasEvidence, RGD["claim-nk-sent-troops-ev1"]) in g


def test_non_conforming_data_names_the_file_and_carries_the_report(home: Path) -> None:
    # the shapes require a figure's unit; the compiler does not
    path = _write(home, HEAD + FIGURE.replace("      unit: person\n", ""))
    with pytest.raises(NotConforming) as info:
        compile_claims(path)
    report = info.value.report
    assert isinstance(report, ValidationReport) and report.conforms is False
    first, rest = str(info.value).split("\n", 1)
    assert first == f"{path}: the compiled data does not conform to the shapes; nothing written."
    assert rest == report.text()
    assert "unit" in rest
    assert not (home / "data" / f"{SOURCE}.ttl").exists()


def test_the_cli_reports_a_mistake_on_one_line(home: Path) -> None:
    path = _write(home, HEAD + CLAIM + "    passage_exact: true\n")
    code, out, err = run_cli("compile", str(path), "--check")
    assert (code, out) == (2, "")
    assert err == f"recruitgraph: error: {path}:17: {NO_WORDS.format(path=path)}\n"
