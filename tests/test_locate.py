"""locate: exact and loose phrase matching, sentence spans, closest text."""
# ruff: noqa: RUF001  (typographic quotes are the point of these tests)

from __future__ import annotations

from pathlib import Path

from recruitgraph import config
from recruitgraph.locate import closest_text, locate, passage_span, sentence_span, sentences
from support import missing

SOURCE = "russia-recruitment-2026-01.txt"


def _source_text() -> str:
    for d in config.source_dirs():
        path = Path(d) / SOURCE
        if path.is_file():
            return path.read_text(encoding="utf-8")
    missing(f"{SOURCE} not in any source dir (set RECRUITGRAPH_SOURCES)")


def test_exact_match_offsets_are_code_points() -> None:
    text = "Nepal’s minister — said “yes”."
    assert locate(text, "said") == [(19, 23)]
    assert text[19:23] == "said"


def test_loose_match_folds_quotes_dashes_case_and_spaces() -> None:
    text = "Nepal’s  minister —\nsaid “yes”."
    [(s, e)] = locate(text, 'nepal\'s minister - said "YES"')
    assert (s, e) == (0, len(text) - 1)
    assert text[s:e] == "Nepal’s  minister —\nsaid “yes”"


def test_ambiguous_lists_every_match_and_missing_gives_none() -> None:
    text = "One cat. Two cats."
    assert locate(text, "cat") == [(4, 7), (13, 16)]
    assert locate(text, "dog") == []
    assert locate(text, "  ") == []


def test_sentence_span_stops_at_terminators_and_line_breaks() -> None:
    text = "A heading\nFirst one. Second “quoted!” Third, U.S. style? Last"
    s, e = locate(text, "Second")[0]
    assert text[slice(*sentence_span(text, s, e))] == "Second “quoted!”"
    s, e = locate(text, "style")[0]
    assert text[slice(*sentence_span(text, s, e))] == "Third, U.S. style?"
    s, e = locate(text, "head")[0]
    assert text[slice(*sentence_span(text, s, e))] == "A heading"
    s, e = locate(text, "Last")[0]
    assert text[slice(*sentence_span(text, s, e))] == "Last"
    assert passage_span(text, s, e, exact=True) == (s, e)


def test_phrase_across_two_sentences_spans_both() -> None:
    text = "One two. Three four. Five."
    s, e = locate(text, "two. Three")[0]
    assert text[slice(*sentence_span(text, s, e))] == "One two. Three four."


def test_real_source_sentence_and_quote_line() -> None:
    text = _source_text()
    [(s, e)] = locate(text, "North Korea sent thousands of soldiers")
    ps, pe = sentence_span(text, s, e)
    passage = text[ps:pe]
    assert passage.startswith("After signing a mutual defense treaty with Moscow in 2024")
    assert passage.endswith("following a Ukrainian incursion.")
    # the quoted words sit on their own line: the line is the passage
    [(s, e)] = locate(text, '"They are deemed dispensable')
    assert (
        text[slice(*sentence_span(text, s, e))]
        == "“They are deemed dispensable, to put it bluntly,”"
    )
    assert len(locate(text, "700,000")) == 2


def test_closest_text_points_at_the_near_miss() -> None:
    text = _source_text()
    assert "North Korea sent" in closest_text(text, "North Korea sent many soldiers")


def _sentence_of(text: str, phrase: str) -> str:
    [(s, e)] = locate(text, phrase)
    return text[slice(*sentence_span(text, s, e))]


def test_phrase_ending_with_its_full_stop_stops_at_its_sentence() -> None:
    text = "First words here. Second sentence follows. Third."
    assert _sentence_of(text, "First words here.") == "First words here."
    assert _sentence_of(text, "words here.") == "First words here."
    assert _sentence_of(text, "Second sentence follows.") == "Second sentence follows."


def test_phrase_ending_with_question_mark_or_closing_quote() -> None:
    text = "Who pays? Nobody knows. He said “it is over.” Then he left."
    assert _sentence_of(text, "Who pays?") == "Who pays?"
    assert _sentence_of(text, "said “it is over.”") == "He said “it is over.”"
    assert _sentence_of(text, 'said "it is over."') == "He said “it is over.”"
    assert _sentence_of(text, "“it is over.") == "He said “it is over.”"


def test_phrase_ending_with_an_abbreviation_runs_to_the_sentence_end() -> None:
    text = "Aid came from the U.S. and others. Next one."
    assert _sentence_of(text, "from the U.S.") == "Aid came from the U.S. and others."
    text = "Aid came from the U.S. Next one."
    # "U.S." followed by a capital is still read as an abbreviation, not a sentence end
    assert _sentence_of(text, "the U.S.") == "Aid came from the U.S. Next one."


def test_first_source_passages_are_whole_sentences() -> None:
    """Every passage of the compiled first source starts and ends at sentence bounds, and the
    seven that once ran into the next sentence now hold exactly one (checked on the text)."""
    from rdflib import Graph

    from recruitgraph.namespaces import OA, RG

    text = _source_text()
    bounds = sentences(text)
    starts, ends = {s for s, _ in bounds}, {e for _, e in bounds}
    graph = Graph().parse(config.project_root() / "data" / "russia-recruitment-2026-01.ttl")
    spans = {
        (int(graph.value(p, OA.start)), int(graph.value(p, OA.end)))
        for p in graph.subjects(RG.inSource, None)
    }
    assert spans
    for s, e in spans:
        if (s, e) == locate(text, "“They are deemed dispensable")[0]:
            continue  # the one phrase-only passage (passage_exact): the speaker's words
        assert s in starts and e in ends, (s, e, text[s:e])
    for start in (0, 63, 3328, 3551, 4185, 4609, 6340):
        [(s, e)] = [span for span in spans if span[0] == start]
        assert (s, e) in bounds, (s, e, text[s:e])
