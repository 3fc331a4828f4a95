"""M2M figures: our search against the physical limit and the peer clients; the seed workflow.

Every side runs in a process of its own, started the same way (:func:`.common.run_side`), rounds
alternating, best of each side; on loopback and on the shaped link (``*_shaped``: 150 ms per
request, 200 Mbit/s for the whole emulator). The search is the whole emulated catalog, up to
50,000 scenes, in pages of 10,000.

- ``m2m_search_vs_limit``: our search into typed scenes, divided by the physical limit: the same
  HTTP requests, each answer decoded with GC paused and nothing else done.
- ``m2m_search_gpkg_vs_limit``: the same search written into the footprints GeoPackage, over the limit.
- ``m2m_search_vs_usgs``: our typed search over the ``usgs`` package's (PyPI) paged ``scene_search``.
- ``m2m_search_vs_landsatxplore``: over landsatxplore's ``search`` (one request of 50,000; once, loopback).
- ``seed_workflow_calls_vs_usgs``: the HTTP requests of the seed notebook's workflow (3 scenes, one
  of them prepared for 2 polls, login to logout, bundles downloaded) ours over the ``usgs``
  package's with plain glue for download-retrieve and the file GETs.
- ``seed_workflow_excess_s``: our seed workflow's wall time when one scene is prepared for 5 s,
  minus those 5 s.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from .common import figure, run_side

ROUNDS = 3
SHAPE = {"latency_ms": 150, "bandwidth_mbit": 200}
PREPARE_SECONDS = 5.0


def _search_times(emulator, folder: Path, label: str) -> dict[str, float]:
    ours = run_side(emulator, "ours", "search")  # warm-up: the emulator builds its pages; records our requests
    bodies = [entry.json() for entry in emulator.log.entries("m2m", "scene-search")]
    bodies_file = folder / "bodies.json"
    bodies_file.write_text(json.dumps(bodies), encoding="utf-8")
    times: dict[str, list[float]] = {"limit": [], "ours": [], "ours_gpkg": [], "usgs": []}
    requests: dict[str, int] = {}
    for _ in range(ROUNDS):
        runs = {
            "limit": run_side(emulator, "limit", "search", bodies_file=str(bodies_file)),
            "ours": run_side(emulator, "ours", "search"),
            "ours_gpkg": run_side(emulator, "ours", "search_gpkg", folder=str(folder)),
            "usgs": run_side(emulator, "usgs", "search"),
        }
        (folder / "footprints.gpkg").unlink(missing_ok=True)
        for side, run in runs.items():
            if run.count != ours.count:
                raise RuntimeError(f"{side} found {run.count} scenes, ours {ours.count}")
            times[side].append(run.seconds)
            requests[side] = run.requests
    best = {side: min(values) for side, values in times.items()}
    print(f"   search {label}: " + ", ".join(f"{side} {value:.2f} s ({requests[side]} requests)"
                                             for side, value in best.items()), file=sys.stderr, flush=True)
    return best


def _seed_calls(emulator, folder: Path) -> tuple[int, int]:
    emulator.config.m2m_accounts.update({"bench-ours": "bench-ours-token", "bench-usgs": "bench-usgs-token"})
    counts = []
    for side in ("ours", "usgs"):
        into = folder / side
        into.mkdir()
        emulator.reset()
        emulator.faults.add("m2m", "download-request", "prepare")  # one of the three scenes
        run = run_side(emulator, side, "seed", folder=str(into), user=f"bench-{side}", token=f"bench-{side}-token")
        counts.append(run.requests)
    emulator.reset()
    print(f"   seed workflow: ours {counts[0]} requests, usgs {counts[1]}", file=sys.stderr, flush=True)
    return counts[0], counts[1]


def _seed_excess(emulator, folder: Path) -> float:
    config = emulator.config
    saved = config.prepare_polls, config.prepare_seconds
    config.prepare_polls, config.prepare_seconds = 1, PREPARE_SECONDS
    config.m2m_accounts["bench-excess"] = "bench-excess-token"
    try:
        emulator.reset()
        emulator.faults.add("m2m", "download-request", "prepare")
        run = run_side(emulator, "ours", "seed", folder=str(folder), user="bench-excess", token="bench-excess-token")
    finally:
        config.prepare_polls, config.prepare_seconds = saved
        emulator.reset()
    print(f"   seed workflow with a 5 s preparation: {run.seconds:.2f} s, {run.requests} requests",
          file=sys.stderr, flush=True)
    return run.seconds - PREPARE_SECONDS


def run(ctx) -> dict:
    emulator = ctx.emulator
    with tempfile.TemporaryDirectory(prefix="bench-m2m-", dir=ctx.scratch) as tmp:
        folder = Path(tmp)
        loopback = _search_times(emulator, folder, "loopback")
        lx = run_side(emulator, "landsatxplore", "search", timeout=900)
        print(f"   landsatxplore: {lx.seconds:.2f} s, {lx.requests} requests, {lx.peak_rss_mb:.0f} MB peak",
              file=sys.stderr, flush=True)
        (folder / "seed").mkdir()
        ours_calls, usgs_calls = _seed_calls(emulator, folder / "seed")
        (folder / "excess").mkdir()
        excess = _seed_excess(emulator, folder / "excess")
        emulator.set_shape(**SHAPE)
        try:
            shaped = _search_times(emulator, folder, "shaped link")
        finally:
            emulator.set_shape()
    figures = {}
    for suffix, best in (("", loopback), ("_shaped", shaped)):
        figures[f"m2m_search_vs_limit{suffix}"] = figure(round(best["ours"] / best["limit"], 3), "x limit", "<= 1.3")
        figures[f"m2m_search_gpkg_vs_limit{suffix}"] = figure(round(best["ours_gpkg"] / best["limit"], 3),
                                                              "x limit", "<= 1.6")
        figures[f"m2m_search_vs_usgs{suffix}"] = figure(round(best["ours"] / best["usgs"], 3), "x usgs", "<= 0.8")
    figures["m2m_search_vs_landsatxplore"] = figure(round(loopback["ours"] / lx.seconds, 3), "x landsatxplore",
                                                    "<= 0.8")
    figures["seed_workflow_calls_vs_usgs"] = figure(round(ours_calls / usgs_calls, 3),
                                                    f"x usgs ({ours_calls} vs {usgs_calls} requests)", "< 1")
    figures["seed_workflow_excess_s"] = figure(round(excess, 2), "s over a 5 s preparation", "<= 2")
    return figures
