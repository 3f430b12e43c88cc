"""locate at its edges: folding, every match, the sentence rules at the ends of a text, the hint
for a missing phrase, and the anchors a claims file holds (what mutation testing found unguarded:
docs/mutation-report.md). Texts are made up here; fingerprints are the first 8 hex digits of
`printf %s PASSAGE | sha256sum`, computed outside the program."""

from __future__ import annotations

import pytest

from recruitgraph.locate import (
    anchor,
    anchor_phrase,
    check_anchor,
    closest_text,
    fingerprint,
    locate,
    normalize,
    parse_anchor,
    passage_span,
    sentence_span,
    sentences,
)

#: "One cat." is 0-8, "Two words here." 9-24, "Grüße aus Köln." 25-40: 40 characters.
TEXT = "One cat. Two words here. Grüße aus Köln."


def sentence_of(text: str, phrase: str) -> str:
    [(s, e)] = locate(text, phrase)
    return text[slice(*sentence_span(text, s, e))]


# -- folding ------------------------------------------------------------------------------------


def test_normalize_folds_case_quotes_dashes_and_blank_runs_keeping_offsets() -> None:
    assert normalize("  Ab  c\t") == ("ab c", [2, 3, 4, 6])  # leading and trailing blanks dropped
    assert normalize("ab ") == ("ab", [0, 1])
    assert normalize("“Yes” — no") == ('"yes" - no', list(range(10)))
    assert normalize("STRAẞE") == ("straße", list(range(6)))  # capital sharp s lowers to ß
    # "İ" lowers to two code points: it stays as it is, so offsets still map one to one
    assert normalize("İx") == ("İx", [0, 1])


def test_every_match_is_listed_overlapping_ones_too() -> None:
    assert locate("a a a", "a") == [(0, 1), (2, 3), (4, 5)]
    assert locate("aaa", "aa") == [(0, 2), (1, 3)]


def test_an_exact_match_wins_over_loose_ones() -> None:
    assert locate("Cat cat", "cat") == [(4, 7)]
    assert locate("Cat", "cat") == [(0, 3)]


# -- sentences ----------------------------------------------------------------------------------


def test_a_full_stop_inside_a_number_or_after_an_initial_ends_no_sentence() -> None:
    assert sentence_of("It was 3.5 million. Next.", "It was") == "It was 3.5 million."
    assert sentence_of("Signed by J. Smith today. Next.", "Signed") == "Signed by J. Smith today."
    # a word in capitals is no initial: its full stop ends the sentence
    assert sentence_of("They met in the USA. Then left.", "They") == "They met in the USA."


def test_a_capital_letter_before_a_space_is_no_sentence_end() -> None:
    text = "Model X is here. Next."
    assert sentence_of(text, "is here") == "Model X is here."
    assert sentence_of(text, "Model") == "Model X is here."


def test_sentence_spans_at_the_ends_of_the_text() -> None:
    assert sentence_span("One.", 0, 1) == (0, 4)  # ends on the text's last character
    assert sentence_span(". Yes.", 2, 5) == (2, 6)  # the text's first character ends a sentence
    assert sentence_span("One.  Two.", 6, 9) == (6, 10)  # the blanks between are in neither
    assert sentence_span("Heading \nNext", 0, 1) == (0, 7)  # a line's trailing blank is left out
    s, e = sentence_span("A.\n  \nB.", 3, 4)
    assert s == e  # a blank line holds no sentence


def test_sentence_spans_with_quote_marks_at_the_ends_of_the_text() -> None:
    assert sentence_span('He said “no.”', 0, 2) == (0, 13)  # the closing quote ends the text
    # a phrase of nothing but quote marks opening the text lies in the text's one sentence
    assert sentence_span('" x.', 0, 1) == (0, 4)
    assert sentence_span("\"' x.", 0, 2) == (0, 5)


def test_a_phrase_taking_in_the_blank_after_a_full_stop_reaches_into_the_next_sentence() -> None:
    # "two. " (4-9) holds the blank that opens the next sentence: both sentences are its passage
    assert sentence_span("One two. Three.", 4, 9) == (0, 15)


def test_passage_span_is_the_sentence_unless_exact() -> None:
    text = "One two. Three four."
    assert passage_span(text, 4, 7) == (0, 8)
    assert passage_span(text, 4, 7, exact=True) == (4, 7)


def test_sentences_include_one_character_lines() -> None:
    assert sentences("A\nB") == [(0, 1), (2, 3)]
    assert sentences("A.\nB\nC") == [(0, 2), (3, 4), (5, 6)]
    assert sentences("One. ") == [(0, 4)]
    assert sentences("") == []


# -- the hint for a phrase that is not there -------------------------------------------------------


def whole_words_of(text: str, hint: str) -> bool:
    """The hint is a stretch of the text that starts and ends at word bounds."""
    at = text.find(hint)
    end = at + len(hint)
    return at >= 0 and (at == 0 or text[at - 1].isspace()) and (end == len(text) or text[end].isspace())


