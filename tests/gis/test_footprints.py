"""write_footprints: exact schema, nulls, speed-minded batching, atomic replacement, cancel."""

from __future__ import annotations

import datetime

import pytest
from osgeo import ogr
from shapely.geometry import MultiPolygon, box

from scene_finder.core.errors import CancelledError
from scene_finder.core.models import FOOTPRINT_FIELDS, Scene
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
        "browse_url": "String", "thumbnail_url": "String",
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
