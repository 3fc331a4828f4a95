"""What a streaming search task hands the main thread after each page (``pageReady``).

A search task streams when it is made with ``stream=True`` (the panel's searches): its writer
commits page by page into a preview file that a layer can read meanwhile (see
:mod:`..footprints_stream`), and after each page the task emits ``pageReady`` with a
:class:`StreamedPage`. Its ``stream_state`` (a :class:`..footprints_stream.StreamState`) says where
the rows went, also when the search was cancelled or failed mid-way. The task's ``make_layer``
builds the styled layer of a file of its results (the preview, then the final file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class StreamedPage:
    """A committed page of a streamed search, for the main thread."""

    page: Any  # the writer's page: path (the preview), layer, first_fid, count, extent...
    rows: Any  # what the task's ``page_rows(page)`` made of it in the worker thread (None without one)
    total_hits: int | None  # what the service found (None: not known yet)


def page_ready(task: Any, page: Any, total_hits: int | None) -> None:
    """Make the page's rows (worker thread) and emit the task's ``pageReady``."""
    rows = task.page_rows(page) if task.page_rows is not None else None
    if rows is not None and getattr(page, "scenes", None):
        page.scenes = []  # not held twice
    task.pageReady.emit(StreamedPage(page, rows, total_hits))
