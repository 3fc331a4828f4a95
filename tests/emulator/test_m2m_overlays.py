"""The emulated USGS image server: browse entries shaped as USGS shapes them, the browse JPEGs of
``file`` overlays and the per-scene WMS of ``dmid_wms`` overlays."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
import requests
from osgeo import gdal
from support.m2m_api import ALBEMARLE, DATASET, M2MApi


@pytest.fixture()
def scenes(emulator):
    api = M2MApi(emulator)
    return api.call("scene-search", {"datasetName": DATASET, "maxResults": 4,
                                     "sceneFilter": {"spatialFilter": ALBEMARLE}})["results"]


def _image(content: bytes, tmp_path, name: str):
    path = tmp_path / name
    path.write_bytes(content)
    dataset = gdal.Open(str(path))
    return np.stack([dataset.GetRasterBand(i + 1).ReadAsArray() for i in range(dataset.RasterCount)])


def _of_type(scenes, overlay_type):
    return next(s for s in scenes if s["browse"][0]["overlayType"] == overlay_type)


def test_results_carry_both_overlay_types_shaped_as_usgs(scenes):
    wms, file = _of_type(scenes, "dmid_wms"), _of_type(scenes, "file")
    entry = wms["browse"][0]
    assert set(entry) == {"id", "browseRotationEnabled", "browseName", "browsePath", "overlayPath",
                          "overlayType", "thumbnailPath"}
    assert "/ims/wms/landsat_ot_c2_l2?sceneId=" in entry["overlayPath"]
    assert parse_qs(urlsplit(entry["overlayPath"]).query)["sceneId"] == [wms["entityId"].lower()]
    assert entry["browsePath"].endswith(f"{wms['displayId']}.jpg")
    assert file["browse"][0]["overlayPath"] == file["browse"][0]["browsePath"]
    assert file["browse"][0]["overlayPath"].endswith(".jpg")


def test_browse_jpeg_fills_the_frame(scenes, tmp_path):
    url = _of_type(scenes, "file")["browse"][0]["overlayPath"]
    response = requests.get(url, timeout=60)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/jpeg"
    pixels = _image(response.content, tmp_path, "browse.jpg")
    assert pixels.shape[0] == 3
    assert pixels[:, :3, :3].max() > 0 and pixels[:, -3:, -3:].max() > 0  # no black collar in the frame


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_wms_capabilities_list_one_layer_in_both_crs(scenes, version):
    url = _of_type(scenes, "dmid_wms")["browse"][0]["overlayPath"]
    response = requests.get(url, params={"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": version},
                            timeout=60)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    names = [e.text for e in root.iter() if e.tag.endswith("Name") and e.text == DATASET]
    assert names == [DATASET]
    crs = {e.text for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("CRS", "SRS")}
    assert {"EPSG:4326", "EPSG:3857"} <= crs


@pytest.mark.parametrize(("crs", "version", "image_format"), [
    ("EPSG:4326", "1.3.0", "image/png"), ("EPSG:4326", "1.1.1", "image/jpeg"), ("EPSG:3857", "1.3.0", "image/png"),
])
def test_wms_getmap_draws_the_scene_inside_its_footprint(scenes, tmp_path, crs, version, image_format):
    scene = _of_type(scenes, "dmid_wms")
    lons = [p[0] for p in scene["spatialCoverage"]["coordinates"][0]]
    lats = [p[1] for p in scene["spatialCoverage"]["coordinates"][0]]
    west, south, east, north = min(lons) - 0.5, min(lats) - 0.5, max(lons) + 0.5, max(lats) + 0.5
    if crs == "EPSG:3857":
        radius = 6378137.0
        west, east = (np.radians(v) * radius for v in (west, east))
        south, north = (radius * np.log(np.tan(np.pi / 4 + np.radians(v) / 2)) for v in (south, north))
    bbox = (south, west, north, east) if version == "1.3.0" and crs == "EPSG:4326" else (west, south, east, north)
    params = {"SERVICE": "WMS", "VERSION": version, "REQUEST": "GetMap", "LAYERS": DATASET, "STYLES": "",
              ("CRS" if version == "1.3.0" else "SRS"): crs, "BBOX": ",".join(map(str, bbox)),
              "WIDTH": 64, "HEIGHT": 64, "FORMAT": image_format, "TRANSPARENT": "TRUE"}
    response = requests.get(scene["browse"][0]["overlayPath"], params=params, timeout=60)
    assert response.status_code == 200 and response.headers["Content-Type"] == image_format
    pixels = _image(response.content, tmp_path, "map." + image_format[6:])
    centre = pixels[:3, 32, 32]
    if image_format == "image/png":
        assert pixels.shape[0] == 4 and pixels[3, 0, 0] == 0 and pixels[3, 32, 32] == 255
    else:
        assert tuple(pixels[:, 0, 0]) == (255, 255, 255)
    assert centre.max() > 0 and tuple(centre) != (255, 255, 255)


def test_wms_errors_are_service_exceptions(scenes, emulator):
    url = _of_type(scenes, "dmid_wms")["browse"][0]["overlayPath"]
    bad = requests.get(url, params={"SERVICE": "WMS", "REQUEST": "GetMap", "LAYERS": DATASET, "CRS": "EPSG:2154",
                                    "BBOX": "0,0,1,1", "WIDTH": 8, "HEIGHT": 8, "FORMAT": "image/png"}, timeout=60)
    assert b"ServiceException" in bad.content and b"InvalidCRS" in bad.content
    unknown = requests.get(emulator.base_url + "/ims/wms/x?sceneId=nope&REQUEST=GetCapabilities", timeout=60)
    assert unknown.status_code == 404 and b"ServiceException" in unknown.content


def test_wms_windows_agree_where_they_overlap(scenes, tmp_path):
    """The clouds do not depend on the window asked for (map tiles and zoom levels match up)."""
    scene = next(s for s in scenes if s["browse"][0]["overlayType"] == "dmid_wms" and float(s["cloudCover"]) > 5)
    lons = [p[0] for p in scene["spatialCoverage"]["coordinates"][0]]
    lats = [p[1] for p in scene["spatialCoverage"]["coordinates"][0]]
    west, south, east, north = min(lons), min(lats), max(lons), max(lats)
    middle_x, middle_y = (west + east) / 2, (south + north) / 2

    def get_map(bbox, size):
        params = {"SERVICE": "WMS", "VERSION": "1.1.1", "REQUEST": "GetMap", "LAYERS": DATASET, "SRS": "EPSG:4326",
                  "BBOX": ",".join(map(str, bbox)), "WIDTH": size, "HEIGHT": size, "FORMAT": "image/png",
                  "TRANSPARENT": "TRUE"}
        response = requests.get(scene["browse"][0]["overlayPath"], params=params, timeout=60)
        return _image(response.content, tmp_path, f"{size}.png")

    whole = get_map((west, south, east, north), 64)
    quarter = get_map((west, middle_y, middle_x, north), 32)
    assert np.array_equal(whole[:, :32, :32], quarter)
