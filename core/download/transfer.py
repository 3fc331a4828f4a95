"""One file's transfer: stream to ``.part``, resume with Range, verify, then rename.

:class:`TransferRun` holds the state one ``Downloader.download()`` call shares between its worker
threads (the stop flag, the claimed names and their file locks, the open responses, the progress tracker);
:meth:`TransferRun.fetch` takes one item from its first request to its final name. How it transfers
(session, folder, chunk size, attempts, timeouts) comes as a frozen :class:`.options.TransferOptions`.
The parallel orchestration lives in :mod:`.downloader`, which this module does not import.
"""

from __future__ import annotations

import http.client
import logging
import os
import threading
from urllib.parse import unquote, urlsplit

import requests
import urllib3.exceptions

from ..cancel import sleep
from ..connection_errors import connection_error, is_certificate_failure, is_proxy_auth_failure
from ..errors import CancelledError, DownloadError, SceneFinderError
from ..http import abort_response, body_reader, error_for_status
from ..inflight import interruptible
from ..redact import redact, redact_url, register_secret
from ..urls import check_url_allowed
from .claim import FailedError, FileClaims, Job, disk_error, file_size
from .files import (
    PART_SUFFIX,
    Sidecar,
    content_range,
    file_matches,
    filename_from_content_disposition,
    make_hasher,
    remember_verified,
    sanitize_filename,
)
from .items import DownloadItem, DownloadResult
from .options import TransferOptions
from .progress import ProgressCallback, ProgressTracker

LOG = logging.getLogger(__name__)
# What a read of a body raises when the connection breaks or stalls.
_TRANSPORT_ERRORS = (OSError, http.client.HTTPException, urllib3.exceptions.HTTPError, requests.RequestException)

class _ResumeError(Exception):
    """This attempt ended early (connection lost, short body): resume."""


class _AgainError(Exception):
    """Ask again at once, knowing more (the file's name): not a failed attempt."""


