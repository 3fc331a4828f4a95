"""The queue's SQLite store and its pacing rules (pure: no QGIS, no network)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.conformance import FIXTURES

from scene_finder.core.queue import Limits, NewItem, Pacer, QueueStore, QueueStoreError
from scene_finder.core.queue.pacing import describe_wait, headroom_from_summary
from scene_finder.core.queue.store import SCHEMA_VERSION


def new(entity: str, product: str = "bundle", folder: str = "/data", batch: str | None = None) -> NewItem:
    return NewItem("landsat_ot_c2_l2", entity, product, folder, batch=batch)


@pytest.fixture()
def store(tmp_path):
    opened = QueueStore(tmp_path / "scene_finder" / "queue.sqlite")
    yield opened
    opened.close()


def test_the_file_is_wal_and_carries_its_schema_version(store):
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_queue_written_by_a_newer_version_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "queue.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(QueueStoreError, match="newer Scene Finder"):
        QueueStore(path)


def test_items_are_added_once_and_a_second_add_queues_them_again(store):
    first = store.add([new("A"), new("B"), new("A", "SR_B4")])
    assert len(set(first)) == 3
    store.pause([first[0]])
    again = store.add([new("A")])
    assert again == [first[0]] and store.item(first[0]).state == "queued"
    assert store.add([new("A", folder="/elsewhere")]) != [first[0]]  # another folder is another file


def test_take_groups_one_kind_and_marks_it_running(store):
    store.add([new("A"), new("B", "SR_B4"), new("C"), new("D")])
    taken = store.take(2)
    assert [(i.entity_id, i.state, i.attempts) for i in taken] == [("A", "running", 1), ("C", "running", 1)]
    assert [i.entity_id for i in store.take(10)] == ["B"]  # the first queued sets the next kind
    assert [i.entity_id for i in store.take(10)] == ["D"]
    assert store.take(10) == []


def test_a_requeued_item_is_not_counted_as_an_attempt(store):
    (item_id,) = store.add([new("A")])
    store.take(1)
    store.requeue([item_id])
    assert store.item(item_id).state == "queued" and store.item(item_id).attempts == 0


def test_pause_resume_retry_remove(store):
    a, b, c = store.add([new("A"), new("B"), new("C")])
    store.take(3)
    store.progress({a: (100, 1000, 50.0)})
    store.fail(b, "USGS could not prepare this file.")
    store.finish(c, "C.tar", 1000)
    assert store.pause([a, c]) == 1  # a done item stays done
    assert store.item(a).state == "paused" and store.item(a).bytes_done == 100
    assert store.resume([a]) == 1 and store.item(a).state == "queued"
    assert store.item(b).error == "USGS could not prepare this file."
    assert store.retry([b]) == 1 and store.item(b).state == "queued" and store.item(b).error is None
    assert store.remove([a, b]) == 2 and [i.entity_id for i in store.items()] == ["C"]
    assert store.item(c).path.name == "C.tar" and store.item(c).key == "C"


def test_a_session_that_ended_leaves_its_running_items_paused(tmp_path):
    first = QueueStore(tmp_path / "queue.sqlite")
    first.add([new("A"), new("B")])
    first.take(1)
    # no stop_running: the process was killed
    second = QueueStore(tmp_path / "queue.sqlite")
    assert second.recover() == 1
    assert [(i.entity_id, i.state) for i in second.items()] == [("A", "paused"), ("B", "queued")]
    first.close()
    second.close()


def test_changed_since_gives_only_what_changed(store):
    a, b = store.add([new("A"), new("B")])
    seen = store.committed
    store.take(1)
    store.progress({a: (5, 10, 1.0)})
    assert [i.id for i in store.changed_since(seen)] == [a]
    seen = store.committed
    assert store.changed_since(seen) == []


def test_progress_of_a_paused_item_does_not_overwrite_its_state(store):
    (a,) = store.add([new("A")])
    store.take(1)
    store.pause([a])
    store.progress({a: (5, 10, 1.0)})
    store.finish(a, "A.tar", 10)
    assert store.item(a).state == "paused"


def test_no_secret_reaches_the_file(store, tmp_path):
    """Only what was asked is stored: no URL, key, token or signature (the engine never hands them over)."""
    store.add([new("LC90150352023067LGN00"), new("LC90150352023067LGN00", "SR_B4")])
    store.take(2)
    store.close()
    raw = b"".join(p.read_bytes() for p in store.path.parent.iterdir())
    for word in (b"http", b"token", b"requestSignature", b"X-Auth", b"Bearer"):
        assert word not in raw


# -- pacing -----------------------------------------------------------------------------------------

def test_describe_wait():
    assert describe_wait(240) == "waiting 4 min" and describe_wait(12.2) == "waiting 12 s"
    assert describe_wait(0) == "waiting 1 s"


def test_rate_limit_user_dl_waits_the_window_and_retry_after_wins():
    pacer = Pacer()
    assert pacer.back_off(0.0, "RATE_LIMIT_USER_DL") == 900.0
    assert pacer.allowance(899.0) == 0 and pacer.allowance(900.0) == 1000
    pacer = Pacer()
    assert pacer.back_off(0.0, "RATE_LIMIT_USER_DL", retry_after=240) == 240
    assert pacer.wait(10.0) == 230


def test_rate_limit_backs_off_more_each_time_up_to_the_window():
    pacer = Pacer()
    waits = [pacer.back_off(t * 1000.0, "RATE_LIMIT") for t in range(7)]
    assert waits == [30.0, 60.0, 120.0, 240.0, 480.0, 900.0, 900.0]
    pacer.record(8000.0, 1)
    assert pacer.back_off(9000.0, "RATE_LIMIT") == 30.0


@settings(max_examples=200, deadline=None)
@given(limit=st.integers(1, 50), batch=st.integers(1, 20),
       steps=st.lists(st.tuples(st.floats(0, 400), st.integers(0, 30)), min_size=1, max_size=40))
def test_the_pacer_never_requests_more_than_the_window_allows(limit, batch, steps):
    """Whatever the timing, the downloads requested in any 15-minute window stay within the limit, each
    call asks for at most a batch, and when nothing may be asked the wait is positive and sufficient."""
    pacer = Pacer(Limits(requests_per_window=limit, batch=batch))
    now, asked = 0.0, []
    for gap, wanted in steps:
        now += gap
        allowed = pacer.allowance(now)
        assert 0 <= allowed <= batch
        if allowed == 0:
            wait = pacer.wait(now)
            assert wait > 0
            assert pacer.allowance(now + wait) > 0
            continue
        count = min(wanted, allowed)
        pacer.record(now, count)
        asked.append((now, count))
    for start, _ in asked:
        assert sum(c for t, c in asked if start <= t < start + 900.0) <= limit


SUMMARY = FIXTURES / "m2m" / "usgs_docs_samples" / "rate-limit-summary.json"


def test_headroom_is_the_fewest_downloads_any_usgs_count_allows():
    if not SUMMARY.exists():
        pytest.skip("the recorded USGS answers are not next to the checkout")
    data = json.loads(SUMMARY.read_text(encoding="utf-8"))["data"]
    assert headroom_from_summary(data) == 14999  # user and IP: 14999 recent, 19995 unattempted, 20000 pending
    assert headroom_from_summary({}) is None and headroom_from_summary(None) is None
    assert headroom_from_summary({"remainingLimits": [{"recentDownloadCount": "x"}, 7]}) is None


def test_seeding_counts_what_was_used_before_the_run():
    pacer = Pacer(Limits(requests_per_window=100, batch=50))
    pacer.seed(0.0, 30)
    assert pacer.allowance(0.0) == 30 and pacer.allowance(900.0) == 50
    pacer.seed(10.0, None)
    assert pacer.allowance(10.0) == 30
