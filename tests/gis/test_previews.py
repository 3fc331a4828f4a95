"""Browse overlays on the map against the emulator: both overlay types land on the footprint, render
inside it and are transparent outside it, are cached per scene, and carry no secret of ours."""

from __future__ import annotations

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
from shapely.geometry import Point
from support.m2m_api import ALBEMARLE, DATASET, M2MApi

from scene_finder.core.models import scene_from_result
from scene_finder.gis.network import make_qgis_session
from scene_finder.gis.previews import PreviewSpec, frame_corners, make_layer
from scene_finder.gis.tasks.base import start_task
from scene_finder.gis.tasks.previews import PreviewTask, prepare

SIZE = 96


@pytest.fixture()
def found(emulator, qgis_app):
    """(M2M API key, {overlay type: PreviewSpec}) for scenes of the Albemarle area."""
    api = M2MApi(emulator)
    results = api.call("scene-search", {"datasetName": DATASET, "maxResults": 4,
                                        "sceneFilter": {"spatialFilter": ALBEMARLE}})["results"]
    specs = {}
    for result in results:
        scene = scene_from_result(result, DATASET)
        specs.setdefault(scene.overlay_type, PreviewSpec(scene.entity_id, scene.display_id, scene.overlay_type,
                                                         scene.overlay_url, scene.footprint))
    assert set(specs) == {"dmid_wms", "file"}
    return api.key, specs


def _layer(spec, root, map_crs=None):
    session = make_qgis_session(retries=0)
    try:
        prepared = prepare(session, spec, root, map_crs=map_crs)
    finally:
        session.close()
    return prepared, make_layer(prepared)


def _render(layer, extent: QgsRectangle):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    settings.setOutputSize(QSize(SIZE, SIZE))
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor(0, 0, 0, 0))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage(), job.mapSettings().mapToPixel()


def _alpha_at(image, to_pixel, x, y) -> int:
    point = to_pixel.transform(x, y)
    return QColor(image.pixel(int(point.x()), int(point.y()))).alpha() if image.hasAlphaChannel() else 255


def _pixel(image, to_pixel, x, y) -> QColor:
    point = to_pixel.transform(x, y)
    return QColor.fromRgba(image.pixel(int(point.x()), int(point.y())))


def _inside_and_outside(footprint):
    """Points just inside each corner and just outside each corner of the footprint."""
    centre = footprint.centroid
    inside, outside = [], []
    for x, y in frame_corners(footprint):
        inside.append(Point(x + 0.1 * (centre.x - x), y + 0.1 * (centre.y - y)))
        outside.append(Point(x - 0.08 * (centre.x - x), y - 0.08 * (centre.y - y)))
    return inside, outside


@pytest.mark.parametrize("overlay_type", ["file", "dmid_wms"])
def test_overlay_lands_on_the_footprint_renders_inside_and_is_transparent_outside(found, tmp_path, overlay_type):
    spec = found[1][overlay_type]
    prepared, layer = _layer(spec, tmp_path / "previews", map_crs="EPSG:4326")
    assert layer.isValid() and prepared.provider == ("wms" if overlay_type == "dmid_wms" else "gdal")
    footprint = spec.footprint
    west, south, east, north = footprint.bounds
    if overlay_type == "file":
        from osgeo import gdal

        image = gdal.Open(str(next((tmp_path / "previews").glob("*/browse.*"))))
        pixel = max((east - west) / image.RasterXSize, (north - south) / image.RasterYSize)
    else:
        pixel = (east - west) / 1000  # the WMS advertises the footprint's bounding box itself
    extent = layer.extent()
    assert abs(extent.xMinimum() - west) <= pixel and abs(extent.xMaximum() - east) <= pixel
    assert abs(extent.yMinimum() - south) <= pixel and abs(extent.yMaximum() - north) <= pixel
    margin = 0.3
    image, to_pixel = _render(layer, QgsRectangle(west - margin, south - margin, east + margin, north + margin))
    assert image.hasAlphaChannel()
    centre = _pixel(image, to_pixel, footprint.centroid.x, footprint.centroid.y)
    assert centre.alpha() == 255 and (centre.red(), centre.green(), centre.blue()) != (0, 0, 0)
    inside, outside = _inside_and_outside(footprint)
    for point in inside:
        colour = _pixel(image, to_pixel, point.x, point.y)
        assert colour.alpha() == 255 and max(colour.red(), colour.green(), colour.blue()) > 0
    for point in outside:  # no collar: outside the tilted footprint but inside its bounding box
        assert _pixel(image, to_pixel, point.x, point.y).alpha() == 0
    corners = [(0, 0), (SIZE - 1, 0), (0, SIZE - 1), (SIZE - 1, SIZE - 1)]
    assert all(QColor.fromRgba(image.pixel(x, y)).alpha() == 0 for x, y in corners)


