"""scene-search's sceneFilter: spatial, acquisition, cloud cover, metadata, seasonal and ingest filters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from shapely.geometry import box, shape
from shapely.validation import make_valid

from .catalog import Scene
from .datasets import L2_FILTER_FIELDS, L2_FILTER_TYPES

Predicate = Callable[[Scene], bool]


class FilterError(ValueError):
    """A sceneFilter the real service would refuse; ``code`` is the M2M error code."""

    def __init__(self, message: str, code: str = "INPUT_PARAMETER_INVALID"):
        super().__init__(message)
        self.code = code


def parse_date(text, field: str) -> dt.date:
    if not isinstance(text, str) or not text.strip():
        raise FilterError(f"Invalid date in {field}: {text!r}")
    value = text.strip().replace("/", "-")[:10]
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"Invalid date in {field}: {text!r}") from None


def spatial_geometry(spatial: dict | None):
    if not spatial:
        return None
    kind = str(spatial.get("filterType", "")).lower()
    try:
        if kind == "mbr":
            lower, upper = spatial["lowerLeft"], spatial["upperRight"]
            west, east = float(lower["longitude"]), float(upper["longitude"])
            south, north = float(lower["latitude"]), float(upper["latitude"])
            return box(min(west, east), min(south, north), max(west, east), max(south, north))
        if kind == "geojson":
            geometry = shape(spatial["geoJson"])
            return geometry if geometry.is_valid else make_valid(geometry)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FilterError(f"Invalid spatialFilter: {exc}") from None
    raise FilterError(f"Invalid spatialFilter filterType: {spatial.get('filterType')!r}")


def _like(pattern: str) -> re.Pattern:
    if "%" not in pattern and "_" not in pattern:
        pattern = f"%{pattern}%"
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile(f"^{regex}$", re.IGNORECASE)


def _field_value(scene: Scene, field: str):
    if field == "l2_date":
        return scene.l2_date
    return getattr(scene, field)


def _number(value, filter_id: str):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise FilterError(f"Invalid value {value!r} for metadata filter {filter_id}") from None


def metadata_predicate(spec: dict, fields: tuple[dict, dict] | None = None) -> Predicate:
    """``fields``: ({filter id: scene attribute}, {filter id: field type}) of the dataset (Landsat's by default)."""
    field_map, type_map = fields or (L2_FILTER_FIELDS, L2_FILTER_TYPES)
    kind = str(spec.get("filterType", "")).lower()
    if kind in ("and", "or"):
        children = [metadata_predicate(child, fields) for child in spec.get("childFilters") or []]
        if not children:
            raise FilterError(f"metadataFilter {kind} needs childFilters")
        combine = all if kind == "and" else any
        return lambda scene: combine(child(scene) for child in children)
    filter_id = spec.get("filterId")
    field = field_map.get(filter_id)
    if field is None:
        raise FilterError(f"Invalid filterId: {filter_id!r}")
    field_type = type_map[filter_id]
    if kind == "between":
        first, second = spec.get("firstValue"), spec.get("secondValue")
        if field == "l2_date":
            low = parse_date(first, "firstValue") if first not in (None, "") else dt.date.min
            high = parse_date(second, "secondValue") if second not in (None, "") else dt.date.max
        else:
            low = _number(first, filter_id) if first not in (None, "") else float("-inf")
            high = _number(second, filter_id) if second not in (None, "") else float("inf")
        return lambda scene: (v := _field_value(scene, field)) is not None and low <= v <= high
    if kind == "value":
        value = spec.get("value")
        if value is None:
            raise FilterError(f"metadataFilter value for {filter_id} has no value")
        operand = str(spec.get("operand") or "=").lower()
        if field_type == "Range":
            target = _number(value, filter_id)
            return lambda scene: _field_value(scene, field) == target
        if operand == "like":
            regex = _like(str(value))
            return lambda scene: bool(regex.match(str(_field_value(scene, field))))
        if operand != "=":
            raise FilterError(f"Invalid operand {operand!r}")
        wanted = str(value).upper()
        return lambda scene: str(_field_value(scene, field)).upper() == wanted
    raise FilterError(f"Invalid metadataFilter filterType: {spec.get('filterType')!r}")


def scene_filter(spec: dict | None, fields: tuple[dict, dict] | None = None
                 ) -> tuple[object, int | None, int | None, Predicate | None]:
    """(geometry, first ordinal, last ordinal, predicate) for a sceneFilter (``fields``: see metadata_predicate)."""
    if not spec:
        return None, None, None, None
    if not isinstance(spec, dict):
        raise FilterError("sceneFilter must be an object")
    geometry = spatial_geometry(spec.get("spatialFilter"))
    start = end = None
    acquisition = spec.get("acquisitionFilter")
    if acquisition:
        if acquisition.get("start"):
            start = parse_date(acquisition["start"], "acquisitionFilter.start").toordinal()
        if acquisition.get("end"):
            end = parse_date(acquisition["end"], "acquisitionFilter.end").toordinal()
    checks: list[Predicate] = []
    cloud = spec.get("cloudCoverFilter")
    if cloud:
        low = _number(cloud.get("min", 0) if cloud.get("min") is not None else 0, "cloudCoverFilter.min")
        high = _number(cloud.get("max", 100) if cloud.get("max") is not None else 100, "cloudCoverFilter.max")
        unknown = bool(cloud.get("includeUnknown", False))
        checks.append(lambda s: (s.cloud is None and unknown) or (s.cloud is not None and low <= s.cloud <= high))
    if spec.get("metadataFilter"):
        checks.append(metadata_predicate(spec["metadataFilter"], fields))
    months = spec.get("seasonalFilter")
    if months:
        wanted = {int(m) for m in months}
        checks.append(lambda s: s.acquired.month in wanted)
    ingest = spec.get("ingestFilter")
    if ingest:
        first = parse_date(ingest["start"], "ingestFilter.start") if ingest.get("start") else dt.date.min
        last = parse_date(ingest["end"], "ingestFilter.end") if ingest.get("end") else dt.date.max
        checks.append(lambda s: first <= s.l2_date <= last)
    if not checks:
        return geometry, start, end, None
    if len(checks) == 1:
        return geometry, start, end, checks[0]
    return geometry, start, end, lambda s: all(check(s) for check in checks)
