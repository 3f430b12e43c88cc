"""``recruitgraph synth``: write a deterministic synthetic dataset for benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from ..exc import ConfigError
from . import add_command


def register(sub: Any) -> None:
    parser = add_command(
        sub,
        "synth",
        help="write a deterministic synthetic research-scale dataset (N-Triples or Turtle)",
        description="Write about N triples of synthetic data in the recruitgraph ontology: "
        "pseudonymous recruit records, networks, pipelines and figures with evidence. The same "
        "--triples and --seed always give the same bytes. Every IRI starts with rgd:synth-.",
        example="recruitgraph synth --triples 1000000 --seed 1 -o synth-1m.nt",
    )
    parser.add_argument("--triples", type=int, required=True, metavar="N", help="number of triples")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="output file (.nt for N-Triples, .ttl for Turtle) or - for stdout",
    )
    parser.add_argument(
        "--format",
        choices=("ntriples", "turtle"),
        default=None,
        help="output format (default: from the file extension)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..synth import format_for, generate, generate_file

    if args.triples <= 0:
        raise ConfigError(f"--triples {args.triples}: must be a positive number")
    if args.output == "-":
        generate(out, triples=args.triples, seed=args.seed, fmt=args.format or "ntriples")
        return 0
    path = Path(args.output)
    n = generate_file(path, triples=args.triples, seed=args.seed, fmt=args.format)
    fmt = args.format or format_for(path)
    err.write(f"wrote {n} triples ({fmt}) to {path}\n")
    return 0
