"""scenefinder:coverage in process: synthetic footprints where the pick is known, Scene Finder's own
Landsat and Carbon Mapper results from the emulator, windows, an AOI layer in another CRS, bad input."""

from __future__ import annotations

import datetime

import processing
import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QDate, QDateTime, QTime

GRID = "0,4,0,4 [EPSG:4326]"


def memory_layer(fields: str, rows: list) -> QgsVectorLayer:
    """A polygon layer in EPSG:4326 with ``fields`` (memory provider syntax) and rows (geometry, attributes)."""
    layer = QgsVectorLayer(f"Polygon?crs=EPSG:4326&{fields}", "footprints", "memory")
    features = []
    for geometry, attributes in rows:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(geometry)
        feature.setAttributes(attributes)
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)
    return layer


def tile(x: float, y: float, size: float = 1.0) -> QgsGeometry:
    return QgsGeometry.fromRect(QgsRectangle(x, y, x + size, y + size))


@pytest.fixture()
def grid_layer():
    """4 x 4 tiles, each as a clear scene and a cloudy one, plus cloudier tiles shifted by half a tile."""
    rows = []
    for i in range(4):
        for j in range(4):
            rows.append((tile(i, j), [f"clear-{i}-{j}", 3.0, QDate(2024, 5, 1 + i)]))
            rows.append((tile(i, j), [f"cloudy-{i}-{j}", 70.0, QDate(2024, 5, 10 + j)]))
    for i in range(3):
        for j in range(3):
            rows.append((tile(i + 0.5, j + 0.5), [f"shifted-{i}-{j}", 30.0, QDate(2024, 6, 1)]))
    layer = memory_layer("field=entity_id:string&field=cloud_cover:double&field=acquired:date", rows)
    yield layer
    forget(layer)


def forget(layer: QgsVectorLayer) -> None:
    """Delete a layer made by the test (Processing may have taken it over and deleted it already)."""
    if not sip.isdeleted(layer):
        sip.delete(layer)


def picked_rows(path: str) -> list:
    """The features of an output, as dicts of their attributes (the layer is closed before returning)."""
    layer = QgsVectorLayer(path, "picked", "ogr")
    assert layer.isValid()
    names = layer.fields().names()
    rows = [dict(zip(names, feature.attributes())) for feature in layer.getFeatures()]
    forget(layer)
    return rows


def test_the_pick_on_a_grid_is_the_clear_tiles_with_share_and_mean_cloud(provider, context, feedback, grid_layer,
                                                                         tmp_path):
    result = processing.run("scenefinder:coverage", {
        "INPUT": grid_layer, "EXTENT": GRID, "MIN_COVERAGE": 100, "OUTPUT": str(tmp_path / "picked.gpkg"),
    }, context=context, feedback=feedback)
    picked = picked_rows(result["OUTPUT"])
    assert sorted(f["entity_id"] for f in picked) == sorted(f"clear-{i}-{j}" for i in range(4) for j in range(4))
    assert result["COUNT"] == 16 and result["SHARE"] == pytest.approx(100.0) and result["MEAN_CLOUD"] == 3.0
    assert sum(f["cover_adds_pct"] for f in picked) == pytest.approx(100.0, abs=0.01)
    assert {f["cover_window"] for f in picked} == {"all"}
    assert sorted(f["cover_order"] for f in picked) == list(range(1, 17))
    assert any("16 scene(s) cover 100.0 % of the area; mean cloud cover 3.0 %" in info for info in feedback.infos)


