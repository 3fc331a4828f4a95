"""The seeded synthetic Carbon Mapper catalog: scenes, plumes and the sources plumes cluster into.

Everything derives from ``config.seed``: the same seed gives the same names, ids, footprints and
emissions. Scenes cluster over oil, gas, coal, waste and agriculture regions (Permian, San Joaquin
Valley, Four Corners...) with a worldwide scatter; most plumes sit on a *source* (a fixed site that
is seen again and again), inside the footprint of the scene that observed them.
Columns used for filtering are numpy arrays, so a filter over 20,000 scenes costs milliseconds.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

INSTRUMENTS = ("GAO", "ang", "emi", "tan", "ssc")
PLATFORMS = {"GAO": "GAO", "ang": "AVIRIS-NG", "emi": "ISS", "tan": "Tanager", "ssc": "SSC"}
_INSTRUMENT_WEIGHTS = (0.24, 0.30, 0.14, 0.26, 0.06)
# first and last acquisition per instrument (the catalog ends before the emulator's "today")
_INSTRUMENT_YEARS = {"GAO": (2016.3, 2026.65), "ang": (2016.0, 2026.65), "emi": (2022.6, 2026.65),
                     "tan": (2024.7, 2026.65), "ssc": (2021.0, 2026.65)}
# half width, half length (km) of a footprint
_INSTRUMENT_SIZE = {"GAO": (1.5, 8.0), "ang": (2.0, 12.0), "emi": (18.0, 18.0), "tan": (9.0, 12.0),
                    "ssc": (5.0, 5.0)}
SECTORS = ("1B2", "6A", "6B", "4B", "1B1a", "1A1", "other")
SECTOR_LABELS = {"1B2": "Oil & Gas (1B2)", "6A": "Solid Waste (6A)", "6B": "Wastewater (6B)",
                 "4B": "Livestock (4B)", "1B1a": "Coal Mining (1B1a)", "1A1": "Energy (1A1)", "other": "Other"}
STATUSES = ("published", "publish_ready", "valid", "hidden", "deleted")
_STATUS_WEIGHTS = (0.9, 0.03, 0.03, 0.02, 0.02)


@dataclass(frozen=True)
class Region:
    name: str
    bbox: tuple[float, float, float, float]
    weight: float
    sectors: dict[str, float]


REGIONS = (
    Region("Permian", (-104.6, 30.8, -101.0, 33.6), 0.20, {"1B2": 0.9, "1A1": 0.05, "6A": 0.05}),
    Region("San Joaquin Valley", (-120.6, 34.9, -118.7, 37.2), 0.14, {"1B2": 0.45, "4B": 0.35, "6A": 0.2}),
    Region("Los Angeles", (-118.7, 33.6, -117.2, 34.4), 0.05, {"6A": 0.5, "1B2": 0.3, "6B": 0.2}),
    Region("Four Corners", (-108.8, 36.0, -107.0, 37.4), 0.06, {"1B2": 0.6, "1B1a": 0.3, "1A1": 0.1}),
    Region("Denver-Julesburg", (-105.2, 39.8, -104.0, 40.8), 0.04, {"1B2": 0.8, "4B": 0.2}),
    Region("Bakken", (-104.0, 47.3, -102.3, 48.6), 0.03, {"1B2": 1.0}),
    Region("Appalachia", (-81.5, 39.0, -79.5, 41.0), 0.04, {"1B2": 0.6, "1B1a": 0.4}),
    Region("Haynesville and Gulf Coast", (-95.5, 29.3, -93.0, 32.6), 0.04, {"1B2": 0.8, "6A": 0.2}),
    Region("Black Warrior Basin", (-88.0, 33.0, -86.8, 33.8), 0.02, {"1B1a": 1.0}),
    Region("Turkmenistan", (53.0, 37.5, 55.5, 39.8), 0.03, {"1B2": 1.0}),
    Region("Algeria", (5.5, 30.5, 7.5, 32.5), 0.02, {"1B2": 1.0}),
    Region("Southern Iraq", (46.5, 29.0, 48.5, 31.0), 0.02, {"1B2": 0.9, "1A1": 0.1}),
    Region("Worldwide", (-170.0, -50.0, 170.0, 65.0), 0.31, {"6A": 0.3, "1B2": 0.3, "other": 0.2, "1A1": 0.2}),
)
_EPOCH_2016 = datetime(2016, 1, 1, tzinfo=timezone.utc).timestamp()
_YEAR = 365.25 * 86400


@dataclass
class Source:
    lon: float
    lat: float
    gas: str
    sector: str
    emission: float  # typical kg/h
    plumes: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.gas}_{self.sector}_100m_{self.lon:.5f}_{self.lat:.5f}"


# Every so many scenes one has no cloud cover (null), as real captures sometimes do; decided by index, not
# by the random generator, so the rest of the catalog stays as it was.
UNKNOWN_CLOUD_EVERY = 40


@dataclass
class Scenes:
    """Column store of scenes; index ``i`` is one scene."""

    ids: list[str]
    names: list[str]
    instruments: list[str]
    rings: list[tuple[tuple[float, float], ...]]  # closed outer ring, lon/lat
    timestamps: np.ndarray  # epoch seconds
    created: np.ndarray
    cloud: np.ndarray  # int 0..100 (meaningless where cloud_known is False)
    cloud_known: np.ndarray  # bool: False for the scenes served with no cloud cover (null), 1 in UNKNOWN_CLOUD_EVERY
    bbox: np.ndarray  # (n, 4) minx, miny, maxx, maxy
    instrument_code: np.ndarray  # index into INSTRUMENTS
    quick_look: np.ndarray  # bool
    plumes: list[list[int]]
    by_name: dict[str, int]
    by_id: dict[str, int]

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class Plumes:
    """Column store of plumes; index ``j`` is one plume."""

    ids: list[str]
    names: list[str]  # "<scene name>-<letter>"
    scene: np.ndarray  # index into Scenes
    source: np.ndarray  # index into sources
    lon: np.ndarray
    lat: np.ndarray
    bounds: np.ndarray  # (n, 4)
    gas: list[str]
    sector: list[str]
    status: list[str]
    quality: list[str | None]
    emission: np.ndarray  # NaN where unknown
    uncertainty: np.ndarray
    wind_speed: np.ndarray
    wind_direction: np.ndarray
    published: np.ndarray  # epoch seconds
    by_name: dict[str, int]
    by_id: dict[str, int]

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class Catalog:
    scenes: Scenes
    plumes: Plumes
    sources: list[Source]
    by_source_name: dict[str, int]
    # derived values computed on first use (e.g. the scenes observing each source); deterministic,
    # so concurrent first uses may both compute them harmlessly
    memo: dict = field(default_factory=dict)


def scene_name(instrument: str, when: datetime, rng: random.Random) -> str:
    stamp = when.strftime("%Y%m%dt%H%M%S")
    if instrument == "GAO":
        return f"GAO{stamp}p0000"
    if instrument == "emi":
        return f"emi{stamp}p{rng.randint(10000, 99999)}"
    if instrument == "tan":
        return f"tan{stamp}c{rng.randint(1, 99):02d}s4001"
    return f"{instrument}{stamp}"


def plume_letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... as the service names the plumes of one scene."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _make_sources(rng: random.Random, count: int) -> list[Source]:
    sources = []
    regions = [r for r in REGIONS]
    weights = [r.weight if r.name != "Worldwide" else r.weight / 3 for r in regions]
    for _ in range(count):
        region = rng.choices(regions, weights=weights)[0]
        west, south, east, north = region.bbox
        gas = "CO2" if rng.random() < 0.08 else "CH4"
        sector = "1A1" if gas == "CO2" else _pick(rng, region.sectors)
        typical = rng.lognormvariate(math.log(250), 0.9) if gas == "CH4" else rng.lognormvariate(math.log(6e5), 0.7)
        sources.append(Source(round(rng.uniform(west, east), 6), round(rng.uniform(south, north), 6),
                              gas, sector, typical))
    return sources


def _footprint(rng: random.Random, instrument: str, lon: float, lat: float, source: Source | None):
    """A rotated rectangle; when observing a source, placed so that the source lies inside."""
    half_w, half_l = _INSTRUMENT_SIZE[instrument]
    half_w *= rng.uniform(0.8, 1.2)
    half_l *= rng.uniform(0.7, 1.5)
    angle = rng.uniform(0, math.pi)
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    km_lat = 1 / 111.32
    km_lon = km_lat / max(0.2, math.cos(math.radians(lat)))
    if source is not None:  # the source sits somewhere in the inner half of the strip
        u, v = rng.uniform(-0.5, 0.5) * half_l, rng.uniform(-0.5, 0.5) * half_w
        lon = source.lon - (u * cos_a - v * sin_a) * km_lon
        lat = source.lat - (u * sin_a + v * cos_a) * km_lat
    ring = []
    for u, v in ((-half_l, -half_w), (half_l, -half_w), (half_l, half_w), (-half_l, half_w), (-half_l, -half_w)):
        x = lon + (u * cos_a - v * sin_a) * km_lon
        y = lat + (u * sin_a + v * cos_a) * km_lat
        ring.append((round(max(-180.0, min(180.0, x)), 6), round(max(-85.0, min(85.0, y)), 6)))
    return tuple(ring)


def _make_scenes(rng: random.Random, count: int, sources: list[Source]):
    names, ids, instruments, rings = [], [], [], []
    stamps, created, cloud, codes, quick, observed = [], [], [], [], [], []
    seen: set[str] = set()
    regions = list(REGIONS)
    region_weights = [r.weight for r in regions]
    for _ in range(count):
        code = rng.choices(range(len(INSTRUMENTS)), weights=_INSTRUMENT_WEIGHTS)[0]
        instrument = INSTRUMENTS[code]
        first, last = _INSTRUMENT_YEARS[instrument]
        day = _EPOCH_2016 + (rng.uniform(first, last) - 2016.0) * _YEAR
        stamp = math.floor(day / 86400) * 86400 + rng.randint(14 * 3600, 23 * 3600)
        when = datetime.fromtimestamp(stamp, timezone.utc)
        name = scene_name(instrument, when, rng)
        while name in seen:
            stamp += 1
            when = datetime.fromtimestamp(stamp, timezone.utc)
            name = scene_name(instrument, when, rng)
        seen.add(name)
        source_index = rng.randrange(len(sources)) if sources and rng.random() < 0.6 else -1
        source = sources[source_index] if source_index >= 0 else None
        if source is None:
            west, south, east, north = rng.choices(regions, weights=region_weights)[0].bbox
            lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        else:
            lon, lat = source.lon, source.lat
        if instrument == "tan":
            stamp += rng.randint(0, 999) / 1000
        names.append(name)
        ids.append(_uuid(rng))
        instruments.append(instrument)
        rings.append(_footprint(rng, instrument, lon, lat, source))
        stamps.append(stamp)
        created.append(stamp + rng.uniform(2, 30) * 86400)
        cloud.append(min(100, int(rng.expovariate(1 / 12))))
        codes.append(code)
        quick.append(rng.random() < 0.05)
        observed.append(source_index)
    coords = [np.asarray(ring) for ring in rings]
    bbox = np.array([(c[:, 0].min(), c[:, 1].min(), c[:, 0].max(), c[:, 1].max()) for c in coords]).reshape(-1, 4)
    scenes = Scenes(
        ids=ids, names=names, instruments=instruments, rings=rings,
        timestamps=np.array(stamps, dtype=float), created=np.array(created, dtype=float),
        cloud=np.array(cloud, dtype=np.int32), cloud_known=np.arange(len(names)) % UNKNOWN_CLOUD_EVERY != 7,
        bbox=bbox, instrument_code=np.array(codes, dtype=np.int8),
        quick_look=np.array(quick, dtype=bool), plumes=[[] for _ in names],
        by_name={n: i for i, n in enumerate(names)}, by_id={u: i for i, u in enumerate(ids)},
    )
    return scenes, observed


def _make_plumes(rng: random.Random, count: int, scenes: Scenes, observed: list[int], sources: list[Source]):
    candidates = [i for i, s in enumerate(observed) if s >= 0]
    rows: dict[str, list] = {key: [] for key in (
        "ids", "names", "scene", "source", "lon", "lat", "bounds", "gas", "sector", "status", "quality",
        "emission", "uncertainty", "wind_speed", "wind_direction", "published")}
    for _ in range(count if candidates else 0):
        scene_index = rng.choice(candidates)
        source_index = observed[scene_index]
        source = sources[source_index]
        letter = plume_letter(len(scenes.plumes[scene_index]))
        index = len(rows["ids"])
        scenes.plumes[scene_index].append(index)
        source.plumes.append(index)
        lon = source.lon + rng.gauss(0, 0.0004)
        lat = source.lat + rng.gauss(0, 0.0004)
        reach_x = rng.uniform(0.004, 0.03)
        reach_y = rng.uniform(0.004, 0.03)
        bounds = (lon - reach_x * rng.uniform(0.2, 1), lat - reach_y * rng.uniform(0.2, 1),
                  lon + reach_x * rng.uniform(0.2, 1), lat + reach_y * rng.uniform(0.2, 1))
        emission = source.emission * rng.lognormvariate(0, 0.5) if rng.random() > 0.08 else math.nan
        rows["ids"].append(_uuid(rng))
        rows["names"].append(f"{scenes.names[scene_index]}-{letter}")
        rows["scene"].append(scene_index)
        rows["source"].append(source_index)
        rows["lon"].append(lon)
        rows["lat"].append(lat)
        rows["bounds"].append(bounds)
        rows["gas"].append(source.gas)
        rows["sector"].append(source.sector)
        rows["status"].append(rng.choices(STATUSES, weights=_STATUS_WEIGHTS)[0])
        rows["quality"].append(rng.choices((None, "good", "questionable", "bad"), weights=(70, 20, 8, 2))[0])
        rows["emission"].append(emission)
        rows["uncertainty"].append(emission * rng.uniform(0.1, 0.5))
        rows["wind_speed"].append(rng.uniform(0.5, 8.0))
        rows["wind_direction"].append(rng.uniform(0, 360))
        rows["published"].append(scenes.timestamps[scene_index] + rng.uniform(3, 60) * 86400)
    floats = {key: np.array(rows[key], dtype=float) for key in (
        "lon", "lat", "emission", "uncertainty", "wind_speed", "wind_direction", "published")}
    return Plumes(
        ids=rows["ids"], names=rows["names"], scene=np.array(rows["scene"], dtype=np.int64),
        source=np.array(rows["source"], dtype=np.int64), bounds=np.array(rows["bounds"], dtype=float).reshape(-1, 4),
        gas=rows["gas"], sector=rows["sector"], status=rows["status"], quality=rows["quality"],
        by_name={n: j for j, n in enumerate(rows["names"])}, by_id={u: j for j, u in enumerate(rows["ids"])},
        **floats,
    )


def build_catalog(seed: int, scene_count: int, plume_count: int) -> Catalog:
    rng = random.Random(f"carbonmapper-{seed}")
    sources = _make_sources(rng, max(1, plume_count // 4)) if plume_count else []
    scenes, observed = _make_scenes(rng, scene_count, sources)
    plumes = _make_plumes(rng, plume_count, scenes, observed, sources)
    return Catalog(scenes, plumes, sources, {s.name: i for i, s in enumerate(sources)})
