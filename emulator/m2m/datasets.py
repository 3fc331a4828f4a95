"""Static descriptions of the emulated datasets, their search filters and products."""

from __future__ import annotations

L2_DATASET = "landsat_ot_c2_l2"
L2_DATASET_ID = "5e83d14f2fc39685"
L2_BAND_DATASET_ID = "5e83d14fdd9b4bdd"
DICTIONARY = "https://www.usgs.gov/centers/eros/science/landsat-collection-2-data-dictionary"
_ABSTRACT = ("The USGS Earth Resources Observation and Science (EROS) Center archive holds data collected by "
             "the Landsat suite of satellites, beginning with Landsat 1 in 1972. (Emulated dataset.)")
_BOUNDS = {"north": 84.441827, "east": 194.444152, "south": -84.517917, "west": -180.009967}


def _dataset(alias, dataset_id, name, long_name, category, start, legacy_id, catalogs=("EE",)):
    return {
        "abstractText": _ABSTRACT, "acquisitionStart": start, "acquisitionEnd": None, "catalogs": list(catalogs),
        "collectionName": name, "collectionLongName": long_name, "datasetId": dataset_id, "datasetAlias": alias,
        "datasetCategoryName": category, "dataOwner": "LSAA", "dateUpdated": "2024-08-20 09:12:44.174316-05",
        "doiNumber": "https://doi.org/10.5066/P9OGBGM6", "ingestFrequency": "P1D",
        "keywords": "Landsat,OLI,TIRS,Surface Reflectance,Surface Temperature,Imagery,EROS",
        "legacyId": legacy_id, "sceneCount": 0, "spatialBounds": dict(_BOUNDS),
        "temporalCoverage": f'["{start} 00:00:00-05","2025-12-31 00:00:00-06"]',
        "supportCloudCover": True, "supportDeletionSearch": True, "allowInKmz": True,
    }


# In the order the real dataset-search lists them (the seed picks index 1 for Level-2).
DATASETS = [
    _dataset("landsat_ot_c2_l1", "5e81f14f59432a27", "Landsat 8-9 OLI/TIRS C2 L1",
             "Landsat 8-9 Operational Land Imager and Thermal Infrared Sensor Collection 2 Level-1",
             "Landsat Collection 2 Level-1", "2013-04-11", 9825, ("EE", "GV")),
    _dataset(L2_DATASET, L2_DATASET_ID, "Landsat 8-9 OLI/TIRS C2 L2",
             "Landsat 8-9 Operational Land Imager and Thermal Infrared Sensor Collection 2 Level-2",
             "Landsat Collection 2 Level-2", "2013-04-11", 9885),
    _dataset("landsat_etm_c2_l1", "5e83d0a0f94d7d8d", "Landsat 7 ETM+ C2 L1",
             "Landsat 7 Enhanced Thematic Mapper Plus Collection 2 Level-1",
             "Landsat Collection 2 Level-1", "1999-05-28", 9821),
    _dataset("landsat_etm_c2_l2", "5e83d12aada2e3c5", "Landsat 7 ETM+ C2 L2",
             "Landsat 7 Enhanced Thematic Mapper Plus Collection 2 Level-2",
             "Landsat Collection 2 Level-2", "1999-05-28", 9881),
    _dataset("landsat_tm_c2_l2", "5e83d11933473426", "Landsat 4-5 TM C2 L2",
             "Landsat 4-5 Thematic Mapper Collection 2 Level-2",
             "Landsat Collection 2 Level-2", "1982-08-22", 9883),
    _dataset("landsat_band_files_c2_l2", L2_BAND_DATASET_ID, "Landsat C2 L2 Band Files",
             "Landsat Collection 2 Level-2 Band Files", "Landsat Collection 2 Level-2", "1982-08-22", None),
]


# -- Datasets beyond Landsat (served by .others): their entries as the recorded dataset-search has them
def _other(alias, dataset_id, name, long_name, category, start, legacy_id, abstract, keywords, bounds, doi,
           cloud=False, catalogs=("EE",)):
    return {
        "abstractText": abstract + " (Emulated dataset.)", "acquisitionStart": start, "acquisitionEnd": None,
        "catalogs": list(catalogs), "collectionName": name, "collectionLongName": long_name,
        "datasetId": dataset_id, "datasetAlias": alias, "datasetCategoryName": category, "dataOwner": "DMID",
        "dateUpdated": "2020-03-31 15:12:28.865978-05", "doiNumber": doi, "ingestFrequency": "P1D",
        "keywords": keywords, "legacyId": legacy_id, "sceneCount": 0, "spatialBounds": dict(bounds),
        "temporalCoverage": f'["{start} 00:00:00-05","2025-12-31 00:00:00-06"]', "supportCloudCover": cloud,
        "supportDeletionSearch": cloud, "allowInKmz": True,
    }


