"""One rule for naming an entity, shared by the CLI, the Python API and the web UI.

An entity parameter may be given as an IRI, a prefixed name (``rgd:nepal``), an id (``nepal``),
a label or an alias, in any case and with or without accents ("Nepal", "NEPÁL", "Putin").
A unique match is used; several matches are listed; no match gives the closest names.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from .exc import ParameterError
from .namespaces import PREFIXES, RGD

_CACHE_ATTR = "_rg_search_index"


def _index(kg: Any) -> Any:
    """The word index of a local graph, built once per graph object (None for a remote store)."""
    if getattr(kg, "is_remote", False):
        return None
    index = getattr(kg, _CACHE_ATTR, None)
    if index is None:
        from .search import build_index

        index = build_index(kg.store)
        with contextlib.suppress(AttributeError):  # an object without new attributes: build each time
            setattr(kg, _CACHE_ATTR, index)
    return index


def resolve_entity(kg: Any, value: str, *, what: str = "entity", index: Any = None) -> str:
    """The IRI ``value`` names (see the module docstring); ParameterError names ``what``."""
    text = value.strip()
    if not text:
        raise ParameterError(f"{what}: empty value")
    if text.startswith(("http://", "https://", "urn:")) or (text.startswith("<") and text.endswith(">")):
        return text  # an IRI, bound as given
    head, sep, rest = text.partition(":")
    if sep and head in PREFIXES and " " not in text:
        return PREFIXES[head] + rest
    index = index if index is not None else _index(kg)
    if index is None:  # a remote store: ids only
        return str(RGD) + text
    if index.hit(str(RGD) + text) is not None:
        return str(RGD) + text
    hits = index.named(text)
    if len(hits) == 1:
        return str(hits[0].iri)
    if hits:
        listed = "; ".join(f"{h.label} (rgd:{h.local})" for h in hits[:8])
        raise ParameterError(f"{what}: {text!r} names {len(hits)} entities: {listed}; give one of their ids")
    near = index.search(text, limit=5).hits or index.similar(text) or index.closest(text.replace(" ", "-"))
    hint = "; closest: " + "; ".join(f"{h.label} (rgd:{h.local})" for h in near) if near else ""
    raise ParameterError(f"{what}: nothing in the graph is called {text!r}{hint}")


def resolve_params(kg: Any, query: Any, params: Mapping[str, Any], *, index: Any = None) -> dict[str, Any]:
    """``params`` with every IRI parameter of the named ``query`` resolved by :func:`resolve_entity`."""
    out = dict(params)
    for p in query.parameters:
        value = out.get(p.name)
        if p.type == "iri" and isinstance(value, str) and value.strip():
            out[p.name] = resolve_entity(kg, value, what=f"parameter {p.name}", index=index)
    return out


__all__ = ["resolve_entity", "resolve_params"]
