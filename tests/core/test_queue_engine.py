"""The queue's engine against the emulator: few M2M calls per batch, files resumed, rate limits waited out."""

from __future__ import annotations

import threading
import time
import uuid
from contextlib import contextmanager

import pytest
from shapely.geometry import box

from scene_finder.core.http import make_session
from scene_finder.core.m2m import M2MClient, PollPolicy
from scene_finder.core.m2m.search import search_scenes
from scene_finder.core.queue import Limits, NewItem, QueueEngine, QueueStore
from scene_finder.emulator.m2m.bundles import tar_size
from scene_finder.emulator.m2m.downloads import prepares_first
from scene_finder.emulator.m2m.products import bundle_available

DATASET = "landsat_ot_c2_l2"
FOCUS = box(-80, 33, -73, 39)
FAST = PollPolicy(first_wait=0.01, factor=1.0, max_wait=0.01, total=30)


def connector(emulator, username: str = "demo", token: str = "demo-application-token"):
    @contextmanager
    def connect(cancel):
        with M2MClient(username, token, base_url=emulator.m2m_url, cancel=cancel,
                       session=make_session(retries=3, backoff=0.01)) as client:
            yield client
    return connect


@pytest.fixture()
def own_user(emulator):
    """A user of this test alone (USGS counts downloads per user)."""
    name = f"user-{uuid.uuid4().hex[:10]}"
    emulator.config.m2m_accounts[name] = "secret-token"
    yield name, "secret-token"
    del emulator.config.m2m_accounts[name]


def scenes_of(emulator, year: int, month: int, count: int, preparing: bool | None = False) -> list[str]:
    with M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url) as client:
        found = list(search_scenes(client, aoi=FOCUS, start=f"{year}-{month:02d}-01", end=f"{year}-{month:02d}-28",
                                   limit=3000))
    catalog = emulator.service("m2m").catalog.ensure()
    chosen = [s.entity_id for s in found if (preparing is None or prepares_first(s) == preparing)
              and bundle_available(catalog.by_entity[s.entity_id])][:count]
    assert len(chosen) == count
    emulator.log.clear()
    return chosen


@pytest.fixture()
def store(tmp_path):
    opened = QueueStore(tmp_path / "queue.sqlite")
    yield opened
    opened.close()


def run(engine) -> None:
    stop = threading.Event()
    worker = threading.Thread(target=engine.run, args=(stop,))
    worker.start()
    worker.join(120)
    stop.set()
    worker.join(10)
    assert not worker.is_alive()


@contextmanager
def running(engine, until, seconds: float):
    """The engine runs in a thread until ``until()`` holds (or ``seconds`` pass), and through the block;
    then it is stopped."""
    stop = threading.Event()
    worker = threading.Thread(target=engine.run, args=(stop,))
    worker.start()
    try:
        deadline = time.monotonic() + seconds
        while not until() and time.monotonic() < deadline:
            stop.wait(0.05)
        yield
    finally:
        stop.set()
        worker.join(10)


def run_until(engine, until, seconds: float) -> None:
    """The engine run until ``until()`` holds (or ``seconds`` pass), then stopped."""
    with running(engine, until, seconds):
        pass


def test_a_batch_is_planned_in_one_options_and_one_request_call(emulator, store, tmp_path):
    ids = scenes_of(emulator, 2019, 3, 6)
    store.add(NewItem(DATASET, entity, "bundle", str(tmp_path / "dl")) for entity in ids)
    run(QueueEngine(store, connector(emulator), poll=FAST))
    assert [item.state for item in store.items()] == ["done"] * 6
    assert all(item.bytes_done == tar_size() and item.file_name.endswith(".tar") for item in store.items())
    assert emulator.log.routes("m2m") == ["login-token", "rate-limit-summary", "download-options", "download-request",
                                          "logout"]
    assert len(emulator.log.entries("m2m", "download-request")[0].json()["downloads"]) == 6


def test_bands_and_batches_are_grouped_by_product(emulator, store, tmp_path):
    ids = scenes_of(emulator, 2019, 4, 2)
    store.add(NewItem(DATASET, entity, band, str(tmp_path)) for entity in ids for band in ("SR_B4", "SR_B3"))
    run(QueueEngine(store, connector(emulator), poll=FAST, limits=Limits(batch=1000)))
    items = store.items()
    assert [item.state for item in items] == ["done"] * 4, [item.error for item in items]
    assert sorted(item.file_name[-9:] for item in items) == ["SR_B3.TIF"] * 2 + ["SR_B4.TIF"] * 2
    assert emulator.log.count("m2m", "download-request") == 2  # one per band


