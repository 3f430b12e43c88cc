"""The command line as a user meets it: help with examples, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset

from recruitgraph.cli import build_parser, main
from support import base_graph, reading_list_urls
from support import run_cli as run


def commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_with_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([command, "--help"])
    assert code == 0
    text = capsys.readouterr().out
    assert "Example" in text and f"recruitgraph {command}" in text


def test_query_table_and_exit_codes() -> None:
    code, out, err = run("--memory", "query", "SELECT ?n WHERE { rgd:russia-recruitment-2026-01 rg:characterCount ?n }")
    assert code == 0, err
    assert "8046" in out and "(1 row)" in out
    code, out, err = run("--memory", "query", "SELECT ?s WHERE { ?s a rg:NoSuchClassAtAll }")
    assert code == 1 and "no result" in err
    code, out, err = run("--memory", "query", "ASK { ?s a rg:Source }", "--format", "json")
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}


def test_errors_are_one_line_with_exit_code_2() -> None:
    code, _out, err = run("--memory", "query", "SELECT ?s WHERE { ?s ?p }")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("recruitgraph: error:") and "line 1, column" in err
    assert "Traceback" not in err
    code, _, err = run("--memory", "query", "no-such-query")
    assert code == 2 and "known queries:" in err
    code, _, err = run("--memory", "query", "SELECT * WHERE { ?s ?p ?o }", "--param", "oops")
    assert code == 2 and "expected NAME=VALUE" in err
    code, _, err = run("--memory", "query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle")
    assert code == 2 and "--format turtle" in err
    code, _, err = run("no-such-command")
    assert code == 2 and "invalid choice" in err


def test_debug_shows_the_traceback() -> None:
    code, _, err = run("--debug", "--memory", "query", "SELECT ?s WHERE { ?s ?p }")
    assert code == 2 and "Traceback" in err


def test_construct_to_file(tmp_path: Path) -> None:
    target = tmp_path / "source.ttl"
    code, _, err = run("--memory", "query", "DESCRIBE rgd:russia-recruitment-2026-01", "-o", str(target))
    assert code == 0, err
    text = target.read_text()
    assert "@prefix rgd:" in text and "14f5a33d76afc91d10fdd85ce8cf54228f86c4a381760fc65bb3cd8a8e8858a5" in text


def test_export_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run("--memory", "export", "-o", str(a))[0] == 0
    assert run("--memory", "export", "--format", "turtle", "-o", str(b))[0] == 0
    assert a.read_bytes() == b.read_bytes()
    assert a.read_text().startswith("@prefix")
    expected = len(base_graph())
    for fmt, ext in (("trig", "trig"), ("ntriples", "nt"), ("nquads", "nq"), ("jsonld", "jsonld")):
        target = tmp_path / f"out.{ext}"
        code, _, err = run("--memory", "export", "--format", fmt, "-o", str(target))
        assert code == 0, err
        # every format holds exactly the statements of the ontology and data files (TriG and
        # N-Quads in the named graphs of the sources, the ontology and the shared one)
        parsed = Dataset().parse(target, format=fmt if fmt != "jsonld" else "json-ld")
        quads = list(parsed.quads((None, None, None, None)))
        assert len({(s, p, o) for s, p, o, _ in quads}) == len(quads) == expected, fmt
        named = {str(g) for *_, g in quads if str(g).startswith("https://w3id.org/recruitgraph/graph/")}
        assert (len(named) > 20) == (fmt in ("trig", "nquads")), fmt
    # the N-Triples export holds exactly the store's triples
    code, out, _ = run("--memory", "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    lines = [line for line in (tmp_path / "out.nt").read_text().splitlines() if line]
    assert len(lines) == int(out.split()[1]) == expected


def test_export_parses_back_with_rdflib(tmp_path: Path) -> None:
    from rdflib import Graph

    target = tmp_path / "all.ttl"
    assert run("--memory", "export", "-o", str(target))[0] == 0
    nt = tmp_path / "all.nt"
    assert run("--memory", "export", "-o", str(nt))[0] == 0
    assert len(Graph().parse(target)) == len(Graph().parse(nt))


def test_stats(tmp_path: Path) -> None:
    code, out, err = run("--memory", "stats", "--format", "json")
    assert code == 0, err
    stats = json.loads(out)
    assert stats["triples"] == len(base_graph())
    # the held article (its SHA-256 from ../shared/sources/README.md) and one cited source per
    # row of the reading list
    assert [s["sha"] for s in stats["sources"] if "sha" in s] == [
        "14f5a33d76afc91d10fdd85ce8cf54228f86c4a381760fc65bb3cd8a8e8858a5"
    ]
    assert len(stats["sources"]) == 1 + len(reading_list_urls())


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).with_name("recruitgraph")
    done = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("recruitgraph ")


def test_file_and_stream_exports_are_the_same_bytes(tmp_path: Path) -> None:
    """Files are sorted by the system's external sort, streams in memory: one canonical order."""
    import recruitgraph
    from recruitgraph.export import serialize_store, write_export

    with recruitgraph.open(memory=True) as kg:
        for fmt in ("turtle", "trig", "ntriples", "nquads", "jsonld", "rdfxml"):
            target = tmp_path / f"out-{fmt}"
            write_export(kg.store, target, fmt)
            assert target.read_bytes() == serialize_store(kg.store, fmt), fmt


def test_a_file_export_with_blank_nodes_is_canonical(tmp_path: Path) -> None:
    """Blank nodes (from an imported file) leave the sorted pipeline for canonicalisation: the
    same statements loaded in two orders give the same bytes, file or stream, with no leftover
    files beside the export."""
    import pyoxigraph as ox

    from recruitgraph.export import serialize_store, write_export

    lines = [
        "_:a <https://example.org/knows> _:b .",
        '_:b <https://example.org/name> "second, with _: inside" .',
        '<https://example.org/x> <https://example.org/has> _:a .',
    ]
    outputs = []
    for order in (lines, lines[::-1]):
        store = ox.Store()
        store.load("\n".join(order).encode(), format=ox.RdfFormat.N_TRIPLES)
        target = tmp_path / f"out-{len(outputs)}" / "x.ttl"
        write_export(store, target, "turtle")
        assert target.read_bytes() == serialize_store(store, "turtle")
        assert [f.name for f in target.parent.iterdir()] == ["x.ttl"]
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"second, with _: inside" in outputs[0]


def test_a_plain_rq_file_runs_as_it_is(tmp_path: Path) -> None:
    plain = tmp_path / "mine.rq"
    plain.write_text("# my own query\nSELECT ?n WHERE { rgd:russia-recruitment-2026-01 rg:characterCount ?n }\n")
    code, out, err = run("--memory", "query", str(plain), "--format", "csv")
    assert code == 0, err
    assert out == "n\r\n8046\r\n"
    code, _, err = run("--memory", "query", str(plain), "--param", "x=1")
    assert code == 2 and "no '#+' header" in err
