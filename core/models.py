"""Typed records built from M2M answers, tolerant of the real service's quirks.

Every field is read through :mod:`.parsing` (a value already of the expected type is taken as it
is, on the hot path of a search): a value of the wrong type, a non-finite number or a negative
size raises :class:`.errors.MalformedAnswerError` naming the field, never a TypeError or
OverflowError. What stays tolerant is what the real service is known to vary
(below), and the footprint: a scene whose footprint cannot be read keeps its other fields.

The service sends cloud cover as a string ("44.79"), an int (13) or null; dates with or
without a UTC offset; footprints as GeoJSON under ``spatialCoverage`` (the scene's real
outline) or ``spatialBounds`` (its bounding box). Path, row and satellite are read from the
``metadata`` list when the service sends it (metadataType full) and otherwise parsed from
the Landsat display id or entity id (:mod:`.landsat_ids`).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from .compat import DATACLASS_SLOTS
from .errors import MalformedAnswerError
from .landsat_ids import landsat_id, landsat_id_date
from .parsing import (
    as_dict,
    as_finite_float,
    as_flag,
    as_geometry,
    as_int,
    as_list,
    as_list_of_dicts,
    as_opt_str,
    as_str,
    as_url,
    malformed,
)
from .rings import PolygonRing, plain_ring

LOG = logging.getLogger(__name__)

SERVICE = "USGS M2M"

FOOTPRINT_FIELDS = (
    "entity_id", "display_id", "dataset", "acquired", "cloud_cover", "wrs_path", "wrs_row",
    "satellite", "browse_url", "thumbnail_url", "overlay_type", "overlay_url",
)
# The browse overlays Scene Finder can put on the map: a WMS, or a JPEG placed on the footprint's corners
OVERLAY_TYPES = ("dmid_wms", "file")

_set = object.__setattr__  # how a frozen dataclass sets its fields


@dataclass(frozen=True, init=False, **DATACLASS_SLOTS)  # slots: 50,000 of them stay small and quick for the collector
class Scene:
    """One scene of a search. ``footprint`` is a shapely geometry in EPSG:4326 (or None); a search keeps
    the plain ring the service sent (:class:`.rings.PolygonRing`) and makes the geometry on first use."""

    entity_id: str
    display_id: str
    dataset: str
    acquired: datetime.date | None = None
    cloud_cover: float | None = None
    stored_footprint: Any = field(default=None, compare=False, hash=False, repr=False)
    browse_url: str | None = None
    thumbnail_url: str | None = None
    publish_date: str | None = None
    wrs_path: int | None = None
    wrs_row: int | None = None
    satellite: int | None = None
    overlay_type: str | None = None  # one of OVERLAY_TYPES, from the first browse entry that has one
    overlay_url: str | None = None

    def __init__(self, entity_id: str, display_id: str, dataset: str, acquired: datetime.date | None = None,
                 cloud_cover: float | None = None, footprint: Any = None, browse_url: str | None = None,
                 thumbnail_url: str | None = None, publish_date: str | None = None, wrs_path: int | None = None,
                 wrs_row: int | None = None, satellite: int | None = None, overlay_type: str | None = None,
                 overlay_url: str | None = None) -> None:
        # what a frozen dataclass's own __init__ does, written out (50,000 calls per search)
        _set(self, "entity_id", entity_id)
        _set(self, "display_id", display_id)
        _set(self, "dataset", dataset)
        _set(self, "acquired", acquired)
        _set(self, "cloud_cover", cloud_cover)
        _set(self, "stored_footprint", footprint)
        _set(self, "browse_url", browse_url)
        _set(self, "thumbnail_url", thumbnail_url)
        _set(self, "publish_date", publish_date)
        _set(self, "wrs_path", wrs_path)
        _set(self, "wrs_row", wrs_row)
        _set(self, "satellite", satellite)
        _set(self, "overlay_type", overlay_type)
        _set(self, "overlay_url", overlay_url)

    @property
    def footprint(self) -> Any:
        stored = self.stored_footprint
        if type(stored) is PolygonRing:
            stored = stored.polygon()
            _set(self, "stored_footprint", stored)  # made once
        return stored


@dataclass(frozen=True)
class DownloadOption:
    """One product offered by ``download-options`` (or one of its secondary files)."""

    product_id: str
    entity_id: str
    display_id: str
    available: bool
    filesize: int | None
    product_name: str
    product_code: str
    download_system: str
    secondary: tuple[DownloadOption, ...] = ()
    checksum: tuple[str, str] | None = None  # (hashlib algorithm, hex digest)
    bulk_available: bool = False


def parse_float(value: Any, field: str = "cloudCover") -> float | None:
    """Cloud cover and similar numbers: "44.79", 13, null, "", "n/a" -> float or None (negative = unknown).

    Text that is no number means unknown; NaN, Infinity or a value that is neither text nor a
    number raises :class:`MalformedAnswerError`.
    """
    if type(value) is str:
        known = _FLOAT_TEXTS.get(value, _UNSEEN)
        if known is not _UNSEEN:
            return known
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return _remember(_FLOAT_TEXTS, value, None)
    number = as_finite_float(value, field, SERVICE)
    if number is None or number < 0:  # Landsat's -1 "unknown"
        number = None
    return _remember(_FLOAT_TEXTS, value, number) if type(value) is str else number


def parse_int(value: Any, field: str = "value", *, minimum: int | None = None) -> int | None:
    """An integer of an M2M answer (12, 12.0, "12"), or None for null and ""; see :func:`.parsing.as_int`."""
    return as_int(value, field, SERVICE, minimum=minimum)


def _lenient_int(value: Any) -> int | None:
    """An integer, or None for anything else (metadata values: the ids give path and row anyway)."""
    try:
        return as_int(value, "metadata", SERVICE)
    except MalformedAnswerError:
        return None


def parse_date(value: Any) -> datetime.date | None:
    """"2023-03-26 00:00:00", "2000-12-10 00:00:00-06", "2023/03/26" -> the calendar date written."""
    if not value or not isinstance(value, str):
        return None
    known = _DATE_TEXTS.get(value, _UNSEEN)
    if known is not _UNSEEN:
        return known
    text = value.strip()[:10].replace("/", "-")
    try:
        parsed = datetime.date.fromisoformat(text)
    except ValueError:
        parsed = None
    return _remember(_DATE_TEXTS, value, parsed)


# Texts already read: a search's 50,000 scenes share a few thousand dates and cloud covers, and a
# dictionary look-up is cheaper than reading the text again. Bounded: cleared when full.
_DATE_TEXTS: dict[str, datetime.date | None] = {}
_FLOAT_TEXTS: dict[str, float | None] = {}
_TEXTS_KEPT = 20_000
_UNSEEN = object()


def _remember(memo: dict, text: str, value: Any) -> Any:
    if len(memo) >= _TEXTS_KEPT:
        memo.clear()
    memo[text] = value
    return value


def parse_geometry(value: Any, field: str = "spatialCoverage"):
    """A footprint (shapely, EPSG:4326, or the :class:`.rings.PolygonRing` of a plain polygon), or None
    when absent or unreadable: it must not lose the scene."""
    if type(value) is dict and value.get("type") == "Polygon":
        ring = plain_ring(value.get("coordinates"))
        if ring is False:
            LOG.debug("unreadable footprint: a position is not a pair of finite numbers")
            return None
        if ring is not None:
            return ring
    try:
        return as_geometry(value, field, SERVICE)
    except MalformedAnswerError as error:
        LOG.debug("unreadable footprint: %s", error.service_message)
        return None


_METADATA_FIELDS = {
    "wrs path": "wrs_path", "wrs row": "wrs_row", "satellite": "satellite",
    "acquisition date": "acquired", "date acquired": "acquired", "start time": "acquired",
}


def _metadata_values(metadata: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if not isinstance(metadata, list):
        return values
    for item in metadata:
        if not isinstance(item, dict):
            continue
        name = str(item.get("fieldName") or "").strip().lower()
        key = _METADATA_FIELDS.get(name)
        if key and key not in values:
            raw = item.get("value")
            parsed = parse_date(raw) if key == "acquired" else _lenient_int(raw)
            if parsed is not None:
                values[key] = parsed
    return values


def scene_from_result(result: dict, dataset: str) -> Scene:
    """A :class:`Scene` from one ``scene-search`` result item; :class:`MalformedAnswerError` if it is none."""
    # 50,000 calls for a full search: a value of the expected type is taken as is, and only others go
    # through the :mod:`.parsing` readers (which accept or refuse them); no generators, few calls
    if type(result) is not dict:
        raise malformed("results[]", result, SERVICE)
    get = result.get
    entity_id = get("entityId")
    if type(entity_id) is not str:
        entity_id = as_str(entity_id, "results[].entityId", SERVICE)
    display_id = get("displayId")
    if type(display_id) is not str or not display_id:
        display_id = as_str(display_id, "results[].displayId", SERVICE) or entity_id
    metadata = get("metadata")
    from_metadata = _metadata_values(metadata) if metadata else _NO_VALUES
    from_id = landsat_id(display_id, entity_id)
    temporal = get("temporalCoverage")
    if type(temporal) is not dict:
        temporal = as_dict(temporal, "results[].temporalCoverage", SERVICE)
    acquired = parse_date(temporal.get("startDate")) or from_metadata.get("acquired")
    if acquired is None and from_id is not None:
        acquired = landsat_id_date(from_id[3])
    footprint = parse_geometry(get("spatialCoverage")) or parse_geometry(get("spatialBounds"), "spatialBounds")
    browse = get("browse")
    if type(browse) is not list:
        browse = as_list(browse, "results[].browse", SERVICE)
    if browse:
        first = browse[0]
        if type(first) is not dict:
            first = as_dict(first, "results[].browse[0]", SERVICE)
        browse_url = as_url(first.get("browsePath"), "results[].browse[0].browsePath", SERVICE)
        thumbnail_url = as_url(first.get("thumbnailPath"), "results[].browse[0].thumbnailPath", SERVICE)
        overlay_type, overlay_url = pick_overlay(browse)
    else:
        browse_url = thumbnail_url = overlay_type = overlay_url = None
    publish_date = get("publishDate")
    if type(publish_date) is not str or not publish_date:
        publish_date = as_opt_str(publish_date, "results[].publishDate", SERVICE)
    satellite, wrs_path, wrs_row = from_id[:3] if from_id is not None else (None, None, None)
    if from_metadata:
        satellite = from_metadata.get("satellite", satellite)
        wrs_path = from_metadata.get("wrs_path", wrs_path)
        wrs_row = from_metadata.get("wrs_row", wrs_row)
    return Scene(entity_id, display_id, dataset, acquired, parse_float(get("cloudCover"), "results[].cloudCover"),
                 footprint, browse_url, thumbnail_url, publish_date, wrs_path, wrs_row, satellite, overlay_type,
                 overlay_url)


_NO_VALUES: dict[str, Any] = {}


def pick_overlay(browse: list) -> tuple[str | None, str | None]:
    """``(overlayType, overlayPath)`` of the first browse entry with an overlay type in
    :data:`OVERLAY_TYPES` and a path; ``(None, None)`` when there is none."""
    for number, entry in enumerate(browse):
        if type(entry) is not dict:
            entry = as_dict(entry, f"results[].browse[{number}]", SERVICE)
        url = entry.get("overlayPath")
        if type(url) is not str:
            url = as_url(url, f"results[].browse[{number}].overlayPath", SERVICE)
        if url and entry.get("overlayType") in OVERLAY_TYPES:
            return entry["overlayType"], url
    return None, None


def check_scene_page(data: Any) -> dict:
    """One ``scene-search`` page, checked but for its scenes: ``results`` a list (of raw results),
    ``recordsReturned`` and ``totalHits`` integers >= 0 (or None), ``totalHitsAccuracy`` text (or None).

    A null page is an empty one; anything else that is not a page raises :class:`MalformedAnswerError`.
    """
    if data is None:
        return {}
    page = as_dict(data, "data", SERVICE, optional=False)
    page["results"] = as_list(page.get("results"), "results", SERVICE)
    page["recordsReturned"] = as_int(page.get("recordsReturned"), "recordsReturned", SERVICE, minimum=0)
    page["totalHits"] = as_int(page.get("totalHits"), "totalHits", SERVICE, minimum=0)
    page["totalHitsAccuracy"] = as_opt_str(page.get("totalHitsAccuracy"), "totalHitsAccuracy", SERVICE)
    return page


def scenes_of_page(results: list, dataset: str) -> list[Scene]:
    """A checked page's raw ``results`` as :class:`Scene` records (:class:`MalformedAnswerError` if one is none)."""
    return [scene_from_result(r, dataset) for r in results]


