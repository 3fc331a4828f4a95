"""Drag and drop: bundles from the file manager, scene rows from the results table."""

from __future__ import annotations

from landsat_files import PRODUCT, make_bundle
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QMetaType, QMimeData, QUrl

import scene_finder
from scene_finder.gis.compat import field_type
from scene_finder.gis.drop_handler import SCENES_MIME, SceneFinderDropHandler, scenes_to_mime


def test_plugin_registers_and_unregisters_the_handler(recording_iface):
    plugin = scene_finder.classFactory(recording_iface)
    plugin.initGui()
    try:
        assert [type(h).__name__ for h in recording_iface.drop_handlers] == ["SceneFinderDropHandler"]
    finally:
        plugin.unload()
    assert recording_iface.drop_handlers == []


def test_dropped_bundle_opens_as_a_scene_group(qgis_new_project, qtbot, tmp_path):
    told = []
    handler = SceneFinderDropHandler(notify=lambda level, text: told.append((level, text)))
    bundle = make_bundle(tmp_path)
    assert not handler.handleFileDrop(str(tmp_path / "notes.txt"))
    assert handler.handleFileDrop(str(bundle))
    qtbot.waitUntil(lambda: QgsProject.instance().layerTreeRoot().findGroup(PRODUCT) is not None, timeout=20000)
    assert told == [("info", f"Opened {PRODUCT}.")]


def test_dropped_rows_open_the_bundle_when_downloaded_else_the_footprint(qgis_new_project, qtbot, tmp_path):
    handler = SceneFinderDropHandler()
    bundle = make_bundle(tmp_path)
    data = scenes_to_mime([
        {"entity_id": "A", "display_id": PRODUCT, "dataset": "landsat_ot_c2_l2", "acquired": "2023-03-26",
         "cloud_cover": 13.3, "footprint": "POLYGON((-77 35, -76 35, -76 36, -77 36, -77 35))", "bundle": str(bundle)},
        {"entity_id": "B", "display_id": "LC09_B", "dataset": "landsat_ot_c2_l2", "acquired": "2023-03-08",
         "cloud_cover": 0.2, "footprint": "POLYGON((-78 35, -77 35, -77 36, -78 36, -78 35))", "bundle": None},
    ])
    assert handler.canHandleMimeData(data)
    assert handler.handleMimeDataV2(data)
    group = QgsProject.instance().layerTreeRoot().findGroup("Scene Finder")
    footprints = group.findLayers()[0].layer()
    assert [f["entity_id"] for f in footprints.getFeatures()] == ["B"]
    text = QMetaType.Type.QString
    assert [(f.name(), field_type(f)) for f in footprints.fields()] == [
        ("entity_id", text), ("display_id", text), ("dataset", text), ("acquired", text),
        ("cloud_cover", QMetaType.Type.Double)]
    assert [f["cloud_cover"] for f in footprints.getFeatures()] == [0.2]
    qtbot.waitUntil(lambda: QgsProject.instance().layerTreeRoot().findGroup(PRODUCT) is not None, timeout=20000)


def test_other_mime_data_is_left_to_qgis():
    handler = SceneFinderDropHandler()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile("/tmp/x.shp")])
    assert not handler.canHandleMimeData(data) and not handler.handleMimeDataV2(data)
    broken = QMimeData()
    broken.setData(SCENES_MIME, b"not json")
    assert not handler.handleMimeDataV2(broken)
