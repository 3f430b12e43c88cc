"""Where recruitgraph finds its files: the shipped ontology, data and queries, the user's data
directory (the persistent store) and the directories that hold source texts.

Every location has one setting (an argument, else an environment variable, else a default), so
tests and users point the package elsewhere without editing code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .exc import ConfigError

ENV_DATA_DIR = "RECRUITGRAPH_DATA_DIR"
ENV_SOURCES = "RECRUITGRAPH_SOURCES"
ENV_HOME = "RECRUITGRAPH_HOME"


@cache
def _checkout_root() -> Path | None:
    """The repository root when running from a checkout (editable install), else None; looked
    up once, since the package does not move while it runs."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "ontology" / "recruitgraph.ttl").is_file() and (parent / "pyproject.toml").is_file():
            return parent
    return None


def project_root() -> Path:
    """Directory holding ``ontology/``, ``data/`` and ``queries/``.

    ``RECRUITGRAPH_HOME`` wins; then the checkout this package runs from; then the copy shipped
    inside the wheel.
    """
    env = os.environ.get(ENV_HOME)
    if env:
        root = Path(env).expanduser()
        if not (root / "ontology").is_dir():
            raise ConfigError(f"{ENV_HOME}={env}: no ontology/ directory there")
        return root
    checkout = _checkout_root()
    if checkout is not None:
        return checkout
    shipped = Path(__file__).resolve().parent / "_resources"
    if (shipped / "ontology").is_dir():
        return shipped
    raise ConfigError("cannot find the ontology/, data/ and queries/ directories; set " + ENV_HOME)


def ontology_dir() -> Path:
    return project_root() / "ontology"


def data_dir() -> Path:
    """The curated dataset (``data/``), not to be confused with :func:`user_data_dir`."""
    return project_root() / "data"


def queries_dir() -> Path:
    return project_root() / "queries"


def user_data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where the persistent store lives: argument, ``RECRUITGRAPH_DATA_DIR``, XDG default."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "recruitgraph"


def source_dirs(override: str | os.PathLike[str] | None = None) -> list[Path]:
    """Directories searched for source texts, in order.

    One setting decides: the argument or ``RECRUITGRAPH_SOURCES`` when given (and then only it);
    otherwise the user's data directory ``sources/`` and ``../shared/sources`` beside the checkout.
    """
    chosen = override or os.environ.get(ENV_SOURCES)
    if chosen:
        return [Path(chosen).expanduser()]
    dirs = [user_data_dir() / "sources"]
    root = _checkout_root()
    if root is not None:
        dirs.append(root.parent / "shared" / "sources")
    return dirs


@dataclass(frozen=True)
class Resources:
    """The files that make up the base graph."""

    ontology: tuple[Path, ...]
    data: tuple[Path, ...]

    @property
    def all(self) -> tuple[Path, ...]:
        return self.ontology + self.data


def base_resources() -> Resources:
    """Ontology files loaded into the store (shapes excluded) and every ``data/**/*.ttl``."""
    onto = tuple(
        p for p in sorted(ontology_dir().glob("*.ttl")) if p.name != "shapes.ttl"
    )
    data = tuple(sorted(data_dir().rglob("*.ttl")))
    return Resources(onto, data)


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"