def scene_page_from_json(data: Any, dataset: str) -> dict:
    """:func:`check_scene_page`, with its ``results`` as :class:`Scene` records."""
    page = check_scene_page(data)
    if page:
        page["results"] = scenes_of_page(page["results"], dataset)
    return page


# hashlib names for the checksum ids the service uses ("cksum" is the POSIX CRC: not checked)
_CHECKSUM_ALGORITHMS = {"sha256sum": "sha256", "sha256": "sha256", "md5sum": "md5", "md5": "md5",
                        "sha1sum": "sha1", "sha512sum": "sha512"}


_HEX = frozenset("0123456789abcdef")


def parse_checksum(value: Any, field: str = "checksum") -> tuple[str, str] | None:
    """The strongest usable checksum of a ``checksum`` list ([{id, value}]), as (algorithm, digest).

    Unknown ids (``cksum``) are ignored; a known one whose value is not hexadecimal text raises
    :class:`MalformedAnswerError` (a file must not be rejected, or accepted, on a bad digest).
    """
    found = {}
    for item in as_list_of_dicts(value, field, SERVICE):
        name = item.get("id")
        algorithm = _CHECKSUM_ALGORITHMS.get(name.lower()) if isinstance(name, str) else None
        digest = item.get("value")
        if algorithm and digest:
            text = as_str(digest, f"{field}[].value", SERVICE).strip().lower()
            if not text or not _HEX.issuperset(text):
                raise malformed(f"{field}[].value", digest, SERVICE)
            found[algorithm] = text
    for algorithm in ("sha512", "sha256", "sha1", "md5"):
        if algorithm in found:
            return algorithm, found[algorithm]
    return None