class TransferRun:
    """The state of one ``download()`` call, shared by its worker threads."""

    def __init__(self, options: TransferOptions, items: list[DownloadItem], progress: ProgressCallback | None):
        self.options = options
        self.stop = threading.Event()
        self.tracker = ProgressTracker([item.size for item in items], progress)
        self.lock = threading.Lock()
        self.claims = FileClaims(options.folder, self.stop)
        self.responses: set[requests.Response] = set()
        self.has_parts = any(options.folder.glob("*" + PART_SUFFIX))

    # -- cancel -------------------------------------------------------------------------
    def stop_all(self) -> None:
        """Stop every worker now: a blocked read returns at once because its socket is shut."""
        self.stop.set()
        with self.lock:
            responses = list(self.responses)
        for response in responses:
            abort_response(response)

    def check_stop(self) -> None:
        if self.stop.is_set():
            raise CancelledError()

    # -- one file -----------------------------------------------------------------------
    def fetch(self, index: int, item: DownloadItem) -> DownloadResult:
        job = Job(index, item)
        try:
            return self._fetch(job)
        except CancelledError:
            raise
        except FailedError as failed:
            error = failed.error
        except SceneFinderError as exc:
            error = exc if isinstance(exc, DownloadError) else DownloadError(
                f"Download of {job.label} failed: {exc.message}", code=exc.code,
                service_message=exc.service_message, status=exc.status, service=exc.service)
        except Exception as exc:  # a bug or an unexpected answer must not stop the other files
            LOG.error("Download of %s failed: %s", job.label, redact(repr(exc)))
            error = DownloadError(f"Download of {job.label} failed unexpectedly ({type(exc).__name__}).")
        finally:
            job.release()
            self.tracker.file_finished()
        self.tracker.settle(job.index)  # a failed file no longer leaves the total unknown
        LOG.warning("%s", error.details())
        return DownloadResult(item, None, "failed", job.transferred, error)

    def _fetch(self, job: Job) -> DownloadResult:
        item = job.item
        try:
            check_url_allowed(item.url)
        except SceneFinderError as exc:
            raise FailedError(DownloadError(exc.message)) from exc
        _register_secrets(item)
        if item.checksum:
            make_hasher(item.checksum)  # an unknown algorithm fails now, not after the whole download
        if item.filename:
            self.claims.claim(job, sanitize_filename(item.filename))
            if self.claims.complete_on_disk(job, item.size):
                return self._skipped(job, item.size)
        else:
            job.probe = self.has_parts
        attempt = 1
        while True:
            self.check_stop()
            try:
                return self._attempt(job)
            except _AgainError:
                continue
            except _ResumeError as interrupted:
                if self.stop.is_set():
                    raise CancelledError() from None
                if attempt >= self.options.max_attempts:
                    raise FailedError(DownloadError(
                        f"Download of {job.label} failed after {attempt} attempts: {interrupted}. "
                        "Try again later; the partial file is kept and resumes."
                    )) from None
                LOG.info("Download of %s interrupted (%s); resuming", job.label, interrupted)
                sleep(self.options.retry_backoff * (attempt - 1), self.stop)
                attempt += 1

    def _attempt(self, job: Job) -> DownloadResult:
        item = job.item
        offset, sidecar = 0, None
        headers = {"Accept-Encoding": "identity", **item.headers}
        if item.header_provider is not None:
            job.sent_auth = dict(item.header_provider())
            _register_header_secrets(job.sent_auth)
            headers.update(job.sent_auth)
        if job.part is not None:
            offset = file_size(job.part) or 0
            if offset:
                sidecar = Sidecar.read(job.sidecar)
                headers["Range"] = f"bytes={offset}-"
                if sidecar.if_range:
                    headers["If-Range"] = sidecar.if_range
        elif job.probe:
            # Partial files lie in the folder and this file's name is not known yet: learn it (and the
            # size) from the first byte alone, rather than from a whole answer that may go to waste.
            headers["Range"] = "bytes=0-0"
        try:
            with interruptible(self.stop):  # a stalled answer or a retry wait ends on stop_all
                options = self.options
                response = options.session.get(item.url, headers=headers, stream=True, timeout=options.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            if is_proxy_auth_failure(exc) or is_certificate_failure(exc):  # trying again cannot help
                said = connection_error(exc, "The download host", item.url)
                raise FailedError(DownloadError(said.message, service_message=said.service_message)) from None
            raise _ResumeError(f"could not connect ({type(exc).__name__})") from None
        with self.lock:
            self.responses.add(response)
        try:
            if self.stop.is_set():  # stop_all may have missed this response
                raise CancelledError()
            return self._receive(job, response, offset, sidecar)
        finally:
            with self.lock:
                self.responses.discard(response)
            response.close()

    def _receive(self, job: Job, response: requests.Response, offset: int, sidecar: Sidecar | None):
        item = job.item
        try:
            check_url_allowed(response.url or item.url)  # also after redirects
        except SceneFinderError as exc:
            raise FailedError(DownloadError(exc.message)) from exc
        status = response.status_code
        if status == 401 and item.header_provider is not None and not job.refreshed:
            job.refreshed = True  # once: a second 401 in a row is an answer
            if item.header_provider.refresh(job.sent_auth):
                LOG.info("Download of %s: credentials refused (HTTP 401), renewed them", job.label)
                raise _AgainError()
        elif status < 400:
            job.refreshed = False
        probing = job.part is None and job.probe
        if probing and status == 416:  # an empty file has no first byte
            job.probe = False
            raise _AgainError()
        if status == 416 and offset:
            return self._range_not_satisfiable(job, response, offset)
        error = error_for_status(response, service=urlsplit(item.url).hostname or "The server")
        if error is not None:
            raise FailedError(DownloadError(
                f"Download of {job.label} failed: {error.message}", code=error.code,
                service_message=error.service_message, status=error.status, service=error.service,
            ))
        if job.part is None:  # the name comes with the answer
            name = filename_from_content_disposition(response.headers.get("Content-Disposition"))
            if not name:
                name = sanitize_filename(unquote(urlsplit(response.url or item.url).path.rsplit("/", 1)[-1]))
            if probing and status == 206:
                _, announced = content_range(response.headers.get("Content-Range"))
            else:
                announced = _int(response.headers.get("Content-Length")) \
                    if "Content-Encoding" not in response.headers else None
            if announced is None:
                announced = item.size
            fits = announced if item.size in (None, announced) else None  # the size a complete file has
            waited, complete = self.claims.claim_server_name(job, name, fits)
            if complete:
                return self._skipped(job, announced)
            if waited or (probing and status == 206):
                raise _AgainError()  # ask again, now that the name is ours
            if file_size(job.part) and response.headers.get("Accept-Ranges", "").lower() == "bytes":
                raise _AgainError()  # a partial file exists: ask for the rest only
        if status == 206:
            first, total = content_range(response.headers.get("Content-Range"))
            if first != offset or (sidecar and sidecar.total and total and sidecar.total != total):
                job.part_file().discard()
                raise _ResumeError("the server sent another part than the one asked for: starting again")
        else:
            offset = 0  # 200: the server ignored the Range (or the file changed): start again
            total = _int(response.headers.get("Content-Length")) if "Content-Encoding" not in response.headers \
                else None
        expected = total if total is not None else item.size
        if item.size is not None and total is not None and item.size != total:
            raise FailedError(DownloadError(
                f"The server announced {total} bytes for {job.label} but {item.size} were expected; not downloading."
            ))
        if offset == 0 and self.claims.complete_on_disk(job, expected):
            return self._skipped(job, expected)
        self.tracker.set_total(job.index, expected)
        try:
            Sidecar.from_response(response, expected).write(job.sidecar)
            with job.part_file().open(offset) as part:
                self.tracker.set_done(job.index, offset)
                received = self._stream(job, response, part)
                size = offset + received
        except OSError as exc:  # the disk's side: full, gone, not writable (network errors are handled inside)
            raise FailedError(disk_error(job.part, exc)) from None
        if expected is not None and size < expected:
            raise _ResumeError(f"connection closed after {size} of {expected} bytes")
        if expected is not None and size > expected:
            job.part_file().discard()
            raise FailedError(DownloadError(
                f"The server sent more than the {expected} bytes announced for {job.label}."
            ))
        return self._finish(job, expected)

    def _stream(self, job: Job, response: requests.Response, part) -> int:
        read = body_reader(response, self.options.chunk_size)
        received = 0
        while True:
            if self.stop.is_set():
                raise CancelledError()
            try:
                chunk = read()
            except _TRANSPORT_ERRORS as exc:
                if self.stop.is_set():
                    raise CancelledError() from None
                raise _ResumeError(f"connection lost ({type(exc).__name__})") from None
            if not chunk:
                return received
            part.write(chunk)
            received += len(chunk)
            job.transferred += len(chunk)
            self.tracker.add(job.index, len(chunk))

    def _range_not_satisfiable(self, job: Job, response: requests.Response, offset: int) -> DownloadResult:
        _, total = content_range(response.headers.get("Content-Range"))
        expected = total if total is not None else job.item.size
        if expected == offset:  # the part already holds the whole file
            self.tracker.set_total(job.index, expected)
            self.tracker.set_done(job.index, offset)
            return self._finish(job, expected)
        job.part_file().discard()
        raise _ResumeError("the partial file is larger than the file: starting again")

    def _skipped(self, job: Job, size: int) -> DownloadResult:
        LOG.info("Already downloaded: %s", job.final.name)
        self.tracker.set_total(job.index, size)
        self.tracker.set_done(job.index, size)
        return DownloadResult(job.item, job.final, "skipped", 0)

    def _finish(self, job: Job, expected: int | None) -> DownloadResult:
        """Check the part ON DISK (size, checksum), then give it its final name."""
        item = job.item
        size = file_size(job.part)
        if size is None or (expected is not None and size != expected):
            job.part_file().discard()
            raise _ResumeError(f"the partial file holds {size} bytes on disk, not {expected}: starting again")
        if item.checksum:
            try:
                matches = file_matches(job.part, item.checksum, self.stop.is_set)
            except OSError as exc:
                raise FailedError(disk_error(job.part, exc)) from None
            if not matches:
                job.part_file().discard()
                raise FailedError(DownloadError(
                    f"The {item.checksum[0]} checksum of {job.label} does not match: the file was damaged on the "
                    "way. Download it again."
                ))
        try:
            os.replace(job.part, job.final)
        except OSError as exc:
            raise FailedError(disk_error(job.final, exc)) from None
        if item.checksum:
            remember_verified(job.final, item.checksum)
        job.part_file().forget_sidecar()
        LOG.info("Downloaded %s from %s", job.final.name, redact_url(item.url))
        return DownloadResult(item, job.final, "done", job.transferred)

def _register_secrets(item: DownloadItem) -> None:
    """Signed URL queries and auth headers are masked wherever they might be echoed."""
    register_secret(urlsplit(item.url).query)
    _register_header_secrets(item.headers)


def _register_header_secrets(headers: dict) -> None:
    for name, value in headers.items():
        if name.lower() in ("authorization", "x-auth-token", "cookie", "proxy-authorization") and value:
            register_secret(str(value))
            register_secret(str(value).split(" ", 1)[-1])




def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
