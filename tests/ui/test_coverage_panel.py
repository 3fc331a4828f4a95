""""Pick for coverage" in the results: runs in a task on the results layer and the AOI, selects the
picked rows in the table and on the layer, tells the share and mean cloud, remembers its choices."""

from __future__ import annotations

import datetime

from dock_helpers import search, set_dates
from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QDate, Qt

from scene_finder.gis import auth, settings


def _pick(qtbot, dock) -> None:
    qtbot.mouseClick(dock.coverage.button, Qt.MouseButton.LeftButton)
    assert dock.coverage.task is not None, dock.messages.last
    qtbot.waitUntil(lambda: dock.coverage.task is None, timeout=30000)


def test_pick_for_coverage_selects_the_picked_rows_and_tells_share_and_cloud(dock, qtbot):
    auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")
    set_dates(dock, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    search(qtbot, dock)
    layer = dock.results.layer
    found = layer.featureCount()
    assert found > 10
    _pick(qtbot, dock)
    picked = layer.selectedFeatureIds()
    assert 0 < len(picked) < found
    rows = dock.results.selected_rows()
    assert sorted(row.fid for row in rows) == sorted(picked)  # the table follows
    status = dock.coverage.status.text()
    assert "of the area; mean cloud cover" in status and f"{len(picked)} scene(s) cover" in status
    assert dock.messages.last == ("info", status)
    # every picked scene is the clearest of its path/row: the AOI is small next to a scene
    clouds = {f.id(): f["cloud_cover"] for f in layer.getFeatures()}
    assert all(clouds[fid] is not None for fid in picked)


def test_the_menu_choices_are_remembered_and_used(dock, qtbot):
    coverage = dock.coverage
    coverage.target_actions[95.0].trigger()
    coverage.window_actions["month"].trigger()
    assert (coverage.target(), coverage.window()) == (95.0, "month")
    assert [a.isChecked() for a in coverage.window_actions.values()].count(True) == 1
    assert settings.value("coverage_target") == 95.0 and settings.value("coverage_window") == "month"
    from scene_finder.ui.coverage import CoveragePicker

    again = CoveragePicker(dock.results, lambda: None, dock.messages)
    assert (again.target(), again.window()) == (95.0, "month")
    sip.delete(again)
    settings.set_value("coverage_target", None)
    settings.set_value("coverage_window", None)


def test_without_results_it_asks_for_a_search_first(dock, qtbot):
    qtbot.mouseClick(dock.coverage.button, Qt.MouseButton.LeftButton)
    assert dock.coverage.task is None
    assert "Search first" in dock.messages.last[1]


def test_a_memory_layer_of_results_is_read_through_qgis(dock, qtbot):
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=entity_id:string&field=cloud_cover:double"
                           "&field=acquired:date", "results", "memory")
    features = []
    west, south = -76.9196, 35.5713
    for n, (x, cloud) in enumerate([(0.0, 50.0), (0.0, 5.0), (0.8, 10.0)]):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(west + x - 0.1, south - 0.1, west + x + 0.9, 36.5)))
        feature.setAttributes([f"scene-{n}", cloud, QDate(2023, 3, 1 + n)])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    dock.results.show_layer(layer)
    _pick(qtbot, dock)
    assert sorted(f["entity_id"] for f in layer.selectedFeatures()) == ["scene-1", "scene-2"]
    assert "2 scene(s) cover 100.0 % of the area; mean cloud cover 7.5 %." in dock.coverage.status.text()
    dock.results.clear()
    assert dock.coverage.status.text() == ""  # it spoke of results no longer shown
    sip.delete(layer)
