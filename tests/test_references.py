"""Cited references: claims files for reports whose text the project does not hold.

The fixtures in tests/fixtures/cited/ are invented (Freedonia, Sylvania and their outlets do not
exist); they are compiled with the real compiler into a throw-away project copy.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from recruitgraph.authoring import compile_claims
from recruitgraph.exc import InputError
from recruitgraph.namespaces import RG, RGD, RGV, SCHEMA
from recruitgraph.references import derive_bounds, name_key, period_days

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "cited"
REPORT = "harbor-gazette-2031-03"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project copy with the ontology, the fictional claims files and nothing else."""
    home = tmp_path / "home"
    shutil.copytree(ROOT / "ontology", home / "ontology")
    claims = home / "data" / "claims"
    claims.mkdir(parents=True)
    for path in FIXTURES.glob("*.yaml"):
        shutil.copy(path, claims)
    monkeypatch.setenv("RECRUITGRAPH_HOME", str(home))
    return home


def compile_all(home: Path, *names: str) -> Graph:
    """Compile measures.yaml, then the named fixture files, in order; return everything written."""
    out = Graph()
    for name in ("measures", *names):
        out += compile_claims(home / "data" / "claims" / f"{name}.yaml")
    return out


def rewrite(home: Path, name: str, old: str, new: str) -> Path:
    path = home / "data" / "claims" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_reference_file_compiles_to_a_source_record_and_evidence(home: Path) -> None:
    graph = compile_all(home, REPORT)
    assert (home / "data" / "measures.ttl").is_file()
    assert (home / "data" / f"{REPORT}.ttl").is_file()
    src = RGD[REPORT]
    assert (src, RDF.type, RG.ReferenceSource) in graph
    assert graph.value(src, SCHEMA.url) == URIRef(
        "https://harbor-gazette.example.org/2031/03/04/freedonians-in-sylvanias-army"
    )
    assert graph.value(src, DCTERMS.publisher) == RGD["harbor-gazette"]
    assert graph.value(src, DCTERMS.issued) == Literal("2031-03-04", datatype=XSD.date)
    assert graph.value(src, RG.dateFromUrl) == Literal(True)
    assert graph.value(src, RG.dateRead) == Literal("2031-03-10", datatype=XSD.date)
    assert graph.value(src, RG.origin) == src  # no copy: its own origin
    ev = RGD["fig-hg-intelligence-recruits-2031-02-ev1"]
    assert graph.value(ev, RG.attribution) == RGV["attr-agency"]
    assert graph.value(ev, RG.claimant) == RGD["freedonian-intelligence-service"]
    assert graph.value(ev, RG.via) == RGD["harbor-gazette"]
    assert graph.value(ev, RG.passage) is None
    # no date given: the report's publication date, marked inferred
    assert graph.value(ev, RG.claimDate) == Literal("2031-03-04", datatype=XSD.date)
    assert graph.value(ev, RG.dateInferred) == Literal(True)


def test_figures_get_their_measure_bounds_and_period_days(home: Path) -> None:
    graph = compile_all(home, REPORT)
    about = RGD["fig-hg-ministry-recruits-2031-02"]
    assert graph.value(about, RG.ofMeasure) == RGD["measure-freedonian-nationals-recruited"]
    assert Decimal(str(graph.value(about, RG.lowerBound))) == 180
    assert Decimal(str(graph.value(about, RG.upperBound))) == 220
    assert graph.value(about, RG.periodFirstDay) == Literal("2031-02-01", datatype=XSD.date)
    assert graph.value(about, RG.periodLastDay) == Literal("2031-02-28", datatype=XSD.date)
    more = RGD["fig-hg-intelligence-recruits-2031-02"]
    assert Decimal(str(graph.value(more, RG.lowerBound))) == 1000
    assert graph.value(more, RG.lowerBoundInclusive) == Literal(False)
    assert graph.value(more, RG.upperBound) is None  # open upwards
    rng = RGD["fig-hg-ministry-recruits-2030-06"]
    assert graph.value(rng, RG.value) is None
    assert (str(graph.value(rng, RG.rangeLow)), str(graph.value(rng, RG.rangeHigh))) == ("40", "60")
    # quantity kind and unit come from the measure when the figure leaves them out
    assert graph.value(rng, RG.measures) == RGV["qty-nationals-recruited"]
    assert graph.value(rng, RG.unit) == RGV["unit-person"]


