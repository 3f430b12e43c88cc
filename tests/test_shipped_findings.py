"""The named queries `contradictions` and `corroboration` on the shipped data, every row checked.

The expected pairs and facts below were worked out by reading the claims files
(data/claims/*.yaml): for figures, the measure, the value or range with its comparator turned into
bounds by the rule of docs/model.md ("Bounds"), and the period (`period`, `period_start`/
`period_end`, else the claim date, at its precision); for relation facts, the subject, relation and
object of each claim and the origin of its source (a reference's `origin:`, else the source
itself). They are not copied from the program's output. When a claims file changes, this list is
worked out again from the files, so a changed answer is a visible decision, never a silent one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

import recruitgraph
from recruitgraph.namespaces import RG, RGD, RGV

KG = recruitgraph.KnowledgeGraph

#: Short names of the origins (a wire story's copies share one origin: its story id).
ORIGINS = {
    "aj": "aljazeera-2023-09-cuba-arrests",
    "ap-np": "ap-2024-01-nepal-ban",  # AP via KVIA
    "ap-iq": "ap-2025-09-iraq-life-sentence",  # AP via WTOP
    "babel": "babel-2024-05-india-arrests",
    "efe": "efe-2024-01-nepal-ban",
    "essa": "essanews-prisoners-no-pardons",
    "fbd": "tmt-2024-07-federal-bonus-decree",  # The Moscow Times via CultureRu
    "first": "russia-recruitment-2026-01",
    "ind": "independent-2025-11-south-africa-zuma",
    "ki": "kyivindependent-mediazona-count",
    "kt": "kenyantrend-kenyans-recruited",
    "lp": "lankapuvath-2024-05-sri-lanka-delegation",
    "md": "meduza-2023-09-naturalized-mobilized",
    "ng": "novaya-2023-09-citizenship-test",
    "ponars": "ponars-prisoners-legality",
    "pti": "pti-2024-01-nepal-permits",  # PTI via LatestLY
    "reuters-lk": "reuters-2024-05-16-sri-lanka-delegation",  # Reuters via OnLanka
    "rl": "russianlife-2024-03-foreigners-tricked",
    "rr": "re-russia-regional-contract-race",
    "sc": "scmp-kenyans-intelligence-report",
    "sh": "shafaq-2025-12-iraq-network",
    "tmtcu": "tmt-2023-09-cuba-arrests",
    "tmtil": "tmt-2024-05-idite-lesom-deserters",
    "tmtrb": "tmt-2026-01-regional-bonuses",
    "tmtwj": "tmt-2022-10-wagner-jails",
    "uh": "unherd-2024-09-deserters-railroad",
    "vs": "vesti-north-korean-reinforcements",
    "wire": "thewire-india-coerced-recruitment",
    "wp": "wapo-2024-12-16-north-korean-losses",  # The Washington Post via The Spokesman-Review
}

#: Every pair of contradicting figures: same measure, overlapping periods, disjoint intervals.
CONTRADICTIONS = {
    # Indian nationals killed, March 2024: Babel's own "at least two" [2, inf) against the
    # embassy's confirmed one [1, 1], both in the same report
    ("fig-babel-in-killed-at-least-two", "fig-babel-in-killed-embassy"),
    # the embassy's one [1, 1] (March 2024) against the two Reuters confirmed on 7 March 2024
    ("fig-babel-in-killed-embassy", "fig-rl-in-killed-reuters"),
    # Indian nationals recruited: India's "almost 20" [18, 20) for February 2024 against the
    # federal agency's "at least 35" [35, inf), which the first source dates only to 2024, so its
    # period (the whole year) holds February; read by month (Babel: March 2024) it is a series
    ("fig-babel-in-return-efforts", "fig-indian-citizens-lured"),
    # Nepali nationals killed, January 2024: EFE's "at least a dozen" [12, inf) against the
    # Nepali newspaper's 10 [10, 10] quoted by PTI
    ("fig-efe-np-killed-dozen", "fig-pti-np-killed-dofe"),
    # the same "at least a dozen" against Russian Life's 10 killed when Nepal acted (January 2024)
    ("fig-efe-np-killed-dozen", "fig-rl-np-killed"),
}

#: Every corroborated figure with the origins of the figures that agree with it (itself included).
CORROBORATED_FIGURES = {
    # Cuba's 17 arrests, September 2023, [17, 17] in three reports
    "fig-aj-cu-arrests-17": {"aj", "rl", "tmtcu"},
    "fig-rl-cu-arrests": {"aj", "rl", "tmtcu"},
    "fig-tmt-cu-arrests-17": {"aj", "rl", "tmtcu"},
    # four Nepalis captured by Ukraine, January 2024, in AP and EFE
    "fig-ap-np-captured": {"ap-np", "efe"},
    "fig-efe-np-captured": {"ap-np", "efe"},
    # Nepalis killed, January 2024: "at least 10" [10, inf) agrees with every count of that month
    "fig-ap-np-killed": {"ap-np", "efe", "pti", "rl"},
    "fig-efe-np-killed-officials": {"ap-np", "efe", "pti", "rl"},
    "fig-pti-np-killed-confirmed": {"ap-np", "efe", "pti", "rl"},
    # exactly 10 agrees with the "at least 10" counts and with the other exact 10
    "fig-pti-np-killed-dofe": {"ap-np", "efe", "pti", "rl"},
    "fig-rl-np-killed": {"ap-np", "efe", "pti", "rl"},
    # "at least a dozen" [12, inf) agrees with the "at least 10" counts only (AP, EFE, PTI)
    "fig-efe-np-killed-dozen": {"ap-np", "efe", "pti"},
    # Indians killed, March 2024: Babel's "at least two" holds Reuters' two of 7 March
    "fig-babel-in-killed-at-least-two": {"babel", "rl"},
    "fig-rl-in-killed-reuters": {"babel", "rl"},
    # Indians lured by the network: about 35 [31.5, 38.5] and 35 (March 2024), at least 35 (2024)
    "fig-babel-in-travelled-35": {"babel", "first", "rl"},
    "fig-rl-in-victims": {"babel", "first", "rl"},
    "fig-indian-citizens-lured": {"babel", "first", "rl"},
    # Russian dead estimated at about 120,000 [108000, 132000] for 2024 and for August 2024
    "fig-fbd-killed-estimate-2024": {"fbd", "uh"},
    "fig-uh-deaths-estimate-2024-08": {"fbd", "uh"},
    # the 2022 call-up: about 300,000 (Meduza, 2022; The Moscow Times, September 2022) and
    # 300,000 (first source, 2022)
    "fig-md-mobilization-call-up": {"first", "fbd", "md"},
    "fig-fbd-mobilization-2022-size": {"first", "fbd", "md"},
    "fig-mobilization-target-2022": {"first", "fbd", "md"},
    # Kenya's count for November 2025, "more than 200" in Kenyan Trend and in the SCMP
    "fig-kt-kenyans-fighting-over-200": {"kt", "sc"},
    "fig-sc-kenya-november-over-200": {"kt", "sc"},
    # Sri Lankan veterans killed, "at least 16", May 2024, in Lanka Puvath and Reuters
    "fig-lp-veterans-killed-16": {"lp", "reuters-lk"},
    "fig-ol-veterans-died-16": {"lp", "reuters-lk"},
    # Nepalis serving: "hundreds" [200, 999] (2024) and about 150 to 200 [135, 220] (January 2024)
    "fig-nepali-nationals-recruited": {"first", "pti"},
    "fig-pti-np-serving-ambassador": {"first", "pti"},
    # contracts signed in 2025: Putin's "more than 400,000" (400000, inf) holds officials' 417,000
    "fig-putin-contracts-2025": {"first", "tmtrb"},
    "fig-tmtrb-contract-soldiers-2025": {"first", "tmtrb"},
}

#: Every relation fact stated by two or more origins, with the origins; the comment names the
#: claims (ids in the claims files) that state it.
CORROBORATED_FACTS = {
    # claims aj-cu-prosecution-by-reyes, tmt-cu-prosecution-by-attorney-general
    ("cuba-recruitment-prosecution-2023", "takenBy", "cuban-attorney-generals-office"): {"aj", "tmtcu"},
    # claims aj-cu-dismantling-by-foreign-ministry-announcement, cuba-dismantling-taken-by-cuban-authorities
    ("cuba-trafficking-ring-dismantling-2023", "takenBy", "cuban-authorities"): {"aj", "first"},
    # claims aj-cu-dismantling-targets-ring, cuba-dismantling-targets-ring, tmt-cu-dismantling-targets-ring
    ("cuba-trafficking-ring-dismantling-2023", "targets", "cuban-case-trafficking-ring"): {"aj", "first", "tmtcu"},
    # claims aj-cu-ring-in-russia, cuban-ring-based-in-russia, tmt-cu-ring-based-in-russia
    ("cuban-case-trafficking-ring", "country", "russia"): {"aj", "first", "tmtcu"},
    # claims aj-cu-ring-recruits-cubans, tmt-cu-ring-recruits-cubans
    ("cuban-case-trafficking-ring", "recruits", "cuban-citizens"): {"aj", "tmtcu"},
    # claims aj-cu-ring-lures-men, tmt-cu-ring-deception
    ("cuban-case-trafficking-ring", "usesMethod", "rgv:method-deception"): {"aj", "tmtcu"},
    # claims aj-cu-cubans-fight-for-russia, tmt-cu-cubans-fight-for-russia
    ("cuban-citizens", "fightsFor", "russian-armed-forces"): {"aj", "tmtcu"},
    # claims job-recruiters-recruit-indians, wire-in-employment-agent-2024
    ("deceptive-job-recruiters", "recruits", "indian-citizens"): {"first", "wire"},
    # claims rl-cu-channel-draws-on-cubans, tmt-cu-false-job-channel-draws-on-cubans
    ("false-job-offer-recruitment", "drawsOn", "cuban-citizens"): {"rl", "tmtcu"},
    # claims babel-in-channel-draws-on-indians, false-job-channel-draws-on-indians, rl-in-channel-draws-on-indians, wire-in-false-jobs-2025
    ("false-job-offer-recruitment", "drawsOn", "indian-citizens"): {"babel", "first", "rl", "wire"},
    # claims false-job-channel-draws-on-kenyans, kt-false-job-channel-draws-on-kenyans
    ("false-job-offer-recruitment", "drawsOn", "kenyan-citizens"): {"kt", "first"},
    # claims false-job-channel-draws-on-nepalis, rl-np-channel-draws-on-nepalis
    ("false-job-offer-recruitment", "drawsOn", "nepali-nationals"): {"first", "rl"},
    # claims babel-in-assistants-armed, false-job-channel-false-promises
    ("false-job-offer-recruitment", "usesMethod", "rgv:method-false-promise-of-work"): {"babel", "first"},
    # claims false-job-channel-forced-signing, rl-in-forced-training
    ("false-job-offer-recruitment", "usesMethod", "rgv:method-forced-enlistment"): {"first", "rl"},
    # claims apiq-foreigners-fight-for-russia, foreign-fighters-part-of-russian-force
    ("foreign-nationals", "fightsFor", "russian-armed-forces"): {"ap-iq", "first"},
    # claims date-full-scale-invasion, pti-np-invasion-date
    ("full-scale-invasion", "date", "2022-02"): {"pti", "first"},
    # claims tmt-idite-lesom-assists-service-avoiders, uh-first-rescue, uh-idite-lesom-assists-service-avoiders
    ("idite-lesom", "assists", "russian-service-avoiders"): {"tmtil", "uh"},
    # claims idite-lesom-assists-soldiers, tmt-idite-lesom-assists-soldiers, uh-idite-lesom-assists-soldiers
    ("idite-lesom", "assists", "russian-soldiers"): {"first", "tmtil", "uh"},
    # claims tmt-idite-lesom-assists-avoiding-service, uh-idite-lesom-assists-avoiding-service
    ("idite-lesom", "assistsWith", "rgv:assist-avoiding-service"): {"tmtil", "uh"},
    # claims idite-lesom-assists-desertion, tmt-idite-lesom-assists-desertion, uh-idite-lesom-assists-desertion
    ("idite-lesom", "assistsWith", "rgv:assist-desertion"): {"first", "tmtil", "uh"},
    # claims babel-in-network-recruits-indians, india-network-recruits-indians, rl-in-network-recruits-indians
    ("india-case-recruitment-network", "recruits", "indian-citizens"): {"babel", "first", "rl"},
    # claims india-discharge-pledge-targets-indians, wire-in-pledge-targets
    ("india-discharge-pledge-2024", "targets", "indian-citizens"): {"first", "wire"},
    # claims babel-in-march-exposure-date, rl-in-dismantling-date
    ("india-network-dismantling-2024", "date", "2024-03"): {"babel", "rl"},
    # claims india-dismantling-taken-by-agency, rl-in-dismantling-by-cbi
    ("india-network-dismantling-2024", "takenBy", "indian-federal-investigation-agency"): {"first", "rl"},
    # claims babel-in-march-exposure, india-dismantling-targets-network, rl-in-dismantling-targets-network
    ("india-network-dismantling-2024", "targets", "india-case-recruitment-network"): {"babel", "first", "rl"},
    # claims indian-citizens-deployed-against-will, rl-in-indians-fight-for-russia, wire-in-indians-fight-for-russia
    ("indian-citizens", "fightsFor", "russian-armed-forces"): {"first", "rl", "wire"},
    # claims iraq-crackdown-taken-by-iraq, sh-crackdown-by-iraq
    ("iraq-recruitment-crackdown", "takenBy", "iraq"): {"first", "sh"},
    # claims iraq-crackdown-targets-networks, sh-crackdown-targets-networks
    ("iraq-recruitment-crackdown", "targets", "iraqi-recruitment-networks"): {"first", "sh"},
    # claims apiq-conviction-by-iraq, iraq-conviction-taken-by-iraq
    ("iraq-trafficking-conviction", "takenBy", "iraq"): {"ap-iq", "first"},
    # claims apiq-conviction-targets-networks, iraq-conviction-targets-networks
    ("iraq-trafficking-conviction", "targets", "iraqi-recruitment-networks"): {"ap-iq", "first"},
    # claims apiq-iraqis-fight-for-russia, iraqi-citizens-in-russian-military, sh-iraqis-fight-for-russia
    ("iraqi-citizens", "fightsFor", "russian-armed-forces"): {"ap-iq", "first", "sh"},
    # claims apiq-networks-recruit-iraqis, iraqi-networks-recruit-iraqis
    ("iraqi-recruitment-networks", "recruits", "iraqi-citizens"): {"ap-iq", "first"},
    # claims kt-kenyans-fight-for-russia, sc-kenyans-fight-for-russia
    ("kenyan-citizens", "fightsFor", "russian-armed-forces"): {"kt", "sc"},
    # claims kt-route-draws-on-kenyans, sc-route-draws-on-kenyans
    ("kenyan-recruitment-route", "drawsOn", "kenyan-citizens"): {"kt", "sc"},
    # claims kt-route-feeds-russian-army, sc-route-feeds-russian-army
    ("kenyan-recruitment-route", "feedsInto", "russian-armed-forces"): {"kt", "sc"},
    # claims apiq-kursk-incursion-location, kursk-incursion-location, wp-kursk-incursion-location
    ("kursk-incursion", "location", "kursk-region"): {"ap-iq", "first", "wp"},
    # claims apiq-kursk-incursion-by-ukraine, kursk-incursion-by-ukraine, vs-kursk-incursion-by-ukraine, wp-kursk-incursion-by-ukraine
    ("kursk-incursion", "participant", "ukraine"): {"ap-iq", "first", "vs", "wp"},
    # claims ki-mediazona-works-with-bbc, mediazona-works-with-bbc
    ("mediazona", "collaboratesWith", "bbc"): {"ki", "first"},
    # claims ki-mediazona-works-with-volunteers, mediazona-works-with-volunteers
    ("mediazona", "collaboratesWith", "mediazona-volunteers"): {"ki", "first"},
    # claims ng-police-raids-hit-migrants, police-raids-target-migrants
    ("migrant-area-police-raids", "appliesTo", "migrant-workers"): {"ng", "first"},
    # claims ng-police-raids-in-russia, police-raids-in-russia
    ("migrant-area-police-raids", "location", "russia"): {"ng", "first"},
    # claims ng-police-raid-migrants, police-raids-by-police
    ("migrant-area-police-raids", "participant", "russian-police"): {"ng", "first"},
    # claims migrant-channel-draws-on-migrants, ng-migrant-channel-draws-on-migrants
    ("migrant-worker-pressure", "drawsOn", "migrant-workers"): {"ng", "first"},
    # claims migrant-channel-feeds-forces, ng-migrant-channel-feeds-forces
    ("migrant-worker-pressure", "feedsInto", "russian-armed-forces"): {"ng", "first"},
    # claims md-migrant-channel-police, migrant-channel-operated-by-police, ng-migrant-channel-police
    ("migrant-worker-pressure", "operatedBy", "russian-police"): {"md", "ng", "first"},
    # claims md-migrant-channel-raids, migrant-channel-police-raids, ng-migrant-channel-raids
    ("migrant-worker-pressure", "usesMethod", "rgv:method-police-raid"): {"md", "ng", "first"},
    # claims md-raids-target-new-citizens, ng-raids-target-new-citizens
    ("migration-raids-2023-08", "appliesTo", "newly-naturalized-citizens"): {"md", "ng"},
    # claims md-raids-date, ng-raids-date
    ("migration-raids-2023-08", "date", "2023-08"): {"md", "ng"},
    # claims md-raids-in-russia, ng-raids-in-russia
    ("migration-raids-2023-08", "location", "russia"): {"md", "ng"},
    # claims md-raids-by-police, ng-raids-by-police
    ("migration-raids-2023-08", "participant", "russian-police"): {"md", "ng"},
    # claims md-naturalisation-channel-new-citizens, naturalisation-channel-draws-on-new-citizens, ng-naturalisation-channel-new-citizens
    ("naturalised-citizen-enlistment", "drawsOn", "newly-naturalized-citizens"): {"md", "ng", "first"},
    # claims naturalisation-channel-operated-by-enlistment-offices, ng-naturalisation-channel-enlistment-offices
    ("naturalised-citizen-enlistment", "operatedBy", "russian-enlistment-offices"): {"ng", "first"},
    # claims nepal-repatriation-request-targets-nationals, pti-np-repatriation-request-targets
    ("nepal-repatriation-request", "targets", "nepali-nationals"): {"pti", "first"},
    # claims ap-np-ban-applies-to-nepalis, efe-np-ban-applies-to-nepalis, nepal-travel-ban-applies-to-nationals, pti-np-ban-applies-to-nepalis
    ("nepal-travel-ban", "appliesTo", "nepali-nationals"): {"ap-np", "efe", "pti", "first"},
    # claims ap-np-ban-date, pti-np-ban-date
    ("nepal-travel-ban", "date", "2024-01"): {"ap-np", "pti"},
    # claims ap-np-ban-issued-by-department, efe-np-ban-issued-by-dofe, pti-np-ban-issued-by-dofe
    ("nepal-travel-ban", "issuedBy", "nepal-department-of-foreign-employment"): {"ap-np", "efe", "pti"},
    # claims ap-np-ban-taken-by-nepal, efe-np-ban-taken-by-nepal, nepal-travel-ban-taken-by-nepal, pti-np-ban-taken-by-nepal, rl-np-ban-after-deaths
    ("nepal-travel-ban", "takenBy", "nepal"): {"ap-np", "efe", "pti", "first", "rl"},
    # claims efe-np-nepalis-fight-for-russia, nepali-nationals-fight-for-russia, pti-np-nepalis-fight-for-russia
    ("nepali-nationals", "fightsFor", "russian-armed-forces"): {"efe", "pti", "first"},
    # claims ap-np-nepalis-fight-for-ukraine, pti-np-nepalis-fight-for-ukraine
    ("nepali-nationals-fighting-for-ukraine", "fightsFor", "ukraine"): {"ap-np", "pti"},
    # claims apiq-north-korea-sent-troops, north-korea-sent-troops, vs-north-korea-sent-troops, wp-north-korea-sent-troops
    ("north-korea", "sentTroopsTo", "russia"): {"ap-iq", "first", "vs", "wp"},
    # claims north-korean-deployment-location, vs-deployment-location, wp-deployment-location
    ("north-korean-deployment-to-kursk", "location", "kursk-region"): {"first", "vs", "wp"},
    # claims north-korean-deployment-participant, wp-deployment-participant
    ("north-korean-deployment-to-kursk", "participant", "north-korea"): {"first", "wp"},
    # claims north-korean-soldiers-fight-for-russia, vs-north-korean-soldiers-fight-for-russia, wp-north-korean-soldiers-fight-for-russia
    ("north-korean-soldiers", "fightsFor", "russian-armed-forces"): {"first", "vs", "wp"},
    # claims north-korean-deployment-draws-on-soldiers, vs-soldiers-from-north-korean-army
    ("north-korean-troop-deployment", "drawsOn", "north-korean-soldiers"): {"first", "vs"},
    # claims north-korean-deployment-feeds-russian-forces, wp-deployment-feeds-russian-forces
    ("north-korean-troop-deployment", "feedsInto", "russian-armed-forces"): {"first", "wp"},
    # claims essa-wagner-offers-release, tmtwj-wagner-offers-release
    ("prigozhin-mercenary-force", "offers", "release-from-prison"): {"essa", "tmtwj"},
    # claims essa-wagner-recruits-prisoners, ponars-wagner-recruits-prisoners, tmtwj-wagner-recruits-prisoners
    ("prigozhin-mercenary-force", "recruits", "prisoners"): {"essa", "ponars", "tmtwj"},
    # claims essa-prison-channel-draws-on-prisoners, ponars-prison-population-drop, prison-channel-draws-on-prisoners, tmtwj-prison-channel-draws-on-prisoners
    ("prison-recruitment", "drawsOn", "prisoners"): {"essa", "ponars", "first", "tmtwj"},
    # claims ponars-prison-channel-operated-by-wagner, tmtwj-prison-channel-operated-by-wagner
    ("prison-recruitment", "operatedBy", "prigozhin-mercenary-force"): {"ponars", "tmtwj"},
    # claims ponars-prisoners-fight-for-wagner, tmtwj-prisoners-fight-for-wagner
    ("prisoners", "fightsFor", "prigozhin-mercenary-force"): {"ponars", "tmtwj"},
    # claims putin-modi-meeting-location, wire-in-modi-visit-location
    ("putin-modi-meeting-2024", "location", "russia"): {"first", "wire"},
    # claims putin-modi-meeting-modi, wire-in-modi-visit-modi
    ("putin-modi-meeting-2024", "participant", "narendra-modi"): {"first", "wire"},
    # claims regional-bonus-channel-feeds-forces, rr-regional-channel-feeds-forces, tmtrb-regional-channel-feeds-forces
    ("regional-bonus-recruitment", "feedsInto", "russian-armed-forces"): {"rr", "first", "tmtrb"},
    # claims fbd-regional-channel-operated-by-regions, regional-bonus-channel-operated-by-regions, rr-regional-channel-operated-by-regions, tmtrb-regional-channel-operated-by-regions
    ("regional-bonus-recruitment", "operatedBy", "russian-regional-governments"): {"rr", "first", "fbd", "tmtrb"},
    # claims essa-release-offered-to-prisoners, release-from-prison-offered-to-prisoners, tmtwj-release-offered-to-prisoners
    ("release-from-prison", "offeredTo", "prisoners"): {"essa", "first", "tmtwj"},
    # claims fbd-russia-offers-federal-bonus, tmtrb-russia-offers-federal-bonus
    ("russia", "offers", "federal-sign-on-bonus"): {"fbd", "tmtrb"},
    # claims fbd-russia-offers-military-pay, russia-offers-military-pay, tmtrb-russia-offers-military-pay
    ("russia", "offers", "military-pay"): {"first", "fbd", "tmtrb"},
    # claims russia-struggles-to-replenish-forces, uh-russia-struggles-to-replenish
    ("russia", "strugglesToReplenish", "russian-armed-forces"): {"first", "uh"},
    # claims russia-coerces-others-into-service, wire-in-fake-charges
    ("russia", "usesMethod", "rgv:method-forced-enlistment"): {"first", "wire"},
    # claims fbd-mobilization-2022-date, md-mobilization-date
    ("russia-partial-mobilization-2022", "date", "2022-09"): {"md", "fbd"},
    # claims ap-np-russian-army-recruits-nepalis, babel-ru-recruits-nepalis, pti-np-russian-army-recruits-nepalis
    ("russian-armed-forces", "recruits", "nepali-nationals"): {"ap-np", "babel", "pti"},
    # claims fbd-regions-offer-bonuses, regional-governments-offer-bonuses, rr-regions-offer-bonuses, tmtrb-regions-offer-bonuses
    ("russian-regional-governments", "offers", "regional-enlistment-bonuses"): {"rr", "first", "fbd", "tmtrb"},
    # claims lp-delegation-location, ol-delegation-location
    ("sri-lanka-delegation-to-russia-2024", "location", "russia"): {"lp", "reuters-lk"},
    # claims lp-delegation-targets-nationals, ol-delegation-targets-nationals
    ("sri-lanka-delegation-to-russia-2024", "targets", "sri-lankan-nationals"): {"lp", "reuters-lk"},
    # claims lp-inquiry-opened, ol-inquiry-taken-by-government
    ("sri-lanka-recruitment-inquiry-2024", "takenBy", "sri-lankan-government"): {"lp", "reuters-lk"},
    # claims lp-inquiry-targets-channel, ol-inquiry-targets-channel
    ("sri-lanka-recruitment-inquiry-2024", "targets", "sri-lankan-veteran-recruitment"): {"lp", "reuters-lk"},
    # claims lp-channel-draws-on-veterans, ol-channel-draws-on-veterans
    ("sri-lankan-veteran-recruitment", "drawsOn", "sri-lankan-military-veterans"): {"lp", "reuters-lk"},
    # claims contract-enlistment-feeds-russian-forces, fbd-contract-enlistment-feeds-forces, tmtrb-contract-enlistment-feeds-forces
    ("voluntary-contract-enlistment", "feedsInto", "russian-armed-forces"): {"first", "fbd", "tmtrb"},
    # claims ponars-prigozhin-leads-wagner, prigozhin-leads-mercenary-force, tmtwj-prigozhin-runs-wagner
    ("yevgeny-prigozhin", "leads", "prigozhin-mercenary-force"): {"ponars", "first", "tmtwj"},
}


def local(term: Any) -> str:
    text = str(term)
    for ns, prefix in ((str(RGD), ""), (str(RGV), "rgv:"), (str(RG), "")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


@pytest.fixture(scope="module")
def corroboration(kg: KG) -> list[dict[str, Any]]:
    return kg.query("corroboration").rows


def test_contradictions_are_exactly_the_expected_pairs(kg: KG) -> None:
    rows = kg.query("contradictions").rows
    got = {tuple(sorted((local(r["figure"]), local(r["other"])))) for r in rows}
    assert got == CONTRADICTIONS
    assert len(rows) == len(CONTRADICTIONS)  # one row per pair


def test_corroborated_figures_and_their_origins(corroboration: list[dict[str, Any]]) -> None:
    origins: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, set[int]] = defaultdict(set)
    for r in corroboration:
        if str(r["kind"]) == "figure":
            origins[local(r["figure"])].add(local(r["origin"]))
            counts[local(r["figure"])].add(int(str(r["origins"])))
    expected = {f: {ORIGINS[o] for o in os} for f, os in CORROBORATED_FIGURES.items()}
    assert dict(origins) == expected
    assert {f: c for f, c in counts.items()} == {f: {len(os)} for f, os in expected.items()}


def test_corroborated_relation_facts_and_their_origins(corroboration: list[dict[str, Any]]) -> None:
    origins: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    counts: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for r in corroboration:
        if str(r["kind"]) == "relation":
            fact = (local(r["subject"]), local(r["predicate"]), local(r["object"]))
            origins[fact].add(local(r["origin"]))
            counts[fact].add(int(str(r["origins"])))
    expected = {f: {ORIGINS[o] for o in os} for f, os in CORROBORATED_FACTS.items()}
    assert set(origins) - set(expected) == set(), "facts corroborated but not expected"
    assert set(expected) - set(origins) == set(), "facts expected but not corroborated"
    assert dict(origins) == expected
    assert dict(counts) == {f: {len(os)} for f, os in expected.items()}


# -- the cases of issue 12, each checked both ways ---------------------------------------------

def pairs(kg: KG, name: str) -> set[tuple[str, str]]:
    return {tuple(sorted((local(r["figure"]), local(r["other"]))))  # type: ignore[misc]
            for r in kg.query(name).rows}


def agreeing(corroboration: list[dict[str, Any]], figure: str) -> set[str]:
    return {local(r["claim"]) for r in corroboration
            if str(r["kind"]) == "figure" and local(r["figure"]) == figure}


def test_kenya_more_than_200_then_more_than_1000_is_a_series(
    kg: KG, corroboration: list[dict[str, Any]]
) -> None:
    # Kenya's foreign ministry: more than 200 (200, inf) for November 2025; the intelligence
    # report read to parliament: more than 1,000 (1000, inf) for February 2026. The periods do not
    # overlap, so the rule makes them a series; the intervals, both open above, would not
    # disagree even for one month ("more than 200" does not deny 1,000).
    flagged = {p for p in pairs(kg, "contradictions") if "fig-sc-kenyans-recruited-over-1000" in p}
    assert flagged == set()
    assert "fig-sc-kenyans-recruited-over-1000" not in agreeing(
        corroboration, "fig-kt-kenyans-fighting-over-200")
    assert agreeing(corroboration, "fig-kt-kenyans-fighting-over-200") == {
        "fig-kt-kenyans-fighting-over-200", "fig-sc-kenya-november-over-200"}


def test_india_35_in_2024_then_126_in_2025_is_a_series(
    kg: KG, corroboration: list[dict[str, Any]]
) -> None:
    # at least 35 (the federal agency, 2024) and 126 (the foreign ministry, January 2025)
    assert not any("fig-wire-in-mea-recruited-126" in p for p in pairs(kg, "contradictions"))
    assert "fig-wire-in-mea-recruited-126" not in agreeing(corroboration, "fig-indian-citizens-lured")


def test_north_korean_8000_and_11000_are_different_periods(
    kg: KG, corroboration: list[dict[str, Any]]
) -> None:
    # about 11,000 [9900, 12100] sent in September-November 2024 (Vesti); about 8,000
    # [7200, 8800] in Kursk in December 2024 (US officials, The Washington Post): disjoint
    # intervals, but no common day, so neither a contradiction nor a corroboration
    both = ("fig-vs-north-koreans-sent-11000", "fig-wp-us-north-koreans-in-kursk-8000")
    assert both not in pairs(kg, "contradictions")
    assert both[1] not in agreeing(corroboration, both[0])


def test_federal_bonus_195000_then_400000_is_a_series(
    kg: KG, corroboration: list[dict[str, Any]]
) -> None:
    # 195,000 rubles (September 2022), 400,000 (August-December 2024), 400,000 (January 2026)
    bonus = {"fig-fbd-federal-bonus-2022", "fig-fbd-federal-bonus-2024",
             "fig-tmtrb-federal-bonus-minimum-2026"}
    assert not any(set(p) & bonus for p in pairs(kg, "contradictions"))
    assert not any(agreeing(corroboration, f) for f in bonus)


def test_putin_400000_contracts_and_officials_417000_corroborate(
    corroboration: list[dict[str, Any]],
) -> None:
    assert agreeing(corroboration, "fig-putin-contracts-2025") == {
        "fig-putin-contracts-2025", "fig-tmtrb-contract-soldiers-2025"}
