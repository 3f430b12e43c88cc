"""Find entities by name: a small word index over labels and aliases, built from the store.

The index is built once per build of the store (one SPARQL query for names, one for types) and
answers a keystroke's query with two binary searches over its sorted words, so autocomplete stays
fast on research-scale data (``bench/search_bench.py`` measures it at 1M triples). Every name in
every language is indexed: ``rdfs:label``, ``skos:prefLabel`` and ``skos:altLabel``, folded for
case and diacritics ("Nepál", "NEPAL" and "nepal" are the same word), so typing "nep" finds Nepal
and "wagner" finds the group whatever its label's spelling.

>>> fold("Ñepál Ⅱ")
'nepal ii'
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from .namespaces import PREFIXES, RGD

#: How many hits a search lists by default (the counts always cover every match).
DEFAULT_LIMIT = 20

_WORD = re.compile(r"\w+", re.UNICODE)
_LABEL, _PREF, _ALT = 0, 1, 2


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics, compatibility forms folded (NFKD)."""
    if text.isascii():  # nothing to decompose: the common case, kept fast for large registers
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, display label, class, and the alias that matched if not the label."""

    iri: str
    label: str
    cls: str
    matched: str = ""

    @property
    def local(self) -> str:
        return self.iri[len(str(RGD)):] if self.iri.startswith(str(RGD)) else self.iri


@dataclass
class Results:
    """A search's answer: the best ``hits`` and, for every match, its count by class."""

    query: str
    hits: list[Hit]
    total: int
    by_class: list[tuple[str, int]] = field(default_factory=list)

    def grouped(self) -> list[tuple[str, int, list[Hit]]]:
        """(class, how many match in all, the hits listed) in order of the best hit per class."""
        listed: dict[str, list[Hit]] = {}
        for hit in self.hits:
            listed.setdefault(hit.cls, []).append(hit)
        counts = dict(self.by_class)
        return [(cls, counts.get(cls, len(hits)), hits) for cls, hits in listed.items()]


