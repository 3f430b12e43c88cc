"""Tables of a benchmark run, with ratios, and the same numbers from a baseline side by side."""

from __future__ import annotations

import math
from typing import Any

#: Load engines: (key, label, raw engine the ratio is taken against).
LOADS = (
    ("project", "project store (disk)", "raw-disk"),
    ("raw-disk", "pyoxigraph bulk_load (disk)", None),
    ("project-nquads", "project store, as N-Quads (disk; vs project)", "project"),
    ("project-memory", "project open(memory)", "raw-memory"),
    ("raw-memory", "pyoxigraph bulk_load (memory)", None),
    ("server", "oxigraph load (CLI, disk)", "raw-disk"),
    ("rdflib", "rdflib Graph (memory)", "raw-memory"),
)
QUERY_ENGINES = ("project", "raw-disk", "project-memory", "raw-memory", "server", "rdflib")
QUERY_HEAD = (
    "project",
    "raw disk",
    "ratio",
    "proj mem",
    "raw mem",
    "ratio",
    "server",
    "rdflib",
    "x rdflib",
)


def fmt_s(value: Any) -> str:
    if not isinstance(value, int | float):
        return "n/a"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def fmt_x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def ratio(a: Any, b: Any) -> float | None:
    if isinstance(a, int | float) and isinstance(b, int | float) and b > 0:
        return a / b
    return None


def geomean(values: list[float]) -> float | None:
    vals = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in vals) / len(vals)) if vals else None


def table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]

    def line(r: list[str]) -> str:
        cells = zip(r, widths, strict=True)
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells))

    return "\n".join([line(head), "  ".join("-" * w for w in widths), *map(line, rows)])


