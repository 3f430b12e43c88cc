"""``recruitgraph serve``: the SPARQL 1.1 endpoint and the browser UI (see :mod:`.app`)."""

from __future__ import annotations

from .app import create_app
from .state import ServerOptions

__all__ = ["ServerOptions", "create_app"]
