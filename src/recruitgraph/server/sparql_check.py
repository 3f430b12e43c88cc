"""Checking a request's SPARQL text without evaluating it.

Two stages. :func:`nesting_depth` runs in the server process on the raw text: a linear scan that
refuses texts nested deeper than :data:`MAX_NESTING` before any parser sees them (a recursive
parser given 4,000 nested braces overflows its stack). :func:`parse_operation` runs in a query
worker, under the worker's time and memory limits: it parses the text with rdflib's SPARQL parser,
translates it to the algebra, and refuses SERVICE and LOAD found *in the algebra*, never by
scanning the text. The worker then evaluates with pyoxigraph; as a second wall, the worker process
cannot open network sockets at all (see :mod:`.sandbox`), so a text the two parsers read
differently still cannot reach another host.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .refusal import Refusal

#: Deepest nesting of brackets (``{``, ``(``, ``[`` together) a request may have.
MAX_NESTING = 64


class CheckFailed(Refusal):
    """The text is refused by a check made before (or instead of) evaluating it."""


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting of ``text`` outside strings, comments and IRIs.

    Brackets are counted generously (an unbalanced ``<`` that is really "less than" hides the
    rest of the line), which can only refuse a text, never let a deeper one through: the scan
    never skips past the end of a line except inside long strings.
    """
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            while i < n and text[i] not in "\n\r":
                i += 1
            continue
        if c in "\"'":
            long = text.startswith(c * 3, i)
            quote = c * 3 if long else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                if text[i] == "\\":
                    i += 1
                elif not long and text[i] in "\n\r":
                    break
                i += 1
            i += len(quote)
            continue
        if c == "<":
            j = i + 1
            while j < n and text[j] not in "<>\"{}|^`\\ \t\n\r":
                j += 1
            if j < n and text[j] == ">":
                i = j + 1
                continue
        elif c in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "})]":
            depth = max(0, depth - 1)
        i += 1
    return deepest


def check_nesting(text: str) -> None:
    """Refuse (400) a text nested deeper than :data:`MAX_NESTING`."""
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise CheckFailed(400, "Query nested too deeply",
                          f"the text nests brackets {depth} deep; this server accepts at most {MAX_NESTING}")


@dataclass(frozen=True)
class Parsed:
    """What parsing found: ``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE`` or ``UPDATE``,
    and for updates whether they name their own dataset (``USING``/``USING NAMED``/``WITH``)
    and whether every DELETE/INSERT operation has USING clauses."""

    kind: str
    own_dataset: bool = False
    all_using: bool = False


