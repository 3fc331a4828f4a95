"""Typed records built from M2M answers, tolerant of the real service's quirks.

The service sends cloud cover as a string ("44.79"), an int (13) or null; dates with or
without a UTC offset; footprints as GeoJSON under ``spatialCoverage`` (the scene's real
outline) or ``spatialBounds`` (its bounding box). Path, row and satellite are read from the
``metadata`` list when the service sends it (metadataType full) and otherwise parsed from
the Landsat display id (``LC09_L2SP_013035_20230326_...``) or entity id (``LC90130352023085LGN00``).
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Polygon, shape

from .compat import DATACLASS_SLOTS

LOG = logging.getLogger(__name__)

FOOTPRINT_FIELDS = (
    "entity_id", "display_id", "dataset", "acquired", "cloud_cover", "wrs_path", "wrs_row",
    "satellite", "browse_url", "thumbnail_url",
)

# LC09_L2SP_013035_20230326_20230328_02_T1 (Collection 1 and 2 product identifiers)
_DISPLAY_ID = re.compile(r"^L[A-Z](?P<sat>\d{2})_[A-Z0-9]{4}_(?P<path>\d{3})(?P<row>\d{3})_(?P<date>\d{8})_")
# LC90130352023085LGN00 (Landsat scene identifier: sensor, satellite, path, row, year, day of year)
_ENTITY_ID = re.compile(r"^L[A-Z](?P<sat>\d)(?P<path>\d{3})(?P<row>\d{3})(?P<year>\d{4})(?P<doy>\d{3})[A-Z]{3}\d{2}$")


@dataclass(frozen=True, **DATACLASS_SLOTS)  # slots: 50,000 of them stay small and quick for the collector
class Scene:
    entity_id: str
    display_id: str
    dataset: str
    acquired: datetime.date | None = None
    cloud_cover: float | None = None
    footprint: Any = field(default=None, compare=False, hash=False)  # shapely geometry, EPSG:4326
    browse_url: str | None = None
    thumbnail_url: str | None = None
    publish_date: str | None = None
    wrs_path: int | None = None
    wrs_row: int | None = None
    satellite: int | None = None


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


def parse_float(value: Any) -> float | None:
    """Cloud cover and similar numbers: "44.79", 13, null, "" -> float or None (negative = unknown)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if number != number or number < 0:  # NaN, or Landsat's -1 "unknown"
        return None
    return number


def parse_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(float(str(value).strip()))
    except ValueError:
        return None


def parse_date(value: Any) -> datetime.date | None:
    """"2023-03-26 00:00:00", "2000-12-10 00:00:00-06", "2023/03/26" -> the calendar date written."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()[:10].replace("/", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_geometry(value: Any):
    if not isinstance(value, dict) or not value.get("type"):
        return None
    coordinates = value.get("coordinates")
    if value["type"] == "Polygon" and isinstance(coordinates, list) and len(coordinates) == 1:
        try:  # the usual footprint: one ring; Polygon() directly is much faster than shape()
            return Polygon(coordinates[0]) if len(coordinates[0]) >= 4 else None
        except Exception:  # noqa: BLE001 - fall through to the general reader
            pass
    try:
        geometry = shape(value)
    except Exception:  # noqa: BLE001 - a malformed footprint must not lose the scene
        LOG.debug("unreadable footprint %r", str(value)[:200])
        return None
    return None if geometry.is_empty else geometry


def parse_landsat_id(display_id: str | None, entity_id: str | None) -> dict[str, Any]:
    """Path, row, satellite (and acquisition date) read from Landsat identifiers, when they are ones."""
    match = _DISPLAY_ID.match(display_id or "")
    if match:
        acquired = parse_date(f"{match['date'][:4]}-{match['date'][4:6]}-{match['date'][6:]}")
        return {"satellite": int(match["sat"]), "wrs_path": int(match["path"]), "wrs_row": int(match["row"]),
                "acquired": acquired}
    match = _ENTITY_ID.match(entity_id or "")
    if match:
        try:
            acquired = datetime.date(int(match["year"]), 1, 1) + datetime.timedelta(days=int(match["doy"]) - 1)
        except ValueError:
            acquired = None
        return {"satellite": int(match["sat"]), "wrs_path": int(match["path"]), "wrs_row": int(match["row"]),
                "acquired": acquired}
    return {}


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
            parsed = parse_date(raw) if key == "acquired" else parse_int(raw)
            if parsed is not None:
                values[key] = parsed
    return values


def scene_from_result(result: dict, dataset: str) -> Scene:
    """A :class:`Scene` from one ``scene-search`` result item."""
    # called 50,000 times for a full search: plain lookups, no generators
    entity_id = str(result.get("entityId") or "")
    display_id = str(result.get("displayId") or entity_id)
    from_id = parse_landsat_id(display_id, entity_id)
    metadata = result.get("metadata")
    from_metadata = _metadata_values(metadata) if metadata else {}
    temporal = result.get("temporalCoverage")
    acquired = (parse_date(temporal.get("startDate")) if isinstance(temporal, dict) else None) \
        or from_metadata.get("acquired") or from_id.get("acquired")
    footprint = parse_geometry(result.get("spatialCoverage")) or parse_geometry(result.get("spatialBounds"))
    browse = result.get("browse")
    first = browse[0] if isinstance(browse, list) and browse and isinstance(browse[0], dict) else {}
    return Scene(
        entity_id,
        display_id,
        dataset,
        acquired,
        parse_float(result.get("cloudCover")),
        footprint,
        first.get("browsePath") or None,
        first.get("thumbnailPath") or None,
        result.get("publishDate") or None,
        from_metadata.get("wrs_path", from_id.get("wrs_path")),
        from_metadata.get("wrs_row", from_id.get("wrs_row")),
        from_metadata.get("satellite", from_id.get("satellite")),
    )


# hashlib names for the checksum ids the service uses ("cksum" is the POSIX CRC: not checked)
_CHECKSUM_ALGORITHMS = {"sha256sum": "sha256", "sha256": "sha256", "md5sum": "md5", "md5": "md5",
                        "sha1sum": "sha1", "sha512sum": "sha512"}


def parse_checksum(value: Any) -> tuple[str, str] | None:
    """The strongest usable checksum of a ``checksum`` list ([{id, value}]), as (algorithm, digest)."""
    if not isinstance(value, list):
        return None
    found = {}
    for item in value:
        if isinstance(item, dict) and item.get("value"):
            algorithm = _CHECKSUM_ALGORITHMS.get(str(item.get("id") or "").lower())
            if algorithm:
                found[algorithm] = str(item["value"]).strip().lower()
    for algorithm in ("sha512", "sha256", "sha1", "md5"):
        if algorithm in found:
            return algorithm, found[algorithm]
    return None


def download_option_from_json(item: dict) -> DownloadOption:
    """A :class:`DownloadOption` from one ``download-options`` item (secondary files included)."""
    size = parse_int(item.get("filesize"))
    return DownloadOption(
        product_id=str(item.get("id") or ""),
        entity_id=str(item.get("entityId") or ""),
        display_id=str(item.get("displayId") or ""),
        available=item.get("available") in (True, "true", "True", 1, "Y"),
        filesize=size if size and size > 0 else None,
        product_name=str(item.get("productName") or ""),
        product_code=str(item.get("productCode") or ""),
        download_system=str(item.get("downloadSystem") or ""),
        secondary=tuple(download_option_from_json(s) for s in item.get("secondaryDownloads") or []
                        if isinstance(s, dict)),
        checksum=parse_checksum(item.get("checksum")),
        bulk_available=bool(item.get("bulkAvailable")),
    )
