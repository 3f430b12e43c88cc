"""Exceptions of recruitgraph.

Every error the package raises on bad input is a :class:`RecruitGraphError`. The CLI turns it
into one line on stderr and exit code 2 (:class:`NotConforming` and :class:`NoResult` give 1).
"""

from __future__ import annotations


class RecruitGraphError(Exception):
    """Base class: a problem the user can fix, with a one-line message."""

    exit_code: int = 2


class ConfigError(RecruitGraphError):
    """A setting, path or directory is unusable."""


class InputError(RecruitGraphError):
    """A file given by the user cannot be read or parsed (message names file, line, column)."""


class QuerySyntaxError(RecruitGraphError):
    """A SPARQL query does not parse (message names line and column)."""


class UnknownQueryError(RecruitGraphError):
    """A named query does not exist (message lists the known ones)."""


class QueryHeaderError(RecruitGraphError):
    """A named query file has a malformed header."""


class ParameterError(RecruitGraphError):
    """A query parameter is missing, unknown, or not a valid term of its declared type."""


class QueryTimeout(RecruitGraphError):
    """A query ran past its time limit."""


class StoreLockedError(RecruitGraphError):
    """Another process is writing the store; the write has to wait."""


class StoreError(RecruitGraphError):
    """The store directory is unusable (read-only, corrupt, missing)."""


class EndpointError(RecruitGraphError):
    """A remote SPARQL endpoint failed or could not be reached."""


class NotConforming(RecruitGraphError):
    """Data does not conform to the shapes or the ontology (exit code 1)."""

    exit_code = 1

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class NoResult(RecruitGraphError):
    """A query or lookup found nothing (exit code 1)."""

    exit_code = 1


class SourceError(RecruitGraphError):
    """A source text is missing, changed, or a passage cannot be located in it."""
