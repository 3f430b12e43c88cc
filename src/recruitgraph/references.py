"""Cited references: claims files for reports whose text the project does not hold.

A claims file with a ``reference:`` header describes a published page by its address, publisher,
dates and language (the source record is written into the same output as the claims), and each
claim's evidence says what the page attributes to whom instead of pointing at a passage. The
same module holds what figures gained for the ledgers: measures, stated ranges, bounds derived
from value and comparator (docs/model.md, "Bounds"), and the first and last day of the period a
figure covers; and the ``names:`` a report uses for entities declared elsewhere.

The compiler (:mod:`recruitgraph.authoring`) calls these functions; they take the compiler
itself so that errors name the YAML file and line in the same way.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .namespaces import RG, RGD, RGV, SCHEMA

if TYPE_CHECKING:
    from .authoring import Node, _Compiler

__all__ = [
    "ATTRIBUTIONS",
    "derive_bounds",
    "name_key",
    "period_days",
    "url_problem",
]

#: Attribution kinds (rgv:attr-*), as written in a claims file.
ATTRIBUTIONS = (
    "own-reporting",
    "official",
    "agency",
    "court",
    "outlet",
    "expert",
    "activist",
    "witness",
    "document",
)
REFERENCE_KEYS = frozenset(
    [
        "url",
        "label",
        "publisher",
        "carried_by",
        "origin",
        "origin_publisher",
        "published",
        "date_from_url",
        "read",
        "language",
        "copy_note",
        "kind",
    ]
)
#: Keys of an evidence record of either kind; those only a passage has; those of a cited
#: reference (what the report attributes to whom).
COMMON_EVIDENCE_KEYS = frozenset(["claimant", "date", "date_inferred", "status", "quote"])
PASSAGE_KEYS = frozenset(["passage", "passage_exact", "anchor"])
EVIDENCE_KEYS = COMMON_EVIDENCE_KEYS | {"attribution", "via"}
MEASURE_KEYS = frozenset(["id", "label", "definition", "quantity", "unit", "counts", "per_subject"])


# --- names ---------------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """The form names are compared in: case, whitespace, curly quotes and diacritics folded.

    >>> name_key("  Wagner   GROUP ") == name_key("wagner group")
    True
    >>> name_key("Bakhmut\u2019s Caf\u00e9") == name_key("bakhmut's cafe")
    True
    """
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


# --- dates and bounds ------------------------------------------------------------------------------


def period_days(value: Literal) -> tuple[dt.date, dt.date]:
    """First and last day a date literal covers, by its precision (gYear, gYearMonth, date).

    >>> period_days(Literal("2025-02", datatype=XSD.gYearMonth))
    (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    """
    text = str(value)
    if value.datatype == XSD.gYear:
        year = int(text[:4])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if value.datatype == XSD.gYearMonth:
        year, month = int(text[:4]), int(text[5:7])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date.fromisoformat(text[:10])
    return day, day


Bound = tuple[Decimal | None, bool, Decimal | None, bool]


def derive_bounds(
    comparator: str,
    value: Decimal | None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    *,
    tolerance: Decimal = Decimal("0.1"),
    implied: tuple[Decimal, Decimal] | None = None,
) -> Bound:
    """(lower, lower inclusive, upper, upper inclusive) of a figure; None is an open side.

    The rule of docs/model.md, "Bounds": ``more-than 1000`` allows (1000, inf); ``about 8000``
    allows [7200, 8800] with the comparator's tolerance of 10 per cent; ``hundreds`` allows its
    implied [200, 999]; a stated range ``between 150 and 200`` allows [150, 200].

    >>> derive_bounds("more-than", Decimal(1000))
    (Decimal('1000'), False, None, False)
    >>> derive_bounds("about", Decimal(8000))
    (Decimal('7200.0'), True, Decimal('8800.0'), True)
    """
    t = tolerance
    if low is not None and high is not None:
        if comparator in ("about", "roughly"):
            return low * (1 - t), True, high * (1 + t), True
        return low, True, high, True
    if implied is not None:
        return implied[0], True, implied[1], True
    if value is None:
        return None, False, None, False
    v = value
    rules: dict[str, Bound] = {
        "exactly": (v, True, v, True),
        "more-than": (v, False, None, False),
        "over": (v, False, None, False),
        "just-over": (v, False, v * (1 + t), True),
        "at-least": (v, True, None, False),
        "about": (v * (1 - t), True, v * (1 + t), True),
        "roughly": (v * (1 - t), True, v * (1 + t), True),
        "nearly": (v * (1 - t), True, v, False),
        "almost": (v * (1 - t), True, v, False),
        "up-to": (None, False, v, True),
        "fewer-than": (None, False, v, False),
        "less-than": (None, False, v, False),
    }
    return rules.get(comparator, (None, False, None, False))


def _decimal_literal(value: Decimal) -> Literal:
    text = format(value.normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a well-formed http(s) address, or None when it is one."""
    if any(c.isspace() for c in url):
        return "contains white space"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "is not an http(s) address"
    if not parts.hostname or "." not in parts.hostname:
        return "has no host name"
    return None


def check_keys(comp: _Compiler, node: Node, allowed: frozenset[str], what: str) -> None:
    """Refuse a key ``node`` may not have, naming its line and the keys allowed."""
    unknown = set(node) - allowed
    if unknown:
        key = sorted(unknown)[0]
        raise comp.fail(
            node.line_of(key),
            f"{what}: unknown key {key!r}; allowed: {', '.join(sorted(allowed))}",
        )


# --- the reference header -------------------------------------------------------------------------


def reference_source(comp: _Compiler, sid: str, ref: object, line: int) -> URIRef:
    """Write the source record of a ``reference:`` header into ``comp.out``; return its IRI."""
    if not isinstance(ref, dict):
        raise comp.fail(line, "reference: expected a mapping (url, label, publisher, ...)")
    node: Node = ref  # type: ignore[assignment]
    check_keys(comp, node, REFERENCE_KEYS, "reference")
    for key in ("url", "label", "publisher", "read", "language"):
        if not node.get(key):
            raise comp.fail(node.line, f"reference: '{key}' is required")
    url = str(node["url"]).strip()
    problem = url_problem(url)
    if problem:
        raise comp.fail(node.line_of("url"), f"reference url {url!r} {problem}")
    s = RGD[sid]
    add = comp.out.add
    add((s, RDF.type, RG.Source))
    add((s, RDF.type, RG.ReferenceSource))
    add((s, RDF.type, SCHEMA[str(node.get("kind") or "NewsArticle")]))
    add((s, RDFS.label, Literal(str(node["label"]).strip(), lang="en")))
    add((s, SCHEMA.url, URIRef(url)))
    add((s, DCTERMS.publisher, comp.resolve_key(node, "publisher")))
    if node.get("carried_by"):
        add((s, RG.carriedBy, comp.resolve_key(node, "carried_by")))
    if node.get("published") is not None:
        add(
            (
                s,
                DCTERMS.issued,
                comp.date(node["published"], node.line_of("published"), "published"),
            )
        )
    elif node.get("date_from_url"):
        raise comp.fail(
            node.line_of("date_from_url"), "date_from_url: there is no 'published' date"
        )
    if node.get("date_from_url"):
        add((s, RG.dateFromUrl, Literal(True)))
    read = comp.date(node["read"], node.line_of("read"), "read")
    if read.datatype != XSD.date:
        raise comp.fail(node.line_of("read"), "read: the day the copy was read, YYYY-MM-DD")
    add((s, RG.dateRead, read))
    lang = str(node["language"]).strip()
    add((s, DCTERMS.language, Literal(lang)))
    if node.get("copy_note"):
        add((s, RG.copyNote, Literal(str(node["copy_note"]).strip(), lang="en")))
    add((s, RG.origin, _origin(comp, s, node)))
    return s


def _origin(comp: _Compiler, source: URIRef, node: Node) -> URIRef:
    """The story this source copies: itself unless ``origin`` names a wire story or original."""
    oid = node.get("origin")
    if not oid:
        if node.get("origin_publisher"):
            raise comp.fail(node.line_of("origin_publisher"), "origin_publisher needs an 'origin'")
        return source
    oid = str(oid).strip().removeprefix("rgd:")
    from .authoring import _ID_RE

    if not _ID_RE.match(oid):
        raise comp.fail(node.line_of("origin"), f"origin {oid!r} is not a kebab-case id")
    origin = RGD[oid]
    if origin == source or (origin, RDF.type, RG.Source) in comp.lookup:
        return origin  # the original is itself a source of the graph
    comp.out.add((origin, RDF.type, RG.StoryOrigin))
    label = f"Original story {oid}"
    if node.get("origin_publisher"):
        pub = comp.resolve_key(node, "origin_publisher")
        comp.out.add((origin, DCTERMS.publisher, pub))
        name = comp.out.value(pub, RDFS.label) or comp.lookup.value(pub, RDFS.label)
        if name is not None:
            # the same words from every copy's file, so the origin keeps one label
            label = f"{name}: original story {oid}"
    comp.out.add((origin, RDFS.label, Literal(label, lang="en")))
    return origin


# --- evidence of a reference source ---------------------------------------------------------------


def check_reference_item(comp: _Compiler, item: Node) -> None:
    """A claim or stage of a reference source: no passage keys, and a summary in our words."""
    for key in sorted(PASSAGE_KEYS):
        if key in item:
            raise comp.fail(
                item.line_of(key),
                f"{key}: a reference source has no text to point into; give 'attribution', "
                "'claimant' and 'summary' instead",
            )
    if not item.get("summary"):
        raise comp.fail(item.line, "summary: required in a reference source (our own words)")


def reference_details(comp: _Compiler, ev: URIRef, rec: Node) -> None:
    """What a cited report's evidence record states: attribution, claimant, via and the date
    (with the rules for a report whose own date is unknown)."""
    add = comp.out.add
    kind = str(rec.get("attribution") or "").strip().removeprefix("attr-")
    if kind not in ATTRIBUTIONS:
        raise comp.fail(
            rec.line_of("attribution"),
            f"attribution: {'required' if not kind else repr(kind) + ' is unknown'}; "
            f"one of {', '.join(ATTRIBUTIONS)}",
        )
    add((ev, RG.attribution, RGV[f"attr-{kind}"]))
    if rec.get("claimant"):
        add((ev, RG.claimant, comp.resolve_key(rec, "claimant")))
    elif kind != "own-reporting":
        raise comp.fail(
            rec.line_of("attribution"),
            f"claimant: required with attribution {kind} (who the report says made the "
            "statement; an unnamed body gets a descriptive entity)",
        )
    if rec.get("via"):
        add((ev, RG.via, comp.resolve_key(rec, "via")))
    if str(rec.get("date")).strip() == "unknown":
        if comp.source_date is not None:
            raise comp.fail(
                rec.line_of("date"),
                "date: unknown is only for a report with no date; omit 'date' to use the "
                "report's publication date",
            )
    elif rec.get("date") is not None:
        add((ev, RG.claimDate, comp.date(rec["date"], rec.line_of("date"), "date")))
        if rec.get("date_inferred"):
            add((ev, RG.dateInferred, Literal(True)))
    elif comp.source_date is not None:
        # no date given: the statement was made by the time the report was published
        add((ev, RG.claimDate, comp.source_date))
        add((ev, RG.dateInferred, Literal(True)))
    else:
        raise comp.fail(
            rec.line,
            "date: required, since the report's publication date is unknown (write "
            "`date: unknown` when the report gives no date at all)",
        )


# --- measures (figure ledgers) --------------------------------------------------------------------


def measure_iri(mid: str) -> URIRef:
    """The IRI of a measure id: ``rgd:measure-<id>``."""
    return RGD[f"measure-{mid}"]


def declare_measures(comp: _Compiler, items: object, line: int) -> None:
    """Write the measures of a ``measures:`` section into ``comp.out``."""
    from .authoring import _ID_RE, Node

    if items is None:
        return
    if not isinstance(items, list):
        raise comp.fail(line, "measures: expected a list")
    for m in items:
        if not isinstance(m, Node):
            raise comp.fail(line, "measures: each entry is a mapping")
        check_keys(comp, m, MEASURE_KEYS, "measure")
        mid = m.get("id")
        if not isinstance(mid, str) or not _ID_RE.match(mid):
            raise comp.fail(m.line, f"measure id {mid!r} is not a kebab-case id")
        for key in ("label", "definition", "quantity", "unit"):
            if not m.get(key):
                raise comp.fail(m.line, f"measure {mid}: '{key}' is required")
        iri = measure_iri(mid)
        if (iri, RDF.type, RG.Measure) in comp.out:
            raise comp.fail(m.line, f"measure {mid} is declared twice in this file")
        if (iri, RDF.type, RG.Measure) in comp.lookup:
            raise comp.fail(
                m.line, f"measure {mid} is already declared (data/measures.ttl or another file)"
            )
        add = comp.out.add
        add((iri, RDF.type, RG.Measure))
        add((iri, RDFS.label, Literal(str(m["label"]).strip(), lang="en")))
        add((iri, SKOS.definition, Literal(str(m["definition"]).strip(), lang="en")))
        add(
            (
                iri,
                RG.quantityKind,
                comp.concept("qty-", m["quantity"], m.line_of("quantity"), "quantity"),
            )
        )
        add((iri, RG.unit, comp.concept("unit-", m["unit"], m.line_of("unit"), "unit")))
        if m.get("counts"):
            add((iri, RG.counts, comp.resolve_key(m, "counts")))
        if m.get("per_subject"):
            add((iri, RG.perSubject, Literal(True)))


def _measure(comp: _Compiler, fig: Node) -> URIRef:
    mid = str(fig["measure"]).strip().removeprefix("rgd:").removeprefix("measure-")
    iri = measure_iri(mid)
    if (iri, RDF.type, RG.Measure) in comp.out or (iri, RDF.type, RG.Measure) in comp.lookup:
        return iri
    known = sorted(
        str(s)[len(str(RGD)) + len("measure-") :]
        for g in (comp.out, comp.lookup)
        for s in g.subjects(RDF.type, RG.Measure)
    )
    close = difflib.get_close_matches(mid, known, n=5, cutoff=0.4)
    raise comp.fail(
        fig.line_of("measure"),
        f"measure: unknown measure {mid!r}; closest: {', '.join(close) or 'none'} (declare it "
        "under `measures:` or compile data/claims/measures.yaml first)",
    )


def fill_from_measure(comp: _Compiler, fig: Node) -> None:
    """Take a figure's quantity kind and unit from its measure when the figure omits them."""
    if not fig.get("measure"):
        return
    m = _measure(comp, fig)
    for key, pred in (("measures", RG.quantityKind), ("unit", RG.unit)):
        if not fig.get(key):
            value = comp.out.value(m, pred) or comp.lookup.value(m, pred)
            if value is not None:
                fig[key] = "rgv:" + str(value)[len(str(RGV)) :]


def figure_ledger(comp: _Compiler, claim: URIRef, fig: Node) -> None:
    """The ledger keys of a figure: its measure and a stated range (``low``/``high``)."""
    if fig.get("measure"):
        comp.out.add((claim, RG.ofMeasure, _measure(comp, fig)))
    has_low, has_high = fig.get("low") is not None, fig.get("high") is not None
    if has_low != has_high:
        raise comp.fail(fig.line, "figure: a stated range needs both 'low' and 'high'")
    if has_low:
        if fig.get("value") is not None:
            raise comp.fail(fig.line_of("low"), "figure: give 'value' or 'low'/'high', not both")
        low = comp.number_key(fig, "low")
        high = comp.number_key(fig, "high")
        if Decimal(str(low)) > Decimal(str(high)):
            raise comp.fail(fig.line_of("low"), f"figure: low {low} is above high {high}")
        comp.out.add((claim, RG.rangeLow, low))
        comp.out.add((claim, RG.rangeHigh, high))
    elif str(fig.get("comparator", "")).strip().removeprefix("cmp-") == "between":
        raise comp.fail(fig.line_of("comparator"), "comparator between needs 'low' and 'high'")


def derive_figure_facts(out: Graph, vocab: Graph) -> None:
    """Add bounds and period days to every figure of ``out`` (the compiler's last step)."""
    for fig in set(out.subjects(RDF.type, RG.Figure)):
        cmp_iri = out.value(fig, RG.comparator)
        if cmp_iri is None:
            continue
        name = str(cmp_iri)[len(str(RGV)) :].removeprefix("cmp-")
        tol = _decimal(vocab.value(cmp_iri, RG.relativeTolerance))
        lo, hi = (
            _decimal(vocab.value(cmp_iri, RG.impliedLowerBound)),
            _decimal(vocab.value(cmp_iri, RG.impliedUpperBound)),
        )
        lower, lincl, upper, uincl = derive_bounds(
            name,
            _decimal(out.value(fig, RG.value)),
            _decimal(out.value(fig, RG.rangeLow)),
            _decimal(out.value(fig, RG.rangeHigh)),
            tolerance=tol if tol is not None else Decimal("0.1"),
            implied=(lo, hi) if lo is not None and hi is not None else None,
        )
        if lower is not None:
            out.add((fig, RG.lowerBound, _decimal_literal(lower)))
            out.add((fig, RG.lowerBoundInclusive, Literal(lincl)))
        if upper is not None:
            out.add((fig, RG.upperBound, _decimal_literal(upper)))
            out.add((fig, RG.upperBoundInclusive, Literal(uincl)))
        days = _figure_days(out, fig)
        if days is not None:
            out.add((fig, RG.periodFirstDay, Literal(days[0].isoformat(), datatype=XSD.date)))
            out.add((fig, RG.periodLastDay, Literal(days[1].isoformat(), datatype=XSD.date)))


def _figure_days(out: Graph, fig: Any) -> tuple[dt.date, dt.date] | None:
    """The days a figure refers to: period start/end, else period, else its earliest claim date."""
    start, end, period = (out.value(fig, p) for p in (RG.periodStart, RG.periodEnd, RG.period))
    spans = [period_days(v) for v in (start, end) if isinstance(v, Literal)]
    if spans:
        # a period open at one end covers the days of the end it gives
        return spans[0][0], spans[-1][1]
    if isinstance(period, Literal):
        return period_days(period)
    dates = [
        d
        for ev in out.objects(fig, RG.hasEvidence)
        for d in out.objects(ev, RG.claimDate)
        if isinstance(d, Literal)
    ]
    if not dates:
        return None
    # the earliest first day; of spans starting that day, the shortest (a day before its month),
    # whatever order the graph gives the dates in
    return min(period_days(d) for d in dates)


# --- names a report uses ----------------------------------------------------------------------------


def record_names(comp: _Compiler, items: object, line: int, language: str) -> None:
    """``names:``: each an alias of an existing entity, recorded with the source that uses it."""
    from .authoring import Node

    if items is None:
        return
    if not isinstance(items, list):
        raise comp.fail(line, "names: expected a list of {entity, name}")
    for entry in items:
        if not isinstance(entry, Node) or not entry.get("entity") or not entry.get("name"):
            raise comp.fail(
                getattr(entry, "line", line), "names: each entry is {entity: <id>, name: <name>}"
            )
        unknown = set(entry) - {"entity", "name", "lang"}
        if unknown:
            raise comp.fail(entry.line, f"names: unknown key(s) {sorted(unknown)}")
        iri = comp.resolve_key(entry, "entity")
        name = str(entry["name"]).strip()
        for table in (comp.file_names, comp.graph_names):
            others = table.get(name_key(name), set()) - {iri}
            if others:
                other = ", ".join(sorted(f"rgd:{str(o)[len(str(RGD)) :]}" for o in others))
                raise comp.fail(
                    entry.line_of("name"),
                    f"names: {name!r} already names {other}; one name cannot stand for two "
                    "entities (check whether they are the same actor)",
                )
        lang = str(entry.get("lang") or language)
        comp.out.add((iri, SKOS.altLabel, Literal(name, lang=lang)))
        comp._index(comp.file_names, name, iri)
        name_use(comp, iri, name, lang)


def name_use(comp: _Compiler, entity: URIRef, name: str, lang: str) -> None:
    """Record that this file's source calls ``entity`` by ``name``."""
    sid = str(comp.source)[len(str(RGD)) :]
    n = len(set(comp.out.subjects(RDF.type, RG.NameUse))) + 1
    use = RGD[f"{sid}-name-{n}"]
    comp.out.add((use, RDF.type, RG.NameUse))
    comp.out.add((use, RG.namedEntity, entity))
    comp.out.add((use, RG.nameUsed, Literal(name, lang=lang)))
    comp.out.add((use, RG.usedIn, comp.source))


# --- the parts of a claims file the compiler delegates here -----------------------------------------


def file_id(path: Any, doc: Node) -> str:
    """The id the output is named by: the ``source`` id, or, for a file holding only
    ``measures:`` (data/claims/measures.yaml), the file's name (``data/measures.ttl``)."""
    from .authoring import _ID_RE
    from .exc import InputError

    if "source" not in doc and "measures" in doc:
        extra = sorted(set(doc) - {"measures"})
        if extra:
            raise InputError(
                f"{path}:{doc.line_of(extra[0])}: a measures file holds only `measures:` "
                f"(found {extra[0]!r}); claims go in a source's file"
            )
        stem = str(getattr(path, "stem", path))
        if not _ID_RE.match(stem):
            raise InputError(f"{path}:1: the file name {stem!r} is not a kebab-case id")
        return stem
    sid = doc.get("source")
    if not isinstance(sid, str) or not _ID_RE.match(sid):
        raise InputError(
            f"{path}:{doc.line_of('source')}: 'source' must be the id of a registered source "
            "(or of a cited reference, with a `reference:` header)"
        )
    return sid


def compile_extras(comp: _Compiler) -> None:
    """The reference header, the ``measures:`` and the ``names:`` of the file being compiled."""
    doc = comp.doc
    if comp.reference:
        sid = str(comp.source)[len(str(RGD)) :]
        s = reference_source(comp, sid, doc["reference"], doc.line_of("reference"))
        comp.source_date = comp.out.value(s, DCTERMS.issued)
        # aliases of the entities this report introduces are names the report uses
        for ent in doc.get("entities") or []:
            for alias in ent.get("aliases") or []:
                name_use(comp, RGD[ent["id"]], str(alias), "en")
    declare_measures(comp, doc.get("measures"), doc.line_of("measures"))
    # a name is in the language of the source that uses it (a reference's header or a text's
    # registered record) unless its entry gives one
    language = comp.out.value(comp.source, DCTERMS.language) or comp.lookup.value(
        comp.source, DCTERMS.language
    )
    record_names(comp, doc.get("names"), doc.line_of("names"), str(language or "en"))


def check_new_entity(comp: _Compiler, ent: Node, iri: URIRef) -> None:
    """Refuse an entity another file already declares, or whose label or alias names another
    entity of the graph: one identity per actor, never two nodes merged on a guess later."""
    eid = str(iri)[len(str(RGD)) :]
    if (iri, RDF.type, None) in comp.lookup:
        raise comp.fail(
            ent.line,
            f"entity {eid} is already declared elsewhere in the graph: use its id and drop this "
            "declaration (record the names this report uses for it under `names:`)",
        )
    for key, name in [("label", ent.get("label"))] + [
        ("aliases", a) for a in ent.get("aliases") or []
    ]:
        others = comp.graph_names.get(name_key(str(name)), set()) - {iri}
        if others:
            other = ", ".join(sorted(f"rgd:{str(o)[len(str(RGD)) :]}" for o in others))
            raise comp.fail(
                ent.line_of(key),
                f"entity {eid}: the name {str(name)!r} already names {other}; if it is the same "
                "actor use that id, else give a name that tells them apart",
            )


def declared_elsewhere(path: Any, claims_dir: Any, vocab: Graph) -> Graph:
    """Entities and measures the other claims files of ``claims_dir`` declare (type, label,
    aliases; quantity kind and unit), for name resolution and the shapes only: files that name
    each other's entities compile in any order. A file that does not parse is left out (its own
    compile reports it; so does a value outside ``vocab``)."""
    import yaml

    from .authoring import _ID_RE

    found = Graph()
    own = Path(path).resolve()
    for other in sorted(Path(claims_dir).glob("*.yaml")):
        if other.resolve() == own:
            continue
        try:
            doc = yaml.safe_load(other.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if not isinstance(doc, dict):
            continue
        for ent in doc.get("entities") or []:
            eid = ent.get("id") if isinstance(ent, dict) else None
            if not isinstance(eid, str) or not _ID_RE.match(eid) or not ent.get("label"):
                continue
            iri = RGD[eid]
            types = ent.get("type")
            for t in types if isinstance(types, list) else [types]:
                if isinstance(t, str) and t:
                    found.add((iri, RDF.type, RG[t.removeprefix("rg:")]))
            found.add((iri, RDFS.label, Literal(str(ent["label"]), lang="en")))
            aliases = ent.get("aliases")
            for alias in aliases if isinstance(aliases, list) else []:
                found.add((iri, SKOS.altLabel, Literal(str(alias), lang="en")))
        for m in doc.get("measures") or []:
            mid = m.get("id") if isinstance(m, dict) else None
            if isinstance(mid, str) and _ID_RE.match(mid):
                iri = measure_iri(mid)
                found.add((iri, RDF.type, RG.Measure))
                found.add((iri, RDFS.label, Literal(str(m.get("label") or mid), lang="en")))
                found.add((iri, SKOS.definition, Literal(f"Declared in {other.name}.", lang="en")))
                for key, pred, prefix in (
                    ("quantity", RG.quantityKind, "qty-"),
                    ("unit", RG.unit, "unit-"),
                ):
                    concept = RGV[prefix + str(m.get(key) or "").removeprefix(prefix)]
                    if (concept, RDF.type, SKOS.Concept) in vocab:
                        found.add((iri, pred, concept))
    return found


# --- verify --------------------------------------------------------------------------------------


def reference_problems(graph: Graph, source: URIRef) -> list[str]:
    """What is wrong with a reference source's record and with the evidence that cites it:
    metadata complete (address, publisher, language, day read, origin), the address well formed,
    and every evidence record attributed (a claimant unless own reporting, no passage)."""
    sid = str(source).removeprefix(str(RGD))
    problems: list[str] = []
    url = graph.value(source, SCHEMA.url)
    if url is None:
        problems.append(f"{sid}: no schema:url")
    elif url_problem(str(url)):
        problems.append(f"{sid}: schema:url {url} {url_problem(str(url))}")
    for pred, what in (
        (RDFS.label, "rdfs:label"),
        (DCTERMS.publisher, "dcterms:publisher"),
        (DCTERMS.language, "dcterms:language"),
        (RG.dateRead, "rg:dateRead (the day the copy was read)"),
        (RG.origin, "rg:origin"),
    ):
        if graph.value(source, pred) is None:
            problems.append(f"{sid}: no {what}")
    issued = graph.value(source, DCTERMS.issued)
    if issued is None and graph.value(source, RG.dateFromUrl) is not None:
        problems.append(f"{sid}: rg:dateFromUrl without a publication date")
    if isinstance(issued, Literal) and issued.datatype not in (XSD.date, XSD.gYearMonth, XSD.gYear):
        problems.append(f"{sid}: dcterms:issued {issued} is not typed by its precision")
    own = RGV["attr-own-reporting"]
    for ev in sorted(graph.subjects(RG.source, source), key=str):
        name = str(ev).removeprefix(str(RGD))
        kind = graph.value(ev, RG.attribution)
        if kind is None:
            problems.append(f"{name}: evidence of a reference with no rg:attribution")
        elif kind != own and graph.value(ev, RG.claimant) is None:
            problems.append(
                f"{name}: attributed ({str(kind).removeprefix(str(RGV))}) to no claimant"
            )
        if graph.value(ev, RG.passage) is not None:
            problems.append(f"{name}: a passage into {sid}, whose text the project does not hold")
    return problems


def source_kinds(graph: Graph) -> tuple[tuple[URIRef, int], ...]:
    """How many sources of each kind ``graph`` holds: texts held, then cited references."""
    return tuple(
        (cls, len(set(graph.subjects(RDF.type, cls))))
        for cls in (RG.TextSource, RG.ReferenceSource)
    )
