"""Interactive pipeline graphs as one self-contained HTML page that works with no network.

The page is rendered from a Jinja2 template with vis-network 9 inlined (``assets/``), not with
pyvis's own writer: pyvis 0.3.2 links Bootstrap and vis-network from CDNs even with
``cdn_resources="in_line"`` (pyvis issues 228 and 229) and costs about 21 s per 50k nodes. The
graph data travels as JSON in a ``<script type="application/json">`` element, escaped so that no
``</script>`` in the data can end it, and the page script writes data into the DOM with
``textContent`` only, so labels are always text.

Above ``max_nodes`` (default 2,000) the view is aggregated: records that belong to a cohort or a
network (individual recruits, say) collapse into one node per group with a count, and the page
says so in a banner.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, select_autoescape

from .exc import InputError, ParameterError
from .passages import SourceMeta, cut, source_meta
from .pipelines import GROUP_CLASSES, ROLES, GraphLike, curie, project

DEFAULT_MAX_NODES = 2000
#: Links drawn per group node and predicate in an aggregated view (the strongest first).
MAX_GROUP_LINKS = 6
ENTITY_BASE = "https://w3id.org/recruitgraph"

#: Colour and vis-network shape per class; unknown classes fall back to their superclass family.
STYLE: dict[str, tuple[str, str]] = {
    "State": ("#4e79a7", "square"),
    "CountryOfOrigin": ("#2b5d8c", "square"),
    "Region": ("#a0cbe8", "square"),
    "RecruitCohort": ("#f28e2b", "hexagon"),
    "RecruitmentChannel": ("#59a14f", "star"),
    "RecruitmentNetwork": ("#b07aa1", "triangleDown"),
    "TraffickingRing": ("#8f4f86", "triangleDown"),
    "Recruiter": ("#d4a6c8", "triangleDown"),
    "GovernmentBody": ("#76b7b2", "triangle"),
    "Ministry": ("#3f8f8a", "triangle"),
    "RegionalGovernment": ("#76b7b2", "triangle"),
    "LawEnforcementAgency": ("#2f6f6a", "triangle"),
    "EnlistmentOffice": ("#9fd4cf", "triangle"),
    "ArmedGroup": ("#e15759", "diamond"),
    "ArmedForces": ("#c0392b", "diamond"),
    "PrivateMilitaryCompany": ("#ff9d9a", "diamond"),
    "Person": ("#edc948", "dot"),
    "Official": ("#d4a017", "dot"),
    "MilitaryLeader": ("#b8860b", "dot"),
    "CivilSocietyGroup": ("#9c755f", "dot"),
    "Incentive": ("#ff9da7", "square"),
    "LegalInstrument": ("#bab0ac", "box"),
    "Event": ("#8cd17d", "ellipse"),
    "Countermeasure": ("#499894", "ellipse"),
    "Recruit": ("#79706e", "dot"),
    "Aggregate": ("#333333", "database"),
}
_FAMILY = {
    "Decree": "LegalInstrument", "Law": "LegalInstrument", "Treaty": "LegalInstrument",
    "TravelBan": "LegalInstrument", "Analyst": "Person", "Activist": "Person",
    "ActivistGroup": "CivilSocietyGroup", "LegalAidGroup": "CivilSocietyGroup",
    "RightsGroup": "CivilSocietyGroup", "CashBonus": "Incentive", "Salary": "Incentive",
    "TaxExemption": "Incentive", "DebtRelief": "Incentive", "CitizenshipIncentive": "Incentive",
    "ReleaseFromPrison": "Incentive", "LegalPrivilege": "Incentive", "Organization": "GovernmentBody",
    "Mobilization": "Event", "NewsConference": "Event", "Summit": "Event", "Crackdown": "Event",
    "Conviction": "Event", "NetworkDismantling": "Event", "MilitaryOperation": "Event",
    "PoliceRaid": "Event", "Interview": "Event", "MediaOutlet": "CivilSocietyGroup",
    "ResearchOrganization": "CivilSocietyGroup", "Agent": "Person",
}
_OTHER = ("#c7c7c7", "dot")
# Predicates that tie a record to its group, most telling first.
_MEMBERSHIP = ("cohort", "recruitedByNetwork", "memberOf", "partOf")


def class_words(cls: str) -> str:
    """A class local name in words: ``RecruitCohort`` -> "Recruit cohort"."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls).lower()
    return spaced[:1].upper() + spaced[1:]


