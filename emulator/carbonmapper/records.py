"""Catalog rows rendered as the service renders them: plume and scene JSON, CSV rows, asset paths.

Field names, order and value types follow the recorded 2026 responses (fixtures/carbonmapper).
Asset URLs point at the emulator's asset gateway ``catalog/asset/<collection>/<Y>/<M>/<D>/<id>/
<id>_<collection>_<asset>``: STAC hrefs carry no query (a bearer token is needed), the URLs in
plume records are signed with ``Expires`` and ``Signature`` like the service's CloudFront URLs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timezone

from .catalog import PLATFORMS, SECTOR_LABELS, Catalog

PLUME_VERSION = "v3a"


def iso(epoch: float, millis: bool = True) -> str:
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def scene_time(catalog: Catalog, index: int) -> str:
    """Tanager scenes carry milliseconds, the older instruments whole seconds (as recorded)."""
    return iso(catalog.scenes.timestamps[index], millis=catalog.scenes.instruments[index] == "tan")


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def plume_collection(gas: str, level: str = "l3a-vis") -> str:
    return f"{level}-ch4-mfa-{PLUME_VERSION}" if gas == "CH4" else f"{level}-co2-mfal-{PLUME_VERSION}"


def asset_path(collection: str, epoch: float, item_id: str, asset: str) -> str:
    """``<coll>/<Y>/<M>/<D>/<id>/<id>_<coll>_<asset>``, the key of an asset in the service's bucket."""
    day = datetime.fromtimestamp(epoch, timezone.utc)
    return f"{collection}/{day:%Y/%m/%d}/{item_id}/{item_id}_{collection}_{asset}"


Signer = Callable[[str], str]  # asset path -> absolute signed URL


def plume_asset_paths(catalog: Catalog, j: int) -> dict[str, str]:
    plumes = catalog.plumes
    name, stamp = plumes.names[j], catalog.scenes.timestamps[plumes.scene[j]]
    vis, ime = plume_collection(plumes.gas[j]), plume_collection(plumes.gas[j], "l3a-ime")
    return {
        "plume_png": asset_path(vis, stamp, name, "plume.png"),
        "plume_rgb_png": asset_path(vis, stamp, name, "plume-rgb.png"),
        "plume_tif": asset_path(vis, stamp, name, "plume.tif"),
        "con_tif": asset_path(ime, stamp, name, "ime-cmf-concentrations.tif"),
        "rgb_png": asset_path(vis, stamp, name, "rgb.png"),
        "rgb_tif": asset_path(vis, stamp, name, "rgb.tif"),
    }


def plume_record(catalog: Catalog, j: int, sign: Signer) -> dict:
    plumes, scenes = catalog.plumes, catalog.scenes
    i = int(plumes.scene[j])
    instrument = scenes.instruments[i]
    tanager = instrument == "tan"
    emission = _number(plumes.emission[j])
    paths = plume_asset_paths(catalog, j)
    cmf = "mfa" if plumes.gas[j] == "CH4" else "mfal"
    return {
        "id": plumes.ids[j],
        "plume_id": plumes.names[j],
        "gas": plumes.gas[j],
        "geometry_json": {"bbox": None, "type": "Point", "coordinates": [float(plumes.lon[j]), float(plumes.lat[j])]},
        "scene_id": scenes.ids[i],
        "scene_timestamp": scene_time(catalog, i),
        "instrument": instrument,
        "mission_phase": "production",
        "platform": PLATFORMS[instrument],
        "emission_auto": emission,
        "emission_uncertainty_auto": _number(plumes.uncertainty[j]),
        "emission_cmf_type": cmf,
        "gsd": 30.0 + (j % 97) / 16 if tanager else None,
        "sensitivity_mode": "maximum_sensitivity" if tanager else None,
        "off_nadir": float(j % 23) if tanager else None,
        "plume_png": sign(paths["plume_png"]),
        "plume_rgb_png": sign(paths["plume_rgb_png"]),
        "plume_tif": sign(paths["plume_tif"]),
        "con_tif": sign(paths["con_tif"]),
        "rgb_png": sign(paths["rgb_png"]),
        "plume_bounds": [float(v) for v in plumes.bounds[j]],
        "plume_quality": plumes.quality[j],
        "wind_speed_avg_auto": float(plumes.wind_speed[j]),
        "wind_direction_avg_auto": float(plumes.wind_direction[j]),
        "emission_version": PLUME_VERSION,
        "processing_software": "3.104.0" if tanager else "3.25.1",
        "publication_sources": [],
        "is_offshore": False,
        "collection": "l2c-ch4-v0" if plumes.gas[j] == "CH4" else "l2c-co2-v0",
        "cmf_type": cmf,
        "sector": plumes.sector[j],
        "status": plumes.status[j],
        "hide_emission": emission is None,
        "published_at": iso(plumes.published[j]),
        "modified": iso(plumes.published[j] - 0.002),
    }


