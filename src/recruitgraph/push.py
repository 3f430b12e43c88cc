"""Upload the dataset to a remote SPARQL 1.1 store.

Implements the client side of the SPARQL 1.1 Graph Store HTTP Protocol (``POST``/``PUT`` of
N-Triples to ``<gsp-url>?default`` or ``?graph=IRI``) and, for stores without it, SPARQL 1.1
Update (``INSERT DATA`` in chunks). Uploads use the standard library's urllib only.

>>> import recruitgraph
>>> from recruitgraph.push import push
>>> kg = recruitgraph.open(memory=True)
>>> push(kg, "http://127.0.0.1:7878/query", graph="https://example.org/g")  # doctest: +SKIP
4242
"""

from __future__ import annotations

import base64
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .exc import EndpointError
from .remote import ENV_PASSWORD, ENV_USER, USER_AGENT, RemoteBackend, credentials

PROTOCOLS = ("auto", "gsp", "update")
AUTH_SCHEMES = ("basic", "digest")

#: HTTP statuses that mean "this URL does not speak the Graph Store Protocol": try the next.
_NOT_GSP = {400, 404, 405, 406, 415, 501}


@dataclass(frozen=True)
class Target:
    """Where and how to upload: the Graph Store URLs to try, then the update URLs."""

    gsp: tuple[str, ...]
    update: tuple[str, ...]


def guess_target(endpoint: str, *, gsp: str | None = None, update: str | None = None,
                 auth: bool = False) -> Target:
    """Graph Store and update URLs that the usual servers put next to a query endpoint.

    Oxigraph ``/query`` -> ``/store`` and ``/update``; Fuseki ``/ds/sparql`` or ``/ds/query`` ->
    ``/ds/data`` and ``/ds/update``; Virtuoso ``/sparql`` -> ``/sparql-graph-crud(-auth)`` and
    ``/sparql(-auth)``; GraphDB and RDF4J ``/repositories/ID`` -> ``/repositories/ID/rdf-graphs/
    service`` and ``/repositories/ID/statements``. URLs given explicitly win.
    """
    base = endpoint.partition("?")[0].rstrip("/")
    head, _, last = base.rpartition("/")
    gsps: list[str] = []
    updates: list[str] = []
    if last == "query":
        gsps += [f"{head}/store", f"{head}/data"]
        updates += [f"{head}/update"]
    elif last == "sparql":
        if auth:
            gsps += [f"{head}/sparql-graph-crud-auth"]
            updates += [f"{head}/sparql-auth"]
        gsps += [f"{head}/sparql-graph-crud", f"{head}/data"]
        updates += [f"{head}/update", base]
    elif head.endswith("/repositories"):
        gsps += [f"{base}/rdf-graphs/service"]
        updates += [f"{base}/statements"]
    else:
        gsps += [base]
        updates += [base]
    return Target(gsp=(gsp,) if gsp else tuple(dict.fromkeys(gsps)),
                  update=(update,) if update else tuple(dict.fromkeys(updates)))


def _split(triples: Iterable[ox.Triple]) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """Distinct ``triples``, split into (without, with) blank nodes."""
    plain: dict[ox.Triple, None] = {}
    blank: dict[ox.Triple, None] = {}
    for triple in triples:
        has_blank = isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)
        (blank if has_blank else plain)[triple] = None
    return list(plain), list(blank)


def dataset_triples(store: ox.Store) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """The store's distinct triples (all graphs merged), split into (without, with) blank nodes."""
    return _split(quad.triple for quad in store)