def family_of(cls: str) -> str:
    """The class family a class is drawn (and clustered) with: itself when it has a style."""
    return cls if cls in STYLE else _FAMILY.get(cls, "Other")


def style_of(cls: str) -> tuple[str, str]:
    """(colour, shape) of a class local name."""
    return STYLE.get(cls) or STYLE.get(_FAMILY.get(cls, ""), _OTHER)


# --- aggregation -------------------------------------------------------------------------------


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _group_of(G: nx.MultiDiGraph, node: str) -> str | None:
    """The cohort or network a record belongs to, if it is a collapsible record."""
    data = G.nodes[node]
    if data.get("pipelines") or data.get("class") in GROUP_CLASSES:
        return None
    best: tuple[int, str] | None = None
    for _, target, edata in G.out_edges(node, data=True):
        if G.nodes[target].get("class") not in GROUP_CLASSES:
            continue
        pred = _local(str(edata.get("predicate", "")))
        if pred not in _MEMBERSHIP:  # a channel that draws on a cohort is no member of it
            continue
        rank = _MEMBERSHIP.index(pred)
        if best is None or (rank, target) < best:
            best = (rank, target)
    return best[1] if best else None


def aggregate(G: nx.MultiDiGraph, max_nodes: int = DEFAULT_MAX_NODES) -> nx.MultiDiGraph:
    """Collapse records of the same cohort/network and class into one node when ``G`` is large.

    Returns ``G`` itself when it has at most ``max_nodes`` nodes. Otherwise a new graph whose
    ``graph["aggregated"]`` says how many records became how many group nodes; edges between a
    group node and another node carry ``count`` (how many member edges they stand for).
    """
    if max_nodes < 1:
        raise ParameterError(f"--max-nodes: must be at least 1, not {max_nodes}")
    if G.number_of_nodes() <= max_nodes:
        return G
    where: dict[str, str] = {}
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node, data in G.nodes(data=True):
        group = _group_of(G, node)
        if group is not None:
            members[(group, data.get("class", "Thing"))].append(node)
    for (group, cls), nodes in members.items():
        if len(nodes) >= 2:
            agg = f"aggregate:{cls}:{group}"
            for n in nodes:
                where[n] = agg
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    for node, data in G.nodes(data=True):
        if node not in where:
            H.add_node(node, **data)
    for (group, cls), nodes in members.items():
        if len(nodes) < 2:
            continue
        glabel = G.nodes[group].get("label", curie(group))
        channels = sorted({c for n in nodes for c in G.nodes[n].get("channel", [])})
        countries = Counter(G.nodes[n].get("country", "") for n in nodes)
        H.add_node(
            f"aggregate:{cls}:{group}",
            iri=group,
            label=f"{len(nodes):,} {cls} records ({glabel})",
            **{"class": "Aggregate", "classes": ["Aggregate", cls]},
            member_class=cls,
            count=len(nodes),
            country=G.nodes[group].get("country", ""),
            country_label=G.nodes[group].get("country_label", ""),
            member_countries=len([c for c in countries if c]),
            channel=channels,
            pipelines=[],
            roles=[],
            evidence=[],
        )
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        a, b = where.get(u, u), where.get(v, v)
        if a == u and b == v:
            H.add_edge(u, v, key=key, **data)
            continue
        if a == b:
            continue
        k = (a, b, str(data.get("predicate", "")))
        if k in merged:
            merged[k]["count"] += 1
        else:
            merged[k] = {**data, "count": 1, "evidence": [], "kind": "aggregate"}
    # keep each group's strongest links per predicate; the rest are counted on the group node,
    # so that a few thousand records never turn into thousands of drawn edges
    ranked: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    for (a, b, pred), data in merged.items():
        side = a if a.startswith("aggregate:") else b
        ranked[(side, pred)].append((-data["count"], a, b))
    for (side, pred), items in ranked.items():
        items.sort()
        for _, a, b in items[:MAX_GROUP_LINKS]:
            data = merged[(a, b, pred)]
            data["label"] = f"{data.get('label', '')} ({data['count']:,})"
            H.add_edge(a, b, key=pred, **data)
        if len(items) > MAX_GROUP_LINKS:
            dropped = H.nodes[side].setdefault("links_not_drawn", {})
            dropped[_local(pred)] = len(items) - MAX_GROUP_LINKS
    collapsed = len(where)
    H.graph["aggregated"] = {
        "threshold": max_nodes,
        "original_nodes": G.number_of_nodes(),
        "collapsed": collapsed,
        "groups": sum(1 for ns in members.values() if len(ns) >= 2),
        "nodes": H.number_of_nodes(),
    }
    return H


