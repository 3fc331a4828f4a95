"""The queue's engine: plans queued items in few M2M calls, runs their files, keeps the store current.

One :meth:`QueueEngine.run` signs in once and loops until nothing is queued (or it is stopped):

0. ask ``rate-limit-summary`` once what USGS still allows (so a restart or another tool that used the
   account counts too);
1. take up to ``allowance`` queued items of one kind (:meth:`.store.QueueStore.take`; at most
   :data:`.pacing.BATCH`, and never past the 15-minute limit: :class:`.pacing.Pacer`);
2. plan them with :func:`..m2m.download.prepare_downloads`: one ``download-options`` and one
   ``download-request`` for the whole batch, ``download-retrieve`` polled for the batch's label only
   while USGS prepares something; the URLs live in memory for this run only;
3. run the files, ``concurrent`` at a time, each through the one :class:`..download.Downloader`
   (resumes from the ``.part`` file a paused item or an ended session left), writing bytes and speed
   to the store at most every ``progress_interval`` seconds per item.

``RATE_LIMIT*`` answers (and a USGS that is down) put the batch back in the queue and make the engine
wait (:meth:`.pacing.Pacer.back_off`), saying so in :attr:`QueueEngine.status`; they never fail an item.
Pure Python: the QGIS side (:mod:`scene_finder.gis.queue_runner`) runs it on a worker thread.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from typing import Any

from ..download import Downloader, DownloadItem
from ..errors import AuthError, CancelledError, RateLimitError, SceneFinderError, ServiceUnavailableError
from ..m2m.download import PollPolicy, prepare_downloads
from ..m2m.errors import RATE_LIMIT_CODES
from .pacing import Limits, Pacer, describe_wait, headroom_from_summary
from .store import QueueItem, QueueStore

LOG = logging.getLogger(__name__)
Connect = Callable[[Callable[[], bool]], AbstractContextManager]  # cancel check -> a signed-in M2M client
IDLE_POLL = 0.25  # seconds between two looks at running files


class QueueEngine:
    def __init__(self, store: QueueStore, connect: Connect, *, limits: Limits | None = None,
                 poll: PollPolicy | None = None, clock: Callable[[], float] = time.monotonic,
                 progress_interval: float = 0.5, on_status: Callable[[str], None] | None = None):
        self.store = store
        self.connect = connect
        self.pacer = Pacer(limits)
        self.poll = poll
        self.clock = clock
        self.progress_interval = progress_interval
        self.on_status = on_status
        self.status = ""
        self.lock = threading.Lock()
        self.ready: deque[tuple[QueueItem, DownloadItem]] = deque()  # planned, waiting for a file slot
        self.stops: dict[int, threading.Event] = {}  # running files: set to pause one
        self.calls = 0  # M2M calls of the planning (bench, tests)

    # -- the user's side (any thread) ---------------------------------------------------
    def let_go(self, ids) -> None:
        """Items paused or removed by the user: stop their files now, forget their plans."""
        ids = {int(i) for i in ids}
        with self.lock:
            self.ready = deque(entry for entry in self.ready if entry[0].id not in ids)
            for item_id in ids:
                event = self.stops.get(item_id)
                if event is not None:
                    event.set()

    def _say(self, text: str) -> None:
        if text != self.status:
            self.status = text
            if text:
                LOG.info("Download queue: %s", text)
            if self.on_status is not None:
                self.on_status(text)

    # -- the run --------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Work until nothing is queued or ``stop`` is set; items still running then are ``paused``."""
        limits = self.pacer.limits
        try:
            with self.connect(stop.is_set) as client:
                if hasattr(client, "rate_limit_retries"):
                    client.rate_limit_retries = 0  # the pacer waits, for as long as USGS asks
                self._seed(client)
                pool = ThreadPoolExecutor(max_workers=limits.concurrent, thread_name_prefix="scene-finder-queue")
                try:
                    self._loop(client, pool, stop)
                finally:
                    self.let_go(list(self.stops))
                    pool.shutdown(wait=True)
        except CancelledError:
            pass
        except SceneFinderError as error:  # signing in failed: the items wait for the next run
            self._say(f"not running: {error.message}")
            LOG.warning("Download queue stopped: %s", error.details())
        finally:
            with self.lock:
                self.ready.clear()
            if stop.is_set():
                self.store.stop_running()  # the session ends: they resume from their .part next time
            else:
                self.store.requeue([item.id for item in self.store.items(["running"])])
            if not self.status.startswith("not running"):
                self._say("")

    def _loop(self, client: Any, pool: ThreadPoolExecutor, stop: threading.Event) -> None:
        active: dict[Future, int] = {}
        limits = self.pacer.limits
        while not stop.is_set():
            now = self.clock()
            with self.lock:
                waiting = len(self.ready)
            if waiting < limits.concurrent:
                if self.pacer.blocked(now) or self.pacer.allowance(now) == 0:
                    if self.store.counts()["queued"]:
                        self._say(self._limit_text(self.pacer.wait(now)))
                else:
                    batch = self.store.take(self.pacer.allowance(now))
                    if batch:
                        self._plan(client, batch, stop)
                        continue
            with self.lock:
                while self.ready and len(active) < limits.concurrent:
                    item, download = self.ready.popleft()
                    event = threading.Event()
                    self.stops[item.id] = event
                    active[pool.submit(self._fetch, client, item, download, event, stop)] = item.id
            if not active and not self.ready:
                counts = self.store.counts()
                if not counts["queued"]:
                    return
                stop.wait(min(1.0, max(0.05, self.pacer.wait(self.clock()))))
                continue
            done, _ = wait(list(active), timeout=IDLE_POLL, return_when=FIRST_COMPLETED)
            for future in done:
                item_id = active.pop(future)
                with self.lock:
                    self.stops.pop(item_id, None)
                future.result()  # _fetch reports its own errors

    def _seed(self, client: Any) -> None:
        """Start from what USGS counts already (earlier sessions, other tools): one rate-limit-summary."""
        try:
            data = client.call("rate-limit-summary", {})
        except CancelledError:
            raise
        except SceneFinderError as error:  # the limits are a nicety: the back-off still applies
            LOG.info("USGS rate-limit-summary failed (%s); pacing from this run's own requests", error.code)
            return
        self.pacer.seed(self.clock(), headroom_from_summary(data))

    def _limit_text(self, seconds: float) -> str:
        return f"USGS rate limit: {describe_wait(seconds)}"

    def _plan(self, client: Any, batch: list[QueueItem], stop: threading.Event) -> None:
        first = batch[0]
        product = "bundle" if first.product == "bundle" else [first.product]
        label = f"scenefinder-{uuid.uuid4().hex[:16]}"
        before = getattr(client, "calls", None)
        try:
            planned = prepare_downloads(client, first.dataset, [item.entity_id for item in batch], product=product,
                                        cancel=stop.is_set, poll=self.poll, label=label)
        except CancelledError:
            self.store.requeue([item.id for item in batch])
            return
        except RateLimitError as error:
            self.store.requeue([item.id for item in batch])
            seconds = self.pacer.back_off(self.clock(), error.code, error.retry_after)
            self._say(self._limit_text(seconds))
            return
        except ServiceUnavailableError as error:
            self.store.requeue([item.id for item in batch])
            seconds = self.pacer.back_off(self.clock(), None, None)
            self._say(f"USGS unavailable ({error.message.rstrip('.')}): {describe_wait(seconds)}")
            return
        except AuthError:
            self.store.requeue([item.id for item in batch])
            raise
        except SceneFinderError as error:
            for item in batch:
                self.store.fail(item.id, error.message)
            return
        finally:
            if before is not None:
                self.calls += getattr(client, "calls", before) - before
        self.pacer.record(self.clock(), sum(1 for p in planned if p.failure is None))
        self._say("")
        by_key = {item.key: item for item in batch}
        for plan in planned:
            item = by_key.get(plan.key)
            if item is None:
                continue
            if plan.failure is not None or not plan.url:
                self.store.fail(item.id, plan.failure or "USGS gave no link for this file.")
                continue
            name = plan.filename or item.file_name
            download = DownloadItem(url=plan.url, filename=name, size=plan.size, checksum=plan.checksum,
                                    key=str(item.id))
            now_item = self.store.item(item.id)
            if now_item is not None and now_item.state == "running":  # not paused or removed meanwhile
                with self.lock:
                    self.ready.append((item, download))

    def _fetch(self, client: Any, item: QueueItem, download: DownloadItem, event: threading.Event,
               stop: threading.Event) -> None:
        last = [0.0]

        def progress(detail) -> None:
            now = time.monotonic()
            if now - last[0] >= self.progress_interval:
                last[0] = now
                self.store.progress({item.id: (detail.bytes_done, detail.bytes_total, detail.speed_bps)})

        try:
            downloader = Downloader(client.session, item.folder, parallel=1)
            result = downloader.download([download], cancel=lambda: event.is_set() or stop.is_set(),
                                         progress=progress)[0]
        except CancelledError:
            return  # paused or removed by the user (the store says so already), or the session ends
        except SceneFinderError as error:
            self.store.fail(item.id, error.message)
            return
        except Exception as error:  # a bug must not stop the queue
            LOG.exception("Download queue: item %s failed", item.id)
            self.store.fail(item.id, f"Failed unexpectedly ({type(error).__name__}).")
            return
        if result.status in ("done", "skipped") and result.path is not None:
            size = result.path.stat().st_size if result.path.exists() else result.item.size
            self.store.finish(item.id, result.path.name, size)
        elif result.error is not None and (result.error.status == 429 or result.error.code in RATE_LIMIT_CODES):
            # the file host still refuses after the session's own retries: wait, the item stays queued
            self.store.requeue([item.id])
            with self.lock:
                seconds = self.pacer.back_off(self.clock(), result.error.code,
                                              getattr(result.error, "retry_after", None))
            self._say(self._limit_text(seconds))
        else:
            self.store.fail(item.id, result.error.message if result.error else "Not downloaded.")
