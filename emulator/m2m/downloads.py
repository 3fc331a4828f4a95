"""The download queue behind download-request, download-retrieve, download-search and friends.

State per download: ``available`` (URL ready), ``preparing`` (becomes available after
``config.prepare_polls`` download-retrieve calls), ``failed`` (statusCode "F", statusText
"Failed", url null: listed in download-retrieve's ``requested`` and in download-search; the
fault ``prepare_fail`` puts the next prepared download there) or ``removed``.
Status codes: "A" Available, "S" Staging (preparing), "F" Failed. Clients should rely on A and
F only. A quarter of the bundles (chosen by entity id) are prepared first; band files are
available at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field

from .bundles import file_size, tar_size
from .catalog import Scene
from .datasets import BUNDLE_PRODUCT, DATASETS, L2_BAND_DATASET_ID, L2_DATASET_ID

COLLECTION_NAME = next(d["collectionName"] for d in DATASETS if d["datasetId"] == L2_DATASET_ID)
INITIAL_LIMITS = {"recentDownloadCount": 15000, "pendingDownloadCount": 20000, "unattemptedDownloadCount": 20000}
_STATUS = {"available": ("A", "Available"), "preparing": ("S", "Staging"), "failed": ("F", "Failed"),
           "removed": ("R", "Removed")}


@dataclass
class Download:
    download_id: int
    username: str
    label: str
    scene: Scene
    product: dict  # productCode/productName/id of the primary product or the band file's product
    file_name: str | None  # band file (e.g. "SR_B4.TIF"), None for the whole bundle
    state: str
    created: float
    polls: int = 0
    was_preparing: bool = False
    doomed: bool = False
    attempts: int = 0

    @property
    def product_id(self) -> str:
        return self.product["id"]

    @property
    def display_id(self) -> str:
        return self.scene.display_id + (f"_{self.file_name}" if self.file_name else "")

    @property
    def filesize(self) -> int:
        if self.product.get("source"):  # a product of a dataset beyond Landsat: (dataset, product)
            return self.product["source"][1].size
        return file_size(self.file_name) if self.file_name else tar_size()


def prepares_first(scene: Scene) -> bool:
    return int(hashlib.sha1(scene.entity_id.encode()).hexdigest()[:8], 16) % 4 == 0


@dataclass
class DownloadStore:
    secret: bytes
    base_url: str
    next_id: int = 659_719_300
    records: dict[int, Download] = field(default_factory=dict)
    active: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (user, entity, product) -> id
    labels: dict[tuple[str, str], float] = field(default_factory=dict)  # (user, label) -> first use
    lock: threading.RLock = field(default_factory=threading.RLock)

    # -- URLs ---------------------------------------------------------------------------
    def token(self, download: Download) -> str:
        payload = {"id": download.download_id, "contactId": 27100031}
        return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()

    def signature(self, download_id: int, display_id: str) -> str:
        digest = hmac.new(self.secret, f"{download_id}:{display_id}".encode(), hashlib.sha256).hexdigest()
        payload = {"downloadApp": "M2M", "downloadId": download_id, "id": display_id, "signature": digest}
        return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()

    def check_signature(self, display_id: str, signature: str) -> Download | None:
        try:
            payload = json.loads(base64.urlsafe_b64decode(signature.encode()))
            download_id = int(payload["downloadId"])
        except (ValueError, KeyError, TypeError):
            return None
        if not hmac.compare_digest(self.signature(download_id, display_id), signature):
            return None
        return self.records.get(download_id)

    def from_token(self, token: str) -> Download | None:
        try:
            return self.records.get(int(json.loads(base64.urlsafe_b64decode(token.encode()))["id"]))
        except (ValueError, KeyError, TypeError):
            return None

    def url(self, download: Download) -> str | None:
        if download.state == "preparing":
            return f"{self.base_url}/dds/download-staging/{self.token(download)}"
        if download.state != "available":
            return None
        if download.file_name is None and download.product_id == BUNDLE_PRODUCT["id"]:
            return (f"{self.base_url}/landsatlook/gen-bundle?landsat_product_id={download.scene.display_id}"
                    f"&requestSignature={self.signature(download.download_id, download.scene.display_id)}")
        return f"{self.base_url}/dds/download/{self.token(download)}"

    # -- queue --------------------------------------------------------------------------
    def find_active(self, username: str, entity_id: str, product_id: str) -> Download | None:
        download_id = self.active.get((username, entity_id, product_id))
        download = None if download_id is None else self.records[download_id]
        return None if download is None or download.state == "failed" else download  # failed: may ask again

    def add(self, username: str, label: str, scene: Scene, product: dict, entity_id: str,
            file_name: str | None, now: float, may_prepare: bool = True, prepare: bool = False) -> Download:
        with self.lock:
            preparing = prepare or (may_prepare and file_name is None and prepares_first(scene))
            download = Download(self.next_id, username, label, scene, product, file_name,
                                "preparing" if preparing else "available", now, was_preparing=preparing)
            self.next_id += 1
            self.records[download.download_id] = download
            self.active[(username, entity_id, product["id"])] = download.download_id
            self.labels.setdefault((username, label), now)
            return download

    def of_user(self, username: str, label: str | None = None) -> list[Download]:
        with self.lock:  # other request threads add records meanwhile
            records = list(self.records.values())
        return [d for d in records
                if d.username == username and d.state != "removed" and (label is None or d.label == label)]

    def user_labels(self, username: str) -> list[tuple[str, float]]:
        with self.lock:
            return [(label, first) for (user, label), first in self.labels.items() if user == username]

    def remove(self, download: Download) -> None:
        with self.lock:
            download.state = "removed"
            self.active = {k: v for k, v in self.active.items() if v != download.download_id}

    def item(self, download: Download) -> dict:
        code, text = _STATUS[download.state]
        other = download.product.get("source")
        return {
            "downloadId": download.download_id,
            "collectionName": other[0].collection_name if other else COLLECTION_NAME,
            "datasetId": other[0].dataset_id if other else L2_BAND_DATASET_ID if download.file_name else L2_DATASET_ID,
            "displayId": download.display_id, "entityId": download.scene.entity_id, "eulaCode": None,
            "filesize": download.filesize, "label": download.label, "productCode": download.product["productCode"],
            "productName": download.product["productName"], "statusCode": code, "statusText": text,
            "url": self.url(download),
        }

    def limits(self, username: str, ip: str) -> list[dict]:
        mine = self.of_user(username)
        pending = sum(1 for d in mine if d.state == "preparing")
        unattempted = sum(1 for d in mine if d.state == "available" and d.attempts == 0)
        counts = {
            "recentDownloadCount": INITIAL_LIMITS["recentDownloadCount"] - len(mine),
            "pendingDownloadCount": INITIAL_LIMITS["pendingDownloadCount"] - pending,
            "unattemptedDownloadCount": INITIAL_LIMITS["unattemptedDownloadCount"] - unattempted,
        }
        return [{"limitType": "user", "username": username, **counts},
                {"limitType": "ip", "ipAddress": ip, **counts}]