def test_one_cover_per_month_and_an_aoi_layer_in_metres(provider, context, feedback, grid_layer, tmp_path):
    aoi = QgsVectorLayer("Polygon?crs=EPSG:3857", "aoi", "memory")
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(0, 0, 445_000, 445_000)))  # about 0..4 degrees
    aoi.dataProvider().addFeatures([feature])
    result = processing.run("scenefinder:coverage", {
        "INPUT": grid_layer, "AOI": aoi, "MIN_COVERAGE": 50, "WINDOW": "month",
        "OUTPUT": str(tmp_path / "monthly.gpkg"),
    }, context=context, feedback=feedback)
    picked = picked_rows(result["OUTPUT"])
    by_window: dict = {}
    for f in picked:
        by_window.setdefault(f["cover_window"], []).append(f["entity_id"])
    assert set(by_window) == {"2024-05", "2024-06"}
    assert all(name.startswith("clear-") for name in by_window["2024-05"]) and len(by_window["2024-05"]) == 8
    assert result["MIN_SHARE"] >= 50.0
    forget(aoi)


def test_carbon_mapper_fields_are_found_by_name(provider, context, tmp_path):
    when = QDateTime(QDate(2025, 3, 4), QTime(10, 30))
    layer = memory_layer("field=scene_id:string&field=cloud_cover_pct:integer&field=timestamp:datetime", [
        (tile(0, 0, 4), ["cloudy-big", 90, when]),
        (tile(0, 0, 4), ["clear-big", 10, when]),
    ])
    result = processing.run("scenefinder:coverage", {
        "INPUT": layer, "EXTENT": GRID, "WINDOW": "season", "OUTPUT": str(tmp_path / "cm.gpkg"),
    }, context=context)
    (picked,) = picked_rows(result["OUTPUT"])
    assert picked["scene_id"] == "clear-big" and picked["cover_window"] == "2025-MAM"
    assert result["MEAN_CLOUD"] == 10.0
    forget(layer)


def test_a_missing_date_field_for_windows_and_an_unknown_field_are_clear_errors(provider, context, tmp_path):
    layer = memory_layer("field=name:string&field=cc:double", [(tile(0, 0), ["a", 5.0])])
    with pytest.raises(QgsProcessingException, match="DATE_FIELD"):
        processing.run("scenefinder:coverage", {"INPUT": layer, "EXTENT": GRID, "WINDOW": "month",
                                                "OUTPUT": str(tmp_path / "x.gpkg")}, context=context)
    result = processing.run("scenefinder:coverage", {"INPUT": layer, "EXTENT": GRID, "CLOUD_FIELD": "cc",
                                                     "OUTPUT": str(tmp_path / "y.gpkg")}, context=context)
    assert result["COUNT"] == 1 and result["MEAN_CLOUD"] == 5.0
    with pytest.raises(QgsProcessingException, match="extent"):
        processing.run("scenefinder:coverage", {"INPUT": layer, "OUTPUT": str(tmp_path / "z.gpkg")}, context=context)
    forget(layer)


def test_landsat_footprints_from_a_search_of_the_emulator(provider, services, context, feedback, tmp_path):
    extent = "-77.5,-75.5,35.0,37.0 [EPSG:4326]"
    search = processing.run("scenefinder:m2msearch", {
        "EXTENT": extent, "START_DATE": "2023-01-01", "END_DATE": "2023-12-31",
        "OUTPUT": str(tmp_path / "footprints.gpkg"),
    }, context=context)
    assert search["COUNT"] > 20
    footprints = QgsVectorLayer(search["OUTPUT"], "footprints", "ogr")
    result = processing.run("scenefinder:coverage", {
        "INPUT": footprints, "EXTENT": extent, "WINDOW": "season", "OUTPUT": str(tmp_path / "picked.gpkg"),
    }, context=context, feedback=feedback)
    picked = picked_rows(result["OUTPUT"])
    assert 0 < result["COUNT"] == len(picked) < search["COUNT"]
    assert {f["cover_window"] for f in picked} <= {"2023-DJF", "2023-MAM", "2023-JJA", "2023-SON", "2024-DJF"}
    for f in picked:
        acquired = f["acquired"].toPyDate() if hasattr(f["acquired"], "toPyDate") else f["acquired"]
        assert isinstance(acquired, datetime.date)
    assert result["SHARE"] > 90.0
    assert 0.0 <= result["MEAN_CLOUD"] <= 100.0
    forget(footprints)
