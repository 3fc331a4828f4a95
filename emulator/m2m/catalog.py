"""A seeded synthetic Landsat 8-9 Collection 2 Level-2 catalog, indexed by WRS cell and date.

Half of the scenes (up to the full 16-day time series) cover the paths and rows around
Albemarle Sound, North Carolina (the seed notebook's area) so that realistic searches there
return what the real archive would; the rest are spread over land-ish cells worldwide.
The catalog is built on first use (about a second for 50,000 scenes) and is then read-only.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import threading
from collections.abc import Callable, Iterable

from shapely.geometry import Polygon
from shapely.prepared import prep

from . import wrs

L8_START = dt.date(2013, 4, 11)
L9_START = dt.date(2021, 10, 31)
CATALOG_END = dt.date(2025, 12, 31)
L9_EPOCH = dt.date(2023, 3, 24)  # Landsat 9 imaged path 15 that day (cycle day 0)
FOCUS_PATHS = range(11, 18)
FOCUS_ROWS = range(31, 39)
JITTER = 0.02  # degrees; a scene's footprint moves a little from one acquisition to the next
# The three scenes of the seed notebook's search, as the real archive has them:
# entity id -> (cloud cover, days from acquisition to Level-2 processing, collection category)
SEED_SCENES = {
    "LC90130352023085LGN00": (13.27, 2, "T1"),
    "LC90150352023083LGN00": (14.02, 2, "T1"),
    "LC90150352023067LGN00": (0.18, 2, "T1"),
}
# Rough continental boxes (west, south, east, north) where the global scenes fall
LAND_BOXES = [
    (-168, 15, -52, 72), (-118, 7, -77, 20), (-82, -56, -34, 13), (-11, 35, 40, 71), (-18, -35, 52, 37),
    (40, 5, 150, 75), (95, -11, 141, 7), (112, -44, 154, -10), (166, -47, 179, -34),
]


class Scene:
    """One scene; identifiers and geometry are derived on demand."""

    __slots__ = ("index", "path", "row", "satellite", "ordinal", "cloud", "land_cloud", "category",
                 "l2_delay", "dx", "dy")

    def __init__(self, path, row, satellite, ordinal, cloud, land_cloud, category, l2_delay, dx, dy):
        self.index = -1
        self.path, self.row, self.satellite, self.ordinal = path, row, satellite, ordinal
        self.cloud, self.land_cloud, self.category = cloud, land_cloud, category
        self.l2_delay, self.dx, self.dy = l2_delay, dx, dy

    @property
    def acquired(self) -> dt.date:
        return dt.date.fromordinal(self.ordinal)

    @property
    def l2_date(self) -> dt.date:
        return dt.date.fromordinal(self.ordinal + self.l2_delay)

    @property
    def entity_id(self) -> str:
        day = self.acquired
        return f"LC{self.satellite}{self.path:03d}{self.row:03d}{day.year}{day.timetuple().tm_yday:03d}LGN00"

    def _product_id(self, level: str) -> str:
        return (f"LC0{self.satellite}_{level}_{self.path:03d}{self.row:03d}_{self.acquired:%Y%m%d}_"
                f"{self.l2_date:%Y%m%d}_02_{self.category}")

    @property
    def display_id(self) -> str:
        return self._product_id("L2SP")

    @property
    def l1_id(self) -> str:
        return self._product_id("L1TP")

    sensor = "OLI_TIRS"
    nadir = "NADIR"
    day_night = "DAY"

    @property
    def quad(self) -> list[tuple[float, float]]:
        return [(lon + self.dx, lat + self.dy) for lon, lat in wrs.footprint(self.path, self.row)]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        quad = self.quad
        lons, lats = [p[0] for p in quad], [p[1] for p in quad]
        return min(lons), min(lats), max(lons), max(lats)

    def cloud_text(self) -> str | None:
        return None if self.cloud is None else f"{self.cloud:.2f}"


class _Cell:
    __slots__ = ("path", "row", "_polygon", "bounds", "scenes", "ordinals")

    def __init__(self, path: int, row: int):
        self.path, self.row = path, row
        self._polygon = None
        quad = wrs.footprint(path, row)
        margin = JITTER * 1.5
        self.bounds = (min(p[0] for p in quad) - margin, min(p[1] for p in quad) - margin,
                       max(p[0] for p in quad) + margin, max(p[1] for p in quad) + margin)
        self.scenes: list[Scene] = []
        self.ordinals: list[int] = []

    @property
    def polygon(self) -> Polygon:
        """The footprint grown by the largest jitter (built on first use: most cells never need it)."""
        if self._polygon is None:
            self._polygon = Polygon(wrs.footprint(self.path, self.row)).buffer(JITTER * 1.5, join_style=2)
        return self._polygon


def _revisits(path: int, satellite: int) -> range:
    """Ordinals of the days ``satellite`` images ``path`` (16-day cycle, L8 8 days after L9)."""
    first = L8_START if satellite == 8 else L9_START
    anchor = L9_EPOCH.toordinal() + wrs.acquisition_day_offset(path) + (8 if satellite == 8 else 0)
    start = first.toordinal() + (anchor - first.toordinal()) % 16
    return range(start, CATALOG_END.toordinal() + 1, 16)


def _crosses_antimeridian(path: int, row: int) -> bool:
    lons = [p[0] for p in wrs.footprint(path, row)]
    return max(lons) - min(lons) > 180 or max(lons) > 179.9 or min(lons) < -179.9


def _land_cells() -> list[tuple[int, int]]:
    cells = []
    for path in range(1, wrs.PATHS + 1):
        for row in range(1, 123):
            if path in FOCUS_PATHS and row in FOCUS_ROWS:
                continue
            lon, lat = wrs.center(path, row)
            if any(w <= lon <= e and s <= lat <= n for w, s, e, n in LAND_BOXES) \
                    and not _crosses_antimeridian(path, row):
                cells.append((path, row))
    return cells


class Catalog:
    def __init__(self, count: int, seed: int):
        self.count = count
        self.seed = seed
        self._lock = threading.Lock()
        self._built = False
        self.scenes: list[Scene] = []
        self.cells: dict[tuple[int, int], _Cell] = {}
        self.by_entity: dict[str, Scene] = {}
        self.by_display: dict[str, Scene] = {}

    def ensure(self) -> Catalog:
        if not self._built:
            with self._lock:
                if not self._built:
                    self._build()
                    self._built = True
        return self

    # -- building ---------------------------------------------------------------------
    def _new_scene(self, rng: random.Random, path: int, row: int, satellite: int, ordinal: int) -> Scene:
        cloud = None if rng.random() < 0.02 else round(rng.betavariate(0.6, 1.0) * 100, 2)
        land = None if cloud is None else round(min(100.0, cloud * rng.uniform(0.7, 1.2)), 2)
        category = "T1" if rng.random() < 0.88 else "T2"
        return Scene(path, row, satellite, ordinal, cloud, land, category, rng.randint(2, 14),
                     round(rng.uniform(-JITTER, JITTER), 5), round(rng.uniform(-JITTER, JITTER), 5))

    def _build(self) -> None:
        rng = random.Random(self.seed)
        focus = [(p, r, sat, day) for p in FOCUS_PATHS for r in FOCUS_ROWS for sat in (8, 9)
                 for day in _revisits(p, sat)]
        focus_count = min(len(focus), self.count // 2)
        if focus_count < len(focus):
            rng.shuffle(focus)
            focus = focus[:focus_count]
        keys = set(focus)
        remaining = self.count - len(focus)
        cells = _land_cells()
        extra = []
        while remaining > 0 and cells:
            path, row = cells[rng.randrange(len(cells))]
            satellite = 9 if rng.random() < 0.3 else 8
            days = _revisits(path, satellite)
            key = (path, row, satellite, days[rng.randrange(len(days))])
            if key not in keys:
                keys.add(key)
                extra.append(key)
                remaining -= 1
        chosen = sorted(focus + extra, key=lambda k: (k[3], k[0], k[1], k[2]))
        scenes = [self._new_scene(rng, *key) for key in chosen]
        for index, scene in enumerate(scenes):
            scene.index = index
            cell = self.cells.get((scene.path, scene.row))
            if cell is None:
                cell = self.cells[(scene.path, scene.row)] = _Cell(scene.path, scene.row)
            cell.scenes.append(scene)
            cell.ordinals.append(scene.ordinal)
        self.scenes = scenes
        self.by_entity = {s.entity_id: s for s in scenes}
        for entity_id, (cloud, l2_delay, category) in SEED_SCENES.items():
            scene = self.by_entity.get(entity_id)
            if scene is not None:
                scene.cloud, scene.land_cloud, scene.l2_delay, scene.category = cloud, cloud, l2_delay, category

    def by_display_id(self, display_id: str) -> Scene | None:
        self.ensure()
        if not self.by_display:
            with self._lock:
                if not self.by_display:
                    self.by_display = {s.display_id: s for s in self.scenes}
        return self.by_display.get(display_id)

    # -- searching --------------------------------------------------------------------
    def search(self, geometry=None, start: int | None = None, end: int | None = None,
               predicate: Callable[[Scene], bool] | None = None) -> list[Scene]:
        """Scenes whose footprint intersects ``geometry`` and acquired in [start, end] (ordinals),
        in catalog order (acquisition date ascending)."""
        self.ensure()
        found: list[Scene] = []
        if geometry is None:
            if start is None and end is None:
                candidates: Iterable[Scene] = self.scenes
            else:
                lo = bisect.bisect_left(self.scenes, start or 0, key=lambda s: s.ordinal)
                hi = bisect.bisect_right(self.scenes, end or 10**7, key=lambda s: s.ordinal)
                candidates = self.scenes[lo:hi]
            return [s for s in candidates if predicate is None or predicate(s)]
        prepared = prep(geometry)
        west, south, east, north = geometry.bounds
        for cell in self.cells.values():
            cw, cs, ce, cn = cell.bounds
            if cw > east or ce < west or cs > north or cn < south or not prepared.intersects(cell.polygon):
                continue
            lo = 0 if start is None else bisect.bisect_left(cell.ordinals, start)
            hi = len(cell.ordinals) if end is None else bisect.bisect_right(cell.ordinals, end)
            whole = prepared.contains(cell.polygon)
            for scene in cell.scenes[lo:hi]:
                if predicate is not None and not predicate(scene):
                    continue
                if whole or prepared.intersects(Polygon(scene.quad)):
                    found.append(scene)
        found.sort(key=lambda s: s.index)
        return found
