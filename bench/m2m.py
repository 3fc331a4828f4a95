"""M2M figures: search-to-GeoPackage overhead against raw requests, and the seed workflow's HTTP calls.

- ``m2m_search_ratio``: a 50,000-scene search (5 pages of 10,000) turned into typed scenes and
  written to a GeoPackage, divided by the time raw ``requests`` take to fetch and decode the
  same pages (same payloads, same page size), both in this run against the same emulator; best
  of a few rounds each, after one warm-up, so the shared machine's noise weighs less.
- ``m2m_seed_workflow_calls``: every HTTP request the emulator sees for the seed notebook's
  workflow with 3 scenes, login to logout, downloading the bundles. The protocol minimum is 9:
  login-token, dataset-filters (to turn "Satellite" into its filter id), scene-search,
  download-options, download-request, 3 file GETs, logout (dataset-search is not needed when
  the dataset alias is known; download-retrieve only when USGS is preparing something).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import requests
from shapely.geometry import box

from ..core.m2m import M2MClient, dataset_filters, download_scenes, search_scenes
from .common import emulator_for, figure

DATASET = "landsat_ot_c2_l2"
USER, TOKEN = "demo", "demo-application-token"
PAGE_SIZE = 10_000
ROUNDS = 5
SEED = dict(aoi=box(-76.9196, 35.5713, -75.4460, 36.3793), start="2023-03-01", end="2023-04-01", cloud_max=20,
            metadata={"Satellite": "9"})


def _raw_pages(base_url: str) -> int:
    """What a notebook does: login, POST the pages, json-decode them, logout."""
    session = requests.Session()
    key = session.post(base_url + "login-token", json={"username": USER, "token": TOKEN}).json()["data"]
    headers = {"X-Auth-Token": key}
    count, start = 0, 1
    while count < 50_000:
        data = session.post(base_url + "scene-search", headers=headers, json={
            "datasetName": DATASET, "maxResults": PAGE_SIZE, "startingNumber": start, "metadataType": "summary",
            "sceneFilter": {}}).json()["data"]
        count += data["recordsReturned"]
        start += data["recordsReturned"]
        if not data["recordsReturned"]:
            break
    session.post(base_url + "logout", headers=headers, json={})
    return count


def _ours(base_url: str, folder: Path) -> int:
    from ..gis.footprints import write_footprints

    with M2MClient(USER, TOKEN, base_url=base_url) as client:
        search = search_scenes(client, DATASET, page_size=PAGE_SIZE)
        return write_footprints(search, folder / "footprints.gpkg")


def search_ratio(emulator, folder: Path) -> float:
    _raw_pages(emulator.m2m_url)  # warm-up: the emulator builds and caches its pages
    raw, ours = [], []
    for index in range(ROUNDS):
        started = time.perf_counter()
        assert _raw_pages(emulator.m2m_url) == 50_000
        raw.append(time.perf_counter() - started)
        target = folder / f"round{index}"
        target.mkdir()
        started = time.perf_counter()
        assert _ours(emulator.m2m_url, target) == 50_000
        ours.append(time.perf_counter() - started)
    return min(ours) / min(raw)


def seed_workflow_calls(emulator, folder: Path) -> int:
    emulator.log.clear()
    with M2MClient(USER, TOKEN, base_url=emulator.m2m_url) as client:
        filters = dataset_filters(client, DATASET)
        scenes = list(search_scenes(client, DATASET, filters=filters, **SEED))[:3]
        results = download_scenes(client, DATASET, [s.entity_id for s in scenes], folder)
    assert len(scenes) == 3 and all(r.status == "done" for r in results), [r.error for r in results]
    return len(emulator.log.entries())


def run(ctx=None) -> dict:
    scratch = getattr(ctx, "scratch", None)
    with emulator_for(ctx) as emulator, tempfile.TemporaryDirectory(prefix="bench-m2m-", dir=scratch) as tmp:
        folder = Path(tmp)
        (folder / "search").mkdir()
        (folder / "seed").mkdir()
        ratio = search_ratio(emulator, folder / "search")
        calls = seed_workflow_calls(emulator, folder / "seed")
    return {
        "m2m_search_ratio": figure(round(ratio, 3), "x raw requests", "<= 1.5"),
        "m2m_seed_workflow_calls": figure(calls, "HTTP requests", "<= 9"),
    }
