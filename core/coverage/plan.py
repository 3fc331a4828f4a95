"""The coverage planner: the fewest, least cloudy scenes that cover the AOI, per time window.

Input and output are plain data: :class:`Footprint` (id, shapely geometry in lon/lat, cloud
cover in percent or None, acquisition date or None) in, :class:`CoveragePlan` out.

Decisions:

- A scene costs ``1 + cloud_weight * cloud / 100``: with the default weight of 1 a fully cloudy
  scene costs as much as two clear ones, so fewer scenes come first and cloud decides between
  covers of about the same size. A weight of 0 asks only for the fewest scenes.
- A scene whose cloud cover is unknown (None, negative or not a number) costs as much as a fully
  cloudy one: it is picked only where no scene of known cover does the job as cheaply. The mean
  cloud cover of a pick is over its scenes of known cover; the others are counted apart.
- Within a window, only the cheapest scene of each shape group (near-identical footprints, see
  :mod:`.pieces`) can be picked: any other would cost more for the same ground. Ties go to the
  earliest scene in the input.
- The target is a share of the AOI's ground area. When a window's scenes cannot reach it, its
  cover takes everything they can reach (``reachable`` tells how much that is).
- With time windows, a scene without a date is left out (counted in ``undated``).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..cancel import CancelCheck, raise_if_cancelled
from .greedy import greedy_cover
from .pieces import SAME_SHAPE_TOLERANCE, pieces
from .windows import WINDOW_NONE, check_window, window_of, window_sort_key

CLOUD_WEIGHT = 1.0
MIN_COVERAGE = 0.99
UNKNOWN_CLOUD_COST = 100.0  # percent: an unknown cloud cover costs as much as a fully cloudy scene


@dataclass(frozen=True)
class Footprint:
    id: str
    geometry: Any  # shapely geometry, lon/lat; None: no footprint (left out)
    cloud: float | None = None  # percent
    acquired: datetime.date | None = None


@dataclass(frozen=True)
class Pick:
    id: str
    index: int  # position in the input
    window: str
    adds: float  # share of the AOI (0-1) this scene adds to the ones picked before it in its window
    cloud: float | None
    acquired: datetime.date | None


@dataclass(frozen=True)
class WindowCover:
    window: str
    share: float  # share of the AOI (0-1) the pick covers
    reachable: float  # share all of the window's scenes cover together
    picks: tuple

    @property
    def mean_cloud(self) -> float | None:
        return mean_cloud(self.picks)


@dataclass(frozen=True)
class CoveragePlan:
    windows: tuple  # WindowCover, in time order
    target: float  # the share asked for (0-1)
    window_kind: str
    outside: int  # footprints that miss the AOI or have no geometry
    undated: int  # footprints left out of a per-window plan for lack of a date

    @property
    def picks(self) -> list:
        return [pick for cover in self.windows for pick in cover.picks]

    @property
    def share(self) -> float:
        """The share of the AOI covered: the mean over the windows (0 when no scene meets the AOI)."""
        return sum(c.share for c in self.windows) / len(self.windows) if self.windows else 0.0

    @property
    def min_share(self) -> float:
        return min((c.share for c in self.windows), default=0.0)

    @property
    def mean_cloud(self) -> float | None:
        return mean_cloud(self.picks)

    @property
    def unknown_cloud(self) -> int:
        return sum(1 for pick in self.picks if pick.cloud is None)


def mean_cloud(picks: Iterable[Pick]) -> float | None:
    """The mean cloud cover of the picks whose cover is known (None when none is)."""
    known = [pick.cloud for pick in picks if pick.cloud is not None]
    return sum(known) / len(known) if known else None


def known_cloud(value: Any) -> float | None:
    """A cloud cover in percent clamped to 0-100, or None when unknown (None, negative, not a number)."""
    try:
        cloud = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(cloud) or cloud < 0:
        return None
    return min(cloud, 100.0)


def scene_cost(cloud: float | None, cloud_weight: float = CLOUD_WEIGHT) -> float:
    """What picking a scene of that cloud cover (percent; None, negative or not a number: unknown) costs."""
    cloud = known_cloud(cloud)
    cover = UNKNOWN_CLOUD_COST if cloud is None else cloud
    return 1.0 + max(0.0, cloud_weight) * cover / 100.0


def plan_coverage(footprints: Iterable[Footprint], aoi, min_coverage: float = MIN_COVERAGE,
                  cloud_weight: float = CLOUD_WEIGHT, window: str = WINDOW_NONE,
                  tolerance: float = SAME_SHAPE_TOLERANCE, geographic: bool = True,
                  cancel: CancelCheck = None) -> CoveragePlan:
    """The cover of ``aoi`` (shapely geometry) to ``min_coverage`` (0-1) in each ``window``."""
    check_window(window)
    if not 0.0 < min_coverage <= 1.0:
        raise ValueError(f"The target share {min_coverage!r} must be above 0 and at most 1.")
    footprints = list(footprints)
    clouds = [known_cloud(f.cloud) for f in footprints]
    found = pieces([f.geometry for f in footprints], aoi, tolerance=tolerance, geographic=geographic, cancel=cancel)
    raise_if_cancelled(cancel)
    best: dict = {}  # window -> group -> (cost, index) of its cheapest scene
    outside = undated = 0
    for index, (footprint, cloud, group) in enumerate(zip(footprints, clouds, found.group_of)):
        if group is None:
            outside += 1
            continue
        label = window_of(footprint.acquired, window)
        if label is None:
            undated += 1
            continue
        cost = scene_cost(cloud, cloud_weight)
        groups = best.setdefault(label, {})
        if group not in groups or cost < groups[group][0]:
            groups[group] = (cost, index)
    covers = []
    total = found.total
    for label in sorted(best, key=window_sort_key):
        chosen = sorted(best[label].items(), key=lambda item: item[1][1])  # input order: ties to the earliest
        candidates = [(cost, found.group_atoms[group]) for group, (cost, _) in chosen]
        cover = greedy_cover(found.weights, candidates, min_coverage * total, total, cancel=cancel)
        picks = []
        for candidate, add in zip(cover.picked, cover.adds):
            index = chosen[candidate][1][1]
            picks.append(Pick(id=footprints[index].id, index=index, window=label, adds=_share(add, total),
                              cloud=clouds[index], acquired=footprints[index].acquired))
        covers.append(WindowCover(window=label, share=_share(cover.covered, total),
                                  reachable=_share(cover.reachable, total), picks=tuple(picks)))
    return CoveragePlan(windows=tuple(covers), target=min_coverage, window_kind=window, outside=outside,
                        undated=undated)


def _share(weight: float, total: float) -> float:
    return min(1.0, weight / total) if total > 0 else 0.0
