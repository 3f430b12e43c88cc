"""A deterministic Turtle writer for the files recruitgraph generates (``data/*.ttl``).

Subjects, predicates and objects are sorted (``rdf:type`` first), prefixes come from
:data:`recruitgraph.namespaces.PREFIXES`, so the same graph always gives the same bytes and a
diff shows only what changed. Blank nodes are refused: ``data/`` has none (docs/design.md).
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD, NamespaceManager

from .namespaces import PREFIXES

__all__ = ["serialize_turtle"]


def _manager() -> NamespaceManager:
    nm = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        nm.bind(prefix, iri, override=True, replace=True)
    return nm


def _term(term: object, nm: NamespaceManager, used: set[str]) -> str:
    if isinstance(term, BNode):
        raise ValueError("blank nodes are not allowed in generated data files")
    if isinstance(term, URIRef):
        s = str(term)
        for prefix, iri in PREFIXES.items():
            if s.startswith(iri):
                local = s[len(iri) :]
                if local and all(c.isalnum() or c in "-_" for c in local) and local[0] != "-":
                    used.add(prefix)
                    return f"{prefix}:{local}"
        return f"<{s}>"
    if isinstance(term, Literal):
        if term.datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", str(term)):
            return str(term)
        if term.datatype == XSD.boolean and str(term) in ("true", "false"):
            return str(term)
        if term.datatype is not None:
            dt = _term(term.datatype, nm, used)
            lexical = Literal(str(term)).n3()
            return f"{lexical}^^{dt}"
        return term.n3()
    raise TypeError(f"unexpected RDF term {term!r}")


def _sort_key(term: object) -> tuple[int, str, str]:
    extra = getattr(term, "datatype", None) or getattr(term, "language", None) or ""
    return (0 if isinstance(term, URIRef) else 1, str(term), str(extra))


def serialize_turtle(graph: Graph, *, header: str = "") -> str:
    """Serialise ``graph`` as sorted Turtle, with ``header`` as leading ``#`` comment lines."""
    nm = _manager()
    used: set[str] = set()
    blocks: list[str] = []
    for subject in sorted(set(graph.subjects()), key=_sort_key):
        preds = sorted(set(graph.predicates(subject)), key=lambda p: (p != RDF.type, str(p)))
        lines: list[str] = []
        for p in preds:
            objs = sorted(graph.objects(subject, p), key=_sort_key)
            pname = "a" if p == RDF.type else _term(p, nm, used)
            rendered = " ,\n        ".join(_term(o, nm, used) for o in objs)
            lines.append(f"    {pname} {rendered}")
        blocks.append(_term(subject, nm, used) + "\n" + " ;\n".join(lines) + " .\n")
    head = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items() if p in used)
    return head + ("\n" if head else "") + prefixes + "\n" + "\n".join(blocks)
