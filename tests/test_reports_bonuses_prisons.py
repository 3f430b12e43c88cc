"""Reports on sign-on bonuses and on prisoner recruitment (issue 12, reading-list rows 15 to 20).

The project holds no text of these reports: the expected values below come from reading the
stored public copy of each page (the URL is given next to each report) and are checked against
the compiled graph in the in-memory store, through the figure ledgers (measures), the direct
triples of key relations, the source records and the names used for existing entities.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pytest

import recruitgraph
from recruitgraph import config
from recruitgraph.namespaces import RGD
from reports import fold, local, says, stages

#: (measure, source) -> the figures that source states for that measure:
#: (value, comparator, claimant or None for the outlet's own voice, claim date or "" when the
#: report gives none, status, about)
Figure = tuple[Decimal, str, str | None, str, str, str]

LEDGER_SQL = """
SELECT ?value ?comparator ?claimant ?date ?status ?about WHERE {
  ?fig rg:ofMeasure <%(measure)s> ;
       rg:value ?value ;
       rg:comparator ?comparator ;
       rg:about ?about ;
       rg:hasEvidence ?ev .
  ?ev rg:source <%(source)s> ;
      rg:verificationStatus ?status .
  OPTIONAL { ?ev rg:claimant ?claimant }
  OPTIONAL { ?ev rg:claimDate ?date }
}
"""


def ledger(kg: recruitgraph.KnowledgeGraph, measure: str, source: str) -> set[Figure]:
    """The figures of one measure whose evidence comes from one source, with what each is about
    (a per-subject measure such as regional bonuses) and with no date where the report gives none
    (Re: Russia), which ``reports.ledger`` does not show."""
    text = LEDGER_SQL % {"measure": RGD[f"measure-{measure}"], "source": RGD[source]}
    rows = kg.query(text)
    return {
        (
            Decimal(str(row["value"])),
            str(local(row["comparator"])).removeprefix("cmp-"),
            local(row.get("claimant")),
            str(row["date"]) if row.get("date") is not None else "",
            str(local(row["status"])).removeprefix("status-"),
            str(local(row["about"])),
        )
        for row in rows
    }


def source_fact(kg: recruitgraph.KnowledgeGraph, source: str, predicate: str) -> list[str]:
    """The values of one property of a source record, as strings."""
    rows = kg.query(f"SELECT ?v WHERE {{ rgd:{source} {predicate} ?v }}")
    return sorted(str(v) for v in rows.column("v"))


# --- the ledgers: (source, measure) -> the figures that source gives for that measure ------------

D15 = "2026-01-14"
OWN_2024 = (None, "2024", "source-report")
OWN_UNDATED = (None, "", "source-report")
REGIONS = ("tatarstan", "chuvashia", "mari-el", "samara-region", "orenburg-region")

LEDGERS: dict[tuple[str, str], set[Figure]] = {
    # row 15, The Moscow Times, 14 January 2026, retelling 7x7's report of the same day:
    # https://www.themoscowtimes.com/2026/01/14/russian-regions-reintroduce-huge-sign-on-bonuses-for-contract-soldiers-after-lowering-payments-in-2025-a91678
    # five regions cut to the federal minimum (400,000) in October 2025, raised in January 2026
    ("tmt-2026-01-regional-bonuses", "regional-sign-on-bonus"): {
        (Decimal(400000), "exactly", "seven-by-seven", D15, "media-report", region)
        for region in REGIONS
    } | {
        (Decimal(value), "exactly", "seven-by-seven", D15, "media-report", region)
        for value, region in ((2100000, "chuvashia"), (2500000, "tatarstan"),
                              (1100000, "samara-region"), (1000000, "orenburg-region"),
                              (2100000, "mari-el"))
    },
    ("tmt-2026-01-regional-bonuses", "combined-sign-on-payment"): {
        (Decimal(2500000), "exactly", "seven-by-seven", D15, "media-report", "chuvashia"),
    },
    ("tmt-2026-01-regional-bonuses", "federal-sign-on-bonus"): {
        (Decimal(400000), "exactly", None, D15, "source-report", "federal-sign-on-bonus"),
    },
    ("tmt-2026-01-regional-bonuses", "contract-soldiers-recruited-per-year"): {
        (Decimal(417000), "exactly", "russian-officials", "2026-01", "official-statement",
         "voluntary-contract-enlistment"),
    },
    # row 16, the Moscow Times story carried by CultureRu (2024, from the decree's own dates):
    # https://cultureru.com/putin-orders-4-6k-sign-on-bonus-for-new-army-recruits
    ("tmt-cultureru-federal-bonus-decree", "federal-sign-on-bonus"): {
        (Decimal(400000), "exactly", "vladimir-putin", "2024", "official-statement",
         "federal-sign-on-bonus"),
        (Decimal(195000), "exactly", *OWN_2024, "federal-sign-on-bonus"),
    },
    ("tmt-cultureru-federal-bonus-decree", "recommended-regional-top-up"): {
        (Decimal(400000), "exactly", "vladimir-putin", "2024", "official-statement",
         "recommended-regional-top-up"),
    },
    ("tmt-cultureru-federal-bonus-decree", "contract-soldier-minimum-monthly-pay"): {
        (Decimal(210000), "exactly", *OWN_2024, "military-pay"),
    },
    ("tmt-cultureru-federal-bonus-decree", "russian-average-monthly-income"): {
        (Decimal(73000), "exactly", *OWN_2024, "russia"),
    },
    ("tmt-cultureru-federal-bonus-decree", "russia-2022-mobilization-call-up"): {
        (Decimal(300000), "about", *OWN_2024, "russia-partial-mobilization-2022"),
    },
    ("tmt-cultureru-federal-bonus-decree", "russian-military-deaths-estimate"): {
        (Decimal(120000), "about", "unnamed-independent-investigations", "2024",
         "independent-count", "russian-armed-forces"),
    },
    # row 17, Re: Russia, dated 27 June with no year (no claim date, no period):
    # https://re-russia.net/en/analytics/0167/
    ("re-russia-regional-contract-race", "regional-sign-on-bonus"): {
        (Decimal(1500000), "at-least", *OWN_UNDATED, "russian-regional-governments"),
    },
    ("re-russia-regional-contract-race", "regional-sign-on-bonus-average"): {
        (Decimal(485000), "about", *OWN_UNDATED, "regional-enlistment-bonuses"),
    },
    ("re-russia-regional-contract-race", "military-pay-to-salary-ratio"): {
        (Decimal(3), "nearly", *OWN_UNDATED, "military-pay"),
    },
    ("re-russia-regional-contract-race", "sign-on-payment-to-income-ratio"): {
        (Decimal(1), "roughly", *OWN_UNDATED, "regional-enlistment-bonuses"),
    },
    # row 18, The Moscow Times, 27 October 2022:
    # https://www.themoscowtimes.com/2022/10/27/theres-no-way-back-wagner-group-looks-to-russias-jails-to-bolster-ukraine-force-a79214
    ("tmt-2022-10-wagner-jails", "prisoners-recruited-by-wagner"): {
        (Decimal(20000), "exactly", "olga-romanova", "2022-10", "activist-allegation",
         "prisoners"),
    },
    ("tmt-2022-10-wagner-jails", "wagner-prisoner-tour-length"): {
        (Decimal(6), "exactly", None, "2022-10-27", "alleged", "wagner-prisoner-service-term"),
    },
    # row 19, PONARS Eurasia (2023, from its own dates):
    # https://ponarseurasia.org/using-russian-prisoners-to-fight-in-ukraine-legal-or-illegal
    ("ponars-prisoners-legality", "prisoners-recruited-by-wagner"): {
        (Decimal(40000), "about", None, "2023", "source-report", "prisoners"),
    },
    ("ponars-prisoners-legality", "prisoners-recruited-total"): {
        (Decimal(38244), "exactly", "mykhailo-podolyak", "2023-01",
         "foreign-government-estimate", "prisoners"),
    },
    ("ponars-prisoners-legality", "prisoner-deaths-confirmed-by-name"): {
        (Decimal(1849), "at-least", "mediazona", "2023-03", "independent-count", "prisoners"),
    },
    # row 20, Essanews (2024, from its own dates); US estimates for the end of 2022:
    # https://essanews.com/russian-prisoners-conscripted-for-war-with-ukraine-face-front-lines-not-pardons,6988613897074817a
    ("essanews-prisoners-no-pardons", "prisoners-recruited-by-wagner"): {
        (Decimal(40000), "exactly", "us-government", "2024", "foreign-government-estimate",
         "prisoners"),
    },
    ("essanews-prisoners-no-pardons", "wagner-personnel-enlisted"): {
        (Decimal(50000), "about", "us-government", "2024", "foreign-government-estimate",
         "prigozhin-mercenary-force"),
    },
}


@pytest.mark.parametrize(("source", "measure"), sorted(LEDGERS))
def test_ledger(kg: recruitgraph.KnowledgeGraph, source: str, measure: str) -> None:
    """The ledger of the measure holds exactly the figures the report gives, as it gives them."""
    assert ledger(kg, measure, source) == LEDGERS[source, measure]


# --- key relations, per report: (source, subject, relation, object) -----------------------------

RELATIONS = [
    ("tmt-2026-01-regional-bonuses", "regional-bonus-cuts-2025", "location", "mari-el"),
    ("tmt-2026-01-regional-bonuses", "regional-bonus-restoration-2026", "location", "tatarstan"),
    ("tmt-2026-01-regional-bonuses", "active-personnel-expansion-order", "issuedBy",
     "vladimir-putin"),
    ("tmt-2026-01-regional-bonuses", "russian-regional-governments", "offers",
     "regional-enlistment-bonuses"),
    ("tmt-cultureru-federal-bonus-decree", "federal-bonus-decree-2024", "grants",
     "federal-sign-on-bonus"),
    ("tmt-cultureru-federal-bonus-decree", "federal-bonus-decree-2024", "issuedBy",
     "vladimir-putin"),
    ("re-russia-regional-contract-race", "regional-contract-race", "participant",
     "russian-regional-governments"),
    ("re-russia-regional-contract-race", "regional-bonus-recruitment", "drawsOn",
     "russian-periphery-residents"),
    ("tmt-2022-10-wagner-jails", "prigozhin-mercenary-force", "recruits", "prisoners"),
    ("tmt-2022-10-wagner-jails", "yevgeny-prigozhin", "leads", "prigozhin-mercenary-force"),
    ("tmt-2022-10-wagner-jails", "olga-romanova", "leads", "russia-behind-bars"),
    ("ponars-prisoners-legality", "donbas-liability-exemption-law", "issuedBy", "state-duma"),
    ("ponars-prisoners-legality", "wagner-prison-recruitment-halt-2023", "participant",
     "yevgeny-prigozhin"),
    ("essanews-prisoners-no-pardons", "prison-recruitment", "feedsInto", "storm-v-units"),
    ("essanews-prisoners-no-pardons", "prisoner-units-reorganisation-2023", "participant",
     "storm-z-units"),
]


@pytest.mark.parametrize(("source", "s", "p", "o"), RELATIONS)
def test_relation(kg: recruitgraph.KnowledgeGraph, source: str, s: str, p: str, o: str) -> None:
    assert says(kg, source, s, p, o)


# --- source records ------------------------------------------------------------------------------

#: (source, property) -> its values; an empty list where the copy gives no date.
SOURCE_FACTS = {
    ("tmt-2026-01-regional-bonuses", "dcterms:issued"): ["2026-01-14"],
    ("tmt-2026-01-regional-bonuses", "dcterms:publisher"): [str(RGD["the-moscow-times"])],
    # one origin, the Moscow Times story; CultureRu only carries it
    ("tmt-cultureru-federal-bonus-decree", "rg:origin"):
        [str(RGD["tmt-2024-07-federal-bonus-decree"])],
    ("tmt-cultureru-federal-bonus-decree", "rg:carriedBy"): [str(RGD["cultureru"])],
    ("tmt-cultureru-federal-bonus-decree", "dcterms:publisher"): [str(RGD["the-moscow-times"])],
    ("tmt-cultureru-federal-bonus-decree", "dcterms:issued"): [],
    ("re-russia-regional-contract-race", "dcterms:issued"): [],
    ("tmt-2022-10-wagner-jails", "dcterms:issued"): ["2022-10-27"],
    ("ponars-prisoners-legality", "dcterms:issued"): [],
    ("essanews-prisoners-no-pardons", "dcterms:issued"): [],
}


@pytest.mark.parametrize(("source", "prop"), sorted(SOURCE_FACTS))
def test_source_record(kg: recruitgraph.KnowledgeGraph, source: str, prop: str) -> None:
    assert source_fact(kg, source, prop) == SOURCE_FACTS[source, prop]


def test_undated_report_has_undated_evidence(kg: recruitgraph.KnowledgeGraph) -> None:
    """Re: Russia's copy has no year: none of its evidence carries a claim date."""
    assert not kg.query("ASK { ?ev rg:source rgd:re-russia-regional-contract-race ; "
                        "rg:claimDate ?d }")


