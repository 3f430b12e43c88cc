"""The one shape of a refused request: an HTTP status, a short title and a detail for the user."""

from __future__ import annotations


class Refusal(Exception):
    """A request the server refuses or cannot answer: HTTP status, short title, detail."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
