"""USGS's download limits in the emulator (fault kinds ``user_download_limit`` and ``concurrent_downloads``,
documented in :mod:`.faults`).

- :func:`check_user_downloads`: called by ``download-request`` with the user's downloads so far; raises the
  M2M error ``RATE_LIMIT_USER_DL`` when the call would pass the limit within the window.
- :class:`Transfers`: file transfers in flight per client; :meth:`Transfers.enter` answers the 429 that
  refuses one more than ``concurrent_downloads`` allows, else counts it until :meth:`Transfers.leave`.
"""

from __future__ import annotations

import json
import threading

from .http import Response

FILE_SERVICES = ("dds", "landsatlook", "files")
USER_DL_MESSAGE = "You have exceeded the number of downloads allowed in 15 minutes"
RATE_LIMIT_MESSAGE = "Rate limit exceeded"
GRACE = 0.5  # seconds a transfer over the limit waits for one that is ending before it is refused


def check_user_downloads(emulator, service: str, route: str, records, asked: int, now: float) -> None:
    """``records``: the user's downloads (with ``created``); raise RATE_LIMIT_USER_DL past the limit."""
    fault = emulator.faults.peek(service, route, "user_download_limit")
    if fault is None:
        return
    window = float(fault.params.get("window", 900.0))
    allowed = int(fault.params.get("downloads", 15000))
    recent = sum(1 for record in records if now - record.created < window)
    if recent + asked > allowed:
        from .m2m.common import M2MError

        raise M2MError("RATE_LIMIT_USER_DL", USER_DL_MESSAGE)


class Transfers:
    """File transfers in flight, per client address."""

    def __init__(self):
        self.lock = threading.Lock()
        self.freed = threading.Condition(self.lock)
        self.running: dict[str, int] = {}
        self.peak = 0  # the most at once (tests)
        self.refused = 0

    def enter(self, emulator, service: str, route: str, client: str) -> Response | None:
        """Count one more transfer for ``client``, or the 429 answer when that passes the limit."""
        if service not in FILE_SERVICES:
            return None
        fault = emulator.faults.peek(service, route, "concurrent_downloads")
        with self.freed:
            if fault is not None:  # a transfer whose last bytes the client already has ends any moment now
                limit = int(fault.params.get("limit", 1))
                self.freed.wait_for(lambda: self.running.get(client, 0) < limit, timeout=GRACE)
            now = self.running.get(client, 0)
            if fault is not None and now >= int(fault.params.get("limit", 1)):
                self.refused += 1
                body = {"errorCode": "RATE_LIMIT", "errorMessage": RATE_LIMIT_MESSAGE, "data": None}
                return Response(429, {"Content-Type": "application/json",
                                      "Retry-After": str(fault.params.get("retry_after", 5))},
                                json.dumps(body).encode())
            self.running[client] = now + 1
            self.peak = max(self.peak, now + 1)
        return None

    def leave(self, service: str, client: str) -> None:
        if service not in FILE_SERVICES:
            return
        with self.freed:
            self.running[client] = max(0, self.running.get(client, 0) - 1)
            self.freed.notify_all()

    def reset(self) -> None:
        with self.lock:
            self.peak = self.refused = 0
