"""Run by the real QGIS desktop at start-up (``qgis --code``) for :mod:`.desktop`; not imported by the plugin.

A 10 ms QTimer on QGIS's main thread records every gap between its ticks while the Scene Finder
dock, as a user drives it, searches 50,000 Landsat scenes (Search pressed), shows them, and
downloads three of them (Download pressed). Also records when the first footprints were drawn on
the map. Writes a JSON report to the path in ``SCENE_FINDER_BENCH_DESKTOP`` and quits QGIS.
"""

import datetime
import json
import os
import sys
import threading
import time
import traceback

from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QTimer
from qgis.utils import iface, plugins

CONFIG = json.loads(os.environ["SCENE_FINDER_BENCH_DESKTOP"])
STATE = {"gaps_ms": [], "errors": [], "long_gaps": [], "events": []}
_keep = []


def _dock():
    return getattr(plugins.get("scene_finder"), "dock", None)


class Ticker:
    """The 10 ms ticks, and a watcher thread that notes what the main thread runs in a long gap (the
    Python stack that called into the work, in ``stalls``: where a stall comes from)."""

    STALL_MS = 90

    def __init__(self):
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.last = None
        self.running = False
        self.main = threading.get_ident()

    def start(self):
        self.last = time.perf_counter()
        self.timer.start()
        self.running = True
        threading.Thread(target=self._watch, daemon=True).start()

    def tick(self):
        now = time.perf_counter()
        gap = (now - self.last) * 1000
        STATE["gaps_ms"].append(gap)
        if gap >= self.STALL_MS / 2:  # when the long gaps came, against the events (see _event)
            STATE["long_gaps"].append([_since_search(self.last), round(gap)])
        self.last = now

    def _watch(self):
        noted = None
        while self.running:
            time.sleep(0.02)
            last = self.last
            if last is None or last == noted or (time.perf_counter() - last) * 1000 < self.STALL_MS:
                continue
            frame = sys._current_frames().get(self.main)
            if frame is not None and len(STATE.setdefault("stalls", [])) < 20:
                STATE["stalls"].append("".join(traceback.format_stack(frame)[-8:]))
            noted = last  # one stack per stall

    def stop(self):
        self.tick()
        self.timer.stop()
        self.running = False


TICKER = Ticker()


def _poll(condition, then, seconds, what):
    timer = QTimer()
    timer.setInterval(50)
    deadline = time.monotonic() + seconds

    def check():
        try:
            done = condition()
        except Exception as error:  # noqa: BLE001 - reported, then QGIS quits
            STATE["errors"].append(f"{what}: {error!r}")
            done = True
        if done or time.monotonic() > deadline:
            timer.stop()
            if not done:
                STATE["errors"].append(f"timed out waiting for {what}")
                _finish()
                return
            try:
                then()
            except Exception as error:  # noqa: BLE001 - reported, then QGIS quits (never left waiting)
                STATE["errors"].append(f"after {what}: {error!r}")
                _finish()

    timer.timeout.connect(check)
    timer.start()
    _keep.append(timer)


def _since_search(moment=None):
    started = STATE.get("search_started")
    return 0 if started is None else round(((moment or time.perf_counter()) - started) * 1000)


def _event(what):
    """A moment of the run, in ms since Search was pressed, to read the long gaps against."""
    STATE["events"].append([_since_search(), what])


def _footprints_shown():
    return any(isinstance(layer, QgsVectorLayer) and layer.featureCount() > 0
               for layer in QgsProject.instance().mapLayers().values())


def _canvas_refreshed():
    if "first_footprints_ms" not in STATE and "search_started" in STATE and _footprints_shown():
        STATE["first_footprints_ms"] = (time.perf_counter() - STATE["search_started"]) * 1000


def _start():
    plugin = plugins.get("scene_finder")
    if plugin is None:
        STATE["errors"].append("the plugin is not loaded")
        _finish()
        return
    plugin.toggle_action.setChecked(True)
    iface.mapCanvas().mapCanvasRefreshed.connect(_canvas_refreshed)
    iface.mapCanvas().mapCanvasRefreshed.connect(lambda: _event("map drawn"))
    QgsProject.instance().layerWasAdded.connect(lambda layer: _event(f"layer added: {layer.name()}"))
    iface.mapCanvas().setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    iface.mapCanvas().setExtent(QgsRectangle(-180, -85, 180, 85))
    QTimer.singleShot(1000, _search)


def _search():
    dock = _dock()
    dock.form.start_edit.setDate(QDate(datetime.date(2013, 1, 1)))
    dock.form.end_edit.setDate(QDate(datetime.date(2026, 1, 1)))
    dock.form.limit_spin.setValue(CONFIG["rows"])
    dock.form.cloud_spin.setValue(100)
    dock.aoi.max_area_km2 = 1e12
    dock.aoi.set_rectangle(QgsRectangle(-180, -85, 180, 85), QgsCoordinateReferenceSystem("EPSG:4326"))
    TICKER.start()
    STATE["search_started"] = time.perf_counter()
    dock.search_button.click()  # what pressing Search does
    if dock.search_task is None:
        STATE["errors"].append(f"the search did not start: {dock.search_status.text()}")
        _finish()
        return
    _poll(lambda: dock.search_task is None and dock.results.reader_task is None
          and dock.results.model.rowCount() >= CONFIG["rows"], _download, 600, "the search's rows")


def _download():
    dock = _dock()
    STATE["rows"] = dock.results.model.rowCount()
    _event("all rows in the table")
    STATE["search_seconds"] = time.perf_counter() - STATE["search_started"]
    _canvas_refreshed()
    dock.results.select_keys([row.key for row in dock.results.model.rows[:CONFIG["downloads"]]])
    STATE["download_started"] = time.perf_counter()
    dock.download.start()  # what pressing Download does
    STATE["download_task_started"] = dock.download.task is not None
    _poll(lambda: dock.download.task is None and len(_opened()) >= CONFIG["downloads"], _downloaded, 600,
          "the downloads opened as layers")


def _opened():
    return [layer for layer in QgsProject.instance().mapLayers().values() if layer.name().endswith("true colour")]


def _downloaded():
    STATE["download_seconds"] = time.perf_counter() - STATE["download_started"]
    _event("downloads opened")
    STATE["downloaded"] = sorted(os.listdir(CONFIG["download_folder"])) if os.path.isdir(
        CONFIG["download_folder"]) else []
    QTimer.singleShot(500, _finish)  # what follows the last layer load


def _finish():
    TICKER.stop()
    with open(CONFIG["report"], "w", encoding="utf-8") as handle:
        json.dump(STATE, handle)
    QgsApplication.taskManager().cancelAll()
    QTimer.singleShot(500, _exit)


def _exit():
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().setDirty(False)
    iface.actionExit().trigger()


QTimer.singleShot(2000, _start)
