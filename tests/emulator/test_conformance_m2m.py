"""The emulator answers like the recorded M2M responses: same keys, same value types.

Every recording in ``fixtures/m2m`` (all folders) is paired with the emulator request that asks
the same question of the emulated dataset (recordings of other datasets, such as corona2 or
LANDSAT_8_C1, are compared with landsat_ot_c2_l2 answers). Paths the emulator does not reproduce
are listed, with the reason, in ``emulator.unemulated.M2M_UNEMULATED``.
"""

from __future__ import annotations

import json
import uuid

import pytest
import requests
from support.conformance import FIXTURES, shape_differences
from support.m2m_api import ALBEMARLE, DATASET

from scene_finder.emulator.m2m.downloads import prepares_first
from scene_finder.emulator.unemulated import M2M_UNEMULATED

FOLDER = FIXTURES / "m2m"
BUNDLE = "5e83d14fec7cae84"

pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason=f"recorded fixtures not found at {FOLDER}")


class Api:
    def __init__(self, emulator):
        self.emulator = emulator
        self.url = emulator.m2m_url
        self.username = username = f"conformance-{uuid.uuid4().hex[:10]}"
        # a user of its own, so that its download queue is not shared with other tests
        emulator.config.m2m_accounts[username] = "conformance-token"
        try:
            self.key = self.post("login-token", {"username": username, "token": "conformance-token"})["data"]
        finally:
            del emulator.config.m2m_accounts[username]

    def post(self, endpoint: str, payload: dict | None = None, key: str | None = None) -> dict:
        headers = {"X-Auth-Token": key or self.key} if endpoint != "login-token" else {}
        response = requests.post(self.url + endpoint, json=payload, headers=headers, timeout=120)
        return response.json()

    def data(self, endpoint: str, payload: dict | None = None):
        answer = self.post(endpoint, payload)
        assert answer["errorCode"] is None, answer
        return answer

    def scenes(self, count: int = 20) -> list[dict]:
        payload = {"datasetName": DATASET, "maxResults": count,
                   "sceneFilter": {"spatialFilter": ALBEMARLE, "cloudCoverFilter": {"min": 0, "max": 100}}}
        return self.data("scene-search", payload)["data"]["results"]

    def scene_ids(self, preparing: bool, count: int = 1) -> list[str]:
        catalog = self.emulator.service("m2m").catalog
        ids = [s["entityId"] for s in self.scenes(200)]
        return [i for i in ids if prepares_first(catalog.by_entity[i]) == preparing][:count]

    def fresh_request(self, preparing: bool, count: int = 1, label: str | None = None) -> dict:
        """A download-request for bundles nobody has asked for yet (so nothing is a duplicate)."""
        wanted = []
        for scene in self.scenes(400):
            entity = scene["entityId"]
            catalog = self.emulator.service("m2m").catalog
            if prepares_first(catalog.by_entity[entity]) == preparing and scene["cloudCover"] is not None \
                    and not self._requested(entity):
                wanted.append({"entityId": entity, "productId": BUNDLE})
            if len(wanted) == count:
                break
        payload = {"downloads": wanted}
        if label:
            payload["label"] = label
        return self.data("download-request", payload)

    def _requested(self, entity: str) -> bool:
        store = self.emulator.service("m2m").downloads
        return any(d.scene.entity_id == entity for d in store.records.values() if d.username == self.username)


def _retrieved(api: Api) -> dict:
    label = f"conformance-{api.emulator.service('m2m').downloads.next_id}"
    api.fresh_request(preparing=True, label=label)
    for _ in range(api.emulator.config.prepare_polls):
        answer = api.data("download-retrieve", {"label": label})
    return answer


def _download_options(api: Api) -> dict:
    return api.data("download-options", {"datasetName": DATASET, "entityIds": api.scene_ids(False, 2)})


def _expired(api: Api) -> dict:
    api.emulator.faults.add("m2m", "dataset-search", "expire_key")
    return api.post("dataset-search", {})


def _scene_list_add(api: Api) -> dict:
    return api.data("scene-list-add", {"listId": "conformance", "datasetName": DATASET,
                                       "entityIds": api.scene_ids(False, 1)})


def _scene_list_get(api: Api) -> dict:
    _scene_list_add(api)
    return api.data("scene-list-get", {"listId": "conformance"})


def _order_remove(api: Api) -> dict:
    api.fresh_request(preparing=False, label="conformance-remove")
    return api.data("download-order-remove", {"label": "conformance-remove"})


def _remove(api: Api) -> dict:
    answer = api.fresh_request(preparing=False)
    return api.data("download-remove", {"downloadId": answer["data"]["availableDownloads"][0]["downloadId"]})


def _labels(api: Api) -> dict:
    api.fresh_request(preparing=False, label="conformance-labels")
    return api.data("download-labels", {})


def _search_downloads(api: Api) -> dict:
    api.fresh_request(preparing=False, label="conformance-search")
    return api.data("download-search", {"label": "conformance-search"})


def _metadata(api: Api) -> dict:
    return api.data("scene-metadata", {"datasetName": DATASET, "entityId": api.scene_ids(False)[0],
                                       "metadataType": "full"})


def _file_groups(api: Api) -> dict:
    return api.data("dataset-file-groups", {"datasetName": DATASET})