class SearchIndex:
    """Names of the dataset's entities (``rgd:`` IRIs) with a sorted word list for prefix search.

    Per-keystroke work is two binary searches in the sorted words and a few vectorised passes over
    the matching entries (numpy), so a prefix that matches every name of a large register stays
    in milliseconds.
    """

    def __init__(self, entities: list[tuple[str, str, str]], names: list[tuple[int, str, int]]) -> None:
        import numpy as np

        # entities[i] = (iri, display label, class IRI); names[j] = (entity, name, kind)
        self.entities = entities
        self.names = names
        words_of = [words(name) for _, name, _ in names]
        norms = [" ".join(ws) for ws in words_of]
        pairs = sorted((w, j) for j, ws in enumerate(words_of) for w in set(ws))
        self._words = [w for w, _ in pairs]
        self._owner = np.fromiter((j for _, j in pairs), dtype=np.int64, count=len(pairs))
        by_norm = sorted(range(len(norms)), key=norms.__getitem__)
        self._norms = [norms[j] for j in by_norm]
        self._norm_order = np.array(by_norm, dtype=np.int64)
        self._name_entity = np.array([e for e, _, _ in names], dtype=np.int64)
        self._name_kind = np.array([k for _, _, k in names], dtype=np.int64)
        self._name_len = np.array([min(len(n), 4095) for n in norms], dtype=np.int64)
        classes = sorted({c for _, _, c in entities})
        self._classes = classes
        cls_id = {c: i for i, c in enumerate(classes)}
        self._entity_cls = np.array([cls_id[c] for _, _, c in entities], dtype=np.int64)
        by_label = sorted(range(len(entities)), key=lambda i: (entities[i][1].casefold(), entities[i][0]))
        rank = np.empty(len(entities), dtype=np.int64)
        rank[np.array(by_label, dtype=np.int64)] = np.arange(len(entities), dtype=np.int64)
        self._label_rank = rank
        self.by_iri = {iri: i for i, (iri, _, _) in enumerate(entities)}

    def __len__(self) -> int:
        return len(self.entities)

    @staticmethod
    def _span(items: list[str], prefix: str) -> tuple[int, int]:
        lo = bisect.bisect_left(items, prefix)
        return lo, bisect.bisect_left(items, prefix + "\U0010ffff", lo)

    def search(self, text: str, limit: int = DEFAULT_LIMIT, cls: str | None = None) -> Results:
        """Entities with a name whose words start with every word of ``text``, best first.

        Best: the whole name equals the query, then names that start with it, then labels
        before aliases, then shorter names. ``cls`` keeps one class only (counts still cover all).
        """
        import numpy as np

        query = words(text)
        if not query or not self.names:
            return Results(text, [], 0)
        ranges = [self._span(self._words, w) for w in query]
        rarest = min(range(len(query)), key=lambda i: ranges[i][1] - ranges[i][0])
        lo, hi = ranges[rarest]
        cand = self._owner[lo:hi]
        for i, (olo, ohi) in enumerate(ranges):
            if i != rarest and len(cand):
                mask = np.zeros(len(self.names), dtype=bool)
                mask[self._owner[olo:ohi]] = True
                cand = cand[mask[cand]]
        if not len(cand):
            return Results(text, [], 0)
        whole = " ".join(query)
        category = np.full(len(self.names), 2, dtype=np.int64)
        slo, shi = self._span(self._norms, whole)
        category[self._norm_order[slo:shi]] = 1
        elo = bisect.bisect_left(self._norms, whole, slo, shi)
        ehi = bisect.bisect_right(self._norms, whole, elo, shi)
        category[self._norm_order[elo:ehi]] = 0
        ent = self._name_entity[cand]
        score = ((category[cand] << 50) | (self._name_kind[cand] << 46) | (self._name_len[cand] << 34)
                 | self._label_rank[ent])
        order = np.lexsort((score, ent))
        ent_sorted = ent[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = ent_sorted[1:] != ent_sorted[:-1]
        best_e, best_s, best_name = ent_sorted[first], score[order][first], cand[order][first]
        counts = np.bincount(self._entity_cls[best_e], minlength=len(self._classes))
        by_class = sorted(((self._classes[c], int(n)) for c, n in enumerate(counts) if n),
                          key=lambda cn: (-cn[1], cn[0]))
        if cls is not None:
            keep = self._entity_cls[best_e] == (self._classes.index(cls) if cls in self._classes else -1)
            best_e, best_s, best_name = best_e[keep], best_s[keep], best_name[keep]
        if len(best_s) > limit:
            part = np.argpartition(best_s, limit)[:limit]
            best_e, best_s, best_name = best_e[part], best_s[part], best_name[part]
        hits = []
        for k in np.argsort(best_s, kind="stable"):
            iri, label, klass = self.entities[int(best_e[k])]
            name = self.names[int(best_name[k])][1]
            hits.append(Hit(iri, label, klass, "" if name == label else name))
        return Results(text, hits, int(first.sum()), by_class)

    def named(self, text: str) -> list[Hit]:
        """Entities one of whose names is ``text`` (case, accents and punctuation aside)."""
        whole = " ".join(words(text))
        if not whole:
            return []
        lo = bisect.bisect_left(self._norms, whole)
        hi = bisect.bisect_right(self._norms, whole, lo)
        found: dict[int, Hit] = {}
        for k in range(lo, hi):
            j = int(self._norm_order[k])
            e = self.names[j][0]
            iri, label, cls = self.entities[e]
            found.setdefault(e, Hit(iri, label, cls, "" if self.names[j][1] == label else self.names[j][1]))
        return sorted(found.values(), key=lambda h: h.iri)

    def similar(self, text: str, n: int = 5) -> list[Hit]:
        """Entities with a name spelt like ``text`` (for "did you mean" when nothing matches)."""
        import difflib

        whole = " ".join(words(text))
        found: list[Hit] = []
        for near in difflib.get_close_matches(whole, self._unique_norms(), n=n * 2, cutoff=0.6):
            for hit in self.named(near):
                if hit not in found:
                    found.append(hit)
        return found[:n]

    def _unique_norms(self) -> list[str]:
        cached: list[str] | None = getattr(self, "_unique", None)
        if cached is None:
            cached = sorted(set(self._norms))
            self._unique = cached
        return cached

    def closest(self, local: str, n: int = 5) -> list[Hit]:
        """Entities whose id looks like ``local`` (for a 404): by shared words, else by spelling."""
        import difflib

        base = str(RGD)
        found = self.search(local.replace("-", " ").replace("_", " "), limit=n).hits
        if len(found) < n:
            ids = [iri[len(base):] for iri, _, _ in self.entities]
            for near in difflib.get_close_matches(local, ids, n=n, cutoff=0.6):
                hit = self.hit(base + near)
                if hit and hit not in found:
                    found.append(hit)
        if len(found) < n:
            for w in words(local.replace("-", " ")):
                for hit in self.search(w, limit=n).hits:
                    if hit not in found:
                        found.append(hit)
        return found[:n]

    def hit(self, iri: str) -> Hit | None:
        i = self.by_iri.get(iri)
        if i is None:
            return None
        return Hit(*self.entities[i])


#: The name properties, in the order a display label is chosen from them.
_NAME_PROPERTIES = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel", PREFIXES["skos"] + "altLabel")
#: Classes that say little about what a thing is when it also has a more telling one.
_GENERIC = {PREFIXES["owl"] + "NamedIndividual", PREFIXES["skos"] + "Concept", PREFIXES["oa"] + "TextPositionSelector",
            PREFIXES["schema"] + "NewsArticle", PREFIXES["rg"] + "Agent", PREFIXES["rg"] + "Organization"}


def _english_first(lang: str) -> int:
    return 0 if lang in ("en", "") or lang.startswith("en-") else 1


def build_index(store: ox.Store) -> SearchIndex:
    """The index of every named ``rgd:`` entity of ``store``.

    Read straight from the store's name and type indexes (one pattern per property, all graphs: the
    graphs partition the data, see graphs.py), which is
    several times faster than the same SPARQL SELECT on a large register.
    """
    base = str(RGD)
    labels: dict[str, tuple[int, int, str]] = {}
    raw: list[tuple[str, str, int]] = []
    for kind, prop in enumerate(_NAME_PROPERTIES):
        for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None):
            subject, name = quad.subject, quad.object
            if not isinstance(subject, ox.NamedNode) or not isinstance(name, ox.Literal):
                continue
            s = subject.value
            if not s.startswith(base):
                continue
            raw.append((s, name.value, kind))
            rank = (kind if kind < _ALT else 9, _english_first(name.language or ""), name.value)
            if s not in labels or rank < labels[s]:
                labels[s] = rank
    types: dict[str, str] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(PREFIXES["rdf"] + "type"), None):
        s, t = str(getattr(quad.subject, "value", "")), str(getattr(quad.object, "value", ""))
        if s in labels and (s not in types or types[s] in _GENERIC or (t < types[s] and t not in _GENERIC)):
            types[s] = t
    order = sorted(labels)
    index_of = {iri: i for i, iri in enumerate(order)}
    entities = [(iri, labels[iri][2], types.get(iri, "")) for iri in order]
    names = sorted({(index_of[s], name, kind) for s, name, kind in raw})
    return SearchIndex(entities, names)


def class_words(cls: str, names: dict[str, str]) -> str:
    """A class in words for a reader: its label with a capital ("Country of origin")."""
    label = names.get(cls)
    if not label:
        local = re.split(r"[/#]", cls)[-1]
        label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower() or "Other"
    return label[:1].upper() + label[1:]


def as_json(results: Results, names: dict[str, str]) -> dict[str, Any]:
    """The answer of ``/search?format=json``: hits grouped by class with counts."""
    return {
        "query": results.query,
        "total": results.total,
        "groups": [
            {"class": cls, "label": class_words(cls, names), "count": count,
             "items": [{"id": h.local, "iri": h.iri, "label": h.label, "matched": h.matched} for h in hits]}
            for cls, count, hits in results.grouped()
        ],
    }


__all__ = ["DEFAULT_LIMIT", "Hit", "Results", "SearchIndex", "as_json", "build_index", "class_words", "fold",
           "words"]
