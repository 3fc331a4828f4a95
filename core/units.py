"""The one byte formatter: sizes and speeds as people read them.

Convention: decimal (SI) units, base 1000: ``B``, ``kB``, ``MB``, ``GB``, ``TB``, as desktop file
managers (GNOME Files, macOS Finder) and USGS EarthExplorer show sizes. So 1,500,000 bytes is
"1.5 MB" everywhere the plugin shows a size: the results table, the selection summary, the
download progress and the task summaries. Whole bytes below 1 kB, one decimal above.
"""

from __future__ import annotations

import math

UNITS = ("kB", "MB", "GB", "TB")
BASE = 1000


def format_bytes(count: float | None, unknown: str = "?") -> str:
    """1536 -> "1.5 kB", 4_000_000_000 -> "4.0 GB"; ``unknown`` for None (or a count that is not a number).

    A value is shown in the unit where it rounds below 1000: 999_960 bytes is "1.0 MB", not "1000.0 kB".
    """
    if count is None:
        return unknown
    value = float(count)
    if not math.isfinite(value):
        return unknown
    if abs(round(value)) < BASE:
        return f"{round(value):.0f} B"
    for unit in UNITS:
        value /= BASE
        if abs(round(value, 1)) < BASE or unit == UNITS[-1]:
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def format_speed(bytes_per_second: float | None, unknown: str = "?") -> str:
    """2_000_000 -> "2.0 MB/s"."""
    text = format_bytes(bytes_per_second, unknown)
    return text if text == unknown else text + "/s"