# --- names and pipelines -------------------------------------------------------------------------


def test_names_land_on_existing_entities(kg: recruitgraph.KnowledgeGraph) -> None:
    """The reports call the mercenary force Wagner and the units Sztorm-V: aliases, not new actors."""
    assert kg.query('ASK { rgd:prigozhin-mercenary-force skos:altLabel ?n '
                    'FILTER (lcase(str(?n)) = "wagner") }')
    assert kg.query('ASK { rgd:storm-v-units skos:altLabel "Sztorm-V"@en }')


def test_regional_bonus_race_pipeline(kg: recruitgraph.KnowledgeGraph) -> None:
    assert stages(kg, "regional-bonus-race", "tmt-cultureru-federal-bonus-decree") == [
        ("origin", "working-class-men-in-poor-communities"),
        ("intermediary", "russian-regional-governments"),
        ("channel", "regional-bonus-recruitment"),
        ("institution", "russian-armed-forces"),
        ("front", "full-scale-invasion"),
    ]


def test_prisons_after_wagner_pipeline(kg: recruitgraph.KnowledgeGraph) -> None:
    """After the mercenary force: prisoners to Storm-V units, as the BBC's analysis says."""
    assert stages(kg, "prisons-after-wagner", "essanews-prisoners-no-pardons") == [
        ("origin", "prisoners"),
        ("channel", "prison-recruitment"),
        ("institution", "storm-v-units"),
        ("front", "full-scale-invasion"),
    ]


# --- people who are not public figures ----------------------------------------------------------

#: SHA-256 of the folded first names of private people the copies print (an inmate and his
#: relative in the Moscow Times feature, a prisoner-soldier quoted by Essanews): the names
#: themselves stay out of the repository, and none may enter the compiled reports.
PRIVATE_NAME_HASHES = {
    "b9352494463399aa6a44ed5e39425b8a0bc39b2fc3d0184ba2583ce9bc4e4c1d",
    "c30dd5d41299d51cf7b03e77645931d68fae444a276370c623df9b131db4dcd6",
    "43c68201ac20b9a3c3c50e828d5ecd3be0d5766ea98f5c3c0bc06514d447e14d",
}
MY_SOURCES = sorted({source for source, _ in LEDGERS})


@pytest.mark.parametrize("source", MY_SOURCES)
def test_no_private_person_named(source: str) -> None:
    """The compiled file of each report (labels, summaries, notes, quotes) names none of them."""
    text = fold((config.data_dir() / f"{source}.ttl").read_text(encoding="utf-8"))
    words = set(re.findall(r"\w+", text))
    assert {w for w in words if hashlib.sha256(w.encode()).hexdigest() in PRIVATE_NAME_HASHES} == set()

