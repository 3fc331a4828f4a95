"""Cancel figure: how long a stalled call takes to give up once cancel is set.

- ``cancel_latency_ms``: the worst, over a few rounds of each kind, of the time from setting the
  cancel check to the call raising CancelledError, for calls the emulator stalls (``stall`` fault,
  90 s, far past the measurement): an M2M call (no answer at all), a Carbon Mapper call (headers
  sent, body stalled), a file download, and an M2M call waiting out a 100 s Retry-After. The cancel
  check is a polled callable, as ``QgsTask.isCanceled`` is.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from ..core.carbonmapper.client import CarbonMapperClient
from ..core.download import Downloader, DownloadItem
from ..core.errors import CancelledError
from ..core.http import make_session
from ..core.m2m import M2MClient
from .common import emulator_for, figure

ROUNDS = 5
STALL = 90.0


def _latency(emulator, service: str, route: str, call) -> float:
    """Seconds from cancel to ``call(cancel_check)`` raising CancelledError, with the request in flight."""
    emulator.log.clear()
    event = threading.Event()
    cancelled_at: list[float] = []

    def cancel_when_sent() -> None:
        deadline = time.monotonic() + 30
        while not emulator.log.count(service, route) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)  # well into the stall (or the Retry-After wait)
        cancelled_at.append(time.monotonic())
        event.set()

    threading.Thread(target=cancel_when_sent, daemon=True).start()
    try:
        call(event.is_set)
    except CancelledError:
        return time.monotonic() - cancelled_at[0]
    raise AssertionError(f"{service} {route}: the call was not cancelled")


def measure(emulator, folder: Path) -> float:
    m2m = M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url)
    m2m.login()
    cm = CarbonMapperClient("demo-carbonmapper-token", base_url=emulator.carbonmapper_url)
    session = make_session()
    worst = 0.0
    try:
        for index in range(ROUNDS):
            def m2m_call(cancel):
                m2m.cancel = cancel
                m2m.call("dataset-search", {"datasetName": "landsat_ot_c2_l2"})

            def cm_call(cancel):
                cm.cancel = cancel
                cm.get_json("catalog/scenes/annotated", {"limit": 1})

            def download(cancel, into=folder / str(index)):
                Downloader(session, into).download(
                    [DownloadItem(emulator.generated_file_url(1 << 20), filename="a.bin")], cancel=cancel)

            emulator.faults.add("m2m", "dataset-search", "stall", seconds=STALL)
            worst = max(worst, _latency(emulator, "m2m", "dataset-search", m2m_call))
            emulator.faults.add("carbonmapper", "catalog/scenes/annotated", "stall", seconds=STALL, after="headers")
            worst = max(worst, _latency(emulator, "carbonmapper", "catalog/scenes/annotated", cm_call))
            emulator.faults.add("files", "*", "stall", seconds=STALL)
            worst = max(worst, _latency(emulator, "files", "generated/1048576.bin", download))
            emulator.faults.add("m2m", "dataset-search", "status", status=429, retry_after=100)
            worst = max(worst, _latency(emulator, "m2m", "dataset-search", m2m_call))
    finally:
        emulator.faults.clear()
        m2m.cancel = None
        m2m.logout()
    return worst


def run(ctx=None) -> dict:
    scratch = getattr(ctx, "scratch", None)
    with emulator_for(ctx) as emulator, tempfile.TemporaryDirectory(prefix="bench-cancel-", dir=scratch) as tmp:
        worst = measure(emulator, Path(tmp))
    return {"cancel_latency_ms": figure(round(worst * 1000, 1), "ms", "<= 1000")}
