"""The AOI picker: map extent, selection, whole layer, drawn rectangle; EPSG:4326 and area; clear errors."""

from __future__ import annotations

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QPoint, Qt

from scene_finder.ui.aoi import AoiError, AoiPicker, rectangle_to_wgs84

MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")


@pytest.fixture()
def picker(recording_iface, qgis_canvas, qgis_new_project, qtbot):
    qgis_canvas.setDestinationCrs(MERCATOR)
    qgis_canvas.resize(600, 400)
    qgis_canvas.show()
    qgis_canvas.setExtent(QgsRectangle(-8_500_000, 4_200_000, -8_300_000, 4_400_000))
    widget = AoiPicker(recording_iface)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()
    qgis_canvas.hide()


def _layer(kind: str, wkts: list[str], crs: str = "EPSG:32618") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{kind}?crs={crs}", "aoi layer", "memory")
    features = []
    for wkt in wkts:
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    return layer


def _choose(qtbot, combo, key):
    combo.setFocus()
    index = combo.findData(key)
    while combo.currentIndex() != index:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)


def test_map_extent_is_transformed_to_wgs84_and_follows_the_canvas(picker, qgis_canvas, qtbot):
    aoi = picker.aoi()
    box = aoi.geometry.boundingBox()
    assert box.center().x() == pytest.approx(-75.46, abs=0.05)  # the canvas centre, in degrees
    assert box.xMinimum() < -76.3 and box.xMaximum() > -74.6 and 35 < box.yMinimum() < box.yMaximum() < 39
    width_km = (box.width() * 111.32) * 0.808  # cos(36.1°)
    assert aoi.is_rectangle and aoi.area_km2 == pytest.approx(width_km * box.height() * 110.95, rel=0.02)
    assert "km²" in picker.area_label.text()
    assert picker.rubber_band.numberOfVertices() >= 4
    seen = []
    picker.aoi_changed.connect(seen.append)
    qgis_canvas.setExtent(QgsRectangle(0, 0, 100_000, 100_000))
    moved = lambda: bool(seen) and seen[-1] is not None and seen[-1].geometry.boundingBox().center().x() > 0.4  # noqa: E731
    qtbot.waitUntil(moved)


def test_selected_features_union_in_another_crs(picker, qtbot):
    layer = _layer("Polygon", ["POLYGON((500000 4000000, 510000 4000000, 510000 4010000, 500000 4010000, "
                               "500000 4000000))",
                               "POLYGON((510000 4000000, 520000 4000000, 520000 4010000, 510000 4010000, "
                               "510000 4000000))",
                               "POLYGON((600000 4100000, 601000 4100000, 601000 4101000, 600000 4100000))"])
    picker.layer_combo.setLayer(layer)
    _choose(qtbot, picker.source_combo, "selection")
    with pytest.raises(AoiError, match="No features are selected"):
        picker.aoi()
    assert "No features are selected" in picker.area_label.text()
    layer.selectByIds([1, 2])
    qtbot.waitUntil(lambda: picker.current is not None)
    aoi = picker.aoi()
    assert aoi.area_km2 == pytest.approx(200, rel=0.01)
    assert aoi.geometry.boundingBox().xMinimum() == pytest.approx(-75.0, abs=0.01)  # UTM 18N central meridian
    assert aoi.to_shapely().geom_type == "Polygon"  # adjacent squares merged into one polygon
    _choose(qtbot, picker.source_combo, "layer")
    assert picker.aoi().geometry.isMultipart()


def test_points_and_lines_get_a_clear_message(picker, qtbot):
    points = _layer("Point", ["POINT(500000 4000000)"])
    points.selectAll()
    picker.set_source("selection")
    picker.layer_combo.setLayer(points)
    # The polygon-only combo refuses point layers: choosing it as the active layer keeps the combo empty.
    from scene_finder.ui.aoi import aoi_from_layer

    with pytest.raises(AoiError, match="points or lines"):
        aoi_from_layer(points, True)
    with pytest.raises(AoiError, match="polygon"):
        from scene_finder.ui.aoi import make_aoi

        make_aoi(QgsGeometry.fromWkt("LINESTRING(0 0, 1 1)"), "selection")


def test_too_large_an_area_is_refused_in_plain_words(picker, qgis_canvas, qtbot):
    qgis_canvas.setExtent(QgsRectangle(-20_000_000, -19_000_000, 20_000_000, 19_000_000))
    qtbot.waitUntil(lambda: picker.current is None)
    with pytest.raises(AoiError, match="larger than"):
        picker.aoi()
    assert "Zoom in" in picker.area_label.text()


def test_rectangle_drawn_with_the_mouse(picker, qgis_canvas, qtbot):
    _choose(qtbot, picker.source_combo, "rectangle")
    with pytest.raises(AoiError, match="Draw"):
        picker.aoi()
    qtbot.mouseClick(picker.draw_button, Qt.MouseButton.LeftButton)
    assert qgis_canvas.mapTool() is picker.map_tool
    viewport = qgis_canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    qtbot.mouseMove(viewport, QPoint(200, 150))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(300, 200))
    qtbot.waitUntil(lambda: picker.current is not None)
    aoi = picker.aoi()
    assert aoi.source == "rectangle" and aoi.is_rectangle
    to_map = qgis_canvas.getCoordinateTransform()
    expected = rectangle_to_wgs84(QgsRectangle(to_map.toMapCoordinates(100, 100), to_map.toMapCoordinates(300, 200)),
                                  MERCATOR).boundingBox()
    box = aoi.geometry.boundingBox()
    assert box.xMinimum() == pytest.approx(expected.xMinimum()) and box.yMaximum() == pytest.approx(expected.yMaximum())
    assert not picker.draw_button.isChecked()
    assert picker.label_item.text.endswith("km²")
