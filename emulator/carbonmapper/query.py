"""Query parameters of the catalog endpoints -> index arrays into the catalog.

Filters follow the service's SceneFilterSchema / PlumeFilterSchema (reference/carbonmapper-api.md).
Spatial filters: ``bbox`` is a repeated key (``bbox=W&bbox=S&bbox=E&bbox=N``, a single
comma-separated value is accepted too) and ``intersects`` a GeoJSON geometry string; both are tested
against the exact footprint (scenes) or the plume point. ``datetime`` is an ``a/b`` interval with
``..`` for an open end; a date without a time as the end of an interval includes that whole day.
Plumes default to ``status=published`` (what the public catalog shows); ``status=not_deleted``
means every status but ``deleted``. Invalid values raise :class:`QueryError` (HTTP 422).
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

import numpy as np
from shapely.errors import ShapelyError
from shapely.geometry import Point, Polygon, box, shape
from shapely.prepared import prep

from .catalog import INSTRUMENTS, STATUSES, Catalog

# instruments the service has data of (AVIRIS-3 in the recordings) that the synthetic catalog leaves out
OTHER_INSTRUMENTS = ("av3",)
# what a malformed GeoJSON geometry raises (shapely 2 raises ShapelyError subclasses only)
GEOMETRY_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, ShapelyError)


class QueryError(ValueError):
    """A query parameter the service would reject (HTTP 422), with the parameter's name."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


Query = dict[str, list[str]]


def _last(query: Query, name: str) -> str | None:
    values = [v for v in query.get(name, []) if v != ""]
    return values[-1] if values else None


def _many(query: Query, *names: str) -> list[str]:
    """Values of a repeated key (``a=1&a=2``), also accepting ``a=1,2`` and the ``name[]`` spelling."""
    values: list[str] = []
    for name in names:
        for raw in query.get(name, []) + query.get(name + "[]", []):
            values.extend(v.strip() for v in raw.split(",") if v.strip())
    return values


