"""Deterministic synthetic research-scale data in the recruitgraph ontology.

The generator writes a register-like dataset for benchmarks and scale tests: pseudonymous
individual recruit records (never named), recruitment networks tied to origin countries,
enlistment offices in synthetic regions, pipelines with staged evidence, and figures with full
evidence records (``rg:Evidence`` and ``rg:Passage`` selectors inside synthetic ``rg:Source``
records), following docs/design.md. Nothing in it is a fact: every IRI starts with
``rgd:synth-`` and every label says "synthetic".

The same ``triples`` and ``seed`` always give the same bytes (one seeded :class:`random.Random`,
no set or dict iteration of unordered data), so results can be compared across runs.

>>> import io
>>> buf = io.StringIO()
>>> generate(buf, triples=6000, seed=1)  # doctest: +ELLIPSIS
60...
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from .exc import ConfigError
from .namespaces import PREFIXES

#: One subject with its (predicate, object) pairs, all as N-Triples terms.
Block = tuple[str, list[tuple[str, str]]]

_RG = PREFIXES["rg"]
_RGV = PREFIXES["rgv"]
_RGD = PREFIXES["rgd"]
_XSD = PREFIXES["xsd"]

# fmt: off
#: Origin countries by ISO 3166-1 alpha-2 code, with the weight of their share of records.
#: The codes are real; every record attached to them is synthetic.
COUNTRIES: tuple[tuple[str, int], ...] = (
    ("RU", 3000), ("NP", 60), ("IN", 40), ("LK", 30), ("CU", 40), ("KP", 50), ("KZ", 25),
    ("KG", 25), ("TJ", 35), ("UZ", 35), ("TM", 10), ("AM", 10), ("AZ", 8), ("BY", 20),
    ("MD", 6), ("GE", 5), ("SY", 12), ("IQ", 8), ("EG", 10), ("YE", 10), ("SO", 8),
    ("CM", 8), ("GH", 8), ("NG", 10), ("KE", 12), ("ZM", 6), ("TZ", 5), ("UG", 6),
    ("RW", 4), ("SN", 6), ("CF", 5), ("CG", 5), ("BD", 12), ("PK", 8), ("AF", 6),
    ("VN", 5), ("LA", 4), ("MN", 4), ("CN", 12), ("BR", 4), ("CO", 6),
)
N_REGIONS = 85

#: Channel concept suffix -> cohort key, for Russian nationals and for foreign nationals.
_RU_CHANNELS: tuple[tuple[str, str, int], ...] = (
    ("regional-bonus", "wage-earners", 50),
    ("voluntary-contract", "wage-earners", 25),
    ("prison", "prisoners", 12),
    ("pretrial-detention", "pretrial-detainees", 6),
    ("conscript-pressure", "conscripts", 7),
)
_FOREIGN_CHANNELS: tuple[tuple[str, int], ...] = (
    ("false-job-offer", 35), ("migrant-pressure", 20), ("naturalisation", 15),
    ("residency-condition", 15), ("state-treaty", 15),
)
_DOMESTIC_COHORTS = (
    "wage-earners", "prisoners", "pretrial-detainees", "conscripts", "migrant-workers",
    "newly-naturalised",
)
_METHODS = (
    "false-promise-of-work", "withheld-documents", "debt-bondage", "threats",
    "coercion-by-superiors", "police-raid", "deception", "automatic-contract-extension",
)
#: Service status concept suffix and weight: most records are of serving recruits.
_SERVICE: tuple[tuple[str, int], ...] = (
    ("serving", 55), ("killed", 18), ("wounded", 15), ("pow", 5), ("deserted", 7),
)
_PRISON_SERVICE: tuple[tuple[str, int], ...] = (
    ("serving", 35), ("killed", 35), ("wounded", 18), ("pow", 6), ("deserted", 6),
)
_COMPARATORS: tuple[tuple[str, bool, int], ...] = (  # (suffix, has a value, weight)
    ("exactly", True, 40), ("about", True, 18), ("more-than", True, 14), ("at-least", True, 10),
    ("nearly", True, 5), ("roughly", True, 3), ("hundreds", False, 5), ("thousands", False, 5),
)
# fmt: on
_COUNTRY_QTY = ("nationals-recruited", "foreign-killed", "pows-held", "foreign-deaths-confirmed")
_REGION_QTY = ("contracts-signed", "confirmed-deaths", "killed-or-wounded", "citizens-recruited")
_FIRST_DAY = date(2022, 9, 21)
_DAYS = (date(2025, 12, 31) - _FIRST_DAY).days


def iri(ns: str, local: str) -> str:
    return f"<{ns}{local}>"


def rg(local: str) -> str:
    return iri(_RG, local)


def rgv(local: str) -> str:
    return iri(_RGV, local)


def rgd(local: str) -> str:
    return iri(_RGD, local)


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{_XSD}{datatype}>'


def en(text: str) -> str:
    return f'"{text}"@en'


A = iri(PREFIXES["rdf"], "type")
LABEL = iri(PREFIXES["rdfs"], "label")
T_TRUE = typed("true", "boolean")


def _pick(rnd: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rnd.choices([k for k, _ in table], weights=[w for _, w in table])[0]


class _Generator:
    """Produces blocks in a fixed order; all randomness comes from one seeded RNG."""

    def __init__(self, triples: int, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.seed = seed
        self.target = triples
        self.n_sources = max(3, triples // 20_000)
        self.n_networks = max(len(COUNTRIES) - 1, min(2_000, triples // 4_000))
        self.sources: list[tuple[str, int]] = []  # (iri, character count)
        self.passages: set[tuple[int, int, int]] = set()
        self.networks: dict[str, list[str]] = {}
        self.claimants: list[tuple[str, str]] = []  # (agent iri, status suffix)

    # -- fixed part ------------------------------------------------------------------------
    def header(self) -> Iterator[Block]:
        for cc, _ in COUNTRIES:
            cls = rg("State") if cc == "RU" else rg("CountryOfOrigin")
            yield (
                self.country(cc),
                [
                    (A, cls),
                    (LABEL, en(f"{cc} (synthetic record set)")),
                    (rg("iso3166Alpha2"), typed(cc, "string")),
                ],
            )
        yield (
            rgd("synth-armed-forces"),
            [
                (A, rg("ArmedForces")),
                (LABEL, en("Synthetic armed forces")),
                (rg("country"), self.country("RU")),
            ],
        )
        for r in range(1, N_REGIONS + 1):
            yield (
                self.region(r),
                [
                    (A, rg("Region")),
                    (LABEL, en(f"Synthetic region {r}")),
                    (rg("locatedIn"), self.country("RU")),
                ],
            )
            yield (
                self.office(r),
                [
                    (A, rg("EnlistmentOffice")),
                    (LABEL, en(f"Synthetic enlistment office of region {r}")),
                    (rg("country"), self.country("RU")),
                    (rg("region"), self.region(r)),
                ],
            )
        for key in _DOMESTIC_COHORTS:
            yield (
                self.cohort(key),
                [
                    (A, rg("RecruitCohort")),
                    (LABEL, en(f"Synthetic cohort: {key.replace('-', ' ')}")),
                ],
            )
        for cc, _ in COUNTRIES[1:]:
            yield (
                self.cohort(f"nationals-{cc.lower()}"),
                [
                    (A, rg("RecruitCohort")),
                    (LABEL, en(f"Synthetic cohort: nationals of {cc}")),
                    (rg("originCountry"), self.country(cc)),
                ],
            )
        for ch, cohort, _ in _RU_CHANNELS:
            yield from self.channel(ch, self.cohort(cohort))
        for ch, _ in _FOREIGN_CHANNELS:
            yield from self.channel(ch, self.cohort("migrant-workers"))
        yield from self.agents()
        for i in range(1, self.n_sources + 1):
            yield self.source(i)

    def agents(self) -> Iterator[Block]:
        kinds = (
            ("ResearchOrganization", "research group", "independent-count", 6),
            ("MediaOutlet", "media outlet", "media-report", 6),
            ("ActivistGroup", "activist group", "activist-allegation", 3),
        )
        for cls, noun, status, n in kinds:
            for i in range(1, n + 1):
                agent = rgd(f"synth-{noun.replace(' ', '-')}-{i}")
                self.claimants.append((agent, status))
                yield agent, [(A, rg(cls)), (LABEL, en(f"Synthetic {noun} {i}"))]
        ministry = rgd("synth-ministry")
        self.claimants.append((ministry, "official-unverifiable"))
        self.claimants.append((ministry, "official-statement"))
        yield (
            ministry,
            [
                (A, rg("Ministry")),
                (LABEL, en("Synthetic ministry")),
                (rg("country"), self.country("RU")),
            ],
        )

    def channel(self, ch: str, cohort: str) -> Iterator[Block]:
        yield (
            rgd(f"synth-channel-{ch}"),
            [
                (A, rg("RecruitmentChannel")),
                (LABEL, en(f"Synthetic channel: {ch.replace('-', ' ')}")),
                (rg("channelType"), rgv(f"channel-{ch}")),
                (rg("drawsOn"), cohort),
                (rg("feedsInto"), rgd("synth-armed-forces")),
            ],
        )

    def source(self, i: int) -> Block:
        chars = self.rnd.randrange(20_000, 200_000)
        ident = f"synth-source-{i:04d}"
        self.sources.append((rgd(ident), chars))
        digest = hashlib.sha256(f"recruitgraph synthetic source {i} seed {self.seed}".encode())
        day = _FIRST_DAY + timedelta(days=self.rnd.randrange(_DAYS))
        return rgd(ident), [
            (A, rg("Source")),
            (A, rg("TextSource")),  # a held text: its evidence is passage-backed
            (LABEL, en(f"Synthetic source {i}")),
            (rg("sha256"), typed(digest.hexdigest(), "string")),
            (rg("characterCount"), typed(str(chars), "integer")),
            (iri(PREFIXES["dcterms"], "language"), typed("en", "string")),
            (iri(PREFIXES["dcterms"], "issued"), typed(day.isoformat(), "date")),
            (rg("fileName"), typed(f"{ident}.txt", "string")),
        ]

    # -- scaled part -----------------------------------------------------------------------
    def networks_and_pipelines(self) -> Iterator[Block]:
        foreign = COUNTRIES[1:]
        total = sum(w for _, w in foreign)
        spare = self.n_networks - len(foreign)
        n = 0
        for cc, w in foreign:
            count = 1 + spare * w // total
            for _ in range(count):
                n += 1
                yield from self.network(n, cc)

    def network(self, n: int, cc: str) -> Iterator[Block]:
        rnd = self.rnd
        net = rgd(f"synth-network-{n:04d}")
        self.networks.setdefault(cc, []).append(net)
        cls = rg("TraffickingRing") if rnd.random() < 0.2 else rg("RecruitmentNetwork")
        po = [
            (A, cls),
            (LABEL, en(f"Synthetic recruitment network {n} ({cc})")),
            (rg("country"), self.country(cc)),
            (rg("recruits"), self.cohort(f"nationals-{cc.lower()}")),
        ]
        for m in sorted(rnd.sample(_METHODS, rnd.randint(1, 2))):
            po.append((rg("usesMethod"), rgv(f"method-{m}")))
        yield net, po
        channel = rgd(f"synth-channel-{_pick(rnd, _FOREIGN_CHANNELS)}")
        pipe = rgd(f"synth-pipeline-{n:04d}")
        actors = (
            ("origin", self.country(cc)),
            ("intermediary", net),
            ("channel", channel),
            ("institution", self.office(rnd.randint(1, N_REGIONS))),
            ("front", rgd("synth-armed-forces")),
        )
        ppo = [
            (A, rg("Pipeline")),
            (LABEL, en(f"Synthetic pipeline {n} from {cc}")),
            (rg("pipelineOrigin"), self.country(cc)),
            (rg("pipelineChannel"), channel),
        ]
        stages = []
        for order, (role, actor) in enumerate(actors, start=1):
            stage = rgd(f"synth-pipeline-{n:04d}-stage-{order}")
            ppo.append((rg("hasStage"), stage))
            stages.append((stage, order, role, actor))
        yield pipe, ppo
        for stage, order, role, actor in stages:
            yield from self.claim(
                stage,
                [
                    (A, rg("Stage")),
                    (rg("stageOrder"), typed(str(order), "positiveInteger")),
                    (rg("stageRole"), rgv(f"role-{role}")),
                    (rg("stageActor"), actor),
                    (rg("summary"), en(f"Synthetic stage {order} ({role}) of pipeline {n}")),
                ],
            )

    def recruit(self, i: int) -> Block:
        rnd = self.rnd
        cc = rnd.choices(_CODES, weights=_WEIGHTS)[0]
        region = rnd.randint(1, N_REGIONS)
        po = [(A, rg("Recruit")), (LABEL, en(f"Synthetic recruit record {i:06d}"))]
        po.append((rg("nationality"), self.country(cc)))
        if cc == "RU":
            ch, cohort, _ = rnd.choices(_RU_CHANNELS, weights=[w for *_, w in _RU_CHANNELS])[0]
            po.append((rg("cohort"), self.cohort(cohort)))
            po.append((rg("recruitedThrough"), rgd(f"synth-channel-{ch}")))
            po.append((rg("enlistmentOffice"), self.office(region)))
            status = _pick(rnd, _PRISON_SERVICE if ch == "prison" else _SERVICE)
        else:
            ch = _pick(rnd, _FOREIGN_CHANNELS)
            cohort = "migrant-workers" if rnd.random() < 0.15 else f"nationals-{cc.lower()}"
            po.append((rg("cohort"), self.cohort(cohort)))
            po.append((rg("recruitedThrough"), rgd(f"synth-channel-{ch}")))
            po.append((rg("recruitedByNetwork"), rnd.choice(self.networks[cc])))
            status = _pick(rnd, _SERVICE)
        day = _FIRST_DAY + timedelta(days=rnd.randrange(_DAYS))
        po.append((rg("region"), self.region(region)))
        po.append((rg("contractDate"), typed(day.isoformat(), "date")))
        po.append((rg("serviceStatus"), rgv(f"service-{status}")))
        po.append((iri(PREFIXES["prov"], "wasDerivedFrom"), rnd.choice(self.sources)[0]))
        return rgd(f"synth-recruit-{i:06d}"), po

    def figure(self, i: int) -> Iterator[Block]:
        rnd = self.rnd
        fig = rgd(f"synth-fig-{i:06d}")
        po = [(A, rg("Figure"))]
        cmp_, has_value, _ = rnd.choices(_COMPARATORS, weights=[w for *_, w in _COMPARATORS])[0]
        if rnd.random() < 0.5:
            cc = rnd.choice(_CODES[1:])
            qty = rnd.choice(_COUNTRY_QTY)
            about = self.cohort(f"nationals-{cc.lower()}")
            scope = f"Synthetic count of {qty.replace('-', ' ')} among nationals of {cc}"
            po.append((rg("originCountry"), self.country(cc)))
            value = rnd.randint(1, 5_000)
        else:
            r = rnd.randint(1, N_REGIONS)
            qty = rnd.choice(_REGION_QTY)
            about = self.region(r)
            scope = f"Synthetic count of {qty.replace('-', ' ')} in synthetic region {r}"
            value = rnd.randint(10, 60_000)
        po += [(rg("measures"), rgv(f"qty-{qty}"))]
        if has_value:
            po.append((rg("value"), typed(str(value), "integer")))
        month = _FIRST_DAY + timedelta(days=rnd.randrange(_DAYS))
        po += [
            (rg("comparator"), rgv(f"cmp-{cmp_}")),
            (rg("unit"), rgv("unit-person")),
            (rg("about"), about),
            (rg("scope"), en(scope)),
            (rg("period"), typed(month.strftime("%Y-%m"), "gYearMonth")),
            (rg("summary"), en(f"{scope} (synthetic figure {i})")),
        ]
        if rnd.random() < 0.03:
            po.append((rg("rank"), rgv("rank-deprecated")))
        yield from self.claim(fig, po)

    def claim(self, node: str, po: list[tuple[str, str]]) -> Iterator[Block]:
        """A claim node with one evidence record and its passage selector."""
        rnd = self.rnd
        ev = node[:-1] + "-ev1>"
        po.append((rg("hasEvidence"), ev))
        yield node, po
        src_index = rnd.randrange(len(self.sources))
        src, chars = self.sources[src_index]
        while True:
            start = rnd.randrange(chars - 400)
            end = start + rnd.randint(40, 390)
            if (src_index, start, end) not in self.passages:
                self.passages.add((src_index, start, end))
                break
        passage = f"{src[:-1]}-chars-{start}-{end}>"
        epo = [(A, rg("Evidence")), (rg("source"), src), (rg("passage"), passage)]
        roll = rnd.random()
        if roll < 0.25:
            status = "source-report"
        elif roll < 0.3:
            status = "alleged"
        else:
            agent, status = rnd.choice(self.claimants)
            epo.append((rg("claimant"), agent))
        day = _FIRST_DAY + timedelta(days=rnd.randrange(_DAYS))
        epo.append((rg("claimDate"), typed(day.isoformat(), "date")))
        if rnd.random() < 0.1:
            epo.append((rg("dateInferred"), T_TRUE))
        epo.append((rg("verificationStatus"), rgv(f"status-{status}")))
        yield ev, epo
        yield (
            passage,
            [
                (A, rg("Passage")),
                (A, iri(PREFIXES["oa"], "TextPositionSelector")),
                (iri(PREFIXES["oa"], "start"), typed(str(start), "integer")),
                (iri(PREFIXES["oa"], "end"), typed(str(end), "integer")),
                (rg("inSource"), src),
            ],
        )

    # -- names ------------------------------------------------------------------------------
    @staticmethod
    def country(cc: str) -> str:
        return rgd(f"synth-country-{cc.lower()}")

    @staticmethod
    def region(r: int) -> str:
        return rgd(f"synth-region-{r:02d}")

    @staticmethod
    def office(r: int) -> str:
        return rgd(f"synth-enlistment-office-{r:02d}")

    @staticmethod
    def cohort(key: str) -> str:
        return rgd(f"synth-cohort-{key}")


_CODES = [cc for cc, _ in COUNTRIES]
_WEIGHTS = [w for _, w in COUNTRIES]


def blocks(triples: int, seed: int = 0) -> Iterator[Block]:
    """Yield subject blocks until about ``triples`` triples (never more than one block over)."""
    gen = _Generator(triples, seed)
    count = 0
    for block in gen.header():
        count += len(block[1])
        yield block
    for block in gen.networks_and_pipelines():
        count += len(block[1])
        yield block
    minimum = count
    if triples < minimum:
        raise ConfigError(
            f"--triples {triples}: too small; the fixed part alone has {minimum} triples"
        )
    recruit = figure = 0
    while count < triples:
        # One figure with its evidence per eight recruit records: a register with its tallies.
        if recruit % 8 == 7:
            figure += 1
            for block in gen.figure(figure):
                count += len(block[1])
                yield block
        recruit += 1
        block = gen.recruit(recruit)
        count += len(block[1])
        yield block


def minimum_triples(seed: int = 0) -> int:
    """The size of the fixed part (ontology-level entities, sources, networks, pipelines)."""
    gen = _Generator(0, seed)
    return sum(len(po) for _, po in gen.header()) + sum(
        len(po) for _, po in gen.networks_and_pipelines()
    )


def write_ntriples(out: TextIO, source: Iterator[Block]) -> int:
    """Write blocks as N-Triples; return the number of triples."""
    n = 0
    buf: list[str] = []
    for s, po in source:
        for p, o in po:
            buf.append(f"{s} {p} {o} .\n")
        n += len(po)
        if len(buf) > 20_000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))
    return n


_TTL_PREFIXES = ("rg", "rgv", "rgd", "rdf", "rdfs", "xsd", "dcterms", "prov", "oa")


def _abbreviate(term: str) -> str:
    if term.startswith("<"):
        for p in _TTL_PREFIXES:
            ns = PREFIXES[p]
            if term.startswith(ns, 1):
                local = term[len(ns) + 1 : -1]
                if local and all(c.isalnum() or c in "-_" for c in local):
                    return f"{p}:{local}"
        return term
    if "^^<" in term:
        lex, dt = term.split("^^<", 1)
        return f"{lex}^^{_abbreviate('<' + dt)}"
    return term


def write_turtle(out: TextIO, source: Iterator[Block]) -> int:
    """Write blocks as Turtle (prefixed names, one block per subject); return the triple count."""
    for p in _TTL_PREFIXES:
        out.write(f"@prefix {p}: <{PREFIXES[p]}> .\n")
    out.write("\n")
    n = 0
    for s, po in source:
        body = " ;\n    ".join(
            f"{'a' if p == A else _abbreviate(p)} {_abbreviate(o)}" for p, o in po
        )
        out.write(f"{_abbreviate(s)} {body} .\n\n")
        n += len(po)
    return n


def generate(out: TextIO, *, triples: int, seed: int = 0, fmt: str = "ntriples") -> int:
    """Write about ``triples`` synthetic triples to ``out``; return the exact count written."""
    if triples <= 0:
        raise ConfigError(f"--triples {triples}: must be a positive number")
    if fmt == "ntriples":
        return write_ntriples(out, blocks(triples, seed))
    if fmt == "turtle":
        return write_turtle(out, blocks(triples, seed))
    raise ConfigError(f"--format {fmt}: use ntriples or turtle")


def format_for(path: Path) -> str:
    """``turtle`` for ``.ttl`` files, else ``ntriples``."""
    return "turtle" if path.suffix.lower() == ".ttl" else "ntriples"


def generate_file(path: str | Path, *, triples: int, seed: int = 0, fmt: str | None = None) -> int:
    """Write the synthetic dataset to ``path`` (format from the extension unless given)."""
    target = Path(path)
    chosen = fmt or format_for(target)
    try:
        with target.open(
            "w", encoding="utf-8", newline="\n", buffering=io.DEFAULT_BUFFER_SIZE * 64
        ) as fh:
            return generate(fh, triples=triples, seed=seed, fmt=chosen)
    except OSError as exc:
        raise ConfigError(f"{target}: cannot write: {exc.strerror or exc}") from exc


__all__ = [
    "COUNTRIES",
    "N_REGIONS",
    "blocks",
    "format_for",
    "generate",
    "generate_file",
    "minimum_triples",
]
