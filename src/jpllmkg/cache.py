"""A small on-disk cache for results that depend only on file contents (keyed by digest)."""

from __future__ import annotations

import json
import os
from pathlib import Path


def cache_dir() -> Path:
    """$JPLLMKG_CACHE, else $XDG_CACHE_HOME/jpllmkg, else ~/.cache/jpllmkg."""
    if os.environ.get("JPLLMKG_CACHE"):
        return Path(os.environ["JPLLMKG_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "jpllmkg"


def _path(kind: str, digest: str) -> Path:
    import pyshacl

    return cache_dir() / f"{kind}-{pyshacl.__version__}-{digest}.json"


def read(kind: str, digest: str):
    """The cached JSON value, or None when absent or unreadable."""
    try:
        return json.loads(_path(kind, digest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write(kind: str, digest: str, value) -> None:
    """Store a JSON value atomically; a cache that cannot be written is skipped."""
    path = _path(kind, digest)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(value), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass
