"""The STAC API under ``stac/``: landing page, collections, items, item search (GET and POST).

Scenes are items of the L2B collections (id = scene name), published plumes of the L3A/L4A ones
(id = plume name). Search supports ``collections``, ``ids``, ``bbox``, ``intersects``, ``datetime``,
``limit`` (default 10, at most 1000), the query extension (``{"query": {"cm:emission": {"gt": 3000}}}``;
operators eq, neq, lt, lte, gt, gte, in) and paging by an opaque ``token`` in the ``next`` link.
Asset hrefs are the bearer-protected gateway ``catalog/asset/<key>``.
"""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

import numpy as np
from shapely.geometry import Polygon, box, shape
from shapely.prepared import prep

from ..http import Response, json_response
from .catalog import PLATFORMS, Catalog
from .query import GEOMETRY_ERRORS, QueryError, parse_interval
from .records import asset_path, iso, scene_time

STAC_VERSION = "1.0.0"
DEFAULT_LIMIT, MAX_LIMIT = 10, 1000
_TIF, _PNG, _JSON = "image/tiff; application=geotiff", "image/png", "application/geo+json"


def _assets(*specs: tuple[str, str, str]) -> dict[str, dict]:
    return {key: {"type": media, "roles": [role], "title": key} for key, media, role in specs}


_VIS = _assets(("plume.tif", _TIF, "data"), ("plume-concentrations.tif", _TIF, "data"),
               ("plume.png", _PNG, "visual"), ("plume-rgb.png", _PNG, "visual"), ("rgb.tif", _TIF, "visual"),
               ("rgb.png", _PNG, "visual"), ("plume-outline.geojson", _JSON, "metadata"))
_IME = _assets(("ime-cmf-concentrations.tif", _TIF, "data"), ("ime-cmf-concentrations.png", _PNG, "visual"),
               ("ime-cmf-mask.tif", _TIF, "data"), ("ime-cmf-mask.png", _PNG, "visual"),
               ("ime-cmf-outline.geojson", _JSON, "metadata"))
_CMF = _assets(("cmf.tif", _TIF, "data"), ("uncertainty.tif", _TIF, "data"), ("artifact-mask.tif", _TIF, "data"),
               ("uas.txt", "text/plain", "metadata"))
COLLECTIONS: dict[str, dict] = {
    "l2b-ch4-mfa-v3a": {"kind": "scene", "gas": "CH4", "assets": _CMF,
                        "title": "L2B CH4 matched filter (MFA) concentration-length, ortho, v3a"},
    "l2b-rgb-v3a": {"kind": "scene", "gas": None, "assets": _assets(("rgb.tif", _TIF, "visual")),
                    "title": "L2B RGB quick look, ortho, v3a"},
    "l3a-vis-ch4-mfa-v3a": {"kind": "plume", "gas": "CH4", "assets": _VIS, "title": "L3A CH4 plume visualisation"},
    "l3a-ime-ch4-mfa-v3a": {"kind": "plume", "gas": "CH4", "assets": _IME, "title": "L3A CH4 plume IME products"},
    "l4a-ch4-mfa-v3a": {"kind": "plume", "gas": "CH4", "assets": _assets(("plume-outline.geojson", _JSON, "metadata")),
                        "title": "L4A CH4 plume emission rates"},
    "l3a-vis-co2-mfal-v3a": {"kind": "plume", "gas": "CO2", "assets": _VIS, "title": "L3A CO2 plume visualisation"},
    "l4a-co2-mfal-v3a": {"kind": "plume", "gas": "CO2",
                         "assets": _assets(("plume-outline.geojson", _JSON, "metadata")),
                         "title": "L4A CO2 plume emission rates"},
}
CONFORMS_TO = [
    "https://api.stacspec.org/v1.0.0/core",
    "https://api.stacspec.org/v1.0.0/collections",
    "https://api.stacspec.org/v1.0.0/ogcapi-features",
    "https://api.stacspec.org/v1.0.0/item-search",
    "https://api.stacspec.org/v1.0.0-rc.1/item-search#query",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]


def stac_error(status: int, description: str) -> Response:
    return json_response({"code": "BadRequest" if status == 400 else "NotFoundError", "description": description},
                         status=status)


