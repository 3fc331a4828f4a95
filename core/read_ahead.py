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
