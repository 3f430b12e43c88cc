"""The SPARQL editor's Content-Security-Policy: the site's policy, plus exactly the inline styles
the vendored YASGUI writes, allowed by hash rather than by ``'unsafe-inline'``.

Found by running the editor in Chromium under ``style-src 'self'`` and listening for
``securitypolicyviolation`` (tests/test_reading_ui.py keeps that run at zero violations):

* YASR's column resizer appends ``<style>`` elements to the head: one fixed rule set when a
  result table is drawn (a string literal of the bundle, read from it here so that an upgraded
  bundle keeps working), and ``*{cursor:col-resize!important}`` while a column is dragged (its
  default drag cursor; YASR passes no other).
* YASQE's tooltip on an invalid line underlines the expected tokens with the attribute
  ``style='text-decoration:underline'``: allowed by hash under ``style-src-attr 'unsafe-hashes'``,
  so no other style attribute is.

Everything else YASGUI and CodeMirror style goes through the CSSOM (``element.style``), which a
policy does not govern.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent / "static" / "vendor" / "yasgui" / "yasgui.min.js"

#: The resizer's ``createStyle(head, `...`)`` calls with a literal text (template literals).
_CREATE_STYLE = re.compile(r"createStyle\(\w+,`([^`$]*)`\)")

#: Style elements built at run time from YASR's defaults (``dragCursor: "col-resize"``).
RUNTIME_STYLES = ("*{cursor:col-resize!important}",)

#: Style attributes YASGUI writes in HTML it builds (the parse-error tooltip).
STYLE_ATTRIBUTES = ("text-decoration:underline",)


def csp_hash(text: str) -> str:
    """The CSP source expression allowing the inline style ``text``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def bundle_styles(bundle: Path = BUNDLE) -> list[str]:
    """The literal style sheets the vendored bundle appends to the page."""
    return _CREATE_STYLE.findall(bundle.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def editor_csp(site_csp: str) -> str:
    """``site_csp`` with ``style-src`` widened by the hashes above, and a ``style-src-attr``."""
    elements = " ".join(csp_hash(t) for t in [*bundle_styles(), *RUNTIME_STYLES])
    attributes = " ".join(csp_hash(t) for t in STYLE_ATTRIBUTES)
    styles = f"style-src 'self' {elements}; style-src-attr 'unsafe-hashes' {attributes}"
    if "style-src 'self'" not in site_csp:
        raise ValueError("the site's policy has no style-src 'self' to widen")
    return site_csp.replace("style-src 'self'", styles, 1)


__all__ = ["BUNDLE", "RUNTIME_STYLES", "STYLE_ATTRIBUTES", "bundle_styles", "csp_hash", "editor_csp"]
