"""write_footprints: exact schema, nulls, blobs and spatial index written by SQLite, atomic replacement, cancel."""

from __future__ import annotations

import datetime
import sqlite3

import pytest
from osgeo import ogr
from shapely.geometry import GeometryCollection, MultiPolygon, Point, Polygon, box

from scene_finder.core.errors import CancelledError
from scene_finder.core.models import FOOTPRINT_FIELDS, Scene
from scene_finder.gis.carbonmapper_gpkg import gpkg_geometry
from scene_finder.gis.footprints import FootprintWriteError, write_footprints


def make_scenes(count: int, start: int = 0) -> list[Scene]:
    scenes = []
    for i in range(start, start + count):
        x, y = -180 + (i % 3600) * 0.1, -60 + (i // 3600) * 0.1
        scenes.append(Scene(
            entity_id=f"LC9{i:06d}", display_id=f"LC09_L2SP_{i:06d}", dataset="landsat_ot_c2_l2",
            acquired=datetime.date(2023, 1, 1) + datetime.timedelta(days=i % 365),
            cloud_cover=None if i % 10 == 0 else float(i % 100), footprint=box(x, y, x + 0.09, y + 0.09),
            browse_url=f"https://example.org/browse/{i}.jpg", thumbnail_url=None,
            wrs_path=i % 233 + 1, wrs_row=i % 248 + 1, satellite=9,
        ))
    return scenes


def read_layer(path, layer="footprints"):
    dataset = ogr.Open(str(path))
    lyr = dataset.GetLayerByName(layer)
    definition = lyr.GetLayerDefn()
    fields = [(definition.GetFieldDefn(i).GetName(), definition.GetFieldDefn(i).GetTypeName())
              for i in range(definition.GetFieldCount())]
    rows = [feature.items() | {"wkt": feature.GetGeometryRef() and feature.GetGeometryRef().ExportToWkt()}
            for feature in lyr]
    info = dict(fields=fields, rows=rows, geom_type=lyr.GetGeomType(),
                epsg=lyr.GetSpatialRef().GetAuthorityCode(None),
                layers=[dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())])
    sql = dataset.ExecuteSQL(f"SELECT HasSpatialIndex('{layer}', 'geom')")
    info["spatial_index"] = sql.GetNextFeature().GetField(0)
    dataset.ReleaseResultSet(sql)
    return info


def test_schema_values_and_nulls(tmp_path):
    scenes = make_scenes(3)
    scenes.append(Scene("E4", "D4", "landsat_ot_c2_l2", footprint=MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)])))
    scenes.append(Scene("E5", "D5", "landsat_ot_c2_l2"))  # nothing known but the ids
    path = tmp_path / "out.gpkg"
    assert write_footprints(scenes, path) == 5
    info = read_layer(path)
    assert [name for name, _ in info["fields"]] == list(FOOTPRINT_FIELDS)
    assert dict(info["fields"]) == {
        "entity_id": "String", "display_id": "String", "dataset": "String", "acquired": "Date",
        "cloud_cover": "Real", "wrs_path": "Integer", "wrs_row": "Integer", "satellite": "Integer",
        "browse_url": "String", "thumbnail_url": "String", "overlay_type": "String", "overlay_url": "String",
    }
    assert info["geom_type"] == ogr.wkbMultiPolygon and info["epsg"] == "4326"
    assert info["spatial_index"] == 1
    first, second, *_, fourth, fifth = info["rows"]
    assert first["entity_id"] == "LC9000000" and first["acquired"] == "2023/01/01"
    assert first["cloud_cover"] is None and second["cloud_cover"] == 1.0
    assert first["satellite"] == 9 and first["wrs_path"] == 1 and first["thumbnail_url"] is None
    assert first["wkt"].startswith("MULTIPOLYGON")
    assert fourth["wkt"].count("((") == 2
    assert fifth["wkt"] is None and fifth["acquired"] is None


def test_fifty_thousand_scenes_with_progress(tmp_path):
    calls = []
    path = tmp_path / "big.gpkg"
    written = write_footprints(make_scenes(50_000), path, progress=lambda done, total: calls.append((done, total)))
    assert written == 50_000
    assert calls[-1] == (50_000, 50_000) and len(calls) >= 100
    dataset = ogr.Open(str(path))
    assert dataset.GetLayerByName("footprints").GetFeatureCount() == 50_000


def test_replacing_keeps_other_layers_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "out.gpkg"
    write_footprints(make_scenes(10), path, layer="other")
    write_footprints(make_scenes(5), path)
    write_footprints(make_scenes(7, start=100), path)
    info = read_layer(path)
    assert sorted(info["layers"]) == ["footprints", "other"]
    assert len(info["rows"]) == 7 and info["rows"][0]["entity_id"] == "LC9000100"
    assert len(read_layer(path, "other")["rows"]) == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg"]


