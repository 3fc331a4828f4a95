"""A shaped link between the emulator and its clients: latency per request, one bandwidth cap for all.

Loopback answers in microseconds at gigabytes per second, which is not what a user's network does.
``Emulator(shape=LinkShape(latency_ms=150, bandwidth_mbit=200))`` (or ``emulator.set_shape(...)``,
or ``python -m scene_finder.emulator --latency-ms 150 --bandwidth-mbit 200``) makes every answer
wait ``latency_ms`` before its first byte and sends every body through one shared pipe of
``bandwidth_mbit``: two downloads at once share the 200 Mbit/s, as on a real link.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass

# Bodies are sent in pieces of this size through a limited link, so that concurrent answers
# interleave (about 10 ms of a 200 Mbit/s link).
CHUNK = 256 << 10


@dataclass(frozen=True)
class LinkShape:
    latency_ms: float = 0.0  # added before each answer's first byte
    bandwidth_mbit: float = 0.0  # 0: no cap; otherwise the cap shared by all answers' bodies

    @property
    def bytes_per_second(self) -> float:
        return self.bandwidth_mbit * 1e6 / 8


class Link:
    """The shape in force and the shared pipe's clock."""

    def __init__(self, shape: LinkShape | None = None):
        self._lock = threading.Lock()
        self._free_at = 0.0  # when the pipe has sent everything handed to it so far
        self.shape = shape or LinkShape()

    def set(self, shape: LinkShape | None) -> None:
        with self._lock:
            self.shape = shape or LinkShape()
            self._free_at = 0.0

    @property
    def limited(self) -> bool:
        return self.shape.bandwidth_mbit > 0

    def wait_latency(self, stopping: threading.Event) -> None:
        if self.shape.latency_ms > 0:
            stopping.wait(self.shape.latency_ms / 1000)

    def pace(self, count: int) -> None:
        """Block until ``count`` more bytes have passed the shared pipe (no-op when unlimited)."""
        shape = self.shape
        if shape.bandwidth_mbit <= 0 or count <= 0:
            return
        with self._lock:
            now = time.monotonic()
            self._free_at = max(now, self._free_at) + count / shape.bytes_per_second
            wake = self._free_at
        left = wake - time.monotonic()
        if left > 0:
            time.sleep(left)


def drain(connection: socket.socket, timeout: float) -> None:
    """Wait until the kernel has sent (and had acknowledged) what was written to ``connection`` (Linux)."""
    try:
        import fcntl
        import termios
    except ImportError:  # pragma: no cover - not Linux
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            queued = struct.unpack("i", fcntl.ioctl(connection.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0]
        except OSError:
            return
        if queued <= 0:
            return
        time.sleep(0.005)
