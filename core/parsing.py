"""Typed reading of service answers, at the edge.

Every parser of an M2M or Carbon Mapper answer reads its fields through these helpers. Each
returns the value in the type the model wants, or raises :class:`..errors.MalformedAnswerError`
naming the field (``service`` says whose answer it was), so a well-formed but wrong answer
becomes a clear message instead of a TypeError, OverflowError or AttributeError deep inside.

The rules, the same for both services:

- JSON ``null`` means "absent": the optional readers return None (or their default).
- Numbers are finite. NaN, Infinity and ``1e999`` (which JSON decoders read as infinity) are
  refused, and so are integers beyond 2**53 (no size or count is that big, and they would
  overflow float arithmetic later). ``true``/``false`` are not numbers. ``minimum`` refuses
  negative counts and sizes.
- Strings are strings. A number is accepted where an identifier is expected (the services send
  some ids as numbers, e.g. ``downloadId``); nothing else is.
- Containers are what they should be: a list where a list is expected, objects inside it.
- Geometries are GeoJSON with finite coordinates, built with shapely.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import Polygon, shape

from .errors import MalformedAnswerError

MAX_INT = 2 ** 53  # the largest integer a float holds exactly
_TRUE = frozenset({"true", "y", "yes", "1"})
_FALSE = frozenset({"false", "n", "no", "0", ""})
# GeoJSON geometry types and how deeply their coordinates nest (1: one position).
_NESTING = {"Point": 1, "MultiPoint": 2, "LineString": 2, "MultiLineString": 3, "Polygon": 3, "MultiPolygon": 4}

def describe(value: Any) -> str:
    """What a wrong value was, for the log: its type, and the value itself only for numbers and
    null (text and containers may hold a token or a signed URL: only their length is shown)."""
    kind = type(value)
    if kind is int and abs(value) >= 10 ** 30:
        return f"int of {value.bit_length()} bits"
    if value is None or kind is bool or kind is int or kind is float:
        return f"{kind.__name__} {value!r}"
    if kind is str or kind is list or kind is dict:
        return f"{kind.__name__} of length {len(value)}"
    return kind.__name__


def malformed(field: str, value: Any, service: str | None) -> MalformedAnswerError:
    """The error for ``field`` holding ``value`` (described for the log, never shown whole)."""
    return MalformedAnswerError(field=field, service=service, service_message=f"{field}: {describe(value)}")


def finite_number(value: Any) -> bool:
    """True for an int or float (not bool) that is finite and within +-2**53 when an int."""
    kind = type(value)
    if kind is float:
        return value - value == 0.0  # False for inf and nan
    if kind is int:
        return -MAX_INT <= value <= MAX_INT
    return False


# --- containers ------------------------------------------------------------------------------
def as_dict(value: Any, field: str, service: str | None, *, optional: bool = True) -> dict:
    """An object; ``null`` is ``{}`` when ``optional``."""
    if isinstance(value, dict):
        return value
    if value is None and optional:
        return {}
    raise malformed(field, value, service)


def as_list(value: Any, field: str, service: str | None) -> list:
    """A list; ``null`` is ``[]``."""
    if isinstance(value, list):
        return value
    if value is None:
        return []
    raise malformed(field, value, service)


def as_list_of_dicts(value: Any, field: str, service: str | None) -> list[dict]:
    """A list of objects; ``null`` is ``[]``."""
    items = as_list(value, field, service)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise malformed(f"{field}[{index}]", item, service)
    return items


# --- scalars ---------------------------------------------------------------------------------
def as_str(value: Any, field: str, service: str | None, default: str | None = "") -> str | None:
    """A string (an integer becomes its digits); ``null`` is ``default``."""
    if type(value) is str:
        return value
    if value is None:
        return default
    if isinstance(value, str):
        return str(value)
    if type(value) is int:
        return str(value)
    raise malformed(field, value, service)


def as_opt_str(value: Any, field: str, service: str | None) -> str | None:
    """A string, or None for ``null`` and ``""``."""
    return as_str(value, field, service, None) or None


def as_url(value: Any, field: str, service: str | None) -> str | None:
    """A link: text only (never a number), or None for ``null`` and ``""``. The scheme is checked where it is used."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    raise malformed(field, value, service)


