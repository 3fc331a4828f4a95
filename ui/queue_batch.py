"""A download from the results table, run by the queue: it looks like a download task to the controller.

The Results tab's Download button queues the chosen scenes (one item per scene and product, all with
one batch id) and follows them with a :class:`QueueBatch`: progress and detail as the download task
gave them, Cancel pauses the batch's items (they resume from their ``.part`` files), and when every
item is done or failed the callbacks get the same :class:`..gis.operations.download.DownloadSummary`,
so the controller opens the layers as before. The Downloads tab shows the same items.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..core.download import DownloadItem, DownloadProgress, DownloadResult
from ..core.errors import CancelledError, DownloadError
from ..gis.operations.download import DownloadSummary
from ..gis.queue_runner import entries_for

POLL_MS = 300


@dataclass
class BatchProgress(DownloadProgress):
    note: str = ""  # what the queue waits for, e.g. "USGS rate limit: waiting 4 min"


class QueueBatch(QObject):
    progressChanged = pyqtSignal(float)  # noqa: N815 - the names of QgsTask's signals
    detailChanged = pyqtSignal(object)  # noqa: N815

    def __init__(self, runner, dataset: str, entity_ids: list[str], product: Any, folder: Path, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.folder = Path(folder)
        self.batch = f"panel-{uuid.uuid4().hex[:12]}"
        self.entries = entries_for(dataset, entity_ids, product, folder, batch=self.batch)
        self.cancelled = False
        self.ended = False
        self._success: list = []
        self._error: list = []
        self.samples: list[tuple[float, int]] = []
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._look)

    def add_callbacks(self, on_success=None, on_error=None) -> None:
        if on_success is not None:
            self._success.append(on_success)
        if on_error is not None:
            self._error.append(on_error)

    def start(self) -> None:
        self.ids = self.runner.store.add(self.entries)
        self.runner.start()
        self.timer.start()

    def cancel(self) -> None:
        self.cancelled = True
        self.runner.pause(self.ids)
        self._look()

    def _items(self) -> list:
        wanted = set(self.ids)
        return [item for item in self.runner.store.batch(self.batch) if item.id in wanted]

    def _look(self) -> None:
        if self.ended:
            return
        if self.runner.store is None:  # the plugin unloads: the items stay paused in the queue
            self.ended = True
            self.timer.stop()
            return
        items = self._items()
        done = sum(item.bytes_done for item in items)
        totals = [item.bytes_total for item in items]
        total = None if any(t is None for t in totals) else sum(totals)
        now = time.monotonic()
        self.samples = [s for s in self.samples if now - s[0] <= 5.0] + [(now, done)]
        (t0, b0), (t1, b1) = self.samples[0], self.samples[-1]
        speed = (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0
        finished = sum(item.state in ("done", "failed") for item in items)
        eta = max(0.0, (total - done) / speed) if total is not None and speed > 0 else None
        self.detailChanged.emit(BatchProgress(done, total, finished, len(items), speed, eta,
                                              getattr(self.runner, "status", "")))
        if total:
            self.progressChanged.emit(min(99.9, 100.0 * done / total))
        busy = any(item.state in ("queued", "running") for item in items)
        if busy and not self.cancelled:
            return
        if self.cancelled and any(item.state == "running" for item in items):
            return
        self._end(items)

    def _end(self, items: list) -> None:
        self.ended = True
        self.timer.stop()
        results = [_result(item) for item in items if item.state in ("done", "failed")]
        summary = DownloadSummary(self.folder, results)
        if self.cancelled or (not summary.results and items):
            error = CancelledError("Download paused; it resumes where it stopped (Downloads tab).")
            for callback in self._error:
                callback(error)
            return
        if summary.nothing_had:
            first = summary.failed[0].error
            error = DownloadError(f"None of the {len(summary.failed)} file(s) could be downloaded: {first.message}",
                                  service="USGS M2M")
            for callback in self._error:
                callback(error)
            return
        for callback in self._success:
            callback(summary)


def _result(item) -> DownloadResult:
    download = DownloadItem(url="", filename=item.file_name, size=item.bytes_total, key=item.key)
    if item.state == "done" and item.path is not None:
        return DownloadResult(download, item.path, "done", item.bytes_done)
    return DownloadResult(download, None, "failed", 0, DownloadError(item.error or "Not downloaded.",
                                                                      service="USGS M2M"))
