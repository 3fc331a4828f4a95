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

    def entries(self, service: str | None = None, route: str | None = None) -> list[LoggedRequest]:
        with self._lock:
            return [
                e for e in self._entries
                if (service is None or e.service == service) and (route is None or e.route == route)
            ]

    def count(self, service: str | None = None, route: str | None = None) -> int:
        return len(self.entries(service, route))

    def routes(self, service: str | None = None) -> list[str]:
        return [e.route for e in self.entries(service)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
