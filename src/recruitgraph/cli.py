"""The ``recruitgraph`` command line: a thin layer over the Python API.

Each command lives in a module of :mod:`recruitgraph.commands` that exposes
``register(subparsers)``; the parser it adds sets ``func`` to a handler
``(args, out, err) -> int``. Errors of the package become one line on stderr and an exit code:
0 ok, 1 no result or does not conform, 2 error. ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence
from enum import IntEnum
from typing import TextIO

from .exc import RecruitGraphError
from .version import __version__

#: Command modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "recruitgraph.commands.query",
    "recruitgraph.commands.store",
    "recruitgraph.commands.authoring",
    "recruitgraph.commands.synth",
    "recruitgraph.commands.remote",
    "recruitgraph.commands.serve",
    "recruitgraph.commands.validate",
    "recruitgraph.commands.pipelines",
)


class ExitCode(IntEnum):
    OK = 0
    NO_RESULT = 1  # also: does not conform
    ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as exit code 2 without SystemExit noise in tests."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="recruitgraph",
        description="Query, check, visualise and export the recruitgraph knowledge graph.",
        epilog="Exit codes: 0 ok, 1 no result or does not conform, 2 error. "
        "Example: recruitgraph query troop-figures --format table",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"recruitgraph {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="directory of the persistent store (default: $RECRUITGRAPH_DATA_DIR or the XDG data dir)",
    )
    parser.add_argument(
        "--memory", action="store_true", help="use an in-memory store built from ontology/ and data/"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the CLI and return its exit code (streams injectable for in-process tests)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(args_list)
        except _UsageError as exc:
            err.write(f"{exc}\n")
            return ExitCode.ERROR
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        if not getattr(args, "func", None):
            parser.print_help(out)
            return ExitCode.ERROR
        return int(args.func(args, out, err))
    except RecruitGraphError as exc:
        if debug:
            traceback.print_exc(file=err)
        err.write(f"recruitgraph: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("recruitgraph: interrupted\n")
        return 130
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as exc:  # the last resort: one line unless --debug
        if debug:
            traceback.print_exc(file=err)
        err.write(f"recruitgraph: internal error: {type(exc).__name__}: {exc} (run with --debug for details)\n")
        return ExitCode.ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
