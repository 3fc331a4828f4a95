"""The download queue in QGIS: its file in the profile, and the worker thread that runs it.

The queue lives in ``<profile>/scene_finder/queue.sqlite`` (:func:`queue_path`), one per QGIS profile,
shared by the panel and Processing. A :class:`QueueRunner` (owned by the dock) runs
:class:`..core.queue.QueueEngine` on one worker thread while something is queued; items are added with
:meth:`QueueRunner.add` (the Results tab's Download button, Processing through :func:`queue_items`).
Credentials are asked for on the main thread when a run starts and live in memory only.

When the plugin loads, items a former session left running are ``paused`` (:meth:`QueueRunner.open`
says how many are unfinished), and nothing starts until the user resumes them. On unload the run
stops within seconds: the files in flight keep their ``.part`` and resume next time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal

from ..core.queue import Limits, NewItem, QueueEngine, QueueStore
from ..core.queue.pacing import MAX_CONCURRENT
from . import settings
from .auth import SERVICE_M2M
from .clients import Access, connect

LOG = logging.getLogger(__name__)
STOP_WAIT = 5.0  # seconds unload waits for the worker to let go of its files
_active: QueueRunner | None = None  # the panel's runner (Processing hands its items to it)


def queues(source: Any) -> bool:
    """Whether the downloads of a panel source (:class:`.sources.Source`) go through the queue: USGS's."""
    return source.service == SERVICE_M2M


def queue_path() -> Path:
    """The queue's file in the current QGIS profile."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "scene_finder" / "queue.sqlite"


def entries_for(dataset: str, entity_ids: Iterable[str], product: str | list[str], folder: str | Path,
                batch: str | None = None) -> list[NewItem]:
    """One queue item per scene and product (a bundle, or each chosen band)."""
    products = ["bundle"] if product == "bundle" else ([product] if isinstance(product, str) else list(product))
    return [NewItem(dataset, str(entity), chosen, str(Path(folder)), batch=batch)
            for entity in dict.fromkeys(entity_ids) for chosen in products]


def queue_items(entries: list[NewItem]) -> list[int]:
    """Add ``entries`` to the profile's queue from any thread; the panel's runner starts them when the
    plugin is loaded, else they wait for it (ids, in order)."""
    runner = _active
    if runner is not None:
        ids = runner.store.add(entries)
        runner.wake.emit()  # runs start() on the main thread, where credentials are read
        return ids
    store = QueueStore(queue_path())
    try:
        return store.add(entries)
    finally:
        store.close()


class QueueRunner(QObject):
    """Runs the queue on a worker thread. ``credentials()`` gives the M2M (username, token) or None."""

    status_changed = pyqtSignal(str)  # "USGS rate limit: waiting 4 min", "" when nothing to say
    running_changed = pyqtSignal(bool)
    wake = pyqtSignal()  # from any thread: start if something is queued

    def __init__(self, credentials: Callable[[], tuple[str, str] | None], path: str | Path | None = None,
                 parent=None, *, poll: Any = None, limits: Limits | None = None):
        super().__init__(parent)
        self.credentials = credentials
        self.path = Path(path) if path is not None else queue_path()
        self.poll = poll  # core.m2m.PollPolicy (tests: quick polls)
        self.limits = limits
        self.store: QueueStore | None = None
        self.engine: QueueEngine | None = None
        self.thread: threading.Thread | None = None
        self.stop = threading.Event()
        self.again = threading.Event()
        self.status = ""
        self.wake.connect(self.start, Qt.ConnectionType.QueuedConnection)

    def open(self) -> int:
        """Open the queue file; items a former session left running are paused. How many are unfinished."""
        global _active
        self.store = QueueStore(self.path)
        self.store.recover()
        _active = self
        counts = self.store.counts()
        return counts["paused"] + counts["queued"]

    # -- the user's side ------------------------------------------------------------------
    def add(self, entries: list[NewItem]) -> list[int]:
        ids = self.store.add(entries)
        self.start()
        return ids

    def pause(self, ids: list[int]) -> None:
        self.store.pause(ids)
        if self.engine is not None:
            self.engine.let_go(ids)

    def resume(self, ids: list[int]) -> None:
        self.store.resume(ids)
        self.start()

    def resume_all(self) -> None:
        self.resume([item.id for item in self.store.items(["paused", "failed"])])

    def retry(self, ids: list[int]) -> None:
        self.store.retry(ids)
        self.start()

    def remove(self, ids: list[int]) -> None:
        if self.engine is not None:
            self.engine.let_go(ids)
        self.store.remove(ids)

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    # -- the run ----------------------------------------------------------------------------
    def start(self) -> bool:
        """Run the queue if something is queued (main thread). False when the user must sign in first."""
        if self.store is None or self.stop.is_set() or not self.store.counts()["queued"]:
            return True
        if self.running:
            self.again.set()  # the worker may be about to end: it looks once more
            return True
        pair = self.credentials()
        if pair is None:
            self._say("waiting for a USGS sign-in (Accounts tab)")
            return False
        from .network import make_qgis_session

        access = Access.of(pair, make_qgis_session())  # read on the main thread (proxy settings)
        self.session = access.session
        limits = self.limits or Limits(concurrent=max(1, min(MAX_CONCURRENT, settings.parallel_downloads())))
        self.engine = QueueEngine(self.store, self._connector(access), limits=limits, poll=self.poll,
                                  on_status=self._say)
        self.thread = threading.Thread(target=self._work, name="scene-finder-queue", daemon=True)
        self.thread.start()
        self.running_changed.emit(True)
        return True

    def _connector(self, access: Access):
        @contextmanager
        def opened(cancel):
            with connect("m2m", access, cancel) as client:
                yield client
        return opened

    def _work(self) -> None:
        try:
            while not self.stop.is_set():
                self.again.clear()
                self.engine.run(self.stop)
                if self.stop.is_set() or not (self.again.is_set() or self.engine.store.counts()["queued"]):
                    break
        except Exception:  # a bug must not take QGIS down; the items wait for the next run
            LOG.exception("The download queue stopped")
        finally:
            self.session.close()
            self.running_changed.emit(False)

    def _say(self, text: str) -> None:
        self.status = text
        self.status_changed.emit(text)  # queued to the main thread when emitted by the worker

    def shutdown(self) -> None:
        """Stop the run (plugin unload): files in flight keep their ``.part`` and the items are paused."""
        global _active
        self.stop.set()
        if self.thread is not None:
            self.thread.join(STOP_WAIT)
            if self.thread.is_alive():
                LOG.warning("The download queue did not stop within %.0f s", STOP_WAIT)
        if _active is self:
            _active = None
        store, self.store = self.store, None
        if store is not None:
            store.stop_running()
            if not self.running:
                store.close()
