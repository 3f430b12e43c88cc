"""Remote SPARQL 1.1 endpoints through SPARQLWrapper: the same queries, another store.

Credentials come from the environment (``RECRUITGRAPH_ENDPOINT_USER`` and
``RECRUITGRAPH_ENDPOINT_PASSWORD``), never from the command line, so they stay out of shell
histories and process lists.
"""

from __future__ import annotations

import os
import re
import socket
import urllib.error
import urllib.parse
from typing import Any

from rdflib import Graph

from .exc import EndpointError, QuerySyntaxError
from .namespaces import PREFIXES
from .results import QueryResult, result_from_sparql_json
from .version import __version__

ENV_USER = "RECRUITGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "RECRUITGRAPH_ENDPOINT_PASSWORD"


def _user_agent() -> str:
    return f"recruitgraph/{__version__} (+https://w3id.org/recruitgraph)"


USER_AGENT = _user_agent()

#: Queries longer than this go by POST (URLs of several KB break proxies and servers).
GET_LIMIT = 2000


def credentials() -> tuple[str, str] | None:
    user = os.environ.get(ENV_USER)
    if not user:
        return None
    return user, os.environ.get(ENV_PASSWORD, "")


class RemoteBackend:
    """Runs queries on a SPARQL 1.1 endpoint."""

    def __init__(self, endpoint: str, *, timeout: float = 30.0, auth: tuple[str, str] | None = None,
                 auth_scheme: str = "basic") -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise EndpointError(f"endpoint {endpoint!r}: not an http(s) URL")
        if auth_scheme not in ("basic", "digest"):
            raise EndpointError(f"auth scheme {auth_scheme!r}: expected basic or digest")
        self.endpoint = endpoint
        self.timeout = timeout
        self.auth = auth if auth is not None else credentials()
        self.auth_scheme = auth_scheme

    def _wrapper(self, text: str, return_format: str) -> Any:
        from SPARQLWrapper import BASIC, DIGEST, POST, URLENCODED, SPARQLWrapper

        # SPARQLWrapper appends "?query=..." to the URL as given, so parameters already in the
        # endpoint URL (e.g. ?default-graph-uri=...) are split off and passed as parameters.
        base, _, query_string = self.endpoint.partition("?")
        sparql = SPARQLWrapper(base, agent=USER_AGENT)
        for name, value in urllib.parse.parse_qsl(query_string, keep_blank_values=True):
            if name == "default-graph-uri":
                sparql.addDefaultGraph(value)
            elif name == "named-graph-uri":
                sparql.addNamedGraph(value)
            else:
                sparql.addParameter(name, value)
        sparql.setTimeout(int(max(1, self.timeout)))
        sparql.setQuery(text)
        sparql.setReturnFormat(return_format)
        if len(text) > GET_LIMIT:
            # URL-encoded POST, which every SPARQL 1.1 server takes (Virtuoso 7.2 never answers
            # a POST of application/sparql-query).
            sparql.setMethod(POST)
            sparql.setRequestMethod(URLENCODED)
        if self.auth:
            sparql.setHTTPAuth(DIGEST if self.auth_scheme == "digest" else BASIC)
            sparql.setCredentials(*self.auth)
        return sparql

    def _run(self, text: str, return_format: str) -> Any:
        from SPARQLWrapper.SPARQLExceptions import (
            EndPointInternalError,
            EndPointNotFound,
            QueryBadFormed,
            Unauthorized,
        )

        sparql = self._wrapper(with_prefixes(text), return_format)
        try:
            return sparql.queryAndConvert()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(f"{self.endpoint} refused the query as malformed: {_short(exc)}") from None
        except Unauthorized:
            raise EndpointError(f"{self.endpoint}: unauthorised (set {ENV_USER} and {ENV_PASSWORD})") from None
        except EndPointNotFound:
            raise EndpointError(f"{self.endpoint}: not found (404); is this the SPARQL endpoint URL?") from None
        except EndPointInternalError as exc:
            raise EndpointError(f"{self.endpoint}: server error: {_short(exc)}") from None
        except TimeoutError:
            raise EndpointError(f"{self.endpoint}: no answer within {self.timeout:g} s") from None
        except urllib.error.HTTPError as exc:
            raise EndpointError(f"{self.endpoint}: HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise EndpointError(f"{self.endpoint}: no answer within {self.timeout:g} s") from None
            raise EndpointError(f"{self.endpoint}: unreachable ({reason})") from None
        except (ConnectionError, OSError) as exc:
            raise EndpointError(f"{self.endpoint}: unreachable ({exc})") from None

    def select(self, text: str) -> QueryResult:
        from SPARQLWrapper import JSON

        data = self._run(text, JSON)
        if not isinstance(data, dict):
            raise EndpointError(f"{self.endpoint}: did not answer with SPARQL JSON results")
        return result_from_sparql_json(data)

    def graph(self, text: str) -> Graph:
        from SPARQLWrapper import TURTLE

        data = self._run(text, TURTLE)
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        if isinstance(data, Graph):
            for triple in data:
                graph.add(triple)
            return graph
        raw = data.decode("utf-8") if isinstance(data, bytes) else str(data)
        try:
            graph.parse(data=raw, format="turtle")
        except Exception as exc:
            raise EndpointError(f"{self.endpoint}: unparsable graph answer ({exc})") from None
        return graph


_PREFIX_DECL = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:")


def with_prefixes(text: str) -> str:
    """Declare the project's prefixes that ``text`` does not declare itself.

    The embedded store is given them as defaults; a remote server knows none of them.
    """
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(text)}
    missing = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    return "\n".join([*missing, text]) if missing else text


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) < 300 else text[:297] + "..."