def _get(d: dict | None, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def _na(entry: Any) -> str:
    reason = _get(entry, "na")
    return f"n/a ({reason})" if reason else "n/a"


def summarise(size: dict[str, Any]) -> dict[str, Any]:
    """Ratios of one size: load and query ratios to raw, speed-up over rdflib, geometric means."""
    loads = size.get("load", {})
    out: dict[str, Any] = {
        "load_ratio": {},
        "query_ratio_disk": {},
        "query_ratio_memory": {},
        "speedup_over_rdflib": {},
    }
    for key, _, raw in LOADS:
        if raw:
            out["load_ratio"][key] = ratio(_get(loads, key, "seconds"), _get(loads, raw, "seconds"))
    for name, engines in size.get("queries", {}).items():
        med = {e: _get(engines, e, "median_s") for e in QUERY_ENGINES}
        out["query_ratio_disk"][name] = ratio(med["project"], med["raw-disk"])
        out["query_ratio_memory"][name] = ratio(med["project-memory"], med["raw-memory"])
        out["speedup_over_rdflib"][name] = ratio(med["rdflib"], med["project"])
    for key in ("query_ratio_disk", "query_ratio_memory", "speedup_over_rdflib"):
        out[f"geomean_{key}"] = geomean([v for v in out[key].values() if v])
    exp = size.get("export", {})
    out["export_ratio"] = ratio(_get(exp, "project", "seconds"), _get(exp, "raw", "seconds"))
    http = size.get("http", {})
    out["http_ratio_memory"] = {
        name: ratio(entry.get("median_s"), _get(size, "queries", name, "raw-memory", "median_s"))
        for name, entry in _get(http, "memory", "queries").items()
    } if isinstance(_get(http, "memory", "queries"), dict) else {}
    out["geomean_http_ratio_memory"] = geomean([v for v in out["http_ratio_memory"].values() if v])
    return out


def render_http(size: dict[str, Any], s: dict[str, Any]) -> str:
    """The named queries through the project's server: one client (median) and concurrent
    clients (p50/p99), memory and disk mode, beside raw pyoxigraph in memory."""
    http = size.get("http", {})
    mem, disk = (_get(http, m, "queries") or {} for m in ("memory", "disk"))
    if not mem and not disk:
        return ""
    n = _get(http, "memory", "clients") or _get(http, "disk", "clients") or "?"
    rows = []
    for name in sorted(set(mem) | set(disk)):
        m, d = mem.get(name, {}), disk.get(name, {})
        rows.append([
            name,
            fmt_s(_get(size, "queries", name, "raw-memory", "median_s")),
            fmt_s(m.get("median_s")),
            fmt_x(s["http_ratio_memory"].get(name)),
            f"{fmt_s(m.get('p50_s'))} / {fmt_s(m.get('p99_s'))}",
            fmt_s(d.get("median_s")),
            f"{fmt_s(d.get('p50_s'))} / {fmt_s(d.get('p99_s'))}",
        ])
    rows.append(["geometric mean", "", "", fmt_x(s["geomean_http_ratio_memory"]), "", "", ""])
    head = ["named query over HTTP", "raw pyoxigraph (memory)", "server, memory mode", "vs raw",
            f"memory, {n} clients p50 / p99", "server, disk mode", f"disk, {n} clients p50 / p99"]
    notes = [f"{mode} mode: {_get(http, mode, 'mode_line') or _na(http.get(mode))}; peak resident "
             f"memory of the server and its workers {_get(http, mode, 'server_maxrss_mb')} MB"
             for mode in ("memory", "disk") if http.get(mode)]
    return table(head, rows) + "\n" + "\n".join(notes)


def render(label: str, size: dict[str, Any], base: dict[str, Any] | None) -> str:
    s = summarise(size)
    parts = [f"== {label} triples =="]
    gen = size.get("generate", {})
    parts.append(
        f"generate: {fmt_s(gen.get('seconds'))}, {gen.get('triples', 'n/a')} triples, "
        f"{(gen.get('bytes') or 0) / 1e6:.0f} MB N-Triples"
    )
    rows = []
    for key, name, _raw in LOADS:
        entry = size.get("load", {}).get(key, {})
        secs = entry.get("seconds")
        row = [
            name,
            fmt_s(secs) if secs is not None else _na(entry),
            f"{entry.get('maxrss_mb', 'n/a')}",
            fmt_x(s["load_ratio"].get(key)),
        ]
        if base is not None:
            row.append(fmt_s(_get(base, "load", key, "seconds")))
        rows.append(row)
    head = ["load (the synthetic file)", "time", "peak MB", "vs raw"]
    parts.append(table(head + (["baseline"] if base else []), rows))
    if size.get("load", {}).get("validated"):
        v = size["load"]["validated"]
        parts.append(
            f"import with SHACL validation: {fmt_s(v.get('seconds'))} "
            f"(check_graph alone {fmt_s(v.get('check_graph_s'))}, peak {v.get('maxrss_mb')} MB)"
            if "na" not in v
            else f"import with SHACL validation: {_na(v)}"
        )
    rows = []
    for name, engines in sorted(size.get("queries", {}).items()):
        med = {e: _get(engines, e, "median_s") for e in QUERY_ENGINES}
        counts = {_get(engines, e, "rows") for e in QUERY_ENGINES} - {None}
        flag = "" if len(counts) <= 1 else " (rows differ!)"
        row = [
            name + flag,
            fmt_s(med["project"]),
            fmt_s(med["raw-disk"]),
            fmt_x(s["query_ratio_disk"][name]),
            fmt_s(med["project-memory"]),
            fmt_s(med["raw-memory"]),
            fmt_x(s["query_ratio_memory"][name]),
            fmt_s(med["server"]),
            fmt_s(med["rdflib"]),
            fmt_x(s["speedup_over_rdflib"][name]),
        ]
        if base is not None:
            row.append(fmt_s(_get(base, "queries", name, "project", "median_s")))
        rows.append(row)
    if rows:
        rows.append(
            [
                "geometric mean",
                "",
                "",
                fmt_x(s["geomean_query_ratio_disk"]),
                "",
                "",
                fmt_x(s["geomean_query_ratio_memory"]),
                "",
                "",
                fmt_x(s["geomean_speedup_over_rdflib"]),
            ]
            + ([""] if base else [])
        )
        parts.append(
            table(
                ["query (median of warm runs)", *QUERY_HEAD] + (["baseline"] if base else []), rows
            )
        )
    missing = [
        f"  n/a: {name} on {e}: {engines[e]['na']}"
        for name, engines in sorted(size.get("queries", {}).items())
        for e in QUERY_ENGINES
        if _get(engines, e, "na")
    ]
    if missing:
        parts.append("\n".join(missing))
    http_table = render_http(size, s)
    if http_table:
        parts.append(http_table)
    mem = {e: _get(size, "query_memory", e) for e in QUERY_ENGINES}
    parts.append("peak MB while querying: " + ", ".join(f"{e} {v}" for e, v in mem.items() if v))
    pipe = size.get("pipelines", {})
    page = pipe.get("page", {}) if isinstance(pipe.get("page"), dict) else {}
    exp = size.get("export", {})
    rows = [
        [
            "pipeline projection (networkx)",
            fmt_s(pipe.get("projection_s")) if "projection_s" in pipe else _na(pipe),
            f"{pipe.get('maxrss_mb', 'n/a')}",
            f"{pipe.get('nodes', '?')} nodes, {pipe.get('edges', '?')} edges"
            if "nodes" in pipe
            else "",
        ],
        [
            "aggregated pipeline page (HTML)",
            fmt_s(page.get("seconds")) if "seconds" in page else _na(page),
            "",
            f"{(page.get('bytes') or 0) / 1e3:.0f} kB" if "bytes" in page else "",
        ],
        [
            "Turtle export, project (sorted)",
            fmt_s(_get(exp, "project", "seconds"))
            if _get(exp, "project", "seconds") is not None
            else _na(exp.get("project")),
            f"{_get(exp, 'project', 'maxrss_mb')}",
            f"{fmt_x(s['export_ratio'])} of raw",
        ],
        [
            "Turtle export, raw pyoxigraph dump",
            fmt_s(_get(exp, "raw", "seconds")),
            f"{_get(exp, 'raw', 'maxrss_mb')}",
            "",
        ],
    ]
    if base is not None:
        rows[0].append(fmt_s(_get(base, "pipelines", "projection_s")))
        rows[1].append(fmt_s(_get(base, "pipelines", "page", "seconds")))
        rows[2].append(fmt_s(_get(base, "export", "project", "seconds")))
        rows[3].append(fmt_s(_get(base, "export", "raw", "seconds")))
    parts.append(table(["other", "time", "peak MB", ""] + (["baseline"] if base else []), rows))
    return "\n\n".join(parts)


def _md(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _mb(entry: Any) -> str:
    value = _get(entry, "maxrss_mb")
    return f"{value:,.0f} MB" if isinstance(value, int | float) else "n/a"


def markdown(results: dict[str, Any]) -> str:
    """Summary across sizes, then the per-query table of the middle size, as Markdown."""
    sizes = results.get("sizes", {})
    labels = sorted(sizes, key=lambda k: sizes[k].get("triples", 0))
    rows: list[list[str]] = []

    def add(name: str, fn: Any) -> None:
        rows.append([name, *(fn(sizes[k], summarise(sizes[k])) for k in labels)])

    for key, name, _raw in LOADS:
        add(
            f"load: {name}",
            lambda d, s, key=key: (
                f"{fmt_s(_get(d, 'load', key, 'seconds'))}, {_mb(_get(d, 'load', key))}"
                + (f" ({fmt_x(s['load_ratio'][key])} raw)" if s["load_ratio"].get(key) else "")
                if _get(d, "load", key, "seconds") is not None
                else _na(_get(d, "load", key))
            ),
        )
    add(
        "queries: project / raw pyoxigraph, disk (geomean)",
        lambda d, s: fmt_x(s["geomean_query_ratio_disk"]),
    )
    add(
        "queries: project / raw pyoxigraph, memory (geomean)",
        lambda d, s: fmt_x(s["geomean_query_ratio_memory"]),
    )
    add(
        "queries: speed-up of the project store over rdflib (geomean)",
        lambda d, s: fmt_x(s["geomean_speedup_over_rdflib"]),
    )
    add(
        "pipeline projection (networkx)",
        lambda d, s: (
            f"{fmt_s(_get(d, 'pipelines', 'projection_s'))}, {_mb(d.get('pipelines'))}, "
            f"{_get(d, 'pipelines', 'nodes')} nodes"
            if _get(d, "pipelines", "projection_s")
            else _na(d.get("pipelines"))
        ),
    )
    add(
        "aggregated pipeline page (HTML)",
        lambda d, s: fmt_s(_get(d, "pipelines", "page", "seconds")),
    )
    add(
        "Turtle export: project (sorted)",
        lambda d, s: (
            f"{fmt_s(_get(d, 'export', 'project', 'seconds'))}, {_mb(_get(d, 'export', 'project'))}"
            f" ({fmt_x(s['export_ratio'])} raw)"
            if s["export_ratio"]
            else _na(_get(d, "export", "project"))
        ),
    )
    add(
        "Turtle export: raw pyoxigraph dump",
        lambda d, s: (
            f"{fmt_s(_get(d, 'export', 'raw', 'seconds'))}, {_mb(_get(d, 'export', 'raw'))}"
        ),
    )
    parts = [_md(["measure", *[f"{k} triples" for k in labels]], rows)]
    for k in labels:
        qrows = []
        for name, engines in sorted(sizes[k].get("queries", {}).items()):
            med = [fmt_s(_get(engines, e, "median_s")) for e in QUERY_ENGINES]
            qrows.append([name, *med])
        if qrows:
            parts.append(
                f"Named and bench queries at {k} triples (median of warm runs):\n\n"
                + _md(
                    [
                        "query",
                        "project (disk)",
                        "raw (disk)",
                        "project (memory)",
                        "raw (memory)",
                        "Oxigraph server",
                        "rdflib",
                    ],
                    qrows,
                )
            )
    return "\n\n".join(parts)
