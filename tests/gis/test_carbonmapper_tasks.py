"""Carbon Mapper QGIS tasks: scene search, plume search, raster download (synchronously and via the task manager)."""

from __future__ import annotations

import pytest
from qgis.core import QgsGraduatedSymbolRenderer, QgsProject
from qgis.PyQt.QtCore import QThread
from support.tasks import Recorder, run_sync

from scene_finder.core.carbonmapper.scenes import SceneProgress
from scene_finder.core.errors import AuthInvalidError, CancelledError, DownloadError, ForbiddenError, NotFoundError
from scene_finder.gis.tasks.base import running_tasks, start_task
from scene_finder.gis.tasks.carbonmapper import (
    CarbonMapperPlumeSearchTask,
    CarbonMapperRasterDownloadTask,
    CarbonMapperSceneSearchTask,
    SceneSearchParams,
)

TOKEN = "demo-carbonmapper-token"
EMAIL, PASSWORD = "demo@example.com", "demo-password"


def test_scene_search_task_builds_a_styled_layer(emulator, tmp_path, qgis_app):
    seen = []
    task = CarbonMapperSceneSearchTask(
        SceneSearchParams(instrument="ssc", cloud_max=50, page_limit=250), tmp_path / "new" / "folder" / "cm.gpkg",
        token=TOKEN, base_url=emulator.carbonmapper_url, on_success=seen.append, on_error=pytest.fail,
    )
    recorder = Recorder(task)
    run_sync(task)
    (result,) = seen
    assert recorder.results == [result] and task.error is None
    assert result.count == result.total > 250 and result.pages >= 2
    assert result.layer.isValid() and result.layer.featureCount() == result.count
    assert result.layer.name() == f"Carbon Mapper scenes ({result.count})"
    assert not QgsProject.instance().mapLayersByName(result.layer.name())  # handed over, not added
    assert isinstance(recorder.details[-1], SceneProgress)
    assert recorder.details[-1].features_done == result.total
    assert task.progress() == 100


def test_plume_search_task_with_email_and_password(emulator, tmp_path, qgis_app):
    task = CarbonMapperPlumeSearchTask(
        {"gas": "CH4", "emission_min": 200, "limit": 400}, tmp_path / "cm.gpkg",
        email=EMAIL, password=PASSWORD, base_url=emulator.carbonmapper_url, add_to_project=True, keep_records=True,
    )
    run_sync(task)
    assert task.error is None, task.error
    result = task.result
    assert result.count == 400 and len(result.plumes) == 400
    assert all(p.gas == "CH4" and p.emission >= 200 for p in result.plumes)
    assert isinstance(result.layer.renderer(), QgsGraduatedSymbolRenderer)
    assert QgsProject.instance().mapLayer(result.layer.id()) is result.layer
    QgsProject.instance().removeMapLayer(result.layer.id())
    assert emulator.log.count("carbonmapper", "token/pair") == 1


def test_bad_token_fails_with_a_clear_error_and_never_raises(emulator, tmp_path, qgis_app):
    errors = []
    task = CarbonMapperSceneSearchTask({}, tmp_path / "cm.gpkg", token="not-a-valid-token",
                                       base_url=emulator.carbonmapper_url, on_error=errors.append)
    assert task.run() is False
    task.finished(False)
    assert isinstance(errors[0], AuthInvalidError) and "platform.carbonmapper.org" in str(errors[0])
    assert "not-a-valid-token" not in str(errors[0])


def test_forbidden_token(emulator, tmp_path, qgis_app):
    task = run_sync(CarbonMapperSceneSearchTask({}, tmp_path / "cm.gpkg", token="demo-carbonmapper-noscope-token",
                                                base_url=emulator.carbonmapper_url))
    assert isinstance(task.error, ForbiddenError)


