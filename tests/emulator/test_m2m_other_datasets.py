"""Sentinel-2, NAIP and SRTM in the M2M emulator over plain HTTP: datasets, filters, search, options, files."""

from __future__ import annotations

import re
import uuid
import zipfile

import pytest
import requests
from osgeo import gdal
from support.m2m_api import ALBEMARLE, M2MApi

S2, NAIP, SRTM = "sentinel_2a", "naip", "srtm_v3"
S2_ENTITY = re.compile(r"^L1C_T18S[A-Z]{2}_A\d{6}_\d{8}T\d{6}$")
NAIP_DISPLAY = re.compile(r"^m_\d{7}_(ne|nw|se|sw)_18_(060|100)_\d{8}$")


class Api(M2MApi):
    def __init__(self, emulator):
        username = f"user-{uuid.uuid4().hex[:10]}"
        emulator.config.m2m_accounts[username] = "secret-token"
        try:
            super().__init__(emulator, username, "secret-token")
        finally:
            del emulator.config.m2m_accounts[username]

    def search(self, dataset: str, scene_filter: dict | None = None, **payload) -> dict:
        return self.call("scene-search", {"datasetName": dataset, "sceneFilter": scene_filter or {}, **payload})

    def fetch(self, entity_id: str, product_id: str, tmp_path):
        """download-request (and download-retrieve while it is prepared), then the file: (name, path)."""
        answer = self.call("download-request", {"downloads": [{"entityId": entity_id, "productId": product_id}],
                                                "label": "other"})
        assert answer["failed"] == [], answer["failed"]
        urls = [d["url"] for d in answer["availableDownloads"]]
        for _ in range(20):
            if urls:
                break
            urls = [d["url"] for d in self.call("download-retrieve", {"label": "other"})["available"]]
        response = requests.get(urls[0], timeout=120)
        response.raise_for_status()
        name = re.search(r'filename="?([^";]+)', response.headers["Content-Disposition"]).group(1)
        path = tmp_path / name
        path.write_bytes(response.content)
        return name, path


@pytest.fixture()
def api(emulator):
    return Api(emulator)


def test_dataset_search_lists_the_datasets_with_their_real_aliases_and_names(api):
    found = {d["datasetAlias"]: d for d in api.call("dataset-search", {})}
    assert found[S2]["collectionName"] == "Sentinel-2" and found[S2]["datasetId"] == "5e83a42ca9977c30"
    assert found[S2]["supportCloudCover"] is True and found[S2]["sceneCount"] > 0
    assert found[NAIP]["collectionName"] == "NAIP" and found[NAIP]["datasetCategoryName"] == "Aerial Imagery"
    assert found[SRTM]["collectionName"] == "SRTM 1 Arc-Second Global"
    assert [d["datasetAlias"] for d in api.call("dataset-search", {"datasetName": "sentinel"})] == [S2]


def test_sentinel2_search_filters_and_options(api):
    filters = {f["fieldLabel"]: f for f in api.call("dataset-filters", {"datasetName": S2})}
    assert set(filters) == {"Entity ID", "Tile Number", "Platform"}
    spring = {"start": "2023-03-01", "end": "2023-04-30"}
    data = api.search(S2, {"spatialFilter": ALBEMARLE, "acquisitionFilter": spring,
                           "cloudCoverFilter": {"min": 0, "max": 50}})
    scenes = data["results"]
    assert scenes and all(S2_ENTITY.match(s["entityId"]) and s["displayId"] == s["entityId"] for s in scenes)
    assert all(float(s["cloudCover"]) <= 50 for s in scenes)
    platform = {"filterType": "value", "filterId": filters["Platform"]["id"], "value": "SENTINEL-2B"}
    only_b = api.search(S2, {"spatialFilter": ALBEMARLE, "metadataFilter": platform,
                             "acquisitionFilter": {"start": "2023-03-01", "end": "2023-04-30"}})["results"]
    assert only_b and {s["entityId"] for s in only_b} < {s["entityId"] for s in api.search(S2, {
        "spatialFilter": ALBEMARLE, "acquisitionFilter": {"start": "2023-03-01", "end": "2023-04-30"}})["results"]}
    options = api.call("download-options", {"datasetName": S2, "entityIds": [scenes[0]["entityId"]]})
    names = [o["productName"] for o in options]
    assert names == ["Full Resolution Browse in GeoTIFF format", "L1C Tile in JPEG2000 format"]
    metadata = api.call("scene-metadata", {"datasetName": S2, "entityId": scenes[0]["entityId"]})
    assert {m["fieldName"] for m in metadata["metadata"]} >= {"Tile Number", "Platform", "Cloud Cover"}