# --- vis.js data -------------------------------------------------------------------------------


def _link(ev: dict[str, Any], base_url: str | None) -> str:
    """Where a reader sees the passage: the server's page for it, else ``SOURCE#char=S,E``."""
    passage = str(ev.get("passage") or "")
    if base_url and passage.startswith(ENTITY_BASE + "/"):
        return base_url.rstrip("/") + passage[len(ENTITY_BASE):]
    return str(ev.get("link") or ev.get("source") or "")


class _HeldTexts:
    """Each source's held text and missing-text note, looked up once per page, not once per
    evidence row: the page at 5M triples has 9,542 rows, and their lookups (stats of every
    source directory) were half its time."""

    def __init__(self, sources: dict[str, SourceMeta] | None) -> None:
        self.sources = sources or {}
        self._found: dict[str, tuple[str | None, str]] = {}

    def __call__(self, source: str) -> tuple[SourceMeta, str | None, str] | None:
        meta = self.sources.get(source)
        if meta is None:
            return None
        if source not in self._found:
            self._found[source] = (meta.text, meta.missing_note())
        return (meta, *self._found[source])


def _evidence_rows(evs: list[dict[str, Any]], base_url: str | None,
                   held: _HeldTexts | None = None) -> list[dict[str, Any]]:
    rows = []
    for e in evs:
        row: dict[str, Any] = {
            "claim": e.get("claim_label") or "",
            "claimant": e.get("claimant_label") or "",
            "date": e.get("date") or "",
            "source": e.get("source_label") or e.get("source") or "",
            "status": e.get("status_label") or _local(str(e.get("status") or "")),
            "start": e.get("start"),
            "end": e.get("end"),
            "link": _link(e, base_url),
            "url": e.get("url") or "",
            "attribution": _local(str(e.get("attribution") or "")).removeprefix("attr-"),
        }
        found = held(str(e.get("source") or "")) if held is not None else None
        if found is not None:
            meta, full_text, note = found
            # the words of the passage when the text is held here, else where to put the text;
            # a page the project cites without its text is a citation with its address
            text = cut(full_text, e.get("start"), e.get("end"))
            if text is not None:
                row["text"] = text
            elif e.get("start") is not None:
                row["note"] = note
            elif meta.reference and meta.url:
                row["url"] = meta.url
        rows.append(row)
    return rows


