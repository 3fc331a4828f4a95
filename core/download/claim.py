"""The file side of one download run: which name a file takes, the lock that keeps other runs (and the
workers of a cancelled one) off it, and the checks of what is on disk.

A file's lock (``<name>.part.lock``, an OS lock: see :mod:`.file_lock`) is taken before its ``.part`` is
touched and held until the file is done, skipped or failed; a second run waits for it (cancellable),
then looks at the file again. A server-chosen name never replaces an unrelated file: the file takes the
next free ``name (n).ext``.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from ..errors import CancelledError, DownloadError, SceneFinderError
from ..redact import redact_url
from .file_lock import FileLock
from .files import (
    LOCK_SUFFIX,
    PART_SUFFIX,
    SIDECAR_SUFFIX,
    PartFile,
    candidate_names,
    file_matches,
)
from .items import DownloadItem

LOG = logging.getLogger(__name__)
LOCK_POLL = 0.2  # seconds between two looks at a file that another run is downloading


class FailedError(Exception):
    def __init__(self, error: SceneFinderError):
        super().__init__(error.message)
        self.error = error


class FileClaims:
    """The names claimed by one run (two items of one run never share a name) and their file locks."""

    def __init__(self, folder: Path, stop: threading.Event):
        self.folder = folder
        self.stop = stop
        self.lock = threading.Lock()
        self.claimed: set[str] = set()

    def complete_on_disk(self, job: Job, size: int | None) -> bool:
        """The final file is there with ``size`` bytes and, when a checksum is known, that checksum
        (read from the disk, not trusted from an earlier run)."""
        if size is None or file_size(job.final) != size:
            return False
        if not job.item.checksum:
            return True
        try:
            return file_matches(job.final, job.item.checksum, self.stop.is_set)
        except OSError:
            return False

    def claim(self, job: Job, name: str) -> bool:
        """Make ``name`` this job's and lock its file (waiting while another run has it); True if it waited."""
        with self.lock:
            if name in self.claimed:
                raise FailedError(DownloadError(f"Two downloads would both be saved as {name}; skipping the second."))
            self.claimed.add(name)
        job.set_name(self.folder, name)
        return self._lock_file(job)

    def claim_server_name(self, job: Job, name: str, expected: int | None) -> tuple[bool, bool]:
        """Claim the server's name for the file, or the next free ``name (n).ext`` when an unrelated file
        has it (never replaced); (waited for another run, the file is already complete there)."""
        waited = False
        for candidate in candidate_names(name):
            with self.lock:
                if candidate == name and name in self.claimed:  # as for names given by the caller
                    raise FailedError(DownloadError(
                        f"Two downloads would both be saved as {name}; skipping the second."))
                if candidate in self.claimed:
                    continue
                self.claimed.add(candidate)
            job.set_name(self.folder, candidate)
            waited = self._lock_file(job) or waited
            if not os.path.lexists(job.final):
                return waited, False
            if self.complete_on_disk(job, expected):
                return waited, True
            LOG.info("%s already exists and is another file: keeping it, trying the next name", candidate)
            job.release()
            with self.lock:
                self.claimed.discard(candidate)
        raise FailedError(DownloadError(
            f"{name} and its numbered variants already exist in {self.folder} as other files. "
            "Move them or choose another download folder."
        ))

    def _lock_file(self, job: Job) -> bool:
        """Hold the file's lock: another run (or a worker of a cancelled one) may be writing it."""
        lock = FileLock(job.lock_path)
        waited = False
        while True:
            try:
                if lock.try_acquire():
                    job.lock = lock
                    return waited
            except OSError as exc:
                raise FailedError(disk_error(job.lock_path, exc)) from None
            if not waited:
                LOG.info("%s is being downloaded by another run: waiting for it, then checking it again",
                         job.final.name)
                waited = True
            if self.stop.wait(LOCK_POLL):
                raise CancelledError()


class Job:
    """One item on its way: its names, its file lock, what was sent."""

    def __init__(self, index: int, item: DownloadItem):
        self.index = index
        self.item = item
        self.transferred = 0
        self.probe = False  # ask for the first byte only, to learn the name
        self.final: Path | None = None
        self.part: Path | None = None
        self.sidecar: Path | None = None
        self.lock_path: Path | None = None
        self.lock: FileLock | None = None
        self.sent_auth: dict[str, str] = {}  # the provider's headers of the last request
        self.refreshed = False  # the provider renewed them after a 401 and no answer came since

    @property
    def label(self) -> str:
        return self.final.name if self.final is not None else redact_url(self.item.url)

    def set_name(self, folder: Path, name: str) -> None:
        self.final = folder / name
        self.part = folder / (name + PART_SUFFIX)
        self.sidecar = folder / (name + SIDECAR_SUFFIX)
        self.lock_path = folder / (name + LOCK_SUFFIX)

    def release(self) -> None:
        lock, self.lock = self.lock, None
        if lock is not None:
            lock.release()

    def part_file(self) -> PartFile:
        return PartFile(self.part, self.sidecar)


def disk_error(path: Path, exc: OSError) -> DownloadError:
    reason = exc.strerror or type(exc).__name__
    return DownloadError(f"Could not write {path}: {reason}. Check the download folder and the free disk space.")


def file_size(path: Path | None) -> int | None:
    try:
        return path.stat().st_size if path is not None and path.is_file() else None
    except OSError:
        return None
