"""Documentation that cannot drift (as datasette tests its own): every route the server
registers is in docs/server.md, and every CLI command and option is shown in the README, the
docs or the command's own ``--help`` example."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from starlette.routing import Mount, Route

from recruitgraph.cli import build_parser
from recruitgraph.server.app import create_app

ROOT = Path(__file__).resolve().parents[1]
SERVER_DOC = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
DOCS = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
    p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


def registered_routes() -> list[str]:
    paths = []
    for route in create_app().routes:
        if isinstance(route, Route | Mount):
            paths.append(route.path)
    return paths


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return dict(action.choices)  # type: ignore[arg-type]


def _shown(option_strings: list[str], text: str) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text) for o in option_strings)


def test_the_routes_are_read_from_the_app() -> None:
    assert {"/sparql", "/store", "/id/{local:path}", "/downloads/{name}"} <= set(registered_routes())


@pytest.mark.parametrize("path", registered_routes())
def test_every_route_is_in_docs_server_md(path: str) -> None:
    # `/id/{local}` is written `/id/<local>` in the docs; any parameter name will do
    pattern = re.escape(path.split("{")[0].rstrip("/")) if "{" in path else re.escape(path)
    if "{" in path:
        pattern += r"/<[^>]+>"
    assert re.search(rf"`{pattern}[`?/ ,]", SERVER_DOC), f"route {path} is not in docs/server.md"


def test_every_command_is_shown() -> None:
    missing = [name for name, sub in subcommands().items()
               if f"recruitgraph {name}" not in DOCS and f"recruitgraph {name}" not in (sub.epilog or "")]
    assert missing == []


def test_every_option_is_shown() -> None:
    parser = build_parser()
    missing = [opts for a in parser._actions
               if (opts := a.option_strings) and "--help" not in opts and not _shown(opts, DOCS)]
    for name, sub in subcommands().items():
        missing += [[name, *a.option_strings] for a in sub._actions
                    if a.option_strings and "--help" not in a.option_strings
                    and not _shown(a.option_strings, DOCS + (sub.epilog or ""))]
    assert missing == []