DATASETS += [
    _other("sentinel_2a", "5e83a42ca9977c30", "Sentinel-2", "European Space Agency Sentinel 2", "Sentinel",
           "2015-07-04", 10880, "The Sentinel-2A satellite is operated by the European Space Agency (ESA).",
           "Imagery,European Space Agency (ESA),Level-1C,Multi-Spectral Instrument,Sentinel-2",
           {"north": 83.7583450348868, "east": 180.01, "south": -97.6788797290394, "west": -180.01},
           "https://doi.org/10.5066/F76W992G", cloud=True, catalogs=("EE", "GV")),
    _other("naip", "5e83a340bf820c39", "NAIP", "National Agriculture Imagery Program", "Aerial Imagery",
           "2003-06-01", 15920, "The National Agriculture Imagery Program (NAIP) acquires aerial imagery during "
           "the agricultural growing seasons in the continental U.S.", "None,Aerial Imagery",
           {"north": 49.4542176579916, "east": -66.9208507401202, "south": -0.0099973, "west": -124.891487596185},
           "https://doi.org/10.5066/F7QN651G"),
    _other("srtm_v3", "5e83a3ee1af480c5", "SRTM 1 Arc-Second Global",
           "Shuttle Radar Topography Mission 1 Arc-Second Digital Terrain Elevation Data - Global", "SRTM",
           "2000-02-11", 8360, "The Shuttle Radar Topography Mission (SRTM) was a partnership between NASA and "
           "the National Geospatial-Intelligence Agency (NGA).", "None,30 meter,Global,Shuttle Radar Topography "
           "Mission (SRTM),Elevation", {"north": 60.01, "east": 180.01, "south": -56.01, "west": -180.01},
           "https://doi.org/10.5066/F7PR7TFT", catalogs=("EE", "CWIC")),
]


def find_dataset(name: str | None = None, dataset_id: str | None = None) -> dict | None:
    for dataset in DATASETS:
        if name and name.lower() == dataset["datasetAlias"]:
            return dataset
        if dataset_id and dataset_id == dataset["datasetId"]:
            return dataset
    return None


def _text(size):
    return {"type": "Text", "filters": [{"type": "StringToUpper", "options": []},
                                        {"type": "Application\\Filter\\Like", "options": []}],
            "options": {"size": str(size)}, "validators": [], "numElements": "5", "displayListId": None}


def _range(validators=()):
    return {"type": "Range", "filters": [], "options": [], "validators": list(validators), "numElements": 1,
            "displayListId": None}


def _select(upper=False):
    return {"type": "Select", "filters": [{"type": "StringToUpper", "options": []}] if upper else [],
            "options": {"size": "4", "multiple": True}, "validators": [], "numElements": 1,
            "displayListId": "2837"}


def _filter(filter_id, label, sql, config, anchor, legacy=None, values=None, field=None):
    entry = {"id": filter_id, "legacyFieldId": legacy, "dictionaryLink": f"{DICTIONARY}#{anchor}",
             "fieldConfig": config, "fieldLabel": label, "searchSql": sql}
    if values is not None:
        entry["valueList"] = values
    return entry, field


