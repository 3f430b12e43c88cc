"""Small helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI") == "true"


def skip_or_fail(reason: str) -> NoReturn:
    """Something a test needs is absent: skip on a developer's machine, fail in CI, where it
    must be there (a CI run must not pass by skipping)."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)
