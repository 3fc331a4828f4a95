"""Previews on the map from the results table: "Show on map" and the table's checkboxes add the scenes'
browse overlays in a "Previews" group under the footprints and take them off again."""

from __future__ import annotations

from dock_helpers import search
from qgis.core import QgsLayerTreeGroup, QgsProject
from qgis.PyQt.QtCore import Qt

from scene_finder.gis import auth
from scene_finder.gis.previews import PROPERTY_KEY
from scene_finder.gis.tasks.base import running_tasks


def _searched(dock, qtbot):
    auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")
    search(qtbot, dock)
    rows = dock.results.model.rows
    assert len(rows) >= 2
    return rows


def _previews():
    return {layer.customProperty(PROPERTY_KEY): layer for layer in QgsProject.instance().mapLayers().values()
            if layer.customProperty(PROPERTY_KEY)}


def _check(dock, row):
    model = dock.results.model
    return model.data(model.index(model.row_of(row.key), 2), Qt.ItemDataRole.CheckStateRole)


def test_show_on_map_puts_both_overlay_types_under_the_footprints_and_hides_them_again(dock, qtbot, tmp_path):
    rows = _searched(dock, qtbot)
    kinds = {}
    for row in rows:
        kinds.setdefault(row.record["overlay_type"], row)
    assert set(kinds) == {"dmid_wms", "file"}
    chosen = list(kinds.values())
    dock.results.select_keys([row.key for row in chosen])
    button = dock.previews.show_button
    assert button.isEnabled() and button.text() == "Show on map"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dock.previews.progress.isVisible() and dock.previews.cancel_button.isVisible()
    qtbot.waitUntil(lambda: len(_previews()) == 2, timeout=60_000)
    layers = _previews()
    assert set(layers) == {row.key for row in chosen}
    assert all(layer.isValid() for layer in layers.values())
    assert {layer.providerType() for layer in layers.values()} == {"wms", "gdal"}
    root = QgsProject.instance().layerTreeRoot()
    footprints = root.findLayer(dock.results_layer.id())
    parent = footprints.parent()
    siblings = parent.children()
    group = siblings[siblings.index(footprints) - 1]  # drawn over the footprints
    assert isinstance(group, QgsLayerTreeGroup) and group.name() == "Previews"
    assert {node.layerId() for node in group.findLayers()} == {layer.id() for layer in layers.values()}
    assert all(_check(dock, row) == Qt.CheckState.Checked for row in chosen)
    assert button.text() == "Hide from map" and not dock.previews.progress.isVisible()
    assert list((tmp_path / "downloads" / "previews").glob("*/preview.vrt"))  # kept next to the downloads
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not _previews()
    assert all(_check(dock, row) == Qt.CheckState.Unchecked for row in chosen)
    assert button.text() == "Show on map"
    assert dock.messages.last is None or dock.messages.last[0] != "error"


def test_table_checkbox_toggles_a_preview_and_plugin_unload_keeps_it(dock, qtbot):
    rows = _searched(dock, qtbot)
    row = rows[0]
    model = dock.results.model
    index = model.index(model.row_of(row.key), 2)
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert _check(dock, row) == Qt.CheckState.PartiallyChecked  # on its way
    qtbot.waitUntil(lambda: row.key in _previews(), timeout=60_000)
    assert _check(dock, row) == Qt.CheckState.Checked
    model.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert row.key not in _previews()
    model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(lambda: row.key in _previews() and not running_tasks(), timeout=60_000)
    QgsProject.instance().removeMapLayer(_previews()[row.key].id())  # removed by hand: the table follows
    assert _check(dock, row) == Qt.CheckState.Unchecked
    model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(lambda: row.key in _previews() and not running_tasks(), timeout=60_000)
    dock.shutdown()
    assert row.key in _previews()  # nothing the user may have saved is removed


def test_rows_without_an_overlay_and_unreachable_previews_are_clear_messages(dock, qtbot, emulated_services):
    rows = _searched(dock, qtbot)
    rows[0].record["overlay_type"] = None
    rows[1].record["overlay_url"] = emulated_services.base_url + "/ims/browse/x/1/2/nope.jpg"
    rows[1].record["overlay_type"] = "file"
    dock.results.select_keys([rows[0].key, rows[1].key])
    qtbot.mouseClick(dock.previews.show_button, Qt.MouseButton.LeftButton)
    assert dock.messages.last[0] == "warning" and rows[0].label in dock.messages.last[1]
    qtbot.waitUntil(lambda: not dock.previews.tasks, timeout=60_000)
    level, text = dock.messages.last
    assert level == "warning" and rows[1].label in text and "404" in text
    assert not _previews()
    assert _check(dock, rows[1]) == Qt.CheckState.Unchecked


def test_cancel_stops_the_previews(dock, qtbot, emulated_services):
    rows = _searched(dock, qtbot)
    emulated_services.faults.add("ims", "*", "delay", times=None, seconds=3)
    dock.results.select_keys([row.key for row in rows[:3]])
    qtbot.mouseClick(dock.previews.show_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dock.previews.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dock.previews.tasks, timeout=60_000)
    assert not _previews() and not dock.previews.progress.isVisible()
    assert all(_check(dock, row) == Qt.CheckState.Unchecked for row in rows[:3])
    assert dock.messages.last is None or dock.messages.last[0] != "error"


def test_carbonmapper_plume_previews_lie_on_the_plume_bounds_and_keep_the_token_home(dock, qtbot, emulated_services):
    import datetime

    from dock_helpers import choose, set_dates
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

    from scene_finder.core.carbonmapper.stac import plume_items
    from scene_finder.ui.search_form import SOURCE_CM_PLUMES

    auth.store_credentials(auth.SERVICE_CARBONMAPPER, auth.TOKEN_USERNAME, "demo-carbonmapper-token")
    choose(qtbot, dock.form.source_combo, SOURCE_CM_PLUMES)
    set_dates(dock, datetime.date(2016, 1, 1), datetime.date(2026, 1, 1))
    dock.form.limit_spin.setValue(5)
    dock.aoi.set_rectangle(QgsRectangle(-120.6, 34.9, -118.7, 37.2), QgsCoordinateReferenceSystem("EPSG:4326"))
    search(qtbot, dock, timeout=60_000)
    row = dock.results.model.rows[0]
    dock.results.select_keys([row.key])
    qtbot.mouseClick(dock.previews.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dock.previews.tasks, timeout=60_000)
    assert row.key in _previews(), dock.messages.last
    layer = _previews()[row.key]
    assert layer.isValid() and layer.providerType() == "gdal"
    from scene_finder.core.carbonmapper.client import CarbonMapperClient

    client = CarbonMapperClient(token="demo-carbonmapper-token", base_url=emulated_services.carbonmapper_url)
    west, south, east, north = plume_items(client, [row.record["plume_id"]])[0].bbox
    extent = layer.extent()
    pixel = max(layer.rasterUnitsPerPixelX(), layer.rasterUnitsPerPixelY())
    assert abs(extent.xMinimum() - west) <= pixel and abs(extent.xMaximum() - east) <= pixel
    assert abs(extent.yMinimum() - south) <= pixel and abs(extent.yMaximum() - north) <= pixel
    assets = [e for e in emulated_services.log.entries() if ".png" in e.path]
    assert assets and all(e.host in ("", "127.0.0.1") for e in assets)
    before = len(assets)
    dock.previews.hide([row.key])
    dock.previews.show([row])  # from the cache this time
    qtbot.waitUntil(lambda: row.key in _previews() and not dock.previews.tasks, timeout=60_000)
    assert len([e for e in emulated_services.log.entries() if ".png" in e.path]) == before