# (dataset-filters entry, the scene attribute it searches) for landsat_ot_c2_l2
_L2_FILTERS = [
    _filter("5e83d14f567d0086", "Landsat Product Identifier L2", "EE_DISPLAY_ID like ?", _text(50),
            "landsat_product_id", 27819, field="display_id"),
    _filter("5e83d14f227b0d85", "Landsat Product Identifier L1", "LANDSAT_PRODUCT_ID_L1 like ?", _text(45),
            "landsat_product_id", 27863, field="l1_id"),
    _filter("5e83d14fc84c9a78", "Landsat Scene Identifier", "ENTITY_ID like ?", _text(30),
            "landsat_scene_id", 27836, field="entity_id"),
    _filter("5e83d14fb9436d88", "WRS Path", "WRS_PATH between ?", _range(), "wrs_path", 27820, field="path"),
    _filter("5e83d14ff1eda1b8", "WRS Row", "WRS_ROW between ?", _range(), "wrs_row", 27821, field="row"),
    _filter("61af9273566bb9a8", "Satellite", "satellite = ?", _select(), "satellite",
            values={"9": "9", "8": "8"}, field="satellite"),
    _filter("5e83d14fc6e09eb6", "Sensor Identifier", "SENSOR_ID = ?", _select(True), "sensor_id", 27827,
            values={"OLI": "OLI", "OLI_TIRS": "OLI_TIRS", "TIRS": "TIRS"}, field="sensor"),
    _filter("5f6aa429b870fd7f", "Nadir/Off Nadir", "NADIR_OFFNADIR = ?", _select(True), "nadir_offnadir",
            values={"NADIR": "Nadir", "OFFNADIR": "Off Nadir"}, field="nadir"),
    _filter("5f6a6fb2137a3c00", "Collection Category", "COLLECTION_CATEGORY = ?", _select(), "collection_category",
            values={"T1": "Tier 1", "T2": "Tier 2", "RT": "Real-Time"}, field="category"),
    _filter("5e83d14f30ea90a9", "Day/Night Indicator", "DAY_NIGHT = ?", _select(True), "day_or_night", 27825,
            values={"DAY": "Day", "NIGHT": "Night"}, field="day_night"),
    _filter("5e83d14fd0c3fc4e", "Land Cloud Cover", "CLOUD_COVER_LAND between ?", _range(), "cloud_cover_land",
            27838, field="land_cloud"),
    _filter("5f6a6f82795f1b6c", "Date Product Generated L2 (YYYY/MM/DD)", "trunc(DATE_L2_GENERATED) between ?",
            _range([{"type": "Date", "options": {}}]), "date_product_generated", field="l2_date"),
]

L2_FILTERS = [entry for entry, _ in _L2_FILTERS]
L2_FILTER_FIELDS = {entry["id"]: field for entry, field in _L2_FILTERS}
L2_FILTER_TYPES = {entry["id"]: entry["fieldConfig"]["type"] for entry in L2_FILTERS}

# Products of a landsat_ot_c2_l2 scene in download-options
BUNDLE_PRODUCT = {"id": "5e83d14fec7cae84", "productCode": "D694", "downloadSystem": "ls_zip",
                  "productName": "Landsat Collection 2 Level-2 Product Bundle"}
BUNDLE_MS_PRODUCT = {"id": "632210d4770592cf", "productCode": "D806", "downloadSystem": "dds_ms",
                     "productName": "Landsat Collection 2 Level-2 Product Bundle"}
SR_FOLDER_PRODUCT = {"id": "6448198cc7b442a4", "productCode": "D693", "downloadSystem": "folder",
                     "productName": "Landsat Collection 2 Level-2 Band File"}
ST_FOLDER_PRODUCT = {"id": "6448198c62023764", "productCode": "D691", "downloadSystem": "folder",
                     "productName": "Landsat Collection 2 Level-2 Band File"}
PRIMARY_PRODUCTS = {p["id"]: p for p in (BUNDLE_PRODUCT, BUNDLE_MS_PRODUCT, SR_FOLDER_PRODUCT, ST_FOLDER_PRODUCT)}
DATASET_PRODUCTS = [BUNDLE_PRODUCT, BUNDLE_MS_PRODUCT, SR_FOLDER_PRODUCT, ST_FOLDER_PRODUCT]

BROWSE_CONFIGS = [
    {"id": "5fb4ba12d7ec307f", "browseName": "Reflective Browse", "browseSource": "ls_chs",
     "browseSourceName": "Landsat CHS", "browseRotationEnabled": False, "browseKmzEnabled": True,
     "isGeolocated": True, "displayOrder": 1, "overlaySpec": "file"},
    {"id": "5fb4ba1307dc5e0a", "browseName": "Thermal Browse", "browseSource": "ls_chs",
     "browseSourceName": "Landsat CHS", "browseRotationEnabled": False, "browseKmzEnabled": True,
     "isGeolocated": True, "displayOrder": 2, "overlaySpec": "file"},
]

# Listing-only datasets (no scenes, no filters): the rest of the catalogue the dataset picker lists
from .listed_datasets import listed_datasets  # noqa: E402 - after the datasets with products

DATASETS.extend(entry for entry in listed_datasets() if find_dataset(entry["datasetAlias"]) is None)
