"""The base of every Scene Finder background task.

A subclass implements :meth:`SceneFinderTask.work` (runs in a worker thread, returns the
result or raises) and, when it needs to, :meth:`SceneFinderTask.on_main_thread` (runs on the
main thread after a successful ``work()``, e.g. to build a layer). The base class:

- never lets an exception out of ``run()`` (an exception there would crash QGIS): it stores
  it in ``.error`` (always a :class:`SceneFinderError`; unexpected ones are wrapped) and logs
  ``error.details()``; a cancelled task ends with a :class:`CancelledError`;
- hands core functions a cancel check (:attr:`cancel_check`, i.e. ``isCanceled``) and
  progress callbacks (:meth:`report_progress`, :meth:`progress_range`), throttled so the
  worker does not flood the main thread with signals;
- reports the outcome on the main thread through plain callbacks ``on_success(result)`` and
  ``on_error(error)`` given to the constructor or added with :meth:`add_callbacks`;
  and ``detailChanged(object)`` for rich progress (e.g. bytes and ETA of a download; emitted
  from the worker thread, delivered queued to receivers living on the main thread; the last
  value is also kept in :attr:`detail`);
- keeps a Python reference to every started task in a module registry until it has finished
  (QGIS owns the C++ object; without a Python reference the wrapper can be collected while
  the task runs). :func:`start_task` adds a task to the QGIS task manager,
  :func:`cancel_all` cancels them all (plugin unload).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ...core.errors import CancelledError, SceneFinderError
from ...core.redact import redact
from ...core.units import format_bytes, format_speed

LOG = logging.getLogger(__name__)

# Seconds between two progress signals (plus every whole percent step is always reported).
PROGRESS_INTERVAL = 0.2

_registry: set[SceneFinderTask] = set()
_registry_lock = threading.Lock()


class SceneFinderTask(QgsTask):
    """A QgsTask that runs ``work()`` safely and reports back on the main thread."""

    detailChanged = pyqtSignal(object)  # noqa: N815 - Qt signal naming

    def __init__(
        self,
        description: str,
        *,
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[SceneFinderError], None] | None = None,
        flags: QgsTask.Flags | QgsTask.Flag = QgsTask.Flag.CanCancel,
    ):
        super().__init__(description, flags)
        self.result: Any = None
        self.error: SceneFinderError | None = None
        self.detail: Any = None
        self._success_callbacks: list[Callable[[Any], None]] = []
        self._error_callbacks: list[Callable[[SceneFinderError], None]] = []
        self.add_callbacks(on_success, on_error)
        self._last_progress = -1.0
        self._last_progress_time = 0.0
        self._ended = False  # finished() has run (or the task is gone): never registered again

    # --- to implement -------------------------------------------------------------------
    def work(self) -> Any:
        """Do the job in the worker thread; return the result, raise on failure."""
        raise NotImplementedError

    def on_main_thread(self, result: Any) -> Any:
        """Post-process the result on the main thread (build layers...); returns the final result."""
        return result

    # --- helpers for work() -------------------------------------------------------------
    @property
    def cancel_check(self) -> Callable[[], bool]:
        """The cancel check core functions take."""
        return self.isCanceled

    def add_callbacks(
        self,
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[SceneFinderError], None] | None = None,
    ) -> None:
        if on_success is not None:
            self._success_callbacks.append(on_success)
        if on_error is not None:
            self._error_callbacks.append(on_error)

    def report_progress(self, percent: float) -> None:
        """Set the progress (0-100), at most every PROGRESS_INTERVAL s unless a whole percent passed."""
        percent = max(0.0, min(100.0, float(percent)))
        now = time.monotonic()
        whole_step = int(percent) != int(self._last_progress)
        if whole_step or percent >= 100.0 or now - self._last_progress_time >= PROGRESS_INTERVAL:
            self._last_progress = percent
            self._last_progress_time = now
            self.setProgress(percent)

    def progress_range(self, start: float, end: float) -> Callable[[float, float | None], None]:
        """A ``progress(done, total)`` callback that maps done/total onto [start, end] percent."""

        def progress(done: float, total: float | None = None) -> None:
            if total:
                self.report_progress(start + (end - start) * min(1.0, done / total))

        return progress

    def report_detail(self, detail: Any) -> None:
        """Publish rich progress (kept in ``.detail`` and emitted as ``detailChanged``)."""
        self.detail = detail
        self.detailChanged.emit(detail)

    # --- QgsTask ------------------------------------------------------------------------
    def run(self) -> bool:
        if not _register(self):
            # QGIS ended the task while it was queued and has called finished() already, yet its worker
            # still starts it (QgsTask's cancel and start race): it does nothing, and stays out of the
            # registry, where nothing would ever remove it again
            LOG.debug("%s: ended before it started", self.description())
            return False
        try:
            self.result = self.work()
            if self.isCanceled():
                raise CancelledError()
            return True
        except CancelledError as error:
            self.error = error
            LOG.info("%s: cancelled", self.description())
        except SceneFinderError as error:
            self.error = error
            LOG.warning("%s failed: %s", self.description(), error.details())
        except Exception as error:  # run() must never raise: it would take QGIS down
            self.error = _wrap_unexpected(error)
            LOG.exception("%s failed unexpectedly: %s", self.description(), self.error.details())
        finally:
            self._close_session()
        return False

    def _close_session(self) -> None:
        """The HTTP session made for this run (on the main thread, in ``access``) ends with the run, so
        its pooled connections are closed now rather than left open to the garbage collector."""
        session = getattr(getattr(self, "access", None), "session", None)
        if session is not None:
            try:
                session.close()
            except Exception:  # closing never decides the task's outcome
                LOG.debug("%s: closing its session failed", self.description(), exc_info=True)

    def finished(self, result: bool) -> None:
        try:
            if result:
                try:
                    self.result = self.on_main_thread(self.result)
                except SceneFinderError as error:
                    self.error = error
                    LOG.warning("%s failed: %s", self.description(), error.details())
                except Exception as error:  # a slot must not raise either
                    self.error = _wrap_unexpected(error)
                    LOG.exception("%s failed unexpectedly: %s", self.description(), self.error.details())
            elif self.error is None:  # cancelled before run() started, or terminated
                self.error = CancelledError()
            if self.error is None:
                self._notify(self._success_callbacks, self.result)
            else:
                self._notify(self._error_callbacks, self.error)
        finally:
            _unregister(self)

    @property
    def cancelled(self) -> bool:
        return isinstance(self.error, CancelledError)

    def _notify(self, callbacks: list[Callable[[Any], None]], value: Any) -> None:
        for callback in callbacks:
            try:
                callback(value)
            except Exception:  # one broken listener must not stop the others
                LOG.exception("%s: a result callback failed", self.description())


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def describe_progress(detail: Any) -> str:
    """One line for a downloader ``DownloadProgress``: files, bytes, speed, time left."""
    parts = []
    files_total = getattr(detail, "files_total", None)
    if files_total:
        parts.append(f"{getattr(detail, 'files_done', 0)} of {files_total} file(s)")
    done, total = getattr(detail, "bytes_done", None), getattr(detail, "bytes_total", None)
    if done is not None:
        parts.append(f"{format_bytes(done)} of {format_bytes(total)}" if total else format_bytes(done))
    speed = getattr(detail, "speed_bps", None)
    if speed:
        parts.append(format_speed(speed))
    eta = getattr(detail, "eta_seconds", None)
    if eta is not None:
        parts.append(f"{format_duration(eta)} left")
    note = getattr(detail, "note", None)  # what the download waits for (the queue: "USGS rate limit: ...")
    if note:
        parts.append(note)
    return ", ".join(parts)


def _wrap_unexpected(error: Exception) -> SceneFinderError:
    wrapped = SceneFinderError(f"Unexpected error: {type(error).__name__}: {redact(str(error))}")
    wrapped.__cause__ = error
    return wrapped


def _register(task: SceneFinderTask) -> bool:
    """Keep ``task`` in the registry unless it has ended already; True when it is registered."""
    with _registry_lock:
        if task._ended:
            return False
        _registry.add(task)
        return True


def _unregister(task: SceneFinderTask) -> None:
    with _registry_lock:
        task._ended = True
        _registry.discard(task)


def running_tasks() -> list[SceneFinderTask]:
    """The tasks started and not finished yet."""
    with _registry_lock:
        return list(_registry)


def start_task(task: SceneFinderTask) -> SceneFinderTask:
    """Keep a reference to ``task`` and hand it to the QGIS task manager."""
    _register(task)
    QgsApplication.taskManager().addTask(task)
    return task


def cancel_all(wait_ms: int = 0) -> int:
    """Cancel every running task (plugin unload); optionally wait up to ``wait_ms`` for each.

    Returns how many tasks were cancelled.
    """
    tasks = running_tasks()
    for task in tasks:
        try:
            task.cancel()
        except RuntimeError:  # the C++ object is already gone
            _unregister(task)
    if wait_ms > 0:
        for task in tasks:
            try:
                task.waitForFinished(wait_ms)
            except RuntimeError:
                pass
    return len(tasks)
