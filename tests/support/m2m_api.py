"""The emulated M2M API called over plain HTTP (no client code of ours), for the emulator's own tests."""

from __future__ import annotations

import requests

DATASET = "landsat_ot_c2_l2"
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
