"""M2M download endpoints: download-options, -request, -retrieve, -search, -labels, -remove, rate limits."""

from __future__ import annotations

import datetime as dt

from ..limits import check_user_downloads
from .api_catalog import dataset_of, entity_ids
from .common import M2MError
from .datasets import BUNDLE_PRODUCT, L2_DATASET, PRIMARY_PRODUCTS, SR_FOLDER_PRODUCT, ST_FOLDER_PRODUCT
from .downloads import INITIAL_LIMITS
from .others import other_dataset, resolve
from .products import UNAVAILABLE_FILES, bundle_available, download_options, resolve_file

CLIENT_IP = "127.0.0.1"


def options(call):
    found = dataset_of(call)
    ids = entity_ids(call)
    list_id = call.payload.get("listId")
    if list_id and not ids:
        ids = list(call.service.scene_lists.get((call.session.username, str(list_id)), {}))
    other = other_dataset(found["datasetAlias"])
    if other is not None:
        return [option for entity_id in ids if (scene := other.find(entity_id)) is not None
                for option in other.options(scene)]
    if found["datasetAlias"] != L2_DATASET:
        return []
    catalog = call.service.catalog.ensure()
    result = []
    for entity_id in ids:
        scene = catalog.by_entity.get(entity_id)
        if scene is not None:
            result.extend(download_options(scene))
    return result


def _resolve(catalog, entity_id, product_id):
    """(scene, product, file name) or an error: "invalid" (unknown scene) or a failure message.
    A scene of another dataset: (scene, its product as a dict with ``source``, None)."""
    other = resolve(entity_id, product_id)
    if other is not None:
        dataset, scene, product = other
        if product is None:
            return "Invalid product for this entity"
        if not product.available:
            return "Product is not available for download"
        return scene, {"id": product.product_id, "productCode": product.code, "productName": product.name,
                       "source": (dataset, product)}, None
    if product_id in PRIMARY_PRODUCTS:
        scene = catalog.by_entity.get(entity_id) if isinstance(entity_id, str) else None
        if scene is None:
            return "invalid"
        if product_id != BUNDLE_PRODUCT["id"] or not bundle_available(scene):
            return "Product is not available for download"
        return scene, BUNDLE_PRODUCT, None
    resolved = resolve_file(catalog, entity_id, product_id)
    if resolved is None:
        known = isinstance(entity_id, str) and (entity_id in catalog.by_entity or entity_id.startswith("L2"))
        return "Invalid product for this entity" if known else "invalid"
    scene, name = resolved
    if name in UNAVAILABLE_FILES:
        return "Product is not available for download"
    folder = ST_FOLDER_PRODUCT if name.startswith("ST_") else SR_FOLDER_PRODUCT
    return scene, {"id": product_id, "productCode": folder["productCode"], "productName": folder["productName"]}, name


def request(call):
    service, store = call.service, call.service.downloads
    username = call.session.username
    items = call.payload.get("downloads") or []
    if not isinstance(items, list):
        raise M2MError("INPUT_PARAMETER_INVALID", "downloads must be a list")
    if len(store.of_user(username)) + len(items) > INITIAL_LIMITS["recentDownloadCount"]:
        raise M2MError("RATE_LIMIT_USER_DL", "You have exceeded the number of downloads allowed in 15 minutes")
    now = service.emulator.clock.now()
    check_user_downloads(service.emulator, call.request.service, call.request.route, store.of_user(username),
                         len(items), now)
    top_label = call.payload.get("label")
    server_label = f"m2m_{call.request_id}_{dt.datetime.fromtimestamp(now, dt.timezone.utc):%Y%m%d%H%M%S}"
    catalog = service.catalog.ensure()
    available, preparing, failed = [], [], []
    new_records, duplicates = {}, {}
    invalid = 0
    for item in items:
        item = item if isinstance(item, dict) else {}
        entity_id, product_id = item.get("entityId"), item.get("productId")
        resolved = _resolve(catalog, entity_id, product_id)
        if resolved == "invalid":
            invalid += 1
            continue
        if isinstance(resolved, str):
            failed.append({"entityId": entity_id, "productId": product_id, "errorMessage": resolved})
            continue
        scene, product, file_name = resolved
        label = str(top_label or item.get("label") or server_label)
        with store.lock:
            download = store.find_active(username, entity_id, product_id)
            if download is not None:
                duplicates[str(download.download_id)] = download.label
            else:
                forced = service.emulator.faults.take(call.request.service, call.request.route, "prepare")
                download = store.add(username, label, scene, product, entity_id, file_name, now,
                                     may_prepare=service.emulator.config.prepare_polls > 0, prepare=bool(forced))
                new_records[str(download.download_id)] = label
                if download.state == "preparing" and service.emulator.faults.take(
                        call.request.service, call.request.route, "prepare_fail"):
                    download.doomed = True
        entry = {"downloadId": download.download_id, "eulaCode": None, "url": store.url(download),
                 "entityId": entity_id}
        if download.state == "available":
            available.append(entry)
        elif download.state == "preparing":
            preparing.append(entry)
    return {
        "availableDownloads": available, "duplicateProducts": duplicates or [], "preparingDownloads": preparing,
        "failed": failed, "newRecords": new_records or [], "numInvalidScenes": invalid,
        "remainingLimits": store.limits(username, CLIENT_IP),
    }