def download_option_from_json(item: Any, field: str = "download-options[]", *,
                              secondary: bool = True) -> DownloadOption:
    """A :class:`DownloadOption` from one ``download-options`` item (secondary files included).

    :class:`MalformedAnswerError` when the item is not one. A secondary file's own
    ``secondaryDownloads`` are not read (the service nests one level only).
    """
    if not isinstance(item, dict):
        raise malformed(field, item, SERVICE)
    size = as_int(item.get("filesize"), f"{field}.filesize", SERVICE, minimum=0)
    secondaries = as_list_of_dicts(item.get("secondaryDownloads"), f"{field}.secondaryDownloads", SERVICE) \
        if secondary else []
    return DownloadOption(
        product_id=as_str(item.get("id"), f"{field}.id", SERVICE),
        entity_id=as_str(item.get("entityId"), f"{field}.entityId", SERVICE),
        display_id=as_str(item.get("displayId"), f"{field}.displayId", SERVICE),
        available=as_flag(item.get("available"), f"{field}.available", SERVICE),
        filesize=size or None,  # 0 means unknown
        product_name=as_str(item.get("productName"), f"{field}.productName", SERVICE),
        product_code=as_str(item.get("productCode"), f"{field}.productCode", SERVICE),
        download_system=as_str(item.get("downloadSystem"), f"{field}.downloadSystem", SERVICE),
        secondary=tuple(download_option_from_json(s, f"{field}.secondaryDownloads[]", secondary=False)
                        for s in secondaries),
        checksum=parse_checksum(item.get("checksum"), f"{field}.checksum"),
        bulk_available=as_flag(item.get("bulkAvailable"), f"{field}.bulkAvailable", SERVICE),
    )