def test_a_rate_limit_keeps_the_items_queued_and_says_how_long_it_waits(emulator, store, tmp_path):
    ids = scenes_of(emulator, 2019, 5, 2)
    emulator.faults.add("m2m", "download-request", "m2m_error", code="RATE_LIMIT_USER_DL", times=None)
    store.add(NewItem(DATASET, entity, "bundle", str(tmp_path)) for entity in ids)
    said = []
    engine = QueueEngine(store, connector(emulator), poll=FAST, on_status=said.append)
    with running(engine, lambda: said and said[-1], 10):
        assert said[-1] == "USGS rate limit: waiting 15 min"
        assert [item.state for item in store.items()] == ["queued", "queued"]
        assert emulator.log.count("m2m", "download-request") == 1  # it waits, it does not hammer
    assert [item.state for item in store.items()] == ["queued", "queued"]
    assert not any(item.error for item in store.items())


def test_the_queue_keeps_under_the_15_minute_limit_by_itself(emulator, store, tmp_path, own_user):
    """With a window of 3 downloads, 5 items: 3 are requested, the rest wait for the window (no refusal)."""
    ids = scenes_of(emulator, 2019, 6, 5)
    emulator.faults.add("m2m", "download-request", "user_download_limit", times=None, downloads=3)
    store.add(NewItem(DATASET, entity, "bundle", str(tmp_path)) for entity in ids)
    said = []
    engine = QueueEngine(store, connector(emulator, *own_user), poll=FAST, on_status=said.append,
                         limits=Limits(requests_per_window=3))
    run_until(engine, lambda: store.counts()["done"] == 3 and said and said[-1].startswith("USGS rate limit: waiting"),
              30)
    assert store.counts()["done"] == 3 and store.counts()["queued"] == 2, store.counts()
    assert said[-2:] == ["USGS rate limit: waiting 15 min", ""], said  # cleared when the run stops
    answers = [entry.status for entry in emulator.log.entries("m2m", "download-request")]
    assert len(answers) == 1  # the other two were never asked for, so never refused


def test_files_run_no_more_at_once_than_the_limit(emulator, store, tmp_path):
    ids = scenes_of(emulator, 2019, 7, 6)
    emulator.faults.add("landsatlook", "*", "concurrent_downloads", times=None, limit=2)
    emulator.faults.add("landsatlook", "*", "throttle", times=6, bytes_per_second=2_000_000)
    store.add(NewItem(DATASET, entity, "bundle", str(tmp_path)) for entity in ids)
    run(QueueEngine(store, connector(emulator), poll=FAST, limits=Limits(concurrent=2)))
    assert store.counts()["done"] == 6, [(i.state, i.error) for i in store.items()]
    assert emulator.transfers.peak == 2 and emulator.transfers.refused == 0


def test_a_file_host_that_keeps_answering_429_makes_the_queue_wait_not_fail(emulator, store, tmp_path):
    (entity,) = scenes_of(emulator, 2019, 8, 1)
    emulator.faults.add("landsatlook", "gen-bundle", "status", status=429, retry_after="600", times=None)
    store.add([NewItem(DATASET, entity, "bundle", str(tmp_path))])
    said = []
    engine = QueueEngine(store, connector(emulator), poll=FAST, on_status=said.append)
    run_until(engine, lambda: "USGS rate limit: waiting 30 s" in said, 20)
    assert "USGS rate limit: waiting 30 s" in said, said
    (item,) = store.items()
    assert item.state == "queued" and not item.error


def test_what_usgs_already_counts_for_the_account_is_respected(emulator, store, tmp_path, own_user, monkeypatch):
    """Downloads requested before this run (another session, another tool) count: rate-limit-summary says
    4 more are allowed, so of 6 items 4 are requested and 2 wait, and USGS never has to refuse."""
    from scene_finder.emulator.m2m.downloads import INITIAL_LIMITS

    monkeypatch.setitem(INITIAL_LIMITS, "recentDownloadCount", 4)
    ids = scenes_of(emulator, 2019, 9, 6)
    store.add(NewItem(DATASET, entity, "bundle", str(tmp_path)) for entity in ids)
    said = []
    engine = QueueEngine(store, connector(emulator, *own_user), poll=FAST, on_status=said.append)
    run_until(engine, lambda: store.counts()["done"] == 4 and "USGS rate limit: waiting 15 min" in said, 30)
    assert store.counts()["done"] == 4 and store.counts()["queued"] == 2, store.counts()
    requests = emulator.log.entries("m2m", "download-request")
    assert len(requests) == 1 and len(requests[0].json()["downloads"]) == 4
