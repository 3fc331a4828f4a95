"""M2M endpoints for login, datasets, scene search, scene metadata and scene lists."""

from __future__ import annotations

import copy

from .bundles import BUNDLE_FILES
from .common import M2MError, RawJson
from .datasets import (
    BROWSE_CONFIGS,
    DATASET_PRODUCTS,
    DATASETS,
    L2_BAND_DATASET_ID,
    L2_DATASET,
    L2_FILTERS,
    find_dataset,
)
from .filters import FilterError, scene_filter
from .others import other_dataset
from .products import UNAVAILABLE_FILES, file_product_id

RESULTS_LIMIT = 50_000
_SORT_KEYS = {
    "acquisitiondate": lambda s: s.index, "acquisition date": lambda s: s.index,
    "cloudcover": lambda s: -1.0 if s.cloud is None else s.cloud, "displayid": lambda s: s.display_id,
    "entityid": lambda s: s.entity_id, "5e83d14fb9436d88": lambda s: (s.path, s.index),
    "5e83d14ff1eda1b8": lambda s: (s.row, s.index), "publishdate": lambda s: (s.l2_date, s.index),
}


def dataset_of(call, required: bool = True) -> dict | None:
    name = call.payload.get("datasetName")
    dataset_id = call.payload.get("datasetId")
    if not name and not dataset_id:
        if required:
            raise M2MError("INPUT_PARAMETER_INVALID", "datasetName is required")
        return None
    dataset = find_dataset(name if isinstance(name, str) else None, dataset_id)
    if dataset is None:
        raise M2MError("DATASET_INVALID", f"Invalid dataset: {name or dataset_id}")
    return dataset


def _dataset_entry(call, dataset: dict) -> dict:
    entry = copy.deepcopy(dataset)
    if dataset["datasetAlias"] == L2_DATASET:
        entry["sceneCount"] = call.service.catalog.count
    other = other_dataset(dataset["datasetAlias"])
    if other is not None:
        entry["sceneCount"] = len(other.scenes)
    return entry


def login_token(call):
    key = call.service.login(call.payload.get("username"), call.payload.get("token"))
    call.session = call.service.sessions[key]
    return key


def logout(call):
    call.session.logged_out = True
    return None


def permissions(call):
    return ["download", "order"]


def dataset_search(call):
    name = call.payload.get("datasetName")
    wanted = name.lower() if isinstance(name, str) and name else None
    found = []
    for dataset in DATASETS:
        texts = (dataset["datasetAlias"], dataset["collectionName"], dataset["collectionLongName"])
        if wanted is None or any(wanted in text.lower() for text in texts):
            found.append(_dataset_entry(call, dataset))
    return found


def dataset(call):
    return _dataset_entry(call, dataset_of(call))


def dataset_filters(call):
    found = dataset_of(call)
    other = other_dataset(found["datasetAlias"])
    if other is not None:
        return copy.deepcopy(other.filter_entries)
    return copy.deepcopy(L2_FILTERS) if found["datasetAlias"] == L2_DATASET else []


def dataset_browse(call):
    dataset_of(call, required=False)
    return copy.deepcopy(BROWSE_CONFIGS)


def dataset_download_options(call):
    found = dataset_of(call)
    other = other_dataset(found["datasetAlias"])
    if other is not None:
        return [{"productId": p.product_id, "productCode": p.code, "productName": p.name} for p in other.products]
    if found["datasetAlias"] != L2_DATASET:
        return []
    return [{"productId": p["id"], "productCode": p["productCode"], "productName": p["productName"]}
            for p in DATASET_PRODUCTS]


def dataset_file_groups(call):
    found = dataset_of(call)
    if found["datasetAlias"] != L2_DATASET:
        return {"primary": [], "secondary": {}}
    groups = {}
    for group, label, prefix_test in (("ls_c2l2_sr", "Surface Reflectance Files", lambda n: not n.startswith("ST_")),
                                      ("ls_c2l2_st", "Surface Temperature Files", lambda n: n.startswith("ST_"))):
        names = [n for n in list(BUNDLE_FILES) + list(UNAVAILABLE_FILES) if prefix_test(n)]
        groups[group] = {
            "id": group, "color": None, "description": f"Landsat Collection-2 Level-2 {label}",
            "displayOrder": len(groups), "icon": None, "label": label,
            "files": [{"name": n, "productIds": {file_product_id(n): "dds"},
                       "productName": "Landsat Collection 2 Level-2 Band File", "displayOrder": i}
                      for i, n in enumerate(names)],
        }
    return {"primary": [], "secondary": {L2_BAND_DATASET_ID: groups}}


def _int(call, name: str, default: int, low: int = 1) -> int:
    value = call.payload.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise M2MError("INPUT_PARAMETER_INVALID", f"{name} must be an integer") from None
    if number < low:
        raise M2MError("INPUT_PARAMETER_INVALID", f"{name} must be at least {low}")
    return number


def _sorted(call, scenes: list) -> list:
    field = call.payload.get("sortField")
    direction = str(call.payload.get("sortDirection") or ("ASC" if field else "DESC")).upper()
    key = _SORT_KEYS.get(str(field).lower()) if field else None
    if key is None:
        return scenes if direction == "ASC" else scenes[::-1]
    return sorted(scenes, key=key, reverse=direction == "DESC")