def test_cancel_leaves_the_existing_file_untouched(tmp_path):
    path = tmp_path / "out.gpkg"
    write_footprints(make_scenes(3), path)
    before = path.read_bytes()
    with pytest.raises(CancelledError):
        write_footprints(make_scenes(5_000), path, cancel=lambda: True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg"]


def test_failure_midway_leaves_no_half_written_file(tmp_path):
    path = tmp_path / "new.gpkg"

    def broken():
        yield from make_scenes(1_200)
        raise RuntimeError("the service went away")

    with pytest.raises(RuntimeError):
        write_footprints(broken(), path)
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_use_is_not_replaced(tmp_path):
    path = tmp_path / "out.gpkg"
    write_footprints(make_scenes(2), path)
    (tmp_path / "out.gpkg-wal").write_bytes(b"")
    with pytest.raises(FootprintWriteError, match="open in another program"):
        write_footprints(make_scenes(2), path)


def test_styled_layer_and_scene_finder_group(tmp_path, qgis_app):
    from qgis.core import QgsProject

    from scene_finder.gis.styles import GROUP_NAME, add_to_scene_finder_group, footprint_layer

    path = tmp_path / "out.gpkg"
    write_footprints(make_scenes(4), path)
    layer = footprint_layer(path, display_name="Landsat footprints")
    assert layer.isValid() and layer.featureCount() == 4 and layer.name() == "Landsat footprints"
    symbol = layer.renderer().symbol()
    assert symbol.color().alpha() == 0 or symbol.symbolLayer(0).brushStyle() == 0  # no fill
    assert layer.labelsEnabled() and "acquired" in layer.labeling().settings().fieldName

    project = QgsProject()
    add_to_scene_finder_group(layer, project)
    second = footprint_layer(path)
    add_to_scene_finder_group(second, project)
    group = project.layerTreeRoot().findGroup(GROUP_NAME)
    assert project.layerTreeRoot().children()[0] is group
    assert [node.layer() for node in group.findLayers()] == [second, layer]
    project.clear()


def test_rows_blobs_spatial_index_and_metadata_as_ogr_would_write_them(tmp_path):
    scenes = make_scenes(6_000)
    path = tmp_path / "out.gpkg"
    assert write_footprints(scenes, path) == 6_000
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT rtreecheck('rtree_footprints_geom')").fetchone()[0] == "ok"
        blobs = dict(db.execute("SELECT fid, geom FROM footprints"))
        boxes = {row[0]: row[1:] for row in db.execute("SELECT * FROM rtree_footprints_geom")}
        counted = db.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'footprints'").fetchone()
        extent = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'footprints'")
        extent = extent.fetchone()
        triggers = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    db.close()
    bounds = [s.footprint.bounds for s in scenes]
    assert counted == (6_000,) and extent == (min(b[0] for b in bounds), min(b[1] for b in bounds),
                                              max(b[2] for b in bounds), max(b[3] for b in bounds))
    assert {"rtree_footprints_geom_insert", "trigger_insert_feature_count_footprints"} <= triggers
    assert len(boxes) == len(blobs) == 6_000
    for fid, scene in zip(range(1, 6_001), scenes, strict=True):
        geometry = gpkg_geometry(blobs[fid])
        assert geometry.geom_type == "MultiPolygon" and geometry.equals(scene.footprint)
        minx, miny, maxx, maxy = scene.footprint.bounds
        bminx, bmaxx, bminy, bmaxy = boxes[fid]  # 32-bit floats rounded outwards
        assert bminx <= minx and bmaxx >= maxx and bminy <= miny and bmaxy >= maxy
        assert max(minx - bminx, bmaxx - maxx, miny - bminy, bmaxy - maxy) < 1e-4

    dataset = ogr.Open(str(path), 1)
    layer = dataset.GetLayerByName("footprints")
    layer.SetSpatialFilterRect(-100.05, -59.95, -99.5, -59.7)  # answered from the R-tree
    expected = {s.entity_id for s in scenes if s.footprint.intersects(box(-100.05, -59.95, -99.5, -59.7))}
    assert {f.GetField("entity_id") for f in layer} == expected and len(expected) == 14
    layer.SetSpatialFilter(None)
    feature = ogr.Feature(layer.GetLayerDefn())  # the triggers are back: edits keep the index right
    feature.SetField("entity_id", "added")
    feature.SetGeometry(ogr.CreateGeometryFromWkt("MULTIPOLYGON (((10 10, 11 10, 11 11, 10 10)))"))
    assert layer.CreateFeature(feature) == 0
    dataset = None
    with sqlite3.connect(path) as db:
        added = db.execute("SELECT minx, maxx, miny, maxy FROM rtree_footprints_geom WHERE id = 6001").fetchone()
        assert added == (10, 11, 10, 11)
        assert db.execute("SELECT rtreecheck('rtree_footprints_geom')").fetchone()[0] == "ok"
    db.close()
    assert ogr.Open(str(path)).GetLayerByName("footprints").GetFeatureCount() == 6_001


def test_odd_footprints_become_multipolygons_or_null(tmp_path):
    holed = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (3, 2), (3, 3), (2, 2)]])
    footprints = {
        "holed": holed,
        "3d": Polygon([(0, 0, 5), (1, 0, 5), (1, 1, 5), (0, 0, 5)]),
        "collection": GeometryCollection([box(20, 20, 21, 21), Point(50, 50)]),
        "multi": MultiPolygon([box(0, 0, 1, 1), box(-5, -5, -4, -4)]),
        "point": Point(1, 1),
        "empty": Polygon(),
    }
    scenes = [Scene(name, name, "landsat_ot_c2_l2", footprint=geometry) for name, geometry in footprints.items()]
    path = tmp_path / "odd.gpkg"
    write_footprints(scenes, path)
    rows = {row["entity_id"]: row["wkt"] for row in read_layer(path)["rows"]}
    assert rows["holed"] == "MULTIPOLYGON (((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2)))"
    assert rows["3d"] == "MULTIPOLYGON (((0 0,1 0,1 1,0 0)))"
    assert rows["collection"] == "MULTIPOLYGON (((21 20,21 21,20 21,20 20,21 20)))"
    assert rows["multi"].startswith("MULTIPOLYGON (((1 0,") and rows["multi"].count("((") == 2
    assert rows["point"] is None and rows["empty"] is None
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents").fetchone() == (-5, -5, 21, 21)
        assert db.execute("SELECT count(*) FROM rtree_footprints_geom").fetchone() == (4,)
    db.close()