def _nodes(value: Any) -> Iterator[Any]:
    """Every CompValue in an rdflib parse tree or algebra (iteratively: trees can be deep)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [value]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset | ParseResults):
            stack.extend(item)
        elif hasattr(item, "algebra"):  # rdflib's Query / Update wrappers
            stack.append(item.algebra)


_REMOTE = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


def _refuse_remote(*trees: Any) -> None:
    for tree in trees:
        for node in _nodes(tree):
            keyword = _REMOTE.get(node.name)
            if keyword:
                raise CheckFailed(400, f"{keyword} refused",
                                  f"this endpoint never contacts other hosts: remove the {keyword} "
                                  f"{'clause' if keyword == 'SERVICE' else 'operation'}")


def _syntax(exc: Exception, what: str, text: str | None, prefixes: Mapping[str, str]) -> CheckFailed:
    """The error for a text rdflib refused, located as precisely as possible.

    pyparsing reports where the outermost rule failed, often a line early. pyoxigraph's parser
    names the exact token; its message is used when it refuses the text too. It is given an
    empty store with no data, and only for queries in a worker without network access (``text``
    is None otherwise): when pyoxigraph accepts the text, nothing is read from its answer and
    rdflib's refusal stands.
    """
    import pyoxigraph as ox

    from ..queries import syntax_position

    if text is not None:
        try:
            ox.Store().query(text, prefixes=dict(prefixes))
        except SyntaxError as precise:
            return CheckFailed(400, f"Malformed {what}", f"SPARQL syntax error {syntax_position(precise)}")
        except Exception:  # an evaluation error: rdflib's message stands
            pass
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    message = getattr(exc, "msg", None) or str(exc)
    where = f" at line {line}, column {col}" if line and col else ""
    return CheckFailed(400, f"Malformed {what}", f"SPARQL syntax error{where}: {message}")


def parse_operation(text: str, operation: str, prefixes: Mapping[str, str],
                    base: str | None = None, *, sandboxed: bool = False) -> Parsed:
    """Parse a query (``operation="query"``) or an update and refuse remote access.

    ``sandboxed`` (the process cannot open network sockets) allows a more precise message for
    malformed queries (see :func:`_syntax`).

    Raises :class:`CheckFailed` (400) for malformed text, an update sent as a query (or the
    reverse), SERVICE and LOAD. Nothing is evaluated.
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if "\r" in text:
        raise CheckFailed(400, "Carriage return in the text",
                          "end lines with LF: the server's two SPARQL parsers disagree on where a comment "
                          "ended by a bare CR stops, so such texts are refused")
    check_nesting(text)
    # The nesting limit bounds the parser's recursion; Python's default limit is lower than it needs.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    ns = dict(prefixes)
    if operation == "query":
        try:
            tree = parseQuery(text)
        except ParseBaseException as exc:
            try:
                parseUpdate(text)
            except ParseBaseException:
                raise _syntax(exc, "query", text if sandboxed else None, prefixes) from None
            raise CheckFailed(400, "Update sent as a query",
                              "this is SPARQL Update; send updates as update= or application/sparql-update") from None
        _refuse_remote(tree)
        try:
            algebra = translateQuery(tree, base=base, initNs=ns)
        except Exception as exc:  # rdflib raises plain Exceptions for unknown prefixes and scoping errors
            raise CheckFailed(400, "Malformed query", f"SPARQL error: {exc}") from None
        _refuse_remote(algebra)
        name = algebra.algebra.name
        kind = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
                "DescribeQuery": "DESCRIBE"}.get(name, "SELECT")
        return Parsed(kind)
    try:
        utree = parseUpdate(text)
    except ParseBaseException as exc:
        raise _syntax(exc, "update", None, prefixes) from None
    _refuse_remote(utree)
    try:
        # rdflib resets each operation's prologue to initNs, dropping PREFIX declarations made
        # earlier in the request; the predeclared prefixes are tried only when those fail.
        update = translateUpdate(utree, base=base)
    except Exception:
        try:
            update = translateUpdate(parseUpdate(text), base=base, initNs=ns)
        except Exception as exc:
            raise CheckFailed(400, "Malformed update", f"SPARQL error: {exc}") from None
    _refuse_remote(update)
    if not update.algebra:
        raise CheckFailed(400, "Malformed update", "the update has no operation")
    modify = [op for op in update.algebra if op.name == "Modify"]
    own = any(_has(op, "using") or _has(op, "withClause") for op in modify)
    return Parsed("UPDATE", own_dataset=own, all_using=bool(modify) and all(_has(op, "using") for op in modify))


def _has(node: Any, key: str) -> bool:
    # CompValue.get returns the key itself for a missing key: look in the mapping instead
    return dict.get(node, key) is not None


def add_using(text: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    """The update with ``USING``/``USING NAMED`` clauses for the protocol's ``using-graph-uri``
    and ``using-named-graph-uri``, placed before the WHERE of each DELETE/INSERT operation.

    The IRIs are serialised by the RDF library (so they cannot close the clause). The result is
    parsed again by the caller, which refuses it unless every operation has its USING clauses.
    """
    import pyoxigraph as ox

    from ..queries import _tokens

    clause = "".join(f" USING {ox.NamedNode(g)}" for g in using)
    clause += "".join(f" USING NAMED {ox.NamedNode(g)}" for g in using_named)
    out, last, depth, previous = [], 0, 0, ""
    for match in _tokens(text):
        word = (match.group("word") or "").upper()
        if match.group("brace") == "{":
            depth += 1
        elif match.group("brace") == "}":
            depth -= 1
        elif word == "WHERE" and depth == 0 and previous != "DELETE":
            out.append(text[last:match.start()] + clause + " ")
            last = match.start()
        if word:
            previous = word
    out.append(text[last:])
    return "".join(out)
