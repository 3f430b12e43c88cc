"""The audit's corrections of the first source (issue 10), each checked against the text.

Every test reads the sentence from the source text at run time (found by a few of its words),
checks that the graph's evidence points at that sentence, and asserts what the graph says and,
for an over-claim, what it no longer says.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from recruitgraph import config
from recruitgraph.locate import locate, sentence_span
from recruitgraph.namespaces import OA, RG, RGD, RGV

DATA = config.data_dir() / "russia-recruitment-2026-01.ttl"


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph().parse(DATA, format="turtle")


def sentence(text: str, phrase: str) -> str:
    """The sentence of the source that holds ``phrase`` (which must occur once)."""
    [(s, e)] = locate(text, phrase)
    return text[slice(*sentence_span(text, s, e))]


def passages(g: Graph, text: str, claim: URIRef) -> list[str]:
    """The words each evidence record of ``claim`` points at, read from the text."""
    out = []
    for ev in sorted(g.objects(claim, RG.hasEvidence), key=str):
        p = g.value(ev, RG.passage)
        out.append(text[int(g.value(p, OA.start)) : int(g.value(p, OA.end))])
    return out


def claim_of(g: Graph, s: URIRef, p: URIRef, o: URIRef) -> URIRef:
    [claim] = [
        c
        for c in g.subjects(RDF.subject, s)
        if (c, RDF.predicate, p) in g and (c, RDF.object, o) in g
    ]
    assert (s, p, o) in g  # the direct triple too
    return claim  # type: ignore[return-value]


def no_claim(g: Graph, s: URIRef, p: URIRef, o: URIRef | None = None) -> bool:
    return (s, p, o) not in g and not any(
        (c, RDF.predicate, p) in g and (o is None or (c, RDF.object, o) in g)
        for c in g.subjects(RDF.subject, s)
    )


def literals(g: Graph) -> str:
    return "\n".join(str(o) for o in g.objects() if isinstance(o, Literal)).casefold()


# -- missing statements ------------------------------------------------------------------------


def test_putin_resists_another_broad_call_up(g: Graph, source_text: str) -> None:
    said = sentence(source_text, "resisted ordering another broad call-up")
    assert "Putin has resisted" in said
    claim = claim_of(g, RGD["vladimir-putin"], RG.refrainsFrom, RGD["new-nationwide-mobilization"])
    assert passages(g, source_text, claim) == [said]


def test_casualty_numbers_stay_largely_hidden(g: Graph, source_text: str) -> None:
    hidden = sentence(source_text, "largely hidden are casualty numbers")
    limited = sentence(source_text, "released only limited official data")
    assert "Moscow" in limited
    fig = RGD["fig-moscow-limited-casualty-data"]
    assert g.value(fig, RG.comparator) == RGV["cmp-unspecified"]
    assert g.value(fig, RG.value) is None  # the source gives no number
    assert g.value(fig, RG.measures) == RGV["qty-killed-or-wounded"]
    assert sorted(passages(g, source_text, fig)) == sorted([hidden, limited])


def test_russia_struggles_to_replenish_and_avoids_a_new_mobilisation(
    g: Graph, source_text: str
) -> None:
    said = sentence(source_text, "struggling to replenish its forces")
    assert "avoiding the political risk of another nationwide mobilization" in said
    struggle = claim_of(g, RGD["russia"], RG.strugglesToReplenish, RGD["russian-armed-forces"])
    refrain = claim_of(g, RGD["russia"], RG.refrainsFrom, RGD["new-nationwide-mobilization"])
    assert passages(g, source_text, struggle) == [said]
    assert passages(g, source_text, refrain) == [said]
    assert "political risk" in str(g.value(refrain, RG.summary))


def test_the_state_quietly_coerces_others(g: Graph, source_text: str) -> None:
    said = sentence(source_text, "quietly coercing others into service")
    assert said.startswith("To meet demand, Moscow")
    claim = claim_of(g, RGD["russia"], RG.usesMethod, RGV["method-forced-enlistment"])
    assert passages(g, source_text, claim) == [said]


def test_foreign_recruits_lack_russian_and_are_treated_as_expendable(
    g: Graph, source_text: str
) -> None:
    lack = sentence(source_text, "often lack Russian language skills")
    expendable = sentence(source_text, "commanders treat them as expendable")
    claim = RGD["claim-gorbatsevich-on-foreign-recruits"]
    assert (claim, RDF.predicate, RG.commentsOn) in g
    assert (claim, RDF.object, RGD["foreign-nationals"]) in g
    found = passages(g, source_text, claim)
    assert lack in found and expendable in found
    for ev in g.objects(claim, RG.hasEvidence):
        assert g.value(ev, RG.claimant) == RGD["anton-gorbatsevich"]


# -- over-claims -------------------------------------------------------------------------------


def test_the_treaty_and_the_deployment_are_a_sequence(g: Graph, source_text: str) -> None:
    said = sentence(source_text, "North Korea sent thousands of soldiers")
    assert said.startswith("After signing a mutual defense treaty with Moscow in 2024")
    treaty = RGD["russia-north-korea-mutual-defense-treaty"]
    assert no_claim(g, treaty, RG.enables)
    claim_of(g, RGD["north-korea"], RG.sentTroopsTo, RGD["russia"])
    channel = RGD["north-korean-troop-deployment"]
    assert "treaty" not in str(g.value(channel, RDFS.label)).casefold()
    assert "unit" not in str(g.value(channel, RDFS.comment)).casefold()
    assert "units" not in said
    pipeline = RGD["pipeline-north-korean-troops"]
    assert "treaty" not in str(g.value(pipeline, RDFS.label)).casefold()
    assert "under the 2024 treaty" not in literals(g)


def test_the_decree_made_contracts_open_ended(g: Graph, source_text: str) -> None:
    said = sentence(source_text, "made military contracts effectively open-ended")
    decree = RGD["mobilization-decree-2022"]
    claim = claim_of(g, decree, RG.appliesTo, RGD["russian-soldiers"])
    assert passages(g, source_text, claim) == [said]
    assert no_claim(g, decree, RG.enables)
    assert "voluntary" not in said


def test_what_prigozhin_pioneered_is_modelled_as_the_text_says(g: Graph, source_text: str) -> None:
    said = sentence(source_text, "pioneered early in the war")
    before = sentence(source_text, "expanded to prisoners and detainees")
    assert said.startswith("The practice was pioneered") and "pretrial" in before
    prison = claim_of(g, RGD["prison-recruitment"], RG.pioneeredBy, RGD["yevgeny-prigozhin"])
    assert passages(g, source_text, prison) == [said]
    assert "pretrial" in str(g.value(prison, RG.summary))  # the ambiguity is said, not resolved
    pretrial = RGD["pretrial-detention-recruitment"]
    assert no_claim(g, pretrial, RG.pioneeredBy)
    assert no_claim(g, pretrial, RG.institutionalizedBy)


def test_nepal_travel_ban_cites_recruitment_risks(g: Graph, source_text: str) -> None:
    said = sentence(source_text, "banned its citizens from traveling to Russia or Ukraine")
    assert "citing recruitment risks" in said and "job" not in said.casefold()
    ban = RGD["nepal-travel-ban"]
    assert no_claim(g, ban, RG.targets, RGD["false-job-offer-recruitment"])
    claim = claim_of(g, ban, RG.takenBy, RGD["nepal"])
    assert passages(g, source_text, claim) == [said]


def test_the_movement_is_known_by_its_legal_department_only(g: Graph, source_text: str) -> None:
    said = sentence(source_text, "head of the legal department at the Movement")
    movement = RGD["movement-of-conscientious-objectors"]
    claim = claim_of(g, RGD["artyom-klyga"], RG.memberOf, movement)
    assert passages(g, source_text, claim) == [said]
    assert no_claim(g, movement, RG.assistsWith, RGV["assist-legal-aid"])
    assert "legal aid" not in said.casefold()


def test_regional_bonuses_are_the_regional_governments(g: Graph, source_text: str) -> None:
    regions = sentence(source_text, "Regional governments provide enlistment bonuses")
    moscow = sentence(source_text, "offering cash incentives")
    bonuses = RGD["regional-enlistment-bonuses"]
    claim = claim_of(g, RGD["russian-regional-governments"], RG.offers, bonuses)
    assert passages(g, source_text, claim) == [regions]
    assert no_claim(g, RGD["russia"], RG.offers, bonuses)
    cash = claim_of(g, RGD["russia"], RG.offers, RGD["cash-incentives-for-recruits"])
    assert passages(g, source_text, cash) == [moscow]


def test_descriptions_add_nothing_the_source_does_not_say(g: Graph, source_text: str) -> None:
    text = source_text.casefold()
    ours = literals(g)
    for words in ("largest", "by name", "lawyer"):
        assert words not in text, words  # the source never says it ...
        assert words not in ours, words  # ... so neither does the graph
    klyga = str(g.value(RGD["artyom-klyga"], RDFS.comment))
    assert "legal department" in klyga and "legal department" in text


# -- attribution -------------------------------------------------------------------------------


def test_the_comparison_of_contract_figures_is_the_articles(g: Graph, source_text: str) -> None:
    said = sentence(source_text, "more than 400,000 people signed military contracts")
    assert said.startswith("Putin said in December")
    assert "a figure similar to those announced in 2023 and 2024" in said
    fig = RGD["fig-putin-contracts-2025"]
    assert passages(g, source_text, fig) == [said]
    scope = str(g.value(fig, RG.scope))
    assert "Putin" not in scope and "2023" not in scope
    assert "the source itself (not Putin)" in str(g.value(fig, RG.summary))


def test_the_link_of_the_cuban_ring_to_the_false_job_route_is_the_articles(
    g: Graph, source_text: str
) -> None:
    said = sentence(source_text, "Cuban authorities in 2023 said")
    assert "one such trafficking ring" in said
    ring = RGD["cuban-case-trafficking-ring"]
    link = claim_of(g, ring, RG.usesMethod, RGV["method-false-promise-of-work"])
    for ev in g.objects(link, RG.hasEvidence):
        assert g.value(ev, RG.claimant) is None  # the source's own link
        assert g.value(ev, RG.verificationStatus) == RGV["status-source-report"]
    action = claim_of(
        g,
        RGD["cuba-trafficking-ring-dismantling-2023"],
        RG.targets,
        RGD["cuban-case-trafficking-ring"],
    )
    [ev] = list(g.objects(action, RG.hasEvidence))
    assert g.value(ev, RG.claimant) == RGD["cuban-authorities"]  # what Cuba said stays Cuba's


# -- status and scope --------------------------------------------------------------------------


def test_the_ukrainian_count_carries_the_even_if_accurate_hedge(g: Graph, source_text: str) -> None:
    count = sentence(source_text, "more than 18,000 foreign nationals")
    hedge = sentence(source_text, "Even if accurate")
    assert "small fraction of the 700,000" in hedge
    fig = RGD["fig-ukraine-foreign-fighters"]
    assert passages(g, source_text, fig) == [count]
    [ev] = list(g.objects(fig, RG.hasEvidence))
    assert g.value(ev, RG.verificationStatus) == RGV["status-official-unverifiable"]
    # the article's comparison of the two figures, as one statement a query can find
    troops = RGD["fig-putin-troops-fighting-2025"]
    assert g.value(troops, RG.value) == Literal(700000)
    comparison = claim_of(g, fig, RG.comparedWith, troops)
    assert passages(g, source_text, comparison) == [hedge]
    assert "small fraction" in str(g.value(comparison, RG.summary))


def test_the_uk_estimate_is_a_hedged_lower_bound_without_a_period(
    g: Graph, source_text: str
) -> None:
    said = sentence(source_text, "may have been killed or wounded")
    assert "more than 1 million" in said and "last summer" in said and "since" not in said
    fig = RGD["fig-uk-mod-killed-or-wounded-2025"]
    assert passages(g, source_text, fig) == [said]
    assert g.value(fig, RG.comparator) == RGV["cmp-more-than"]
    assert g.value(fig, RG.value) == Literal(1000000)
    assert g.value(fig, RG.period) is None
    scope = str(g.value(fig, RG.scope)).casefold()
    assert "since the start" not in scope and "upper" not in scope
    assert "lower bound" in scope


def test_the_nepal_request_is_dated_by_the_interview_only(g: Graph, source_text: str) -> None:
    said = sentence(source_text, "requested the return of hundreds of Nepali nationals")
    assert "told The Associated Press in 2024 that his government requested" in said
    request = RGD["nepal-repatriation-request"]
    assert g.value(request, RG.date) is None  # the source does not say when it was made
    claim = claim_of(g, request, RG.takenBy, RGD["nepal"])
    [ev] = list(g.objects(claim, RG.hasEvidence))
    assert g.value(ev, RG.claimDate) == Literal("2024", datatype=XSD.gYear)  # the interview
    assert passages(g, source_text, claim) == [said]


# -- further places found while correcting (reported with issue 10) ----------------------------


def test_reliance_on_voluntary_enlistment_is_the_articles_statement(
    g: Graph, source_text: str
) -> None:
    said = sentence(source_text, "relied primarily on what it describes as voluntary enlistment")
    claim = claim_of(g, RGD["voluntary-contract-enlistment"], RG.operatedBy, RGD["russia"])
    assert passages(g, source_text, claim) == [said]
    [ev] = list(g.objects(claim, RG.hasEvidence))
    assert g.value(ev, RG.claimant) is None
    assert g.value(ev, RG.verificationStatus) == RGV["status-source-report"]


def test_the_discharge_pledge_concerns_misled_indians_at_the_visit(
    g: Graph, source_text: str
) -> None:
    said = sentence(source_text, "When Putin hosted Indian Prime Minister Narendra Modi")
    assert "“misled”" in said and "after" not in said.casefold()
    meeting = str(g.value(RGD["putin-modi-meeting-2024"], RDFS.comment))
    assert "misled" in meeting and "after which" not in meeting
