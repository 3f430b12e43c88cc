"""docs/adding-a-source.md: run the walkthrough's commands in a temporary copy of the project.

The commands come from the page's ``console`` blocks, so the page and the tools cannot drift.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recruitgraph import config
from support import missing

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "adding-a-source.md"


def commands() -> list[str]:
    """The ``$ ...`` lines of the doc's fenced console blocks, in order."""
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def _console_script() -> str:
    found = Path(sys.executable).parent / "recruitgraph"
    return str(found) if found.exists() else shutil.which("recruitgraph") or "recruitgraph"


def test_doc_has_the_whole_workflow() -> None:
    verbs = [shlex.split(c)[1] for c in commands()]
    for verb in ("source", "extract", "locate", "compile", "show-evidence", "verify", "release"):
        assert verb in verbs


@pytest.mark.slow
def test_walkthrough_runs(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for name in ("ontology", "data", "queries", "docs"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, home / name)
    # the private sources folder holds the texts of the sources already registered (step 0)
    (tmp_path / "texts").mkdir()
    for record in sorted((ROOT / "data" / "sources").glob("*.ttl")):
        name = f"{record.stem}.txt"
        if "rg:sha256" not in record.read_text(encoding="utf-8"):
            continue  # a reference source: the project holds no text of it
        found = [Path(d) / name for d in config.source_dirs() if (Path(d) / name).is_file()]
        if not found:
            missing(f"{name} not in any source dir (set RECRUITGRAPH_SOURCES)")
        shutil.copy(found[0], tmp_path / "texts" / name)
    env = dict(
        os.environ,
        RECRUITGRAPH_HOME=str(home),
        RECRUITGRAPH_SOURCES=str(tmp_path / "texts"),
        RECRUITGRAPH_DATA_DIR=str(tmp_path / "store"),
    )
    outputs = {}
    for line in commands():
        argv = shlex.split(line)
        assert argv[0] == "recruitgraph"
        proc = subprocess.run(
            [_console_script(), *argv[1:]],
            cwd=home,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0, f"{line}\n{proc.stdout}\n{proc.stderr}"
        outputs.setdefault(argv[1], proc.stdout)  # the first run of each verb
    # what the reader is told to expect, checked against the example text itself
    text = (home / "docs" / "examples" / "harbor-town-report.txt").read_text(encoding="utf-8")
    assert (home / "data" / "harbor-town-report.ttl").is_file()
    assert (tmp_path / "texts" / "harbor-town-report.txt").read_text(encoding="utf-8") == text
    start = text.index("more than 1,200 people")
    assert f"{start}\t{start + len('more than 1,200 people')}" in outputs["locate"]
    sentence_start = text.index("The regional government of Lake Province said")
    sentence_end = text.index("in March.") + len("in March.")
    digest = hashlib.sha256(text[sentence_start:sentence_end].encode("utf-8")).hexdigest()[:8]
    anchor = f"{sentence_start}-{sentence_end} {digest}"
    assert f'anchor: "{anchor}"' in outputs["locate"]
    # locate --write left anchors, and no phrase, in the claims file
    claims = (home / "docs" / "examples" / "harbor-town-report.yaml").read_text(encoding="utf-8")
    assert f'anchor: "{anchor}"' in claims and "passage" not in claims
    assert "one-time bonus of about $4,000" in outputs["show-evidence"]
    assert "all fine" in outputs["verify"]
    assert (home / "dist" / "void.ttl").is_file()
    draft = (home / "harbor-town-report.draft.yaml").read_text(encoding="utf-8")
    assert "confirmed: false" in draft and "value: 1200" in draft
    # the fictional example never reaches the real dataset
    assert not list((ROOT / "data").rglob("harbor-town*"))
