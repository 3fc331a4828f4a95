"""Pacing the queue to USGS's published limits, and backing off when USGS says a limit is reached.

USGS counts, per user and per IP address (``rate-limit-summary``; see the M2M reference):

- downloads requested in the past 15 minutes (``recentDownloadCount``, 15,000 at first);
- pending downloads (``pendingDownloadCount``, 20,000) and unattempted ones (``unattemptedDownloadCount``,
  20,000).

Beyond them ``download-request`` answers ``RATE_LIMIT_USER_DL``; too many calls or streams at once
answer ``RATE_LIMIT`` (or HTTP 429 with Retry-After). The queue keeps under the first by itself
(a sliding 15-minute window of the downloads it requested), runs at most ``concurrent`` files at once,
asks for at most ``batch`` downloads per ``download-request`` (1,000, as USGS's large requests fail
beyond that), and on a rate-limit answer waits: Retry-After when the answer has one, else the rest of
the 15-minute window for ``RATE_LIMIT_USER_DL`` and a growing wait (30 s, 1, 2, 4... min, at most 15)
for ``RATE_LIMIT``. Waiting never fails an item.

Pure: the clock is passed in, so the rules are tested without waiting.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

WINDOW = 900.0  # seconds: USGS counts downloads requested in the past 15 minutes
REQUESTS_PER_WINDOW = 15000  # recentDownloadCount of rate-limit-summary's initialLimits
BATCH = 1000  # downloads per download-request call
CONCURRENT = 3  # files transferred at once (USGS publishes no figure; its hosts answer 429 beyond theirs)
MAX_CONCURRENT = 8
FIRST_BACKOFF = 30.0
EPSILON = 1e-6  # a wait that ends exactly at the window's edge must not end a rounding error early
MAX_BACKOFF = WINDOW


@dataclass(frozen=True)
class Limits:
    requests_per_window: int = REQUESTS_PER_WINDOW
    window: float = WINDOW
    batch: int = BATCH
    concurrent: int = CONCURRENT

    def __post_init__(self):
        if self.requests_per_window < 1 or self.window <= 0 or self.batch < 1 or self.concurrent < 1:
            raise ValueError("queue limits must be positive")


class Pacer:
    """How many downloads the queue may request now, and how long it must wait otherwise."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.requested: deque[tuple[float, int]] = deque()  # (when, how many) within the window
        self.blocked_until = 0.0
        self.blocked_code: str | None = None
        self.backoffs = 0  # RATE_LIMIT answers in a row

    def _prune(self, now: float) -> None:
        while self.requested and now - self.requested[0][0] >= self.limits.window:
            self.requested.popleft()

    def used(self, now: float) -> int:
        """Downloads requested in the window that ends at ``now`` (asking about a later time forgets nothing)."""
        return sum(count for when, count in self.requested if now - when < self.limits.window)

    def allowance(self, now: float) -> int:
        """Downloads that may be requested now in one call (0 while blocked or the window is full)."""
        if now < self.blocked_until:
            return 0
        return max(0, min(self.limits.batch, self.limits.requests_per_window - self.used(now)))

    def record(self, now: float, count: int) -> None:
        """``count`` downloads were requested at ``now`` (a call that went through)."""
        self._prune(now)
        if count > 0:
            self.requested.append((now, int(count)))
        self.backoffs = 0
        self.blocked_code = None

    def wait(self, now: float) -> float:
        """Seconds until at least one download may be requested."""
        if now < self.blocked_until:
            return self.blocked_until - now
        if self.allowance(now) > 0:
            return 0.0
        freed = self.limits.requests_per_window - self.used(now)
        for when, count in self.requested:  # oldest first: when enough of them leave the window
            if now - when >= self.limits.window:
                continue
            freed += count
            if freed > 0:
                return max(0.0, when + self.limits.window - now) + EPSILON
        return 0.0  # pragma: no cover - the window is empty, so allowance was positive

    def back_off(self, now: float, code: str | None, retry_after: float | None = None) -> float:
        """USGS answered a rate limit: block requests for a while; the seconds to wait."""
        self.backoffs += 1
        if retry_after is not None and retry_after > 0:
            seconds = min(float(retry_after), MAX_BACKOFF)
        elif code == "RATE_LIMIT_USER_DL":
            # its window is 15 minutes: what we requested leaves it then; asked by others, wait it whole
            oldest = self.requested[0][0] if self.requested else now
            seconds = max(oldest + self.limits.window - now, FIRST_BACKOFF) if self.requested else self.limits.window
        else:
            seconds = min(FIRST_BACKOFF * (2 ** (self.backoffs - 1)), MAX_BACKOFF)
        self.blocked_until = max(self.blocked_until, now + seconds)
        self.blocked_code = code or "RATE_LIMIT"
        return self.blocked_until - now

    def blocked(self, now: float) -> bool:
        return now < self.blocked_until

    def seed(self, now: float, headroom: int | None) -> None:
        """USGS says only ``headroom`` more downloads may be requested now (``rate-limit-summary``: what
        this account or address used before this run, here or elsewhere): count the rest as requested now."""
        if headroom is None:
            return
        used = self.limits.requests_per_window - max(0, int(headroom))
        if used > self.used(now):
            self.requested.append((now, used - self.used(now)))


def headroom_from_summary(data) -> int | None:
    """The fewest downloads any of USGS's counts still allows (``rate-limit-summary``'s ``remainingLimits``:
    recent, pending and unattempted downloads, per user and per IP address); None when it says nothing."""
    found = []
    limits = data.get("remainingLimits") if isinstance(data, dict) else None
    for entry in limits if isinstance(limits, list) else []:
        if not isinstance(entry, dict):
            continue
        for key in ("recentDownloadCount", "pendingDownloadCount", "unattemptedDownloadCount"):
            value = entry.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                found.append(value)
    return min(found) if found else None


def describe_wait(seconds: float) -> str:
    """"waiting 4 min", "waiting 40 s"."""
    seconds = max(0.0, seconds)
    if seconds >= 90:
        return f"waiting {round(seconds / 60)} min"
    return f"waiting {max(1, round(seconds))} s"
