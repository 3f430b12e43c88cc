"""The word index behind search and autocomplete, on the shipped graph."""

from __future__ import annotations

from typing import Any

import pytest

from recruitgraph.search import build_index, fold, words


@pytest.fixture(scope="module")
def index(kg: Any) -> Any:
    return build_index(kg.store)


def test_fold_removes_case_and_diacritics() -> None:
    assert fold("NÉPÁL") == fold("nepal") == "nepal"
    assert fold("Ёлка") == "елка"


@pytest.mark.parametrize("typed", ["nep", "NEP", "Nép", "nepal", "  Nepal "])
def test_prefix_finds_nepal_first(index: Any, typed: str) -> None:
    hits = index.search(typed).hits
    assert hits[0].local == "nepal"
    assert hits[0].label == "Nepal"


def test_alias_matches_and_is_reported(index: Any) -> None:
    hit = next(h for h in index.search("putin").hits if h.local == "vladimir-putin")
    assert hit.label == "Vladimir Putin" and hit.matched == "Putin"


def test_every_word_must_match(index: Any) -> None:
    labels = [h.label for h in index.search("ministry uk").hits]
    assert "UK Ministry of Defence" in labels
    for hit in index.search("ministry uk", limit=100).hits:
        said = words(hit.label + " " + hit.matched)
        assert any(w.startswith("uk") for w in said) and any(w.startswith("ministry") for w in said)
    assert index.search("nepal zzz").total == 0


def test_counts_by_class_cover_every_match(index: Any) -> None:
    results = index.search("ru", limit=3)
    assert len(results.hits) == 3
    assert sum(n for _, n in results.by_class) == results.total > 3
    cohort = "https://w3id.org/recruitgraph/ontology/RecruitCohort"
    only = index.search("ru", limit=100, cls=cohort)
    assert {h.cls for h in only.hits} == {cohort}
    assert len(only.hits) == dict(results.by_class)[cohort]


def test_closest_ids_for_a_misspelt_id(index: Any) -> None:
    assert index.closest("nepall")[0].local == "nepal"
    assert "vladimir-putin" in [h.local for h in index.closest("vladimir-putn")]
