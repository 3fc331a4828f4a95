"""Time windows of the coverage planner: one cover per window (week, month, season or year).

A window is named by a short label that sorts in time order:

- ``none``: every scene in one window, labelled ``all``;
- ``week``: the ISO week, ``2024-W05``;
- ``month``: ``2024-03``;
- ``season``: the meteorological season, three months named by their initials and the year of
  their last month, so a winter is one window: ``2024-DJF`` is December 2023 to February 2024,
  then ``2024-MAM``, ``2024-JJA``, ``2024-SON``;
- ``year``: ``2024``.

A scene without an acquisition date belongs to no window when the plan is made per window
(see :func:`window_of`); with ``none`` it takes part like any other.
"""

from __future__ import annotations

import datetime

WINDOW_NONE, WINDOW_WEEK, WINDOW_MONTH, WINDOW_SEASON, WINDOW_YEAR = "none", "week", "month", "season", "year"
WINDOWS = (WINDOW_NONE, WINDOW_WEEK, WINDOW_MONTH, WINDOW_SEASON, WINDOW_YEAR)
ALL_LABEL = "all"
_SEASONS = {12: "DJF", 1: "DJF", 2: "DJF", 3: "MAM", 4: "MAM", 5: "MAM", 6: "JJA", 7: "JJA", 8: "JJA",
            9: "SON", 10: "SON", 11: "SON"}


def check_window(kind: str) -> str:
    """``kind`` when it is one of :data:`WINDOWS`; ValueError naming the choices otherwise."""
    if kind not in WINDOWS:
        raise ValueError(f"Unknown time window {kind!r}: choose one of {', '.join(WINDOWS)}.")
    return kind


def window_of(when: datetime.date | None, kind: str) -> str | None:
    """The label of the window of ``kind`` holding ``when``; None for an undated scene in a real window."""
    if kind == WINDOW_NONE:
        return ALL_LABEL
    if when is None:
        return None
    if isinstance(when, datetime.datetime):
        when = when.date()
    if kind == WINDOW_WEEK:
        year, week, _ = when.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if kind == WINDOW_MONTH:
        return f"{when.year:04d}-{when.month:02d}"
    if kind == WINDOW_SEASON:
        year = when.year + 1 if when.month == 12 else when.year
        return f"{year:04d}-{_SEASONS[when.month]}"
    if kind == WINDOW_YEAR:
        return f"{when.year:04d}"
    raise ValueError(f"Unknown time window {kind!r}: choose one of {', '.join(WINDOWS)}.")


def window_sort_key(label: str) -> tuple:
    """Windows in time order (``2024-DJF`` before ``2024-MAM``; labels of one kind otherwise sort as text)."""
    order = {"DJF": 0, "MAM": 1, "JJA": 2, "SON": 3}
    head, _, tail = label.partition("-")
    return (head, order.get(tail, 9), tail)