def int_arg(query: Query, name: str, default: int | None, minimum: int = 0) -> int | None:
    raw = _last(query, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(name, "Input should be a valid integer") from None
    if value < minimum:
        raise QueryError(name, f"Input should be greater than or equal to {minimum}")
    return value


def float_arg(query: Query, name: str) -> float | None:
    raw = _last(query, name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise QueryError(name, "Input should be a valid number") from None
    if math.isnan(value):
        raise QueryError(name, "Input should be a finite number")
    return value


def parse_instant(text: str, name: str, end: bool = False) -> float:
    """ISO date or date-time -> epoch seconds (UTC when no offset is given)."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
            return (day + timedelta(days=1)).timestamp() - 1e-6 if end else day.timestamp()
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise QueryError(name, f"Invalid datetime {text!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


def parse_interval(text: str | None, name: str = "datetime") -> tuple[float, float] | None:
    """``a/b`` (``..`` or empty for an open end) or a single instant -> (start, end) epoch seconds."""
    if not text:
        return None
    if "/" in text:
        first, _, second = text.partition("/")
        start = -math.inf if first.strip() in ("", "..") else parse_instant(first, name)
        end = math.inf if second.strip() in ("", "..") else parse_instant(second, name, end=True)
        if start > end:
            raise QueryError(name, "The interval's start is after its end")
        return start, end
    return parse_instant(text, name), parse_instant(text, name, end=True)


def parse_geometry(text: str, name: str = "intersects"):
    try:
        data = json.loads(text)
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data["geometry"]
        geometry = shape(data)
    except GEOMETRY_ERRORS:
        raise QueryError(name, "Invalid GeoJSON geometry") from None
    if geometry.is_empty:
        raise QueryError(name, "Empty geometry")
    return geometry if geometry.is_valid else geometry.buffer(0)


def parse_bbox(values: list[str], name: str = "bbox") -> tuple[float, float, float, float] | None:
    if not values:
        return None
    try:
        numbers = [float(v) for v in values]
    except ValueError:
        raise QueryError(name, "bbox values must be numbers") from None
    if len(numbers) != 4:
        raise QueryError(name, "bbox needs 4 numbers: west, south, east, north")
    west, south, east, north = numbers
    if south > north:
        raise QueryError(name, "bbox south is greater than north")
    return west, south, east, north


def spatial_filter(query: Query):
    """The shapely geometry of ``intersects`` and/or ``bbox`` (intersected when both are given)."""
    geometry = None
    text = _last(query, "intersects")
    if text:
        geometry = parse_geometry(text)
    bounds = parse_bbox(_many(query, "bbox"))
    if bounds:
        west, south, east, north = bounds
        area = box(west, south, east, north) if west <= east else box(west, south, 180, north).union(
            box(-180, south, east, north))
        geometry = area if geometry is None else geometry.intersection(area)
    return geometry


def _instrument_codes(instruments: list[str]) -> list[int]:
    """Catalog codes of the instruments; one the service knows but the catalog lacks (av3) matches nothing."""
    unknown = [i for i in instruments if i not in INSTRUMENTS + OTHER_INSTRUMENTS]
    if unknown:
        raise QueryError("instrument", f"Input should be one of {', '.join(INSTRUMENTS + OTHER_INSTRUMENTS)}")
    return [INSTRUMENTS.index(i) for i in instruments if i in INSTRUMENTS]


def _bbox_mask(bounds: np.ndarray, geometry) -> np.ndarray:
    west, south, east, north = geometry.bounds
    return (bounds[:, 2] >= west) & (bounds[:, 0] <= east) & (bounds[:, 3] >= south) & (bounds[:, 1] <= north)


def _sorted(indices: np.ndarray, keys: np.ndarray, descending: bool) -> np.ndarray:
    order = np.argsort(-keys[indices] if descending else keys[indices], kind="stable")
    return indices[order]


def select_scenes(catalog: Catalog, query: Query, spatial: bool = True) -> np.ndarray:
    """Indices of the scenes matching ``query``, newest first unless ``sort=asc``."""
    scenes = catalog.scenes
    mask = np.ones(len(scenes), dtype=bool)
    ids = _many(query, "ids")
    if ids:
        wanted = [scenes.by_id.get(i, scenes.by_name.get(i, -1)) for i in ids]
        mask &= np.isin(np.arange(len(scenes)), [w for w in wanted if w >= 0])
    instruments = _many(query, "instrument", "instruments")
    if instruments:
        mask &= np.isin(scenes.instrument_code, _instrument_codes(instruments))
    low, high = float_arg(query, "cloud_cover_pct_min"), float_arg(query, "cloud_cover_pct_max")
    if low is not None or high is not None:  # a cloud filter drops the scenes whose cloud cover is unknown
        mask &= scenes.cloud_known
    if low is not None:
        mask &= scenes.cloud >= low
    if high is not None:
        mask &= scenes.cloud <= high
    interval = parse_interval(_last(query, "datetime"))
    if interval:
        mask &= (scenes.timestamps >= interval[0]) & (scenes.timestamps <= interval[1])
    quick = _last(query, "is_quick_look")
    if quick is not None:
        mask &= scenes.quick_look == (quick.lower() in ("1", "true", "yes"))
    search = _last(query, "search")
    if search:
        mask &= np.array([search.lower() in n.lower() for n in scenes.names], dtype=bool)
    mask = _plume_conditions(catalog, query, mask)
    indices = np.flatnonzero(mask)
    geometry = spatial_filter(query) if spatial else None
    if geometry is not None:
        indices = indices[_bbox_mask(scenes.bbox[indices], geometry)]
        prepared = prep(geometry)
        indices = np.array([i for i in indices if prepared.intersects(Polygon(scenes.rings[i]))], dtype=np.int64)
    return _sorted(indices, scenes.timestamps, _last(query, "sort") != "asc")


def _plume_conditions(catalog: Catalog, query: Query, mask: np.ndarray) -> np.ndarray:
    """Scene filters about the scene's plumes (gas, sectors, statuses, emissions)."""
    gas = _last(query, "plume_gas")
    sectors = _many(query, "plume_sectors")
    statuses = _many(query, "plume_statuses")
    emission_min, emission_max = float_arg(query, "plume_emission_min"), float_arg(query, "plume_emission_max")
    has_emissions = _last(query, "has_plume_emissions")
    if not (gas or sectors or statuses or emission_min is not None or emission_max is not None or has_emissions):
        return mask
    plumes = catalog.plumes
    keep = np.ones(len(plumes), dtype=bool)
    if gas:
        keep &= np.array([g == gas for g in plumes.gas], dtype=bool)
    if sectors:
        keep &= np.isin(np.array(plumes.sector, dtype=object), sectors)
    if statuses:
        wanted = set(STATUSES) - {"deleted"} if "not_deleted" in statuses else set(statuses)
        keep &= np.array([s in wanted for s in plumes.status], dtype=bool)
    if emission_min is not None:
        keep &= plumes.emission >= emission_min
    if emission_max is not None:
        keep &= plumes.emission <= emission_max
    if has_emissions and has_emissions.lower() in ("1", "true", "yes"):
        keep &= ~np.isnan(plumes.emission)
    with_plumes = np.zeros(len(catalog.scenes), dtype=bool)
    with_plumes[plumes.scene[keep]] = True
    return mask & with_plumes


PLUME_SORTS = {"desc", "asc", "emissions_desc", "emissions_asc", "published_desc", "published_asc"}


def select_plumes(catalog: Catalog, query: Query, spatial: bool = True) -> np.ndarray:
    """Indices of the plumes matching ``query`` (newest scene first unless ``sort`` says otherwise)."""
    plumes, scenes = catalog.plumes, catalog.scenes
    count = len(plumes)
    mask = np.ones(count, dtype=bool)
    status = _many(query, "status") or ["published"]
    wanted_status = set(STATUSES) - {"deleted"} if "not_deleted" in status else set(status)
    mask &= np.array([s in wanted_status for s in plumes.status], dtype=bool)
    ids = _many(query, "plume_ids")
    if ids:
        mask &= np.isin(np.arange(count), [plumes.by_id.get(i, -1) for i in ids])
    names = _many(query, "plume_names")
    if names:
        mask &= np.isin(np.arange(count), [plumes.by_name.get(n, -1) for n in names])
    scene_ids = [scenes.by_id.get(i, -1) for i in _many(query, "scene_id", "scene_ids")]
    scene_name = _last(query, "scene_name")
    if scene_name:
        scene_ids.append(scenes.by_name.get(scene_name, -1))
    if scene_ids:
        mask &= np.isin(plumes.scene, scene_ids)
    gas = _last(query, "plume_gas")
    if gas:
        if gas not in ("CH4", "CO2"):
            raise QueryError("plume_gas", "Input should be 'CO2' or 'CH4'")
        mask &= np.array([g == gas for g in plumes.gas], dtype=bool)
    sectors = _many(query, "sectors")
    if sectors:
        mask &= np.isin(np.array(plumes.sector, dtype=object), sectors)
    instruments = _many(query, "instrument", "instruments")
    if instruments:
        mask &= np.isin(scenes.instrument_code[plumes.scene], _instrument_codes(instruments))
    qualities = _many(query, "qualities")
    if qualities:
        mask &= np.array([q in qualities for q in plumes.quality], dtype=bool)
    low, high = float_arg(query, "emission_min"), float_arg(query, "emission_max")
    if low is not None:
        mask &= plumes.emission >= low
    if high is not None:
        mask &= plumes.emission <= high
    interval = parse_interval(_last(query, "datetime"))
    if interval:
        stamps = scenes.timestamps[plumes.scene]
        mask &= (stamps >= interval[0]) & (stamps <= interval[1])
    published = parse_interval(_last(query, "published_at_datetime"), "published_at_datetime")
    if published:
        mask &= (plumes.published >= published[0]) & (plumes.published <= published[1])
    source_name = _last(query, "source_name")
    if source_name:
        mask &= plumes.source == catalog.by_source_name.get(source_name, -1)
    search = _last(query, "search")
    if search:
        mask &= np.array([search.lower() in n.lower() for n in plumes.names], dtype=bool)
    indices = np.flatnonzero(mask)
    geometry = spatial_filter(query) if spatial else None
    if geometry is not None:
        indices = indices[_bbox_mask(np.column_stack([plumes.lon, plumes.lat, plumes.lon, plumes.lat])[indices],
                                     geometry)]
        prepared = prep(geometry)
        indices = np.array([j for j in indices if prepared.intersects(Point(plumes.lon[j], plumes.lat[j]))],
                           dtype=np.int64)
    return sort_plumes(catalog, indices, _last(query, "sort") or "desc")


def sort_plumes(catalog: Catalog, indices: np.ndarray, sort: str) -> np.ndarray:
    if sort not in PLUME_SORTS:
        raise QueryError("sort", f"Input should be one of {', '.join(sorted(PLUME_SORTS))}")
    plumes = catalog.plumes
    if sort.startswith("emissions"):
        keys = np.nan_to_num(plumes.emission, nan=-1.0)
    elif sort.startswith("published"):
        keys = plumes.published
    else:
        keys = catalog.scenes.timestamps[plumes.scene]  # stable: A before B within a scene
    return _sorted(indices, keys, not sort.endswith("asc"))
