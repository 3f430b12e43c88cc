"""``recruitgraph validate``: SHACL conformance and OWL consistency of the shipped data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from . import add_command


def register(sub: Any) -> None:
    p = add_command(
        sub, "validate",
        help="check the ontology and data/ (plus any FILEs) against the SHACL shapes and, with "
        "the HermiT reasoner, for OWL consistency",
        description="Check the ontology and data/ (plus any FILEs, checked together with them) "
        "against ontology/shapes.ttl and, with the HermiT reasoner (needs Java), for OWL "
        "consistency. Exit codes: 0 conforms and consistent, 1 does not, 2 error.",
        example="recruitgraph validate\n  recruitgraph validate --no-reasoner --format json new-claims.ttl",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="extra RDF files to check with the base data")
    p.add_argument("--no-reasoner", action="store_true", help="skip the OWL consistency check")
    p.add_argument("-f", "--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run_validate)


def run_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..validation import validate

    report = validate(extra_files=[Path(f) for f in args.files], reasoner=not args.no_reasoner)
    if args.format == "json":
        out.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        out.write(report.text())
    return 0 if report.ok else 1
