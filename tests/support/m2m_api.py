"""The emulated M2M API called over plain HTTP (no client code of ours), for the emulator's own tests."""

from __future__ import annotations

import uuid

import requests

DATASET = "landsat_ot_c2_l2"
BUNDLE = "5e83d14fec7cae84"  # the Level-2 product bundle's product id
ALBEMARLE = {"filterType": "mbr", "lowerLeft": {"latitude": 35.5713, "longitude": -76.9196},
             "upperRight": {"latitude": 36.3793, "longitude": -75.446}}


class M2MApi:
    """Signed in with ``login-token``; ``call`` asserts the envelope carries no error."""

    def __init__(self, emulator, username: str = "demo", token: str = "demo-application-token"):
        self.emulator = emulator
        self.key = self.call("login-token", {"username": username, "token": token})

    def answer(self, endpoint: str, payload=None) -> dict:
        return requests.post(self.emulator.m2m_url + endpoint, json=payload, timeout=120,
                             headers={"X-Auth-Token": getattr(self, "key", "")}).json()

    def call(self, endpoint: str, payload=None):
        answer = self.answer(endpoint, payload)
        assert answer["errorCode"] is None, answer
        return answer["data"]


class DownloadUser(M2MApi):
    """A user of its own (the emulator counts downloads and queues them per user), asking for downloads."""

    def __init__(self, emulator):
        self.username = f"user-{uuid.uuid4().hex[:10]}"
        emulator.config.m2m_accounts[self.username] = "secret-token"
        try:
            super().__init__(emulator, self.username, "secret-token")
        finally:
            del emulator.config.m2m_accounts[self.username]

    def scene_ids(self, count: int, preparing: bool) -> list[str]:
        """``count`` scenes over Albemarle Sound that the emulator prepares first (or not)."""
        from scene_finder.emulator.m2m.downloads import prepares_first

        results = self.call("scene-search", {"datasetName": DATASET, "maxResults": 300, "sceneFilter": {
            "spatialFilter": ALBEMARLE, "cloudCoverFilter": {"min": 0, "max": 100}}})["results"]
        catalog = self.emulator.service("m2m").catalog
        ids = [s["entityId"] for s in results if prepares_first(catalog.by_entity[s["entityId"]]) == preparing]
        return ids[:count]

    def request(self, entity_ids: list[str], product: str = BUNDLE, **payload) -> dict:
        downloads = [{"entityId": e, "productId": product} for e in entity_ids]
        return self.call("download-request", {"downloads": downloads, **payload})

    def retrieve(self, label: str | None = None) -> dict:
        return self.call("download-retrieve", {"label": label} if label else {})