def as_int(value: Any, field: str, service: str | None, *, minimum: int | None = None) -> int | None:
    """An integer: 12, 12.0, "12", " 12 ", "12.0"; ``null`` and ``""`` are None."""
    kind = type(value)
    if kind is int:
        number = value
    elif value is None:
        return None
    elif kind is float:
        if not finite_number(value) or not value.is_integer():
            raise malformed(field, value, service)
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            number = int(text) if len(text) <= 20 else None
        except ValueError:
            number = None
        if number is None:
            try:
                as_float = float(text)
            except ValueError:
                raise malformed(field, value, service) from None
            if not finite_number(as_float) or not as_float.is_integer():
                raise malformed(field, value, service)
            number = int(as_float)
    else:
        raise malformed(field, value, service)
    if not -MAX_INT <= number <= MAX_INT or (minimum is not None and number < minimum):
        raise malformed(field, value, service)
    return number


def as_finite_float(value: Any, field: str, service: str | None, *,
                    minimum: float | None = None) -> float | None:
    """A finite number: 1.5, 2, "1.5"; ``null`` and ``""`` are None."""
    if type(value) is float:
        number = value
    elif value is None:
        return None
    elif type(value) is int:
        if not finite_number(value):
            raise malformed(field, value, service)
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise malformed(field, value, service) from None
    else:
        raise malformed(field, value, service)
    if not finite_number(number) or (minimum is not None and number < minimum):
        raise malformed(field, value, service)
    return number


def as_flag(value: Any, field: str, service: str | None) -> bool:
    """A yes/no: true/false, 1/0, "true"/"Y"/"false"/"N"...; ``null`` is False."""
    if value is True or value is False:
        return value
    if value is None:
        return False
    if type(value) is int and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise malformed(field, value, service)


# --- geometry --------------------------------------------------------------------------------
def _position(value: Any) -> bool:
    # plain loops, no generators: every footprint of a 50,000-scene search comes through here
    if type(value) is not list or not 2 <= len(value) <= 4:
        return False
    for number in value:
        kind = type(number)
        if kind is float:
            if number - number != 0.0:
                return False
        elif kind is not int or not -MAX_INT <= number <= MAX_INT:
            return False
    return True


def _coordinates_ok(value: Any, nesting: int) -> bool:
    if nesting == 1:
        return _position(value)
    if type(value) is not list:
        return False
    for part in value:
        if not _coordinates_ok(part, nesting - 1):
            return False
    return True


def as_point(value: Any, field: str, service: str | None) -> tuple[float, float] | None:
    """(longitude, latitude) of a GeoJSON Point in degrees; ``null``, ``{}`` and other geometry types are None."""
    if value is None or value == {}:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise malformed(field, value, service)
    if value["type"] != "Point":
        return None
    coordinates = value.get("coordinates")
    if not _position(coordinates):
        raise malformed(f"{field}.coordinates", coordinates, service)
    lon, lat = float(coordinates[0]), float(coordinates[1])
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise malformed(f"{field}.coordinates", coordinates, service)
    return lon, lat


def as_bbox(value: Any, field: str, service: str | None,
            sizes: tuple[int, ...] = (4, 6)) -> tuple[float, ...] | None:
    """A bounding box of finite numbers (4 or 6 of them); ``null`` and ``[]`` are None."""
    if value is None or value == []:
        return None
    if type(value) is not list or len(value) not in sizes or not all(finite_number(v) for v in value):
        raise malformed(field, value, service)
    return tuple(float(v) for v in value)


def as_geometry(value: Any, field: str, service: str | None):
    """A shapely geometry from a GeoJSON geometry; ``null`` and empty geometries are None."""
    if value is None:
        return None
    kind = value.get("type") if isinstance(value, dict) else None
    nesting = _NESTING.get(kind) if isinstance(kind, str) else None
    if nesting is None:
        raise malformed(field, value, service)
    coordinates = value.get("coordinates")
    if not _coordinates_ok(coordinates, nesting):
        raise malformed(f"{field}.coordinates", coordinates, service)
    try:
        if kind == "Polygon" and len(coordinates) == 1 and len(coordinates[0]) >= 3:
            return Polygon(coordinates[0])  # the usual footprint: much faster than shape(), never empty
        geometry = shape({"type": kind, "coordinates": coordinates})
    except Exception:  # noqa: BLE001 - shapely's refusals (too few points...) differ between versions
        raise malformed(f"{field}.coordinates", coordinates, service) from None
    return None if geometry.is_empty else geometry