class Stac:
    def __init__(self, catalog: Catalog, base: str, asset_base: str):
        self.catalog = catalog
        self.base = base  # ".../api/v1/stac/"
        self.asset_base = asset_base  # ".../api/v1/catalog/asset/"

    # -- documents --------------------------------------------------------------------
    def landing(self) -> dict:
        links = [
            {"rel": "self", "type": "application/json", "href": self.base},
            {"rel": "root", "type": "application/json", "href": self.base},
            {"rel": "conformance", "type": "application/json", "href": self.base + "conformance"},
            {"rel": "data", "type": "application/json", "href": self.base + "collections"},
            {"rel": "search", "type": "application/geo+json", "href": self.base + "search", "method": "GET"},
            {"rel": "search", "type": "application/geo+json", "href": self.base + "search", "method": "POST"},
        ] + [{"rel": "child", "type": "application/json", "href": f"{self.base}collections/{cid}"}
             for cid in COLLECTIONS]
        return {"type": "Catalog", "id": "carbon-mapper", "stac_version": STAC_VERSION,
                "title": "Carbon Mapper STAC API (emulated)", "description": "Carbon Mapper data catalog",
                "conformsTo": CONFORMS_TO, "links": links}

    def collection(self, cid: str) -> dict:
        spec = COLLECTIONS[cid]
        indices = self._members(cid)
        stamps = self._stamps(cid, indices)
        bounds = self._bounds(cid, indices)
        extent_bbox = ([float(bounds[:, 0].min()), float(bounds[:, 1].min()), float(bounds[:, 2].max()),
                        float(bounds[:, 3].max())] if len(indices) else [-180.0, -90.0, 180.0, 90.0])
        interval = [iso(stamps.min()), iso(stamps.max())] if len(indices) else [None, None]
        return {
            "type": "Collection", "id": cid, "stac_version": STAC_VERSION, "title": spec["title"],
            "description": spec["title"] + " (emulated)", "license": "proprietary",
            "keywords": ["methane", "carbon dioxide"] if spec["gas"] is None else [spec["gas"]],
            "providers": [{"name": "Carbon Mapper", "roles": ["producer", "licensor"]}],
            "extent": {"spatial": {"bbox": [extent_bbox]}, "temporal": {"interval": [interval]}},
            "item_assets": spec["assets"],
            "links": [
                {"rel": "self", "type": "application/json", "href": f"{self.base}collections/{cid}"},
                {"rel": "root", "type": "application/json", "href": self.base},
                {"rel": "parent", "type": "application/json", "href": self.base},
                {"rel": "items", "type": "application/geo+json", "href": f"{self.base}collections/{cid}/items"},
            ],
        }

    def collections(self) -> dict:
        return {"collections": [self.collection(cid) for cid in COLLECTIONS],
                "links": [{"rel": "self", "type": "application/json", "href": self.base + "collections"},
                          {"rel": "root", "type": "application/json", "href": self.base}]}

    def properties(self, cid: str, index: int) -> tuple[dict, int]:
        """An item's properties and the index of its scene."""
        catalog = self.catalog
        if COLLECTIONS[cid]["kind"] == "plume":
            plumes = catalog.plumes
            i = int(plumes.scene[index])
            emission = float(plumes.emission[index])
            properties = {
                "datetime": scene_time(catalog, i),
                "cm:plume_id": plumes.names[index], "cm:scene_name": catalog.scenes.names[i],
                "cm:gas": plumes.gas[index], "cm:emission": None if math.isnan(emission) else emission,
                "cm:emission_uncertainty": None if math.isnan(emission) else float(plumes.uncertainty[index]),
                "cm:plume_latitude": float(plumes.lat[index]), "cm:plume_longitude": float(plumes.lon[index]),
                "cm:sector": plumes.sector[index], "cm:plume:sector": plumes.sector[index],
                "cm:wind_speed": float(plumes.wind_speed[index]), "published": iso(plumes.published[index]),
            }
        else:
            scenes = catalog.scenes
            i = index
            cloud = int(scenes.cloud[i]) if scenes.cloud_known[i] else None
            properties = {"datetime": scene_time(catalog, i), "eo:cloud_cover": cloud,
                          "cm:scene_id": scenes.ids[i], "cm:plume_count": len(scenes.plumes[i])}
        instrument = catalog.scenes.instruments[i]
        properties.update({"instruments": [instrument], "platform": PLATFORMS[instrument], "version": "v3a"})
        return properties, i

    def item(self, cid: str, index: int) -> dict:
        catalog, spec = self.catalog, COLLECTIONS[cid]
        properties, i = self.properties(cid, index)
        if spec["kind"] == "plume":
            item_id = catalog.plumes.names[index]
            west, south, east, north = (float(v) for v in catalog.plumes.bounds[index])
            geometry = box(west, south, east, north)
        else:
            item_id = catalog.scenes.names[i]
            west, south, east, north = (float(v) for v in catalog.scenes.bbox[i])
            geometry = Polygon(catalog.scenes.rings[i])
        stamp = catalog.scenes.timestamps[i]
        assets = {key: {"href": self.asset_base + asset_path(cid, stamp, item_id, key), **meta}
                  for key, meta in spec["assets"].items()}
        item_url = f"{self.base}collections/{cid}/items/{item_id}"
        return {
            "type": "Feature", "stac_version": STAC_VERSION, "stac_extensions": [], "id": item_id,
            "collection": cid, "bbox": [west, south, east, north],
            "geometry": json.loads(json.dumps(geometry.__geo_interface__)), "properties": properties,
            "assets": assets,
            "links": [{"rel": "self", "type": "application/geo+json", "href": item_url},
                      {"rel": "parent", "type": "application/json", "href": f"{self.base}collections/{cid}"},
                      {"rel": "collection", "type": "application/json", "href": f"{self.base}collections/{cid}"},
                      {"rel": "root", "type": "application/json", "href": self.base}],
        }

    def find_item(self, cid: str, item_id: str) -> dict | None:
        if cid not in COLLECTIONS:
            return None
        members = self._members(cid)
        lookup = self.catalog.plumes.by_name if COLLECTIONS[cid]["kind"] == "plume" else self.catalog.scenes.by_name
        index = lookup.get(item_id)
        if index is None or index not in set(members.tolist()):
            return None
        return self.item(cid, index)

    # -- membership and filters -------------------------------------------------------
    def _members(self, cid: str) -> np.ndarray:
        spec = COLLECTIONS[cid]
        if spec["kind"] == "scene":
            return np.argsort(-self.catalog.scenes.timestamps, kind="stable")
        plumes = self.catalog.plumes
        pairs = zip(plumes.gas, plumes.status, strict=True)
        keep = np.array([g == spec["gas"] and s == "published" for g, s in pairs], dtype=bool)
        indices = np.flatnonzero(keep)
        return indices[np.argsort(-self.catalog.scenes.timestamps[plumes.scene[indices]], kind="stable")]

    def _stamps(self, cid: str, indices: np.ndarray) -> np.ndarray:
        if COLLECTIONS[cid]["kind"] == "scene":
            return self.catalog.scenes.timestamps[indices]
        return self.catalog.scenes.timestamps[self.catalog.plumes.scene[indices]]

    def _bounds(self, cid: str, indices: np.ndarray) -> np.ndarray:
        if COLLECTIONS[cid]["kind"] == "scene":
            return self.catalog.scenes.bbox[indices]
        return self.catalog.plumes.bounds[indices]

    def _select(self, cid: str, params: dict) -> np.ndarray:
        indices = self._members(cid)
        kind = COLLECTIONS[cid]["kind"]
        if params.get("ids"):
            lookup = self.catalog.plumes.by_name if kind == "plume" else self.catalog.scenes.by_name
            wanted = [lookup[i] for i in params["ids"] if i in lookup]
            indices = indices[np.isin(indices, wanted)]
        interval = params.get("interval")
        if interval:
            stamps = self._stamps(cid, indices)
            indices = indices[(stamps >= interval[0]) & (stamps <= interval[1])]
        geometry = params.get("geometry")
        if geometry is not None:
            bounds = self._bounds(cid, indices)
            west, south, east, north = geometry.bounds
            indices = indices[(bounds[:, 2] >= west) & (bounds[:, 0] <= east) & (bounds[:, 3] >= south)
                              & (bounds[:, 1] <= north)]
            prepared = prep(geometry)
            if kind == "scene":
                shapes = (Polygon(self.catalog.scenes.rings[i]) for i in indices)
            else:
                shapes = (box(*self.catalog.plumes.bounds[j]) for j in indices)
            pairs = zip(indices, shapes, strict=True)
            indices = np.array([i for i, s in pairs if prepared.intersects(s)], dtype=np.int64)
        return indices

    # -- search -----------------------------------------------------------------------
    def search(self, params: dict, request_url: str, post_body: dict | None) -> dict:
        """``params``: collections, ids, interval, geometry, query, limit, offset (already parsed)."""
        wanted = params.get("collections") or list(COLLECTIONS)
        limit, offset = params["limit"], params["offset"]
        query = params.get("query") or {}
        chosen: list[tuple[str, int]] = []
        matched = 0
        for cid in wanted:
            indices = self._select(cid, params)
            if query:
                indices = [i for i in indices if _matches(self.properties(cid, int(i))[0], query)]
            start = max(0, offset - matched)
            room = limit - len(chosen)
            if room > 0 and start < len(indices):
                chosen.extend((cid, int(i)) for i in indices[start:start + room])
            matched += len(indices)
        features = [self.item(cid, index) for cid, index in chosen]
        links = [{"rel": "root", "type": "application/json", "href": self.base}]
        if offset + len(features) < matched:
            token = f"next:{offset + len(features)}"
            if post_body is not None:
                links.append({"rel": "next", "type": "application/geo+json", "method": "POST", "href": request_url,
                              "body": {**post_body, "token": token}, "merge": False})
            else:
                query_args = {k: v for k, v in params.get("raw_args", {}).items() if k != "token"}
                links.append({"rel": "next", "type": "application/geo+json", "method": "GET",
                              "href": f"{request_url}?{urlencode({**query_args, 'token': token})}"})
        return {"type": "FeatureCollection", "features": features, "links": links, "numberMatched": matched,
                "numberReturned": len(features), "context": {"limit": limit, "matched": matched,
                                                               "returned": len(features)}}


