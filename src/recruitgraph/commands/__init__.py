"""CLI commands, one module per area; each exposes ``register(subparsers)``."""

from __future__ import annotations

import argparse
from typing import Any


def add_command(
    sub: Any, name: str, *, help: str, example: str, description: str | None = None
) -> argparse.ArgumentParser:
    """Add a subcommand whose ``--help`` ends with an example invocation."""
    return sub.add_parser(
        name,
        help=help,
        description=description or help,
        epilog=f"Example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def open_graph(args: argparse.Namespace) -> Any:
    """Open the graph the global options ask for (``--memory``, ``--data-dir``, ``--endpoint``)."""
    from .. import open as open_kg

    endpoint = getattr(args, "endpoint", None)
    if endpoint:
        return open_kg(endpoint=endpoint)
    return open_kg(memory=bool(getattr(args, "memory", False)), data_dir=getattr(args, "data_dir", None))
