"""Validation of the graph: SHACL conformance (pySHACL, SHACL-SPARQL on) against
``ontology/shapes.ttl`` and OWL 2 consistency (HermiT, through owlready2) of the ontology with
the data.

>>> report = validate(reasoner=False)
>>> report.conforms, report.consistent
(True, None)
"""

from __future__ import annotations

import contextlib
import io
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from . import config
from .exc import ConfigError, InputError
from .namespaces import PREFIXES

_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the file that defines its focus node (None when unknown)."""

    focus_node: str
    shape: str
    path: str | None
    value: str | None
    message: str
    severity: str
    file: str | None = None
    component: str | None = None


@dataclass
class ValidationReport:
    """What :func:`validate` found. ``ok`` is what the CLI's exit code reflects."""

    conforms: bool
    consistent: bool | None
    violations: list[Violation] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    reasoner_message: str | None = None

    @property
    def ok(self) -> bool:
        return self.conforms and self.consistent is not False

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "ok": self.ok,
            "conforms": self.conforms,
            "consistent": self.consistent,
            "reasoner_message": self.reasoner_message,
            "files": self.files,
            "triples": self.triples,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "violations": [asdict(v) for v in self.violations],
        }

    def text(self) -> str:
        """A report for people: a summary, then one block per result."""
        n_err = len(self.errors)
        n_other = len(self.violations) - n_err
        shacl = "conforms" if self.conforms else f"does not conform ({n_err} violation(s))"
        if n_other:
            shacl += f", {n_other} warning(s)"
        owl = {True: "consistent", False: "INCONSISTENT", None: "not checked (reasoner skipped)"}[
            self.consistent
        ]
        lines = [
            f"Checked {len(self.files)} file(s), {self.triples} triples "
            f"in {sum(self.seconds.values()):.1f} s.",
            f"SHACL shapes: {shacl}.",
            f"OWL consistency (HermiT): {owl}.",
        ]
        if self.reasoner_message:
            lines.append(f"  {self.reasoner_message}")
        for v in self.violations:
            where = f" (in {v.file})" if v.file else ""
            lines.append(f"\n{v.severity}: {v.focus_node}{where}")
            lines.append(f"  shape: {v.shape}" + (f"  path: {v.path}" if v.path else ""))
            if v.value is not None:
                lines.append(f"  value: {v.value}")
            lines.append(f"  {v.message}")
        return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ parsing


def _parse(path: Path) -> Graph:
    """One RDF file as an rdflib Graph; syntax errors become InputError naming file:line:col."""
    from .results import graph_from_triples
    from .store import parse_file

    return graph_from_triples(q for q in parse_file(Path(path)))


