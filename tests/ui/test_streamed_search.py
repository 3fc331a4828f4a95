"""The dock's Landsat search streams: pages land on the map and in the table while the rest arrives,
on a shaped link (150 ms per request), against the emulator; cancel and failure keep what arrived;
the map follows the search unless the user moved it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from dock_helpers import ALBEMARLE, set_dates
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import Qt, QTimer

from scene_finder.gis import auth

WORLD = QgsRectangle(-180, -85, 180, 85)
LIMIT = 6000  # three pages of the panel's 2,000


@pytest.fixture()
def shaped(emulated_services):
    emulated_services.set_shape(latency_ms=150)
    yield emulated_services
    emulated_services.set_shape()


@pytest.fixture()
def world_search(dock):
    """The dock set for a 6,000-scene Landsat search over the world, signed in."""
    auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")
    set_dates(dock, datetime.date(2013, 1, 1), datetime.date(2026, 1, 1))
    dock.form.limit_spin.setValue(LIMIT)
    dock.aoi.max_area_km2 = 1e12
    dock.aoi.set_rectangle(WORLD, QgsCoordinateReferenceSystem("EPSG:4326"))
    return dock


def _footprint_layers():
    group = QgsProject.instance().layerTreeRoot().findGroup("Scene Finder")
    return [node.layer() for node in group.findLayers()] if group is not None else []


def _press_search(qtbot, dock):
    qtbot.mouseClick(dock.search_button, Qt.MouseButton.LeftButton)
    task = dock.search_task
    assert task is not None, dock.search_status.text()
    return task


def _on_first_page(task, action):
    """Run ``action`` when the dock has shown the first page (connected after the dock: runs after it)."""
    pages = []

    def page(streamed):
        pages.append(streamed)
        if len(pages) == 1:
            action(streamed)

    task.pageReady.connect(page)
    return pages


def test_the_first_footprints_are_on_the_map_before_the_search_ends(world_search, shaped, qtbot):
    dock = world_search
    task = _press_search(qtbot, dock)
    seen = {}

    def first(streamed):
        layers = _footprint_layers()
        seen["features"] = layers[0].featureCount() if layers else 0
        seen["rows"] = dock.results.model.rowCount()
        seen["running"] = dock.search_task is task
        seen["written"] = task.stream_state.count  # the worker is still fetching the next pages
        seen["status"] = dock.search_status.text()

    _on_first_page(task, first)
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=60000)
    assert seen["features"] == 2000 and seen["rows"] == 2000, seen
    assert seen["running"] and seen["written"] < LIMIT, seen
    layer = _footprint_layers()[0]
    assert layer.featureCount() == LIMIT
    assert dock.search_status.text().endswith(f"found; showing {LIMIT:,}."), dock.search_status.text()


def test_the_table_grows_by_appended_rows_and_ends_with_every_row_once(world_search, shaped, qtbot, tmp_path):
    dock = world_search
    model = dock.results.model
    inserted, resets, statuses = [], [], []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    task = _press_search(qtbot, dock)
    task.pageReady.connect(lambda streamed: statuses.append(dock.search_status.text()))
    _on_first_page(task, lambda streamed: model.modelReset.connect(lambda: resets.append(True)))
    # a row selected while the rest streams in stays selected
    _on_first_page(task, lambda streamed: dock.results.select_keys([model.rows[10].key]))
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=60000)
    assert inserted == [(0, 1999), (2000, 3999), (4000, 5999)]
    assert not resets  # rows were only appended
    keys = [row.key for row in model.rows]
    assert len(keys) == len(set(keys)) == LIMIT
    layer = _footprint_layers()[0]
    assert layer.featureCount() == LIMIT and len(dock.results.fid_by_key) == LIMIT
    assert sorted(dock.results.fid_by_key.values()) == list(range(1, LIMIT + 1))
    # the table is sorted once at the end (date, newest first), in the background
    qtbot.waitUntil(lambda: all(a.acquired >= b.acquired for a, b in zip(model.rows, model.rows[1:])), timeout=30000)
    assert len(dock.results.selected_rows()) == 1
    assert layer.selectedFeatureCount() == 1
    # the layer is on the final file, still styled and labelled; the preview is gone
    assert layer.labelsEnabled() and layer.renderer().symbol().color().alpha() == 0
    path = Path(layer.source().split("|")[0])
    assert path.exists() and not path.name.startswith(".")
    # the preview is removed (again a little later, should a reader have held it)
    qtbot.waitUntil(lambda: [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == [], timeout=10000)
    assert any("shown…" in text for text in statuses), statuses


def test_rows_that_came_in_the_tables_order_are_not_sorted_again(world_search, qtbot):
    dock = world_search  # the table's default order: date, newest first, as the service sends them
    layout_changes = []
    dock.results.model.layoutChanged.connect(lambda *args: layout_changes.append(True))
    task = _press_search(qtbot, dock)
    stream = dock.stream
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=60000)
    rows = dock.results.model.rows
    assert len(rows) == LIMIT and all(a.acquired >= b.acquired for a, b in zip(rows, rows[1:]))
    assert stream.arrived_sorted_by == dock.results._sort_state() and stream.sort_task is None
    qtbot.wait(200)  # nothing is started on the next turn of the event loop either
    assert stream.sort_task is None and not layout_changes and task is not None


def test_a_table_sorted_by_cloud_cover_is_sorted_once_at_the_end(world_search, qtbot):
    dock = world_search
    dock.results.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    layout_changes = []
    dock.results.model.layoutChanged.connect(lambda *args: layout_changes.append(True))
    _press_search(qtbot, dock)
    stream = dock.stream
    qtbot.waitUntil(lambda: dock.search_task is None and stream.sort_task is None and bool(layout_changes),
                    timeout=60000)
    clouds = [row.cloud_cover for row in dock.results.model.rows]
    known = [cloud for cloud in clouds if cloud is not None]
    assert len(clouds) == LIMIT and known == sorted(known) and clouds[:len(known)] == known  # unknown last
    assert stream.arrived_sorted_by is None and len(layout_changes) == 1


def test_a_cancelled_search_keeps_and_shows_what_arrived(world_search, shaped, qtbot):
    dock = world_search
    task = _press_search(qtbot, dock)
    _on_first_page(task, lambda streamed: dock.cancel_search_button.click())
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=60000)
    assert task.cancelled
    shown = dock.results.model.rowCount()
    assert shown >= 2000 and shown % 2000 == 0 and shown < LIMIT
    assert dock.search_status.text().startswith(f"Search cancelled: showing {shown:,} of "), dock.search_status.text()
    layer = _footprint_layers()[0]
    assert layer.featureCount() == shown
    path = Path(layer.source().split("|")[0])
    assert not path.name.startswith(".") and path.exists()
    # the preview is removed (again a little later, should a reader have held it)
    qtbot.waitUntil(lambda: [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == [], timeout=10000)


def test_a_failure_mid_way_says_what_happened_and_keeps_the_rows(world_search, emulated_services, qtbot):
    dock = world_search
    emulated_services.faults.add("m2m", "scene-search", "m2m_error", code="DATABASE_ERROR", skip=1,
                                 message="The search database is not answering", times=None)
    _press_search(qtbot, dock)
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=60000)
    text = dock.search_status.text()
    assert text.startswith("Search stopped: showing 2,000 of "), text
    assert "USGS M2M is unavailable or failed" in text
    level, message = dock.messages.last
    assert level == "error" and "unavailable or failed" in message
    assert dock.results.model.rowCount() == 2000
    assert _footprint_layers()[0].featureCount() == 2000


def test_the_map_zooms_to_the_results(world_search, shaped, qtbot, qgis_canvas):
    dock = world_search
    qgis_canvas.setExtent(ALBEMARLE)
    before = qgis_canvas.extent()
    _press_search(qtbot, dock)
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=60000)
    layer = _footprint_layers()[0]
    extent = qgis_canvas.extent()
    assert extent != before
    assert extent.contains(layer.extent()) or extent.width() >= layer.extent().width()


def test_the_map_stays_where_the_user_moved_it(world_search, shaped, qtbot, qgis_canvas):
    dock = world_search
    qgis_canvas.setExtent(ALBEMARLE)
    task = _press_search(qtbot, dock)
    moved_to = QgsRectangle(10, 40, 12, 42)
    # the user pans once the first page is on the map (an input event comes after what is queued)
    _on_first_page(task, lambda streamed: QTimer.singleShot(0, lambda: qgis_canvas.setExtent(moved_to)))
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=60000)
    extent = qgis_canvas.extent()
    assert extent.contains(moved_to) and extent.width() < 10, extent.toString()  # the aspect ratio widens it


def test_carbonmapper_scenes_stream_too(dock, qtbot):
    from dock_helpers import choose

    from scene_finder.ui.search_form import SOURCE_CM_SCENES

    auth.store_credentials(auth.SERVICE_CARBONMAPPER, auth.TOKEN_USERNAME, "demo-carbonmapper-token")
    choose(qtbot, dock.form.source_combo, SOURCE_CM_SCENES)
    set_dates(dock, datetime.date(2016, 1, 1), datetime.date(2026, 1, 1))
    dock.aoi.max_area_km2 = 1e12
    dock.aoi.set_rectangle(WORLD, QgsCoordinateReferenceSystem("EPSG:4326"))
    model = dock.results.model
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    task = _press_search(qtbot, dock)
    pages = _on_first_page(task, lambda streamed: None)
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=120000)
    assert len(pages) >= 2 and len(inserted) == len(pages), (len(pages), inserted[:3])
    assert inserted[0][0] == 0 and all(b[0] == a[1] + 1 for a, b in zip(inserted, inserted[1:]))
    keys = [row.key for row in model.rows]
    layer = _footprint_layers()[0]
    assert len(keys) == len(set(keys)) == layer.featureCount() == pages[-1].page.count
    assert layer.renderer().symbol().color().alpha() == 0  # the scenes' own style (outlines)
    path = Path(layer.source().split("|")[0])
    assert not path.name.startswith(".") and [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_removing_the_layer_while_pages_arrive_is_no_error(world_search, shaped, qtbot):
    dock = world_search
    task = _press_search(qtbot, dock)
    _on_first_page(task, lambda streamed: QgsProject.instance().removeMapLayer(_footprint_layers()[0].id()))
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=60000)
    assert dock.messages.last is None or dock.messages.last[0] != "error", dock.messages.last
    assert dock.results.model.rowCount() == LIMIT and _footprint_layers() == []
    assert dock.search_status.text().endswith(f"showing {LIMIT:,}."), dock.search_status.text()
