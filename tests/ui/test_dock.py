"""The dock against the emulator: search, results, download, loading, errors, cancel on unload."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from dock_helpers import ALBEMARLE, MARCH_2023, choose, point_map_at_albemarle, search, set_dates
from qgis.core import Qgis, QgsCoordinateReferenceSystem, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QPushButton

from scene_finder.gis import auth, settings
from scene_finder.gis.tasks.base import running_tasks
from scene_finder.ui.dock import SceneFinderDock
from scene_finder.ui.search_form import SOURCE_CM_PLUMES, SOURCE_CM_SCENES

SAN_JOAQUIN = QgsRectangle(-120.6, 34.9, -118.7, 37.2)


def _sign_in_m2m():
    auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")


def test_without_sign_in_the_dock_asks_for_it(dock, qtbot, recording_iface):
    qtbot.mouseClick(dock.search_button, Qt.MouseButton.LeftButton)
    assert dock.search_task is None
    assert dock.tabs.currentWidget() is dock.signin
    assert "Sign in to USGS" in dock.messages.last[1]


def test_landsat_search_fills_the_table_and_a_styled_footprints_layer(dock, qtbot):
    _sign_in_m2m()
    search(qtbot, dock)
    rows = dock.results.model.rows
    assert dock.search_status.text() == f"{len(rows)} found.", dock.search_status.text()
    assert {"LC90130352023085LGN00", "LC90150352023083LGN00", "LC90150352023067LGN00"} <= {row.key for row in rows}
    assert all(row.acquired and row.cloud_cover is not None for row in rows)
    group = QgsProject.instance().layerTreeRoot().findGroup("Scene Finder")
    layer = group.findLayers()[0].layer()
    assert layer.featureCount() == len(rows) and layer.labelsEnabled()
    assert dock.tabs.currentIndex() == 1
    # selection both ways, and the download button follows it
    view = dock.results.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(0, 2))
                     .center())
    assert layer.selectedFeatureCount() == 1
    assert dock.downloads.download_button.isEnabled()
    # the size is looked up (download-options) and shown before anything is downloaded
    qtbot.waitUntil(lambda: dock.results.model.rows[0].size is not None, timeout=20000)
    assert dock.results.model.data(dock.results.model.index(0, 3)).endswith("kB")
    assert dock.downloads.status.text().startswith("1 selected, ")
    layer.selectAll()
    assert len(dock.results.selected_rows()) == len(rows)
    assert f"({len(rows)})" in dock.downloads.download_button.text()
    # remembered for the next session
    assert settings.date_range() == MARCH_2023


def test_dataset_filters_become_widgets_and_narrow_the_search(dock, qtbot):
    _sign_in_m2m()
    dock.form.load_dataset_info(force=True)
    qtbot.waitUntil(lambda: bool(dock.form.filters), timeout=20000)
    assert dock.form.dataset_combo.count() > 1
    assert dock.form.dataset() == "landsat_ot_c2_l2"
    kinds = {type(w.spec).__name__ for w in dock.form.filters}
    assert "SelectFilter" in kinds
    select = next(w for w in dock.form.filters if type(w.spec).__name__ == "SelectFilter"
                  and "satellite" in w.spec.label.lower() or "sensor" in w.spec.label.lower())
    values = [select.combo.itemData(i) for i in range(1, select.combo.count())]
    choose(qtbot, select.combo, values[0])
    search(qtbot, dock)
    assert dock.search_status.text().endswith("found."), dock.search_status.text()
    assert settings.metadata_filters("landsat_ot_c2_l2") == {select.spec.id: values[0]}


def test_download_opens_the_bundle_as_layers_without_extraction(dock, qtbot, tmp_path):
    _sign_in_m2m()
    search(qtbot, dock)
    dock.results.select_keys(["LC90150352023067LGN00"])
    qtbot.mouseClick(dock.downloads.download_button, Qt.MouseButton.LeftButton)
    assert dock.download.task is not None
    qtbot.waitUntil(lambda: dock.download.task is None, timeout=60000)
    assert "1 file(s)" in dock.downloads.status.text(), dock.downloads.status.text()
    bundle = next(Path(tmp_path / "downloads").glob("*.tar"))
    product = bundle.name[:-4]
    row = dock.results.model.rows[dock.results.model.row_of("LC90150352023067LGN00")]
    assert row.bundle == str(bundle) and row.size
    qtbot.waitUntil(lambda: QgsProject.instance().layerTreeRoot().findGroup(product) is not None, timeout=30000)
    group = QgsProject.instance().layerTreeRoot().findGroup(product)
    layers = [node.layer() for node in group.findLayers()]
    assert layers[0].name().endswith("true colour") and layers[0].bandCount() == 3
    band = next(layer for layer in layers if layer.name().endswith("SR_B4"))
    # read from the tar: through a VRT into /vsitar/ that gives it its reflectance units
    assert band.source().startswith("/vsitar/") or f"/vsitar/{bundle.resolve()}/" in Path(band.source()).read_text()
    assert not list(Path(tmp_path / "downloads").glob("*.TIF"))


def test_chosen_bands_download_as_separate_files(dock, qtbot, tmp_path):
    _sign_in_m2m()
    search(qtbot, dock)
    dock.results.select_keys(["LC90150352023067LGN00"])
    qtbot.mouseClick(dock.downloads.bands_radio, Qt.MouseButton.LeftButton)
    dock.downloads.bands_combo.setCheckedItems(["SR_B4", "SR_B3", "SR_B2"])
    qtbot.mouseClick(dock.downloads.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.download.task is None, timeout=60000)
    names = sorted(p.name for p in Path(tmp_path / "downloads").glob("*.TIF"))
    assert [name[-9:] for name in names] == ["SR_B2.TIF", "SR_B3.TIF", "SR_B4.TIF"], names
    assert sorted(settings.product()) == ["SR_B2", "SR_B3", "SR_B4"]


def test_download_cancel_keeps_the_partial_file_for_resume(dock, qtbot, tmp_path, emulated_services):
    _sign_in_m2m()
    search(qtbot, dock)
    # Only the bundle transfer is slowed: the thumbnail comes from the same host and must not use the fault up.
    emulated_services.faults.add("dds", "download/*", "throttle", bytes_per_second=100_000, times=1)
    emulated_services.faults.add("landsatlook", "gen-bundle", "throttle", bytes_per_second=100_000, times=1)
    dock.results.select_keys(["LC90150352023067LGN00"])
    dock.downloads.open_check.setChecked(False)
    qtbot.mouseClick(dock.downloads.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "of" in dock.downloads.status.text() and "left" in dock.downloads.status.text(),
                    timeout=30000)
    qtbot.mouseClick(dock.downloads.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.download.task is None, timeout=30000)
    assert "cancelled" in dock.downloads.status.text()
    qtbot.mouseClick(dock.downloads.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.download.task is None, timeout=60000)
    assert "1 file(s)" in dock.downloads.status.text(), dock.downloads.status.text()


@pytest.mark.slow
def test_service_errors_reach_the_message_bar_with_a_way_to_the_log(dock, qtbot, recording_iface, emulated_services):
    _sign_in_m2m()
    emulated_services.faults.add("m2m", "scene-search", "html", status=503, times=20)
    search(qtbot, dock, timeout=120000)
    level, text = dock.messages.last
    assert level == "error" and "Search" in text
    bar = recording_iface.messageBar()
    item = bar.currentItem()
    assert item.level() == Qgis.MessageLevel.Critical
    details = item.findChild(QPushButton, "SceneFinderDetailsButton")
    qtbot.mouseClick(details, Qt.MouseButton.LeftButton)
    assert recording_iface.message_log_opened


def test_unloading_during_a_search_cancels_it(dock, qtbot, emulated_services):
    _sign_in_m2m()
    emulated_services.faults.add("m2m", "scene-search", "delay", seconds=3, times=1)
    qtbot.mouseClick(dock.search_button, Qt.MouseButton.LeftButton)
    task = dock.search_task
    assert task is not None
    dock.shutdown()
    qtbot.waitUntil(lambda: task not in running_tasks(), timeout=20000)
    assert task.cancelled


def test_carbonmapper_plumes_search_and_styled_raster(dock, qtbot, tmp_path):
    auth.store_credentials(auth.SERVICE_CARBONMAPPER, auth.TOKEN_USERNAME, "demo-carbonmapper-token")
    choose(qtbot, dock.form.source_combo, SOURCE_CM_PLUMES)
    assert dock.form.gas_combo.isVisible() and not dock.form.dataset_combo.isVisible()
    assert not dock.downloads.bundle_radio.isVisible()
    set_dates(dock, datetime.date(2016, 1, 1), datetime.date(2026, 1, 1))
    dock.form.limit_spin.setValue(20)
    dock.aoi.set_rectangle(SAN_JOAQUIN, QgsCoordinateReferenceSystem("EPSG:4326"))
    search(qtbot, dock, timeout=60000)
    assert 0 < dock.results.model.rowCount() <= 20, dock.search_status.text()
    dock.results.select_keys([dock.results.model.rows[0].key])
    qtbot.mouseClick(dock.downloads.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.download.task is None, timeout=60000)
    assert "file(s)" in dock.downloads.status.text(), dock.downloads.status.text()
    qtbot.waitUntil(lambda: any(layer.type() == layer.RasterLayer and layer.renderer().type() ==
                                "singlebandpseudocolor" for layer in QgsProject.instance().mapLayers().values()),
                    timeout=30000)


def test_carbonmapper_scenes_search(dock, qtbot):
    auth.store_credentials(auth.SERVICE_CARBONMAPPER, "demo@example.com", "demo-password")
    choose(qtbot, dock.form.source_combo, SOURCE_CM_SCENES)
    set_dates(dock, datetime.date(2016, 1, 1), datetime.date(2026, 1, 1))
    dock.aoi.set_rectangle(SAN_JOAQUIN, QgsCoordinateReferenceSystem("EPSG:4326"))
    search(qtbot, dock, timeout=60000)
    assert dock.results.model.rowCount() > 0, dock.search_status.text()
    assert all(row.acquired is not None for row in dock.results.model.rows)


def test_selected_scene_shows_its_thumbnail_from_the_service(dock, qtbot):
    _sign_in_m2m()
    search(qtbot, dock)
    dock.results.select_keys(["LC90130352023085LGN00"])
    qtbot.waitUntil(lambda: dock.results.thumbnail.pixmap() is not None
                    and not dock.results.thumbnail.pixmap().isNull(), timeout=20000)
    row = dock.results.model.rows[dock.results.model.row_of("LC90130352023085LGN00")]
    assert row.thumbnail_url in dock.results.thumbnails.items


def test_cancel_button_stops_a_search(dock, qtbot, emulated_services):
    _sign_in_m2m()
    emulated_services.faults.add("m2m", "scene-search", "delay", seconds=2, times=1)
    qtbot.mouseClick(dock.search_button, Qt.MouseButton.LeftButton)
    assert dock.search_progress.isVisible() and dock.cancel_search_button.isEnabled()
    qtbot.mouseClick(dock.cancel_search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=20000)
    assert dock.search_status.text() == "Search cancelled."
    assert dock.search_button.isEnabled()


def test_expired_application_token_is_explained(dock, qtbot, emulated_services):
    _sign_in_m2m()
    emulated_services.faults.add("m2m", "login-token", "m2m_error", code="AUTH_INVALID",
                                 message="User credential verification failed", times=1)
    search(qtbot, dock)
    level, text = dock.messages.last
    assert level == "error" and "ers.cr.usgs.gov" in text and "token" in text


def test_unloading_the_plugin_during_a_search_cancels_it(emulated_services, auth_db, recording_iface,
                                                         qgis_new_project, qgis_canvas, qtbot):
    import scene_finder

    _sign_in_m2m()
    emulated_services.faults.add("m2m", "scene-search", "delay", seconds=5, times=1)
    point_map_at_albemarle(qgis_canvas)
    plugin = scene_finder.classFactory(recording_iface)
    plugin.initGui()
    plugin.dock.aoi.set_rectangle(ALBEMARLE, QgsCoordinateReferenceSystem("EPSG:4326"))
    plugin.dock.search_button.click()
    task = plugin.dock.search_task
    assert task is not None
    plugin.unload()
    qtbot.waitUntil(lambda: task not in running_tasks(), timeout=20000)
    assert task.cancelled


def test_the_form_is_remembered_between_sessions(dock, qtbot, recording_iface):
    _sign_in_m2m()
    choose(qtbot, dock.form.source_combo, SOURCE_CM_SCENES)
    dock.form.cloud_spin.setValue(35)
    dock.form.limit_spin.setValue(250)
    dock.form.remember()
    again = SceneFinderDock(recording_iface)
    try:
        assert again.form.source() == SOURCE_CM_SCENES
        assert again.form.cloud_spin.value() == 35 and again.form.limit_spin.value() == 250
        assert again.form.start() == MARCH_2023[0] and again.form.end() == MARCH_2023[1]
        assert again.downloads.folder() == dock.downloads.folder()
    finally:
        again.shutdown()
        again.deleteLater()


def test_the_aoi_shows_on_the_map_only_while_the_panel_is_open(recording_iface, qgis_new_project, qgis_canvas,
                                                               qtbot):
    import scene_finder

    plugin = scene_finder.classFactory(recording_iface)
    plugin.initGui()
    try:
        recording_iface.mainWindow().show()
        assert not plugin.dock.aoi.rubber_band.isVisible()
        plugin.toggle_action.trigger()
        qtbot.waitUntil(lambda: plugin.dock.aoi.rubber_band.isVisible())
        plugin.toggle_action.trigger()
        qtbot.waitUntil(lambda: not plugin.dock.aoi.rubber_band.isVisible())
    finally:
        plugin.unload()
        recording_iface.mainWindow().hide()


def test_download_state_follows_the_table_shown(dock, qtbot):
    """An M2M search with a row selected, then a Carbon Mapper search: nothing selected, nothing offered."""
    _sign_in_m2m()
    auth.store_credentials(auth.SERVICE_CARBONMAPPER, auth.TOKEN_USERNAME, "demo-carbonmapper-token")
    search(qtbot, dock)
    dock.results.select_keys(["LC90150352023067LGN00"])
    qtbot.waitUntil(lambda: dock.downloads.status.text().startswith("1 selected, "), timeout=20000)
    assert dock.downloads.download_button.text() == "Download selected (1)"
    choose(qtbot, dock.form.source_combo, SOURCE_CM_SCENES)
    set_dates(dock, datetime.date(2016, 1, 1), datetime.date(2026, 1, 1))
    dock.aoi.set_rectangle(SAN_JOAQUIN, QgsCoordinateReferenceSystem("EPSG:4326"))
    search(qtbot, dock, timeout=60000)
    assert dock.results.model.rowCount() > 0 and dock.results.selected_rows() == []
    assert dock.downloads.download_button.text() == "Download selected"
    assert not dock.downloads.download_button.isEnabled()
    assert "selected" not in dock.downloads.status.text(), dock.downloads.status.text()


def test_unknown_cloud_cover_is_included_by_default_and_remembered(dock, qtbot, recording_iface):
    assert dock.form.unknown_cloud_check.isChecked()
    assert dock.form.request().include_unknown_cloud
    dock.form.unknown_cloud_check.setChecked(False)
    dock.form.remember()
    again = SceneFinderDock(recording_iface)
    try:
        assert not again.form.unknown_cloud_check.isChecked()
        assert not again.form.request().include_unknown_cloud
    finally:
        again.shutdown()
        again.deleteLater()
        settings.set_value("include_unknown_cloud", None)