def vis_data(G: nx.MultiDiGraph, *, base_url: str | None = None) -> dict[str, Any]:
    """The nodes, edges, legend and filter choices the page script needs, as plain JSON data."""
    ids = {n: i for i, n in enumerate(G.nodes)}
    held = _HeldTexts(G.graph.get("sources"))
    nodes = []
    classes: Counter[str] = Counter()
    countries: dict[str, str] = {}
    channels: set[str] = set()
    pipeline_view = bool(G.graph.get("pipeline_view"))
    for n, d in G.nodes(data=True):
        cls = d.get("class", "Thing")
        classes[cls] += 1
        colour, shape = style_of(cls)
        if d.get("country"):
            countries[d["country"]] = d.get("country_label") or curie(d["country"])
        channels.update(d.get("channel", []))
        node: dict[str, Any] = {
            "id": ids[n],
            "label": d.get("label", ""),
            "iri": d.get("iri", n),
            "cls": cls,
            "family": family_of(cls),
            "color": colour,
            "shape": shape,
            "country": d.get("country", ""),
            "channel": d.get("channel", []),
            "roles": d.get("roles", []),
            "ev": _evidence_rows(d.get("evidence", []), base_url, held),
        }
        # a graph back from pyvis (viz.to_graph) carries its evidence rows and any restyling
        node.update(d.get("rg_style") or {})
        if d.get("rg_ev"):
            node["ev"] = d["rg_ev"]
        if d.get("count"):
            node["count"] = d["count"]
            node["value"] = d["count"]
        elif d.get("records"):
            # records counted in the store (a large register): shown like a group's count
            node["count"] = d["records"]
            node["label"] = f"{node['label']} ({d['records']:,} records)"
        if d.get("links_not_drawn"):
            node["more"] = d["links_not_drawn"]
        if pipeline_view and d.get("roles"):
            node["level"] = min(ROLES.index(r) for r in d["roles"] if r in ROLES) if any(
                r in ROLES for r in d["roles"]) else 0
        nodes.append(node)
    edges = []
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        edge: dict[str, Any] = {
            "id": i,
            "from": ids[u],
            "to": ids[v],
            "label": d.get("label", ""),
            "pred": curie(str(d.get("predicate", ""))),
            "kind": d.get("kind", ""),
            "ev": _evidence_rows(d.get("evidence", []), base_url, held),
        }
        if d.get("rg_ev"):
            edge["ev"] = d["rg_ev"]
        if d.get("pipeline_label"):
            edge["pipeline"] = d["pipeline_label"]
        if d.get("count"):
            edge["count"] = d["count"]
        edges.append(edge)
    channel_labels = G.graph.get("channel_labels", {})
    families: Counter[str] = Counter(family_of(c) for c in classes.elements())
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": [
            {"cls": c, "label": class_words(c), "color": style_of(c)[0], "shape": style_of(c)[1], "count": k}
            for c, k in sorted(classes.items())
        ],
        "countries": sorted(({"iri": k, "label": v} for k, v in countries.items()), key=lambda x: x["label"]),
        "channels": sorted(
            ({"iri": c, "label": channel_labels.get(c) or _local(c)} for c in channels),
            key=lambda x: x["label"],
        ),
        "hierarchical": pipeline_view,
        "families": [
            {"family": f, "label": class_words(f), "color": style_of(f)[0], "shape": style_of(f)[1], "count": k}
            for f, k in sorted(families.items())
        ],
    }


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


@cache
def _asset(name: str) -> str:
    return files("recruitgraph").joinpath("assets", name).read_text(encoding="utf-8")


@cache
def _template() -> Any:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(_asset("viz.html.j2"))


def render_html(
    G: nx.MultiDiGraph,
    *,
    title: str = "Recruitment pipelines",
    base_url: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    height: str = "100vh",
    cluster: bool = False,
) -> str:
    """The whole page for ``G`` (aggregated above ``max_nodes``), with no remote reference.

    ``cluster`` opens the page with every class of three or more nodes collapsed into one node
    (a click opens it): the readable first view of a whole network.
    """
    view = aggregate(G, max_nodes)
    data = vis_data(view, base_url=base_url)
    data["cluster"] = cluster
    agg = view.graph.get("aggregated")
    banner = None
    counted = G.graph.get("records_counted")
    if counted:
        banner = (
            f"Aggregated view: the graph holds {counted:,} individual records, more than the "
            f"threshold of {max_nodes:,}; they are not drawn one by one but counted on the "
            "cohort, network, office or channel they belong to (the number in each of those "
            "nodes' details)."
        )
    elif agg:
        banner = (
            f"Aggregated view: the graph has {agg['original_nodes']:,} nodes, more than the "
            f"threshold of {agg['threshold']:,}. {agg['collapsed']:,} records are shown as "
            f"{agg['groups']:,} group nodes (one per cohort or network and class, with a count), "
            f"each drawn with its {MAX_GROUP_LINKS} strongest links per relation; "
            f"{agg['nodes']:,} nodes are drawn."
        )
    return str(
        _template().render(
            title=title,
            subtitle=_subtitle(view),
            banner=banner,
            height=height,
            node_count=len(data["nodes"]),
            edge_count=len(data["edges"]),
            data_json=script_json(data),
            vis_js=_asset("vis-network.min.js"),
        )
    )


