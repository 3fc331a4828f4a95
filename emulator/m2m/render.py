"""Scenes as the JSON the real scene-search and scene-metadata return, cached per scene as text."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading

from .catalog import Scene
from .datasets import BROWSE_CONFIGS, DICTIONARY, L2_DATASET
from .ims import browse_route, wms_route


def stable_id(*parts: object) -> str:
    """A 16-hex-digit identifier like the M2M ones, derived from ``parts``."""
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:16]


def _tz(day) -> str:
    """Central time's UTC offset, as EROS writes dates: DST from March's 2nd to November's 1st Sunday."""
    march = dt.date(day.year, 3, 8)
    november = dt.date(day.year, 11, 1)
    dst_start = march + dt.timedelta(days=(6 - march.weekday()) % 7)
    dst_end = november + dt.timedelta(days=(6 - november.weekday()) % 7)
    return "-05" if dst_start <= day < dst_end else "-06"


def publish_date(scene: Scene) -> str:
    day = scene.l2_date
    seconds = int(stable_id(scene.ordinal, scene.path, scene.row)[:6], 16) % 86400
    return f"{day:%Y-%m-%d} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}{_tz(day)}"


def _polygon(points) -> dict:
    ring = [[round(x, 5), round(y, 5)] for x, y in points]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def _bounds_polygon(scene: Scene) -> dict:
    west, south, east, north = scene.bounds
    return _polygon([(west, south), (west, north), (east, north), (east, south)])


def _metadata(scene: Scene) -> list[dict]:
    day = scene.acquired
    quad = scene.quad
    centre_lon = sum(p[0] for p in quad) / 4
    centre_lat = sum(p[1] for p in quad) / 4
    seconds = 15 * 3600 + int(stable_id(scene.entity_id)[:4], 16) % 1800
    start = f"{day.year}:{day.timetuple().tm_yday:03d}:{seconds // 3600:02d}:{seconds // 60 % 60:02d}:" \
            f"{seconds % 60:02d}.1234560"
    fields = [
        ("5e83d1507bc900d5", "Landsat Product Identifier L2", "landsat_product_id", scene.display_id),
        ("5e83d15012b8905f", "Landsat Product Identifier L1", "landsat_product_id", scene.l1_id),
        (None, "Landsat Scene Identifier", "landsat_scene_id", scene.entity_id),
        (None, "Date Acquired", "date_acquired", f"{day:%Y/%m/%d}"),
        (None, "Collection Category", "collection_category", scene.category),
        (None, "Collection Number", "collection_number", "2"),
        (None, "WRS Path", "wrs_path", f" {scene.path:03d}"),
        (None, "WRS Row", "wrs_row", f" {scene.row:03d}"),
        (None, "Target WRS Path", "target_wrs_path", f" {scene.path:03d}"),
        (None, "Target WRS Row", "target_wrs_row", f" {scene.row:03d}"),
        (None, "Nadir/Off Nadir", "nadir_offnadir", scene.nadir),
        (None, "Roll Angle", "roll_angle", "-0.001"),
        (None, "Date Product Generated L2", "date_product_generated", f"{scene.l2_date:%Y/%m/%d}"),
        (None, "Date Product Generated L1", "date_product_generated", f"{scene.l2_date:%Y/%m/%d}"),
        (None, "Start Time", "start_time", start),
        (None, "Station Identifier", "station_id", "LGN"),
        (None, "Day/Night Indicator", "day_or_night", scene.day_night),
        (None, "Land Cloud Cover", "cloud_cover_land", "" if scene.land_cloud is None else f"{scene.land_cloud:.2f}"),
        (None, "Scene Cloud Cover L1", "cloud_cover", scene.cloud_text() or ""),
        (None, "Satellite", "satellite", str(scene.satellite)),
        (None, "Sensor Identifier", "sensor_id", scene.sensor),
        (None, "Data Type L2", "data_type_l2", "OLI_TIRS_L2SP"),
        (None, "Center Latitude dec", "coordinates_decimal", f"{centre_lat:.5f}"),
        (None, "Center Longitude dec", "coordinates_decimal", f"{centre_lon:.5f}"),
    ]
    for label, (lon, lat) in zip(("LL", "LR", "UR", "UL"), quad, strict=False):
        fields.append((None, f"{label} Corner Lat dec", "coordinates_decimal", f"{lat:.5f}"))
        fields.append((None, f"{label} Corner Long dec", "coordinates_decimal", f"{lon:.5f}"))
    return [
        {"id": field_id or stable_id("metadata", label), "fieldName": label,
         "dictionaryLink": f"{DICTIONARY}#{anchor}", "value": value}
        for field_id, label, anchor, value in fields
    ]


class SceneRenderer:
    """Builds (and caches) the JSON text of each scene for scene-search pages."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self._cache: dict[tuple[int, bool], str] = {}
        self._lock = threading.Lock()

    def browse(self, scene: Scene, display_id: str | None = None) -> list[dict]:
        """The browse entries as USGS shapes them: the reflective entry's overlay is a per-scene WMS
        (``dmid_wms``) for every other scene and a browse JPEG (``file``) for the rest; the thermal
        entry's is a JPEG. Thumbnails come from LandsatLook's gen-browse."""
        display_id = display_id or scene.display_id
        ims = f"{self.base_url}/ims/"
        entries = []
        for config, kind in zip(BROWSE_CONFIGS, ("refl", "therm"), strict=False):
            url = f"{self.base_url}/landsatlook/gen-browse?type={kind}&product_id={display_id}&size="
            jpeg = ims + browse_route(L2_DATASET, scene, kind)
            wms = kind == "refl" and scene.index % 2 == 0
            entries.append({
                "id": config["id"], "browseRotationEnabled": False, "browseName": config["browseName"],
                "browsePath": jpeg, "overlayPath": ims + wms_route(L2_DATASET, scene) if wms else jpeg,
                "overlayType": "dmid_wms" if wms else "file", "thumbnailPath": url + "thumb",
            })
        return entries

    def scene_dict(self, scene: Scene, full: bool) -> dict:
        day = f"{scene.acquired:%Y-%m-%d} 00:00:00"
        display_id = scene.display_id
        return {
            "browse": self.browse(scene, display_id),
            "cloudCover": scene.cloud_text(),
            "entityId": scene.entity_id,
            "displayId": display_id,
            "orderingId": scene.entity_id if full else None,  # as recorded: null in searches, set in metadata
            "metadata": _metadata(scene) if full else [],
            "hasCustomizedMetadata": False,
            "options": {"bulk": True, "download": True, "order": False, "secondary": False},
            "selected": {"bulk": False, "compare": False, "order": False},
            "spatialBounds": _bounds_polygon(scene),
            "spatialCoverage": _polygon(scene.quad),
            "temporalCoverage": {"endDate": day, "startDate": day},
            "publishDate": publish_date(scene),
        }

    def scene_json(self, scene: Scene, full: bool = False) -> str:
        key = (scene.index, full)
        text = self._cache.get(key)
        if text is None:
            text = json.dumps(self.scene_dict(scene, full), separators=(",", ":"))
            with self._lock:
                self._cache[key] = text
        return text
