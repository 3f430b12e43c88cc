"""A real headless Chromium for tests, with the network blocked.

Debian's ``/usr/bin/chromium`` is driven by Python Playwright (never ``playwright install``).
Every request is routed: ``file://`` URLs, ``data:``/``blob:`` URLs and the allowed origins
pass, everything else is aborted and recorded. Use it from a test module with::

    import browser
    chromium_browser = browser.chromium_browser  # the pytest fixtures, visible in this module
    browser_page = browser.browser_page

    @pytest.mark.browser
    def test_page(browser_page):
        page = browser_page(allowed_origins=["http://127.0.0.1:8765"])
        page.goto(url)
        assert page.console_errors == [] and page.blocked == []
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from support import missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class BrowserPage:
    """A Playwright page plus what it did: console errors, requests made and requests blocked."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No console error, no uncaught exception, no request left the allowed origins."""
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors
        assert self.blocked == [], self.blocked

    def __getattr__(self, name: str) -> Any:  # goto, evaluate, mouse, ... of the page itself
        return getattr(self.page, name)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _allowed(url: str, origins: Sequence[str]) -> bool:
    scheme = urlsplit(url).scheme
    if scheme in ("file", "data", "blob", "about"):
        return True
    return _origin(url) in {o.rstrip("/") for o in origins}


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        missing("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright import sync_api
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium_browser: Any) -> Iterator[Callable[..., BrowserPage]]:
    """Factory: ``browser_page(allowed_origins=(), viewport=(1280, 900), javascript=True)`` ->
    :class:`BrowserPage` (``javascript=False``: a reader whose browser runs no script)."""
    contexts: list[Any] = []

    def make(
        allowed_origins: Sequence[str] = (), viewport: tuple[int, int] = (1280, 900), javascript: bool = True
    ) -> BrowserPage:
        context = chromium_browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                               java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        bp = BrowserPage(page)

        def route(r: Any) -> None:
            url = r.request.url
            if _allowed(url, allowed_origins):
                r.continue_()
            else:
                bp.blocked.append(url)
                r.abort()

        context.route("**/*", route)
        page.on("request", lambda req: bp.requests.append(req.url))
        page.on("console", lambda msg: bp.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: bp.page_errors.append(str(exc)))

        def on_dialog(dialog: Any) -> None:
            bp.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return bp

    yield make
    for context in contexts:
        context.close()
