"""The coverage planner: the fewest, least cloudy scenes whose footprints cover an area of interest.

Pure Python and shapely (1.8 and 2.x); no QGIS. :func:`plan_coverage` is the entry point;
:mod:`.pieces` cuts the AOI into the pieces the footprints cover, :mod:`.greedy` picks the scenes,
:mod:`.windows` names the time windows.
"""

from .plan import (
    CLOUD_WEIGHT,
    MIN_COVERAGE,
    CoveragePlan,
    Footprint,
    Pick,
    WindowCover,
    known_cloud,
    mean_cloud,
    plan_coverage,
    scene_cost,
)
from .windows import WINDOWS

__all__ = ["CLOUD_WEIGHT", "MIN_COVERAGE", "WINDOWS", "CoveragePlan", "Footprint", "Pick", "WindowCover",
           "known_cloud", "mean_cloud", "plan_coverage", "scene_cost"]
