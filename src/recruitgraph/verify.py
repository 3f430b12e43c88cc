"""Check the evidence against the source texts: hashes, passage selectors, figures.

A source whose text has changed is reported, never re-anchored: offsets into a different text
would point at different words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from . import config
from .evidence import Evidence, local_name, rdflib_select, read_evidence
from .exc import NoResult
from .locate import fingerprint
from .namespaces import OA, RG, RGD, SCHEMA
from .references import reference_problems
from .sources import SourceInfo, find_text, list_sources, load_base_graph, sha256_file

__all__ = [
    "EvidenceRecord",
    "VerifyReport",
    "evidence_records",
    "holds_text",
    "value_forms",
    "verify",
]

_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


_TIMES = {2: "twice", 3: "three times", 4: "four times", 10: "ten times"}


def value_forms(value: Decimal | int | float) -> list[str]:
    """Ways a source may write ``value``: 700000 -> "700,000", "700000", "700 thousand"...

    >>> value_forms(1000000)[:3]
    ['1,000,000', '1000000', '1 000 000']
    >>> "1 million" in value_forms(1000000)
    True
    """
    v = Decimal(str(value))
    if v != v.to_integral_value():
        return list(dict.fromkeys([f"{v:f}", f"{v:,f}"]))
    n = int(v)
    forms = [f"{n:,}", str(n), f"{n:,}".replace(",", " ")]
    for word, size in (("billion", 10**9), ("million", 10**6), ("thousand", 10**3)):
        if size <= n < 1000 * size and (n * 10) % size == 0:
            # a whole or one-decimal quotient, which Decimal writes exactly: 700, 1.5 (and no
            # "7 thousand" for 700,000, nor "1000 thousand" for a million)
            short = f"{Decimal(n) / size:f}"
            forms.append(f"{short} {word}")
            if short == "1":
                forms += [f"one {word}", f"a {word}"]
    if 0 <= n < len(_SMALL):
        forms.append(_SMALL[n])
    if n in _TIMES:  # ratios: "exceeds twice the region's income"
        forms.append(_TIMES[n])
    if n == 12:
        forms.append("a dozen")
    elif n % 12 == 0 and 0 < n // 12 < len(_SMALL):
        forms.append(f"{_SMALL[n // 12]} dozen")
    return list(dict.fromkeys(forms))


def figure_in_text(value: Decimal | int | float, passage: str) -> bool:
    """Whether ``passage`` writes ``value`` in one of its usual forms (as a whole number)."""
    for form in value_forms(value):
        pattern = r"(?<![\d.,])" + re.escape(form).replace(r"\ ", r"\s+") + r"(?![\d]|[.,]\d)"
        if re.search(pattern, passage, flags=re.IGNORECASE):
            return True
    return False


@dataclass
class VerifyReport:
    """Problems found, and what was checked."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Sources registered with a text that was not found: nothing of them was checked.
    missing: list[str] = field(default_factory=list)
    sources_seen: int = 0
    sources_checked: int = 0
    references_checked: int = 0
    passages_checked: int = 0
    figures_checked: int = 0

    @property
    def checked_nothing(self) -> bool:
        """True when a text-held source was skipped, or when there was nothing to check."""
        return bool(self.missing) or not self.sources_seen

    @property
    def ok(self) -> bool:
        return not self.problems and not self.checked_nothing

    def text(self) -> str:
        lines = [f"note: {n}" for n in self.notes]
        lines += [f"problem: {p}" for p in self.problems]
        lines += [f"not checked: {m}" for m in self.missing]
        if self.checked_nothing:
            verdict = "nothing checked" if not self.sources_checked else "incomplete"
        elif self.problems:
            verdict = f"{len(self.problems)} problem(s)"
        else:
            verdict = "all fine"
        lines.append(
            f"checked {self.sources_checked} source text(s), {self.references_checked} "
            f"reference(s), {self.passages_checked} passage(s), {self.figures_checked} figure(s): "
            + verdict
        )
        return "\n".join(lines)


def _int(graph: Graph, s: Any, p: URIRef) -> int | None:
    v = graph.value(s, p)
    try:
        return None if v is None else int(str(v))
    except ValueError:
        return None


def _short(iri: object) -> str:
    s = str(iri)
    return "rgd:" + s[len(str(RGD)) :] if s.startswith(str(RGD)) else s


