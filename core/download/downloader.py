"""The one downloader: parallel, resumable, verified downloads of large files.

Every file streams to ``<name>.part`` (its ETag and size beside it in ``<name>.part.json``), is
checked ON DISK (size, and checksum when given) and only then renamed to its final name, so a final
name never holds a partial file. A ``.part`` left behind by a dropped connection, a cancel or a crash is
resumed with an HTTP Range request. Files already complete (size and checksum, read from the disk) are
skipped. A lock file beside the ``.part`` keeps a second run (the panel and Processing, or the worker of a
cancelled run) off a file being written: the second run waits, then looks at the file again. A name chosen
by the server never replaces an unrelated file. Headers may come from a provider asked at each request,
which renews them once after a 401. Progress is reported on the
calling thread, at most ten times a second.

This module runs the files in parallel; one file's transfer is :mod:`.transfer`,
which gets the settings as a frozen :class:`.options.TransferOptions`.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import requests

from ..cancel import CancelCheck, is_cancelled, raise_if_cancelled
from ..errors import CancelledError
from ..redirects import FILES, with_redirects
from .claim import disk_error
from .items import DownloadItem, DownloadResult
from .options import TransferOptions
from .progress import PROGRESS_INTERVAL, ProgressCallback
from .transfer import TransferRun

CANCEL_GRACE = 0.8  # seconds a cancel waits for the workers to let go of their files


class Downloader:
    """Downloads items into ``folder``, ``parallel`` at a time.

    ``session`` is a requests session (see :func:`.http.make_session`: it retries 429/5xx answers).
    A dropped connection or a short body is resumed up to ``max_attempts`` times per file, waiting
    ``retry_backoff`` × (attempt − 1) seconds in between. ``timeout`` is (connect, read) in seconds:
    a server that stalls longer than the read timeout counts as a dropped connection.
    """

    def __init__(
        self,
        session: requests.Session,
        folder: str | os.PathLike,
        parallel: int = 3,
        chunk_size: int = 4 << 20,
        *,
        max_attempts: int = 5,
        retry_backoff: float = 1.0,
        timeout: tuple[float, float] = (15.0, 30.0),
    ):
        # file hosts redirect to other hosts (CDN, S3, CloudFront): followed without credentials
        self.session = with_redirects(session, FILES)
        self.folder = Path(folder)
        self.parallel = max(1, int(parallel))
        self.chunk_size = max(64 << 10, int(chunk_size))
        self.max_attempts = max(1, int(max_attempts))
        self.retry_backoff = retry_backoff
        self.timeout = timeout

    def download(
        self,
        items: list[DownloadItem],
        cancel: CancelCheck = None,
        progress: ProgressCallback | None = None,
    ) -> list[DownloadResult]:
        """Download ``items``; one result per item, in order. Raises CancelledError on cancel."""
        items = list(items)
        raise_if_cancelled(cancel)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise disk_error(self.folder, exc) from None
        options = TransferOptions(self.session, self.folder, self.chunk_size, self.max_attempts, self.retry_backoff,
                                  self.timeout)
        run = TransferRun(options, items, progress)
        if not items:
            run.tracker.emit(force=True)
            return []
        results: list[DownloadResult | None] = [None] * len(items)
        pool = ThreadPoolExecutor(max_workers=min(self.parallel, len(items)), thread_name_prefix="scene-finder-dl")
        futures = {pool.submit(run.fetch, index, item): index for index, item in enumerate(items)}
        pending = set(futures)
        try:
            while pending:
                if is_cancelled(cancel):
                    run.stop_all()
                    wait(pending, timeout=CANCEL_GRACE)
                    raise CancelledError("Download cancelled; partial files are kept and resume next time.")
                done, pending = wait(pending, timeout=PROGRESS_INTERVAL)
                for future in done:
                    results[futures[future]] = future.result()
                run.tracker.emit()
        except BaseException:
            run.stop_all()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        run.tracker.emit(force=True)
        return [r for r in results if r is not None]
