"""Query results: rows of rdflib terms, with the SPARQL 1.1 result formats and DataFrames.

Serialisations follow the W3C specifications: SPARQL 1.1 Query Results JSON, XML, CSV and TSV.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .exc import ConfigError
from .namespaces import PREFIXES

Row = dict[str, Node]

# Memoised: results repeat the same IRIs and literals, and building an rdflib term (IRI checks,
# literal casting) costs about 20 us, which made in-memory queries up to 3.8x slower than raw
# pyoxigraph (bench/run, 100k triples). Terms on both sides are immutable, so sharing is safe.
@lru_cache(maxsize=1 << 16)
def to_rdflib(term: Any) -> Node:
    """Convert a pyoxigraph term to its rdflib equivalent."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to pyoxigraph."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def compact(term: Node | None) -> str:
    """A short human form: prefixed names for project IRIs, plain values for literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        value = str(term)
        for prefix, iri in PREFIXES.items():
            if value.startswith(iri) and "/" not in value[len(iri):] and "#" not in value[len(iri):]:
                return f"{prefix}:{value[len(iri):]}"
        return value
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@dataclass
class QueryResult:
    """The answer of a SELECT or ASK query (CONSTRUCT/DESCRIBE give an rdflib Graph instead)."""

    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.boolean is not None else bool(self.rows)

    def column(self, name: str) -> list[Node | None]:
        """The values of one variable, in row order."""
        return [row.get(name) for row in self.rows]

    def values(self, name: str) -> list[str]:
        """The values of one variable as Python strings (unbound -> empty string)."""
        return [str(row[name]) if name in row else "" for row in self.rows]

    def to_records(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values (numbers as numbers, IRIs and others as strings)."""
        records = []
        for row in self.rows:
            record: dict[str, Any] = {}
            for var in self.variables:
                term = row.get(var)
                if isinstance(term, Literal):
                    value = term.toPython()
                    # numbers, booleans, dates and strings as Python values; anything rdflib
                    # cannot turn into one (gYear, a malformed literal) as its lexical form
                    kept = int | float | bool | str | Decimal | datetime.date | datetime.datetime | datetime.time
                    record[var] = value if isinstance(value, kept) else str(term)
                else:
                    record[var] = None if term is None else str(term)
            records.append(record)
        return records

    def to_dataframe(self) -> Any:
        """A pandas DataFrame with one column per variable (needs pandas: ``pip install recruitgraph[dataframe]``)."""
        try:
            import pandas as pd
        except ImportError:
            raise ConfigError("to_dataframe() needs pandas: pip install 'recruitgraph[dataframe]'") from None
        return pd.DataFrame.from_records(self.to_records(), columns=self.variables)

    def _repr_html_(self, max_rows: int = 200) -> str:
        """An HTML table for Jupyter: IRIs compacted with the project prefixes (full IRI in the
        tooltip), numbers right-aligned, everything escaped."""
        import html

        if self.boolean is not None:
            return f"<p><strong>ASK</strong>: {'yes' if self.boolean else 'no'}</p>"
        esc = html.escape
        head = "".join(f"<th>{esc(v)}</th>" for v in self.variables)
        body = []
        for row in self.rows[:max_rows]:
            cells = []
            for var in self.variables:
                term = row.get(var)
                if term is None:
                    cells.append("<td></td>")
                elif isinstance(term, URIRef):
                    cells.append(f'<td title="{esc(str(term), quote=True)}">{esc(compact(term))}</td>')
                elif isinstance(term, Literal) and isinstance(term.toPython(), int | float | Decimal):
                    cells.append(f'<td style="text-align:right">{esc(str(term))}</td>')
                else:
                    cells.append(f"<td>{esc(str(term))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = len(self.rows) - max_rows
        note = f"<p>{len(self.rows):,} rows" + (f"; the first {max_rows} shown" if more > 0 else "") + "</p>"
        return (f'{note}<table class="recruitgraph-result"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>")

    # -- serialisations ---------------------------------------------------------------------

    def serialize(self, format: str = "json") -> str:
        """Serialise as ``json``, ``xml``, ``csv``, ``tsv`` or a plain ``table``."""
        writers = {"json": self._json, "xml": self._xml, "csv": self._csv, "tsv": self._tsv,
                   "table": self._table}
        if format not in writers:
            raise ConfigError(f"unknown result format {format!r} (choose from {', '.join(writers)})")
        return writers[format]()

    def _json(self) -> str:
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean})
        bindings = [{var: _json_term(row[var]) for var in self.variables if var in row} for row in self.rows]
        return json.dumps({"head": {"vars": self.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False)

    def _xml(self) -> str:
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in self.variables]
        out.append("</head>")
        if self.boolean is not None:
            out.append(f"<boolean>{'true' if self.boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in self.rows:
                out.append("<result>")
                for var in self.variables:
                    if var in row:
                        out.append(f"<binding name={quoteattr(var)}>{_xml_term(row[var])}</binding>")
                out.append("</result>")
            out.append("</results>")
        out.append("</sparql>")
        return "\n".join(out) + "\n"

    def _csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if self.boolean is not None:
            writer.writerow(["_askResult"])
            writer.writerow(["true" if self.boolean else "false"])
            return buffer.getvalue()
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow([_csv_term(row.get(var)) for var in self.variables])
        return buffer.getvalue()

    def _tsv(self) -> str:
        if self.boolean is not None:
            return "?_askResult\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join(_tsv_term(row.get(var)) for var in self.variables))
        return "\n".join(lines) + "\n"

    def _table(self) -> str:
        if self.boolean is not None:
            return ("yes" if self.boolean else "no") + "\n"
        cells = [[compact(row.get(var)) for var in self.variables] for row in self.rows]
        return format_table(self.variables, cells) + f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})\n"


def format_table(headers: Sequence[str], cells: Sequence[Sequence[str]], max_width: int = 60) -> str:
    """A plain-text table, long cells cut with an ellipsis."""
    def cut(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cut(c) for c in row] for row in cells]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join([line, rule, *body]) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    return str(to_oxigraph(term))


def result_from_oxigraph(solutions: Any) -> QueryResult:
    """Materialise pyoxigraph's SELECT solutions or ASK boolean."""
    if isinstance(solutions, ox.QueryBoolean):
        return QueryResult(boolean=bool(solutions))
    variables = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        row: Row = {}
        for var in variables:
            value = solution[var]
            if value is not None:
                row[var] = to_rdflib(value)
        rows.append(row)
    return QueryResult(variables=variables, rows=rows)


def graph_from_triples(triples: Any) -> Graph:
    """An rdflib Graph with the project prefixes from pyoxigraph triples."""
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph


def result_from_sparql_json(data: dict[str, Any]) -> QueryResult:
    """Parse a SPARQL 1.1 JSON result document (from a remote endpoint)."""
    if "boolean" in data:
        return QueryResult(boolean=bool(data["boolean"]))
    variables = list(data.get("head", {}).get("vars", []))
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        row: Row = {}
        for var, value in binding.items():
            kind = value.get("type")
            if kind == "uri":
                row[var] = URIRef(value["value"])
            elif kind == "bnode":
                row[var] = BNode(value["value"])
            else:
                lang = value.get("xml:lang")
                datatype = value.get("datatype")
                if lang:
                    row[var] = Literal(value["value"], lang=lang)
                elif datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
                    row[var] = Literal(value["value"], datatype=URIRef(datatype))
                else:
                    row[var] = Literal(value["value"])
        rows.append(row)
    return QueryResult(variables=variables, rows=rows)
