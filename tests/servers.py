"""Real SPARQL servers on 127.0.0.1 for the remote-store tests: Oxigraph server and Virtuoso.

Each fixture starts the server on free loopback ports with its files in a temporary directory,
waits until it answers a SPARQL query, yields a :class:`SparqlServer` describing its endpoints,
and stops it at the end of the session. A missing server binary fails the test (``support.missing``,
the one rule for absent prerequisites).

Used from ``tests/conftest.py`` with ``from servers import *``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support import missing

__all__ = ["Listener", "SparqlServer", "blackhole_endpoint", "closed_port", "oxigraph_server", "running_oxigraph",
           "running_virtuoso", "virtuoso_server"]

#: The Debian package's configuration, copied and rewritten for each test server.
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
#: A fresh Virtuoso database has this DBA account (the debconf password only applies to the
#: system database under /var/lib, which the tests never touch).
VIRTUOSO_DBA = ("dba", "dba")
#: A named graph the tests push the whole dataset into (``push --graph``).
TEST_GRAPH = "https://w3id.org/recruitgraph/graph/test"

START_TIMEOUT = 120.0


@dataclass
class SparqlServer:
    """Endpoints of a running test server."""

    name: str
    base: str
    query_url: str  # where queries go (may carry ?default-graph-uri=)
    update_url: str
    gsp_url: str
    graph: str | None = None  # one named graph to push everything into; None = each graph to its name
    auth: tuple[str, str] | None = None
    auth_scheme: str = "basic"
    log: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path | None, name: str) -> None:
    """Poll ``url`` (an ASK query) until it answers 200; fail with the log tail otherwise."""
    deadline = time.monotonic() + START_TIMEOUT
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.3)
    tail = ""
    if log is not None and log.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    _stop(proc)
    pytest.fail(f"{name} did not become ready at {url} ({last}; exit code {proc.poll()})\n{tail}",
                pytrace=False)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _ask_url(query_url: str) -> str:
    sep = "&" if "?" in query_url else "?"
    return f"{query_url}{sep}query={urllib.parse.quote('ASK { ?s ?p ?o }')}"


@contextmanager
def running_oxigraph(root: Path) -> Iterator[SparqlServer]:
    """``oxigraph serve`` (PyPI package oxigraph) on a free loopback port, persistent under
    ``root``, with the union of its graphs as the default graph of queries (as recruitgraph
    serves it)."""
    binary = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if binary is None:
        missing("the Oxigraph server is not installed (PyPI package oxigraph)")
    assert binary is not None
    port = free_port()
    log = root / "server.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [binary, "serve", "--location", str(root / "db"), "--bind", f"127.0.0.1:{port}",
             "--union-default-graph"],
            stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    base = f"http://127.0.0.1:{port}"
    server = SparqlServer(name="oxigraph", base=base, query_url=f"{base}/query",
                          update_url=f"{base}/update", gsp_url=f"{base}/store", log=log)
    try:
        _wait_ready(_ask_url(server.query_url), proc, log, "oxigraph server")
        yield server
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """The session's Oxigraph server, which the remote tests load with the shipped dataset."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


def virtuoso_ini(template: str, root: Path, sql_port: int, http_port: int) -> str:
    """The Debian ``virtuoso.ini`` with files under ``root`` and both ports on 127.0.0.1.

    Edited line by line: the file repeats keys and has inline ``;`` comments, which
    configparser refuses.
    """
    settings = {
        "Database": {
            "DatabaseFile": root / "virtuoso.db", "ErrorLogFile": root / "virtuoso.log",
            "LockFile": root / "virtuoso.lck", "TransactionFile": root / "virtuoso.trx",
            "xa_persistent_file": root / "virtuoso.pxa",
        },
        "TempDatabase": {"DatabaseFile": root / "virtuoso-temp.db",
                         "TransactionFile": root / "virtuoso-temp.trx"},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}", "DirsAllowed": f"., {root}",
                       "NumberOfBuffers": 10000, "MaxDirtyBuffers": 6000,
                       "MaxQueryMem": "256M", "ThreadsPerQuery": 2},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}", "ServerRoot": root / "vsp"},
        "URIQA": {"DefaultHost": f"127.0.0.1:{http_port}"},
        "SPARQL": {"ResultSetMaxRows": 1000000, "MaxQueryExecutionTime": 120},
    }
    out = []
    section = ""
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        elif "=" in stripped and not stripped.startswith(";"):
            key = stripped.split("=", 1)[0].strip()
            if key in settings.get(section, {}):
                line = f"{key} = {settings[section][key]}"
            elif section == "Plugins" and key.startswith("Load"):
                continue  # the hosting plugins (wiki renderers) are not needed
        out.append(line)
    return "\n".join(out) + "\n"


@contextmanager
def running_virtuoso(root: Path) -> Iterator[SparqlServer]:
    """OpenLink Virtuoso (Debian package virtuoso-opensource) from a copy of its ini under ``root``.

    Uploads go to ``/sparql-graph-crud-auth`` with digest auth as dba, each graph of the dataset
    to its name; queries go to ``/sparql``, whose default graph (no FROM) is the union of all
    graphs, Virtuoso's own system graphs included (the tests name the dataset's graphs with
    ``default-graph-uri`` where those would differ).
    """
    binary = shutil.which("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.is_file():
        missing("Virtuoso is not installed (Debian package virtuoso-opensource)")
    assert binary is not None
    (root / "vsp").mkdir()
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = root / "virtuoso.ini"
    ini.write_text(virtuoso_ini(VIRTUOSO_INI.read_text(), root, sql_port, http_port))
    log = root / "virtuoso.log"
    with (root / "stdout.log").open("wb") as fh:
        proc = subprocess.Popen([binary, "-f", "-c", str(ini)], cwd=root, stdout=fh,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    server = SparqlServer(name="virtuoso", base=base, query_url=f"{base}/sparql",
                          update_url=f"{base}/sparql-auth", gsp_url=f"{base}/sparql-graph-crud-auth",
                          auth=VIRTUOSO_DBA, auth_scheme="digest", log=log,
                          extra={"sparql": f"{base}/sparql", "sql_port": str(sql_port)})
    try:
        _wait_ready(_ask_url(f"{base}/sparql"), proc, log, "virtuoso")
        yield server
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """The session's Virtuoso, which the remote tests load with the shipped dataset. Other data
    goes to servers of its own: once another dataset has been pushed and dropped, Virtuoso 7.2
    answers some named queries over the loaded graphs with rows missing (``countries``: 1 row of
    20, a FILTER EXISTS over ``rdfs:subClassOf*`` beside an OPTIONAL UNION)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture
def closed_port() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{free_port()}/sparql"


@pytest.fixture
def blackhole_endpoint() -> Iterator[str]:
    """A URL whose socket accepts connections (the kernel backlog) but never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    finally:
        sock.close()


class Listener:
    """A TCP port on loopback standing in for another host: it accepts connections, counts them
    and never answers (the attack and fuzz tests assert the server never contacts it)."""

    def __init__(self, backlog: int = 64) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(backlog)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self._held.append(conn)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def close(self) -> None:
        self.sock.close()
        for conn in self._held:
            conn.close()
