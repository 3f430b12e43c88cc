"""Every claims file compiles to its committed Turtle, byte for byte.

Each file is compiled with the inputs `recruitgraph compile` gives it: the ontology and the
committed Turtle of all the other data files (its own left out), plus the entities the other
claims files declare; it is rendered with the compiler's own serialiser and header
(``render_turtle``), so nothing is written. Each Turtle file is parsed once for the module and the
shapes are not run here (test_authoring and test_validation check them): a compile of all the
files stays well under a minute. The order therefore does not matter: a file that names another file's
entities or measures finds them in that file's committed Turtle (and in its YAML, which the
compiler also reads); the shared ``measures.yaml`` is compiled first only so that a failure
there, on which the others lean, is reported first.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from rdflib import Graph

from recruitgraph import config
from recruitgraph.authoring import compile_claims, load_claims_yaml, output_path, render_turtle
from recruitgraph.references import declared_elsewhere, file_id

CLAIMS = sorted(
    (config.data_dir() / "claims").glob("*.yaml"), key=lambda p: (p.name != "measures.yaml", p.name)
)


def test_every_claims_file_has_a_compiled_file() -> None:
    assert len(CLAIMS) >= 2
    compiled = {output_path(file_id(p, load_claims_yaml(p))) for p in CLAIMS}
    on_disk = set(config.data_dir().glob("*.ttl"))
    assert compiled == on_disk


@pytest.fixture(scope="module")
def parsed() -> dict[Path, Graph]:
    """Each ontology and data file, parsed once (what ``load_base_graph`` parses)."""
    return {
        path.resolve(): Graph().parse(path, format="turtle") for path in config.base_resources().all
    }


def _lookup(parsed: dict[Path, Graph], claims: Path, target: Path) -> Graph:
    """What ``compile_claims`` looks names up in by default: all files but ``target``, plus the
    entities the other claims files declare."""
    lookup = Graph()
    for path, graph in parsed.items():
        if path != target.resolve():
            lookup += graph
    return lookup + declared_elsewhere(claims, claims.parent, lookup)


@pytest.mark.parametrize("claims", CLAIMS, ids=[p.stem for p in CLAIMS])
def test_compile_reproduces_committed_turtle(
    claims: Path, source_path: Path, parsed: dict[Path, Graph]
) -> None:
    target = output_path(file_id(claims, load_claims_yaml(claims)))
    committed = target.read_text(encoding="utf-8")
    graph = compile_claims(
        claims, sources_dirs=[source_path.parent], graph_for_lookup=_lookup(parsed, claims, target),
        write=False, validate=False,
    )
    rendered = render_turtle(claims, graph)
    if rendered != committed:
        diff = "".join(
            list(difflib.unified_diff(committed.splitlines(True), rendered.splitlines(True),
                                      str(target), f"compiled {claims.name}"))[:60]
        )
        pytest.fail(f"{target.name} differs from what {claims.name} compiles to:\n{diff}")
