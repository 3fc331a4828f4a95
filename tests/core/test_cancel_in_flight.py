"""Cancel ends a call in flight, through the real clients against the emulator's stalled answers.

Every stall lasts a minute or more; each test only checks, with a generous hang guard, that the
call ends soon after the cancel (the latency itself is a figure of ``make bench``:
``cancel_latency_ms``).
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.carbonmapper.scenes import SceneDownload
from scene_finder.core.download import Downloader, DownloadItem
from scene_finder.core.errors import CancelledError
from scene_finder.core.http import make_session
from scene_finder.core.m2m import M2MClient, PollPolicy, download_scenes
from scene_finder.core.m2m.search import search_scenes
from scene_finder.emulator.m2m.downloads import prepares_first

HANG_GUARD = 10.0  # seconds: the stalls below last 60 s or more
STALL = 90.0
DEMO = ("demo", "demo-application-token")
CM_TOKEN = "demo-carbonmapper-token"


class CancelWhenSent:
    """Sets ``event`` once the emulator has received ``count`` requests to ``route`` (so the call is in
    flight, stalled), and records when."""

    def __init__(self, emulator, service: str, route: str, count: int = 1, after: float = 0.3):
        self.event = threading.Event()
        self.at: float | None = None
        self.stalled = None

        def watch() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                entries = emulator.log.entries(service, route, settle_seconds=0)
                if len(entries) >= count:
                    self.stalled = entries[count - 1]
                    break
                time.sleep(0.02)
            time.sleep(after)
            self.at = time.monotonic()
            self.event.set()

        threading.Thread(target=watch, daemon=True).start()

    def since(self) -> float:
        assert self.at is not None, "the request never reached the emulator"
        return time.monotonic() - self.at

    def client_went_away(self) -> bool:
        """The stalled request's connection was closed by the client (the emulator's stall ended)."""
        return self.stalled is not None and self.stalled.completed.wait(HANG_GUARD)


def m2m_client(emulator, cancel) -> M2MClient:
    client = M2MClient(*DEMO, base_url=emulator.m2m_url, cancel=cancel, rate_limit_backoff=0.01)
    client.login()
    return client


def test_cancel_ends_a_stalled_m2m_call(emulator):
    client = m2m_client(emulator, None)
    emulator.faults.add("m2m", "dataset-search", "stall", seconds=STALL)
    cancel = CancelWhenSent(emulator, "m2m", "dataset-search")
    client.cancel = cancel.event
    with pytest.raises(CancelledError):
        client.call("dataset-search", {"datasetName": "landsat_ot_c2_l2"})
    assert cancel.since() < HANG_GUARD
    assert cancel.client_went_away()
    assert emulator.log.count("m2m", "dataset-search") == 1  # not sent again after the cancel
    client.logout()
    assert emulator.log.count("m2m", "logout") == 1


def test_cancel_ends_a_stalled_m2m_answer_body(emulator):
    client = m2m_client(emulator, None)
    emulator.faults.add("m2m", "dataset-search", "stall", seconds=STALL, after="headers")
    cancel = CancelWhenSent(emulator, "m2m", "dataset-search")
    client.cancel = cancel.event.is_set  # a polled callable, like QgsTask.isCanceled
    with pytest.raises(CancelledError):
        client.call("dataset-search", {"datasetName": "landsat_ot_c2_l2"})
    assert cancel.since() < HANG_GUARD
    client.logout()


def test_cancel_ends_a_long_retry_after_wait(emulator):
    client = m2m_client(emulator, None)
    emulator.faults.add("m2m", "dataset-search", "status", status=429, retry_after=100)
    cancel = CancelWhenSent(emulator, "m2m", "dataset-search")
    client.cancel = cancel.event
    with pytest.raises(CancelledError):
        client.call("dataset-search", {"datasetName": "landsat_ot_c2_l2"})
    assert cancel.since() < HANG_GUARD
    assert emulator.log.count("m2m", "dataset-search") == 1


def test_logout_after_a_cancel_does_not_hang_on_a_stalled_service(emulator):
    cancel = threading.Event()
    client = m2m_client(emulator, cancel)
    emulator.faults.add("m2m", "logout", "stall", seconds=STALL)
    cancel.set()
    started = time.monotonic()
    client.logout()  # never raises; gets a few seconds after a cancel
    assert time.monotonic() - started < HANG_GUARD
    assert not client.logged_in


def test_cancel_ends_a_stalled_download_retrieve_poll(emulator, tmp_path):
    session = make_session(retries=3, backoff=0.01)
    with M2MClient(*DEMO, base_url=emulator.m2m_url, session=session, rate_limit_backoff=0.01) as client:
        scenes = list(search_scenes(client, start="2018-10-01", end="2018-10-28", limit=3000))
        scene = next(s for s in scenes if s.cloud_cover is not None and prepares_first(s))
        emulator.faults.add("m2m", "download-retrieve", "stall", seconds=STALL)
        cancel = CancelWhenSent(emulator, "m2m", "download-retrieve")
        with pytest.raises(CancelledError):
            download_scenes(client, "landsat_ot_c2_l2", [scene.entity_id], tmp_path, cancel=cancel.event,
                            poll=PollPolicy(first_wait=0.01, factor=1.0, max_wait=0.01, total=600))
        assert cancel.since() < HANG_GUARD
        assert cancel.client_went_away()


def test_cancel_ends_the_wait_between_download_retrieve_polls(emulator, tmp_path):
    session = make_session(retries=3, backoff=0.01)
    with M2MClient(*DEMO, base_url=emulator.m2m_url, session=session, rate_limit_backoff=0.01) as client:
        scenes = list(search_scenes(client, start="2018-11-01", end="2018-11-28", limit=3000))
        scene = next(s for s in scenes if s.cloud_cover is not None and prepares_first(s))
        cancel = CancelWhenSent(emulator, "m2m", "download-request")
        with pytest.raises(CancelledError):
            download_scenes(client, "landsat_ot_c2_l2", [scene.entity_id], tmp_path, cancel=cancel.event,
                            poll=PollPolicy(first_wait=120, total=600))
        assert cancel.since() < HANG_GUARD
        assert emulator.log.count("m2m", "download-retrieve") == 0


@pytest.mark.parametrize("route", ["catalog/scenes/annotated", "token/pair"])
def test_cancel_ends_a_stalled_carbonmapper_call(emulator, route):
    if route == "token/pair":
        client = CarbonMapperClient(email="demo@example.com", password="demo-password",
                                    base_url=emulator.carbonmapper_url)
    else:
        client = CarbonMapperClient(CM_TOKEN, base_url=emulator.carbonmapper_url)
    emulator.faults.add("carbonmapper", route, "stall", seconds=STALL)
    cancel = CancelWhenSent(emulator, "carbonmapper", route)
    client.cancel = cancel.event.is_set
    with pytest.raises(CancelledError):
        client.get_json("catalog/scenes/annotated", {"limit": 1})
    assert cancel.since() < HANG_GUARD
    assert cancel.client_went_away()


def test_cancel_ends_a_stalled_carbonmapper_page_body(emulator, tmp_path):
    client = CarbonMapperClient(CM_TOKEN, base_url=emulator.carbonmapper_url)
    emulator.faults.add("carbonmapper", "catalog/download/scenes.gpkg", "stall", seconds=STALL, after="headers")
    cancel = CancelWhenSent(emulator, "carbonmapper", "catalog/download/scenes.gpkg")
    client.cancel = cancel.event.is_set
    with pytest.raises(CancelledError):
        SceneDownload(client, start="2023-01-01", end="2023-02-01").schema(tmp_path / "schema.gpkg")
    assert cancel.since() < HANG_GUARD
    assert cancel.client_went_away()


@pytest.mark.parametrize("after", ["request", "headers"])
def test_cancel_ends_a_stalled_download_and_its_worker(emulator, tmp_path, after):
    emulator.faults.add("files", "*", "stall", seconds=STALL, after=after)
    cancel = CancelWhenSent(emulator, "files", "generated/1048576.bin")
    downloader = Downloader(make_session(backoff=0.01), tmp_path, retry_backoff=0.01)
    with pytest.raises(CancelledError):
        downloader.download([DownloadItem(emulator.generated_file_url(1 << 20), filename="a.bin")],
                            cancel=cancel.event.is_set)
    assert cancel.since() < HANG_GUARD
    assert cancel.client_went_away()  # the worker let go of its connection too, not only the caller
    assert emulator.log.count("files") == 1



def test_cancel_ends_a_stalled_tls_handshake():
    """A server that takes the connection and never answers the TLS hello (the connect timeout is 20 s)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted, cancelled_at = [], []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    cancel = threading.Event()
    client = M2MClient(*DEMO, base_url=f"https://127.0.0.1:{listener.getsockname()[1]}/", cancel=cancel)

    def cancel_once_accepted() -> None:
        while not accepted:
            time.sleep(0.02)
        time.sleep(0.3)  # the client is waiting for the server's hello
        cancelled_at.append(time.monotonic())
        cancel.set()

    threading.Thread(target=cancel_once_accepted, daemon=True).start()
    try:
        with pytest.raises(CancelledError):
            client.login()
        assert time.monotonic() - cancelled_at[0] < HANG_GUARD
    finally:
        for connection in accepted:
            connection.close()
        listener.close()


def test_connections_through_a_proxy_are_watched_too():
    from scene_finder.core.inflight import _WatchedConnection, _WatchedPool

    adapter = make_session().get_adapter("https://example.com/")
    for manager in (adapter.poolmanager, adapter.proxy_manager_for("http://proxy.example:3128")):
        for pool_class in manager.pool_classes_by_scheme.values():
            assert issubclass(pool_class, _WatchedPool) and issubclass(pool_class.ConnectionCls, _WatchedConnection)


def test_a_connection_closed_by_garbage_collection_inside_the_watcher_does_not_deadlock():
    # watch() holds the watcher's lock while it starts its thread; the allocation can run garbage
    # collection, whose finalizer of a dropped urllib3 pool closes that pool's connections, on this
    # thread: closing takes the same lock (seen as a hang on Python 3.14).
    from scene_finder.core import inflight

    done = threading.Event()

    def close_while_holding_the_lock():
        connection = inflight._WatchedConnection()
        connection._shadow = socket.socket()
        with inflight._WATCHER._lock:
            connection._drop_shadow()
        done.set()

    threading.Thread(target=close_while_holding_the_lock, daemon=True).start()
    assert done.wait(10), "closing a connection inside the watcher's lock hung"