def test_aliases_and_names_are_recorded_with_the_source_using_them(home: Path) -> None:
    compile_all(home, REPORT)
    path = rewrite(
        home,
        REPORT,
        "claims:\n",
        "names:\n  - {entity: sylvanian-army, name: Royal Host}\n\nclaims:\n",
    )
    graph = compile_claims(path)
    assert Literal("Royal Host", lang="en") in set(
        graph.objects(RGD["sylvanian-army"], SKOS.altLabel)
    )
    uses = {
        (
            graph.value(u, RG.namedEntity),
            str(graph.value(u, RG.nameUsed)),
            graph.value(u, RG.usedIn),
        )
        for u in graph.subjects(RDF.type, RG.NameUse)
    }
    assert (RGD["sylvanian-army"], "Royal Host", RGD[REPORT]) in uses
    assert (RGD["freedonia"], "Republic of Frédonia", RGD[REPORT]) in uses


def test_names_resolve_with_case_spacing_and_diacritics_folded(home: Path) -> None:
    path = rewrite(home, REPORT, "object: sylvanian army", "object: '  SYLVANIAN   Army '")
    rewrite(
        home, REPORT, "claimant: freedonian labour ministry", "claimant: Freedonian Labour Ministry"
    )
    rewrite(home, REPORT, "origin_country: freedonia", "origin_country: republic of fredonia")
    compile_claims(home / "data" / "claims" / "measures.yaml")
    graph = compile_claims(path)
    fig = RGD["fig-hg-ministry-recruits-2031-02"]
    assert graph.value(fig, RG.originCountry) == RGD["freedonia"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    attribution: agency\n", "", "attribution: required"),
        ("attribution: agency", "attribution: rumour", "'rumour' is unknown"),
        (
            "    claimant: Freedonian Intelligence Service\n",
            "",
            "claimant: required with attribution agency",
        ),
        (
            "    attribution: own-reporting\n",
            "    attribution: own-reporting\n    passage: words\n",
            "passage: a reference source has no text",
        ),
        (
            "    summary: Freedonian citizens are fighting in Sylvania's army.\n",
            "",
            "summary: required",
        ),
        (
            "measure: freedonian-nationals-recruited\n      value: 200",
            "measure: freedonian-nationals-recrutied\n      value: 200",
            "closest: freedonian-nationals-recruited",
        ),
        ("      low: 40\n", "", "needs both 'low' and 'high'"),
        (
            "      low: 40\n      high: 60\n      comparator: between",
            "      value: 50\n      comparator: cmp-between",
            "comparator between needs 'low' and 'high'",
        ),
        (
            "  url: https://harbor-gazette.example.org/",
            "  url: harbor-gazette.example.org/",
            "is not an http(s) address",
        ),
        ("  read: 2031-03-10\n", "", "'read' is required"),
        (
            "  copy_note: the whole page\n",
            "  copy_note: the whole page\n  colour: blue\n",
            "unknown key 'colour'",
        ),
    ],
)
def test_bad_reference_files_are_refused_naming_file_and_line(
    home: Path, old: str, new: str, message: str
) -> None:
    compile_claims(home / "data" / "claims" / "measures.yaml")
    path = rewrite(home, REPORT, old, new)
    with pytest.raises(InputError) as err:
        compile_claims(path)
    text = str(err.value)
    assert text.startswith(f"{path}:") and text.split(":")[1].isdigit(), text
    assert message in text
    assert not (home / "data" / f"{REPORT}.ttl").exists()


@pytest.mark.parametrize(
    ("name", "key", "value", "line"),
    [
        (REPORT, "publisher", "Harbor Gazette", 6),
        (REPORT, "claimant", "Freedonian Intelligence Service", 71),
        (REPORT, "via", "Harbor Gazette", 72),
        ("kestrel-news-2031-03", "carried_by", "Kestrel News", 8),
        ("kestrel-news-2031-03", "origin_publisher", "Freedonian Press Agency", 10),
        ("kestrel-news-2031-03", "entity", "sylvanian-army", 31),
    ],
)
def test_an_unknown_entity_is_named_with_its_key_and_line(
    home: Path, name: str, key: str, value: str, line: int
) -> None:
    compile_claims(home / "data" / "claims" / "measures.yaml")
    path = rewrite(home, name, f"{key}: {value}", f"{key}: Nobody Known")
    with pytest.raises(InputError) as err:
        compile_claims(path)
    assert str(err.value).startswith(
        f"{path}:{line}: {key}: unknown entity 'Nobody Known'; closest existing names: "
    )