def test_file_preview_corners_are_the_footprint_corners_within_a_pixel(found, tmp_path):
    from osgeo import gdal

    spec = found[1]["file"]
    _prepared, _layer_ = _layer(spec, tmp_path)
    folder = next(tmp_path.glob("*"))
    frame = gdal.Open(str(folder / "frame.vrt"))
    width, height = frame.RasterXSize, frame.RasterYSize
    transformer = gdal.Transformer(frame, None, ["METHOD=GCP_TPS"])
    west, south, east, north = spec.footprint.bounds
    pixel = max((east - west) / width, (north - south) / height)
    for (col, row), (x, y) in zip([(0, 0), (width, 0), (width, height), (0, height)], frame_corners(spec.footprint)):
        _ok, (gx, gy, _z) = transformer.TransformPoint(0, col, row)
        assert abs(gx - x) <= pixel and abs(gy - y) <= pixel
    text = (folder / "preview.vrt").read_text()
    assert "VRTWarpedDataset" in text and 'relativeToVRT="1">frame.vrt' in text  # nothing resampled to disk


def test_second_time_comes_from_the_cache(found, emulator, tmp_path):
    for spec in found[1].values():
        first, _ = _layer(spec, tmp_path)
        before = emulator.log.count("ims")
        second, layer = _layer(spec, tmp_path)
        assert not first.from_cache and second.from_cache and layer.isValid()
        assert emulator.log.count("ims") == before
    assert {e.route.split("/")[0] for e in emulator.log.entries("ims")} == {"browse", "wms"}


def test_no_secret_reaches_the_preview_host(found, emulator, tmp_path, qtbot):
    key, specs = found
    outcomes = []
    task = PreviewTask(list(specs.values()), tmp_path, "EPSG:4326", on_success=outcomes.extend)
    start_task(task)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=60_000)
    assert all(o.layer is not None and o.layer.isValid() for o in outcomes), [o.error for o in outcomes]
    wms = next(o.layer for o in outcomes if o.spec.overlay_type == "dmid_wms")
    _render(wms, wms.extent())  # QGIS's own GetMap requests
    entries = emulator.log.entries("ims")
    assert any("getmap" in str(e.query).lower() for e in entries)
    for entry in entries:
        sent = f"{entry.path} {entry.query} {entry.headers} {entry.body!r}"
        assert key not in sent and "demo-application-token" not in sent
        assert not {"x-auth-token", "authorization", "cookie"} & set(entry.headers)


def test_refused_and_broken_overlays_are_clear_errors(found, emulator, tmp_path, qtbot):
    spec = found[1]["file"]
    specs = [PreviewSpec("a", "A", "file", "file:///etc/passwd", spec.footprint),
             PreviewSpec("b", "B", "file", emulator.base_url + "/ims/browse/x/1/2/nope.jpg", spec.footprint),
             PreviewSpec("c", "C", "ls_chs", spec.overlay_url, spec.footprint), spec]
    outcomes = []
    start_task(PreviewTask(specs, tmp_path, on_success=outcomes.extend))
    qtbot.waitUntil(lambda: bool(outcomes), timeout=60_000)
    assert [o.layer is not None for o in outcomes] == [False, False, False, True]
    assert "404" in str(outcomes[1].error) and "no preview" in str(outcomes[2].error)
    assert requests.get(spec.overlay_url, timeout=30).status_code == 200


@settings(max_examples=200, deadline=None)
@given(lon=st.floats(-170, 170), lat=st.floats(-70, 70), angle=st.floats(-40, 40),
       width=st.floats(0.05, 3), height=st.floats(0.05, 3), start=st.integers(0, 3), reverse=st.booleans())
def test_frame_corners_are_the_footprint_corners_upper_left_first(lon, lat, angle, width, height, start, reverse):
    """Any rectangle turned less than 45 degrees from north-up, its ring started anywhere, either way round."""
    import math

    from shapely.geometry import Polygon

    scale = math.cos(math.radians(lat))
    turn = math.radians(angle)
    corners = []
    for sx, sy in ((-1, 1), (1, 1), (1, -1), (-1, -1)):  # UL, UR, LR, LL before turning
        east, north = sx * width / 2, sy * height / 2
        x = east * math.cos(turn) + north * math.sin(turn)
        y = -east * math.sin(turn) + north * math.cos(turn)
        corners.append((lon + x / scale, lat + y))
    ring = corners[start:] + corners[:start]
    footprint = Polygon(ring[::-1] if reverse else ring)
    assert frame_corners(footprint) == corners
