"""Carbon Mapper figures: the paged scenes GeoPackage merged into one, against fetching the pages alone.

Both sides run as client processes of their own (the emulator, i.e. the "remote" service, stays in
the bench process, as the real service is elsewhere): each child times its own work, after its
imports, and the bench reads its peak memory.

- ``cm_merge_ratio``: 20,000 scenes in 20 pages of 1,000 downloaded and merged into one
  GeoPackage (schema page, pages streamed to disk, rows appended, spatial index) divided by the
  time plain ``requests`` takes to GET the same 20 pages into memory; alternating, best of a few
  rounds. Each run uses its own (equivalent, all-matching) ``datetime`` filter so that no side is
  served from the emulator's page cache: the real service builds every page on request.
- ``cm_merge_ratio_cached_pages``: the same with pages the emulator already has in its cache
  (pure transfer on loopback, about 7 MB in some 50 ms): the merge's own cost shows here; its
  target is only a guard against regressions.
- ``cm_merge_peak_rss_mb``: the highest peak resident memory of the merging child processes.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import requests

from .common import emulator_for, figure, run_child

TOKEN = "demo-carbonmapper-token"
SCENES_GPKG = "catalog/download/scenes.gpkg"
PAGES, PAGE_LIMIT = 20, 1000
ROUNDS = 3


def _raw_pages(base_url: str, params: dict, destination: Path | None = None) -> int:
    """What the tutorial does before its merge: GET every page (whole body in memory)."""
    session = requests.Session()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    received = 0
    for page in range(PAGES):
        response = session.get(base_url + SCENES_GPKG, params={**params, "limit": PAGE_LIMIT,
                                                                "offset": page * PAGE_LIMIT}, headers=headers)
        response.raise_for_status()
        received += len(response.content)
    session.close()
    return received


def _ours(base_url: str, params: dict, destination: Path) -> int:
    from ..core.carbonmapper.client import CarbonMapperClient
    from ..core.carbonmapper.scenes import SceneDownload
    from ..gis.carbonmapper_gpkg import merge_scene_pages

    client = CarbonMapperClient(TOKEN, base_url=base_url)
    download = SceneDownload(client, page_limit=PAGE_LIMIT, extra=params, work_dir=destination.parent)
    result = merge_scene_pages(download, destination)
    client.session.close()
    assert result.features == PAGES * PAGE_LIMIT, result
    return result.features


def _in_child(mode: str, base_url: str, params: dict, destination: Path) -> tuple[float, float]:
    """(seconds of the work, peak RSS in MB) of ``mode`` ("raw" or "ours") run in a child process."""
    package = (__package__ or "scene_finder.bench").split(".")[0]
    child = run_child([sys.executable, "-m", f"{package}.bench.carbonmapper", "--child", mode, base_url,
                       json.dumps(params), str(destination)])
    if child.returncode != 0:
        raise RuntimeError(f"the {mode} child failed: {child.stderr[-2000:]}")
    report = json.loads(child.stdout.strip().splitlines()[-1])
    return report["seconds"], child.peak_rss_mb


def merge_ratio(base_url: str, folder: Path, cached: bool) -> tuple[float, float]:
    """(best ours / best raw, highest peak RSS of ours in MB)."""
    raw, ours, peaks = [], [], []
    if cached:
        _raw_pages(base_url, {"datetime": "2000-01-01/.."})  # fills the emulator's page cache
    for index in range(ROUNDS):
        # the same filter: pages from the cache; distinct all-matching filters: pages built on request
        raw_params = {"datetime": "2000-01-01/.." if cached else f"2000-01-{index + 2:02d}/.."}
        ours_params = raw_params if cached else {"datetime": f"2000-02-{index + 2:02d}/.."}
        seconds, _ = _in_child("raw", base_url, raw_params, folder / f"raw{index}")
        raw.append(seconds)
        seconds, peak = _in_child("ours", base_url, ours_params, folder / f"ours{index}-{cached}.gpkg")
        ours.append(seconds)
        peaks.append(peak)
    return min(ours) / min(raw), max(peaks)


def _child(mode: str, base_url: str, params: str, destination: str) -> None:
    work = _ours if mode == "ours" else _raw_pages
    if mode == "ours":  # imports are not part of the work being timed
        from ..core.carbonmapper import client, scenes  # noqa: F401
        from ..gis import carbonmapper_gpkg  # noqa: F401
    started = time.perf_counter()
    work(base_url, json.loads(params), Path(destination))
    print(json.dumps({"seconds": time.perf_counter() - started}))


def run(ctx=None) -> dict:
    scratch = getattr(ctx, "scratch", None)
    with emulator_for(ctx) as emulator, tempfile.TemporaryDirectory(prefix="bench-cm-", dir=scratch) as tmp:
        folder = Path(tmp)
        base_url = emulator.carbonmapper_url
        cold, cold_peak = merge_ratio(base_url, folder, cached=False)
        warm, warm_peak = merge_ratio(base_url, folder, cached=True)
    return {
        "cm_merge_ratio": figure(round(cold, 3), "x raw page GETs", "<= 1.5"),
        "cm_merge_ratio_cached_pages": figure(round(warm, 3), "x raw page GETs (cached pages)", "<= 6"),
        "cm_merge_peak_rss_mb": figure(round(max(cold_peak, warm_peak), 1), "MB", "<= 150"),
    }


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        _child(*sys.argv[2:])
    else:
        print(json.dumps(run(), indent=2))
