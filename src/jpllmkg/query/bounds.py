"""The bounds every query runs within: a timeout and a row cap (light: no RDF imports, so the
command line can use them while it builds its options)."""

from __future__ import annotations

import math

from jpllmkg.errors import UsageError

DEFAULT_TIMEOUT = 60.0
MAX_TIMEOUT = 86_400.0  # a day; larger values overflow socket timeouts
DEFAULT_MAX_ROWS = 10_000


def timeout_seconds(value: str | float) -> float:
    """A timeout: a number of seconds greater than 0 and at most :data:`MAX_TIMEOUT`."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not (0 < seconds <= MAX_TIMEOUT):
        raise UsageError(
            f"the timeout must be a number of seconds greater than 0 and at most "
            f"{MAX_TIMEOUT:,.0f} (e.g. 60), got {value!r}."
        )
    return seconds


def row_cap(value: str | int) -> int:
    """A row cap: a whole number of rows, 0 for no cap."""
    try:
        rows = int(value)
    except (TypeError, ValueError):
        rows = -1
    if rows < 0:
        raise UsageError(f"the row cap must be a whole number >= 0 (0: no cap), got {value!r}.")
    return rows
