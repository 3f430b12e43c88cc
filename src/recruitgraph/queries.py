"""Named queries: ``queries/*.rq`` files with a YAML header in ``#+`` comment lines.

A header looks like this (grlc's convention, with parameters typed)::

    #+ title: Troop figures
    #+ description: What each claimant said about the number of Russian troops fighting.
    #+ tags: [figures, troops]
    #+ parameters:
    #+   - name: claimant
    #+     type: iri
    #+     class: rg:Agent
    #+     required: false
    #+     description: Only figures claimed by this agent.

Parameters are turned into RDF terms here and handed to the engine as substitutions (local
store) or a ``VALUES`` block of serialised terms (remote endpoints): the query text is never
built by pasting user input into it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from .exc import ParameterError, QueryHeaderError, QuerySyntaxError, UnknownQueryError
from .namespaces import PREFIXES, RGD

XSD = "http://www.w3.org/2001/XMLSchema#"

#: Parameter types a header may declare.
PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "boolean")

_HEADER_KEYS = {"title", "description", "tags", "parameters", "examples"}
_PARAM_KEYS = {"name", "type", "class", "required", "default", "description", "label"}
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUERY_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Parameter:
    """A declared parameter of a named query."""

    name: str
    type: str = "string"
    required: bool = False
    default: Any = None
    description: str = ""
    cls: str | None = None  # for iri parameters: the class whose instances fit
    label: str = ""

    def to_term(self, value: Any) -> ox.NamedNode | ox.Literal:
        """Turn a user value into an RDF term of the declared type, or refuse it."""
        if isinstance(value, ox.NamedNode | ox.Literal):
            return value
        text = str(value).strip()
        try:
            if self.type == "iri":
                return ox.NamedNode(expand_iri(text))
            if self.type == "string":
                return ox.Literal(str(value))
            if self.type == "integer":
                if isinstance(value, bool | date) or (isinstance(value, float | Decimal) and value != int(value)):
                    raise ValueError(text)
                number = int(value) if isinstance(value, int | float | Decimal) else int(text, 10)
                return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "integer"))
            if self.type == "decimal":
                decimal = Decimal(text)
                if not decimal.is_finite():
                    raise ValueError(text)
                return ox.Literal(str(decimal), datatype=ox.NamedNode(XSD + "decimal"))
            if self.type == "boolean":
                lowered = text.lower()
                if lowered not in ("true", "false", "1", "0"):
                    raise ValueError(text)
                return ox.Literal("true" if lowered in ("true", "1") else "false",
                                  datatype=ox.NamedNode(XSD + "boolean"))
            if self.type == "date":
                return date_literal(text)
        except (ValueError, InvalidOperation):
            pass
        raise ParameterError(f"parameter {self.name}: {value!r} is not a valid {self.type}"
                             + (" (expected an IRI, a prefixed name such as rgd:nepal, or an id)"
                                if self.type == "iri" else ""))


@dataclass(frozen=True)
class NamedQuery:
    """A query from ``queries/``: its text, header and declared parameters."""

    name: str
    path: Path
    text: str
    title: str
    description: str
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    @property
    def kind(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE."""
        return query_kind(self.text)

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise ParameterError(f"query {self.name} has no parameter {name!r} (its parameters: {known})")

    def bind(self, values: Mapping[str, Any]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Check ``values`` against the declared parameters and return them as RDF terms."""
        bound: dict[str, ox.NamedNode | ox.Literal] = {}
        for name, value in values.items():
            if value is None:
                continue
            bound[name] = self.parameter(name).to_term(value)
        for param in self.parameters:
            if param.name in bound:
                continue
            if param.default is not None:
                bound[param.name] = param.to_term(param.default)
            elif param.required:
                raise ParameterError(
                    f"query {self.name}: missing required parameter {param.name!r} ({param.type}"
                    + (f", a {param.cls}" if param.cls else "") + ")"
                )
        return bound

    def used_variables(self) -> set[str]:
        return used_variables(self.text)


def expand_iri(value: str) -> str:
    """``rgd:nepal`` -> full IRI; a bare id such as ``nepal`` -> ``rgd:nepal``; IRIs unchanged."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value) or value.startswith("urn:"):
        return value
    if ":" in value:
        prefix, local = value.split(":", 1)
        if prefix in PREFIXES:
            return PREFIXES[prefix] + local
        raise ValueError(value)
    if re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", value):
        return str(RGD) + value
    raise ValueError(value)


def date_literal(text: str) -> ox.Literal:
    """``2024`` -> xsd:gYear, ``2024-12`` -> xsd:gYearMonth, ``2024-12-19`` -> xsd:date."""
    if re.fullmatch(r"\d{4}", text):
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "gYear"))
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "gYearMonth"))
    date.fromisoformat(text)  # raises ValueError on nonsense such as 2024-02-31
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))


# -- query text helpers ---------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r'(?P<comment>#[^\n]*)|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)|(?P<word>[A-Za-z]+)|(?P<brace>[{}])",
)


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN_RE.finditer(text))


def used_variables(text: str) -> set[str]:
    """Variables that occur in a query (outside comments, strings and IRIs)."""
    return {m.group("var")[1:] for m in _tokens(text) if m.group("var")}


def query_kind(text: str) -> str:
    for match in _tokens(text):
        word = match.group("word")
        if word and word.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word.upper()
        if word and word.upper() in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD",
                                     "MOVE", "COPY", "WITH"):
            return "UPDATE"
    return "UNKNOWN"


def inject_values(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Add ``VALUES`` blocks of serialised RDF terms at the start of the outermost WHERE group.

    Used for remote endpoints, which have no substitution API. The terms are written by the RDF
    library in N-Triples syntax, so a value can never close the block or the query.
    """
    if not bindings:
        return text
    tokens = _tokens(text)
    kind = query_kind(text)
    insert_at = None
    seen_where = False
    depth = 0
    for match in tokens:
        word = (match.group("word") or "").upper()
        if word == "WHERE" and depth == 0:
            seen_where = True
        if match.group("brace") == "{":
            if depth == 0 and (seen_where or kind in ("SELECT", "ASK", "DESCRIBE")):
                insert_at = match.end()
                break
            depth += 1
        elif match.group("brace") == "}":
            depth -= 1
    if insert_at is None:
        raise ParameterError("cannot bind parameters in this query: it has no WHERE group")
    block = "".join(f" VALUES ?{name} {{ {term} }}" for name, term in sorted(bindings.items()))
    return text[:insert_at] + block + text[insert_at:]


def check_syntax(text: str, *, origin: str = "query") -> None:
    """Parse ``text`` with the SPARQL parser; raise :class:`QuerySyntaxError` naming line/column."""
    kind = query_kind(text)
    try:
        if kind == "UPDATE":
            ox.Store().update(text)
        else:
            ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"{origin}: SPARQL syntax error {syntax_position(exc)}") from None


def syntax_position(exc: SyntaxError) -> str:
    """pyoxigraph says ``error at 3:14: expected ...``; say it as ``at line 3, column 14: ...``."""
    message = str(exc)
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if match:
        return f"at line {match.group(1)}, column {match.group(2)}: {match.group(3)}"
    return message


# -- headers ---------------------------------------------------------------------------------


def parse_header(text: str, path: Path) -> dict[str, Any]:
    """Read the ``#+`` YAML header of a query file; fail loudly when it is malformed."""
    lines = []
    first_line = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#+"):
            if first_line is None:
                first_line = number
            body = line[2:]
            lines.append(body[1:] if body.startswith(" ") else body)
    if not lines:
        raise QueryHeaderError(f"{path}: no '#+' header (title, description, parameters)")
    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = (first_line or 1) + (mark.line if mark is not None else 0)
        raise QueryHeaderError(f"{path}:{at}: malformed header: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(header, dict):
        raise QueryHeaderError(f"{path}:{first_line}: the header must be a YAML mapping")
    unknown = set(header) - _HEADER_KEYS
    if unknown:
        raise QueryHeaderError(f"{path}: unknown header key(s) {sorted(unknown)} (allowed: {sorted(_HEADER_KEYS)})")
    for key in ("title", "description"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise QueryHeaderError(f"{path}: header needs a non-empty '{key}'")
    return header


def _parameter(raw: Any, path: Path) -> Parameter:
    if not isinstance(raw, dict):
        raise QueryHeaderError(f"{path}: each parameter must be a mapping with name and type")
    unknown = set(raw) - _PARAM_KEYS
    if unknown:
        raise QueryHeaderError(f"{path}: parameter {raw.get('name')!r}: unknown key(s) {sorted(unknown)}")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise QueryHeaderError(f"{path}: parameter name {name!r} is not a SPARQL variable name")
    ptype = raw.get("type", "string")
    if ptype not in PARAM_TYPES:
        raise QueryHeaderError(f"{path}: parameter {name}: type {ptype!r} is not one of {', '.join(PARAM_TYPES)}")
    cls = raw.get("class")
    if cls is not None:
        try:
            cls = expand_iri(str(cls))
        except ValueError:
            raise QueryHeaderError(f"{path}: parameter {name}: class {cls!r} is not an IRI or prefixed name") from None
    param = Parameter(name=name, type=ptype, required=bool(raw.get("required", False)),
                      default=raw.get("default"), description=str(raw.get("description", "")),
                      cls=cls, label=str(raw.get("label", "")))
    if param.default is not None:
        try:
            param.to_term(param.default)
        except ParameterError as exc:
            raise QueryHeaderError(f"{path}: default of {exc}") from None
    return param


def load_query(path: Path) -> NamedQuery:
    """Read and check one named query file."""
    name = path.stem
    if not _QUERY_NAME_RE.match(name):
        raise QueryHeaderError(f"{path}: query file names are lower-case words joined by '-'")
    text = path.read_text(encoding="utf-8")
    header = parse_header(text, path)
    raw_params = header.get("parameters") or []
    if not isinstance(raw_params, list):
        raise QueryHeaderError(f"{path}: 'parameters' must be a list")
    params = tuple(_parameter(raw, path) for raw in raw_params)
    tags = header.get("tags") or []
    if not isinstance(tags, list):
        raise QueryHeaderError(f"{path}: 'tags' must be a list")
    query = NamedQuery(name=name, path=path, text=text, title=header["title"].strip(),
                       description=" ".join(header["description"].split()),
                       tags=tuple(str(t) for t in tags), parameters=params)
    check_syntax(text, origin=str(path))
    missing = {p.name for p in params} - query.used_variables()
    if missing:
        raise QueryHeaderError(f"{path}: declared parameter(s) {sorted(missing)} not used in the query")
    _check_substitutable(query)
    return query


def _check_substitutable(query: NamedQuery) -> None:
    """The engine binds parameters by SEP-0007 substitution, which needs them in the projection."""
    for param in query.parameters:
        if re.search(rf"BOUND\s*\(\s*[?$]{param.name}\s*\)", query.text, re.IGNORECASE):
            # pyoxigraph 0.5 evaluates BOUND() of a substituted variable to false: the filter
            # would silently keep every row.
            raise QueryHeaderError(
                f"{query.path}: BOUND(?{param.name}) on a parameter is unreliable with substitution; "
                f"use FILTER(COALESCE(?{param.name}, \"none\") = \"none\" || ?x = ?{param.name})"
            )
    if not query.parameters or query.kind != "SELECT":
        return
    for param in query.parameters:
        try:
            ox.Store().query(query.text, prefixes=PREFIXES,
                             substitutions={ox.Variable(param.name): ox.NamedNode("urn:x")})
        except RuntimeError:
            raise QueryHeaderError(
                f"{query.path}: parameter {param.name!r} must be in the SELECT projection "
                f"(write SELECT ?{param.name} ... or SELECT *, and add it to GROUP BY when "
                "aggregating): parameters are bound by the engine's substitution, not pasted into the text"
            ) from None


def load_named_queries(directory: Path) -> dict[str, NamedQuery]:
    """All named queries of ``directory``, by name."""
    return {path.stem: load_query(path) for path in sorted(directory.glob("*.rq"))}


class QueryCatalogue:
    """Named queries, loaded lazily and looked up by name with a helpful error."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._queries: dict[str, NamedQuery] | None = None

    def all(self) -> dict[str, NamedQuery]:
        if self._queries is None:
            self._queries = load_named_queries(self.directory) if self.directory.is_dir() else {}
        return self._queries

    def get(self, name: str) -> NamedQuery:
        queries = self.all()
        if name in queries:
            return queries[name]
        known = ", ".join(sorted(queries)) or "none"
        raise UnknownQueryError(f"no named query {name!r}; known queries: {known}")

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.all()