MEASURE_ALIKE = "".join(
    f"  - id: {mid}\n    label: {mid}\n    definition: A measure for a test.\n"
    "    quantity: nationals-recruited\n    unit: person\n"
    for mid in [*(f"ships-{i}" for i in range(1, 8)), "harbour-pilots-on-strike"]
)


@pytest.mark.parametrize(
    ("asked", "offered"),
    [
        # seven ids share "ships" and little else: five of them are offered
        ("ships", {f"ships-{i}" for i in range(1, 8)}),
        # "harbour" is under half of harbour-pilots-on-strike, and still offered
        ("harbour", {"harbour-pilots-on-strike"}),
        # an ontology property is no measure: nothing is like "counts"
        ("counts", set()),
    ],
)
def test_an_unknown_measure_is_named_at_its_line_with_up_to_five_measures_like_it(
    home: Path, asked: str, offered: set[str]
) -> None:
    measures = home / "data" / "claims" / "measures.yaml"
    measures.write_text(measures.read_text(encoding="utf-8") + MEASURE_ALIKE, encoding="utf-8")
    compile_claims(measures)
    # the measure second in its figure, so that its line is not the figure's own
    path = rewrite(
        home, REPORT, "measure: freedonian-nationals-recruited\n      value: 200", f"value: 200\n      measure: {asked}"
    )
    with pytest.raises(InputError) as err:
        compile_claims(path)
    head = f"{path}:51: measure: unknown measure {asked!r}; closest: "
    tail = " (declare it under `measures:` or compile data/claims/measures.yaml first)"
    text = str(err.value)
    assert text.startswith(head) and text.endswith(tail), text
    closest = text.removeprefix(head).removesuffix(tail)
    if offered:
        names = closest.split(", ")
        assert len(names) == min(5, len(offered)) and set(names) <= offered, closest
    else:
        assert closest == "none"


@pytest.mark.parametrize(("key", "line"), [("low", 78), ("high", 79)])
def test_a_bound_of_a_range_that_is_no_number_is_named_with_its_line(home: Path, key: str, line: int) -> None:
    compile_claims(home / "data" / "claims" / "measures.yaml")
    path = rewrite(home, REPORT, f"{key}: {dict(low=40, high=60)[key]}\n", f"{key}: many\n")
    with pytest.raises(InputError) as err:
        compile_claims(path)
    assert str(err.value) == (
        f"{path}:{line}: {key}: 'many' is not a number (write 1000000, not '1 million' or '1,000,000')"
    )


def test_a_range_may_have_equal_ends(home: Path) -> None:
    rewrite(home, REPORT, "low: 40\n", "low: 60\n")
    graph = compile_all(home, REPORT)
    rng = RGD["fig-hg-ministry-recruits-2030-06"]
    assert (graph.value(rng, RG.rangeLow), graph.value(rng, RG.rangeHigh)) == (Literal(60), Literal(60))


def test_a_malformed_address_is_named_at_its_own_line(home: Path) -> None:
    url = "https://harbor-gazette.example.org/2031/03/04/freedonians-in-sylvanias-army"
    label = "Freedonia's ministry and its intelligence service disagree on recruits in Sylvania's army"
    # the address second under `reference:`, so that its line (5) is not the mapping's own (4)
    path = rewrite(home, REPORT, f"  url: {url}\n  label: {label}\n", f"  label: {label}\n  url: {url[8:]}\n")
    with pytest.raises(InputError) as err:
        compile_claims(path)
    assert str(err.value).startswith(f"{path}:5: reference url {url[8:]!r} is not an http(s) address")


def test_between_without_its_bounds_is_refused_at_the_comparators_line(home: Path) -> None:
    compile_claims(home / "data" / "claims" / "measures.yaml")
    path = rewrite(
        home, REPORT, "      low: 40\n      high: 60\n      comparator: between", "      value: 50\n      comparator: between"
    )
    with pytest.raises(InputError) as err:
        compile_claims(path)
    assert str(err.value) == f"{path}:79: comparator between needs 'low' and 'high'"


