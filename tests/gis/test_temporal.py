"""Temporal properties of the results layers, and the table's time rule agreeing with QGIS's own filter."""

from __future__ import annotations

import datetime

import pytest
from osgeo import ogr, osr
from qgis.core import Qgis, QgsDateTimeRange, QgsFeatureRequest, QgsVectorLayerTemporalContext
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime
from shapely.geometry import box

from scene_finder.core.carbonmapper.plumes import Plume
from scene_finder.core.models import Scene
from scene_finder.gis.carbonmapper_gpkg import write_plumes
from scene_finder.gis.carbonmapper_layers import plume_layer, scene_layer
from scene_finder.gis.footprints import write_footprints
from scene_finder.gis.styles import footprint_layer
from scene_finder.gis.temporal import Span, TimeWindow, set_acquisition_time, time_span
from scene_finder.ui.results_reading import read_rows_layer, read_rows_ogr

DAYS = [datetime.date(2023, 3, day) for day in (1, 1, 6, 7, 8, 8, 14, 15, 31)]


def _moment(year, month, day, hour=0, minute=0, second=0) -> QDateTime:
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second))


def _range(begin: QDateTime, end: QDateTime, include_end: bool = False) -> QgsDateTimeRange:
    return QgsDateTimeRange(begin, end, True, include_end)


# Daily and weekly frames of an animation, an hour inside a day, a fixed range that includes its end
RANGES = [
    _range(_moment(2023, 3, 1), _moment(2023, 3, 2)),
    _range(_moment(2023, 3, 7), _moment(2023, 3, 8)),
    _range(_moment(2023, 3, 8), _moment(2023, 3, 9)),
    _range(_moment(2023, 3, 1), _moment(2023, 3, 8)),
    _range(_moment(2023, 3, 8), _moment(2023, 3, 15)),
    _range(_moment(2023, 3, 7, 12), _moment(2023, 3, 7, 13)),
    _range(_moment(2023, 3, 14, 15, 31, 2), _moment(2023, 3, 15, 9, 0)),
    _range(_moment(2023, 3, 1), _moment(2023, 3, 31), include_end=True),
    _range(_moment(2023, 4, 1), _moment(2023, 5, 1)),
]


def _shown_by_qgis(layer, key: str, time_range: QgsDateTimeRange) -> set[str]:
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    expression = layer.temporalProperties().createFilterString(context, time_range)
    request = QgsFeatureRequest().setFilterExpression(expression)
    return {feature[key] for feature in layer.getFeatures(request)}


def _shown_by_table(rows, time_range: QgsDateTimeRange) -> set[str]:
    window = TimeWindow.of(time_range)
    return {row.key for row in rows if window.shows(time_span(row.record, row.acquired))}


def _assert_table_agrees_with_the_map(layer, key: str, rows_ogr, rows_layer) -> None:
    for time_range in RANGES:
        expected = _shown_by_qgis(layer, key, time_range)
        label = " – ".join(moment.toString(Qt.DateFormat.ISODate) for moment in (time_range.begin(), time_range.end()))
        assert _shown_by_table(rows_ogr, time_range) == expected, label
        assert _shown_by_table(rows_layer, time_range) == expected, label


def test_footprints_are_whole_days_and_the_table_shows_what_the_map_shows(tmp_path, qgis_app):
    scenes = [Scene(f"E{i}", f"D{i}", "landsat_ot_c2_l2", acquired=day, footprint=box(i, 0, i + 1, 1))
              for i, day in enumerate(DAYS)]
    scenes.append(Scene("E_nodate", "D_nodate", "landsat_ot_c2_l2", footprint=box(0, 2, 1, 3)))
    path = tmp_path / "footprints.gpkg"
    write_footprints(scenes, path)
    layer = footprint_layer(path)
    properties = layer.temporalProperties()
    assert properties.isActive()
    assert properties.mode() == Qgis.VectorTemporalMode.FeatureDateTimeStartAndEndFromExpressions
    assert properties.startExpression() == 'to_datetime("acquired")'
    assert properties.endExpression() == 'to_datetime("acquired") + make_interval(days:=1)'
    # the 7th-8th frame shows the 7th only, the 8th-9th the two scenes of the 8th
    assert _shown_by_qgis(layer, "entity_id", RANGES[1]) == {"E3"}
    assert _shown_by_qgis(layer, "entity_id", RANGES[2]) == {"E4", "E5"}
    _assert_table_agrees_with_the_map(layer, "entity_id", read_rows_ogr(str(path), "footprints"),
                                      read_rows_layer(layer))