CASES = {
    "kapadia_usgs/dataset-download-options.json": lambda api: api.data("dataset-download-options",
                                                                       {"datasetName": DATASET}),
    "kapadia_usgs/dataset-fields.json": lambda api: api.data("dataset-filters", {"datasetName": DATASET}),
    "kapadia_usgs/dataset-search.json": lambda api: api.data("dataset-search", {}),
    "kapadia_usgs/download-options.json": _download_options,
    "kapadia_usgs/download-request.json": lambda api: api.fresh_request(preparing=True),
    "kapadia_usgs/scene-metadata.json": _metadata,
    "kapadia_usgs/scene-search.json": lambda api: api.data("scene-search", {
        "datasetName": DATASET, "maxResults": 1, "sceneFilter": {"spatialFilter": ALBEMARLE}}),
    "castuofa_usgs_m2m_api/dataset-search.json": lambda api: api.data("dataset-search", {"datasetName": "landsat"}),
    "castuofa_usgs_m2m_api/dataset.json": lambda api: api.data("dataset", {"datasetName": DATASET}),
    "castuofa_usgs_m2m_api/download-options.json": _download_options,
    "castuofa_usgs_m2m_api/download-request.json": lambda api: api.fresh_request(preparing=True,
                                                                                  label="download-sample"),
    "castuofa_usgs_m2m_api/download-retrieve.json": _retrieved,
    "castuofa_usgs_m2m_api/scene-search.json": lambda api: api.data("scene-search", {"datasetName": DATASET}),
    "observed_in_issues_and_code/error_AUTH_EXPIRED.json": _expired,
    "observed_in_issues_and_code/download-request_data_only_theia_2024-01-31.json":
        lambda api: api.fresh_request(preparing=True, count=2)["data"],
    "observed_in_issues_and_code/download-request_empty_theia_comment.json":
        lambda api: api.data("download-request", {"downloads": []}),
    "usgs_docs_samples/dataset-browse_TRIMMED.json": lambda api: api.data("dataset-browse",
                                                                          {"datasetId": "5e83d14f2fc39685"}),
    "usgs_docs_samples/dataset-file-groups_TRIMMED.json": _file_groups,
    "usgs_docs_samples/dataset-filters_FIXED.json": lambda api: api.data("dataset-filters", {"datasetName": DATASET}),
    "usgs_docs_samples/download-labels.json": _labels,
    "usgs_docs_samples/download-options_TRIMMED.json": lambda api: api.data("download-options", {
        "datasetName": DATASET, "entityIds": api.scene_ids(False, 2), "includeSecondaryFileGroups": True}),
    "usgs_docs_samples/download-order-remove.json": _order_remove,
    "usgs_docs_samples/download-remove.json": _remove,
    "usgs_docs_samples/download-request.json": lambda api: api.fresh_request(preparing=True),
    "usgs_docs_samples/download-retrieve.json": _retrieved,
    "usgs_docs_samples/download-search.json": _search_downloads,
    "usgs_docs_samples/login-token.json": lambda api: api.post(
        "login-token", {"username": "demo", "token": "demo-application-token"}),
    "usgs_docs_samples/permissions.json": lambda api: api.data("permissions", {}),
    "usgs_docs_samples/rate-limit-summary.json": lambda api: api.data("rate-limit-summary", {}),
    "usgs_docs_samples/scene-list-add_development.json": _scene_list_add,
    "usgs_docs_samples/scene-list-add_stable.json": _scene_list_add,
    "usgs_docs_samples/scene-list-get.json": _scene_list_get,
    "usgs_docs_samples/scene-list-remove.json": lambda api: api.data("scene-list-remove", {"listId": "conformance"}),
    "usgs_docs_samples/scene-metadata.json": _metadata,
    "usgs_docs_samples/scene-search-delete.json": lambda api: api.data("scene-search-delete",
                                                                       {"datasetName": DATASET}),
    "usgs_docs_samples/scene-search_FIXED.json": lambda api: api.data("scene-search", {
        "datasetName": DATASET, "maxResults": 100, "metadataType": "summary"}),
}


# Objects keyed by identifiers (download ids, dataset ids, group ids, product ids) -> how many levels
ID_KEYED = {"newRecords": 1, "duplicateProducts": 1, "productIds": 1, "secondary": 2}


def _values_of_id_maps(value, levels: int = 0):
    """Replace objects keyed by identifiers with the list of their values, so that shapes compare."""
    if isinstance(value, dict):
        if levels:
            return [_values_of_id_maps(v, levels - 1) for v in value.values()]
        return {k: _values_of_id_maps(v, ID_KEYED.get(k, 0)) for k, v in value.items()}
    if isinstance(value, list):
        return [_values_of_id_maps(v) for v in value]
    return value


def _recorded_files() -> list[str]:
    if not FOLDER.is_dir():
        return []
    return sorted(str(p.relative_to(FOLDER)) for p in FOLDER.rglob("*.json"))


def test_every_recording_has_a_case():
    assert set(_recorded_files()) <= set(CASES), set(_recorded_files()) - set(CASES)


def test_unemulated_paths_have_reasons():
    for name, paths in M2M_UNEMULATED.items():
        assert name == "*" or (FOLDER / name).is_file(), name
        assert all(isinstance(reason, str) and len(reason) > 10 for reason in paths.values()), name


@pytest.mark.parametrize("name", _recorded_files())
def test_emulator_answers_like_the_recording(emulator, name):
    recorded = json.loads((FOLDER / name).read_text(encoding="utf-8"))
    emulated = CASES[name](Api(emulator))
    recorded, emulated = _values_of_id_maps(recorded), _values_of_id_maps(emulated)
    skip = set(M2M_UNEMULATED.get("*", {})) | set(M2M_UNEMULATED.get(name, {}))
    assert shape_differences(recorded, emulated, skip) == []
