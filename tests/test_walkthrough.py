"""docs/adding-a-source.md: run the walkthrough's commands in a temporary copy of the project.

The commands come from the page's ``console`` blocks, so the page and the tools cannot drift.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
        outputs[argv[1]] = proc.stdout
    # what the reader is told to expect, checked against the example text itself
    text = (home / "docs" / "examples" / "harbor-town-report.txt").read_text(encoding="utf-8")
    assert (home / "data" / "harbor-town-report.ttl").is_file()
    assert (tmp_path / "texts" / "harbor-town-report.txt").read_text(encoding="utf-8") == text
    start = text.index("more than 1,200 people")
    assert f"{start}\t{start + len('more than 1,200 people')}" in outputs["locate"]
    assert "one-time bonus of about $4,000" in outputs["show-evidence"]
    assert "all fine" in outputs["verify"]
    assert (home / "dist" / "void.ttl").is_file()
    draft = (home / "harbor-town-report.draft.yaml").read_text(encoding="utf-8")
    assert "confirmed: false" in draft and "value: 1200" in draft
    # the fictional example never reaches the real dataset
    assert not list((ROOT / "data").rglob("harbor-town*"))