def test_sentinel2_tile_is_a_safe_zip_that_gdal_opens_as_10_20_60_m_subdatasets(api, tmp_path):
    scene = api.search(S2, {"spatialFilter": ALBEMARLE}, maxResults=1)["results"][0]
    option = next(o for o in api.call("download-options", {"datasetName": S2, "entityIds": [scene["entityId"]]})
                  if o["productName"] == "L1C Tile in JPEG2000 format")
    name, path = api.fetch(scene["entityId"], option["id"], tmp_path)
    assert re.match(r"^S2[AB]_MSIL1C_\d{8}T\d{6}_N0509_R011_T18S[A-Z]{2}_\d{8}T\d{6}\.zip$", name)
    assert path.stat().st_size == option["filesize"]
    members = zipfile.ZipFile(path).namelist()
    safe = name[:-4] + ".SAFE"
    assert f"{safe}/MTD_MSIL1C.xml" in members
    assert sum(m.endswith(".jp2") for m in members) == 14  # 13 bands and TCI
    dataset = gdal.Open(f"/vsizip/{path}/{safe}/MTD_MSIL1C.xml")
    names = [v for k, v in dataset.GetMetadata("SUBDATASETS").items() if k.endswith("_NAME")]
    assert [n.split(":")[-2] for n in names] == ["10m", "20m", "60m", "TCI"]
    ten = gdal.Open(names[0])
    assert [ten.GetRasterBand(i + 1).GetDescription().split(",")[0] for i in range(4)] == ["B4", "B3", "B2", "B8"]
    assert "UTM zone 18N" in ten.GetProjection()


def test_naip_quarter_quad_is_a_zipped_four_band_geotiff_in_utm(api, tmp_path):
    filters = {f["fieldLabel"]: f for f in api.call("dataset-filters", {"datasetName": NAIP})}
    state = {"filterType": "value", "filterId": filters["State"]["id"], "value": "NC"}
    scenes = api.search(NAIP, {"spatialFilter": ALBEMARLE, "metadataFilter": state})["results"]
    assert scenes and all(NAIP_DISPLAY.match(s["displayId"]) and s["entityId"] == s["displayId"].upper()
                          for s in scenes)
    assert all(s["cloudCover"] is None for s in scenes)
    option = api.call("download-options", {"datasetName": NAIP, "entityIds": [scenes[0]["entityId"]]})[0]
    assert option["productName"] == "Full Resolution" and option["available"] is True
    name, path = api.fetch(scenes[0]["entityId"], option["id"], tmp_path)
    assert name == f"{scenes[0]['displayId']}.zip" and path.stat().st_size == option["filesize"]
    raster = gdal.Open(f"/vsizip/{path}/{scenes[0]['displayId']}.tif")
    assert raster.RasterCount == 4 and "UTM zone 18N" in raster.GetProjection()


def test_srtm_cell_offers_geotiff_bil_and_dted_and_the_geotiff_is_an_int16_dem(api, tmp_path):
    scenes = api.search(SRTM, {"spatialFilter": ALBEMARLE})["results"]
    assert {s["displayId"] for s in scenes} >= {"n35_w077_1arc_v3", "n36_w076_1arc_v3"}
    cell = next(s for s in scenes if s["displayId"] == "n35_w077_1arc_v3")
    assert cell["entityId"] == "SRTM1N35W077V3"
    options = {o["productName"]: o for o in api.call("download-options", {"datasetName": SRTM,
                                                                         "entityIds": [cell["entityId"]]})}
    assert list(options) == ["BIL 1 Arc-second", "DTED 1 Arc-second", "GeoTIFF 1 Arc-second"]
    assert options["DTED 1 Arc-second"]["available"] is False
    name, path = api.fetch(cell["entityId"], options["GeoTIFF 1 Arc-second"]["id"], tmp_path)
    assert name == "n35_w077_1arc_v3.tif" and path.stat().st_size == options["GeoTIFF 1 Arc-second"]["filesize"]
    dem = gdal.Open(str(path))
    band = dem.GetRasterBand(1)
    assert band.DataType == gdal.GDT_Int16 and band.GetNoDataValue() == -32767
    name, path = api.fetch(cell["entityId"], options["BIL 1 Arc-second"]["id"], tmp_path)
    assert name == "n35_w077_1arc_v3_bil.zip" and path.stat().st_size == options["BIL 1 Arc-second"]["filesize"]
    assert gdal.Open(f"/vsizip/{path}/n35_w077_1arc_v3.bil").RasterCount == 1
    refused = api.call("download-request", {"downloads": [{"entityId": cell["entityId"],
                                                           "productId": options["DTED 1 Arc-second"]["id"]}]})
    assert refused["failed"][0]["errorMessage"] == "Product is not available for download"


def test_the_datasets_are_described_as_the_recorded_dataset_search_has_them(api):
    from support.conformance import FIXTURES

    path = FIXTURES / "m2m" / "kapadia_usgs" / "dataset-search.json"
    if not path.exists():
        pytest.skip("recorded fixtures not available")
    import json

    recorded = {d["datasetAlias"]: d for d in json.loads(path.read_text())["data"]}
    ours = {d["datasetAlias"]: d for d in api.call("dataset-search", {})}
    for alias in (S2, NAIP, SRTM):
        for key in ("datasetId", "collectionName", "collectionLongName", "datasetCategoryName", "legacyId",
                    "acquisitionStart", "supportCloudCover", "catalogs", "doiNumber", "spatialBounds"):
            assert ours[alias][key] == recorded[alias][key], (alias, key)
        assert set(recorded[alias]) <= set(ours[alias])
