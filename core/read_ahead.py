"""Fetch the next page while the caller works on this one.

A paged search spends each page's time first on the network (the request, the server, the bytes),
then on turning the page into records. :func:`read_ahead` asks for page n + 1 in a worker thread as
soon as page n is handed over, so the network time of one page overlaps the work on the previous one.
Socket reads release Python's lock; the decoding in the worker and the caller's work share it.

The pages come in order, exactly as the wrapped iterator yields them, and its exceptions (a cancel,
a malformed page) reach the caller at the page where they happened. At most one page is read ahead.
When the caller stops early, the page in flight is awaited and dropped, and the wrapped iterator
is closed, so nothing still uses the client once the caller has moved on.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_END = object()


def read_ahead(pages: Iterator[T], first: object = _END, name: str = "scene-finder-pages") -> Iterator[T]:
    """The items of ``pages``, each next one fetched in a worker thread while the caller holds this one.

    ``first``: a page already in hand, yielded before the others (their fetch starts as it is handed over).
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    try:
        pending = pool.submit(next, pages, _END)
        if first is not _END:
            yield first  # type: ignore[misc]
            del first
        while True:
            page = pending.result()
            if page is _END:
                return
            pending = pool.submit(next, pages, _END)
            yield page
            del page  # not held while the next one is waited for
    finally:
        pool.shutdown(wait=True)  # the page in flight ends (a cancel ends it at once) before ...
        close = getattr(pages, "close", None)
        if close is not None:
            close()  # ... the wrapped generator is closed, in this thread, never while it runs


class CallAhead:
    """One call made ahead of time in a thread of its own, taken later by the caller that wants it.

    A paged search knows its next request as soon as a page's answer is in: sent then, its wait for
    the service overlaps the decoding of the page just received, and the service still sees one
    request at a time. :meth:`take` hands over the result of the call made for the same key, or
    None (no such call, another key, or it failed: the caller makes the call itself, the usual way,
    with its own error handling).
    """

    def __init__(self, name: str = "scene-finder-ahead") -> None:
        self._name = name
        self._pool: ThreadPoolExecutor | None = None
        self._key: object = None
        self._pending = None

    def start(self, key: object, function, *args) -> None:
        self.take(None)  # at most one call ahead: an earlier one ends first
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)
        self._key, self._pending = key, self._pool.submit(function, *args)

    def take(self, key: object):
        pending, made_for = self._pending, self._key
        self._pending = self._key = None
        if pending is None:
            return None
        try:
            result = pending.result()
        except Exception:  # noqa: BLE001 - made again by the caller, whose error handling sees it
            return None
        return result if made_for == key else None

    def close(self) -> None:
        """Wait for a call still running (it uses the caller's session) and end the thread."""
        self.take(None)
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
