"""The claims YAML files read directly, so that browser tests derive what a page should show from
the files people write, not from the program that compiles them.

Names are resolved the way docs/model.md says `compile` does (id, label or alias, case and
diacritics folded); figures of a claim ``X`` are the graph's ``fig-X``; a report's origin is its
``reference.origin``, else the report itself.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = ROOT / "data" / "claims"


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name).casefold().replace("\u2019", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


@dataclass
class ClaimsFiles:
    docs: dict[str, dict[str, Any]]  # source id -> the file's content

    @classmethod
    def read(cls, folder: Path = CLAIMS) -> ClaimsFiles:
        docs = {}
        for path in sorted(folder.glob("*.yaml")):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            if "source" in doc:
                docs[doc["source"]] = doc
        return cls(docs)

    def entities(self) -> dict[str, dict[str, Any]]:
        return {e["id"]: e for doc in self.docs.values() for e in doc.get("entities") or []}

    def resolve(self, name: str) -> str:
        """The entity id a name in a claims file stands for."""
        index: dict[str, str] = {}
        for eid, ent in self.entities().items():
            for n in [eid, ent.get("label", ""), *(ent.get("aliases") or [])]:
                index.setdefault(fold(n), eid)
        for doc in self.docs.values():
            for use in doc.get("names") or []:
                index.setdefault(fold(use["name"]), use["entity"])
        return index.get(fold(name), name)

    def label(self, eid: str) -> str:
        return str(self.entities()[eid]["label"])

    def origin(self, source: str) -> str:
        return str((self.docs[source].get("reference") or {}).get("origin") or source)

    def source_label(self, source: str) -> str:
        return str(self.docs[source]["reference"]["label"])

    def claims(self) -> list[tuple[str, dict[str, Any]]]:
        return [(sid, c) for sid, doc in self.docs.items() for c in doc.get("claims") or []]

    def stating(self, subject: str, relation: str, obj: str) -> set[str]:
        """The sources with a claim of this subject, relation and object."""
        return {sid for sid, c in self.claims() if c.get("relation") == relation and "object" in c
                and self.resolve(c["subject"]) == subject and self.resolve(c["object"]) == obj}

    def figures_of(self, measure: str) -> dict[str, dict[str, Any]]:
        """``fig-<claim id>`` -> the claim, for the figures of a measure."""
        return {f"fig-{c['id']}": c for _, c in self.claims() if (c.get("figure") or {}).get("measure") == measure}

    def claimants(self, claim: dict[str, Any]) -> set[str]:
        names = [claim.get("claimant")] + [e.get("claimant") for e in claim.get("evidence") or []]
        return {self.resolve(n) for n in names if n}

    def names_used(self, entity: str) -> dict[str, set[str]]:
        """Source -> the names it uses for ``entity``: its `names:`, and the aliases of the
        entities a cited report introduces (docs/model.md, "Names")."""
        out: dict[str, set[str]] = {}
        for sid, doc in self.docs.items():
            for use in doc.get("names") or []:
                if self.resolve(use["entity"]) == entity:
                    out.setdefault(sid, set()).add(use["name"])
            if doc.get("reference"):
                for ent in doc.get("entities") or []:
                    if ent["id"] == entity and ent.get("aliases"):
                        out.setdefault(sid, set()).update(ent["aliases"])
        return out


#: Bounds by comparator (docs/model.md, "Bounds"): lower, lower inclusive, upper, upper inclusive.
_BOUNDS = {
    "exactly": lambda v: (v, True, v, True),
    "at-least": lambda v: (v, True, None, False),
    "more-than": lambda v: (v, False, None, False),
    "over": lambda v: (v, False, None, False),
}


def disagree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two figures of one measure for the same stated period whose intervals do not meet."""
    fa, fb = a["figure"], b["figure"]
    if str(fa["period"]) != str(fb["period"]):
        return False  # a series, not a contradiction (all the periods tested here are months)
    la, lia, ua, uia = _BOUNDS[fa["comparator"]](fa["value"])
    lb, lib, ub, uib = _BOUNDS[fb["comparator"]](fb["value"])

    def below(hi: Any, hi_in: bool, lo: Any, lo_in: bool) -> bool:
        return hi is not None and lo is not None and (hi < lo or (hi == lo and not (hi_in and lo_in)))

    return below(ua, uia, lb, lib) or below(ub, uib, la, lia)
