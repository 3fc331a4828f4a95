"""Cancelling a QgsTask ends it promptly while its HTTP call is stalled (the emulator's ``stall`` fault)."""

from __future__ import annotations

import time

from shapely.geometry import box
from support.tasks import Recorder

from scene_finder.core.errors import CancelledError
from scene_finder.gis.tasks.base import running_tasks, start_task
from scene_finder.gis.tasks.m2m import M2MSearchTask, SearchParams

DEMO = ("demo", "demo-application-token")
HANG_GUARD = 10.0  # seconds; the stall lasts 90 s (and the read timeout is 300 s)


def test_cancel_ends_a_search_task_stalled_in_scene_search(emulator, tmp_path, qgis_app, qtbot):
    emulator.faults.add("m2m", "scene-search", "stall", seconds=90)
    params = SearchParams(aoi=box(-76.6, 35.8, -75.6, 36.3), start="2023-03-01", end="2023-04-01")
    task = M2MSearchTask(DEMO, params, tmp_path / "search.gpkg", base_url=emulator.m2m_url)
    recorder = Recorder(task)
    start_task(task)
    qtbot.waitUntil(lambda: emulator.log.count("m2m", "scene-search") > 0 or bool(recorder.errors), timeout=20_000)
    qtbot.wait(300)  # well into the stall
    cancelled_at = time.monotonic()
    task.cancel()
    qtbot.waitUntil(lambda: bool(recorder.results or recorder.errors), timeout=120_000)
    assert time.monotonic() - cancelled_at < HANG_GUARD
    assert isinstance(recorder.errors[0], CancelledError) and recorder.results == []
    assert not (tmp_path / "search.gpkg").exists()
    assert emulator.log.count("m2m", "scene-search") == 1  # not sent again after the cancel
    qtbot.waitUntil(lambda: emulator.log.count("m2m", "logout") == 1, timeout=10_000)
    qtbot.waitUntil(lambda: task not in running_tasks(), timeout=10_000)
