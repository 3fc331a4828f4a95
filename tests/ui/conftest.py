"""Makes the UI tests' helper modules (synthetic Landsat files, dock helpers) importable."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


import pytest  # noqa: E402


@pytest.fixture()
def emulated_services(emulator, monkeypatch):
    """Service URLs pointing at the emulator."""
    monkeypatch.setenv("SCENE_FINDER_M2M_URL", emulator.m2m_url)
    monkeypatch.setenv("SCENE_FINDER_CARBONMAPPER_URL", emulator.carbonmapper_url)
    return emulator


@pytest.fixture()
def signin_panel(emulated_services, auth_db, qgis_new_project, qtbot):
    """The Accounts tab's sign-in boxes against the emulator; shut down afterwards."""
    from scene_finder.ui.signin import SignInPanel

    widget = SignInPanel()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


@pytest.fixture()
def dock(emulated_services, auth_db, recording_iface, qgis_new_project, qgis_canvas, qtbot, tmp_path, monkeypatch):
    """The panel over the Albemarle area in March 2023, searching Landsat on the emulator, with quick
    download polls; downloads go to ``tmp_path / "downloads"``, its download queue is
    ``tmp_path / "queue.sqlite"``. Shut down, its tasks ended, afterwards."""
    from dock_helpers import ALBEMARLE, MARCH_2023, point_map_at_albemarle, set_dates
    from qgis.core import QgsCoordinateReferenceSystem, QgsSettings

    from scene_finder.core.m2m.download import PollPolicy
    from scene_finder.gis import queue_runner, settings
    from scene_finder.gis.tasks.base import running_tasks
    from scene_finder.ui.dock import SceneFinderDock
    from scene_finder.ui.search_form import SOURCE_LANDSAT

    # each test starts from the defaults: what an earlier test chose (its source, result limit, time or
    # coverage choices...) must not change what this one searches
    QgsSettings().remove(settings.PREFIX.rstrip("/"))
    settings.set_download_folder(tmp_path / "downloads")
    settings.set_product("bundle")
    settings.set_value("open_downloads", True)
    settings.set_last_source(SOURCE_LANDSAT)
    settings.set_dataset("landsat_ot_c2_l2")
    settings.set_metadata_filters("landsat_ot_c2_l2", None)
    point_map_at_albemarle(qgis_canvas)
    monkeypatch.setattr(queue_runner, "queue_path", lambda: tmp_path / "queue.sqlite")
    widget = SceneFinderDock(recording_iface)
    qtbot.addWidget(widget)
    widget.resize(420, 800)
    widget.show()
    set_dates(widget, *MARCH_2023)
    widget.aoi.set_rectangle(ALBEMARLE, QgsCoordinateReferenceSystem("EPSG:4326"))
    widget.download.poll_policy = PollPolicy(first_wait=0.05, factor=1.0, max_wait=0.1)
    widget.queue.poll = widget.download.poll_policy
    yield widget
    widget.shutdown()
    qtbot.waitUntil(lambda: not running_tasks(), timeout=20000)


@pytest.fixture(scope="session", autouse=True)
def _keep_pytest_qgis_event_hook(qgis_app):
    """pytest-qgis disconnects ``legendLayersAdded -> processEvents`` at the end of the session and fails
    when PyQt has meanwhile dropped that connection (it happens after garbage collection of widgets of
    earlier tests, in no way tied to what is tested); make sure it is there to disconnect."""
    yield
    from pytest_qgis import pytest_qgis as plugin
    from qgis.core import QgsProject

    app = getattr(plugin, "_APP", None)
    if app is None:
        return
    signal = QgsProject.instance().legendLayersAdded
    try:
        signal.disconnect(app.processEvents)
    except TypeError:
        pass
    signal.connect(app.processEvents)
