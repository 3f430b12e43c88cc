"""Named queries: every shipped query parses, declares what it uses and runs; headers and
parameters are checked; values are bound as RDF terms, never spliced into the text."""

from __future__ import annotations

from pathlib import Path

import pytest

import recruitgraph
from recruitgraph import config
from recruitgraph.exc import ParameterError, QueryHeaderError, QuerySyntaxError, UnknownQueryError
from recruitgraph.queries import inject_values, load_named_queries, load_query

SHIPPED = load_named_queries(config.queries_dir()) if config.queries_dir().is_dir() else {}

#: Values for required parameters of shipped queries, when they declare no default.
REQUIRED_VALUES = {"actor": "rgd:vladimir-putin", "country": "rgd:nepal", "entity": "rgd:vladimir-putin"}

PARAM_QUERY = """\
#+ title: Label of a thing
#+ description: The label of one resource, for tests.
#+ parameters:
#+   - name: thing
#+     type: iri
#+     required: true
#+   - name: text
#+     type: string
#+   - name: limit_n
#+     type: integer
#+     default: 5
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label ?text ?limit_n WHERE { ?thing rdfs:label ?label . }
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text)
    return path


def test_there_are_named_queries() -> None:
    assert len(SHIPPED) >= 12, sorted(SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_query_declares_its_parameters_and_runs(name: str, kg: recruitgraph.KnowledgeGraph) -> None:
    query = SHIPPED[name]
    assert query.title and query.description
    used = query.used_variables()
    for param in query.parameters:
        assert param.name in used, f"{name}: parameter {param.name} is not a variable of the query"
    params = {p.name: REQUIRED_VALUES[p.name] for p in query.parameters if p.required and p.default is None}
    result = kg.run(name, **params)
    assert len(result) > 0, f"{name} returns nothing on the shipped data"


def test_parameters_are_bound_as_terms(tmp_path: Path, kg: recruitgraph.KnowledgeGraph) -> None:
    path = write(tmp_path, "label-of", PARAM_QUERY)
    res = kg.query(str(path), thing="rgd:nepal", text="hello")
    assert [str(v) for v in res.column("label")] == ["Nepal"]
    assert res.rows[0]["text"].datatype is None and str(res.rows[0]["text"]) == "hello"
    assert int(res.rows[0]["limit_n"]) == 5  # the default, as xsd:integer
    res = kg.query(str(path), thing="https://w3id.org/recruitgraph/id/nepal")
    assert len(res) == 1
    res = kg.query(str(path), thing="nepal")  # a bare id means rgd:nepal
    assert len(res) == 1


@pytest.mark.parametrize("attack", [
    '"} ; DROP ALL ; {"',
    "x> } ; DROP ALL ; SELECT * WHERE { <y",
    "rgd:nepal> . ?s ?p ?o . <x",
])
def test_injection_through_a_parameter_is_refused_or_inert(
    tmp_path: Path, kg: recruitgraph.KnowledgeGraph, attack: str
) -> None:
    path = write(tmp_path, "label-of", PARAM_QUERY)
    before = kg.triples_count()
    with pytest.raises(ParameterError, match="parameter thing"):
        kg.query(str(path), thing=attack)
    # as a string parameter the attack is just a literal value
    res = kg.query(str(path), thing="rgd:nepal", text=attack)
    assert [str(v) for v in res.column("text")] == [attack]
    assert kg.triples_count() == before


def test_remote_binding_writes_escaped_terms(tmp_path: Path) -> None:
    import pyoxigraph as ox

    text = "SELECT ?x WHERE { ?s ?p ?x }"
    attack = '"} ; DROP ALL ; {"'
    bound = inject_values(text, {"x": ox.Literal(attack)})
    assert bound == 'SELECT ?x WHERE { VALUES ?x { "\\"} ; DROP ALL ; {\\"" } ?s ?p ?x }'
    ox.Store().query(bound)  # still one valid query


def test_missing_and_ill_typed_parameters(tmp_path: Path, kg: recruitgraph.KnowledgeGraph) -> None:
    path = write(tmp_path, "label-of", PARAM_QUERY)
    with pytest.raises(ParameterError, match="missing required parameter 'thing'"):
        kg.query(str(path))
    with pytest.raises(ParameterError, match="parameter limit_n: 'ten' is not a valid integer"):
        kg.query(str(path), thing="rgd:nepal", limit_n="ten")
    with pytest.raises(ParameterError, match="has no parameter 'colour'"):
        kg.query(str(path), thing="rgd:nepal", colour="red")
    with pytest.raises(ParameterError, match="only be given to named queries"):
        kg.query("SELECT * WHERE { ?s ?p ?o }", thing="x")


def test_unknown_named_query_lists_known_ones(kg: recruitgraph.KnowledgeGraph) -> None:
    with pytest.raises(UnknownQueryError) as info:
        kg.query("no-such-query")
    assert "known queries:" in str(info.value)
    for name in list(SHIPPED)[:3]:
        assert name in str(info.value)


def test_syntax_error_names_line_and_column(kg: recruitgraph.KnowledgeGraph) -> None:
    with pytest.raises(QuerySyntaxError, match=r"line 2, column \d+"):
        kg.query("SELECT ?s\nWHERE { ?s ?p }")


@pytest.mark.parametrize(("header", "message"), [
    ("#+ title: [unclosed\n", "malformed header"),
    ("#+ description: no title here\n", "needs a non-empty 'title'"),
    ("#+ title: T\n#+ description: D\n#+ colour: red\n", "unknown header key"),
    ("#+ title: T\n#+ description: D\n#+ parameters:\n#+   - name: x\n#+     type: colour\n", "type 'colour'"),
    ("#+ title: T\n#+ description: D\n#+ parameters:\n#+   - name: unused\n", "not used in the query"),
    ("#+ title: T\n#+ description: D\n#+ parameters:\n#+   - name: s\n#+     type: integer\n#+     default: many\n",
     "default of parameter s"),
    ("", "no '#\\+' header"),
    ("#+ title: T\n#+ description: D\n#+ parameters:\n#+   - name: o\n", "must be in the SELECT projection"),
    ("#+ title: T\n#+ description: D\n#+ parameters:\n#+   - name: s\n", "BOUND\\(\\?s\\) on a parameter"),
])
def test_malformed_headers_fail_loudly(tmp_path: Path, header: str, message: str) -> None:
    body = "SELECT ?s WHERE { ?s ?p ?o FILTER(!BOUND(?s) || isIRI(?s)) }\n" if "BOUND" in message else (
        "SELECT ?s WHERE { ?s ?p ?o }\n")
    path = write(tmp_path, "bad", header + body)
    with pytest.raises(QueryHeaderError, match=message) as info:
        load_query(path)
    assert str(path) in str(info.value)


def test_query_file_with_syntax_error_is_reported_with_its_path(tmp_path: Path) -> None:
    path = write(tmp_path, "broken", "#+ title: T\n#+ description: D\nSELECT ?s WHERE { ?s ?p }\n")
    with pytest.raises(QuerySyntaxError, match=r"broken\.rq: SPARQL syntax error at line \d+, column \d+"):
        load_query(path)


def test_results_convert_to_dataframe(kg: recruitgraph.KnowledgeGraph) -> None:
    res = kg.query("SELECT ?s ?n WHERE { ?s rg:characterCount ?n }")
    frame = res.to_dataframe()
    assert list(frame.columns) == ["s", "n"]
    assert frame.loc[0, "n"] == 8046  # the first source's length in code points (shared/sources/README.md)


def test_result_formats_follow_the_specs(kg: recruitgraph.KnowledgeGraph) -> None:
    res = kg.query("SELECT ?n WHERE { rgd:russia-recruitment-2026-01 rg:characterCount ?n }")
    assert '"datatype": "http://www.w3.org/2001/XMLSchema#integer"' in res.serialize("json")
    assert res.serialize("csv") == "n\r\n8046\r\n"
    assert res.serialize("tsv") == '?n\n"8046"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
    assert "<literal datatype=" in res.serialize("xml")
    ask = kg.query("ASK { ?s a rg:Source }")
    assert ask.serialize("json") == '{"head": {}, "boolean": true}'
