"""Commands of the source workflow: ``source add``, ``source list``, ``locate``,
``show-evidence``, ``compile``, ``verify``, ``extract`` and ``release``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from ..exc import InputError, NoResult, SourceError
from . import add_command, emit


def _sources_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sources",
        metavar="DIR",
        help="directory holding the source texts (default: $RECRUITGRAPH_SOURCES, the user "
        "sources directory, ../shared/sources)",
    )


def _dirs(args: argparse.Namespace) -> list[Path] | None:
    return [Path(args.sources)] if getattr(args, "sources", None) else None


# --- source add / list ------------------------------------------------------------------------


def _source_add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..sources import add_source

    inferred = set(args.inferred or [])
    for field in ("title", "publisher", "date"):
        if getattr(args, f"{field}_inferred"):
            inferred.add(field)
    date = args.date
    if date and args.date_precision:
        cut = {"year": 4, "month": 7, "day": 10}[args.date_precision]
        if len(date) < cut:
            raise InputError(f"--date {date}: too short for --date-precision {args.date_precision}")
        date = date[:cut]
    publisher_id = None
    if args.publisher:
        publisher_id = args.publisher_id or _slug(args.publisher)
    meta, text = add_source(
        Path(args.file),
        args.id,
        title=args.title,
        publisher=publisher_id,
        publisher_label=args.publisher,
        publisher_type=args.publisher_type,
        date=date,
        url=args.url,
        language=args.language,
        kind=args.kind,
        inferred=sorted(inferred),
    )
    out.write(f"registered {meta.stem}: metadata in {meta}, text kept in {text}\n")
    return 0


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower().removeprefix("the ")).strip("-")


def _source_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..sources import find_text, list_sources, load_base_graph

    infos = list_sources(load_base_graph())
    if not infos:
        out.write("no sources registered (add one with `recruitgraph source add FILE.txt`)\n")
        return 1
    rows = [("id", "date", "sha256", "text", "title")]
    for info in infos:
        present = find_text(info, _dirs(args))
        rows.append(
            (
                info.id,
                info.date or "-",
                (info.sha256 or "-")[:12],
                "present" if present else "absent",
                info.title or "-",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        out.write(
            "  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4] + "\n"
        )
    return 0


# --- locate / show-evidence ----------------------------------------------------------------------


def _load_text(source: str, dirs: list[Path] | None) -> tuple[str, str]:
    path = Path(source)
    if path.suffix == ".txt" and path.is_file():
        return path.name, path.read_text(encoding="utf-8")
    from ..sources import load_base_graph, read_text, source_info

    info = source_info(load_base_graph(), source)
    return info.id, read_text(info, dirs)


def _locate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..locate import anchor, closest_text, locate, passage_span

    if args.write:
        return _write_anchors(Path(args.write), args, out)
    if not args.source or not args.phrase:
        raise InputError("locate: give SOURCE and PHRASE, or --write FILE.yaml")
    name, text = _load_text(args.source, _dirs(args))
    spans = locate(text, args.phrase)
    if not spans:
        raise NoResult(
            f"{name}: phrase {args.phrase!r} not found; closest text: {closest_text(text, args.phrase)!r}"
        )
    if len(spans) > 1:
        out.write(f"ambiguous: {len(spans)} matches; quote more words to pick one\n")
    for start, end in spans:
        ps, pe = passage_span(text, start, end, exact=args.exact)
        out.write(f"{start}\t{end}\t{text[start:end]}\n")
        out.write(f"  passage {ps}-{pe}: {text[ps:pe]}\n")
        out.write(f'  anchor: "{anchor(text, ps, pe)}"\n')
    return 0


def _write_anchors(path: Path, args: argparse.Namespace, out: TextIO) -> int:
    from ..anchoring import write_anchors
    from ..authoring import load_claims_yaml

    source = args.source or load_claims_yaml(path).get("source")
    if not isinstance(source, str):
        raise InputError(f"{path}:1: 'source' must be the id of a registered source")
    _, text = _load_text(source, _dirs(args))
    done = write_anchors(path, text)
    for line, value in done:
        out.write(f"{path}:{line}: anchor: {value}\n")
    out.write(f"{path}: {len(done)} passage phrase(s) turned into anchors\n")
    return 0


def _show_evidence(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..sources import load_base_graph
    from ..verify import evidence_records

    records = evidence_records(load_base_graph(), args.claim, _dirs(args))
    for rec in records:
        out.write(rec.describe() + "\n")
    return 0


# --- compile / verify / extract / release ---------------------------------------------------


def _compile(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from rdflib.namespace import RDF

    from ..authoring import compile_claims, load_claims_yaml, output_path
    from ..namespaces import RG
    from ..references import file_id

    graph = compile_claims(args.file, sources_dirs=_dirs(args), write=not args.check)
    claims = len(set(graph.subjects(RDF.type, RG.RelationClaim)))
    figures = len(set(graph.subjects(RDF.type, RG.Figure)))
    stages = len(set(graph.subjects(RDF.type, RG.Stage)))
    sid = file_id(Path(args.file), load_claims_yaml(Path(args.file)))
    what = "checked" if args.check else f"wrote {output_path(sid)}"
    out.write(
        f"{what}: {len(graph)} triples, {claims} relation claims, {figures} figures, "
        f"{stages} pipeline stages\n"
    )
    return 0


def _verify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..verify import verify

    report = verify(sources_dirs=_dirs(args))
    out.write(report.text() + "\n")
    if report.checked_nothing:
        # why: a check that found no text has checked nothing; it must not pass, nor look like
        # a mere data problem (exit 1): the setup is wrong
        reason = "; ".join(report.missing) or "no source is registered"
        raise SourceError(f"verify: nothing checked for a source: {reason}")
    return 0 if report.ok else 1


def _extract(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..extract import draft_yaml

    text_path = Path(args.file)
    if not text_path.is_file():
        raise InputError(f"{text_path}: no such file")
    draft = draft_yaml(text_path, source_id=args.source_id)
    emit(draft, args.output, out, note=out,
         said=f"wrote draft {args.output}: confirm each entry, then `recruitgraph compile`")
    return 0


def _release(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..release import release

    files = release(Path(args.output), data_dir=getattr(args, "data_dir", None))
    for f in files:
        out.write(f"{f}\n")
    return 0


def register(sub: Any) -> None:
    """Add the source-workflow commands to the CLI."""
    p = add_command(
        sub,
        "source",
        help="register source texts and list them",
        example="recruitgraph source list",
    )
    ss = p.add_subparsers(dest="source_command", metavar="ACTION", parser_class=type(p))
    a = add_command(
        ss,
        "add",
        help="register a source text: hash, length and metadata into data/sources/<id>.ttl",
        example='recruitgraph source add report.txt --title "Report on X" '
        '--publisher "Example News" --date 2026-01 --date-precision month --inferred date',
    )
    a.add_argument("file", metavar="FILE.txt", help="the source text (UTF-8)")
    a.add_argument("--id", help="source id (default: the file name without .txt)")
    a.add_argument(
        "--title", required=True, help="title (our own descriptive title if the text has none)"
    )
    a.add_argument("--publisher", help="publisher name, e.g. 'The Associated Press'")
    a.add_argument("--publisher-id", help="id of the publisher entity (default: from its name)")
    a.add_argument("--publisher-type", default="MediaOutlet", help="rg: class of the publisher")
    a.add_argument("--date", help="publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    a.add_argument(
        "--date-precision", choices=["day", "month", "year"], help="cut --date to this precision"
    )
    a.add_argument("--url", help="address of the source")
    a.add_argument("--language", default="en", help="language code (default: en)")
    a.add_argument("--kind", default="NewsArticle", help="schema.org type (default: NewsArticle)")
    a.add_argument(
        "--inferred",
        action="append",
        choices=["title", "publisher", "date"],
        help="mark a field as worked out rather than stated in the text (repeatable)",
    )
    for field in ("title", "publisher", "date"):
        a.add_argument(
            f"--{field}-inferred", action="store_true", help=f"same as --inferred {field}"
        )
    a.set_defaults(func=_source_add)
    lst = add_command(
        ss,
        "list",
        help="list registered sources and whether each text is present",
        example="recruitgraph source list",
    )
    _sources_arg(lst)
    lst.set_defaults(func=_source_list)

    loc = add_command(
        sub,
        "locate",
        help="print the anchor of a phrase's sentence in a source text, or turn the passage "
        "phrases of a claims file into anchors (--write)",
        example='recruitgraph locate russia-recruitment-2026-01 "North Korea sent thousands of soldiers"\n'
        '  recruitgraph locate report.txt "the exact words" --exact --sources ~/texts\n'
        "  recruitgraph locate --write data/claims/new-report.yaml",
    )
    loc.add_argument("source", nargs="?", help="a registered source id, or a path to a .txt file")
    loc.add_argument(
        "phrase", nargs="?", help="words of the passage (quotes, dashes, case, spacing may differ)"
    )
    loc.add_argument(
        "--write",
        metavar="FILE.yaml",
        help="turn every `passage` phrase of a claims file into an anchor, in place (the text "
        "is the file's registered source, or SOURCE when given)",
    )
    loc.add_argument(
        "--exact", action="store_true", help="passage = the phrase only, not its sentence"
    )
    _sources_arg(loc)
    loc.set_defaults(func=_locate)

    sh = add_command(
        sub,
        "show-evidence",
        help="print the evidence of a claim and the passages it points to",
        example="recruitgraph show-evidence fig-putin-troops-fighting-2025 --sources ~/texts",
    )
    sh.add_argument("claim", help="claim IRI, prefixed name (rgd:...) or id")
    _sources_arg(sh)
    sh.set_defaults(func=_show_evidence)

    c = add_command(
        sub,
        "compile",
        help="compile a YAML claims file into data/<source-id>.ttl (validated first)",
        example="recruitgraph compile data/claims/russia-recruitment-2026-01.yaml\n"
        "  recruitgraph compile data/claims/new-report.yaml --check --sources ~/texts",
    )
    c.add_argument("file", metavar="FILE.yaml", help="the claims file")
    c.add_argument("--check", action="store_true", help="compile and validate, write nothing")
    _sources_arg(c)
    c.set_defaults(func=_compile)

    v = add_command(
        sub,
        "verify",
        help="check every passage and figure against the source texts (exit 1 on problems, "
        "2 when a registered text is not found)",
        example="recruitgraph verify --sources ~/texts",
    )
    _sources_arg(v)
    v.set_defaults(func=_verify)

    e = add_command(
        sub,
        "extract",
        help="draft a claims YAML from a text, for a person to confirm (nothing enters the graph)",
        example="recruitgraph extract new-report.txt -o data/claims/new-report.yaml --source-id new-report",
    )
    e.add_argument("file", metavar="FILE.txt", help="the source text")
    e.add_argument(
        "-o", "--output", metavar="FILE.yaml", help="write the draft here (default: stdout)"
    )
    e.add_argument("--source-id", help="source id (default: file name without .txt)")
    e.set_defaults(func=_extract)

    r = add_command(
        sub,
        "release",
        help="write the export files and a VoID/DCAT description into a folder, reproducibly",
        example="recruitgraph release -o dist/",
    )
    r.add_argument(
        "-o", "--output", default="dist", metavar="DIR", help="output folder (default: dist/)"
    )
    r.set_defaults(func=_release)
