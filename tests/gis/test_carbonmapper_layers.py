"""The scenes GeoPackage merge (OGR), the plume point layer and their QGIS styles."""

from __future__ import annotations

import math
import sqlite3

import pytest
from osgeo import ogr
from qgis.core import QgsGraduatedSymbolRenderer, QgsSingleSymbolRenderer
from shapely import wkb
from shapely.geometry import Polygon

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.carbonmapper.plumes import search_plumes
from scene_finder.core.carbonmapper.scenes import SceneDownload
from scene_finder.core.http import make_session
from scene_finder.gis.carbonmapper_gpkg import PLUME_FIELDS, merge_scene_pages, write_plumes
from scene_finder.gis.carbonmapper_layers import plume_layer, scene_layer

TOKEN = "demo-carbonmapper-token"


def client_for(emulator):
    return CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url, session=make_session(retries=2, backoff=0))


def wiggly_permian(vertices: int = 4000) -> Polygon:
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = 1.2 * (1 + 0.25 * math.sin(29 * angle))
        ring.append((-102.8 + r * math.cos(angle), 32.2 + r * math.sin(angle)))
    return Polygon(ring)


def features(path, layer):
    dataset = ogr.Open(str(path))
    source = dataset.GetLayerByName(layer)
    rows = [(f.GetField("id"), wkb.loads(bytes(f.GetGeometryRef().ExportToWkb()))) for f in source]
    definition = source.GetLayerDefn()
    names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    return rows, source.GetSpatialRef().GetAuthorityCode(None), names


def test_pages_are_merged_into_one_layer_with_the_schema(emulator, tmp_path, qgis_app):
    download = SceneDownload(client_for(emulator), instrument="emi", page_limit=400, work_dir=tmp_path)
    steps = []
    result = merge_scene_pages(download, tmp_path / "scenes.gpkg", progress=steps.append)
    assert result.features == result.total == download.total > 400
    assert result.pages == math.ceil(result.total / 400) == len(steps)
    assert steps[-1].features_done == result.total and not result.filtered
    rows, epsg, names = features(result.path, "scenes")
    assert len(rows) == result.total and len({r[0] for r in rows}) == result.total
    assert epsg == "4326"
    assert names[:4] == ["id", "scene_id", "public", "published_plume_count"] and "cloud_cover_pct" in names
    assert list(tmp_path.glob("cm_*")) == []  # page and schema files are gone
    layer = scene_layer(result.path)
    assert layer.isValid() and layer.featureCount() == result.total
    symbol = layer.renderer().symbol()
    assert symbol.symbolLayer(0).brushStyle() == 0  # Qt.NoBrush: outlines only


def test_merge_replaces_the_layer_and_keeps_other_layers(emulator, tmp_path, qgis_app):
    path = tmp_path / "carbon.gpkg"
    plumes = write_plumes(search_plumes(client_for(emulator), limit=30), path)
    for instrument in ("ssc", "emi"):
        result = merge_scene_pages(SceneDownload(client_for(emulator), instrument=instrument, work_dir=tmp_path),
                                   path)
    rows, _, _ = features(path, "scenes")
    assert len(rows) == result.total
    assert ogr.Open(str(path)).GetLayerByName("plumes").GetFeatureCount() == plumes == 30


def test_shrunk_aoi_results_are_filtered_against_the_exact_aoi(emulator, tmp_path, qgis_app):
    aoi = wiggly_permian()
    download = SceneDownload(client_for(emulator), aoi=aoi, work_dir=tmp_path)
    assert download.intersects.shrunk
    result = merge_scene_pages(download, tmp_path / "scenes.gpkg")
    assert result.filtered and 0 < result.features < result.total
    rows, _, _ = features(result.path, "scenes")
    assert all(geometry.intersects(aoi) for _, geometry in rows)
    # nothing that touches the AOI was lost: compare with the bounding-box search filtered here
    by_box = merge_scene_pages(SceneDownload(client_for(emulator), aoi=aoi.envelope, work_dir=tmp_path),
                               tmp_path / "box.gpkg")
    box_rows, _, _ = features(by_box.path, "scenes")
    assert {i for i, g in box_rows if g.intersects(aoi)} == {i for i, _ in rows}


def test_plumes_point_layer_fields_and_graduated_style(emulator, tmp_path, qgis_app):
    search = search_plumes(client_for(emulator), gas="CH4", limit=300)
    path = tmp_path / "plumes.gpkg"
    count = write_plumes(search, path)
    assert count == 300
    dataset = ogr.Open(str(path))
    source = dataset.GetLayerByName("plumes")
    assert source.GetGeomType() == ogr.wkbPoint
    definition = source.GetLayerDefn()
    assert [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())] == [
        name for name, _ in PLUME_FIELDS]
    feature = source.GetNextFeature()
    assert feature.GetField("gas") == "CH4" and feature.GetField("status") == "published"
    assert feature.GetField("plume_tif").endswith("_plume.tif")  # no signed query in the file
    assert feature.GetField("scene_name") and feature.GetField("plume_id").startswith(feature.GetField("scene_name"))
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM plumes WHERE plume_tif LIKE '%Signature%'").fetchone()[0] == 0
    layer = plume_layer(path)
    renderer = layer.renderer()
    assert isinstance(renderer, QgsGraduatedSymbolRenderer)
    assert renderer.classAttribute() == "emission" and len(renderer.ranges()) == 5
    colors = [r.symbol().color().name() for r in renderer.ranges()]
    assert len(set(colors)) == 5


def test_plumes_without_emissions_get_a_single_symbol(tmp_path, qgis_app):
    path = tmp_path / "empty.gpkg"
    assert write_plumes([], path) == 0
    layer = plume_layer(path)
    assert isinstance(layer.renderer(), QgsSingleSymbolRenderer)


def test_a_search_without_results_gives_an_empty_valid_layer(emulator, tmp_path, qgis_app):
    download = SceneDownload(client_for(emulator), cloud_max=-1, work_dir=tmp_path)
    result = merge_scene_pages(download, tmp_path / "none.gpkg")
    assert result.features == result.total == 0 and result.pages == 1
    layer = scene_layer(result.path)
    assert layer.isValid() and layer.featureCount() == 0


def test_merged_layer_has_a_full_spatial_index_count_and_extent(emulator, tmp_path, qgis_app):
    download = SceneDownload(client_for(emulator), instrument="emi", page_limit=500, work_dir=tmp_path)
    result = merge_scene_pages(download, tmp_path / "indexed.gpkg")
    with sqlite3.connect(result.path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM rtree_scenes_geom").fetchone()[0] == result.features
        assert connection.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'scenes'"
                                  ).fetchone()[0] == result.features
        extent = connection.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents "
                                    "WHERE table_name = 'scenes'").fetchone()
    rows, _, _ = features(result.path, "scenes")
    xs = [g.bounds for _, g in rows]
    assert extent == pytest.approx((min(b[0] for b in xs), min(b[1] for b in xs),
                                    max(b[2] for b in xs), max(b[3] for b in xs)))
    dataset = ogr.Open(str(result.path))
    layer = dataset.GetLayerByName("scenes")
    probe = rows[0][1].centroid
    layer.SetSpatialFilterRect(probe.x - 0.01, probe.y - 0.01, probe.x + 0.01, probe.y + 0.01)
    assert rows[0][0] in {f.GetField("id") for f in layer}
    dataset = None
