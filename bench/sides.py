"""The sides of the side-by-side M2M figures, each run as ``python sides.py SIDE JOB ARGS_JSON``.

Every side runs in a fresh process of its own, started the same way (this file by its path), and
times its own work after its imports; it prints one JSON line: ``{"seconds": ..., "count": ...}``.
The ``usgs`` and ``landsatxplore`` sides run in the bench-only venv (``bench/requirements-peers.txt``)
and import nothing of Scene Finder; ``ours`` needs ``scene_finder`` on the path; ``limit`` only requests.

Sides and jobs:
- ``limit search``: the HTTP requests our search sends (recorded bodies), each answer decoded with
  GC paused, nothing else done: the physical limit of a search.
- ``ours search`` (typed scenes), ``ours search_gpkg`` (into the GeoPackage), ``ours seed``.
- ``usgs search``, ``usgs seed``: the ``usgs`` package (PyPI), pointed at the emulator through its
  ``USGS_API`` constant, as a user would; the seed workflow needs glue for download-retrieve and the
  file GETs (plain requests, polled on the same cadence as ours).
- ``landsatxplore search``: landsatxplore's ``API.search`` (one request, no paging) with its
  ``API_URL`` pointed at the emulator; signed in through ``login-token`` (it only knows the retired
  password login).
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

USER, TOKEN = "demo", "demo-application-token"
DATASET = "landsat_ot_c2_l2"
PAGE_SIZE = 10_000
LIMIT = 50_000
SEED_BOX = (-76.9196, 35.5713, -75.4460, 36.3793)
SEED_DATES = ("2023-03-01", "2023-04-01")


# --- the physical limit ---------------------------------------------------------------------------
def limit_search(base_url: str, bodies: list[dict]) -> int:
    import requests

    session = requests.Session()
    key = session.post(base_url + "login-token", json={"username": USER, "token": TOKEN}).json()["data"]
    headers = {"X-Auth-Token": key, "Content-Type": "application/json"}
    count = 0
    for body in bodies:
        content = session.post(base_url + "scene-search", headers=headers, data=json.dumps(body)).content
        gc.disable()
        data = json.loads(content)["data"]
        count += data["recordsReturned"]
        del data
        gc.enable()
    session.post(base_url + "logout", headers=headers, json={})
    return count


# --- ours -----------------------------------------------------------------------------------------
def ours_search(base_url: str, folder: str | None = None) -> int:
    from scene_finder.core.m2m import M2MClient, search_scenes

    with M2MClient(USER, TOKEN, base_url=base_url) as client:
        search = search_scenes(client, DATASET, page_size=PAGE_SIZE, limit=LIMIT)
        if folder is None:
            return len(list(search))
        from scene_finder.gis.footprints import write_footprints

        return write_footprints(search, Path(folder) / "footprints.gpkg")


def ours_seed(base_url: str, folder: str, user: str = USER, token: str = TOKEN) -> int:
    from shapely.geometry import box

    from scene_finder.core.m2m import M2MClient, dataset_filters, download_scenes, search_scenes

    with M2MClient(user, token, base_url=base_url) as client:
        filters = dataset_filters(client, DATASET)
        scenes = list(search_scenes(client, DATASET, aoi=box(*SEED_BOX), start=SEED_DATES[0], end=SEED_DATES[1],
                                    cloud_max=20, metadata={"Satellite": "9"}, filters=filters))[:3]
        results = download_scenes(client, DATASET, [s.entity_id for s in scenes], folder)
    if len(scenes) != 3 or any(r.status != "done" for r in results):
        raise RuntimeError(f"seed workflow failed: {[str(r.error) for r in results]}")
    return len(results)


# --- the usgs package -----------------------------------------------------------------------------
def _usgs(base_url: str):
    import usgs
    from usgs import api

    usgs.USGS_API = api.USGS_API = base_url.rstrip("/")  # its base-URL constant, as a user would
    return api


def usgs_search(base_url: str) -> int:
    api = _usgs(base_url)
    api.login(USER, TOKEN)  # saves the key in ~/.usgs (a throwaway HOME in the bench)
    count, start = 0, 1
    while count < LIMIT:
        data = api.scene_search(DATASET, max_results=min(PAGE_SIZE, LIMIT - count), starting_number=start,
                                metadata_type="summary")["data"]
        count += data["recordsReturned"]
        if not data["recordsReturned"] or data.get("nextRecord") in (None, 0) or count >= data["totalHits"]:
            break
        start = data["nextRecord"]
    api.logout()
    return count


def usgs_seed(base_url: str, folder: str, user: str = USER, token: str = TOKEN) -> int:
    import requests

    api = _usgs(base_url)
    key = api.login(user, token)["data"]
    filters = api.dataset_filters(DATASET)["data"]
    satellite = next(f["id"] for f in filters if f["fieldLabel"] == "Satellite")
    west, south, east, north = SEED_BOX
    found = api.scene_search(
        DATASET, max_results=100, start_date=SEED_DATES[0], end_date=SEED_DATES[1],
        ll={"longitude": west, "latitude": south}, ur={"longitude": east, "latitude": north},
        where={"filter_id": satellite, "value": "9"},
        scene_filter={"cloudCoverFilter": {"min": 0, "max": 20, "includeUnknown": False}})["data"]["results"][:3]
    ids = [scene["entityId"] for scene in found]
    options = api.download_options(DATASET, ids)["data"]
    bundles = {o["entityId"]: o["id"] for o in options if o["available"] and o["downloadSystem"] == "ls_zip"}
    urls, preparing = [], 0
    for entity_id in ids:  # its download_request takes one scene
        answer = api.download_request(DATASET, entity_id, bundles[entity_id])["data"]
        urls += [d["url"] for d in answer["availableDownloads"]]
        preparing += len(answer["preparingDownloads"])
    session = requests.Session()  # the glue: download-retrieve and the file GETs
    session.headers["X-Auth-Token"] = key
    wait = 1.0
    while preparing:
        time.sleep(wait)
        retrieved = session.post(base_url + "download-retrieve", json={}).json()["data"]
        ready = [d["url"] for d in retrieved["available"] if d["entityId"] in ids and d["url"] not in urls]
        urls += ready
        preparing -= len(ready)
        wait = min(60.0, wait * 1.3)
    for url in urls:
        with session.get(url, stream=True) as response:
            response.raise_for_status()
            name = url.split("landsat_product_id=")[-1].split("&")[0] or str(len(url))
            with open(Path(folder) / f"{name}.tar", "wb") as out:
                for chunk in response.iter_content(1 << 20):
                    out.write(chunk)
    api.logout()
    return len(urls)


# --- landsatxplore --------------------------------------------------------------------------------
def landsatxplore_search(base_url: str) -> int:
    import requests
    from landsatxplore import api as lx

    lx.API_URL = base_url
    client = lx.API.__new__(lx.API)  # its constructor signs in with a password, which M2M no longer takes
    client.url = lx.API_URL
    client.session = requests.Session()
    client.session.headers["X-Auth-Token"] = client.session.post(
        base_url + "login-token", json={"username": USER, "token": TOKEN}).json()["data"]
    scenes = client.search(DATASET, max_results=LIMIT)
    client.logout()
    return len(scenes)


JOBS = {
    ("limit", "search"): lambda url, args: limit_search(url, args["bodies"]),
    ("ours", "search"): lambda url, args: ours_search(url),
    ("ours", "search_gpkg"): lambda url, args: ours_search(url, args["folder"]),
    ("ours", "seed"): lambda url, args: ours_seed(url, args["folder"], args["user"], args["token"]),
    ("usgs", "search"): lambda url, args: usgs_search(url),
    ("usgs", "seed"): lambda url, args: usgs_seed(url, args["folder"], args["user"], args["token"]),
    ("landsatxplore", "search"): lambda url, args: landsatxplore_search(url),
}


def main(argv: list[str]) -> int:
    side, job, raw = argv
    args = json.loads(raw)
    if "bodies_file" in args:
        args["bodies"] = json.loads(Path(args["bodies_file"]).read_text(encoding="utf-8"))
    work = JOBS[(side, job)]
    for module in {"limit": ["requests"], "ours": ["requests", "scene_finder.core.m2m"],
                   "usgs": ["requests", "usgs.api"], "landsatxplore": ["requests", "landsatxplore.api"]}[side]:
        __import__(module)  # imports are not part of the work being timed
    if side == "ours" and job == "search_gpkg":
        __import__("scene_finder.gis.footprints")
    started = time.perf_counter()
    count = work(args["url"], args)
    print(json.dumps({"seconds": time.perf_counter() - started, "count": count}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
