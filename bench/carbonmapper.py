"""Carbon Mapper figures: the paged scenes GeoPackage merged into one, against fetching the pages alone.

- ``cm_merge_ratio``: 20,000 scenes in 20 pages of 1,000 downloaded and merged into one
  GeoPackage (schema page, pages streamed to disk, rows appended, spatial index built) divided
  by the time plain ``requests`` takes to GET the same 20 pages into memory, both in this run
  against the same emulator, alternating, best of a few rounds. Each round uses its own
  (equivalent, all-matching) ``datetime`` filter so that neither side is served from the
  emulator's page cache: the real service builds every page on request.
- ``cm_merge_ratio_cached_pages``: the same with pages the emulator already has in its cache
  (pure transfer on loopback, about 7 MB in some 50 ms): the merge's own cost shows here; no target.
- ``cm_merge_peak_rss_mb``: peak resident memory of a separate Python process (no QGIS) doing the
  whole 20,000-scene download and merge.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

TOKEN = "demo-carbonmapper-token"
SCENES_GPKG = "catalog/download/scenes.gpkg"
PAGES, PAGE_LIMIT = 20, 1000
ROUNDS = 3


def _raw_pages(base_url: str, params: dict) -> int:
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
    return result.features


def merge_ratio(base_url: str, folder: Path, cached: bool) -> float:
    raw, ours = [], []
    for index in range(ROUNDS + 1):
        # distinct all-matching filters: pages built on request; the same filter: pages from the cache
        day = 1 if cached else index + 2
        params = {"datetime": f"2000-01-{day:02d}/.."}
        if cached and index == 0:
            _raw_pages(base_url, params)  # warm-up fills the emulator's page cache
        started = time.perf_counter()
        _raw_pages(base_url, params)
        raw_time = time.perf_counter() - started
        if not cached:  # the same filter again for our side would hit the cache: use a fresh one
            params = {"datetime": f"2000-02-{day:02d}/.."}
        started = time.perf_counter()
        count = _ours(base_url, params, folder / f"round{index}-{cached}.gpkg")
        ours_time = time.perf_counter() - started
        assert count == PAGES * PAGE_LIMIT, count
        if index or cached:  # the first cold round also warms Python and GDAL up
            raw.append(raw_time)
            ours.append(ours_time)
    return min(ours) / min(raw)


def peak_rss_mb(base_url: str, folder: Path) -> float:
    """Peak RSS of a child process that only downloads and merges (the emulator runs here)."""
    package = sys.modules[(__package__ or "scene_finder").split(".")[0]]
    import_root = Path(package.__file__).resolve().parent.parent  # where the package is importable
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(import_root), env.get("PYTHONPATH", "")]))
    output = subprocess.run(
        [sys.executable, "-m", f"{package.__name__}.bench.carbonmapper", "--merge-child", base_url,
         str(folder / "child.gpkg")],
        check=True, capture_output=True, text=True, env=env, timeout=600,
    ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    assert report["features"] == PAGES * PAGE_LIMIT, report
    return report["peak_rss_mb"]


def _peak_rss_kb() -> int:
    """VmHWM of this process. Not getrusage's ru_maxrss: Linux carries it over from the parent
    through fork and exec, so a child of a big process would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import psutil  # other systems: the current RSS at the end, a lower bound

    return psutil.Process().memory_info().rss // 1024


def _child(base_url: str, destination: str) -> None:
    count = _ours(base_url, {}, Path(destination))
    print(json.dumps({"features": count, "peak_rss_mb": round(_peak_rss_kb() / 1024, 1)}))


@contextlib.contextmanager
def _emulator(ctx):
    running = getattr(ctx, "emulator", None) or (ctx.get("emulator") if isinstance(ctx, dict) else None)
    if running is not None:
        yield running
        return
    from ..emulator import Emulator

    cache = Path(__file__).resolve().parents[1] / "build" / "emulator-cache"
    with Emulator(cache_dir=cache) as started:
        yield started


def run(ctx=None) -> dict:
    with _emulator(ctx) as emulator, tempfile.TemporaryDirectory(prefix="bench-cm-") as tmp:
        folder = Path(tmp)
        base_url = emulator.carbonmapper_url
        cold = merge_ratio(base_url, folder, cached=False)
        warm = merge_ratio(base_url, folder, cached=True)
        rss = peak_rss_mb(base_url, folder)
    return {
        "cm_merge_ratio": {"value": round(cold, 3), "unit": "x raw page GETs", "target": "<= 1.5"},
        "cm_merge_ratio_cached_pages": {"value": round(warm, 3), "unit": "x raw page GETs (cached pages)"},
        "cm_merge_peak_rss_mb": {"value": rss, "unit": "MB", "target": "<= 150"},
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--merge-child":
        _child(sys.argv[2], sys.argv[3])
    else:
        print(json.dumps(run(), indent=2))
