"""stream_footprints: pages readable (by OGR and by a QGIS layer) while the rest arrives; the final file
complete and like write_footprints'; cancelled or failed streams keep what arrived."""

from __future__ import annotations

import datetime
import sqlite3

import pytest
from osgeo import ogr
from qgis.core import QgsFeatureRequest, QgsRectangle, QgsVectorLayer
from shapely.geometry import box

from scene_finder.core.errors import CancelledError, ServiceUnavailableError
from scene_finder.core.models import Scene
from scene_finder.gis.footprints import write_footprints
from scene_finder.gis.footprints_stream import StreamState, discard_preview, stream_footprints


def make_scenes(count: int) -> list[Scene]:
    return [Scene(entity_id=f"LC9{i:06d}", display_id=f"LC09_L2SP_{i:06d}", dataset="landsat_ot_c2_l2",
                  acquired=datetime.date(2023, 1, 1) + datetime.timedelta(days=i % 365),
                  cloud_cover=None if i % 10 == 0 else float(i % 100),
                  footprint=None if i % 97 == 5 else box(-180 + (i % 3600) * 0.1, -60 + (i // 3600) * 0.1,
                                                         -179.91 + (i % 3600) * 0.1, -59.91 + (i // 3600) * 0.1),
                  wrs_path=i % 233 + 1, wrs_row=i % 248 + 1, satellite=9) for i in range(count)]


def read_layer(path):
    dataset = ogr.Open(str(path))
    layer = dataset.GetLayerByName("footprints")
    rows = [(f.GetFID(), f.items(), f.GetGeometryRef() and f.GetGeometryRef().ExportToWkt()) for f in layer]
    sql = dataset.ExecuteSQL("SELECT HasSpatialIndex('footprints', 'geom')")
    index = sql.GetNextFeature().GetField(0)
    dataset.ReleaseResultSet(sql)
    return {"rows": rows, "extent": layer.GetExtent(), "spatial_index": index}


def _triggers(path):
    with sqlite3.connect(str(path)) as db:
        return sorted(sql for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'"))


def test_each_page_is_readable_while_the_rest_arrives(qgis_app, tmp_path):
    target = tmp_path / "out.gpkg"
    seen = []
    layers = []
    boxes = []

    def on_page(page):
        assert not target.exists()  # the final name appears only once everything is in
        assert page.path != target and page.path.name.startswith(".")
        dataset = ogr.Open(str(page.path))
        lyr = dataset.GetLayerByName("footprints")
        count = lyr.GetFeatureCount()
        lyr.SetSpatialFilterRect(-180, -90, 180, 90)  # through the R-tree
        filtered = sum(1 for _ in lyr)
        dataset = None
        if not layers:
            layers.append(QgsVectorLayer(f"{page.path}|layername=footprints", "preview", "ogr"))
        layer = layers[0]
        layer.reload()
        request = QgsFeatureRequest().setFilterRect(QgsRectangle(-180, -90, 180, 90))
        shown = sum(1 for _ in layer.getFeatures(request))
        boxes.extend(page.envelopes)
        assert filtered == shown == len(boxes)  # every footprint so far (and no row without one)
        seen.append((page.first_fid, len(page.scenes), page.count, count, layer.featureCount()))
        assert set(page.envelopes) <= set(range(page.first_fid, page.first_fid + len(page.scenes)))

    state = StreamState()
    count = stream_footprints(make_scenes(5000), target, on_page=on_page, state=state, page_rows=2000)
    assert count == 5000 and state.count == 5000 and state.published == target
    assert seen == [(1, 2000, 2000, 2000, 2000), (2001, 2000, 4000, 4000, 4000), (4001, 1000, 5000, 5000, 5000)]
    assert 4900 < len(boxes) < 5000
    # the preview is left to the caller (a layer reads it), then removed
    assert state.preview.exists()
    layers.clear()
    discard_preview(state.preview)
    assert not state.preview.exists() and not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_the_final_file_is_what_write_footprints_makes(tmp_path):
    scenes = make_scenes(3000)
    state = StreamState()
    stream_footprints(scenes, tmp_path / "streamed.gpkg", on_page=lambda page: None, page_rows=700, state=state)
    discard_preview(state.preview)
    write_footprints(scenes, tmp_path / "written.gpkg")
    streamed, written = read_layer(tmp_path / "streamed.gpkg"), read_layer(tmp_path / "written.gpkg")
    assert streamed == written and streamed["spatial_index"] == 1
    assert _triggers(tmp_path / "streamed.gpkg") == _triggers(tmp_path / "written.gpkg")
    with sqlite3.connect(str(tmp_path / "streamed.gpkg")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert db.execute("SELECT rtreecheck('rtree_footprints_geom')").fetchone()[0] == "ok"
        with_footprint = sum(scene.footprint is not None for scene in scenes)
        assert db.execute("SELECT count(*) FROM rtree_footprints_geom").fetchone()[0] == with_footprint
        assert db.execute("SELECT feature_count FROM gpkg_ogr_contents").fetchone()[0] == 3000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["streamed.gpkg", "written.gpkg"]


def test_a_cancelled_stream_keeps_the_rows_that_arrived(tmp_path):
    target = tmp_path / "out.gpkg"
    pages = []
    state = StreamState()
    with pytest.raises(CancelledError):
        stream_footprints(make_scenes(10_000), target, on_page=pages.append, state=state, page_rows=1000,
                          cancel=lambda: len(pages) >= 3)
    assert state.count == 3000 and state.published == target
    assert ogr.Open(str(target)).GetLayerByName("footprints").GetFeatureCount() == 3000
    discard_preview(state.preview)


def test_a_failure_mid_way_keeps_the_rows_that_arrived_and_raises_it(tmp_path):
    def scenes():
        yield from make_scenes(2500)
        raise ServiceUnavailableError("USGS M2M answered with an error on page 3.")

    target = tmp_path / "out.gpkg"
    state = StreamState()
    with pytest.raises(ServiceUnavailableError, match="page 3"):
        stream_footprints(scenes(), target, on_page=lambda page: None, state=state, page_rows=1000)
    # the two whole pages and the 500 rows of the page cut short
    assert state.count == 2500 and state.pages == [1000, 2000, 2500]
    assert ogr.Open(str(target)).GetLayerByName("footprints").GetFeatureCount() == 2500
    discard_preview(state.preview)


def test_nothing_found_makes_an_empty_layer_and_no_preview(tmp_path):
    state = StreamState()
    target = tmp_path / "out.gpkg"
    assert stream_footprints([], target, on_page=lambda page: None, state=state) == 0
    assert state.preview is None and state.published == target
    assert ogr.Open(str(target)).GetLayerByName("footprints").GetFeatureCount() == 0
    assert [p.name for p in tmp_path.iterdir()] == ["out.gpkg"]


def test_a_failure_before_any_row_leaves_nothing(tmp_path):
    def scenes():
        raise ServiceUnavailableError("no")
        yield  # pragma: no cover

    target = tmp_path / "out.gpkg"
    with pytest.raises(ServiceUnavailableError):
        stream_footprints(scenes(), target, on_page=lambda page: None)
    assert list(tmp_path.iterdir()) == []