def scene_record(catalog: Catalog, i: int) -> dict:
    scenes, plumes = catalog.scenes, catalog.plumes
    statuses = [plumes.status[j] for j in scenes.plumes[i]]
    published = [plumes.published[j] for j in scenes.plumes[i] if plumes.status[j] == "published"]
    ring = [list(point) for point in scenes.rings[i]]
    return {
        "id": scenes.ids[i],
        "name": scenes.names[i],
        "instrument": scenes.instruments[i],
        "platform": PLATFORMS[scenes.instruments[i]],
        "timestamp": scene_time(catalog, i),
        "cloud_cover_pct": int(scenes.cloud[i]) if scenes.cloud_known[i] else None,
        "bounds": [float(v) for v in scenes.bbox[i]],
        "geometry_json": {"type": "Polygon", "coordinates": [ring]},
        "previews": None,
        "plume_count": len(statuses),
        "deleted_plume_count": statuses.count("deleted"),
        "hidden_plume_count": statuses.count("hidden"),
        "published_plume_count": statuses.count("published"),
        "assignment_count": 0,
        "assessment_count": 0,
        "assessment_status": None,
        "quick_look": bool(scenes.quick_look[i]),
        "published_at": iso(min(published)) if published else None,
        "modified": iso(scenes.created[i]),
        "created": iso(scenes.created[i]),
    }


# catalog/plume-csv columns (2024 PlumeCSVColumn enum, in that order)
PLUME_CSV_COLUMNS = (
    "plume_id", "plume_latitude", "plume_longitude", "datetime", "ipcc_sector", "gas", "cmf_type", "plume_bounds",
    "instrument", "published_at", "plume_png_object", "plume_tif_object", "rgb_png_object", "rgb_tif_object",
    "emission_auto", "emission_uncertainty_auto", "wind_speed_avg_auto", "wind_speed_std_auto",
    "wind_direction_avg_auto", "wind_direction_std_auto", "wind_source_auto", "plume_tif", "plume_png", "rgb_tif",
    "rgb_png",
)


def _cell(value) -> str:
    return "" if value is None else str(value)


def plume_csv_row(catalog: Catalog, j: int, sign: Signer) -> dict[str, str]:
    plumes = catalog.plumes
    paths = plume_asset_paths(catalog, j)
    emission = _number(plumes.emission[j])
    row = {
        "plume_id": plumes.names[j],
        "plume_latitude": float(plumes.lat[j]),
        "plume_longitude": float(plumes.lon[j]),
        "datetime": scene_time(catalog, int(plumes.scene[j])),
        "ipcc_sector": SECTOR_LABELS[plumes.sector[j]],
        "gas": plumes.gas[j],
        "cmf_type": "mfa" if plumes.gas[j] == "CH4" else "mfal",
        "plume_bounds": "[" + ", ".join(repr(float(v)) for v in plumes.bounds[j]) + "]",
        "instrument": catalog.scenes.instruments[int(plumes.scene[j])],
        "published_at": iso(plumes.published[j]),
        "plume_png_object": paths["plume_png"],
        "plume_tif_object": paths["plume_tif"],
        "rgb_png_object": paths["rgb_png"],
        "rgb_tif_object": paths["rgb_tif"],
        "emission_auto": emission,
        "emission_uncertainty_auto": _number(plumes.uncertainty[j]),
        "wind_speed_avg_auto": float(plumes.wind_speed[j]),
        "wind_speed_std_auto": round(float(plumes.wind_speed[j]) / 4, 6),
        "wind_direction_avg_auto": float(plumes.wind_direction[j]),
        "wind_direction_std_auto": round(float(plumes.wind_direction[j]) % 30, 6),
        "wind_source_auto": "hrrr" if plumes.lon[j] < -60 and plumes.lat[j] > 20 else "era5",
        "plume_tif": sign(paths["plume_tif"]),
        "plume_png": sign(paths["plume_png"]),
        "rgb_tif": sign(paths["rgb_tif"]),
        "rgb_png": sign(paths["rgb_png"]),
    }
    return {key: _cell(value) for key, value in row.items()}