def _matches(properties: dict, query: dict) -> bool:
    for name, conditions in query.items():
        value = properties.get(name)
        if not isinstance(conditions, dict):
            conditions = {"eq": conditions}
        for op, target in conditions.items():
            if not _compare(value, op, target):
                return False
    return True


def _compare(value, op: str, target) -> bool:
    if op == "eq":
        return value == target
    if op == "neq":
        return value != target
    if op == "in":
        return value in (target if isinstance(target, list) else [target])
    if value is None:
        return False
    try:
        return {"lt": value < target, "lte": value <= target, "gt": value > target, "gte": value >= target}[op]
    except KeyError:
        raise QueryError("query", f"Unknown query operator {op!r}") from None
    except TypeError:
        return False


def parse_search(args: dict, body: dict | None) -> dict:
    """Search parameters from GET arguments (``args``: name -> last value) or a POST body."""
    source = body if body is not None else args
    params: dict = {"raw_args": args}

    def listed(value):
        if value is None or value == "":
            return None
        return value if isinstance(value, list) else [v for v in str(value).split(",") if v]

    params["collections"] = listed(source.get("collections"))
    unknown = [c for c in params["collections"] or [] if c not in COLLECTIONS]
    if unknown:
        raise QueryError("collections", f"Unknown collection(s): {', '.join(unknown)}")
    params["ids"] = listed(source.get("ids"))
    params["interval"] = parse_interval(source.get("datetime"))
    geometry = None
    intersects = source.get("intersects")
    if intersects:
        try:
            geometry = shape(json.loads(intersects) if isinstance(intersects, str) else intersects)
        except GEOMETRY_ERRORS:
            raise QueryError("intersects", "Invalid GeoJSON geometry") from None
    bbox = listed(source.get("bbox"))
    if bbox:
        try:
            numbers = [float(v) for v in bbox]
        except (TypeError, ValueError):
            raise QueryError("bbox", "bbox needs 4 numbers") from None
        if len(numbers) not in (4, 6):
            raise QueryError("bbox", "bbox needs 4 (or 6) numbers")
        west, south, east, north = numbers[:2] + numbers[-3:-1] if len(numbers) == 6 else numbers
        area = box(west, south, east, north)
        geometry = area if geometry is None else geometry.intersection(area)
    params["geometry"] = geometry
    query = source.get("query")
    if isinstance(query, str) and query:
        try:
            query = json.loads(query)
        except ValueError:
            raise QueryError("query", "query must be a JSON object") from None
    params["query"] = query or None
    try:
        params["limit"] = min(MAX_LIMIT, max(1, int(source.get("limit") or DEFAULT_LIMIT)))
    except (TypeError, ValueError):
        raise QueryError("limit", "limit must be an integer") from None
    token = str(source.get("token") or "")
    params["offset"] = int(token.partition(":")[2]) if token.startswith("next:") and token[5:].isdigit() else 0
    return params
