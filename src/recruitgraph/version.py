"""The package version, read from the installed distribution's metadata.

This module imports nothing from the package, so any module (the CLI, the remote client, the
release metadata) can read the version without import cycles.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__: str = version("recruitgraph")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0"