def _parse_shapes(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise ConfigError(f"{path}: shapes file not found") from None
    except Exception as exc:  # rdflib's BadSyntax carries the line in its text
        raise InputError(f"{path}: {exc}") from None


def _vocabulary(skip: Iterable[Path] = ()) -> Graph:
    """Ontology and concept schemes, which the shapes read (subclasses, skos:inScheme)."""
    skipped = {p.resolve() for p in skip}
    graph = Graph()
    for path in config.base_resources().ontology:
        if path.resolve() not in skipped:
            graph += _parse(path)
    return graph


def _display(path: Path) -> str:
    """A path as people read it: relative to the project root when it lies inside."""
    try:
        return str(Path(path).resolve().relative_to(config.project_root().resolve()))
    except (ValueError, ConfigError):
        return str(path)


def _owner_index(parsed: dict[Path, Graph]) -> dict[Node, str]:
    """Which file defines each subject: where it gets an rdf:type, else where it first appears."""
    owner: dict[Node, str] = {}
    for path, graph in parsed.items():
        for s in graph.subjects(RDF.type, None):
            owner.setdefault(s, _display(path))
    for path, graph in parsed.items():
        for s in graph.subjects():
            owner.setdefault(s, _display(path))
    return owner


# -------------------------------------------------------------------------------------- SHACL


def _short(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(graph.namespace_manager)
    return str(node.n3())


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """The named shape a result comes from (a blank property shape is named by its parent)."""
    if isinstance(shape, BNode):
        parent = next(shapes.subjects(SH.property, shape), None)
        if parent is not None:
            return _shape_name(shapes, parent)
        return "(anonymous shape)"
    return _short(shapes, shape) or "(unknown shape)"


def _run_shacl(data: Graph, shapes: Graph, owner: dict[Node, str]) -> tuple[bool, list[Violation]]:
    import pyshacl

    # inference='none': the ontology is in the data graph, and sh:class/sh:targetClass follow
    # rdfs:subClassOf there; RDFS inference would only cost time (measured 3-4x slower).
    # Conformance is read off the results' severities below (a warning never fails a check), not
    # from pyshacl's flag: its allow_warnings, which changes only that flag, is not needed.
    # The project's prefixes are bound first: pyshacl's messages name nodes with them too, and
    # rdflib keeps each name it has written once, so a later binding would not reach those.
    for prefix, iri in PREFIXES.items():
        shapes.bind(prefix, iri, override=True)
        data.bind(prefix, iri, override=True)
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    found: list[Violation] = []
    for res in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(res, SH.focusNode)
        messages = sorted({str(m) for m in results.objects(res, SH.resultMessage)}, key=len)
        found.append(
            Violation(
                focus_node=_short(data, focus) or "",
                shape=_shape_name(shapes, results.value(res, SH.sourceShape)),
                path=_short(data, results.value(res, SH.resultPath)),
                value=_short(data, results.value(res, SH.value)),
                message="; ".join(reversed(messages)) or "(no message)",
                severity=_SEVERITIES.get(results.value(res, SH.resultSeverity), "Violation"),
                file=owner.get(focus) if focus is not None else None,
                component=_short(shapes, results.value(res, SH.sourceConstraintComponent)),
            )
        )
    found.sort(key=lambda v: (v.severity != "Violation", v.file or "", v.focus_node, v.shape, v.path or ""))
    return not any(v.severity == "Violation" for v in found), found


# ----------------------------------------------------------------------------------- reasoner


def _java() -> str:
    import owlready2

    exe = shutil.which(owlready2.JAVA_EXE)  # "java" on PATH unless configured
    if not exe:
        raise ConfigError(
            "the HermiT reasoner needs Java, and no `java` was found on PATH: install a Java "
            "runtime (e.g. apt-get install default-jre-headless) or run with --no-reasoner"
        )
    return exe


def _run_reasoner(data: Graph) -> tuple[bool, str | None]:
    """OWL 2 consistency of ``data`` (ontology included) with HermiT; (consistent, message)."""
    import owlready2

    _java()  # fail with a clear message before owlready2 fails with an obscure one
    world = owlready2.World()
    sink = io.StringIO()
    # owlready2 prints progress and warnings; keep the CLI's streams clean.
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            nt = data.serialize(format="nt", encoding="utf-8")
            onto = world.get_ontology("https://w3id.org/recruitgraph/validation/")
            onto.load(fileobj=io.BytesIO(nt), format="ntriples")
            # Date literals (xsd:gYearMonth, xsd:gYear) are outside the OWL 2 datatype map; the
            # ontology gives them no range, so ignoring them loses nothing.
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, "HermiT: the ontology together with the data is inconsistent"
        except owlready2.OwlReadyJavaError as exc:
            detail = str(exc).strip().splitlines()
            raise ConfigError(f"the HermiT reasoner failed: {detail[-1] if detail else exc}") from None
        finally:
            world.close()
    return True, None


# --------------------------------------------------------------------------------- public API


def validate(
    files: Sequence[Path] | None = None,
    *,
    extra_files: Iterable[Path] = (),
    graph: Graph | None = None,
    reasoner: bool = True,
) -> ValidationReport:
    """Check ``files`` (default: the ontology and ``data/``) plus ``extra_files`` against the
    shapes, and, unless ``reasoner`` is False, check OWL consistency with HermiT.

    ``graph`` validates an in-memory graph instead of (or on top of) files; the ontology and
    vocabularies are always added so the shapes can follow subclasses and schemes.
    """
    seconds: dict[str, float] = {}
    if reasoner:
        _java()  # fail before spending time on the shapes
    t0 = time.perf_counter()
    paths = [Path(p) for p in (config.base_resources().all if files is None else files)]
    paths += [Path(p) for p in extra_files]
    parsed = {p: _parse(p) for p in paths}
    data = _vocabulary(skip=paths)
    for g in parsed.values():
        data += g
    if graph is not None:
        data += graph
    shapes = _parse_shapes(config.shapes_file())
    seconds["parse"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    conforms, violations = _run_shacl(data, shapes, _owner_index(parsed))
    seconds["shacl"] = time.perf_counter() - t1

    consistent: bool | None = None
    message = None
    if reasoner:
        t2 = time.perf_counter()
        consistent, message = _run_reasoner(data)
        seconds["reasoner"] = time.perf_counter() - t2
    return ValidationReport(
        conforms=conforms,
        consistent=consistent,
        violations=violations,
        files=[_display(p) for p in paths],
        triples=len(data),
        seconds=seconds,
        reasoner_message=message,
    )


def check_graph(graph: Graph, *, files: Sequence[Path] | None = None) -> ValidationReport:
    """Shapes only, no reasoner: the fast check run before an import or a compile is written.

    ``files``, when given, are parsed to tell which of them defines each focus node.
    """
    t0 = time.perf_counter()
    data = _vocabulary()
    data += graph
    shapes = _parse_shapes(config.shapes_file())
    owner = _owner_index({Path(p): _parse(Path(p)) for p in files or ()})
    conforms, violations = _run_shacl(data, shapes, owner)
    return ValidationReport(
        conforms=conforms,
        consistent=None,
        violations=violations,
        files=[_display(Path(p)) for p in files or ()],
        triples=len(data),
        seconds={"shacl": time.perf_counter() - t0},
    )


__all__ = ["ValidationReport", "Violation", "check_graph", "validate"]