def _check_source(graph: Graph, info: SourceInfo, text: str, report: VerifyReport) -> None:
    if info.length is not None and len(text) != info.length:
        report.problems.append(
            f"{info.id}: text has {len(text)} characters, registered {info.length}"
        )
    passages = sorted(set(graph.subjects(RG.inSource, info.iri)), key=str)
    p: Any
    for p in passages:
        report.passages_checked += 1
        start, end = _int(graph, p, OA.start), _int(graph, p, OA.end)
        if start is None or end is None:
            report.problems.append(f"{_short(p)}: oa:start or oa:end missing or not an integer")
            continue
        if not 0 <= start < end <= len(text):
            report.problems.append(
                f"{_short(p)}: chars {start}-{end} lie outside the text of {info.id} ({len(text)} characters)"
            )
            continue
        expected = f"{info.iri}-chars-{start}-{end}"
        if str(p) != expected:
            report.problems.append(f"{_short(p)}: IRI does not match its offsets {start}-{end}")
        recorded = graph.value(p, RG.textFingerprint)
        found = fingerprint(text[start:end])
        if recorded is None:
            report.problems.append(f"{_short(p)}: no rg:textFingerprint to check its words by")
        elif str(recorded) != found:
            report.problems.append(
                f"{_short(p)}: the text at {start}-{end} has fingerprint {found}, recorded "
                f"{recorded}: the offsets no longer point at the words they were made for"
            )
        if text[start:end] != text[start:end].strip():
            report.notes.append(f"{_short(p)}: passage starts or ends with whitespace")
    for fig in sorted(set(graph.subjects(RDF.type, RG.Figure)), key=str):
        value = graph.value(fig, RG.value)
        if value is None:
            continue
        for ev in graph.objects(fig, RG.hasEvidence):
            p = graph.value(ev, RG.passage)
            if p is None or (p, RG.inSource, info.iri) not in graph:
                continue
            start, end = _int(graph, p, OA.start), _int(graph, p, OA.end)
            if start is None or end is None or not 0 <= start < end <= len(text):
                continue
            report.figures_checked += 1
            if not figure_in_text(Decimal(str(value)), text[start:end]):
                report.problems.append(
                    f"{_short(fig)}: value {value} not found in its passage {_short(p)}: "
                    f"{text[start:end]!r}"
                )


def holds_text(graph: Graph, info: SourceInfo) -> bool:
    """Whether the project holds the text of a source (registered with its SHA-256 and length),
    as opposed to a reference, known by its address only."""
    return (info.iri, RDF.type, RG.TextSource) in graph or info.sha256 is not None


def _check_reference(graph: Graph, info: SourceInfo, report: VerifyReport) -> None:
    """A reference source has no text to check: its record must be complete (an http(s) address,
    publisher, language, day read, origin) and every claim citing it attributed."""
    report.references_checked += 1
    if (info.iri, RDF.type, RG.ReferenceSource) not in graph and graph.value(
        info.iri, SCHEMA.url
    ) is None:
        report.problems.append(
            f"{info.id}: neither a registered text (rg:sha256) nor a reference with an http(s) "
            "schema:url"
        )
        return
    report.problems.extend(reference_problems(graph, info.iri))


def verify(
    graph: Graph | None = None, *, sources_dirs: Sequence[Path] | None = None
) -> VerifyReport:
    """Check every source: a held text by its hash, passages (offsets and fingerprints) and
    figures; a reference by its record. A held text that is not found is listed in
    ``missing`` (the report is then not ok: nothing of it was checked).

    ``graph`` defaults to the ontology and data files (``config.base_resources()``).
    """
    graph = load_base_graph() if graph is None else graph
    dirs = list(sources_dirs) if sources_dirs is not None else config.source_dirs()
    report = VerifyReport()
    for info in list_sources(graph):
        report.sources_seen += 1
        if not holds_text(graph, info):
            _check_reference(graph, info, report)
            continue
        path = find_text(info, dirs)
        if path is None:
            changed = [
                d / info.file_name
                for d in dirs
                if info.file_name and (d / info.file_name).is_file()
            ]
            if changed:
                report.problems.append(
                    f"{info.id}: text {changed[0]} has changed (SHA-256 {sha256_file(changed[0])[:12]}..., "
                    f"registered {(info.sha256 or '')[:12]}...); its passages are not re-anchored"
                )
            else:
                report.missing.append(
                    f"{info.id}: text {info.file_name or '(no file name)'} with SHA-256 "
                    f"{(info.sha256 or '')[:12]}... not found in {', '.join(map(str, dirs)) or '(no directory)'}"
                )
            continue
        report.sources_checked += 1
        _check_source(graph, info, path.read_text(encoding="utf-8"), report)
    for ev in sorted(set(graph.subjects(RDF.type, RG.Evidence)), key=str):
        p = graph.value(ev, RG.passage)
        src = graph.value(ev, RG.source)
        if p is not None and src is not None and (p, RG.inSource, src) not in graph:
            report.problems.append(
                f"{_short(ev)}: its passage {_short(p)} is not in its source {_short(src)}"
            )
    return report


