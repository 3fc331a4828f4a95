"""An offscreen dock with a stub iface: helpers for ``tools/screenshots.py``, and a quick stall check.

Not one of ``make bench``'s modules any more: the UI figures come from the real QGIS desktop
(:mod:`.desktop`). ``python -c "from scene_finder.bench import ui"``'s ``run(ctx)`` still gives the
offscreen figure below, for a quick look without Xvfb.

UI responsiveness: the longest the QGIS main thread is blocked while the dock works.

``ui_max_stall_ms``: a QTimer ticks every 10 ms on the main thread and records the longest gap
between two ticks, while (1) the dock runs a 50,000-scene Landsat search to the end (footprints
layer added, results table filled and linked to the layer) and (2) a 1 GiB file is downloaded by a
Scene Finder task whose progress (bytes, ETA) is shown in the dock's download section. A gap is
the time the event loop could not run: what a user feels as a frozen QGIS. Target: at most 100 ms.

The measurement runs in a child interpreter with its own offscreen QgsApplication (a clean main
thread); the emulator keeps running in the benchmark's process, so serving does not count.
The child's helpers (:class:`HeadlessInterface`, :func:`make_dock`) are also what
``tools/screenshots.py`` uses.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from .common import figure

TARGET_MS = 100
TICK_MS = 10
DOWNLOAD_SIZE = 1 << 30
WORLD = (-180.0, -85.0, 180.0, 85.0)


def run(ctx) -> dict:
    emulator = ctx.emulator
    folder = ctx.scratch_dir("ui")
    child = ctx.run_python("import sys; from scene_finder.bench.ui import main; sys.exit(main(sys.argv[1:]))",
                           emulator.m2m_url, emulator.carbonmapper_url,
                           emulator.generated_file_url(DOWNLOAD_SIZE), str(folder), timeout=1200)
    if child.returncode != 0:
        raise RuntimeError(f"UI bench child failed: {child.stderr.strip()[-3000:]}")
    report = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"   search of {report['scenes']:,} scenes: {report['search_seconds']:.1f} s, max stall "
          f"{report['search_stall_ms']:.0f} ms; 1 GiB download: {report['download_seconds']:.1f} s, max stall "
          f"{report['download_stall_ms']:.0f} ms", file=sys.stderr)
    worst = max(report["search_stall_ms"], report["download_stall_ms"])
    return {"ui_max_stall_ms": figure(worst, "ms", f"<= {TARGET_MS}")}


# --- child side -------------------------------------------------------------------------------
def headless_interface_class():
    """A minimal ``iface`` for an offscreen dock: canvas, message bar, main window, active layer."""
    from qgis.core import QgsMapLayer
    from qgis.gui import QgsMapCanvas, QgsMessageBar
    from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
    from qgis.PyQt.QtWidgets import QMainWindow, QVBoxLayout, QWidget

    class HeadlessInterface(QObject):
        currentLayerChanged = pyqtSignal(QgsMapLayer)  # noqa: N815 - the iface signal's name

        def __init__(self):
            super().__init__()
            self.window = QMainWindow()
            central = QWidget(self.window)
            layout = QVBoxLayout(central)
            layout.setContentsMargins(0, 0, 0, 0)
            self.bar = QgsMessageBar(central)
            self.canvas = QgsMapCanvas(central)
            layout.addWidget(self.bar)
            layout.addWidget(self.canvas, 1)
            self.window.setCentralWidget(central)
            # What QGIS does for its own canvas: show the project's layer tree on the map.
            from qgis.core import QgsProject
            from qgis.gui import QgsLayerTreeMapCanvasBridge

            self.bridge = QgsLayerTreeMapCanvasBridge(QgsProject.instance().layerTreeRoot(), self.canvas)
            self.active = None
            self.log_opened = False
            self._dock_area = Qt.DockWidgetArea.RightDockWidgetArea

        def mapCanvas(self):
            return self.canvas

        def messageBar(self):
            return self.bar

        def mainWindow(self):
            return self.window

        def activeLayer(self):
            return self.active

        def setActiveLayer(self, layer):
            self.active = layer
            self.currentLayerChanged.emit(layer)
            return True

        def openMessageLog(self):
            self.log_opened = True

        def addDockWidget(self, area, dock):
            self.window.addDockWidget(area or self._dock_area, dock)

    return HeadlessInterface


class StallMeter:
    """Longest gap between ticks of a 10 ms timer on the main thread."""

    def __init__(self, interval_ms: int = TICK_MS):
        from qgis.PyQt.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.max_gap = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.max_gap = 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.max_gap * 1000

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now


def wait_until(condition, timeout: float) -> None:
    """Run the real event loop until ``condition()`` (checked every 20 ms) or the timeout."""
    from qgis.PyQt.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    checker = QTimer()
    checker.setInterval(20)
    deadline = time.monotonic() + timeout

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    checker.timeout.connect(check)
    checker.start()
    loop.exec()
    checker.stop()
    if not condition():
        raise TimeoutError("the dock did not finish in time")


def start_qgis():
    """An offscreen QGIS with a throwaway profile, so the user's own QGIS settings are left alone."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], True, tempfile.mkdtemp(prefix="scene_finder_profile_"))
    app.initQgis()
    from ..gis.log import install_log_handler

    install_log_handler()
    return app


