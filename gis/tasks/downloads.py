"""What the download tasks share: progress from the downloader; the summary and the verdict are the
operation's (:mod:`..operations.download`).

A download task succeeds when at least one file could be had; the files that could not are in
``DownloadSummary.failed`` (and logged). When none could, it fails with a DownloadError and the
summary is still in ``task.summary``.
"""

from __future__ import annotations

import time
from typing import Any

from ..operations.download import DownloadSummary
from .base import PROGRESS_INTERVAL, SceneFinderTask

__all__ = ["DownloadSummary", "DownloadTask"]


class DownloadTask(SceneFinderTask):
    """A task whose work ends in the downloader: progress and detail from its ``DownloadProgress``."""

    # Percent reached before the files start (lookups done); the files fill the rest up to 99.9.
    DOWNLOAD_PROGRESS_START = 0.0

    def __init__(self, description: str, **callbacks: Any):
        super().__init__(description, **callbacks)
        self.summary: DownloadSummary | None = None  # also kept when the task fails
        self._last_detail = 0.0

    def _on_progress(self, detail: Any) -> None:
        total = getattr(detail, "bytes_total", None)
        if total:
            percent = 100.0 * detail.bytes_done / total
        elif getattr(detail, "files_total", 0):
            percent = 100.0 * detail.files_done / detail.files_total
        else:
            percent = 0.0
        start = self.DOWNLOAD_PROGRESS_START
        self.report_progress(start + (100.0 - start) / 100.0 * min(percent, 99.9))
        now = time.monotonic()
        finished = getattr(detail, "files_total", None) and detail.files_done >= detail.files_total
        if finished or now - self._last_detail >= PROGRESS_INTERVAL:
            self._last_detail = now
            self.report_detail(detail)
