"""One rule for naming an entity in the CLI, Python and the UI: id, prefixed name, IRI, label or
alias; a unique match is used, several are listed, none gives the closest names."""

from __future__ import annotations

import io
from typing import Any

import pytest

from recruitgraph.cli import main
from recruitgraph.entities import resolve_entity
from recruitgraph.exc import ParameterError

PUTIN = "https://w3id.org/recruitgraph/id/vladimir-putin"


@pytest.mark.parametrize("name", [PUTIN, "rgd:vladimir-putin", "vladimir-putin", "Vladimir Putin",
                                  "vladimir putin", "Putin", "PÚTIN"])
def test_every_way_of_naming_gives_the_same_iri(kg: Any, name: str) -> None:
    assert resolve_entity(kg, name, what="actor") == PUTIN


def test_no_match_gives_the_closest_names(kg: Any) -> None:
    with pytest.raises(ParameterError) as err:
        resolve_entity(kg, "Vladimir Putn", what="actor")
    assert "actor: nothing in the graph is called 'Vladimir Putn'" in str(err.value)
    assert "Vladimir Putin (rgd:vladimir-putin)" in str(err.value)


def test_several_matches_are_listed() -> None:
    from recruitgraph.search import SearchIndex

    rgd = "https://w3id.org/recruitgraph/id/"
    cls = "https://w3id.org/recruitgraph/ontology/RecruitmentChannel"
    index = SearchIndex([(rgd + "prison-a", "Prison recruitment", cls), (rgd + "prison-b", "Prison recruitment", cls)],
                        [(0, "Prison recruitment", 0), (1, "Prison recruitment", 0)])
    with pytest.raises(ParameterError) as err:
        resolve_entity(None, "prison recruitment", what="channel", index=index)
    assert "names 2 entities" in str(err.value)
    assert "rgd:prison-a" in str(err.value) and "rgd:prison-b" in str(err.value)
    assert resolve_entity(None, "prison-b", index=index) == rgd + "prison-b"


def test_cli_named_query_takes_a_label(kg: Any) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["--memory", "query", "actor-profile", "-p", "actor=Putin", "-f", "csv"], stdout=out, stderr=err) == 0
    assert PUTIN in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert main(["--memory", "query", "actor-profile", "-p", "actor=Putn"], stdout=out, stderr=err) != 0
    assert "closest" in err.getvalue()


def test_python_named_query_takes_an_alias(kg: Any) -> None:
    rows = kg.query("actor-profile", actor="Putin")
    assert {str(r["actor"]) for r in rows} == {PUTIN}
