"""Answers as tables people read: one row per fact, values in words.

A SELECT answer comes as SPARQL JSON. For the page (never for the downloads, which keep every
row as the store gave it):

- rows that differ only in their evidence (source, passage, offsets) become one row with an
  evidence cell: how many records, expandable in place to each passage's text;
- the source's title is said once above the table when every record has the same source;
- IRIs show as labels (or the words ``sitedata.readable_names`` makes for claims, figures and
  passages), the IRI staying in the link and its tooltip; numbers are grouped (1,000,000);
- a ``?xLabel`` column that repeats the label of ``?x``, and columns no row fills, are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..passages import SourceMeta
from . import sitedata

#: Answer variables that carry evidence rather than the fact itself.
EVIDENCE_VARS = frozenset({"ev", "evidence", "source", "sourceLabel", "sourceTitle", "passage", "start",
                           "end", "passageText", "link", "attribution", "attributionLabel", "url", "sourceUrl"})
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                                     "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong")}
_DECIMAL_TYPES = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


def number_words(value: str, datatype: str) -> str | None:
    """A number for reading: 1000000 -> "1,000,000", 2.50 -> "2.50"; None if not a number."""
    try:
        if datatype in _INTEGER_TYPES:
            return f"{int(value):,}"
        if datatype in _DECIMAL_TYPES and re.fullmatch(r"[+-]?\d+(\.\d+)?", value):
            whole, _, frac = value.lstrip("+").partition(".")
            return f"{int(whole):,}" + (f".{frac}" if frac else "")
        if datatype in _DECIMAL_TYPES:
            return f"{Decimal(value):,}"
    except (ValueError, InvalidOperation):
        return None
    return None


def header_words(variable: str) -> str:
    """A column name for reading: ``claimDate`` -> "Claim date", ``independentlyVerifiable`` ->
    "Independently verifiable" (the variable itself stays in the column's tooltip)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", variable).replace("_", " ").lower()
    return spaced[:1].upper() + spaced[1:]


def cell(term: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """One table cell: text, optional link to the entity page, tooltip and sort key."""
    value = term.get("value", "")
    if term.get("type") == "uri":
        local = sitedata.local_id(value)
        text = sitedata.display(value, names)
        return {"text": text, "href": f"/id/{local}" if local else None, "title": value, "sort": text.casefold()}
    datatype = term.get("datatype", "")
    sort: Any = value.casefold()
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        sort = float(value)
    shown = number_words(value, datatype) or value
    if datatype == _XSD + "boolean":
        shown = {"true": "yes", "1": "yes", "false": "no", "0": "no"}.get(value, value)
    return {"text": shown, "href": None, "title": datatype, "sort": sort}


@dataclass
class EvidenceRecord:
    """One evidence record of a row: where in which source, and the passage when held locally."""

    source: str = ""
    source_label: str = ""
    start: int | None = None
    end: int | None = None
    passage: str = ""
    text: str | None = None
    note: str = ""
    attribution: str = ""
    cite: SourceMeta | None = None

    @property
    def source_local(self) -> str | None:
        return sitedata.local_id(self.source)

    @property
    def passage_local(self) -> str | None:
        return sitedata.local_id(self.passage)


@dataclass
class Row:
    cells: list[dict[str, Any]]
    evidence: list[EvidenceRecord] = field(default_factory=list)


def _int(term: dict[str, Any] | None) -> int | None:
    if term is None:
        return None
    try:
        return int(term.get("value", ""))
    except ValueError:
        return None


def build(data: dict[str, Any], names: dict[str, str], sources: dict[str, SourceMeta] | None = None) -> dict[str, Any]:
    """The table of a SPARQL JSON answer (see the module docstring)."""
    if "boolean" in data:
        return {"boolean": bool(data["boolean"])}
    bindings = data["results"]["bindings"]
    every = data["head"]["vars"]
    filled = [v for v in every if not bindings or any(v in b for b in bindings)]
    evidence_vars = [v for v in filled if v in EVIDENCE_VARS]
    # group only when the answer carries evidence columns and something else to group by
    grouping = bool(evidence_vars) and len(evidence_vars) < len(filled)
    fact_vars = [v for v in filled if not (grouping and v in EVIDENCE_VARS)]
    variables = [v for v in fact_vars if not (v.endswith("Label") and v[:-5] in every)]
    sources = sources or {}
    rows: dict[tuple[Any, ...], Row] = {}
    for binding in bindings:
        key = tuple((binding[v].get("type"), binding[v].get("value"), binding[v].get("datatype"),
                     binding[v].get("xml:lang")) if v in binding else None for v in fact_vars)
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row([cell(binding[v], names) if v in binding else {"text": "", "href": None, "sort": ""}
                                   for v in variables])
        if grouping:
            record = _record(binding, names, sources)
            if record is not None and record not in row.evidence:
                row.evidence.append(record)
    listed = list(rows.values())
    headers = [(v, header_words(v)) for v in variables]
    all_sources = {r.source for row in listed for r in row.evidence}
    one_source = next(iter(all_sources)) if len(all_sources) == 1 and "" not in all_sources else None
    return {
        "variables": variables,
        "headers": headers,
        "rows": listed,
        "grouped": grouping,
        "answer_rows": len(bindings),
        "one_source": one_source,
        "one_source_label": sitedata.display(one_source, names) if one_source else "",
        "one_source_local": sitedata.local_id(one_source) if one_source else None,
        "hidden": len(every) - len(variables) - (len(evidence_vars) if grouping else 0),
        "with_evidence": sum(1 for row in listed if row.evidence),
    }


def _record(binding: dict[str, Any], names: dict[str, str], sources: dict[str, SourceMeta]) -> EvidenceRecord | None:
    def value(name: str) -> str:
        return str(binding[name]["value"]) if name in binding else ""

    source = value("source")
    start, end = _int(binding.get("start")), _int(binding.get("end"))
    passage = value("passage")
    if not (source or passage or start is not None):
        return None
    label = value("sourceLabel") or value("sourceTitle") or (sitedata.display(source, names) if source else "")
    text = value("passageText") or sitedata.passage_text(sources, source, start, end)
    note = "" if text else sitedata.missing_text_note(sources, source)
    cite = sitedata.citation(sources, source) if start is None else None
    return EvidenceRecord(source, label, start, end, passage, text or None, note, value("attribution"), cite)


__all__ = ["EVIDENCE_VARS", "EvidenceRecord", "build", "cell", "header_words", "number_words"]