def test_an_entity_declared_elsewhere_is_refused_with_its_id(home: Path) -> None:
    compile_all(home, REPORT)
    other = home / "data" / "claims" / "other-2031.yaml"
    other.write_text(
        "source: other-2031\nreference:\n  url: https://other.example.org/a\n  label: Another page\n"
        "  publisher: Harbor Gazette\n  read: 2031-04-01\n  language: en\n"
        "entities:\n  - id: fredonia-state\n    type: State\n    label: FREEDONIA\n"
        "claims: []\n",
        encoding="utf-8",
    )
    with pytest.raises(
        InputError, match=r"other-2031.yaml:11: .*'FREEDONIA' already names rgd:freedonia"
    ):
        compile_claims(other)


@pytest.mark.parametrize(
    ("comparator", "value", "expected"),
    [
        ("exactly", 5, (5, True, 5, True)),
        ("more-than", 1000, (1000, False, None, False)),
        ("at-least", 1000, (1000, True, None, False)),
        ("about", 8000, (7200, True, 8800, True)),
        ("nearly", 100, (90, True, 100, False)),
        ("just-over", 100, (100, False, 110, True)),
        ("up-to", 50, (None, False, 50, True)),
        ("fewer-than", 50, (None, False, 50, False)),
        ("unspecified", None, (None, False, None, False)),
    ],
)
def test_bounds_rule(comparator: str, value: int | None, expected: tuple[object, ...]) -> None:
    got = derive_bounds(comparator, None if value is None else Decimal(value))
    assert got == tuple(
        Decimal(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in expected
    )


def test_bounds_of_ranges_and_magnitudes() -> None:
    assert derive_bounds("between", None, Decimal(150), Decimal(200)) == (150, True, 200, True)
    assert derive_bounds("about", None, Decimal(600), Decimal(800)) == (540, True, 880, True)
    hundreds = (Decimal(200), Decimal(999))
    assert derive_bounds("hundreds", None, implied=hundreds) == (200, True, 999, True)


def test_period_days_and_name_key() -> None:
    assert period_days(Literal("2024", datatype=XSD.gYear))[1].isoformat() == "2024-12-31"
    assert period_days(Literal("2024-02", datatype=XSD.gYearMonth))[1].isoformat() == "2024-02-29"
    assert name_key("Zürich  Café") == name_key("zurich cafe")
    assert name_key("Wagner") != name_key("Wagner Group")
    # typographic quotes, as reports print them, fold to the typewriter ones
    assert name_key("\u2018Bakhmut\u2019s\u2019 \u201cBand\u201d") == "'bakhmut's' \"band\""


def test_files_naming_each_others_entities_compile_in_any_order(home: Path) -> None:
    # osprey names the agency declared by kestrel and the cohort declared by harbor-gazette,
    # neither compiled yet; the two copies of one wire story share one origin
    graph = compile_all(home, "osprey-daily-2031-03", "kestrel-news-2031-03", REPORT)
    origin = RGD["fpa-2031-03-recruits"]
    assert graph.value(RGD["osprey-daily-2031-03"], RG.origin) == origin
    assert graph.value(RGD["kestrel-news-2031-03"], RG.origin) == origin
    assert (origin, RDF.type, RG.StoryOrigin) in graph
    assert graph.value(RGD["kestrel-news-2031-03"], RG.carriedBy) == RGD["kestrel-news"]
    labels = {str(o) for o in graph.objects(origin, RDFS.label)}
    assert labels == {"Freedonian Press Agency: original story fpa-2031-03-recruits"}


def test_concepts_may_be_named_as_their_iris_name_them(home: Path) -> None:
    """attr-agency for agency, cmp-between for between, rgd:measure-... for a measure's id: the
    same graph, triple for triple."""
    plain = set(compile_all(home, REPORT))
    rewrite(home, REPORT, "attribution: agency", "attribution: attr-agency")
    rewrite(home, REPORT, "comparator: between", "comparator: cmp-between")
    rewrite(home, REPORT, "measure: freedonian-nationals-recruited\n      low",
            "measure: rgd:measure-freedonian-nationals-recruited\n      low")
    assert set(compile_all(home, REPORT)) == plain


#: the reports' labels, as their files give them
LABELS = {
    "kestrel-news-2031-03": "Wire story on Freedonians in Sylvania's army, as carried by Kestrel News",
    REPORT: "Freedonia's ministry and its intelligence service disagree on recruits in Sylvania's army",
}


def test_an_origin_is_the_report_itself_another_source_or_a_story_of_its_own(home: Path) -> None:
    kestrel, story = "kestrel-news-2031-03", RGD["fpa-2031-03-recruits"]
    plain = set(compile_all(home, kestrel))
    rewrite(home, kestrel, "origin: fpa-2031-03-recruits", "origin: rgd:fpa-2031-03-recruits")
    assert set(compile_all(home, kestrel)) == plain  # with the prefix or without
    # no publisher: the story is labelled by its id alone
    rewrite(home, kestrel, "  origin_publisher: Freedonian Press Agency\n", "")
    graph = compile_all(home, kestrel)
    assert list(graph.objects(story, RDFS.label)) == [Literal("Original story fpa-2031-03-recruits", lang="en")]
    # a report named as its own origin, or a source of the graph named as one, is no story of its own
    for origin in (kestrel, REPORT):
        rewrite(home, kestrel, "origin: rgd:fpa-2031-03-recruits", f"origin: {origin}")
        graph = compile_all(home, REPORT, kestrel)
        assert graph.value(RGD[kestrel], RG.origin) == RGD[origin]
        assert list(graph.subjects(RDF.type, RG.StoryOrigin)) == []
        assert [str(o) for o in graph.objects(RGD[origin], RDFS.label)] == [LABELS[origin]]
        rewrite(home, kestrel, f"origin: {origin}", "origin: rgd:fpa-2031-03-recruits")


def test_an_undated_report_needs_its_claims_dated_or_marked_unknown(home: Path) -> None:
    compile_claims(home / "data" / "claims" / "measures.yaml")
    rewrite(home, REPORT, "  date_from_url: true\n", "")
    path = rewrite(home, REPORT, "  published: 2031-03-04\n", "")
    with pytest.raises(InputError, match=r"yaml:\d+: date: required.*`date: unknown`"):
        compile_claims(path)
    rewrite(
        home,
        REPORT,
        "    attribution: own-reporting\n",
        "    attribution: own-reporting\n    date: unknown\n",
    )
    path = rewrite(
        home, REPORT, "    via: Harbor Gazette\n", "    via: Harbor Gazette\n    date: 2031-02\n"
    )
    graph = compile_claims(path)
    assert graph.value(RGD["claim-hg-freedonians-fight-for-sylvania-ev1"], RG.claimDate) is None
    assert graph.value(RGD[REPORT], DCTERMS.issued) is None


def test_verify_checks_reference_records_and_their_attributions(home: Path) -> None:
    from recruitgraph.verify import verify

    graph = compile_all(home, REPORT) + Graph().parse(ROOT / "ontology" / "recruitgraph.ttl")
    report = verify(graph, sources_dirs=[])
    assert report.ok and report.references_checked == 1, report.text()
    ev = RGD["fig-hg-intelligence-recruits-2031-02-ev1"]
    graph.remove((ev, RG.claimant, None))
    graph.remove((RGD[REPORT], RG.dateRead, None))
    graph.set((RGD[REPORT], SCHEMA.url, URIRef("https://no-host/page")))
    problems = verify(graph, sources_dirs=[]).problems
    assert f"{REPORT}: no rg:dateRead (the day the copy was read)" in problems
    assert f"{REPORT}: schema:url https://no-host/page has no host name" in problems
    assert (
        "fig-hg-intelligence-recruits-2031-02-ev1: attributed (attr-agency) to no claimant"
        in problems
    )


def test_dataset_description_counts_both_kinds_of_sources(home: Path) -> None:
    from rdflib.namespace import VOID

    from recruitgraph.dataset_description import DatasetFacts, describe_dataset
    from recruitgraph.references import source_kinds

    graph = compile_all(home, REPORT, "kestrel-news-2031-03")
    facts = DatasetFacts("0", None, len(graph), 0, source_kinds=source_kinds(graph))
    void = describe_dataset(RGD["release-0"], facts, [])
    counts = {
        void.value(part, VOID["class"]): int(str(void.value(part, VOID.entities)))
        for part in void.objects(RGD["release-0"], VOID.classPartition)
    }
    assert counts == {RG.TextSource: 0, RG.ReferenceSource: 2}
