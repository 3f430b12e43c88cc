"""The HTTP connection protocol ``recruitgraph serve`` runs uvicorn with.

uvicorn closes a keep-alive connection that stays idle after a response, but a connection that
never completes its request headers (opened and left silent, or fed a byte at a time) stays open
for ever, and enough of them exhaust the server. Here every connection must deliver complete
request headers within the idle timeout, counted from the connection (or from the previous
response), whatever it sends meanwhile; otherwise it is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


class IdleClosingProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for complete request headers."""

    _header_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.timeout_keep_alive, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is None or self.cycle.response_complete:
            self.timeout_keep_alive_handler()

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:  # a complete request arrived
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