def scene_search(call):
    found_dataset = dataset_of(call)
    max_results = min(_int(call, "maxResults", 100), RESULTS_LIMIT)
    start = _int(call, "startingNumber", 1)
    full = str(call.payload.get("metadataType") or "summary").lower() == "full"
    spec = call.payload.get("sceneFilter")
    other = other_dataset(found_dataset["datasetAlias"])
    render = call.service.renderer.scene_json
    if other is not None:
        try:
            geometry, first, last, predicate = scene_filter(spec, other.filter_fields)
        except FilterError as exc:
            raise M2MError(exc.code, str(exc)) from None
        scenes = _sorted(call, other.search(geometry, first, last, predicate))
        render = other.scene_json
    elif found_dataset["datasetAlias"] != L2_DATASET:
        scenes = []
    else:
        try:
            geometry, first, last, predicate = scene_filter(spec)
        except FilterError as exc:
            raise M2MError(exc.code, str(exc)) from None
        scenes = _sorted(call, call.service.catalog.search(geometry, first, last, predicate))
    total = len(scenes)
    reachable = min(total, RESULTS_LIMIT)
    page = scenes[start - 1:min(start - 1 + max_results, reachable)] if start <= reachable else []
    more = start - 1 + len(page) < reachable
    next_record = start + len(page) if more else start
    results = ",".join(render(scene, full) for scene in page)
    results = _hostile_browse(call, results)
    return RawJson(
        f'{{"results":[{results}],"recordsReturned":{len(page)},"totalHits":{total},'
        f'"totalHitsAccuracy":"{"approximate" if not spec else "exact"}","isCustomized":false,"numExcluded":0,'
        f'"startingNumber":{start},"nextRecord":{next_record}}}'
    )


def find_scene(call, entity_id, id_type: str = "entityId", dataset: dict | None = None):
    other = other_dataset(dataset["datasetAlias"]) if dataset else None
    if other is not None:
        return other.find(entity_id, id_type)
    catalog = call.service.catalog.ensure()
    if not isinstance(entity_id, str):
        return None
    if id_type == "displayId":
        return catalog.by_display_id(entity_id)
    return catalog.by_entity.get(entity_id)


def scene_metadata(call):
    found = dataset_of(call)
    entity_id = call.require("entityId")
    scene = find_scene(call, entity_id, str(call.payload.get("idType") or "entityId"), found)
    if scene is None:
        raise M2MError("INPUT_INVALID", f"Entity not found: {entity_id}")
    full = str(call.payload.get("metadataType") or "full").lower() != "summary"
    other = other_dataset(found["datasetAlias"])
    return RawJson((other.scene_json if other is not None else call.service.renderer.scene_json)(scene, full))


def scene_search_delete(call):
    dataset_of(call)
    return {"results": [], "totalHits": 0, "nextRecord": 1, "recordsReturned": 0}


def _list_key(call) -> tuple[str, str]:
    return call.session.username, str(call.require("listId"))


def entity_ids(call) -> list[str]:
    ids = call.payload.get("entityIds") or call.payload.get("entityId") or []
    if isinstance(ids, str):
        ids = [part.strip() for part in ids.split(",") if part.strip()]
    return [str(i) for i in ids]


def scene_list_add(call):
    found = dataset_of(call)
    key = _list_key(call)
    id_field = str(call.payload.get("idField") or "entityId")
    entries = call.service.scene_lists.setdefault(key, {})
    added = 0
    for value in entity_ids(call):
        scene = find_scene(call, value, id_field, found)
        entity_id = scene.entity_id if scene else None
        if entity_id and entity_id not in entries:
            entries[entity_id] = found["datasetAlias"]
            added += 1
    return added


def scene_list_get(call):
    entries = call.service.scene_lists.get(_list_key(call), {})
    dataset_name = call.payload.get("datasetName")
    items = [{"entityId": e, "datasetName": d} for e, d in entries.items() if not dataset_name or d == dataset_name]
    start = _int(call, "startingNumber", 1)
    count = _int(call, "maxResults", len(items) or 1)
    return items[start - 1:start - 1 + count]


def scene_list_remove(call):
    key = _list_key(call)
    ids = entity_ids(call)
    if not ids:
        call.service.scene_lists.pop(key, None)
    else:
        entries = call.service.scene_lists.get(key, {})
        for entity_id in ids:
            entries.pop(entity_id, None)
    return None


ENDPOINTS = {
    "login-token": login_token, "logout": logout, "permissions": permissions,
    "dataset-search": dataset_search, "dataset": dataset, "dataset-filters": dataset_filters,
    "dataset-browse": dataset_browse, "dataset-download-options": dataset_download_options,
    "dataset-file-groups": dataset_file_groups, "scene-search": scene_search, "scene-metadata": scene_metadata,
    "scene-search-delete": scene_search_delete, "scene-list-add": scene_list_add,
    "scene-list-get": scene_list_get, "scene-list-remove": scene_list_remove,
}


def _hostile_browse(call, results: str) -> str:
    """Fault ``browse_url``: the browse, overlay and thumbnail paths of the page's scenes become the
    fault's ``urls`` in turn (``file:///etc/passwd``, ``http://example.org/...``)."""
    fault = call.service.emulator.faults.take("m2m", "scene-search", "browse_url")
    if fault is None or not results:
        return results
    import json

    urls = list(fault.params.get("urls") or [fault.params.get("url", "file:///etc/passwd")])
    scenes = json.loads(f"[{results}]")
    for index, scene in enumerate(scenes):
        for entry in scene.get("browse") or []:
            for key in ("browsePath", "overlayPath", "thumbnailPath"):
                entry[key] = urls[index % len(urls)]
    return ",".join(json.dumps(scene) for scene in scenes)
