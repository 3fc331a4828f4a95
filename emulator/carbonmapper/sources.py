"""Sources (places plumes repeat at): ``catalog/sources.geojson``, ``catalog/sources-csv`` and
``catalog/source/plume/name/<plume>``, shaped like the recorded responses.

A source's observation dates are the days of the scenes whose footprint covers it, its detection
dates the days of its published plumes; persistence = detections / observations.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import numpy as np
from shapely.geometry import Point, Polygon

from .catalog import SECTOR_LABELS, Catalog
from .records import Signer, plume_record, scene_time

SOURCES_CSV_COLUMNS = ("source_name", "source_latitude", "source_longitude", "gas", "observation_date_count",
                       "detection_date_count", "source_persistence", "source_emission", "source_emission_uncertainty",
                       "ipcc_sector")


def _day(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d")


def observing_scenes(catalog: Catalog, index: int) -> list[int]:
    key = ("observing", index)
    found = catalog.memo.get(key)
    if found is None:
        found = catalog.memo[key] = _observing_scenes(catalog, index)
    return found


def _observing_scenes(catalog: Catalog, index: int) -> list[int]:
    source = catalog.sources[index]
    bbox = catalog.scenes.bbox
    near = np.flatnonzero((bbox[:, 0] <= source.lon) & (bbox[:, 2] >= source.lon)
                          & (bbox[:, 1] <= source.lat) & (bbox[:, 3] >= source.lat))
    point = Point(source.lon, source.lat)
    return [int(i) for i in near if Polygon(catalog.scenes.rings[i]).covers(point)]


def _summary(catalog: Catalog, index: int, plume_indices: list[int]) -> dict:
    plumes, scenes = catalog.plumes, catalog.scenes
    observed = sorted({_day(scenes.timestamps[i]) for i in observing_scenes(catalog, index)})
    detected = sorted({_day(scenes.timestamps[plumes.scene[j]]) for j in plume_indices})
    emissions = [float(plumes.emission[j]) for j in plume_indices if not np.isnan(plumes.emission[j])]
    uncertainties = [float(plumes.uncertainty[j]) for j in plume_indices if not np.isnan(plumes.uncertainty[j])]
    observed = sorted(set(observed) | set(detected))
    return {
        "observation_dates": observed, "detection_dates": detected,
        "persistence": len(detected) / len(observed) if observed else 0.0,
        "emission": sum(emissions) / len(emissions) if emissions else None,
        "uncertainty": sum(uncertainties) / len(uncertainties) if uncertainties else None,
    }


def group_by_source(catalog: Catalog, plume_indices) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for j in plume_indices:
        groups.setdefault(int(catalog.plumes.source[j]), []).append(int(j))
    return groups


def sources_geojson(catalog: Catalog, plume_indices) -> dict:
    plumes, scenes = catalog.plumes, catalog.scenes
    features = []
    for cluster, (index, members) in enumerate(sorted(group_by_source(catalog, plume_indices).items())):
        source = catalog.sources[index]
        summary = _summary(catalog, index, members)
        lons, lats = plumes.lon[members], plumes.lat[members]
        stamps = scenes.timestamps[plumes.scene[members]]
        published = plumes.published[members]
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lons.mean()), float(lats.mean())]},
            "properties": {
                "cluster_id": cluster, "gas": source.gas, "sector": source.sector, "plume_count": len(members),
                "plume_ids": [plumes.names[j] for j in members],
                "emission_auto": summary["emission"], "emission_uncertainty_auto": summary["uncertainty"],
                "published_at_max": _day(published.max()), "published_at_min": _day(published.min()),
                "timestamp_max": _day(stamps.max()), "timestamp_min": _day(stamps.min()),
                "date_count": len(summary["detection_dates"]), "persistence": summary["persistence"],
                "source_name": source.name,
            },
            "id": index,
            "bbox": [float(lons.min()), float(lats.min()), float(lons.max()), float(lats.max())],
        })
    return {"type": "FeatureCollection", "features": features}


def sources_csv(catalog: Catalog, plume_indices) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SOURCES_CSV_COLUMNS)
    for index, members in sorted(group_by_source(catalog, plume_indices).items()):
        source = catalog.sources[index]
        summary = _summary(catalog, index, members)
        writer.writerow([source.name, source.lat, source.lon, source.gas, len(summary["observation_dates"]),
                         len(summary["detection_dates"]), summary["persistence"],
                         "" if summary["emission"] is None else summary["emission"],
                         "" if summary["uncertainty"] is None else summary["uncertainty"],
                         SECTOR_LABELS[source.sector]])
    return out.getvalue()


def source_of_plume(catalog: Catalog, plume_index: int, sign: Signer) -> dict:
    plumes, scenes = catalog.plumes, catalog.scenes
    index = int(plumes.source[plume_index])
    source = catalog.sources[index]
    members = [j for j in source.plumes if plumes.status[j] == "published"] or [plume_index]
    summary = _summary(catalog, index, members)
    observing = sorted(set(observing_scenes(catalog, index)) | {int(plumes.scene[j]) for j in members})
    return {
        "plumes": [plume_record(catalog, j, sign) for j in members],
        "scenes": [{"id": scenes.ids[i], "name": scenes.names[i], "timestamp": scene_time(catalog, i),
                    "instrument": scenes.instruments[i]} for i in observing],
        "point": {"type": "Point", "coordinates": [source.lon, source.lat]},
        "source_name": source.name,
        "source": {"gas": source.gas, "sector": source.sector, "persistence": summary["persistence"],
                   "emission_auto": summary["emission"], "emission_uncertainty_auto": summary["uncertainty"]},
        "observation_dates": summary["observation_dates"],
        "detection_dates": summary["detection_dates"],
        "explanation": None,
    }

