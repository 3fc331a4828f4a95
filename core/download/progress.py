"""Progress across the files of one download: bytes, files, speed and time left."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

PROGRESS_INTERVAL = 0.1  # seconds between two progress reports
SPEED_WINDOW = 5.0  # seconds of history the speed is measured over


@dataclass
class DownloadProgress:
    bytes_done: int
    bytes_total: int | None
    files_done: int
    files_total: int
    speed_bps: float
    eta_seconds: float | None


ProgressCallback = Callable[[DownloadProgress], None]


class ProgressTracker:
    """Progress across all files; reports on the calling thread, at most every PROGRESS_INTERVAL."""

    def __init__(self, sizes: list[int | None], callback: ProgressCallback | None):
        self.callback = callback
        self.lock = threading.Lock()
        self.done = [0] * len(sizes)
        self.totals: list[int | None] = list(sizes)
        self.files_done = 0
        self.transferred = 0
        self.samples: list[tuple[float, int]] = []
        self.last_emit = 0.0

    def set_total(self, index: int, total: int | None) -> None:
        with self.lock:
            self.totals[index] = total

    def set_done(self, index: int, value: int) -> None:
        with self.lock:
            self.done[index] = value

    def add(self, index: int, count: int) -> None:
        with self.lock:
            self.done[index] += count
            self.transferred += count

    def settle(self, index: int) -> None:
        with self.lock:
            self.totals[index] = self.done[index]

    def file_finished(self) -> None:
        with self.lock:
            self.files_done += 1

    def snapshot(self) -> DownloadProgress:
        now = time.monotonic()
        with self.lock:
            done = sum(self.done)
            total = None if any(t is None for t in self.totals) else sum(self.totals)
            self.samples.append((now, self.transferred))
            while len(self.samples) > 2 and now - self.samples[0][0] > SPEED_WINDOW:
                self.samples.pop(0)
            files_done = self.files_done
        (t0, b0), (t1, b1) = self.samples[0], self.samples[-1]
        speed = (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0
        eta = max(0.0, (total - done) / speed) if total is not None and speed > 0 else None
        return DownloadProgress(done, total, files_done, len(self.done), speed, eta)

    def emit(self, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if not force and now - self.last_emit < PROGRESS_INTERVAL:
            return
        self.last_emit = now
        self.callback(self.snapshot())
