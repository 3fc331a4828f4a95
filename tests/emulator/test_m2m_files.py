"""The emulated Landsat product files: real GeoTIFF bands in the scene's UTM zone, MTL files, bundles."""

from __future__ import annotations

import io
import json
import tarfile
import threading

import requests
from osgeo import gdal, osr
from shapely.geometry import box, shape
from support.m2m_api import ALBEMARLE, DATASET

from scene_finder.emulator import Emulator
from scene_finder.emulator.m2m.downloads import prepares_first

BUNDLE = "5e83d14fec7cae84"
BANDS = [f"SR_B{i}" for i in range(1, 8)] + ["ST_B10", "QA_PIXEL"]


def _post(emulator, key, endpoint, payload):
    answer = requests.post(emulator.m2m_url + endpoint, json=payload, headers={"X-Auth-Token": key or ""},
                           timeout=120).json()
    assert answer["errorCode"] is None, answer
    return answer["data"]


def _ready_bundle(emulator) -> tuple[dict, str]:
    """A scene of the Albemarle area whose bundle is available at once, and its download URL."""
    key = _post(emulator, None, "login-token", {"username": "demo", "token": "demo-application-token"})
    results = _post(emulator, key, "scene-search", {"datasetName": DATASET, "maxResults": 50, "sceneFilter": {
        "spatialFilter": ALBEMARLE, "cloudCoverFilter": {"min": 20, "max": 60}}})["results"]
    catalog = emulator.service("m2m").catalog
    scene = next(s for s in results if not prepares_first(catalog.by_entity[s["entityId"]]))
    answer = _post(emulator, key, "download-request", {"downloads": [
        {"entityId": scene["entityId"], "productId": BUNDLE}], "label": "files"})
    return scene, answer["availableDownloads"][0]["url"]


def test_bundle_holds_georeferenced_bands_and_mtl(emulator, tmp_path):
    scene, url = _ready_bundle(emulator)
    display_id = scene["displayId"]
    path = tmp_path / f"{display_id}.tar"
    path.write_bytes(requests.get(url, timeout=60).content)
    with tarfile.open(path) as tar:
        names = tar.getnames()
        mtl = json.load(tar.extractfile(f"{display_id}_MTL.json"))
        odl = tar.extractfile(f"{display_id}_MTL.txt").read().decode()
    assert {f"{display_id}_{b}.TIF" for b in BANDS} <= set(names)
    assert mtl["LANDSAT_METADATA_FILE"]["PRODUCT_CONTENTS"]["LANDSAT_PRODUCT_ID"] == display_id
    assert f'LANDSAT_PRODUCT_ID = "{display_id}"' in odl and odl.rstrip().endswith("END")
    footprint = shape(scene["spatialCoverage"])
    for band in BANDS:
        dataset = gdal.Open(f"/vsitar/{path}/{display_id}_{band}.TIF")
        assert dataset is not None, band
        assert (dataset.RasterXSize, dataset.RasterYSize) == (100, 100)
        assert dataset.GetRasterBand(1).DataType == gdal.GDT_UInt16
        srs = osr.SpatialReference(wkt=dataset.GetProjection())
        assert srs.GetAuthorityCode(None) in {str(326 * 100 + z) for z in range(1, 61)}
        values = dataset.GetRasterBand(1).ReadAsArray()
        valid = values[values > 1]
        assert valid.size > 3000 and valid.std() > 0  # texture, not a flat image
        if band.startswith("SR_"):
            assert 7000 < valid.mean() < 40000  # reflectance 0..0.9 after scale and offset
        x0, dx, _, y0, _, dy = dataset.GetGeoTransform()
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        wgs84 = osr.SpatialReference()
        wgs84.ImportFromEPSG(4326)
        wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        to_lonlat = osr.CoordinateTransformation(srs, wgs84)
        lon0, lat0 = to_lonlat.TransformPoint(x0, y0)[:2]
        lon1, lat1 = to_lonlat.TransformPoint(x0 + 100 * dx, y0 + 100 * dy)[:2]
        grid = box(min(lon0, lon1), min(lat0, lat1), max(lon0, lon1), max(lat0, lat1))
        assert grid.intersection(footprint).area > 0.9 * footprint.area
        dataset = None


def test_concurrent_first_downloads_build_the_bundle_once(tmp_path):
    with Emulator(landsat_scenes=2000, cache_dir=tmp_path) as own:
        scene, url = _ready_bundle(own)
        bodies: list[bytes] = []

        def fetch():
            bodies.append(requests.get(url, timeout=120).content)

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(bodies) == 4 and len(set(bodies)) == 1 and len(bodies[0]) > 100_000
        assert not list((tmp_path / "m2m").rglob("*.tmp"))
        with tarfile.open(fileobj=io.BytesIO(bodies[0])) as tar:
            assert f"{scene['displayId']}_SR_B4.TIF" in tar.getnames()


def test_browse_png_is_a_transparent_edged_preview(emulator, tmp_path):
    scene, _ = _ready_bundle(emulator)
    response = requests.get(scene["browse"][0]["thumbnailPath"], timeout=60)
    path = tmp_path / "thumb.png"
    path.write_bytes(response.content)
    dataset = gdal.Open(str(path))
    assert dataset.RasterCount == 4 and dataset.RasterXSize == 96
    alpha = dataset.GetRasterBand(4).ReadAsArray()
    assert alpha.min() == 0 and alpha.max() == 255  # the tilted footprint inside its bounding box
    assert requests.get(scene["browse"][1]["browsePath"], timeout=60).status_code == 200
    unknown = requests.get(emulator.base_url + "/landsatlook/gen-browse?product_id=nope&size=thumb", timeout=60)
    assert unknown.status_code == 404
