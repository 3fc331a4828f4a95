"""The task base (never raises, signals and callbacks on the main thread, cancel) and the M2M tasks."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from osgeo import ogr
from qgis.core import QgsProject, QgsTask
from qgis.PyQt.QtCore import QThread
from shapely.geometry import box
from support.tasks import Recorder, run_sync

from scene_finder.core.errors import AuthError, AuthInvalidError, CancelledError, SceneFinderError
from scene_finder.core.m2m import M2MClient, PollPolicy, search_scenes
from scene_finder.gis.styles import GROUP_NAME
from scene_finder.gis.tasks import base
from scene_finder.gis.tasks.base import SceneFinderTask, cancel_all, describe_progress, running_tasks, start_task
from scene_finder.gis.tasks.m2m import (
    M2MDownloadTask,
    M2MSearchTask,
    SearchDetail,
    SearchParams,
    add_to_scene_finder_group,
)

DEMO = ("demo", "demo-application-token")


# --- the base ---------------------------------------------------------------------------
class Answer(SceneFinderTask):
    def work(self):
        for percent in range(0, 101, 1):
            self.report_progress(percent)
        self.report_detail("half way")
        return 42


class Broken(SceneFinderTask):
    def __init__(self, error, **kw):
        super().__init__("broken", **kw)
        self.to_raise = error

    def work(self):
        raise self.to_raise


class UntilCancelled(SceneFinderTask):
    def __init__(self, **kw):
        super().__init__("waits for cancel", **kw)
        self.started = threading.Event()

    def work(self):
        self.started.set()
        while not self.isCanceled():
            self.report_detail(time.monotonic())
            time.sleep(0.01)
        return "stopped"


def test_success_reaches_signal_and_callbacks(qgis_app):
    seen = []
    task = Answer("answer", on_success=seen.append, on_error=pytest.fail)
    recorder = Recorder(task)
    run_sync(task)
    assert task.result == 42 and task.error is None
    assert seen == [42] and recorder.results == [42] and recorder.errors == []
    assert task.progress() == 100 and recorder.details == ["half way"]
    assert bool(task.flags() & QgsTask.Flag.CanCancel)
    assert task not in running_tasks()


def test_errors_are_stored_logged_and_reported_never_raised(qgis_app, caplog):
    errors = []
    task = run_sync(Broken(AuthError(service_message="AUTH_INVALID bad token"), on_error=errors.append))
    assert isinstance(task.error, AuthError) and errors == [task.error]
    assert "AUTH_INVALID bad token" in caplog.text

    task = run_sync(Broken(KeyError("token=s3cr3t-value")))
    assert type(task.error) is SceneFinderError and "KeyError" in str(task.error)
    assert "s3cr3t-value" not in str(task.error)
    assert isinstance(task.error.__cause__, KeyError)


def test_a_failing_callback_does_not_stop_the_others(qgis_app):
    seen = []
    task = Answer("answer", on_success=lambda _: 1 / 0)
    task.add_callbacks(on_success=seen.append)
    run_sync(task)
    assert seen == [42]


def test_progress_is_throttled(qgis_app):
    task = Answer("answer")
    emitted = []
    task.progressChanged.connect(emitted.append)
    task.report_progress(10.0)
    for step in range(1000):
        task.report_progress(10.0 + step / 10_000)  # within the same whole percent
    assert len(emitted) <= 3
    task.report_progress(11.0)
    assert emitted[-1] == 11.0


def test_through_the_task_manager_and_cancel_all(qgis_app, qtbot):
    task = UntilCancelled()
    recorder = Recorder(task)
    start_task(task)
    assert task in running_tasks()
    assert task.started.wait(10)
    qtbot.waitUntil(lambda: len(recorder.details) > 0)
    assert all(thread is QThread.currentThread() for thread in recorder.threads)  # delivered on main thread
    assert cancel_all(wait_ms=5000) >= 1
    qtbot.waitUntil(lambda: bool(recorder.errors), timeout=10_000)
    assert isinstance(recorder.errors[0], CancelledError) and task.cancelled
    assert recorder.results == []
    qtbot.waitUntil(lambda: task not in running_tasks())


def test_cancelled_before_it_started(qgis_app):
    task = UntilCancelled()
    base._register(task)
    task.cancel()
    task.finished(False)
    assert isinstance(task.error, CancelledError) and task not in running_tasks()


def test_a_task_ended_while_queued_that_still_starts_does_nothing_and_is_not_kept(qgis_app):
    # QgsTask's cancel on the main thread and start in a worker race: cancel can see the task queued
    # and end it (finished() runs) while the worker is already starting it, so run() comes after.
    task = UntilCancelled()
    start_ended = threading.Event()
    base._register(task)
    task.cancel()
    task.finished(False)
    worker = threading.Thread(target=lambda: (task.run(), start_ended.set()))
    worker.start()
    assert start_ended.wait(10)  # not waiting for a cancel that has been and gone
    worker.join()
    assert not task.started.is_set() and task not in running_tasks()
    assert isinstance(task.error, CancelledError)


def test_describe_progress():
    class Progress:
        bytes_done, bytes_total, files_done, files_total, speed_bps, eta_seconds = (
            1_500_000, 4_000_000_000, 1, 3, 2_000_000, 125
        )

    assert describe_progress(Progress()) == "1 of 3 file(s), 1.5 MB of 4.0 GB, 2.0 MB/s, 2 min 05 s left"


# --- M2M against the emulator -------------------------------------------------------------
ALBEMARLE = box(-76.6, 35.8, -75.6, 36.3)
MARCH_2023 = dict(aoi=ALBEMARLE, start="2023-03-01", end="2023-04-01")


def search_task(emulator, tmp_path, **params):
    return M2MSearchTask(DEMO, SearchParams(**{**MARCH_2023, **params}), tmp_path / "search.gpkg",
                         base_url=emulator.m2m_url)


def test_search_writes_footprints_and_builds_a_styled_layer(emulator, tmp_path, qgis_app):
    task = search_task(emulator, tmp_path, cloud_max=100)
    recorder = Recorder(task)
    run_sync(task)
    assert task.error is None, task.error and task.error.details()
    result = recorder.results[0]
    assert result.count > 0 and result.count == result.total_hits
    assert result.layer.isValid() and result.layer.featureCount() == result.count
    assert result.layer.labelsEnabled()
    assert emulator.log.routes("m2m")[0] == "login-token" and emulator.log.routes("m2m")[-1] == "logout"
    details = [d for d in recorder.details if isinstance(d, SearchDetail)]
    assert details[0].total_hits == result.total_hits and details[-1].written == result.count
    dates = {f["acquired"].toPyDate() for f in result.layer.getFeatures()}
    assert min(dates) >= datetime.date(2023, 3, 1) and max(dates) <= datetime.date(2023, 4, 1)


def test_search_limit_and_cloud_filter(emulator, tmp_path, qgis_app):
    task = run_sync(search_task(emulator, tmp_path, start="2022-01-01", end="2023-12-31", cloud_max=30, limit=7))
    assert task.error is None and task.result.count == 7 and task.result.total_hits >= 7
    dataset = ogr.Open(str(task.result.path))
    clouds = [f.GetField("cloud_cover") for f in dataset.GetLayerByName("footprints")]
    assert all(c is None or c <= 30 for c in clouds)


def test_search_with_bad_credentials_fails_cleanly(emulator, tmp_path, qgis_app):
    errors = []
    task = M2MSearchTask(("demo", "wrong-token"), SearchParams(**MARCH_2023), tmp_path / "x.gpkg",
                         base_url=emulator.m2m_url, on_error=errors.append)
    run_sync(task)
    assert isinstance(task.error, AuthInvalidError) and errors == [task.error]
    assert "wrong-token" not in task.error.details()
    assert not (tmp_path / "x.gpkg").exists()


def test_search_through_the_task_manager_into_the_layer_group(emulator, tmp_path, qgis_app, qtbot):
    task = search_task(emulator, tmp_path)
    recorder = Recorder(task)
    project = QgsProject()
    task.add_callbacks(on_success=lambda result: add_to_scene_finder_group(result.layer, project))
    start_task(task)
    qtbot.waitUntil(lambda: bool(recorder.results or recorder.errors), timeout=60_000)
    assert recorder.errors == []
    group = project.layerTreeRoot().findGroup(GROUP_NAME)
    assert [node.layer() for node in group.findLayers()] == [recorder.results[0].layer]
    project.clear()


def test_cancel_a_running_search(emulator, tmp_path, qgis_app, qtbot):
    emulator.faults.add("m2m", "scene-search", "delay", seconds=1.0)
    task = search_task(emulator, tmp_path)
    recorder = Recorder(task)
    start_task(task)
    qtbot.waitUntil(lambda: emulator.log.count("m2m", "scene-search") > 0 or bool(recorder.errors), timeout=20_000)
    task.cancel()
    qtbot.waitUntil(lambda: bool(recorder.results or recorder.errors), timeout=20_000)
    assert isinstance(recorder.errors[0], CancelledError) and recorder.results == []
    assert not (tmp_path / "search.gpkg").exists()
    qtbot.waitUntil(lambda: emulator.log.count("m2m", "logout") == 1, timeout=10_000)


# --- downloads --------------------------------------------------------------------------
FAST_POLL = PollPolicy(first_wait=0.05, factor=1.0, max_wait=0.1, total=30)


@pytest.fixture()
def two_scenes(emulator):
    with M2MClient(*DEMO, base_url=emulator.m2m_url) as client:
        ids = [scene.entity_id for scene in search_scenes(client, **MARCH_2023, limit=2)]
    emulator.reset()
    assert len(ids) == 2
    return ids


def download_task(emulator, tmp_path, ids, **kw):
    return M2MDownloadTask(DEMO, "landsat_ot_c2_l2", ids, tmp_path / "downloads", base_url=emulator.m2m_url,
                           poll=FAST_POLL, **kw)


def test_download_bundles_with_progress_detail(emulator, tmp_path, qgis_app, qtbot, two_scenes):
    task = download_task(emulator, tmp_path, two_scenes)
    recorder = Recorder(task)
    start_task(task)
    qtbot.waitUntil(lambda: bool(recorder.results or recorder.errors), timeout=60_000)
    assert recorder.errors == [], recorder.errors and recorder.errors[0].details()
    summary = recorder.results[0]
    assert len(summary.files) == 2 and summary.failed == []
    assert all(path.is_file() and path.suffix == ".tar" and path.parent == tmp_path / "downloads"
               for path in summary.files)
    assert summary.bytes_transferred == sum(path.stat().st_size for path in summary.files)
    last = recorder.details[-1]
    assert last.files_done == 2 and last.bytes_done == last.bytes_total
    assert "2 of 2 file(s)" in describe_progress(last)
    assert emulator.log.routes("m2m")[-1] == "logout"

    again = run_sync(download_task(emulator, tmp_path, two_scenes))  # complete files are skipped
    assert len(again.result.files) == 2 and again.result.bytes_transferred == 0


def test_download_band_files(emulator, tmp_path, qgis_app, two_scenes):
    task = run_sync(download_task(emulator, tmp_path, two_scenes[:1], product=["SR_B4", "SR_B3"]))
    assert task.error is None, task.error.details()
    assert sorted(path.name.rsplit("_", 2)[-2:][0] + "_" + path.name.rsplit("_", 1)[-1]
                  for path in task.result.files) == ["SR_B3.TIF", "SR_B4.TIF"]


def test_cancel_a_running_download(emulator, tmp_path, qgis_app, qtbot, two_scenes):
    for host in ("landsatlook", "dds"):
        emulator.faults.add(host, "*", "throttle", times=None, bytes_per_second=50_000)
    task = download_task(emulator, tmp_path, two_scenes, parallel=1)
    recorder = Recorder(task)
    start_task(task)
    qtbot.waitUntil(lambda: bool(recorder.details or recorder.errors), timeout=30_000)
    task.cancel()
    qtbot.waitUntil(lambda: bool(recorder.results or recorder.errors), timeout=30_000)
    assert isinstance(recorder.errors[0], CancelledError) and recorder.results == []
    qtbot.waitUntil(lambda: emulator.log.count("m2m", "logout") == 1, timeout=10_000)
