"""What the download tasks share: the summary they return, progress from the downloader, the verdict.

A download task succeeds when at least one file could be had; the files that could not are in
``DownloadSummary.failed`` (and logged). When none could, it fails with a DownloadError and the
summary is still in ``task.summary``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.errors import DownloadError
from .base import PROGRESS_INTERVAL, SceneFinderTask

LOG = logging.getLogger(__name__)


@dataclass
class DownloadSummary:
    folder: Path
    results: list = field(default_factory=list)  # core.download.DownloadResult, in the order asked

    @property
    def files(self) -> list[Path]:
        """Paths of the files now in the folder (downloaded now or already complete)."""
        return [r.path for r in self.results if r.status in ("done", "skipped") and r.path is not None]

    @property
    def failed(self) -> list:
        return [r for r in self.results if r.status == "failed"]

    @property
    def bytes_transferred(self) -> int:
        return sum(r.bytes_transferred or 0 for r in self.results)


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

    def _keep_summary(self, folder: Path, results: Any) -> DownloadSummary:
        """The summary of the downloader's ``results``, kept in ``.summary`` whatever comes next."""
        summary = DownloadSummary(folder, list(results))
        self.summary = summary
        return summary

    def _check_summary(self, summary: DownloadSummary, what: str, service: str) -> None:
        """DownloadError when none of the files (``what``, e.g. "file(s)") could be had; failures are logged."""
        if summary.failed and not summary.files:
            first = summary.failed[0].error
            reason = f": {first.message}" if first is not None else "."
            raise DownloadError(f"None of the {len(summary.failed)} {what} could be downloaded{reason}",
                                service=service)
        for failure in summary.failed:
            LOG.warning("Not downloaded: %s", failure.error.details() if failure.error else failure.item.key)