def test_scene_search_through_the_task_manager(emulator, tmp_path, qgis_app, qtbot):
    task = CarbonMapperSceneSearchTask(SceneSearchParams(instrument="emi", page_limit=300), tmp_path / "cm.gpkg",
                                       token=TOKEN, base_url=emulator.carbonmapper_url)
    recorder = Recorder(task)
    start_task(task)
    qtbot.waitUntil(lambda: bool(recorder.results or recorder.errors), timeout=60_000)
    assert recorder.errors == []
    (result,) = recorder.results
    assert result.layer.isValid() and result.layer.featureCount() == result.count > 0
    assert recorder.details and all(t is QThread.currentThread() for t in recorder.threads)
    qtbot.waitUntil(lambda: task not in running_tasks())


def test_cancelled_scene_search_stops(emulator, tmp_path, qgis_app, qtbot):
    emulator.faults.add("carbonmapper", "catalog/download/scenes.gpkg", "delay", times=None, seconds=0.3)
    task = CarbonMapperSceneSearchTask(SceneSearchParams(page_limit=100), tmp_path / "cm.gpkg",
                                       token=TOKEN, base_url=emulator.carbonmapper_url)
    recorder = Recorder(task)
    start_task(task)
    qtbot.waitUntil(lambda: len(recorder.details) >= 1, timeout=30_000)
    task.cancel()
    qtbot.waitUntil(lambda: bool(recorder.errors or recorder.results), timeout=30_000)
    assert isinstance(recorder.errors[0], CancelledError)
    assert emulator.log.count("carbonmapper", "catalog/download/scenes.gpkg") < 20
    assert list(tmp_path.glob("cm_scenes_*")) == []


# --- rasters -----------------------------------------------------------------------------
def plume_ids(emulator, count):
    from scene_finder.core.carbonmapper.client import CarbonMapperClient
    from scene_finder.core.carbonmapper.plumes import search_plumes

    client = CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url)
    with client.session:  # closes its connections
        return [p.plume_id for p in search_plumes(client, gas="CH4", limit=count)]


def test_raster_download_task_lists_the_files(emulator, tmp_path, qgis_app):
    ids = plume_ids(emulator, 2)
    task = CarbonMapperRasterDownloadTask(tmp_path / "rasters", plumes=ids, token=TOKEN,
                                          base_url=emulator.carbonmapper_url)
    recorder = Recorder(task)
    run_sync(task)
    assert task.error is None, task.error
    summary = recorder.results[0]
    assert sorted(p.name for p in summary.files) == sorted(f"{i}_{k}" for i in ids for k in ("plume.tif", "rgb.tif"))
    assert all(p.parent == tmp_path / "rasters" and p.stat().st_size > 0 for p in summary.files)
    assert summary.failed == [] and task.progress() == 100
    assert recorder.details and recorder.details[-1].files_done == 4


def test_raster_download_through_the_task_manager_with_email_sign_in(emulator, tmp_path, qgis_app, qtbot):
    ids = plume_ids(emulator, 1)
    task = CarbonMapperRasterDownloadTask(tmp_path, plumes=ids, assets=["plume.tif"], email=EMAIL, password=PASSWORD,
                                          base_url=emulator.carbonmapper_url)
    recorder = Recorder(task)
    start_task(task)
    qtbot.waitUntil(lambda: bool(recorder.results or recorder.errors), timeout=60_000)
    assert recorder.errors == []
    assert [p.name for p in recorder.results[0].files] == [f"{ids[0]}_plume.tif"]


def test_raster_download_of_unknown_plumes_fails_clearly(emulator, tmp_path, qgis_app):
    task = run_sync(CarbonMapperRasterDownloadTask(tmp_path, plumes=["nope20990101t000000-Z"], token=TOKEN,
                                                   base_url=emulator.carbonmapper_url))
    assert isinstance(task.error, NotFoundError) and "no rasters" in str(task.error)


def test_raster_download_failing_files_are_reported(emulator, tmp_path, qgis_app):
    ids = plume_ids(emulator, 1)
    emulator.faults.add("carbonmapper", "catalog/asset/*", "status", times=None, status=404)
    task = run_sync(CarbonMapperRasterDownloadTask(tmp_path, plumes=ids, token=TOKEN,
                                                   base_url=emulator.carbonmapper_url))
    assert isinstance(task.error, DownloadError) and "None of the 2 raster(s)" in str(task.error)
    assert len(task.summary.failed) == 2
