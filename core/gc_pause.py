"""The cyclic garbage collector paused while big answers are decoded and turned into records.

Decoding a 10,000-scene page makes hundreds of thousands of objects, none of them in a cycle; with the
collector on, every few hundred allocations start a pass that scans everything still alive (the pages
and scenes held so far). Pausing it is what keeps decoding near the speed of ``json.loads`` alone.

The collector is one switch for the whole process, and a search may decode its next page in one thread
while another thread turns the previous page into scenes: the pauses are counted, and the collector
comes back on (if it was on) only when the last one ends.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_resume = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
