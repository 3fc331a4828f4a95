"""read_ahead: the pages in order, the next one fetched while the caller holds this one, errors where
they happened, and nothing left running once the caller stops."""

from __future__ import annotations

import threading

import pytest

from scene_finder.core.read_ahead import read_ahead


class Pages:
    """A pager that records which page was asked for, from which thread, and can be held."""

    def __init__(self, count: int, fail_at: int | None = None):
        self.count, self.fail_at = count, fail_at
        self.asked: list[int] = []
        self.threads: set[str] = set()
        self.closed = False
        self.release = threading.Event()
        self.release.set()

    def __iter__(self):
        try:
            for number in range(1, self.count + 1):
                self.release.wait(10)
                self.asked.append(number)
                self.threads.add(threading.current_thread().name)
                if number == self.fail_at:
                    raise ValueError(f"page {number} is malformed")
                yield number
        finally:
            self.closed = True


def test_every_page_in_order_from_a_worker_thread():
    pages = Pages(5)
    assert list(read_ahead(iter(pages))) == [1, 2, 3, 4, 5]
    assert pages.threads and threading.current_thread().name not in pages.threads


def test_the_next_page_is_asked_for_while_the_caller_holds_this_one():
    pages = Pages(3)
    ahead = read_ahead(iter(pages))
    assert next(ahead) == 1
    deadline = threading.Event()
    for _ in range(500):  # the worker asks for page 2 without the caller asking
        if 2 in pages.asked:
            break
        deadline.wait(0.01)
    assert pages.asked[:2] == [1, 2]
    assert list(ahead) == [2, 3]


def test_a_page_in_hand_comes_first():
    pages = Pages(2)
    assert list(read_ahead(iter(pages), first=0)) == [0, 1, 2]


def test_an_error_reaches_the_caller_at_its_page():
    pages = Pages(5, fail_at=3)
    got = []
    with pytest.raises(ValueError, match="page 3"):
        for page in read_ahead(iter(pages)):
            got.append(page)
    assert got == [1, 2]


def test_stopping_early_waits_for_the_page_in_flight_and_closes_the_pager():
    pages = Pages(10)
    ahead = read_ahead(iter(pages))
    assert next(ahead) == 1
    ahead.close()
    assert pages.closed
    assert len(pages.asked) <= 2  # the page read ahead, and no other


def test_a_call_made_ahead_is_handed_to_the_caller_that_wants_it():
    from scene_finder.core.read_ahead import CallAhead

    ahead = CallAhead()
    calls = []
    release = threading.Event()

    def page(number):
        release.wait(5)
        calls.append(number)
        return f"page {number}"

    try:
        assert ahead.take(("page", 2)) is None  # nothing was asked for ahead
        ahead.start(("page", 2), page, 2)
        release.set()
        assert ahead.take(("page", 2)) == "page 2"
        assert ahead.take(("page", 2)) is None  # handed over once
        ahead.start(("page", 3), page, 3)
        assert ahead.take(("page", 4)) is None and calls == [2, 3]  # another page: waited for, then dropped

        def broken():
            raise OSError("connection reset")

        ahead.start(("page", 5), broken)
        assert ahead.take(("page", 5)) is None  # the caller makes the call again, with its own error handling
        release.clear()
        ahead.start(("page", 6), page, 6)
        threading.Timer(0.2, release.set).start()
    finally:
        ahead.close()  # waits for the call still running
    assert calls == [2, 3, 6]
