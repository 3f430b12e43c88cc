"""Small helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import NoReturn

import pytest

from recruitgraph.cli import main

#: The fictional pipeline graph that the pipeline and visualization tests share.
PIPELINES_FIXTURE = Path(__file__).parent / "fixtures" / "pipelines_fixture.ttl"

IN_CI = os.environ.get("CI") == "true"


def skip_or_fail(reason: str) -> NoReturn:
    """Something a test needs is absent: skip on a developer's machine, fail in CI, where it
    must be there (a CI run must not pass by skipping)."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
