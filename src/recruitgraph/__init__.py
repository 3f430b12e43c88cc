"""recruitgraph: an evidence-backed knowledge graph of military recruitment pipelines.

>>> import recruitgraph
>>> kg = recruitgraph.open(memory=True)
>>> kg.query("ASK { ?s a rg:Source }").boolean
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("recruitgraph")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

# The API modules import __version__, so it is defined first.
from .exc import (
    EndpointError,
    InputError,
    NoResult,
    NotConforming,
    ParameterError,
    QuerySyntaxError,
    RecruitGraphError,
    StoreError,
    StoreLockedError,
    UnknownQueryError,
)
from .graph import KnowledgeGraph, open
from .namespaces import PREFIXES, RG, RGD, RGV
from .queries import NamedQuery, Parameter
from .results import QueryResult

__all__ = [
    "PREFIXES",
    "RG",
    "RGD",
    "RGV",
    "EndpointError",
    "InputError",
    "KnowledgeGraph",
    "NamedQuery",
    "NoResult",
    "NotConforming",
    "Parameter",
    "ParameterError",
    "QueryResult",
    "QuerySyntaxError",
    "RecruitGraphError",
    "StoreError",
    "StoreLockedError",
    "UnknownQueryError",
    "__version__",
    "open",
]
