"""Carbon Mapper plumes: ``catalog/plumes/annotated``, paged by ``limit``/``offset``, as :class:`Plume` records.

:func:`search_plumes` returns a :class:`PlumeSearch`: its first page is fetched at once, so
``total`` is known before iterating; iterating fetches the next pages lazily (one page in
memory at a time). Filters: dates (``datetime`` interval on the scene time), gas
(``plume_gas``), emission range (kg/h), status (``published`` by default), instrument, sectors
and the AOI (``intersects``; when it had to be shrunk to fit the URL, plumes outside the exact
AOI are dropped here).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ..cancel import CancelCheck, raise_if_cancelled
from ..errors import MalformedAnswerError
from ..paging import PageGuard, fingerprint
from ..parsing import as_bbox, as_finite_float, as_int, as_opt_str, as_point, as_url, malformed
from .client import SERVICE, CarbonMapperClient
from .intersects import IntersectsParam, fit_intersects
from .scenes import interval

LOG = logging.getLogger(__name__)

PLUMES_ANNOTATED = "catalog/plumes/annotated"
GASES = ("CH4", "CO2")
STATUSES = ("published", "not_deleted", "publish_ready", "valid", "deleted", "hidden")
PAGE_SIZE = 1000
COUNT_KEYS = ("bbox_count", "total_count", "count")  # the first one present is the page's count


@dataclass(frozen=True)
class Plume:
    """One plume of ``catalog/plumes/annotated`` (asset URLs are signed: never log them)."""

    id: str  # the record's uuid
    plume_id: str  # e.g. tan20260813t190401c96s4001-B
    gas: str | None
    longitude: float | None
    latitude: float | None
    datetime: dt.datetime | None  # the scene's time (UTC)
    instrument: str | None
    platform: str | None
    emission: float | None  # kg/h (emission_auto)
    emission_uncertainty: float | None
    sector: str | None
    status: str | None
    scene_id: str | None
    scene_name: str | None
    published_at: dt.datetime | None
    plume_tif: str | None = None
    plume_png: str | None = None
    plume_rgb_png: str | None = None
    rgb_png: str | None = None
    con_tif: str | None = None
    plume_bounds: tuple[float, float, float, float] | None = None
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, item: Any, field: str = "items[]") -> Plume:
        """One item of a plume page; :class:`MalformedAnswerError` (naming the field) if it is none."""
        if not isinstance(item, dict):
            raise malformed(field, item, SERVICE)

        def text(key: str) -> str | None:
            return as_opt_str(item.get(key), f"{field}.{key}", SERVICE)

        def url(key: str) -> str | None:
            return as_url(item.get(key), f"{field}.{key}", SERVICE)

        def number(key: str) -> float | None:
            return as_finite_float(item.get(key), f"{field}.{key}", SERVICE)

        point = as_point(item.get("geometry_json"), f"{field}.geometry_json", SERVICE)
        lon, lat = point if point is not None else (None, None)
        plume_id = text("plume_id") or ""
        return cls(
            id=text("id") or "",
            plume_id=plume_id,
            gas=text("gas"),
            longitude=lon,
            latitude=lat,
            datetime=parse_time(text("scene_timestamp")),
            instrument=text("instrument"),
            platform=text("platform"),
            emission=number("emission_auto"),
            emission_uncertainty=number("emission_uncertainty_auto"),
            sector=text("sector"),
            status=text("status"),
            scene_id=text("scene_id"),
            scene_name=text("scene_name") or (plume_id.rsplit("-", 1)[0] if "-" in plume_id else None),
            published_at=parse_time(text("published_at")),
            plume_tif=url("plume_tif"),
            plume_png=url("plume_png"),
            plume_rgb_png=url("plume_rgb_png"),
            rgb_png=url("rgb_png"),
            con_tif=url("con_tif"),
            plume_bounds=as_bbox(item.get("plume_bounds"), f"{field}.plume_bounds", SERVICE, sizes=(4,)),
            raw=item,
        )


def plume_params(
    *,
    start=None,
    end=None,
    gas: str | None = None,
    emission_min: float | None = None,
    emission_max: float | None = None,
    status: str | None = "published",
    instrument: str | None = None,
    sectors: list[str] | tuple[str, ...] | None = None,
    extra: dict | None = None,
) -> dict:
    """Query parameters of the plume filters (PlumeFilterSchema), without paging and AOI."""
    params: dict[str, Any] = {}
    when = interval(start, end)
    if when:
        params["datetime"] = when
    if gas:
        if gas not in GASES:
            raise ValueError(f"gas must be one of {GASES}")
        params["plume_gas"] = gas
    if emission_min is not None:
        params["emission_min"] = emission_min
    if emission_max is not None:
        params["emission_max"] = emission_max
    if status:
        params["status"] = status
    if instrument:
        params["instrument"] = instrument
    if sectors:
        params["sectors"] = list(sectors)  # requests repeats the key
    params.update(extra or {})
    return params


class PlumeSearch:
    """Iterable of :class:`Plume`; ``total`` is the service's count (before exact-AOI filtering)."""

    def __init__(
        self,
        client: CarbonMapperClient,
        params: dict,
        *,
        intersects: IntersectsParam | None = None,
        page_size: int = PAGE_SIZE,
        limit: int | None = None,
        cancel: CancelCheck = None,
        progress: Callable[[int, int | None], None] | None = None,
    ):
        self.client = client
        self.params = params
        self.intersects = intersects
        self.page_size = page_size
        self.limit = limit
        self.cancel = cancel
        self.progress = progress
        self._first = self._page(0)
        self.total: int = _count(self._first)
        # without a count, the first page's size is no total: read on until an empty page (a short
        # page may only be the server's own page size)
        self.counted = any(self._first.get(key) is not None for key in COUNT_KEYS)

    def _page(self, offset: int) -> dict:
        raise_if_cancelled(self.cancel)
        size = self.page_size if self.limit is None else max(0, min(self.page_size, self.limit - offset))
        data = self.client.get_json(PLUMES_ANNOTATED, {**self.params, "limit": size, "offset": offset})
        return plume_page_from_json(data)

    def __iter__(self) -> Iterator[Plume]:
        page, offset, seen = self._first, 0, 0
        wanted = self.total if self.limit is None else min(self.total, self.limit)
        if not self.counted:
            wanted = self.limit
        guard = PageGuard(SERVICE, "plumes")  # bbox_count is not trusted to end the loop
        guard.ask(0)
        while True:
            items = page["items"]
            guard.page(len(items), *_ends(items))
            for item in items:
                plume = Plume.from_json(item)
                if self.intersects is None or self.intersects.keeps(_point(plume)):
                    yield plume
            seen += len(items)
            if self.progress is not None:
                self.progress(seen, wanted)
            offset += len(items)
            if not items or (wanted is not None and offset >= wanted):
                return
            guard.ask(offset)
            page = self._page(offset)


