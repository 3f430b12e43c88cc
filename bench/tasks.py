"""One benchmark measurement per process: ``python bench/tasks.py TASK JSON-ARGS``.

Each task prints one JSON object on its last stdout line, with the timings it took and
``maxrss_mb``, the peak resident memory of its own process (``ru_maxrss``), so every number in
the table comes with the memory that produced it. Modules the project has not written yet give
``{"na": "reason"}`` instead of a crash.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
OXIGRAPH_CLI = str(Path(sys.executable).with_name("oxigraph"))


def maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rdf_format(path: str) -> Any:
    import pyoxigraph as ox

    return ox.RdfFormat.N_TRIPLES if path.endswith(".nt") else ox.RdfFormat.TURTLE


# -- the query set ---------------------------------------------------------------------------


#: Values for required parameters that have no default: entities of the synthetic data.
BENCH_PARAMS: dict[str, dict[str, str]] = {
    "actor-profile": {"actor": "rgd:synth-network-0001"},
}


def query_set(names: list[str] | None) -> list[dict[str, Any]]:
    """Named queries of ``queries/`` (with their default bindings) and ``bench/queries/*.rq``.

    Each item: name, text, bindings (N-Triples term strings), origin ``named`` or ``bench``,
    or ``na`` with the reason the query cannot run with defaults alone.
    """
    items: list[dict[str, Any]] = []
    try:
        from recruitgraph import config
        from recruitgraph.queries import load_named_queries

        named = load_named_queries(config.queries_dir())
    except Exception as exc:  # the catalogue is being written in parallel
        named = {}
        items.append({"name": "(named queries)", "na": f"{type(exc).__name__}: {exc}"})
    for name in sorted(named):
        q = named[name]
        item: dict[str, Any] = {"name": name, "origin": "named", "text": q.text}
        if q.kind not in ("SELECT", "ASK"):
            item["na"] = f"{q.kind} query"
        else:
            try:
                params = BENCH_PARAMS.get(name, {})
                item["params"] = params
                item["bindings"] = {k: str(v) for k, v in q.bind(params).items()}
            except Exception as exc:
                item["na"] = f"no defaults: {exc}"
        items.append(item)
    for path in sorted((BENCH / "queries").glob("*.rq")):
        items.append(
            {"name": path.stem, "origin": "bench", "text": path.read_text(), "bindings": {}}
        )
    if names:
        items = [i for i in items if i["name"] in names]
    return items


def ox_term(text: str) -> Any:
    """Parse one N-Triples term (as ``str(term)`` of pyoxigraph writes it)."""
    import pyoxigraph as ox

    triple = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    return triple.object


def prologue() -> str:
    from recruitgraph.namespaces import sparql_prologue

    return sparql_prologue()


def time_runs(fn: Callable[[], int], reps: int, budget: float) -> dict[str, Any]:
    """One warm-up run, then up to ``reps`` timed runs (fewer when a run is slow); median."""
    t = time.perf_counter()
    rows = fn()
    first = time.perf_counter() - t
    runs = []
    n = reps if first * reps < budget else max(1, int(budget / max(first, 1e-9)))
    for _ in range(n):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return {"median_s": statistics.median(runs), "runs": len(runs), "rows": rows}


def run_queries(
    engine_run: Callable[[dict[str, Any]], int], args: dict[str, Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in query_set(args.get("queries")):
        if "na" in q:
            out[q["name"]] = {"na": q["na"]}
            continue
        try:
            out[q["name"]] = time_runs(partial(engine_run, q), args["reps"], args["budget"])
        except Exception as exc:
            out[q["name"]] = {"na": f"{type(exc).__name__}: {str(exc)[:200]}"}
        if args.get("partial"):  # so that a timeout of the whole task keeps what was measured
            with open(args["partial"], "a", encoding="utf-8") as fh:
                fh.write(json.dumps({q["name"]: out[q["name"]]}) + "\n")
    return out


def count_ox(result: Any) -> int:
    """Consume a pyoxigraph result the way a caller would: every value of every row."""
    if isinstance(result, bool):
        return int(result)
    n = 0
    variables = result.variables
    for solution in result:
        for v in variables:
            solution[v]
        n += 1
    return n


def ox_runner(store: Any) -> Callable[[dict[str, Any]], int]:
    import pyoxigraph as ox

    from recruitgraph.namespaces import PREFIXES

    def run(q: dict[str, Any]) -> int:
        subs = {ox.Variable(k): ox_term(v) for k, v in q["bindings"].items()}
        return count_ox(store.query(q["text"], prefixes=PREFIXES, substitutions=subs))

    return run


# -- loads -------------------------------------------------------------------------------------


def task_generate(a: dict[str, Any]) -> dict[str, Any]:
    from recruitgraph import synth

    t = time.perf_counter()
    n = synth.generate_file(a["file"], triples=a["triples"], seed=a["seed"])
    return {"seconds": time.perf_counter() - t, "triples": n, "bytes": os.path.getsize(a["file"])}


def _raw_store(a: dict[str, Any], path: str | None) -> tuple[Any, float]:
    import pyoxigraph as ox

    store = ox.Store(path) if path else ox.Store()
    for f in a["base"]:
        store.bulk_load(path=f, format=rdf_format(f))
    t = time.perf_counter()
    store.bulk_load(path=a["file"], format=rdf_format(a["file"]))
    if path:
        store.flush()
    return store, time.perf_counter() - t


def task_load_raw_memory(a: dict[str, Any]) -> dict[str, Any]:
    store, seconds = _raw_store(a, None)
    return {"seconds": seconds, "triples": len(store)}


def task_load_raw_disk(a: dict[str, Any]) -> dict[str, Any]:
    shutil.rmtree(a["dir"], ignore_errors=True)
    store, seconds = _raw_store(a, a["dir"])
    return {"seconds": seconds, "triples": len(store)}


def task_load_project(a: dict[str, Any]) -> dict[str, Any]:
    import recruitgraph

    shutil.rmtree(a["data_dir"], ignore_errors=True)
    t = time.perf_counter()
    kg = recruitgraph.open(data_dir=a["data_dir"])
    opened = time.perf_counter() - t
    t = time.perf_counter()
    try:
        kg.import_files([a["file"]], validate=False)
        note = "import_files(validate=False)"
    except TypeError:
        kg.import_files([a["file"]])
        note = "import_files (validated: no option to skip)"
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "open_s": opened, "triples": kg.triples_count(), "note": note}


#: The named graph of the N-Quads copy of the synthetic file.
GRAPH_IRI = "urn:x-recruitgraph-bench:graph"


def _as_nquads(nt_file: str) -> str:
    """The same statements as N-Quads, each in one named graph (which an import drops)."""
    out = str(Path(nt_file).with_suffix(".nq"))
    graph = f"<{GRAPH_IRI}>"
    with open(nt_file, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            body = line.rstrip().removesuffix(".").rstrip()
            if body:
                dst.write(f"{body} {graph} .\n")
    return out


def task_load_project_nquads(a: dict[str, Any]) -> dict[str, Any]:
    """The project import of a dataset format: each statement passes through Python."""
    import recruitgraph

    quads = _as_nquads(a["file"])
    shutil.rmtree(a["data_dir"], ignore_errors=True)
    kg = recruitgraph.open(data_dir=a["data_dir"])
    t = time.perf_counter()
    kg.import_files([quads], validate=False)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "triples": kg.triples_count(),
            "graph_kept": any(g.value == GRAPH_IRI for g in kg.store.named_graphs()),
            "note": "import_files(N-Quads, validate=False)"}


def task_load_project_memory(a: dict[str, Any]) -> dict[str, Any]:
    import recruitgraph

    t = time.perf_counter()
    recruitgraph.open(memory=True)
    base = time.perf_counter() - t
    t = time.perf_counter()
    kg = recruitgraph.open(memory=True, extra_files=[a["file"]])
    seconds = time.perf_counter() - t - base
    return {"seconds": seconds, "triples": kg.triples_count(), "note": "open(memory, extra_files)"}


def task_import_validated(a: dict[str, Any]) -> dict[str, Any]:
    """Import with SHACL validation (the default path), and check_graph alone."""
    import recruitgraph

    shutil.rmtree(a["data_dir"], ignore_errors=True)
    kg = recruitgraph.open(data_dir=a["data_dir"])
    t = time.perf_counter()
    kg.import_files([a["file"]])
    seconds = time.perf_counter() - t
    from rdflib import Graph

    from recruitgraph.validation import check_graph

    g = Graph().parse(a["file"], format="nt")
    t = time.perf_counter()
    report = check_graph(g)
    check = time.perf_counter() - t
    return {"seconds": seconds, "check_graph_s": check, "conforms": bool(report.conforms)}


def _rdflib_graph(a: dict[str, Any]) -> tuple[Any, float]:
    from rdflib import Graph

    g = Graph()
    for f in a["base"]:
        g.parse(f, format="nt" if f.endswith(".nt") else "turtle")
    t = time.perf_counter()
    g.parse(a["file"], format="nt")
    return g, time.perf_counter() - t


def task_load_rdflib(a: dict[str, Any]) -> dict[str, Any]:
    g, seconds = _rdflib_graph(a)
    return {"seconds": seconds, "triples": len(g)}


def task_load_server(a: dict[str, Any]) -> dict[str, Any]:
    shutil.rmtree(a["dir"], ignore_errors=True)
    for f in a["base"]:
        subprocess.run(
            [OXIGRAPH_CLI, "load", "--location", a["dir"], "--file", f],
            check=True,
            capture_output=True,
        )
    t = time.perf_counter()
    proc = subprocess.run(
        [OXIGRAPH_CLI, "load", "--location", a["dir"], "--file", a["file"]],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t
    if proc.returncode:
        return {"na": f"oxigraph load failed: {proc.stderr.strip()[-200:]}"}
    return {"seconds": seconds, "note": "oxigraph load (CLI)"}


# -- queries ---------------------------------------------------------------------------------


def task_queries_raw_memory(a: dict[str, Any]) -> dict[str, Any]:
    store, _ = _raw_store(a, None)
    return {"queries": run_queries(ox_runner(store), a)}


def task_queries_raw_disk(a: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph as ox

    return {"queries": run_queries(ox_runner(ox.Store.read_only(a["dir"])), a)}


def _project_runner(kg: Any) -> Callable[[dict[str, Any]], int]:
    def run(q: dict[str, Any]) -> int:
        if q["origin"] == "named":
            res = kg.query(q["name"], **q.get("params", {}))
        else:
            res = kg.query(q["text"])
        return len(res.rows) if res.rows is not None else int(bool(res.boolean))

    return run


def task_queries_project(a: dict[str, Any]) -> dict[str, Any]:
    import recruitgraph

    kg = recruitgraph.open(data_dir=a["data_dir"])
    return {"queries": run_queries(_project_runner(kg), a)}


def task_queries_project_memory(a: dict[str, Any]) -> dict[str, Any]:
    import recruitgraph

    kg = recruitgraph.open(memory=True, extra_files=[a["file"]])
    return {"queries": run_queries(_project_runner(kg), a)}


def task_queries_rdflib(a: dict[str, Any]) -> dict[str, Any]:
    from rdflib.util import from_n3

    from recruitgraph.namespaces import PREFIXES

    g, _ = _rdflib_graph(a)
    # rdflib evaluates in Python, so an alarm can stop one query without losing the others
    # (some named queries run for hours on rdflib); the limit is 10 query budgets.
    limit = 10 * float(a["budget"])

    def stop(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"stopped after {limit:.0f} s")

    signal.signal(signal.SIGALRM, stop)

    def run(q: dict[str, Any]) -> int:
        bindings = {k: from_n3(v) for k, v in q["bindings"].items()}
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            res = g.query(q["text"], initNs=PREFIXES, initBindings=bindings)
            if res.type == "ASK":
                return int(bool(res.askAnswer))
            n = 0
            for row in res:
                tuple(row)
                n += 1
            return n
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    return {"queries": run_queries(run, a)}


def _http_query(url: str, text: str) -> Any:
    req = urllib.request.Request(
        url,
        data=text.encode("utf-8"),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(req, timeout=600) as resp:
        return json.loads(resp.read())


def task_queries_server(a: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph as ox

    from recruitgraph.queries import inject_values

    url = f"http://127.0.0.1:{a['port']}/query"
    proc = subprocess.Popen(
        [
            OXIGRAPH_CLI,
            "serve-read-only",
            "--location",
            a["dir"],
            "--bind",
            f"127.0.0.1:{a['port']}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                _http_query(url, "ASK {}")
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    return {"na": "oxigraph serve did not start"}
                time.sleep(0.2)
        pro = prologue()

        def run(q: dict[str, Any]) -> int:
            bindings = {k: ox_term(v) for k, v in q["bindings"].items()}
            data = _http_query(url, pro + inject_values(q["text"], bindings))
            if "boolean" in data:
                return int(bool(data["boolean"]))
            return len(data["results"]["bindings"])

        result: dict[str, Any] = {"queries": run_queries(run, a)}
        result["server_maxrss_mb"] = _vm_hwm(proc.pid)
        del ox
        return result
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _vm_hwm(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


# -- pipelines, page, export -----------------------------------------------------------------


def task_pipelines(a: dict[str, Any]) -> dict[str, Any]:
    import recruitgraph

    kg = recruitgraph.open(data_dir=a["data_dir"])
    out: dict[str, Any] = {}
    try:
        from recruitgraph.pipelines import project
    except ImportError as exc:
        return {"na": f"recruitgraph.pipelines: {exc}"}
    t = time.perf_counter()
    G = project(kg)
    out["projection_s"] = time.perf_counter() - t
    out["nodes"], out["edges"] = G.number_of_nodes(), G.number_of_edges()
    # the page as `recruitgraph viz` makes it: its own projection (records counted in the store
    # above the node threshold, drawn otherwise), then the HTML
    from recruitgraph.visualization import view_graph

    t = time.perf_counter()
    view = view_graph(kg)
    view_s = time.perf_counter() - t
    page = _page(view, a)
    if "seconds" in page:
        page["seconds"] += view_s
    out["page"] = page
    return out


def _page(G: Any, a: dict[str, Any]) -> dict[str, Any]:
    """The interactive pipeline page (aggregated above its node threshold) for ``G``."""
    try:
        from recruitgraph.visualization import write_html
    except ImportError as exc:
        return {"na": f"recruitgraph.visualization: {exc}"}
    target = Path(a["out"])
    t = time.perf_counter()
    write_html(G, target)
    return {"seconds": time.perf_counter() - t, "bytes": target.stat().st_size}


def task_export_project(a: dict[str, Any]) -> dict[str, Any]:
    import recruitgraph

    kg = recruitgraph.open(data_dir=a["data_dir"])
    t = time.perf_counter()
    n = kg.export(a["out"], format="turtle")
    return {"seconds": time.perf_counter() - t, "bytes": n}


def task_export_raw(a: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph as ox

    from recruitgraph.namespaces import PREFIXES

    store = ox.Store.read_only(a["dir"])
    t = time.perf_counter()
    store.dump(
        output=a["out"], format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=PREFIXES
    )
    return {"seconds": time.perf_counter() - t, "bytes": os.path.getsize(a["out"])}


# -- the project's own server over HTTP -------------------------------------------------------


def _tree_hwm_mb(pid: int) -> float:
    """Sum of the resident high-water marks of a process and its descendants (the server and
    its query workers), in MB."""
    total = 0.0
    seen: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _vm_hwm(p) or 0.0
        for task_dir in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task_dir / "children").read_text().split()]
    return round(total, 1)


def _latency(ordered: list[float], pct: float) -> float:
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def task_queries_http(a: dict[str, Any]) -> dict[str, Any]:
    """Every named query through ``recruitgraph serve``: one client in turn (median), then
    ``clients`` concurrent clients (p50, p99, throughput), with the server in memory mode
    (``a["memory_budget"]``, default 20G: room for every worker's copy at 1M triples) or disk
    mode (a budget of 1 byte)."""
    import httpx

    from load_server import at_once, server

    wanted_memory = a.get("mode", "memory") == "memory"
    clients = int(a.get("clients", 8))
    budget = a.get("memory_budget", "20G") if wanted_memory else "1"
    options = ["--query-timeout", "600", "--max-rows", "100000000", "--memory-budget", budget]
    with server(options, store=("--data-dir", a["data_dir"])) as started:
        base, mode = started.base, started.line
        memory = "in-memory copies" in mode  # the server's own choice: above the budget, disk
        out: dict[str, Any] = {"mode": a.get("mode", "memory"), "mode_line": mode, "clients": clients}
        with httpx.Client(base_url=base, timeout=600) as http:
            # Wait for the workers' copies: every worker that answers says where from, and both
            # lanes get requests (a named query goes to the named lane, other text to the other).
            t = time.perf_counter()
            deadline = t + float(a.get("copy_timeout", 900))
            warm = [("/sparql", {"query": "ASK { ?s ?p ?o }"}), ("/query", {"name": "countries", "format": "json"})]
            while memory and time.perf_counter() < deadline:
                status = http.get("/health").json()
                if status.get("stores", {}).get("memory", 0) >= 4 and not status["stores"].get("disk"):
                    break
                at_once([partial(httpx.get, base + path, params=params, timeout=60) for path, params in warm * 3])
                time.sleep(0.5)
            out["ready_s"] = round(time.perf_counter() - t, 2)
            out["stores"] = http.get("/health").json().get("stores")
        queries: dict[str, Any] = {}
        for q in query_set(a.get("queries")):
            if "na" in q or q["origin"] != "named":
                continue
            params = {"name": q["name"], "format": "json", **q.get("params", {})}
            queries[q["name"]] = _http_one(base, params, clients, int(a["reps"]), float(a["budget"]))
        out["queries"] = queries
        out["server_maxrss_mb"] = _tree_hwm_mb(started.pid)
        return out


def _http_one(base: str, params: dict[str, str], clients: int, reps: int, budget: float) -> dict[str, Any]:
    import threading

    import httpx

    from load_server import at_once

    def ask(http: httpx.Client) -> tuple[float, int]:
        t = time.perf_counter()
        resp = http.get("/query", params=params)
        took = time.perf_counter() - t
        if resp.status_code != 200:
            raise RuntimeError(f"{params['name']}: HTTP {resp.status_code} {resp.text[:200]}")
        return took, len(resp.json()["results"]["bindings"])

    with httpx.Client(base_url=base, timeout=600) as http:
        first, rows = ask(http)  # warm-up
        n = reps if first * reps < budget else max(1, int(budget / max(first, 1e-9)))
        single = sorted(ask(http)[0] for _ in range(n))
    single_s = statistics.median(single)
    if single_s * clients / 2 > 2 * budget:  # 8 requests on 2 cores would take minutes
        return {"rows": rows, "median_s": single_s, "runs": len(single),
                "concurrent": f"not run: one request takes {single_s:.1f} s"}
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = max(1, n)

    def client() -> None:
        with httpx.Client(base_url=base, timeout=600) as own:
            mine = [ask(own)[0] for _ in range(per_client)]
        with lock:
            latencies.extend(mine)

    wall = at_once([client] * clients)
    latencies.sort()
    return {"rows": rows, "median_s": single_s, "runs": len(single),
            "p50_s": _latency(latencies, 50), "p99_s": _latency(latencies, 99),
            "requests": len(latencies), "throughput_rps": len(latencies) / wall}


#: What a person types, one keystroke at a time: words of the synthetic labels (every one of them
#: says "synthetic", the worst case for a prefix), a code, a two-word query and a miss.
SEARCH_TYPED = ("synthetic recruit 0012", "network", "RU synthetic", "enlistment office", "zzzz")


def task_search(a: dict[str, Any]) -> dict[str, Any]:
    """The search box at scale: build the word index from the store, then time every keystroke."""
    import recruitgraph

    try:
        from recruitgraph.search import build_index
    except ImportError as exc:
        return {"na": f"recruitgraph.search: {exc}"}
    kg = recruitgraph.open(data_dir=a["data_dir"]) if a.get("data_dir") else recruitgraph.open(
        memory=True, extra_files=[a["file"]])
    t = time.perf_counter()
    index = build_index(kg.store)
    build_s = time.perf_counter() - t
    times: list[float] = []
    worst = ("", 0.0, 0)
    for typed in SEARCH_TYPED:
        for k in range(1, len(typed) + 1):
            prefix = typed[:k]
            if not prefix.strip():
                continue
            t = time.perf_counter()
            results = index.search(prefix, 8)
            dt = time.perf_counter() - t
            times.append(dt)
            if dt > worst[1]:
                worst = (prefix, dt, results.total)
    times.sort()
    return {"build_s": build_s, "entities": len(index), "names": len(index.names), "keystrokes": len(times),
            "median_ms": 1000 * statistics.median(times), "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
            "max_ms": 1000 * times[-1], "worst": {"typed": worst[0], "matches": worst[2]}}


TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    name[5:].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("task_")
}


def main() -> int:
    name, args = sys.argv[1], json.loads(sys.argv[2])
    try:
        result = TASKS[name](args)
    except Exception as exc:
        result = {"na": f"{type(exc).__name__}: {str(exc)[:300]}"}
    result["maxrss_mb"] = maxrss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