@dataclass
class EvidenceRecord:
    """One evidence record of a claim as ``show-evidence`` prints it: the shared record
    (:class:`~recruitgraph.evidence.Evidence`) with the passage text when the source is present,
    or why it is absent, and the labels of the claim and the claimant."""

    evidence: Evidence
    source: str
    claimant: str | None
    passage: str | None
    absent_reason: str | None = None
    label: str | None = None
    via: str | None = None

    def describe(self) -> str:
        ev = self.evidence
        where = f"chars {ev.start}-{ev.end}" if not ev.is_reference else ev.url
        date = f"{ev.date} (inferred)" if ev.date and ev.inferred else ev.date
        lines = [
            f"{_short(URIRef(ev.iri))} (claim {_short(URIRef(ev.claim))})",
            f"  claim:    {self.label or '-'}",
            f"  source:   {self.source}  {where}",
            f"  claimant: {self.claimant or '(the source itself)'}",
            f"  date:     {date or '-'}",
            f"  status:   {ev.status_name or '-'}",
        ]
        if ev.is_reference:
            cited = local_name(ev.attribution).removeprefix("attr-") or "-"
            lines.append(f"  cited:    {cited}" + (f", via {self.via}" if self.via else ""))
            lines.append("  passage:  (a cited report: the project does not hold its text)")
        elif self.passage is not None:
            lines.append(f"  passage:  {self.passage}")
        else:
            lines.append(f"  passage:  (text absent: {self.absent_reason})")
        return "\n".join(lines)


def _claim_iri(graph: Graph, claim: str) -> URIRef:
    text = claim.strip()
    if text.startswith("rgd:"):
        text = text[4:]
    if text.startswith(("http://", "https://")):
        candidates = [URIRef(text)]
    else:
        candidates = [RGD[text], RGD[f"claim-{text}"], RGD[f"fig-{text}"]]
    for c in candidates:
        if (c, RG.hasEvidence, None) in graph:
            return c
    known = [_short(s) for s in set(graph.subjects(RG.hasEvidence, None))]
    close = difflib.get_close_matches(f"rgd:{text}", known, n=5, cutoff=0.5)
    raise NoResult(
        f"no claim {claim!r} with evidence; closest: {', '.join(sorted(close)) or 'none'}"
    )


def _label(graph: Graph, iri: Any) -> str | None:
    if iri is None:
        return None
    label = graph.value(iri, RDFS.label)
    return f"{label} ({_short(iri)})" if label is not None else _short(iri)


def evidence_records(
    graph: Graph | None, claim: str, sources_dirs: Sequence[Path] | None = None
) -> list[EvidenceRecord]:
    """The evidence of ``claim`` (IRI, ``rgd:`` name or id), with passage texts when present."""
    graph = load_base_graph() if graph is None else graph
    iri = _claim_iri(graph, claim)
    infos = {str(i.iri): i for i in list_sources(graph)}
    texts: dict[str, str | None] = {}
    records = []
    found = read_evidence(rdflib_select(graph, claim=iri), bound=("claim",))
    for ev in found.get(str(iri), []):
        passage, reason = None, None
        info = infos.get(ev.source)
        if info is None:
            reason = "source not registered"
        elif not ev.is_reference:
            if ev.source not in texts:
                path = find_text(info, sources_dirs)
                texts[ev.source] = path.read_text(encoding="utf-8") if path else None
            text = texts[ev.source]
            if text is None:
                reason = f"{info.file_name} not found with the registered SHA-256"
            elif ev.start is not None and ev.end is not None:
                recorded = graph.value(URIRef(ev.passage), RG.textFingerprint)
                if recorded is not None and str(recorded) != fingerprint(text[ev.start:ev.end]):
                    reason = f"the text at {ev.start}-{ev.end} does not match its fingerprint {recorded}"
                else:
                    passage = text[ev.start:ev.end]
        records.append(
            EvidenceRecord(
                evidence=ev,
                source=info.id if info else _short(URIRef(ev.source)),
                claimant=_label(graph, URIRef(ev.claimant) if ev.claimant else None),
                passage=passage,
                absent_reason=reason,
                label=str(graph.value(iri, RDFS.label) or "") or None,
                via=_label(graph, URIRef(ev.via) if ev.via else None),
            )
        )
    return records
