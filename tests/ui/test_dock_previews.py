"""Previews of scenes found through the emulator whose browse addresses are hostile: not fetched, no error."""

from __future__ import annotations

import pytest
from dock_helpers import ALBEMARLE, MARCH_2023, point_map_at_albemarle, search, set_dates
from qgis.core import QgsCoordinateReferenceSystem

from scene_finder.gis import auth, settings
from scene_finder.gis.tasks.base import running_tasks
from scene_finder.ui.dock import SceneFinderDock
from scene_finder.ui.search_form import SOURCE_LANDSAT

HOSTILE = ["file:///etc/passwd", "http://example.org/browse/t.png"]


@pytest.fixture()
def dock(emulated_services, auth_db, recording_iface, qgis_new_project, qgis_canvas, qtbot, tmp_path):
    settings.set_download_folder(tmp_path / "downloads")
    settings.set_last_source(SOURCE_LANDSAT)
    settings.set_dataset("landsat_ot_c2_l2")
    settings.set_metadata_filters("landsat_ot_c2_l2", None)
    point_map_at_albemarle(qgis_canvas)
    widget = SceneFinderDock(recording_iface)
    qtbot.addWidget(widget)
    widget.resize(420, 800)
    widget.show()
    set_dates(widget, *MARCH_2023)
    widget.aoi.set_rectangle(ALBEMARLE, QgsCoordinateReferenceSystem("EPSG:4326"))
    yield widget
    widget.shutdown()
    qtbot.waitUntil(lambda: not running_tasks(), timeout=20000)


def test_scenes_with_file_and_plain_http_browse_urls_show_no_preview_and_no_error(dock, qtbot, emulated_services,
                                                                                 recording_iface):
    auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")
    emulated_services.faults.add("m2m", "scene-search", "browse_url", times=None, urls=HOSTILE)
    search(qtbot, dock)
    rows = dock.results.model.rows
    assert {row.thumbnail_url for row in rows} == set(HOSTILE)
    for row in rows[:2]:
        dock.results.select_keys([row.key])
        assert dock.results.thumbnail_task is None
        assert dock.results.thumbnail.text() == "No preview for this scene."
    assert dock.messages.last is None or dock.messages.last[0] != "error"
    assert not running_tasks()
