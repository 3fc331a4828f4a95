"""Cooperative cancellation for long work.

Core functions take ``cancel``: a callable returning True once the user cancelled (a
``QgsTask.isCanceled`` for instance), a :class:`threading.Event`, or None (never cancelled).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Union

from .errors import CancelledError

CancelCheck = Union[Callable[[], bool], threading.Event, None]  # evaluated: no X | Y before 3.10

# How often an interruptible wait looks at the cancel check.
POLL_SECONDS = 0.1


def is_cancelled(cancel: CancelCheck) -> bool:
    """True when ``cancel`` says the work should stop."""
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


def raise_if_cancelled(cancel: CancelCheck) -> None:
    """Raise :class:`CancelledError` when ``cancel`` says so."""
    if is_cancelled(cancel):
        raise CancelledError()


def sleep(seconds: float, cancel: CancelCheck = None) -> None:
    """Wait ``seconds``, looking at ``cancel`` at least every 0.1 s; raise CancelledError on cancel."""
    deadline = time.monotonic() + max(0.0, seconds)
    raise_if_cancelled(cancel)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        if isinstance(cancel, threading.Event):
            if cancel.wait(min(POLL_SECONDS, left)):
                raise CancelledError()
        else:
            time.sleep(min(POLL_SECONDS, left))
            raise_if_cancelled(cancel)


def with_grace(cancel: CancelCheck, seconds: float) -> CancelCheck:
    """A cancel check that says stop ``seconds`` after it first saw ``cancel`` say so (None: None).

    For short clean-up calls still worth trying after a cancel (a logout), which must not hang.
    """
    if cancel is None:
        return None
    since: list[float] = []

    def check() -> bool:
        if not is_cancelled(cancel):
            return False
        if not since:
            since.append(time.monotonic())
        return time.monotonic() - since[0] >= seconds

    return check
