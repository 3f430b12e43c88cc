"""The store never loses or corrupts an import (issue 13): validation under the write lock,
honest counts, no silent rebuild over a lost manifest, clean-up after a dead writer, hostile and
empty files refused. Each test drives the real CLI on a private data directory.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import recruitgraph
from recruitgraph.cli import main

PREFIXES = """\
@prefix rgd: <https://w3id.org/recruitgraph/id/> .
@prefix rg: <https://w3id.org/recruitgraph/ontology/> .
@prefix rgv: <https://w3id.org/recruitgraph/vocab/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
OUTLET = PREFIXES + 'rgd:test-outlet a rg:MediaOutlet ; rdfs:label "Test outlet"@en .\n'

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
 <rdf:Description rdf:about="https://w3id.org/recruitgraph/id/laughs"><rdfs:label>&f;</rdfs:label></rdf:Description>
</rdf:RDF>
"""


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def manifest(data_dir: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((data_dir / "current.json").read_text())
    return data


def test_reported_count_is_the_count_added(data_dir: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.ttl"
    first.write_text(OUTLET)
    assert cli("import", str(first))[0] == 0
    again = tmp_path / "again.ttl"  # one triple already there, two new
    again.write_text(OUTLET + 'rgd:test-outlet rdfs:comment "A second line"@en ; rg:country rgd:nepal .\n')
    code, out, err = cli("import", str(again))
    assert code == 0, err
    assert "2 new triples" in out


def _unranked_claim() -> str:
    with recruitgraph.open() as kg:
        rows = kg.query("SELECT ?c WHERE { ?c a rg:RelationClaim FILTER NOT EXISTS { ?c rg:rank ?r } } "
                        "ORDER BY ?c LIMIT 1").rows
    return str(rows[0]["c"])


def test_two_imports_at_once_are_validated_against_each_other(data_dir: Path, tmp_path: Path) -> None:
    claim = _unranked_claim()
    files = []
    for rank in ("preferred", "deprecated"):  # each alone conforms; together: two ranks
        path = tmp_path / f"rank-{rank}.ttl"
        path.write_text(PREFIXES + f"<{claim}> rg:rank rgv:rank-{rank} .\n")
        files.append(path)
    cmd = [sys.executable, "-m", "recruitgraph.cli", "import"]
    # the second waits for the first's validation under the lock: give it time on a loaded machine
    env = {**os.environ, "RECRUITGRAPH_LOCK_WAIT": "600"}
    procs = [subprocess.Popen([*cmd, str(f)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for f in files]
    results = [(p.wait(300), p.stdout.read() if p.stdout else "", p.stderr.read() if p.stderr else "")
               for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], results
    refused = next(err for code, _, err in results if code == 1)
    assert "nothing was written" in refused
    with recruitgraph.open() as kg:
        ranks = kg.query(f"SELECT (COUNT(?r) AS ?n) WHERE {{ <{claim}> rg:rank ?r }}").rows
        assert int(ranks[0]["n"]) == 1


def test_missing_manifest_is_an_error_naming_the_last_build_and_imports(data_dir: Path, tmp_path: Path) -> None:
    extra = tmp_path / "outlet.ttl"
    extra.write_text(OUTLET)
    assert cli("import", str(extra))[0] == 0
    live = manifest(data_dir)
    with recruitgraph.open() as kg:
        total = kg.triples_count()
    (data_dir / "current.json").unlink()
    code, _, err = cli("stats")
    assert code == 2
    assert "missing" in err and str(live["build"]) in err and "outlet.ttl" in err
    assert "recruitgraph store repair" in err
    assert not (data_dir / "current.json").exists()  # nothing was rebuilt behind the user's back
    code, out, err = cli("store", "repair")
    assert code == 0, err
    assert "1 import" in out
    with recruitgraph.open() as kg:
        assert kg.triples_count() == total


def test_corrupt_manifest_is_an_error_and_repair_keeps_the_imports(data_dir: Path, tmp_path: Path) -> None:
    extra = tmp_path / "outlet.ttl"
    extra.write_text(OUTLET)
    assert cli("import", str(extra))[0] == 0
    (data_dir / "current.json").write_text('{"build": ')
    code, _, err = cli("stats")
    assert code == 2 and "unreadable" in err and "outlet.ttl" in err and "store repair" in err
    assert "delete" not in err.lower()
    assert cli("store", "repair")[0] == 0
    with recruitgraph.open() as kg:
        assert kg.query("ASK { rgd:test-outlet a rg:MediaOutlet }").boolean


def test_leftovers_of_a_dead_writer_are_cleaned_at_the_next_write(data_dir: Path, tmp_path: Path) -> None:
    with recruitgraph.open():
        pass
    partial = data_dir / "stores" / "20200101T000000-deadbeef"
    partial.mkdir()
    (partial / "000001.sst").write_bytes(b"half a build")
    stale_tmp = data_dir / ".current.json.0123.tmp"
    stale_tmp.write_text("{")
    stale_build_tmp = data_dir / "stores" / ".20200101T000000-deadbeef.json.0123.tmp"  # its own copy
    stale_build_tmp.write_text("{")
    stale_record = data_dir / "stores" / "20190101T000000-cafebabe.json"  # of a build long gone
    stale_record.write_text("{}")
    stale_lock = data_dir / "stores" / "20190101T000000-cafebabe.readers"  # a late reader's
    stale_lock.touch()
    orphan = data_dir / "imports" / "0123456789abcdef-orphan.ttl"
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_text(OUTLET)
    (data_dir / "write.pid").write_text("pid 999999\n")  # its lock died with it
    extra = tmp_path / "outlet.ttl"
    extra.write_text(OUTLET)
    code, _, err = cli("import", str(extra))
    assert code == 0, err
    assert "999999" not in err  # the stale pid file did not make the write wait
    assert not partial.exists() and not stale_tmp.exists() and not orphan.exists()
    assert not stale_build_tmp.exists() and not stale_record.exists() and not stale_lock.exists()
    assert not (data_dir / "write.pid").exists()
    live = manifest(data_dir)["build"]
    assert (data_dir / "stores" / f"{live}.json").is_file()  # the live build's own copy stays


RDFXML_OUTLET = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
 <rdf:Description rdf:about="https://w3id.org/recruitgraph/id/test-outlet">
  <rdf:type rdf:resource="https://w3id.org/recruitgraph/ontology/MediaOutlet"/>
  <rdfs:label xml:lang="en">Test outlet</rdfs:label>
 </rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("flags", [(), ("--no-validate",)])
def test_an_rdfxml_file_without_entities_is_imported(data_dir: Path, tmp_path: Path, flags: tuple[str, ...]) -> None:
    outlet = tmp_path / "outlet.rdf"
    outlet.write_text(RDFXML_OUTLET)
    code, out, err = cli("import", *flags, str(outlet))
    assert code == 0, err
    assert "2 new triples" in out  # its type and its label
    with recruitgraph.open() as kg:
        assert kg.query("ASK { rgd:test-outlet a rg:MediaOutlet ; rdfs:label 'Test outlet'@en }").boolean


@pytest.mark.parametrize("flags", [(), ("--no-validate",)])
def test_a_path_that_is_no_readable_file_is_named(data_dir: Path, tmp_path: Path, flags: tuple[str, ...]) -> None:
    # A directory with an RDF file's name (each reader: the entity check, the triple and the
    # dataset loaders), and a file that is not there.
    with recruitgraph.open():
        pass
    before = manifest(data_dir)
    for name in ("folder.ttl", "folder.rdf", "folder.trig"):
        (tmp_path / name).mkdir()
        code, _, err = cli("import", *flags, str(tmp_path / name))
        assert (code, err) == (2, f"recruitgraph: error: {tmp_path / name}: cannot read the file (Is a directory)\n")
    code, _, err = cli("import", *flags, str(tmp_path / "gone.ttl"))
    assert (code, err) == (2, f"recruitgraph: error: {tmp_path / 'gone.ttl'}: no such file\n")
    assert manifest(data_dir) == before


def test_rdfxml_entity_expansion_is_refused_before_parsing(data_dir: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.rdf"
    bomb.write_text(BILLION_LAUGHS)
    with recruitgraph.open():
        pass
    before = manifest(data_dir)
    # The same declarations in a file the XML parser would also reject (cut short in a tag): the
    # refusal comes first, so no parser has read it (pyoxigraph's would expand the entities).
    cut = tmp_path / "cut.rdf"
    cut.write_text(BILLION_LAUGHS[:BILLION_LAUGHS.index("</rdf:Description>") + len("</rdf:Desc")])
    for flags in ((), ("--no-validate",)):
        for path in (bomb, cut):
            code, _, err = cli("import", *flags, str(path))
            assert code == 2
            assert err == (f"recruitgraph: error: {path}: RDF/XML entity declarations (<!ENTITY) are refused: they can "
                           "expand a small file into gigabytes\n")
    assert manifest(data_dir) == before


@pytest.mark.parametrize("flags", [(), ("--no-validate",)])
def test_empty_file_is_refused_with_a_message(data_dir: Path, tmp_path: Path, flags: tuple[str, ...]) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    prefixes_only = tmp_path / "prefixes.ttl"
    prefixes_only.write_text(PREFIXES)
    with recruitgraph.open():
        pass
    before = manifest(data_dir)
    for path in (empty, prefixes_only):
        code, _, err = cli("import", *flags, str(path))
        assert code == 2, err
        assert path.name in err and ("empty" in err or "no triples" in err or "no new triples" in err)
    assert manifest(data_dir) == before
