"""The Python API: :func:`open` and :class:`KnowledgeGraph`.

>>> import recruitgraph
>>> kg = recruitgraph.open(memory=True)
>>> kg.query("ASK { ?s a rg:Source }").boolean
True
>>> int(kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a owl:Class }").rows[0]["n"]) > 20
True
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph

from . import config
from .exc import InputError, NotConforming, ParameterError, QuerySyntaxError, RecruitGraphError
from .execute import Written, evaluate, open_store
from .export import write_export
from .graphs import drop_default_duplicates
from .queries import (
    NamedQuery,
    QueryCatalogue,
    check_syntax,
    inject_values,
    query_kind,
    syntax_position,
)
from .remote import RemoteBackend
from .results import QueryResult, graph_from_triples, result_from_oxigraph
from .store import PersistentStore, parse_file, rdf_format

Bindings = Mapping[str, ox.NamedNode | ox.Literal]


class KnowledgeGraph:
    """The recruitgraph graph: an embedded pyoxigraph store or a remote SPARQL endpoint.

    Open it with :func:`recruitgraph.open`. Queries are SPARQL text, a ``.rq`` path or the name
    of a query in ``queries/``; keyword arguments bind that query's declared parameters.
    """

    def __init__(
        self,
        *,
        store: ox.Store | None = None,
        persistent: PersistentStore | None = None,
        remote: RemoteBackend | None = None,
        extra_files: Sequence[Path] = (),
    ) -> None:
        self._store = store
        self._persistent = persistent
        self._remote = remote
        self._extra_files = tuple(extra_files)
        #: True for a read-only in-memory copy of the persistent store (``open(in_memory=True)``).
        self.read_only = False
        #: Which store ``open(in_memory=True)`` chose and why ("" otherwise).
        self.mode_message = ""
        self.catalogue = QueryCatalogue(config.queries_dir())

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def is_remote(self) -> bool:
        return self._remote is not None

    @property
    def endpoint(self) -> str | None:
        return self._remote.endpoint if self._remote else None

    @property
    def parallel_reads(self) -> bool:
        """True where independent queries gain from running side by side: the persistent store
        (pyoxigraph waits on its disk reads without holding the GIL) and a remote endpoint. An
        in-memory store answers faster than Python converts its rows, so threads would only
        take turns at the GIL (the projection of the shipped data: 0.09 s alone, 0.15 s in two
        threads)."""
        return self._remote is not None or (self._persistent is not None and not self.read_only)

    @property
    def store(self) -> ox.Store:
        """The underlying pyoxigraph store (embedded graphs only)."""
        if self._store is None:
            raise RecruitGraphError("this graph is a remote endpoint; it has no local store")
        return self._store

    def close(self) -> None:
        """Release the store (the persistent store's reader lock included)."""
        self._store = None
        if self._persistent is not None:
            self._persistent.release()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = self.endpoint or (str(self._persistent.root) if self._persistent else "memory")
        if self.read_only:
            where += ", in-memory copy"
        return f"<KnowledgeGraph {where}>"

    # -- queries -----------------------------------------------------------------------------

    def named_queries(self) -> list[NamedQuery]:
        """The named queries of ``queries/``, sorted by name."""
        return [self.catalogue.all()[name] for name in sorted(self.catalogue.all())]

    def resolve(self, query: str, params: Mapping[str, Any] | None = None) -> tuple[str, dict[str, Any], str]:
        """Return (text, bound parameters, origin) for SPARQL text, a ``.rq`` path or a query name."""
        params = dict(params or {})
        stripped = query.strip()
        named: NamedQuery | None = None
        if "\n" not in stripped and stripped.endswith(".rq"):
            path = Path(stripped)
            if not path.is_file():
                raise InputError(f"{path}: no such query file")
            text = path.read_text(encoding="utf-8")
            if not any(line.startswith("#+") for line in text.splitlines()):
                # a plain query file, without a named-query header: run it as it is
                if params:
                    raise ParameterError(f"{path} has no '#+' header declaring parameters")
                return text, {}, str(path)
            from .queries import load_query

            named = load_query(path)
        elif "\n" not in stripped and " " not in stripped and stripped:
            named = self.catalogue.get(stripped)
        if named is not None:
            from .entities import resolve_params

            # entity parameters by id, prefixed name, IRI, label or alias: one rule (entities.py)
            return named.text, named.bind(resolve_params(self, named, params)), str(named.path)
        if params:
            raise ParameterError(
                "parameters can only be given to named queries or .rq files with a header "
                f"(got {', '.join(sorted(params))})"
            )
        return query, {}, "query"

    def query(self, query: str, /, **params: Any) -> QueryResult:
        """Run a SELECT or ASK query and return its rows (or ``.boolean``).

        >>> kg = open(memory=True)
        >>> res = kg.query("SELECT ?label WHERE { rgd:nepal rdfs:label ?label }")
        >>> [str(v) for v in res.column("label")]
        ['Nepal']
        """
        text, bindings, origin = self.resolve(query, params)
        kind = query_kind(text)
        if kind in ("CONSTRUCT", "DESCRIBE"):
            raise ParameterError(f"{origin} is a {kind} query: use construct() for graphs")
        return self._select(text, bindings, origin, kind)

    def construct(self, query: str, /, **params: Any) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query and return an rdflib Graph with the project prefixes."""
        text, bindings, origin = self.resolve(query, params)
        kind = query_kind(text)
        if kind not in ("CONSTRUCT", "DESCRIBE"):
            raise ParameterError(f"{origin} is a {kind} query: use query() for rows")
        return self._graph(text, bindings, origin)

    def run(self, query: str, /, **params: Any) -> QueryResult | Graph:
        """Run any read query: rows for SELECT/ASK, a Graph for CONSTRUCT/DESCRIBE."""
        text, bindings, origin = self.resolve(query, params)
        kind = query_kind(text)
        if kind in ("CONSTRUCT", "DESCRIBE"):
            return self._graph(text, bindings, origin)
        return self._select(text, bindings, origin, kind)

    def answer(self, query: str, /, fmt: str, *, max_rows: int | None = None, **params: Any) -> Written:
        """Run any read query and write its answer in ``fmt`` (a name of :mod:`recruitgraph.formats`):
        the embedded store's answer is written by pyoxigraph under ``max_rows``
        (:func:`recruitgraph.execute.write_answer`); a remote endpoint's by the project's writers."""
        from . import formats
        from .execute import WrongKind, write_answer

        text, bindings, origin = self.resolve(query, params)
        kind = query_kind(text)
        if kind == "UPDATE":
            raise RecruitGraphError(f"{origin}: updates are not run through answer(); the graph is read-only")
        if self._remote is None:
            try:
                return write_answer(self._local(text, bindings, origin), fmt, max_rows)
            except WrongKind as exc:
                raise ParameterError(f"{origin}: {exc} (format {fmt})") from None
        result = self.run(query, **params)
        if isinstance(result, QueryResult):
            if formats.lookup(fmt, formats.ROW_FORMATS) is None:
                raise ParameterError(f"{origin}: a {kind} answer is a SPARQL result, not a graph (format {fmt})")
            rows = 1 if result.boolean is not None else len(result.rows)
            return Written(result.serialize(fmt).encode("utf-8"), rows, result.boolean)
        from .export import serialize_triples
        from .results import to_oxigraph

        triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in result]
        return Written(serialize_triples(triples, fmt), len(triples))

    def _select(self, text: str, bindings: Bindings, origin: str, kind: str) -> QueryResult:
        if kind == "UPDATE":
            raise RecruitGraphError(f"{origin}: updates are not run through query(); the graph is read-only")
        if self._remote is not None:
            check_syntax(text, origin=origin)
            return self._remote.select(inject_values(text, bindings))
        return result_from_oxigraph(self._local(text, bindings, origin))

    def _graph(self, text: str, bindings: Bindings, origin: str) -> Graph:
        if self._remote is not None:
            check_syntax(text, origin=origin)
            return self._remote.graph(inject_values(text, bindings))
        return graph_from_triples(self._local(text, bindings, origin))

    def _local(self, text: str, bindings: Bindings, origin: str) -> Any:
        try:
            return evaluate(self.store, text, bindings=bindings)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"{origin}: SPARQL syntax error {syntax_position(exc)}") from None
        except OSError as exc:
            raise RecruitGraphError(f"{origin}: the store failed: {exc}") from None

    # -- whole-graph operations ----------------------------------------------------------------

    def triples_count(self) -> int:
        if self._remote is not None:
            res = self._remote.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            return int(str(res.rows[0]["n"])) if res.rows else 0
        return len(self.store)

    def export(self, target: str | os.PathLike[str] | IO[bytes], format: str | None = None) -> int:
        """Write the ontology, the data and all evidence to a file or stream; return bytes written.

        ``format`` is turtle (default), trig, ntriples, nquads, jsonld or rdfxml; Turtle and TriG
        are sorted, so two exports of the same data are identical.
        """
        from .export import format_for_path

        if format is None:
            format = format_for_path(Path(target)) if isinstance(target, str | os.PathLike) else "turtle"
        if self._remote is not None:
            store = ox.Store()
            for t in self.construct("CONSTRUCT WHERE { ?s ?p ?o }").triples((None, None, None)):
                from .results import to_oxigraph

                store.add(ox.Quad(to_oxigraph(t[0]), to_oxigraph(t[1]), to_oxigraph(t[2])))
            return write_export(store, target if not isinstance(target, os.PathLike) else Path(target), format)
        return write_export(self.store, target if not isinstance(target, os.PathLike) else Path(target), format)

    def to_rdflib(self) -> Graph:
        """The whole graph as an rdflib Graph (for pySHACL, reasoners and other rdflib tools)."""
        return self.construct("CONSTRUCT WHERE { ?s ?p ?o }")

    def import_files(self, paths: Iterable[str | os.PathLike[str]], *, validate: bool = True) -> int:
        """Add RDF files to the store, all or nothing; return the number of triples added.

        Every file is parsed, then the store's data plus the new files are checked against the
        SHACL shapes, before anything is written. A failure raises and changes nothing.
        """
        if self.read_only:
            raise RecruitGraphError(
                "this graph is a read-only in-memory copy; import through recruitgraph.open() "
                "without in_memory=True"
            )
        files = [Path(p) for p in paths]
        if not files:
            raise InputError("no files to import")
        for path in files:
            rdf_format(path)  # unknown extensions fail before any parsing
        # Unvalidated imports into the persistent store are parsed by its bulk load alone (a
        # syntax error still aborts the new build): parsing first as well would hold every
        # triple as a Python object, about 6 s and over 1 GB per million triples (bench/run).
        needs_parse = validate or self._persistent is None
        parsed = {path: parse_file(path) for path in files} if needs_parse else {}
        for path, quads in parsed.items():
            if not quads:
                raise InputError(f"{path}: no triples in the file; there is nothing to import")
        if self._persistent is not None:
            # Validated under the store's write lock, against the very build the files extend, so
            # two imports at once cannot each pass against the old data and together break it.
            def check(store: ox.Store) -> None:
                self._check_build((q.triple for q in store), list(parsed))

            # Let go of the live build first, so that the write can collect it once replaced.
            self._store = None
            self._persistent.release()
            try:
                self._persistent.add_files(files, check=check if validate else None)
            finally:
                self._store = self._persistent.open()
            return self._persistent.last_added
        if self._store is None:
            raise RecruitGraphError("imports into a remote endpoint go through push()")
        if validate:
            merged = ox.Store()
            merged.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in self._store)
            for quads in parsed.values():
                merged.extend(quads)
            self._check_build((q.triple for q in merged), list(parsed))
        before = self.triples_count()
        for quads in parsed.values():
            self._store.extend(quads)
        drop_default_duplicates(self._store)
        return self.triples_count() - before

    def _check_build(self, triples: Iterable[ox.Triple], files: list[Path]) -> None:
        from .validation import check_graph

        report = check_graph(graph_from_triples(triples), files=files)
        if not report.conforms:
            raise NotConforming(f"import refused, nothing was written:\n{report.text()}", report)

    def validate(self, *, reasoner: bool = True) -> Any:
        """SHACL conformance and OWL consistency of the shipped files plus imports."""
        from .validation import validate

        extra = list(self._extra_files)
        if self._persistent is not None:
            extra += [self._persistent.root / item["path"] for item in self._persistent.imported()]
        return validate(extra_files=extra, reasoner=reasoner)

    def stats(self) -> dict[str, Any]:
        """Triples, entities by class, claims by verification status, sources."""
        def pairs(text: str) -> list[tuple[str, int]]:
            res = self.query(text)
            return [(str(r["key"]), int(str(r["n"]))) for r in res.rows if "key" in r]

        by_class = pairs(
            "SELECT ?key (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?key . "
            "FILTER(STRSTARTS(STR(?s), STR(rgd:))) } GROUP BY ?key ORDER BY DESC(?n) ?key"
        )
        by_status = pairs(
            "SELECT ?key (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c rg:hasEvidence/rg:verificationStatus ?key } "
            "GROUP BY ?key ORDER BY DESC(?n) ?key"
        )
        sources = self.query(
            "SELECT ?source ?label ?sha WHERE { ?source a rg:Source . "
            "OPTIONAL { ?source rdfs:label ?label } OPTIONAL { ?source rg:sha256 ?sha } } ORDER BY ?source"
        )
        return {
            "triples": self.triples_count(),
            "entities_by_class": dict(by_class),
            "claims_by_status": dict(by_status),
            "sources": [{k: str(v) for k, v in row.items()} for row in sources.rows],
        }

    def pipelines(self, origin: str | None = None) -> Any:
        """The recruitment pipelines (optionally from one origin), stages in order with evidence."""
        from .pipelines import pipelines

        return pipelines(self, origin=origin)

    def viz(self, **options: Any) -> Any:
        """An interactive pipeline graph that displays inline in Jupyter, JupyterLab and VS Code."""
        from .visualization import notebook_view

        return notebook_view(self, **options)


def open(
    *,
    memory: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    extra_files: Sequence[str | os.PathLike[str]] = (),
    timeout: float = 30.0,
    auth: tuple[str, str] | None = None,
    in_memory: bool = False,
    memory_budget: int | str | None = None,
) -> KnowledgeGraph:
    """Open the graph.

    - default: the persistent store in the data directory (``data_dir``, else
      ``RECRUITGRAPH_DATA_DIR``, else ``$XDG_DATA_HOME/recruitgraph``), built from ``ontology/``
      and ``data/`` on first use and rebuilt when they change;
    - ``memory=True``: an in-memory store built from the same files (plus ``extra_files``);
    - ``endpoint=URL``: a remote SPARQL 1.1 endpoint (``timeout`` seconds, ``auth`` or the
      ``RECRUITGRAPH_ENDPOINT_USER``/``_PASSWORD`` environment variables);
    - ``in_memory=True``: the persistent store, copied into memory for read-only use when the
      copy fits ``memory_budget`` (bytes or ``"8G"``; else ``RECRUITGRAPH_MEMORY_BUDGET``, else
      8 GiB), read from disk otherwise. The choice and its reason are logged (logger
      ``recruitgraph``) and kept in ``kg.mode_message``; imports then go through a graph opened
      without ``in_memory``.
    """
    extras = [Path(p) for p in extra_files]
    if endpoint:
        return KnowledgeGraph(remote=RemoteBackend(endpoint, timeout=timeout, auth=auth))
    if memory:
        store, _ = open_store(memory=True, extra_files=extras)
        return KnowledgeGraph(store=store, extra_files=extras)
    store, persistent = open_store(data_dir=data_dir)
    assert persistent is not None
    kg = KnowledgeGraph(store=store, persistent=persistent)
    if extras:
        kg.import_files(extras)
    if in_memory:
        _to_memory(kg, persistent, memory_budget)
    return kg


def _to_memory(kg: KnowledgeGraph, persistent: PersistentStore, budget: int | str | None) -> None:
    """Swap the disk store of ``kg`` for an in-memory copy when it fits the budget; say which."""
    from .memory import copy_to_memory, decide

    decision = decide(len(kg.store), budget)
    logging.getLogger("recruitgraph").info(decision.message)
    kg.mode_message = decision.message
    if decision.in_memory:
        kg._store = copy_to_memory(kg.store)
        kg.read_only = True
        persistent.release()  # the copy no longer reads the build