@pytest.mark.parametrize(("text", "phrase", "words"), [
    ("The minister said the border stays open. Later the ministry closed it.",
     "the border stays closed", "border stays"),
    ("alpha beta gamma delta", "alpa bet", "alpha beta"),  # at the start of the text
    ("alpha beta gamma delta", "gamma delte", "gamma delta"),  # at its end
])
def test_closest_text_is_whole_words_around_the_near_miss(text: str, phrase: str, words: str) -> None:
    hint = closest_text(text, phrase)
    assert words in hint
    assert whole_words_of(text, hint), hint
    assert len(hint.split()) <= len(phrase.split()) + 2


LETTERS = "aaaa bbbb cccc dddd eeee"
GREEK = "alpha beta gamma delta epsilon zeta eta theta"
PAIRS = "ab cd ef gh ij kl mn op"


# Each phrase is some words of the text with one letter changed or dropped, and no other run of
# as many words is as near: the hint is exactly those words.
@pytest.mark.parametrize(("text", "phrase", "hint"), [
    (LETTERS, "cccc ddxd", "cccc dddd"),
    (LETTERS, "aaxa bbbb", "aaaa bbbb"),  # the first words
    (LETTERS, "aaa bbbb", "aaaa bbbb"),  # the text's first letter missing
    (LETTERS, "dddd eexe", "dddd eeee"),  # the last words
    (LETTERS, "xbbb cccc", "bbbb cccc"),
    (LETTERS, "ccxc", "cccc"),
    (LETTERS, "aaaa bbbb cccc dddd eeee ffff", LETTERS),  # longer than the text
    (GREEK, "delta epsilxn", "delta epsilon"),
    (PAIRS, "xp", "op"),  # the last word
    (PAIRS, "a", "ab"),  # the first
    (PAIRS, "cd ex", "cd ef"),
])
def test_closest_text_is_exactly_the_words_nearest_the_phrase(text: str, phrase: str, hint: str) -> None:
    assert closest_text(text, phrase) == hint


def test_closest_text_of_nothing_is_empty() -> None:
    assert closest_text("", "cat") == ""
    assert closest_text("One cat.", "") == ""
    assert closest_text("One cat.", "   ") == ""


# -- anchors ------------------------------------------------------------------------------------


def test_fingerprint_is_the_start_of_the_sha256_of_the_utf8() -> None:
    assert fingerprint("One.") == "70277bfc"
    assert fingerprint("Grüße aus Köln.") == "451276f4"  # UTF-8, not another encoding


def test_anchor_of_a_phrase_is_its_sentence_or_the_phrase_itself() -> None:
    assert anchor(TEXT, 13, 18) == "13-18 dba36bff"
    assert anchor_phrase(TEXT, "words") == "9-24 c41cac49"
    assert anchor_phrase(TEXT, "words", exact=True) == "13-18 dba36bff"
    assert anchor_phrase(TEXT, "aus Köln") == "25-40 451276f4"  # ends on the last character


def test_anchor_phrase_says_what_is_missing_or_ambiguous() -> None:
    with pytest.raises(ValueError, match=r"^phrase 'cats' not found in the source text; closest text: ") as err:
        anchor_phrase(TEXT, "cats")
    assert "cat" in str(err.value).split("closest text: ")[1]
    message = "phrase 'cat' is ambiguous (2 matches at 4-7, 13-16); quote more words"
    with pytest.raises(ValueError, match=f"^{message}$".replace("(", r"\(").replace(")", r"\)")):
        anchor_phrase("One cat. Two cats.", "cat")


def test_parse_anchor_reads_offsets_and_fingerprint() -> None:
    assert parse_anchor("  9-24 c41cac49 ") == (9, 24, "c41cac49")
    assert parse_anchor("0-1 00000000") == (0, 1, "00000000")


@pytest.mark.parametrize("bad", ["9-24", "9-24 C41CAC49", "9-24 c41cac4", "9-24 c41cac49a", "9:24 c41cac49",
                                 "a9-24 c41cac49", "-9-24 c41cac49", "9-24 c41cac49 x", 924, None])
def test_parse_anchor_refuses_what_is_not_an_anchor(bad: object) -> None:
    with pytest.raises(ValueError, match=r"is not of the form 'START-END FINGERPRINT' \(as `recruitgraph locate`"):
        parse_anchor(bad)


class _PrintsLikeAnAnchor:
    def __str__(self) -> str:
        return "9-24 c41cac49"


def test_parse_anchor_takes_text_only() -> None:
    with pytest.raises(ValueError, match="is not of the form"):
        parse_anchor(_PrintsLikeAnAnchor())


@pytest.mark.parametrize("bad", ["24-24 c41cac49", "24-9 c41cac49"])
def test_parse_anchor_refuses_an_empty_or_reversed_span(bad: str) -> None:
    with pytest.raises(ValueError, match=f"^anchor '{bad}': the start must come before the end$"):
        parse_anchor(bad)


def test_check_anchor_at_the_last_character_and_one_past_it() -> None:
    assert check_anchor(TEXT, "25-40 451276f4") == (25, 40)
    with pytest.raises(ValueError, match=r"^anchor '25-41 451276f4' ends beyond the text \(40 characters\)$"):
        check_anchor(TEXT, "25-41 451276f4")


def test_check_anchor_names_both_fingerprints_when_they_differ() -> None:
    with pytest.raises(ValueError, match=r"^anchor '9-24 70277bfc': the text at 9-24 has fingerprint c41cac49, "
                                         r"not 70277bfc; the anchor was made for another text"):
        check_anchor(TEXT, "9-24 70277bfc")
