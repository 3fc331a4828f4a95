"""Carbon Mapper figures: the paged scenes GeoPackage merged into one, against ``ogr2ogr -append``.

Both sides run as client processes of their own (the emulator, i.e. the "remote" service, stays in
the bench process, as the real service is elsewhere): each child times its own work, after its
imports, and the bench reads its peak memory. Every run uses its own (equivalent, all-matching)
``datetime`` filter, so no side is served from the emulator's page cache: the real service builds
every page on request.

- ``cm_merge_vs_ogr2ogr`` (loopback) and ``cm_merge_vs_ogr2ogr_shaped`` (each page 150 ms late,
  200 Mbit/s): 20,000 scenes in 20 pages of 1,000, downloaded and merged into one GeoPackage by
  Scene Finder, divided by the tutorial's way done plainly: ``requests`` GETs every page to a file,
  then ``ogr2ogr -append`` adds each to one GeoPackage. Alternating, best of a few rounds.
- ``cm_merge_cpu_s``: the CPU time of our merging process (user + system, on the shaped link), the
  merge's own cost apart from waiting for pages.
- ``cm_merge_peak_rss_mb``: the highest peak resident memory of the merging child processes.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from .common import figure, run_child

TOKEN = "demo-carbonmapper-token"
SCENES_GPKG = "catalog/download/scenes.gpkg"
PAGES, PAGE_LIMIT = 20, 1000
ROUNDS = 3
SHAPE = {"latency_ms": 150, "bandwidth_mbit": 200}


def _ogr2ogr(base_url: str, params: dict, destination: Path) -> int:
    """The tutorial's way, plainly: GET every page to a file, then ``ogr2ogr -append`` each one."""
    import requests

    session = requests.Session()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    folder = destination.parent / (destination.stem + "-pages")
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for page in range(PAGES):
        response = session.get(base_url + SCENES_GPKG, params={**params, "limit": PAGE_LIMIT,
                                                                "offset": page * PAGE_LIMIT}, headers=headers)
        response.raise_for_status()
        pages.append(folder / f"page{page}.gpkg")
        pages[-1].write_bytes(response.content)
    session.close()
    for page in pages:
        subprocess.run(["ogr2ogr", "-f", "GPKG", "-append", str(destination), str(page)], check=True)
    return PAGES * PAGE_LIMIT


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


def _in_child(mode: str, base_url: str, params: dict, destination: Path) -> dict:
    """What the ``mode`` ("ogr2ogr" or "ours") child reports, plus its peak RSS in MB."""
    package = (__package__ or "scene_finder.bench").split(".")[0]
    child = run_child([sys.executable, "-m", f"{package}.bench.carbonmapper", "--child", mode, base_url,
                       json.dumps(params), str(destination)])
    if child.returncode != 0:
        raise RuntimeError(f"the {mode} child failed: {child.stderr[-2000:]}")
    report = json.loads(child.stdout.strip().splitlines()[-1])
    report["peak_rss_mb"] = child.peak_rss_mb
    return report


def merge_ratio(base_url: str, folder: Path, tag: str) -> tuple[float, float, float]:
    """(best ours / best ogr2ogr, least CPU seconds of ours, highest peak RSS of ours in MB)."""
    baseline, ours, cpu, peaks = [], [], [], []
    for index in range(ROUNDS):
        day = {"loopback": 2, "shaped": 12}[tag] + index  # a filter of its own: pages built on request
        report = _in_child("ogr2ogr", base_url, {"datetime": f"2000-01-{day:02d}/.."},
                           folder / f"ogr2ogr-{tag}{index}.gpkg")
        baseline.append(report["seconds"])
        report = _in_child("ours", base_url, {"datetime": f"2000-02-{day:02d}/.."}, folder / f"ours-{tag}{index}.gpkg")
        ours.append(report["seconds"])
        cpu.append(report["cpu_seconds"])
        peaks.append(report["peak_rss_mb"])
    print(f"   {tag}: ogr2ogr -append {sorted(baseline)} s, ours {sorted(ours)} s (CPU {sorted(cpu)} s)",
          file=sys.stderr, flush=True)
    return min(ours) / min(baseline), min(cpu), max(peaks)


def _child(mode: str, base_url: str, params: str, destination: str) -> None:
    work = _ours if mode == "ours" else _ogr2ogr
    if mode == "ours":  # imports are not part of the work being timed
        from ..core.carbonmapper import client, scenes  # noqa: F401
        from ..gis import carbonmapper_gpkg  # noqa: F401
    else:
        import requests  # noqa: F401
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    work(base_url, json.loads(params), Path(destination))
    seconds = time.perf_counter() - started
    done = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = done.ru_utime - cpu.ru_utime + done.ru_stime - cpu.ru_stime
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds}))


def run(ctx) -> dict:
    emulator = ctx.emulator
    folder = ctx.scratch_dir("merge")
    base_url = emulator.carbonmapper_url
    loopback, _, loop_peak = merge_ratio(base_url, folder, "loopback")
    emulator.set_shape(**SHAPE)
    try:
        shaped, cpu, shaped_peak = merge_ratio(base_url, folder, "shaped")
    finally:
        emulator.set_shape()
    return {
        "cm_merge_vs_ogr2ogr": figure(round(loopback, 3), "x ogr2ogr -append (loopback)", "<= 1.0"),
        "cm_merge_vs_ogr2ogr_shaped": figure(round(shaped, 3), "x ogr2ogr -append (shaped link)", "<= 1.0"),
        "cm_merge_cpu_s": figure(round(cpu, 2), "CPU s for 20,000 scenes", "<= 1"),
        "cm_merge_peak_rss_mb": figure(round(max(loop_peak, shaped_peak), 1), "MB", "<= 150"),
    }


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        _child(*sys.argv[2:])
    else:
        print(json.dumps(run(None), indent=2))
