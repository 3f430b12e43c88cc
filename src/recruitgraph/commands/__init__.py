"""CLI commands, one module per area; each exposes ``register(subparsers)``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO


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


def emit(text: str, output: str | None, out: TextIO, *, note: TextIO | None = None, said: str = "") -> None:
    """Write ``text`` to the file ``output`` (then ``said``, or "wrote FILE", on ``note``), or to
    ``out`` when no file is given; an unwritable file is a one-line ConfigError."""
    from ..exc import ConfigError

    if not output:
        out.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{output}: cannot write ({exc.strerror})") from None
    if note is not None:
        note.write((said or f"wrote {output}") + "\n")
