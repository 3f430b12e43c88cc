"""The words behind the offsets: passages of the source texts held on this machine.

Source texts stay out of the repository; the graph records each text source's file name and
SHA-256. A passage is shown only when a file of that name with that checksum is found in one of
``config.source_dirs()``; otherwise the reader gets the offsets and one line saying where to put
the text. Sources the project cites without holding their text (``rg:ReferenceSource``) have no
passages: they are shown as a citation with a link to the page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import config
from .namespaces import PREFIXES


@dataclass(frozen=True)
class SourceMeta:
    """What a page needs to name a source and find its text."""

    iri: str
    label: str = ""
    file_name: str = ""
    sha256: str = ""
    url: str = ""
    publisher: str = ""
    reference: bool = False

    @property
    def text(self) -> str | None:
        """The held text, when present here with the recorded checksum."""
        if not (self.file_name and self.sha256):
            return None
        return held_text(self.file_name, self.sha256)

    def missing_note(self) -> str:
        """One line saying where to put the text so that its passages show."""
        if not self.file_name:
            return ""
        place = " or ".join(str(d) for d in config.source_dirs()[:2])
        return (f"The text of this source is not on this machine: put {self.file_name} (SHA-256 "
                f"{self.sha256[:12]}\u2026) in {place} (or set {config.ENV_SOURCES}) to read the passage here.")


@lru_cache(maxsize=32)
def held_text(file_name: str, sha256: str) -> str | None:
    """The text of ``file_name`` from the source directories, if its SHA-256 matches."""
    for directory in config.source_dirs():
        path = directory / file_name
        if path.is_file():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() == sha256:
                return data.decode("utf-8")
    return None


def cut(text: str | None, start: int | None, end: int | None) -> str | None:
    """``text[start:end]`` when the offsets fit the text, else None."""
    if text is None or start is None or end is None or not (0 <= start <= end <= len(text)):
        return None
    return text[start:end]


_SOURCES = """SELECT ?s ?label ?file ?sha ?url ?publisher ?publisherLabel ?reference WHERE {
  ?s a rg:Source .
  OPTIONAL { ?s rdfs:label ?label }
  OPTIONAL { ?s rg:fileName ?file } OPTIONAL { ?s rg:sha256 ?sha }
  OPTIONAL { ?s schema:url ?url }
  OPTIONAL { ?s dcterms:publisher ?publisher OPTIONAL { ?publisher rdfs:label ?publisherLabel } }
  BIND(EXISTS { ?s a rg:ReferenceSource } AS ?reference)
}"""


def source_meta(store: Any) -> dict[str, SourceMeta]:
    """Every ``rg:Source`` of a pyoxigraph store, by IRI."""
    prefixes = {**PREFIXES, "dcterms": "http://purl.org/dc/terms/"}
    out: dict[str, SourceMeta] = {}
    for row in store.query(_SOURCES, prefixes=prefixes, use_default_graph_as_union=True):
        def v(key: str, row: Any = row) -> str:
            term = row[key]
            return "" if term is None else str(term.value)

        iri = v("s")
        if iri in out:
            continue
        out[iri] = SourceMeta(iri, v("label"), v("file"), v("sha"), v("url"),
                              v("publisherLabel") or v("publisher"),
                              v("reference") == "true" or (bool(v("url")) and not v("file")))
    return out


__all__ = ["SourceMeta", "cut", "held_text", "source_meta"]
