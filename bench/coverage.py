"""Coverage planner figure: the cover of a large AOI chosen from 50,000 path/row footprints.

- ``coverage_50k_s``: :func:`scene_finder.core.coverage.plan_coverage` on 50,000 footprints of
  400 WRS-2 path/rows (the emulator's grid, 125 acquisitions each, every footprint moved by up
  to 0.02 degrees as the emulator's are, 2 % without cloud cover) over an AOI of about 300 of
  them; one cover for the whole period, target 99 %. Best of :data:`ROUNDS`; the footprints
  are built before the clock starts (reading them from a layer is the search's cost, not the
  planner's).
- ``coverage_50k_month_s``: the same, one cover per month (about 33 windows).
"""

from __future__ import annotations

import datetime
import random
import sys
import time

from .common import figure

ROUNDS = 2
COUNT = 50_000
PATHS = range(10, 30)
ROWS = range(25, 45)
JITTER = 0.02


def footprints(count: int = COUNT, seed: int = 1) -> list:
    """``count`` synthetic Landsat footprints over :data:`PATHS` x :data:`ROWS`, as the emulator makes them."""
    from shapely.geometry import Polygon

    from ..core.coverage import Footprint
    from ..emulator.m2m import wrs

    rng = random.Random(seed)
    cells = [(path, row) for path in PATHS for row in ROWS]
    start = datetime.date(2021, 1, 1)
    made = []
    for n in range(count):
        path, row = cells[n % len(cells)]
        visit = n // len(cells)
        dx, dy = rng.uniform(-JITTER, JITTER), rng.uniform(-JITTER, JITTER)
        quad = [(lon + dx, lat + dy) for lon, lat in wrs.footprint(path, row)]
        cloud = None if rng.random() < 0.02 else round(rng.betavariate(0.6, 1.0) * 100, 2)
        acquired = start + datetime.timedelta(days=8 * visit + path % 16)
        made.append(Footprint(f"P{path:03d}R{row:03d}-{visit:04d}", Polygon(quad), cloud, acquired))
    return made


def aoi():
    """The convex hull of the centres of the grid's inner path/rows (about 300 scenes wide)."""
    from shapely.geometry import MultiPoint

    from ..emulator.m2m import wrs

    return MultiPoint([wrs.center(p, r) for p in PATHS[2:-2] for r in ROWS[2:-2]]).convex_hull


def _best(made: list, area, window: str) -> tuple[float, object]:
    from ..core.coverage import plan_coverage

    times, plan = [], None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        plan = plan_coverage(made, area, min_coverage=0.99, window=window)
        times.append(time.perf_counter() - started)
    return min(times), plan


def run(ctx) -> dict:
    made, area = footprints(), aoi()
    seconds, plan = _best(made, area, "none")
    month_seconds, month_plan = _best(made, area, "month")
    print(f"   coverage: {len(made)} footprints, {len(plan.picks)} picked, share {plan.share:.4f}, "
          f"mean cloud {plan.mean_cloud:.1f} %, {seconds:.2f} s; per month: {len(month_plan.windows)} windows, "
          f"{len(month_plan.picks)} picked, {month_seconds:.2f} s", file=sys.stderr, flush=True)
    return {
        "coverage_50k_s": figure(seconds, "s", "< 10"),
        "coverage_50k_month_s": figure(month_seconds, "s", "< 10"),
    }