def graph_triples(store: ox.Store) -> dict[str | None, tuple[list[ox.Triple], list[ox.Triple]]]:
    """The triples of each graph of the store (None: the default graph, sent only when it has
    any), split as :func:`dataset_triples` splits them. A graph named by a blank node, which no
    protocol can address, goes with the default graph."""
    out: dict[str | None, tuple[list[ox.Triple], list[ox.Triple]]] = {}
    default = _split(q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    names = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    for graph in store.named_graphs():
        if isinstance(graph, ox.BlankNode):
            more = _split(q.triple for q in store.quads_for_pattern(None, None, None, graph))
            default = (default[0] + more[0], default[1] + more[1])
    if default[0] or default[1]:
        out[None] = default
    for graph in names:
        out[graph.value] = _split(q.triple for q in store.quads_for_pattern(None, None, None, graph))
    return out


def chunks(triples: list[ox.Triple], blank: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Chunks of ``size`` triples; triples with blank nodes all go in one last chunk.

    A server gives each request its own blank-node scope, so a blank node split over two
    requests would become two nodes.
    """
    for start in range(0, len(triples), size):
        yield triples[start:start + size]
    if blank:
        yield blank


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


class Uploader:
    """HTTP requests with optional basic or digest credentials, errors as :class:`EndpointError`.

    Digest is answered up front: a body-less request fetches the server's challenge, and each
    upload then carries its Authorization header. (Sending a large body unauthenticated and
    waiting for the 401 breaks: servers such as Virtuoso answer and close the connection while
    the body is still being written.)
    """

    def __init__(self, auth: tuple[str, str] | None, scheme: str, timeout: float) -> None:
        if scheme not in AUTH_SCHEMES:
            raise EndpointError(f"--auth {scheme}: expected one of {', '.join(AUTH_SCHEMES)}")
        self.auth = auth
        self.scheme = scheme
        self.timeout = timeout
        self.passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        self.digest = urllib.request.HTTPDigestAuthHandler(self.passwords)
        self.challenges: dict[str, dict[str, str] | None] = {}
        self.opener = urllib.request.build_opener()

    def send(self, method: str, url: str, body: bytes, content_type: str) -> int:
        """Send one request; return the HTTP status, raising on anything but 2xx and ``_NOT_GSP``."""
        if not (self.auth and self.scheme == "digest"):
            return self._send(method, url, body, content_type, None)
        for attempt in (1, 2):
            header = self._digest_header(method, url, content_type, fresh=attempt == 2)
            try:
                return self._send(method, url, body, content_type, header)
            except EndpointError as exc:
                # A stale nonce or a connection the server closed early: one fresh challenge.
                if attempt == 2 or header is None or "no answer within" in str(exc):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _digest_header(self, method: str, url: str, content_type: str, *, fresh: bool) -> str | None:
        assert self.auth is not None
        parts = urllib.parse.urlsplit(url)
        server = f"{parts.scheme}://{parts.netloc}/"
        if fresh or server not in self.challenges:
            self.challenges[server] = self._challenge(method, url, content_type)
        chal = self.challenges[server]
        if chal is None:
            return None
        # Any realm the server names, on this server only.
        self.passwords.add_password(chal.get("realm"), server, *self.auth)
        value = self.digest.get_authorization(urllib.request.Request(url, method=method), chal)
        return f"Digest {value}" if value else None

    def _challenge(self, method: str, url: str, content_type: str) -> dict[str, str] | None:
        """The Digest challenge of a 401 to an empty request (None: no challenge was asked)."""
        request = self._request(method, url, b"", content_type, None)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                response.read()
                return None
        except urllib.error.HTTPError as exc:
            header = exc.headers.get("WWW-Authenticate", "") if exc.headers else ""
            if exc.code != 401 or not header.lower().startswith("digest "):
                return None
            return urllib.request.parse_keqv_list(
                [item for item in urllib.request.parse_http_list(header.split(" ", 1)[1]) if item])
        except (urllib.error.URLError, OSError) as exc:
            raise self._failure(url, exc) from None

    def _request(self, method: str, url: str, body: bytes, content_type: str,
                 authorization: str | None) -> urllib.request.Request:
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("Content-Type", content_type)
        request.add_header("User-Agent", USER_AGENT)
        if authorization:
            request.add_header("Authorization", authorization)
        elif self.auth and self.scheme == "basic":
            token = base64.b64encode(":".join(self.auth).encode()).decode("ascii")
            request.add_header("Authorization", f"Basic {token}")
        return request

    def _send(self, method: str, url: str, body: bytes, content_type: str,
              authorization: str | None) -> int:
        request = self._request(method, url, body, content_type, authorization)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                hint = (f"check {ENV_USER} and {ENV_PASSWORD}" if self.auth
                        else f"set {ENV_USER} and {ENV_PASSWORD}")
                what = "unauthorised" if exc.code == 401 else "forbidden"
                raise EndpointError(f"{url}: {what} (HTTP {exc.code}; {hint}; --auth {self.scheme})") from None
            if exc.code in _NOT_GSP:
                return int(exc.code)
            raise EndpointError(f"{url}: HTTP {exc.code} {exc.reason}: {_body(exc)}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise self._failure(url, exc) from None

    def _failure(self, url: str, exc: Exception) -> EndpointError:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError | socket.timeout):
            return EndpointError(f"{url}: no answer within {self.timeout:g} s")
        return EndpointError(f"{url}: unreachable ({reason})")


def _body(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", "replace")
    except OSError:
        return ""
    import re

    text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    return text if len(text) < 300 else text[:297] + "..."


def gsp_url(base: str, graph: str | None) -> str:
    """``base?default`` or ``base?graph=IRI`` (SPARQL 1.1 Graph Store Protocol, indirect naming)."""
    sep = "&" if "?" in base else "?"
    if graph is None:
        return f"{base}{sep}default"
    return f"{base}{sep}graph={urllib.parse.quote(graph, safe='')}"


def insert_data(body: bytes, graph: str | None) -> bytes:
    """A SPARQL Update ``INSERT DATA`` of N-Triples lines (N-Triples is valid SPARQL triple syntax)."""
    if graph is None:
        return b"INSERT DATA {\n" + body + b"}\n"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n".encode() + body + b"} }\n"


def clear(graph: str | None) -> str:
    return f"CLEAR SILENT GRAPH <{graph}>" if graph else "CLEAR SILENT DEFAULT"


def push(
    kg: Any,
    endpoint: str,
    *,
    graph: str | None = None,
    chunk_triples: int = 50_000,
    auth: tuple[str, str] | None = None,
    auth_scheme: str = "basic",
    protocol: str = "auto",
    gsp: str | None = None,
    update_endpoint: str | None = None,
    replace: bool = False,
    timeout: float = 60.0,
    progress: bool | None = None,
    log: Callable[[str], None] | None = None,
) -> int:
    """Upload ``kg``'s triples to the store behind the query ``endpoint``; return the count it holds.

    Without ``graph`` the store's named graphs are carried as they are (one per source, the
    ontology's and the shared one, see :mod:`recruitgraph.graphs`), each to the graph of the same
    name, and the store's default graph (imports) to the server's default graph; query such a
    server with the union of its graphs as default graph (Oxigraph: ``--union-default-graph``;
    Virtuoso does it by itself). With ``graph`` every triple goes to that one named graph.
    ``protocol`` is ``gsp`` (Graph Store HTTP Protocol), ``update`` (SPARQL Update ``INSERT
    DATA``) or ``auto`` (the Graph Store Protocol where the server has it, else Update).
    ``replace`` empties each target graph first. Credentials: ``auth`` or
    ``RECRUITGRAPH_ENDPOINT_USER``/``_PASSWORD``, sent as ``auth_scheme`` (basic or digest).
    Returns the number of triples the server then holds in the target graphs (``SELECT COUNT``
    on ``endpoint``; triples sent to the default graph are counted as sent, since a server whose
    default graph is the union cannot count its default graph alone).
    """
    if protocol not in PROTOCOLS:
        raise EndpointError(f"protocol {protocol!r}: expected one of {', '.join(PROTOCOLS)}")
    if chunk_triples < 1:
        raise EndpointError(f"chunk size {chunk_triples}: must be at least 1")
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise EndpointError(f"--graph {graph!r}: not an absolute IRI") from None
    for url in (endpoint, gsp, update_endpoint):
        if url is not None and not url.startswith(("http://", "https://")):
            raise EndpointError(f"{url!r}: not an http(s) URL")
    auth = auth if auth is not None else credentials()
    uploader = Uploader(auth, auth_scheme, timeout)
    target = guess_target(endpoint, gsp=gsp, update=update_endpoint, auth=auth is not None)
    parts: dict[str | None, tuple[list[ox.Triple], list[ox.Triple]]] = (
        {graph: dataset_triples(kg.store)} if graph is not None else graph_triples(kg.store))
    total = sum(len(plain) + len(blank) for plain, blank in parts.values())
    say = log or (lambda _msg: None)

    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    method: tuple[str, str] | None = None
    sent = 0
    with tqdm(total=total, unit="triples", unit_scale=True, disable=not show, file=sys.stderr,
              desc="push") as bar:
        for name, (plain, blank) in parts.items():
            count, method = _upload(uploader, target, protocol, name, replace,
                                    chunks(plain, blank, chunk_triples), bar.update, say, method)
            sent += count
    if sent != total:  # pragma: no cover - defensive
        raise EndpointError(f"{endpoint}: sent {sent} of {total} triples")
    if graph is not None:
        return remote_count(endpoint, graph, auth=auth, auth_scheme=auth_scheme, timeout=timeout)
    named = [name for name in parts if name is not None]
    held = remote_count(endpoint, named, auth=auth, auth_scheme=auth_scheme, timeout=timeout) if named else 0
    default = parts.get(None)
    return held + (len(default[0]) + len(default[1]) if default else 0)


def _upload(uploader: Uploader, target: Target, protocol: str, graph: str | None, replace: bool,
            parts: Iterator[list[ox.Triple]], advance: Callable[[int], Any],
            say: Callable[[str], None], method: tuple[str, str] | None = None) -> tuple[int, tuple[str, str]]:
    """Upload the chunks of one graph; return the count sent and the method used, (kind, base
    URL), which later graphs reuse. With no method yet, the first chunk doubles as the probe:
    the first URL that accepts it is used for the rest."""
    parts = iter(parts)
    first = next(parts, [])
    sent = 0
    if method is not None:
        kind, base = method
        status = _send_first(uploader, kind, base, graph, replace, first)
        if status >= 300:
            raise EndpointError(f"{base}: HTTP {status} for the graph {graph or 'default'}")
    else:
        method = _probe(uploader, target, protocol, graph, replace, first, say)
        say(f"uploading by {'the Graph Store Protocol' if method[0] == 'gsp' else 'SPARQL Update'} "
            f"to {gsp_url(method[1], graph) if method[0] == 'gsp' else method[1]}")
    sent += len(first)
    advance(len(first))
    kind, base = method
    url = gsp_url(base, graph) if kind == "gsp" else base
    for part in parts:
        if kind == "gsp":
            status = uploader.send("POST", url, ntriples(part), "application/n-triples")
        else:
            status = uploader.send("POST", url, insert_data(ntriples(part), graph),
                                   "application/sparql-update")
        if status >= 300:
            raise EndpointError(f"{url}: HTTP {status} after {sent:,} triples were uploaded")
        sent += len(part)
        advance(len(part))
    return sent, method


def _send_first(uploader: Uploader, kind: str, base: str, graph: str | None, replace: bool,
                first: list[ox.Triple]) -> int:
    """Send the first chunk of a graph by ``kind`` (replacing the graph's content if asked)."""
    if kind == "gsp":
        return uploader.send("PUT" if replace else "POST", gsp_url(base, graph), ntriples(first),
                             "application/n-triples")
    if replace:
        status = uploader.send("POST", base, clear(graph).encode(), "application/sparql-update")
        if status >= 300:
            return status
    return uploader.send("POST", base, insert_data(ntriples(first), graph), "application/sparql-update")


def _probe(uploader: Uploader, target: Target, protocol: str, graph: str | None, replace: bool,
           first: list[ox.Triple], say: Callable[[str], None]) -> tuple[str, str]:
    """Send the first chunk to each candidate URL in turn; the method of the first that takes it."""
    if protocol in ("auto", "gsp"):
        for base in target.gsp:
            status = _send_first(uploader, "gsp", base, graph, replace, first)
            if status < 300:
                return ("gsp", base)
            say(f"{gsp_url(base, graph)}: HTTP {status}, not a Graph Store endpoint")
        if protocol == "gsp":
            raise EndpointError(f"no Graph Store endpoint accepted the upload (tried "
                                f"{', '.join(target.gsp)}); give one with --gsp URL")
    for url in target.update:
        status = _send_first(uploader, "update", url, graph, replace, first)
        if status < 300:
            return ("update", url)
        say(f"{url}: HTTP {status}, not an update endpoint")
    raise EndpointError(f"no Graph Store or update endpoint accepted the upload (tried "
                        f"{', '.join(target.gsp + target.update)}); give one with --gsp or "
                        "--update-endpoint")


def remote_count(endpoint: str, graph: str | Sequence[str] | None, *, auth: tuple[str, str] | None = None,
                 auth_scheme: str = "basic", timeout: float = 60.0) -> int:
    """The number of triples the server holds in ``graph`` (or in each of several graphs, added
    up; or its default graph)."""
    if isinstance(graph, str):
        graph = [graph]
    values = " ".join(f"<{ox.NamedNode(g).value}>" for g in graph or ())
    where = f"VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    backend = RemoteBackend(endpoint, timeout=timeout, auth=auth, auth_scheme=auth_scheme)
    res = backend.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    if not res.rows or "n" not in res.rows[0]:
        raise EndpointError(f"{endpoint}: the triple count query gave no answer")
    return int(str(res.rows[0]["n"]))
