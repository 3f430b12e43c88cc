"""How much of the first source's dataset does `recruitgraph extract` propose?

Recall: share of the figures (rg:Figure claims) and of the entities declared in
data/claims/russia-recruitment-2026-01.yaml that the draft proposes. Precision: share of the
draft's proposals (numbers that are not years, known-entity mentions, new-name candidates) that
correspond to something in that dataset.

A figure counts as proposed when the draft has a number in the sentence of the figure's passage
with the same value (or, for a figure without a value such as "hundreds", a vague number there).
An entity counts as proposed when the draft mentions it (known mode) or proposes a name equal to
its label or an alias (new-source mode: the graph does not know the source's entities yet, which is
the situation of a real new source).

Run: .venv/bin/python bench/extract_quality.py [--json]. Exit 3 when the text or the claims file
is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from recruitgraph import config
from recruitgraph.authoring import load_claims_yaml
from recruitgraph.extract import Draft, extract
from recruitgraph.namespaces import RG, RGD
from recruitgraph.sources import load_base_graph

SOURCE = "russia-recruitment-2026-01"
ROOT = Path(__file__).resolve().parents[1]


def _fold(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").casefold().split())


def _dataset(text: str) -> tuple[list[tuple[Decimal | None, tuple[int, int]]], dict[str, set[str]]]:
    doc = load_claims_yaml(ROOT / "data" / "claims" / f"{SOURCE}.yaml")
    figures = []
    for claim in doc.get("claims") or []:
        fig = claim.get("figure")
        if not fig:
            continue
        records = claim.get("evidence") or [claim]
        for rec in records:
            # an anchor is "START-END FINGERPRINT" (docs/design.md): the passage's offsets
            offsets = str(rec.get("anchor") or "").split(" ", 1)[0]
            if "-" not in offsets:
                continue
            start, end = (int(x) for x in offsets.split("-", 1))
            span = (start, end)
            value = fig.get("value")
            figures.append((None if value is None else Decimal(str(value)), span))
            break
    entities = {
        ent["id"]: {_fold(str(ent["label"]))} | {_fold(str(a)) for a in ent.get("aliases") or []}
        for ent in doc.get("entities") or []
    }
    return figures, entities


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _figure_scores(
    draft: Draft, figures: list[tuple[Decimal | None, tuple[int, int]]]
) -> dict[str, float]:
    numbers = [n for n in draft.numbers if not n.is_year]

    def same(value: Decimal | None, span: tuple[int, int], n: object) -> bool:
        return _overlap(span, n.sentence) and (
            n.value == value if value is not None else n.value is None
        )  # type: ignore[attr-defined]

    found = sum(1 for v, span in figures if any(same(v, span, n) for n in numbers))
    useful = sum(1 for n in numbers if any(same(v, span, n) for v, span in figures))
    return {
        "dataset": len(figures),
        "proposed": len(numbers),
        "recall": round(found / len(figures), 3) if figures else 0.0,
        "precision": round(useful / len(numbers), 3) if numbers else 0.0,
    }


def _entity_scores(draft: Draft, entities: dict[str, set[str]]) -> dict[str, float]:
    names = {name: eid for eid, labels in entities.items() for name in labels}
    hit: set[str] = set()
    useful = 0
    proposals = 0
    for m in draft.known:
        proposals += 1
        eid = str(m.iri)[len(str(RGD)) :]
        if eid in entities:
            hit.add(eid)
            useful += 1
    for c in draft.candidates:
        proposals += 1
        eid = names.get(_fold(c.name))
        if eid:
            hit.add(eid)
            useful += 1
    return {
        "dataset": len(entities),
        "proposed": proposals,
        "recall": round(len(hit) / len(entities), 3) if entities else 0.0,
        "precision": round(useful / proposals, 3) if proposals else 0.0,
    }


def measure() -> dict[str, dict[str, float]]:
    """Recall and precision of the draft against the first source's dataset."""
    path = next(
        (d / f"{SOURCE}.txt" for d in config.source_dirs() if (d / f"{SOURCE}.txt").is_file()), None
    )
    if path is None:
        print(f"{SOURCE}.txt not found; set RECRUITGRAPH_SOURCES", file=sys.stderr)
        sys.exit(3)
    if not (ROOT / "data" / "claims" / f"{SOURCE}.yaml").is_file():
        print(f"data/claims/{SOURCE}.yaml not there yet", file=sys.stderr)
        sys.exit(3)
    text = path.read_text(encoding="utf-8")
    figures, entities = _dataset(text)
    # new-source mode: the graph without this source's entities
    base = load_base_graph(exclude=[config.data_dir() / f"{SOURCE}.ttl"])
    for eid in entities:
        base.remove((RGD[eid], None, None))
    new_draft = extract(text, source_id=SOURCE, graph=base)
    # known mode: the graph knows the source's entities (by label and alias)
    known = Graph()
    known += base
    for eid, labels in _labels().items():
        known.add((RGD[eid], RDF.type, RG.Agent))
        for i, label in enumerate(labels):
            known.add(
                (RGD[eid], RDFS.label if i == 0 else SKOS.altLabel, Literal(label, lang="en"))
            )
    known_draft = extract(text, source_id=SOURCE, graph=known)
    return {
        "figures": _figure_scores(new_draft, figures),
        "entities_new_source": _entity_scores(new_draft, entities),
        "entities_known": _entity_scores(known_draft, entities),
    }


def _labels() -> dict[str, list[str]]:
    doc = load_claims_yaml(ROOT / "data" / "claims" / f"{SOURCE}.yaml")
    return {
        ent["id"]: [str(ent["label"]), *(str(a) for a in ent.get("aliases") or [])]
        for ent in doc.get("entities") or []
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    result = measure()
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
        return 0
    for name, scores in result.items():
        print(
            f"{name:20} recall {scores['recall']:.1%} ({scores['dataset']} in dataset)   "
            f"precision {scores['precision']:.1%} ({scores['proposed']} proposals)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