def _plume(number: int, when: datetime.datetime | None) -> Plume:
    return Plume(id=f"u{number}", plume_id=f"P{number}", gas="CH4", longitude=-100.0 + number, latitude=32.0,
                 datetime=when, instrument="tan", platform=None, emission=10.0 * number, emission_uncertainty=None,
                 sector=None, status="published", scene_id=None, scene_name=None, published_at=None)


def test_plumes_are_instants_from_their_datetime(tmp_path, qgis_app):
    # Not exactly at the end of a range that includes its end: QGIS compares such a DateTime as text in the
    # GeoPackage ("...T00:00:00.000Z" > "...T00:00:00") and leaves that plume out, against its own rule.
    moments = [datetime.datetime(2023, 3, 1, 0, 0, 0), datetime.datetime(2023, 3, 7, 12, 30),
               datetime.datetime(2023, 3, 7, 23, 59, 59), datetime.datetime(2023, 3, 8, 0, 0, 0),
               datetime.datetime(2023, 3, 14, 15, 31, 2), datetime.datetime(2023, 3, 30, 23, 0, 0), None]
    path = tmp_path / "plumes.gpkg"
    write_plumes([_plume(i, when) for i, when in enumerate(moments)], path)
    layer = plume_layer(path)
    properties = layer.temporalProperties()
    assert properties.isActive()
    assert properties.mode() == Qgis.VectorTemporalMode.FeatureDateTimeInstantFromField
    assert properties.startField() == "datetime"
    assert "P6" in _shown_by_qgis(layer, "plume_id", RANGES[0])  # no time: shown in every frame, as QGIS does
    assert _shown_by_qgis(layer, "plume_id", RANGES[1]) == {"P1", "P2", "P6"}
    _assert_table_agrees_with_the_map(layer, "plume_id", read_rows_ogr(str(path), "plumes", "plume"),
                                      read_rows_layer(layer, "plume"))


def test_carbon_mapper_scenes_are_instants_from_their_timestamp(tmp_path, qgis_app):
    path = tmp_path / "scenes.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    target = dataset.CreateLayer("scenes", srs, ogr.wkbPolygon)
    for name, kind in (("id", ogr.OFTString), ("timestamp", ogr.OFTDateTime), ("created", ogr.OFTDateTime)):
        target.CreateField(ogr.FieldDefn(name, kind))
    for number, stamp in enumerate(("2023/03/07 18:20:00+00", "2023/03/08 00:00:00+00", "2023/03/14 15:31:02+00")):
        feature = ogr.Feature(target.GetLayerDefn())
        feature.SetField("id", f"S{number}")
        feature.SetField("timestamp", stamp)
        feature.SetField("created", "2023/01/01 00:00:00+00")
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POLYGON(({number} 0,{number} 1,{number + 1} 1,{number} 0))"))
        target.CreateFeature(feature)
    dataset = None
    layer = scene_layer(path)
    properties = layer.temporalProperties()
    assert properties.isActive() and properties.startField() == "timestamp"
    assert properties.mode() == Qgis.VectorTemporalMode.FeatureDateTimeInstantFromField
    _assert_table_agrees_with_the_map(layer, "id", read_rows_ogr(str(path), "scenes", "cm_scene"),
                                      read_rows_layer(layer, "cm_scene"))


def test_a_layer_without_an_acquisition_time_is_left_as_it_is(qgis_app):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=epsg:4326&field=name:string&field=acquired:string", "x", "memory")
    assert not set_acquisition_time(layer)
    assert not layer.temporalProperties().isActive()


@pytest.mark.parametrize(("value", "expected"), [
    ("2023/03/26 15:31:02+00", datetime.datetime(2023, 3, 26, 15, 31, 2)),
    ("2023-03-26T17:31:02+02:00", datetime.datetime(2023, 3, 26, 15, 31, 2)),
    ("2023-03-26T15:31:02Z", datetime.datetime(2023, 3, 26, 15, 31, 2)),
    ("2023-03-26 15:31:02", datetime.datetime(2023, 3, 26, 15, 31, 2)),
    ("", None),
    ("not a time", None),
])
def test_instants_are_read_as_utc_from_what_ogr_and_qgis_give(value, expected):
    assert time_span({"timestamp": value}, None) == Span(expected, False)


def test_a_controller_that_is_off_bounds_nothing():
    assert TimeWindow.of(QgsDateTimeRange(QDateTime(), QDateTime())) is None
    window = TimeWindow.of(_range(_moment(2023, 3, 1), _moment(2023, 3, 8)))
    assert window.describe() == "2023-03-01 – 2023-03-08"
    assert window.shows(Span(None, False)) and not window.shows(Span(None, True))