def retrieve(call):
    service, store = call.service, call.service.downloads
    label = call.payload.get("label") or None
    polls_needed = service.emulator.config.prepare_polls
    with store.lock:
        scope = sorted(store.of_user(call.session.username, label), key=lambda d: d.download_id)
        for download in scope:
            if download.state != "preparing":
                continue
            download.polls += 1
            ready_at = download.created + service.emulator.config.prepare_seconds
            if download.polls >= polls_needed and service.emulator.clock.now() >= ready_at:
                fails = download.doomed or service.emulator.faults.take(
                    call.request.service, call.request.route, "prepare_fail")
                download.state = "failed" if fails else "available"
        return {
            "available": [store.item(d) for d in scope if d.state == "available"],
            "queueSize": sum(1 for d in scope if d.state == "preparing"),
            "requested": [store.item(d) for d in scope if d.was_preparing],
            "eulas": [],
        }


def search(call):
    store = call.service.downloads
    label = call.payload.get("label") or None
    active_only = bool(call.payload.get("activeOnly"))
    found = store.of_user(call.session.username, label)
    return [store.item(d) for d in sorted(found, key=lambda d: d.download_id)
            if not active_only or d.state in ("available", "preparing")]


def labels(call):
    store = call.service.downloads
    result = []
    for label, first in store.user_labels(call.session.username):
        mine = store.of_user(call.session.username, label)
        if not mine:
            continue
        result.append({"label": label, "dateEntered": int(first * 1000), "downloadSize": sum(d.filesize for d in mine),
                       "downloadCount": len(mine), "totalComplete": sum(d.state == "available" for d in mine)})
    return result


def remove(call):
    store = call.service.downloads
    try:
        download = store.records.get(int(call.require("downloadId")))
    except (TypeError, ValueError):
        raise M2MError("INPUT_PARAMETER_INVALID", "downloadId must be an integer") from None
    if download is None or download.username != call.session.username or download.state == "removed":
        return False
    store.remove(download)
    return True


def order_remove(call):
    store = call.service.downloads
    found = store.of_user(call.session.username, str(call.require("label")))
    for download in found:
        store.remove(download)
    return len(found)


def rate_limit_summary(call):
    store = call.service.downloads
    username = call.session.username
    mine = store.of_user(username)
    counts = {}
    for download in mine:
        status = store.item(download)["statusText"]
        counts[status] = counts.get(status, 0) + 1
    download_counts = [{"status": status, "downloadCount": count} for status, count in counts.items()]
    ip = call.payload.get("ipAddress") or CLIENT_IP
    if isinstance(ip, list):
        ip = ip[0] if ip else CLIENT_IP
    return {
        "initialLimits": [dict(INITIAL_LIMITS)],
        "remainingLimits": store.limits(username, str(ip)),
        "recentDownloadCounts": [
            {"countType": "username", "username": username, "downloadCounts": download_counts},
            {"countType": "ip", "ipAddress": str(ip), "downloadCounts": list(download_counts)},
        ],
    }


ENDPOINTS = {
    "download-options": options, "download-request": request, "download-retrieve": retrieve,
    "download-search": search, "download-labels": labels, "download-remove": remove,
    "download-order-remove": order_remove, "rate-limit-summary": rate_limit_summary,
}