def test_qgis_reads_the_fields_nulls_and_spatial_index(tmp_path, qgis_app):
    from qgis.core import NULL, QgsFeatureRequest, QgsFeatureSource, QgsRectangle, QgsVectorLayer
    from qgis.PyQt.QtCore import QMetaType

    from scene_finder.gis.compat import field_type

    path = tmp_path / "out.gpkg"
    write_footprints(make_scenes(2_000), path)
    layer = QgsVectorLayer(f"{path}|layername=footprints", "footprints", "ogr")
    assert layer.isValid() and layer.featureCount() == 2_000
    assert layer.hasSpatialIndex() == QgsFeatureSource.SpatialIndexPresent
    assert layer.crs().authid() == "EPSG:4326" and layer.wkbType() == 6  # QgsWkbTypes.MultiPolygon
    fields = {field.name(): field_type(field) for field in layer.fields() if field.name() != "fid"}
    text, integer = QMetaType.Type.QString, QMetaType.Type.Int
    assert fields == {
        "entity_id": text, "display_id": text, "dataset": text, "acquired": QMetaType.Type.QDate,
        "cloud_cover": QMetaType.Type.Double, "wrs_path": integer, "wrs_row": integer, "satellite": integer,
        "browse_url": text, "thumbnail_url": text, "overlay_type": text, "overlay_url": text,
    }
    first = next(layer.getFeatures(QgsFeatureRequest().setFilterExpression("\"entity_id\" = 'LC9000000'")))
    assert first["cloud_cover"] == NULL
    assert first["acquired"] == datetime.date(2023, 1, 1) or first["acquired"].toPyDate() == datetime.date(2023, 1, 1)
    request = QgsFeatureRequest().setFilterRect(QgsRectangle(-179.95, -59.95, -179.65, -59.9))
    assert sorted(f["entity_id"] for f in layer.getFeatures(request)) == ["LC9000000", "LC9000001", "LC9000002",
                                                                            "LC9000003"]
    assert layer.extent().toString(2) == "-180.00,-60.00 : 19.99,-59.91"


def test_an_unwritable_value_fails_cleanly_and_leaves_the_target(tmp_path):
    path = tmp_path / "out.gpkg"
    write_footprints(make_scenes(3), path)
    before = path.read_bytes()
    broken = [*make_scenes(700), Scene(object(), "D", "landsat_ot_c2_l2")]  # type: ignore[arg-type]
    with pytest.raises(FootprintWriteError, match="could not be written"):
        write_footprints(broken, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg"]


def test_rows_go_in_as_many_statements_as_sqlites_parameter_limit_asks(tmp_path, monkeypatch):
    from scene_finder.gis import footprints

    monkeypatch.setattr(footprints, "_MAX_PARAMETERS", 999)  # what SQLite before 3.32 takes: 71 rows a statement
    scenes = make_scenes(1234)
    assert write_footprints(scenes, tmp_path / "f.gpkg") == 1234
    info = read_layer(tmp_path / "f.gpkg")
    assert [row["entity_id"] for row in info["rows"]] == [scene.entity_id for scene in scenes]
    assert info["spatial_index"] == 1
