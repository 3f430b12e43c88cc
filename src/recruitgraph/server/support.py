"""How many independent origins stand behind a fact, for the entity and claim pages.

A fact is a relation (subject, relation, object) or a figure. Reprints and wire copies share one
``rg:origin`` (docs/model.md, "Origins"), so the pages count origins, not addresses. Where the
named query ``corroboration`` finds a fact (two origins or more; for a figure, the figures of its
measure that agree with it count too) its rows are the support; otherwise the fact's own evidence
records are, each with its source's origin.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..graph import KnowledgeGraph

__all__ = ["Backing", "OriginGroup", "Support", "corroboration_index", "fact_key", "figure_key"]

#: ("relation", subject, predicate, object) or ("figure", figure)
Key = tuple[str, ...]


@dataclass(frozen=True)
class Backing:
    """One statement of a fact: the claim (or figure) that makes it, its source and that source's origin."""

    origin: str
    source: str
    claim: str


@dataclass(frozen=True)
class OriginGroup:
    """An independent origin and the statements of the fact that go back to it."""

    origin: str
    backings: tuple[Backing, ...]

    @property
    def sources(self) -> list[str]:
        return sorted({b.source for b in self.backings})

    @property
    def copies(self) -> bool:
        """True when the origin is a story other sources copy, not one of the sources itself."""
        return any(b.source != self.origin for b in self.backings)


@dataclass(frozen=True)
class Support:
    """The statements behind one fact, grouped by origin."""

    backings: tuple[Backing, ...]
    corroborated: bool = False

    @property
    def sources(self) -> list[str]:
        return sorted({b.source for b in self.backings})

    @property
    def origins(self) -> list[OriginGroup]:
        groups: dict[str, list[Backing]] = {}
        for b in self.backings:
            groups.setdefault(b.origin, []).append(b)
        return [OriginGroup(o, tuple(bs)) for o, bs in sorted(groups.items())]

    @property
    def summary(self) -> str:
        """ "3 sources · 2 independent origins" """
        s, o = len(self.sources), len(self.origins)
        return f"{s} source{'' if s == 1 else 's'} · " + ("1 origin" if o == 1 else f"{o} independent origins")

    @classmethod
    def of(cls, backings: Iterable[Backing], *, corroborated: bool = False) -> Support:
        """Support from statements, each kept once, in a stable order."""
        return cls(tuple(sorted(set(backings), key=lambda b: (b.origin, b.source, b.claim))), corroborated)


def fact_key(subject: str, predicate: str, obj: str) -> Key:
    return ("relation", subject, predicate, obj)


def figure_key(figure: str) -> Key:
    return ("figure", figure)


def corroboration_index(kg: KnowledgeGraph) -> dict[Key, list[Backing]]:
    """The answer of the named query ``corroboration``, by fact: the statements from every origin."""
    index: dict[Key, list[Backing]] = {}
    result = kg.query("corroboration")
    for row in result.rows:
        s = {name: "" if row.get(name) is None else str(row[name]) for name in result.variables}.__getitem__
        key = figure_key(s("figure")) if s("kind") == "figure" else fact_key(s("subject"), s("predicate"), s("object"))
        index.setdefault(key, []).append(Backing(s("origin"), s("source"), s("claim")))
    return index
