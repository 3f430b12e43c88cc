"""What the compiler's last step adds to each figure (references.derive_figure_facts): its bounds
from comparator and value by the rule of docs/model.md, "Bounds", and the first and last day of
the period it covers. Figures are built here term by term; the comparators are the ontology's
own (ontology/vocab.ttl), so the tolerances and implied ranges are the published ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from recruitgraph.namespaces import RG, RGD, RGV
from recruitgraph.references import derive_bounds, derive_figure_facts, period_days

VOCAB = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "vocab.ttl")
FIG = RGD["fig-test"]


def figure(comparator: str | None = None, value: str | None = None, **more: Literal) -> Graph:
    g = Graph()
    g.add((FIG, RDF.type, RG.Figure))
    if comparator:
        g.add((FIG, RG.comparator, RGV[f"cmp-{comparator}"]))
    if value is not None:
        g.add((FIG, RG.value, Literal(value, datatype=XSD.decimal)))
    for name, term in more.items():
        g.add((FIG, RG[name], term))
    return g


def bounds(g: Graph) -> tuple[str | None, bool | None, str | None, bool | None]:
    """(lower, inclusive, upper, inclusive) as written: the lexical forms and the flags."""
    def lexical(p: URIRef) -> str | None:
        term = g.value(FIG, p)
        if term is None:
            return None
        assert isinstance(term, Literal) and term.datatype == XSD.decimal
        return str(term)

    def flag(p: URIRef) -> bool | None:
        term = g.value(FIG, p)
        return None if term is None else bool(term.toPython())  # type: ignore[union-attr]

    return (lexical(RG.lowerBound), flag(RG.lowerBoundInclusive), lexical(RG.upperBound),
            flag(RG.upperBoundInclusive))


@pytest.mark.parametrize(("comparator", "value", "expected"), [
    # 10 per cent either side, written as plain decimals (7200, never 7.2E+3 or 7200.0)
    ("about", "8000", ("7200", True, "8800", True)),
    ("roughly", "150", ("135", True, "165", True)),
    ("more-than", "1000", ("1000", False, None, None)),
    ("just-over", "500", ("500", False, "550", True)),
    ("at-least", "12", ("12", True, None, None)),
    ("nearly", "2000", ("1800", True, "2000", False)),
    ("up-to", "300", (None, None, "300", True)),
    ("fewer-than", "40", (None, None, "40", False)),
    ("exactly", "2.5", ("2.5", True, "2.5", True)),
    # a word that implies its range, whatever the value says
    ("hundreds", None, ("200", True, "999", True)),
    ("a-few", None, ("2", True, "9", True)),
    # no bound to derive
    ("unspecified", "10", (None, None, None, None)),
    ("about", None, (None, None, None, None)),
])
def test_bounds_follow_the_comparator(comparator: str, value: str | None,
                                      expected: tuple[str | None, bool | None, str | None, bool | None]) -> None:
    g = figure(comparator, value)
    derive_figure_facts(g, VOCAB)
    assert bounds(g) == expected


def test_a_stated_range_is_the_bounds_and_about_widens_it() -> None:
    low, high = Literal("150", datatype=XSD.decimal), Literal("200", datatype=XSD.decimal)
    g = figure("between", rangeLow=low, rangeHigh=high)
    derive_figure_facts(g, VOCAB)
    assert bounds(g) == ("150", True, "200", True)
    g = figure("about", rangeLow=low, rangeHigh=high)
    derive_figure_facts(g, VOCAB)
    assert bounds(g) == ("135", True, "220", True)


def test_roughly_widens_a_stated_range_as_about_does() -> None:
    low, high = Literal("150", datatype=XSD.decimal), Literal("200", datatype=XSD.decimal)
    g = figure("roughly", rangeLow=low, rangeHigh=high)
    derive_figure_facts(g, VOCAB)
    assert bounds(g) == ("135", True, "220", True)


D = Decimal


@pytest.mark.parametrize(("comparator", "expected"), [
    ("exactly", (D(1000), True, D(1000), True)),
    ("more-than", (D(1000), False, None, False)),
    ("over", (D(1000), False, None, False)),
    ("just-over", (D(1000), False, D(1100), True)),
    ("at-least", (D(1000), True, None, False)),
    ("about", (D(900), True, D(1100), True)),
    ("roughly", (D(900), True, D(1100), True)),
    ("nearly", (D(900), True, D(1000), False)),
    ("almost", (D(900), True, D(1000), False)),
    ("up-to", (None, False, D(1000), True)),
    ("fewer-than", (None, False, D(1000), False)),
    ("less-than", (None, False, D(1000), False)),
    ("dozens", (None, False, None, False)),  # a word whose range the vocabulary gives, not given here
])
def test_the_rule_of_bounds_for_each_comparator(comparator: str, expected: tuple[object, ...]) -> None:
    assert derive_bounds(comparator, D(1000)) == expected


def test_half_a_range_is_no_range() -> None:
    # the compiler refuses a figure with only one of low and high; the rule ignores it
    assert derive_bounds("more-than", Decimal(1000), low=Decimal(5)) == (Decimal(1000), False, None, False)
    assert derive_bounds("up-to", Decimal(1000), high=Decimal(5)) == (None, False, Decimal(1000), True)


def test_the_tolerance_is_the_comparators_own() -> None:
    vocab = Graph()
    vocab.add((RGV["cmp-about"], RG.relativeTolerance, Literal("0.25", datatype=XSD.decimal)))
    g = figure("about", "8000")
    derive_figure_facts(g, vocab)
    assert bounds(g) == ("6000", True, "10000", True)
    # a comparator without one in the vocabulary: 10 per cent
    g = figure("about", "8000")
    derive_figure_facts(g, Graph())
    assert bounds(g) == ("7200", True, "8800", True)


@pytest.mark.parametrize("given", [RG.impliedLowerBound, RG.impliedUpperBound])
def test_a_word_whose_range_the_vocabulary_gives_half_of_gets_no_bounds(given: URIRef) -> None:
    vocab = Graph()
    vocab.add((RGV["cmp-hundreds"], given, Literal("200", datatype=XSD.integer)))
    g = figure("hundreds")
    derive_figure_facts(g, vocab)
    assert bounds(g) == (None, None, None, None)


def test_a_figure_without_a_comparator_gets_nothing() -> None:
    g = figure(None, "8000", period=Literal("2024", datatype=XSD.gYear))
    before = set(g)
    derive_figure_facts(g, VOCAB)
    assert set(g) == before


def test_a_figure_without_a_comparator_leaves_the_others_their_bounds() -> None:
    """One figure without a comparator among 31 with one: each of those still gets its bounds,
    whichever order the figures are visited in (a set's; the one without comes last in only
    one order of 32, where stopping at it would go unseen)."""
    g = figure(None, "8000")
    others = [URIRef(f"{FIG}-{i}") for i in range(31)]
    for i, other in enumerate(others):
        g.add((other, RDF.type, RG.Figure))
        g.add((other, RG.comparator, RGV["cmp-exactly"]))
        g.add((other, RG.value, Literal(str(i), datatype=XSD.decimal)))
    derive_figure_facts(g, VOCAB)
    assert [str(g.value(other, RG.lowerBound)) for other in others] == [str(i) for i in range(31)]
    assert g.value(FIG, RG.lowerBound) is None


def days(g: Graph) -> tuple[str, str] | None:
    first, last = g.value(FIG, RG.periodFirstDay), g.value(FIG, RG.periodLastDay)
    if first is None and last is None:
        return None
    assert isinstance(first, Literal) and isinstance(last, Literal)
    assert first.datatype == last.datatype == XSD.date
    return str(first), str(last)


def ym(text: str) -> Literal:
    return Literal(text, datatype=XSD.gYearMonth)


def claimed_on(g: Graph, *dates: Literal) -> None:
    """Give the figure one evidence record per date, each claimed on that date, in this order."""
    for date in dates:
        ev = BNode()
        g.add((FIG, RG.hasEvidence, ev))
        g.add((ev, RG.claimDate, date))


@pytest.mark.parametrize(("terms", "expected"), [
    ({"periodStart": ym("2025-02")}, ("2025-02-01", "2025-02-28")),  # only a start: its own month
    ({"periodEnd": Literal("2024", datatype=XSD.gYear)}, ("2024-01-01", "2024-12-31")),  # only an end
    ({"periodStart": ym("2023-05"), "periodEnd": Literal("2024", datatype=XSD.gYear)}, ("2023-05-01", "2024-12-31")),
    ({"periodStart": Literal("2023-05-09", datatype=XSD.date), "periodEnd": ym("2023-06")}, ("2023-05-09", "2023-06-30")),
    ({"period": ym("2024-02")}, ("2024-02-01", "2024-02-29")),  # a leap year's February
    ({"period": Literal("2023-11-30", datatype=XSD.date)}, ("2023-11-30", "2023-11-30")),
    # start and end come before the period
    ({"period": Literal("2020", datatype=XSD.gYear), "periodStart": ym("2021-01")}, ("2021-01-01", "2021-01-31")),
])
def test_the_days_a_figure_covers(terms: dict[str, Literal], expected: tuple[str, str]) -> None:
    g = figure("about", "100", **terms)
    derive_figure_facts(g, VOCAB)
    assert days(g) == expected


def test_without_a_period_the_earliest_claim_date_counts() -> None:
    g = figure("about", "100")
    claimed_on(g, ym("2024-03"), Literal("2024-02-15", datatype=XSD.date), Literal("2024-05-01", datatype=XSD.date))
    g.add((FIG, RG.hasEvidence, BNode()))  # an evidence record without a date changes nothing
    # what the figure is compared with is not its evidence, however early its date
    other = BNode()
    g.add((FIG, RG.comparedWith, other))
    g.add((other, RG.claimDate, Literal("2020-01-01", datatype=XSD.date)))
    derive_figure_facts(g, VOCAB)
    assert days(g) == ("2024-02-15", "2024-02-15")


def test_no_period_and_no_claim_date_gives_no_days() -> None:
    g = figure("about", "100")
    derive_figure_facts(g, VOCAB)
    assert days(g) is None
    assert bounds(g) == ("90", True, "110", True)


@pytest.mark.parametrize("text", ["2024", "2024Z", "2024+02:00", "2024-05:00"])
def test_a_year_with_or_without_a_time_zone_covers_the_whole_year(text: str) -> None:
    assert period_days(Literal(text, datatype=XSD.gYear)) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.mark.parametrize("text", ["2024-02", "2024-02Z", "2024-02+05:30"])
def test_a_month_with_or_without_a_time_zone_covers_the_whole_month(text: str) -> None:
    assert period_days(Literal(text, datatype=XSD.gYearMonth)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


@pytest.mark.parametrize("text", ["2023-11-30", "2023-11-30Z", "2023-11-30-03:00"])
def test_a_day_with_or_without_a_time_zone_is_that_day(text: str) -> None:
    day = dt.date(2023, 11, 30)
    assert period_days(Literal(text, datatype=XSD.date)) == (day, day)


FEBRUARY, FIRST_OF_FEBRUARY = ym("2024-02"), Literal("2024-02-01", datatype=XSD.date)


@pytest.mark.parametrize("dates", [(FEBRUARY, FIRST_OF_FEBRUARY), (FIRST_OF_FEBRUARY, FEBRUARY)])
def test_of_claim_dates_starting_the_same_day_the_most_precise_counts(dates: tuple[Literal, Literal]) -> None:
    g = figure("about", "100")
    claimed_on(g, *dates)
    derive_figure_facts(g, VOCAB)
    assert days(g) == ("2024-02-01", "2024-02-01")

