"""Download queue figures: 1,000 scenes through the persistent queue.

- ``queue_1000_requests``: the M2M calls (login, download-options, download-request, logout; the
  ``download-retrieve`` polls are counted apart and printed) that the queue makes to plan and fetch
  1,000 Landsat bundles, per 100 scenes. Target: at most 1 per 100 scenes (plus polls).
- ``queue_1000_peak_rss_mb``: the peak RSS (VmHWM) of the child process that runs that queue (store,
  pacing, engine, downloader; no QGIS) until the 1,000 bundles are on disk. Target: at most 150 MB.
- ``queue_ui_stall_max_ms``: the longest gap between ticks of a 10 ms timer on the main thread of an
  offscreen QGIS showing the Downloads tab over a queue of 1,000 items while a worker thread updates
  the bytes and speed of all 1,000 (every 100 ms, as the engine does for its running files, only far
  more of them), for 10 s. Target: at most 100 ms (as :mod:`.ui` measures stalls).

The scenes are found by one scene-search in this process; only the queue's calls are counted.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from .common import figure

SCENES = 1000
TARGET_CALLS_PER_100 = 1.0
TARGET_RSS_MB = 150
TARGET_STALL_MS = 100
UI_SECONDS = 10.0

RUN_CHILD = """
import json, sys, threading
from contextlib import contextmanager
from scene_finder.core.m2m import M2MClient
from scene_finder.core.queue import NewItem, QueueEngine, QueueStore

m2m_url, ids_file, folder, queue_file = sys.argv[1:5]
ids = json.loads(open(ids_file).read())
store = QueueStore(queue_file)
store.add(NewItem("landsat_ot_c2_l2", entity, "bundle", folder) for entity in ids)

@contextmanager
def connect(cancel):
    with M2MClient("demo", "demo-application-token", base_url=m2m_url, cancel=cancel) as client:
        yield client

QueueEngine(store, connect).run(threading.Event())
hwm_kb = 0
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            hwm_kb = int(line.split()[1])
print(json.dumps({"counts": store.counts(), "peak_rss_mb": hwm_kb / 1024}))
"""


def _scene_ids(emulator, count: int) -> list[str]:
    from shapely.geometry import box

    from ..core.m2m import M2MClient
    from ..core.m2m.search import search_scenes
    from ..emulator.m2m.products import bundle_available

    catalog = emulator.service("m2m").catalog.ensure()
    with M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url) as client:
        found = search_scenes(client, aoi=box(-125, 25, -66, 50), start="2022-01-01", end="2023-12-31",
                              limit=3 * count)
        ids = [s.entity_id for s in found if bundle_available(catalog.by_entity[s.entity_id])][:count]
    if len(ids) < count:
        raise RuntimeError(f"the emulated catalog gave {len(ids)} downloadable scenes, not {count}")
    return ids


def run(ctx) -> dict:
    emulator = ctx.emulator
    folder = ctx.scratch_dir("queue")
    ids = _scene_ids(emulator, SCENES)
    ids_file = folder / "ids.json"
    ids_file.write_text(json.dumps(ids), encoding="utf-8")
    emulator.log.clear()
    child = ctx.run_python(RUN_CHILD, emulator.m2m_url, str(ids_file), str(folder / "files"),
                           str(folder / "queue.sqlite"), timeout=1800)
    if child.returncode != 0:
        raise RuntimeError(f"queue bench child failed: {child.stderr.strip()[-3000:]}")
    report = json.loads(child.stdout.strip().splitlines()[-1])
    if report["counts"]["done"] != SCENES:
        raise RuntimeError(f"the queue did not download every scene: {report['counts']}")
    routes = emulator.log.routes("m2m")
    polls = routes.count("download-retrieve")
    calls = len(routes) - polls
    print(f"   1,000 bundles in {child.seconds:.1f} s: {calls} M2M calls ({', '.join(sorted(set(routes)))}) "
          f"+ {polls} download-retrieve polls; peak RSS {report['peak_rss_mb']:.0f} MB", file=sys.stderr)

    ui = ctx.run_python("import sys; from scene_finder.bench.download_queue import ui_main; "
                        "sys.exit(ui_main(sys.argv[1:]))",
                        str(folder / "ui.sqlite"), timeout=600)
    if ui.returncode != 0:
        raise RuntimeError(f"queue UI bench child failed: {ui.stderr.strip()[-3000:]}")
    stall = json.loads(ui.stdout.strip().splitlines()[-1])
    print(f"   Downloads tab, 1,000 items updating for {UI_SECONDS:.0f} s: {stall['updates']:,} item updates, "
          f"{stall['refreshes']} view refreshes, max stall {stall['stall_ms']:.0f} ms", file=sys.stderr)
    return {
        "queue_1000_requests": figure(round(calls * 100 / SCENES, 2), "calls per 100 scenes",
                                      f"<= {TARGET_CALLS_PER_100:g}"),
        "queue_1000_peak_rss_mb": figure(round(report["peak_rss_mb"], 1), "MB", f"<= {TARGET_RSS_MB}"),
        "queue_ui_stall_max_ms": figure(round(stall["stall_ms"], 1), "ms", f"<= {TARGET_STALL_MS}"),
    }


# --- child side: the Downloads tab while 1,000 items update ---------------------------------------
def ui_main(argv: list[str]) -> int:
    import threading
    import time

    from .ui import StallMeter, start_qgis, wait_until

    app = start_qgis()
    from ..core.queue import NewItem, QueueStore
    from ..ui.queue_tab import QueueTab

    class Runner:  # the tab's view of a runner: its store, a status signal (never emitted here)
        def __init__(self, store):
            from qgis.PyQt.QtCore import QObject, pyqtSignal

            class Signals(QObject):
                status_changed = pyqtSignal(str)

            self.signals = Signals()
            self.status_changed = self.signals.status_changed
            self.store = store

        def open(self) -> int:
            return 0

        def shutdown(self) -> None:
            pass

    store = QueueStore(argv[0] if argv else Path(tempfile.mkdtemp()) / "ui.sqlite")
    ids = store.add(NewItem("landsat_ot_c2_l2", f"LC9{n:017d}", "bundle", "/tmp/q") for n in range(SCENES))
    store.take(SCENES)
    tab = QueueTab(Runner(store))
    tab.resize(900, 700)
    tab.show()
    tab.open()
    meter = StallMeter()
    stop = threading.Event()
    updates = [0]

    def writer() -> None:
        done = 0
        while not stop.is_set():
            done += 250_000
            store.progress({item_id: (done, 286_720_000, 2_500_000.0) for item_id in ids})
            updates[0] += len(ids)
            stop.wait(0.1)

    worker = threading.Thread(target=writer)
    meter.start()
    worker.start()
    ends = time.monotonic() + UI_SECONDS
    wait_until(lambda: time.monotonic() > ends, UI_SECONDS + 30)
    stop.set()
    worker.join()
    stall_ms = meter.stop()
    shown = tab.model.data(tab.model.index(SCENES - 1, 3))
    if not shown or " of " not in shown:
        raise RuntimeError(f"the tab did not show the updates: {shown!r}")
    print(json.dumps({"stall_ms": stall_ms, "updates": updates[0], "refreshes": tab.model.refreshes}), flush=True)
    tab.timer.stop()
    store.close()
    del app
    os._exit(0)  # skip the teardown of offscreen widgets: it can crash and adds nothing
