"""``recruitgraph serve`` as a real process on a free loopback port, for the server tests.

The server is started through the real CLI (``python -m recruitgraph.cli ... serve --port 0``);
the URL it prints is read from its output, and the fixture waits until the endpoint answers.
The process (and its query workers) is stopped when the fixture ends.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

START_TIMEOUT = 90.0
#: The query time limit of the ``hardened_server`` fixture (conftest.py), in seconds.
HARDENED_TIMEOUT = 3.0


@contextmanager
def running_server(args: Sequence[str] = (), *, global_args: Sequence[str] = ("--memory",),
                   env: dict[str, str] | None = None, log: Path | None = None) -> Iterator[str]:
    """Start ``recruitgraph [global_args] serve --port 0 [args]``; yield its base URL (no slash)."""
    cmd = [sys.executable, "-m", "recruitgraph.cli", *global_args, "serve", "--port", "0", *args]
    out = open(log, "w+b") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=out, env={**os.environ, **(env or {})},
                            start_new_session=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if not match:
            raise RuntimeError(f"serve did not print its URL: {line!r}")
        base = match.group(1)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve did not come up (exit code {proc.poll()})")
            time.sleep(0.2)
        yield base
    finally:
        # the session holds the server and its worker processes
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        if proc.stdout:
            proc.stdout.close()