def search_plumes(
    client: CarbonMapperClient,
    *,
    aoi: BaseGeometry | dict | None = None,
    start=None,
    end=None,
    gas: str | None = None,
    emission_min: float | None = None,
    emission_max: float | None = None,
    status: str | None = "published",
    instrument: str | None = None,
    sectors: list[str] | tuple[str, ...] | None = None,
    extra: dict | None = None,
    page_size: int = PAGE_SIZE,
    limit: int | None = None,
    cancel: CancelCheck = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> PlumeSearch:
    """Search the annotated plumes; see :class:`PlumeSearch` and the module docstring."""
    params = plume_params(start=start, end=end, gas=gas, emission_min=emission_min, emission_max=emission_max,
                          status=status, instrument=instrument, sectors=sectors, extra=extra)
    intersects = None
    if aoi is not None:
        probe = {**params, "limit": page_size, "offset": 0}
        intersects = fit_intersects(aoi, client.url(PLUMES_ANNOTATED), probe)
        params["intersects"] = intersects.value
    return PlumeSearch(client, params, intersects=intersects, page_size=page_size, limit=limit,
                       cancel=cancel if cancel is not None else client.cancel, progress=progress)


def parse_time(value: str | None) -> dt.datetime | None:
    """An ISO 8601 time of the service ("...Z") as an aware UTC datetime, or None (also when unreadable)."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.timezone.utc)
        return parsed.astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved past the calendar's end
        return None


def plume_page_from_json(data: Any) -> dict:
    """A page of ``catalog/plumes/annotated``: an object with its ``items`` list and a readable count
    (items are read one by one with :meth:`Plume.from_json` as they are iterated)."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise MalformedAnswerError(f"{SERVICE} answered the plume search without its items.", field="items",
                                   service=SERVICE)
    _count(data)
    return data


def _count(page: dict) -> int:
    """The page's count of matching plumes (the first of :data:`COUNT_KEYS` it has)."""
    for key in COUNT_KEYS:
        count = as_int(page.get(key), key, SERVICE, minimum=0)
        if count is not None:
            return count
    return len(page["items"])


def _ends(items: list) -> tuple[str | None, str | None]:
    """The identities of a page's first and last record: their ``id``, else a fingerprint of the
    record (signed asset URLs may change from one request to the next: the id is preferred)."""
    if not items:
        return None, None

    def identity(item) -> str:
        key = item.get("id") if isinstance(item, dict) else None
        if (isinstance(key, str) and key) or (isinstance(key, int) and not isinstance(key, bool)):
            return f"id:{key}"
        return fingerprint(item)

    return identity(items[0]), identity(items[-1])


def _point(plume: Plume) -> Point | None:
    if plume.longitude is None or plume.latitude is None:
        return None
    return Point(plume.longitude, plume.latitude)
