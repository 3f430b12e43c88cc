"""recruitgraph: an evidence-backed knowledge graph of military recruitment pipelines.

>>> import recruitgraph
>>> kg = recruitgraph.open(memory=True)
>>> kg.query("ASK { ?s a rg:Source }").boolean
True
"""

from __future__ import annotations

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
from .version import __version__

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