def _subtitle(G: nx.MultiDiGraph) -> str:
    if G.graph.get("focus"):
        return f"Neighbourhood of {G.nodes[G.graph['focus']].get('label', '')} (depth {G.graph.get('depth')})"
    if G.graph.get("pipeline_view"):
        return f"Pipeline: {G.graph.get('pipeline_label', '')}"
    return f"{len(G.graph.get('pipelines', []))} pipelines and the relations between their actors"


def count_records(kg: GraphLike) -> int:
    """How many individual records (``rg:Recruit``) the graph holds."""
    rows = kg.query("SELECT (COUNT(?r) AS ?n) WHERE { ?r a rg:Recruit }").rows
    return int(str(rows[0]["n"])) if rows else 0


def view_graph(
    kg: GraphLike,
    *,
    pipeline: str | None = None,
    focus: str | None = None,
    depth: int | None = None,
    records: bool | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> nx.MultiDiGraph:
    """Project ``kg`` for a page: the whole graph, one pipeline, or one actor's neighbourhood.

    Individual records (``rg:Recruit``) are drawn one by one while there are at most
    ``max_nodes`` of them, so that :func:`aggregate` can still collapse a large view into groups.
    With more, they are counted in the store instead (each cohort, network, office or channel
    node carries ``records``) and never leave it one by one: a register of a million triples
    is drawn in seconds. ``records`` forces either way.
    """
    if records is None:
        total = count_records(kg)
        records = total <= max_nodes
        counted = 0 if records else total
    else:
        counted = 0 if records else count_records(kg)
    G = project(kg, pipeline=pipeline, focus=focus, depth=depth, records=records)
    store = getattr(kg, "store", None) if not getattr(kg, "is_remote", False) else None
    if store is not None:
        G.graph["sources"] = source_meta(store)
    if counted:
        G.graph["records_counted"] = counted
    if pipeline is not None and focus is None:
        G.graph["pipeline_view"] = True
        labels = [G.nodes[n].get("label") for n in G.nodes]
        G.graph["pipeline_label"] = _pipeline_label(G) or ", ".join(filter(None, labels))[:80]
    return G


def _pipeline_label(G: nx.MultiDiGraph) -> str:
    for _, _, d in G.edges(data=True):
        if d.get("pipeline_label"):
            return str(d["pipeline_label"])
    return ""


def write_html(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str = "Recruitment pipelines",
    base_url: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Path:
    """Write the page for ``G`` to ``path``."""
    path = Path(path)
    page = render_html(G, title=title, base_url=base_url, max_nodes=max_nodes)
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    return path


# --- notebooks ---------------------------------------------------------------------------------


@dataclass
class NotebookView:
    """A page that displays inline in Jupyter, JupyterLab and VS Code (an iframe ``srcdoc``)."""

    html: str
    width: str = "100%"
    height: int = 600

    def _repr_html_(self) -> str:
        # srcdoc keeps the page in the notebook file and needs no server; the sandbox lets the
        # page script run but gives it no access to the notebook's origin
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'width="{html.escape(str(self.width), quote=True)}" height="{int(self.height)}" '
            'style="border:1px solid #ddd" sandbox="allow-scripts allow-popups"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the standalone page."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path


def notebook_view(
    source: GraphLike | nx.MultiDiGraph,
    *,
    pipeline: str | None = None,
    focus: str | None = None,
    depth: int | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    width: str | int = "100%",
    height: int = 600,
    base_url: str | None = None,
    title: str = "Recruitment pipelines",
) -> NotebookView:
    """The interactive graph of a KnowledgeGraph (or of a projection) for a notebook cell."""
    if isinstance(source, nx.Graph):
        G = source
    else:
        G = view_graph(source, pipeline=pipeline, focus=focus, depth=depth, max_nodes=max_nodes)
    page = render_html(G, title=title, base_url=base_url, max_nodes=max_nodes, height=f"{int(height) - 10}px")
    w = f"{width}px" if isinstance(width, int) else width
    return NotebookView(page, w, int(height))


__all__ = [
    "DEFAULT_MAX_NODES", "NotebookView", "aggregate", "notebook_view", "render_html",
    "script_json", "style_of", "view_graph", "vis_data", "write_html",
]