def make_dock(iface=None):
    """A Scene Finder dock in a headless main window (QGIS must be started)."""
    from qgis.PyQt.QtCore import Qt

    from ..ui.dock import SceneFinderDock

    iface = iface or headless_interface_class()()
    dock = SceneFinderDock(iface, iface.mainWindow())
    iface.mainWindow().addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    return iface, dock


def _search(iface, dock, meter: StallMeter) -> tuple[int, float, float]:
    import datetime

    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle
    from qgis.PyQt.QtCore import QDate

    dock.form.start_edit.setDate(QDate(datetime.date(2013, 1, 1)))
    dock.form.end_edit.setDate(QDate(datetime.date(2026, 1, 1)))
    dock.form.limit_spin.setValue(50_000)
    dock.form.cloud_spin.setValue(100)
    dock.aoi.max_area_km2 = 1e12
    dock.aoi.set_rectangle(QgsRectangle(*WORLD), QgsCoordinateReferenceSystem("EPSG:4326"))
    started = time.perf_counter()
    meter.start()
    dock.search_button.click()
    if dock.search_task is None:
        raise RuntimeError(f"the search did not start: {dock.search_status.text()}")
    wait_until(lambda: dock.search_task is None and dock.results.reader_task is None
               and dock.results.model.rowCount() > 0, timeout=900)
    # a user now scrolls and selects: include a selection round trip through the layer
    dock.results.select_keys([row.key for row in dock.results.model.rows[:500]])
    wait_until(lambda: True, timeout=0.2)
    stall = meter.stop()
    return dock.results.model.rowCount(), time.perf_counter() - started, stall


def _download(dock, url: str, folder: Path, meter: StallMeter) -> tuple[float, float]:
    from ..core.download import Downloader, DownloadItem
    from ..gis.network import make_qgis_session
    from ..gis.tasks.base import SceneFinderTask, start_task

    class BigDownloadTask(SceneFinderTask):
        def __init__(self):
            super().__init__("Scene Finder: 1 GiB download")
            self.session = make_qgis_session()

        def work(self):
            downloader = Downloader(self.session, folder)
            [result] = downloader.download([DownloadItem(url, filename="big.bin")], cancel=self.cancel_check,
                                           progress=self._progress)
            if result.status != "done":
                raise result.error or RuntimeError("download failed")
            return result

        def _progress(self, detail) -> None:
            if detail.bytes_total:
                self.report_progress(100.0 * detail.bytes_done / detail.bytes_total)
            self.report_detail(detail)

    task = BigDownloadTask()
    done = []
    task.add_callbacks(lambda result: done.append(result), lambda error: done.append(error))
    task.progressChanged.connect(dock.downloads.show_progress)
    task.detailChanged.connect(dock.downloads.show_detail)
    dock.downloads.started("Downloading 1 GiB…")
    started = time.perf_counter()
    meter.start()
    start_task(task)
    wait_until(lambda: bool(done), timeout=900)
    stall = meter.stop()
    if isinstance(done[0], Exception):
        raise done[0]
    dock.downloads.finished("done")
    (folder / "big.bin").unlink(missing_ok=True)
    return time.perf_counter() - started, stall


def main(argv: list[str]) -> int:
    m2m_url, carbonmapper_url, file_url, folder = argv
    os.environ.update({"SCENE_FINDER_M2M_URL": m2m_url, "SCENE_FINDER_CARBONMAPPER_URL": carbonmapper_url,
                       "SCENE_FINDER_M2M_USERNAME": "demo", "SCENE_FINDER_M2M_TOKEN": "demo-application-token"})
    app = start_qgis()
    iface, dock = make_dock()
    iface.mainWindow().resize(1400, 900)
    iface.mainWindow().show()
    meter = StallMeter()
    scenes, search_seconds, search_stall = _search(iface, dock, meter)
    download_seconds, download_stall = _download(dock, file_url, Path(folder), meter)
    dock.shutdown()
    print(json.dumps({"scenes": scenes, "search_seconds": search_seconds, "search_stall_ms": search_stall,
                      "download_seconds": download_seconds, "download_stall_ms": download_stall}), flush=True)
    del app
    os._exit(0)  # skip Qt/QGIS teardown of the offscreen widgets: it can crash and adds nothing
