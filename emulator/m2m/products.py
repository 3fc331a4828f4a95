"""download-options for a scene: the ls_zip bundle, an unavailable dds_ms bundle, and band-file folders."""

from __future__ import annotations

from .bundles import BUNDLE_FILES, file_size, tar_size
from .catalog import Catalog, Scene
from .datasets import (
    BUNDLE_MS_PRODUCT,
    BUNDLE_PRODUCT,
    L2_BAND_DATASET_ID,
    L2_DATASET_ID,
    SR_FOLDER_PRODUCT,
    ST_FOLDER_PRODUCT,
)
from .render import stable_id

DISPLAY_ID_LENGTH = 40  # LC09_L2SP_013035_20230326_20230328_02_T1
# Band files listed but never available (to exercise "available": false)
UNAVAILABLE_FILES = ("SR_QA_AEROSOL.TIF", "ST_QA.TIF")


def _entity_prefix(name: str) -> str:
    if name.startswith("SR_"):
        return "L2SR"
    if name.startswith("ST_"):
        return "L2ST"
    if name.startswith("QA_"):
        return "L2QA"
    return "L2MD"


def file_entity_id(display_id: str, name: str) -> str:
    return f"{_entity_prefix(name)}_{display_id}_{name.replace('.', '_').upper()}"


def file_product_id(name: str) -> str:
    """Band-file product ids are per kind of file, the same for every scene (as in real answers)."""
    return stable_id("file", name)


def bundle_available(scene: Scene) -> bool:
    return scene.cloud is not None  # scenes without a cloud score have no ready-made bundle


def _secondary(scene: Scene, name: str, order: int, group: str, product: dict) -> dict:
    display_id = scene.display_id
    available = name not in UNAVAILABLE_FILES
    return {
        "id": file_product_id(name), "downloadName": name, "displayId": f"{display_id}_{name}",
        "entityId": file_entity_id(display_id, name), "datasetId": L2_BAND_DATASET_ID, "available": available,
        "filesize": file_size(name) if available else 0, "productName": product["productName"],
        "productCode": product["productCode"], "bulkAvailable": available, "downloadSystem": "dds",
        "secondaryDownloads": [], "fileGroups": [group], "displayOrder": order,
    }


def _folder_files(product: dict) -> tuple[list[str], str]:
    if product is ST_FOLDER_PRODUCT:
        return [n for n in BUNDLE_FILES if n.startswith("ST_")] + ["ST_QA.TIF"], "ls_c2l2_st"
    names = [n for n in BUNDLE_FILES if not n.startswith("ST_")]
    return names[:7] + ["SR_QA_AEROSOL.TIF"] + names[7:], "ls_c2l2_sr"


def download_options(scene: Scene) -> list[dict]:
    display_id = scene.display_id
    base = {"displayId": display_id, "entityId": scene.entity_id, "datasetId": L2_DATASET_ID}
    bundle_ok = bundle_available(scene)
    options = [
        {"id": BUNDLE_PRODUCT["id"], "downloadName": None, **base, "available": bundle_ok,
         "filesize": tar_size(), "productName": BUNDLE_PRODUCT["productName"],
         "productCode": BUNDLE_PRODUCT["productCode"], "bulkAvailable": bundle_ok, "downloadSystem": "ls_zip",
         "secondaryDownloads": []},
    ]
    for product in (SR_FOLDER_PRODUCT, ST_FOLDER_PRODUCT):
        names, group = _folder_files(product)
        options.append({
            "id": product["id"], "downloadName": "C2L2 Tile Product Files", **base, "available": True,
            "filesize": 0, "productName": product["productName"], "productCode": product["productCode"],
            "bulkAvailable": True, "downloadSystem": "folder",
            "secondaryDownloads": [_secondary(scene, n, i, group, product) for i, n in enumerate(names)],
        })
    options.append({
        "id": BUNDLE_MS_PRODUCT["id"], "downloadName": None, **base, "available": False,
        "filesize": tar_size(), "productName": BUNDLE_MS_PRODUCT["productName"],
        "productCode": BUNDLE_MS_PRODUCT["productCode"], "bulkAvailable": False, "downloadSystem": "dds_ms",
        "secondaryDownloads": [],
    })
    return options


def resolve_file(catalog: Catalog, entity_id: str, product_id: str) -> tuple[Scene, str] | None:
    """The scene and band-file name of a secondary download, or None."""
    if not isinstance(entity_id, str) or len(entity_id) < 5 + DISPLAY_ID_LENGTH:
        return None
    scene = catalog.by_display_id(entity_id[5:5 + DISPLAY_ID_LENGTH])
    if scene is None:
        return None
    for name in list(BUNDLE_FILES) + list(UNAVAILABLE_FILES):
        if file_entity_id(scene.display_id, name) == entity_id:
            if file_product_id(name) == product_id:
                return scene, name
            return None
    return None
