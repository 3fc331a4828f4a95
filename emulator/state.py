"""Shared pieces of emulator state: a clock tests control and the request log."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


class Clock:
    """Wall-clock time plus an offset that tests move forward (``advance``)."""

    def __init__(self):
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds


@dataclass
class LoggedRequest:
    service: str
    method: str
    route: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int = 0
    bytes_sent: int = 0
    started: float = field(default_factory=time.time)
    host: str = ""  # the address the request arrived at (127.0.0.1, or the other host 127.0.0.2)
    # Set once the response has been sent, so readers see its final status and byte count.
    completed: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    def json(self):
        import json

        return json.loads(self.body) if self.body.strip() else None


class RequestLog:
    """Every request the emulator received, for tests to count calls and check headers."""

    def __init__(self):
        self._entries: list[LoggedRequest] = []
        self._lock = threading.Lock()

    def append(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(
        self, service: str | None = None, route: str | None = None, settle_seconds: float = 1.0
    ) -> list[LoggedRequest]:
        """The matching requests. A client may get its answer a moment before the server thread
        records what it sent, so responses still in flight are waited for (``settle_seconds`` in all)."""
        with self._lock:
            found = [
                e for e in self._entries
                if (service is None or e.service == service) and (route is None or e.route == route)
            ]
        deadline = time.monotonic() + settle_seconds
        for entry in found:
            entry.completed.wait(max(0.0, deadline - time.monotonic()))
        return found

    def count(self, service: str | None = None, route: str | None = None) -> int:
        return len(self.entries(service, route, settle_seconds=0))

    def routes(self, service: str | None = None) -> list[str]:
        return [e.route for e in self.entries(service, settle_seconds=0)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
