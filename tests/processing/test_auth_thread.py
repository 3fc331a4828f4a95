"""Processing reads the QGIS auth database on the main thread only: in prepareAlgorithm (QGIS runs it
there) or, from a worker, through the main thread's event loop; processAlgorithm never reads it."""

from __future__ import annotations

import logging
import threading

import pytest
from qgis.core import QgsApplication, QgsProcessingAlgRunnerTask, QgsProcessingContext, QgsProject

from scene_finder.gis import auth
from scene_finder.gis.processing.common import connect

ALBEMARLE = {"EXTENT": "-76.9,-76.3,35.8,36.2 [EPSG:4326]", "START_DATE": "2023-03-01", "END_DATE": "2023-03-31"}


@pytest.fixture()
def saved_m2m_config(auth_db, services, monkeypatch):
    monkeypatch.delenv(auth.ENV_M2M_USERNAME)
    monkeypatch.delenv(auth.ENV_M2M_TOKEN)
    authcfg = auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")
    yield authcfg
    auth.remove_credentials(authcfg)


def _auth_reads(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "scene_finder.gis.auth" and "Auth database read" in r.getMessage()]


def test_a_background_run_reads_the_authcfg_on_the_main_thread_only(provider, saved_m2m_config, feedback, tmp_path,
                                                                      qtbot, caplog):
    caplog.set_level(logging.DEBUG, logger="scene_finder.gis.auth")
    algorithm = QgsApplication.processingRegistry().algorithmById("scenefinder:m2msearch")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    parameters = {**ALBEMARLE, "AUTHCFG": saved_m2m_config, "OUTPUT": str(tmp_path / "footprints.gpkg")}
    # As the Processing dialog runs it: prepareAlgorithm now, processAlgorithm in a task's worker thread.
    task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
    outcome = {}
    task.executed.connect(lambda ok, results: outcome.update(ok=ok, results=results))
    prepared = _auth_reads(caplog)
    QgsApplication.taskManager().addTask(task)
    qtbot.waitUntil(lambda: "ok" in outcome, timeout=60000)
    assert outcome["ok"], feedback.errors
    assert outcome["results"]["COUNT"] > 0
    reads = _auth_reads(caplog)
    assert prepared and all("on the main thread" in r.getMessage() for r in reads), [r.getMessage() for r in reads]
    assert reads == prepared  # nothing more while processAlgorithm ran
    assert not [r for r in caplog.records if "worker thread" in r.getMessage()]


def test_credentials_asked_for_from_a_worker_are_read_on_the_main_thread(saved_m2m_config, qtbot, caplog):
    caplog.set_level(logging.DEBUG, logger="scene_finder.gis.auth")
    done = {}

    def worker():  # a Processing model prepares its child algorithms on its own thread
        try:
            done["connection"] = connect(auth.SERVICE_M2M, saved_m2m_config)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            done["error"] = error

    thread = threading.Thread(target=worker)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=30000)
    assert "error" not in done, done.get("error")
    assert (done["connection"].username, done["connection"].secret) == ("demo", "demo-application-token")
    reads = _auth_reads(caplog)
    assert reads and all("on the main thread" in r.getMessage() for r in reads)
