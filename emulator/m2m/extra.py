"""The machinery shared by the emulated datasets beyond Landsat (Sentinel-2, NAIP, SRTM).

Each such dataset is an :class:`OtherDataset`: its dataset-filters, a small seeded catalog of
:class:`OtherScene` (built on first use), its products in download-options and the files behind
them (made by the dataset's module, cached by :mod:`.archives`). The Landsat catalog and bundles
stay as they are; the endpoints ask :mod:`.others` first whether a dataset, scene or product is
one of these.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import Polygon
from shapely.prepared import prep

from .render import stable_id

DICTIONARY = "https://www.usgs.gov/centers/eros/science/earthexplorer-data-dictionary"


class OtherScene:
    """One scene (tile, quarter quad, cell) of a dataset beyond Landsat."""

    __slots__ = ("index", "entity_id", "display_id", "ordinal", "cloud", "quad", "attrs", "publish_delay")

    def __init__(self, entity_id: str, display_id: str, acquired: dt.date, quad, cloud: float | None = None,
                 attrs: dict | None = None, publish_delay: int = 3):
        self.index = -1
        self.entity_id, self.display_id = entity_id, display_id
        self.ordinal = acquired.toordinal()
        self.cloud, self.quad = cloud, [tuple(p) for p in quad]
        self.attrs = dict(attrs or {})
        self.publish_delay = publish_delay

    def __getattr__(self, name: str):  # filter fields (tile, platform, state...) by name
        if name == "attrs":
            raise AttributeError(name)
        try:
            return self.attrs[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def acquired(self) -> dt.date:
        return dt.date.fromordinal(self.ordinal)

    @property
    def l2_date(self) -> dt.date:  # the date it was published (ingest filter)
        return dt.date.fromordinal(self.ordinal + self.publish_delay)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        lons, lats = [p[0] for p in self.quad], [p[1] for p in self.quad]
        return min(lons), min(lats), max(lons), max(lats)

    def cloud_text(self) -> str | None:
        return None if self.cloud is None else f"{self.cloud:.2f}"


@dataclass
class Product:
    """A product of download-options; ``make(cache_dir, scene)`` returns the file (built on first use)."""

    product_id: str
    code: str
    name: str
    size: int
    file_name: Callable[[OtherScene], str]
    make: Callable[[Path, OtherScene], Path] | None  # None: listed, never available
    content_type: str = "application/octet-stream"
    system: str = "dds"

    @property
    def available(self) -> bool:
        return self.make is not None


def filter_entry(alias: str, label: str, sql: str, kind: str, anchor: str, values: dict | None = None,
                 size: int = 40) -> dict:
    """A dataset-filters entry shaped like the recorded ones (ids derived from the label)."""
    if kind == "Text":
        config = {"type": "Text", "filters": [{"type": "StringToUpper", "options": []},
                                              {"type": "Application\\Filter\\Like", "options": []}],
                  "options": {"size": str(size)}, "validators": [], "numElements": "5", "displayListId": None}
    elif kind == "Select":
        config = {"type": "Select", "filters": [], "options": {"size": "4", "multiple": True}, "validators": [],
                  "numElements": 1, "displayListId": stable_id("list", alias, label)[:4]}
    else:
        config = {"type": "Range", "filters": [], "options": [], "validators": [], "numElements": 1,
                  "displayListId": None}
    entry = {"id": stable_id("filter", alias, label), "legacyFieldId": None,
             "dictionaryLink": f"{DICTIONARY}#{anchor}", "fieldConfig": config, "fieldLabel": label,
             "searchSql": sql}
    if values is not None:
        entry["valueList"] = values
    return entry


@dataclass
class OtherDataset:
    alias: str
    dataset_id: str
    collection_name: str
    filters: list[tuple[dict, str]]  # (dataset-filters entry, scene attribute it searches)
    products: list[Product]
    make_scenes: Callable[[], list[OtherScene]]
    metadata: Callable[[OtherScene], list[tuple[str, str]]]
    _scenes: list[OtherScene] | None = None
    by_entity: dict[str, OtherScene] = field(default_factory=dict)
    by_display: dict[str, OtherScene] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _json: dict = field(default_factory=dict)

    @property
    def scenes(self) -> list[OtherScene]:
        if self._scenes is None:
            with self._lock:
                if self._scenes is None:
                    scenes = sorted(self.make_scenes(), key=lambda s: (s.ordinal, s.entity_id))
                    for index, scene in enumerate(scenes):
                        scene.index = index
                    self.by_entity = {s.entity_id: s for s in scenes}
                    self.by_display = {s.display_id: s for s in scenes}
                    self._scenes = scenes
        return self._scenes

    @property
    def filter_entries(self) -> list[dict]:
        return [entry for entry, _ in self.filters]

    @property
    def filter_fields(self) -> tuple[dict, dict]:
        """({filter id: scene attribute}, {filter id: field type}) for :mod:`.filters`."""
        return ({e["id"]: f for e, f in self.filters}, {e["id"]: e["fieldConfig"]["type"] for e, _ in self.filters})

    def find(self, entity_id, id_type: str = "entityId") -> OtherScene | None:
        self.scenes  # noqa: B018 - builds the indexes
        if not isinstance(entity_id, str):
            return None
        return (self.by_display if id_type == "displayId" else self.by_entity).get(entity_id)

    def product(self, product_id) -> Product | None:
        return next((p for p in self.products if p.product_id == product_id), None)

    def search(self, geometry=None, start: int | None = None, end: int | None = None, predicate=None) -> list:
        prepared = prep(geometry) if geometry is not None else None
        found = []
        for scene in self.scenes:
            if (start is not None and scene.ordinal < start) or (end is not None and scene.ordinal > end):
                continue
            if predicate is not None and not predicate(scene):
                continue
            if prepared is not None and not prepared.intersects(Polygon(scene.quad)):
                continue
            found.append(scene)
        return found

    # -- answers ------------------------------------------------------------------------
    def options(self, scene: OtherScene) -> list[dict]:
        return [{
            "id": p.product_id, "displayId": scene.display_id, "entityId": scene.entity_id,
            "datasetId": self.dataset_id, "available": p.available, "downloadName": None,
            "filesize": p.size, "productName": p.name, "productCode": p.code, "bulkAvailable": p.available,
            "downloadSystem": p.system, "secondaryDownloads": [],
        } for p in self.products]

    def scene_json(self, scene: OtherScene, full: bool) -> str:
        key = (scene.index, full)
        text = self._json.get(key)
        if text is None:
            text = json.dumps(self._scene_dict(scene, full), separators=(",", ":"))
            self._json[key] = text
        return text

    def _scene_dict(self, scene: OtherScene, full: bool) -> dict:
        day = f"{scene.acquired:%Y-%m-%d} 00:00:00"
        ring = [[round(x, 5), round(y, 5)] for x, y in scene.quad]
        west, south, east, north = scene.bounds
        box = [[west, south], [west, north], [east, north], [east, south], [west, south]]
        metadata = [{"id": stable_id("metadata", self.alias, label), "fieldName": label,
                     "dictionaryLink": f"{DICTIONARY}#{label.lower().replace(' ', '_')}", "value": value}
                    for label, value in self.metadata(scene)] if full else []
        return {
            "browse": [], "cloudCover": scene.cloud_text(), "entityId": scene.entity_id,
            "displayId": scene.display_id, "orderingId": scene.entity_id if full else None, "metadata": metadata,
            "hasCustomizedMetadata": False,
            "options": {"bulk": True, "download": True, "order": False, "secondary": False},
            "selected": {"bulk": False, "compare": False, "order": False},
            "spatialBounds": {"type": "Polygon", "coordinates": [box]},
            "spatialCoverage": {"type": "Polygon", "coordinates": [ring + [ring[0]]]},
            "temporalCoverage": {"endDate": day, "startDate": day},
            "publishDate": f"{scene.l2_date:%Y-%m-%d} 09:12:44-05",
        }
