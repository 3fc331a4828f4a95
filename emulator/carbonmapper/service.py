"""Routing of the emulated Carbon Mapper API (``emulator.carbonmapper_prefix``, default ``/api/v1/``).

Endpoints (errors are ``{"detail": ...}``; validation errors 422 with a ninja-style detail list):

- ``POST token/pair``, ``token/refresh``, ``token/verify``; ``POST account/tokens/create-stac`` (access
  JWT) -> a scoped token ``{"token_value": ...}``. See :mod:`.auth` for tokens and the 401/403 rules.
- ``GET catalog/download/scenes.gpkg`` (bearer): a GeoPackage page, headers ``pagination-count``
  (total matching), ``pagination-limit``, ``pagination-offset``; ``limit`` defaults to
  ``config.carbonmapper_page_limit`` and is capped at 1000; ``limit=0`` gives the empty schema.
- ``GET catalog/scenes/annotated`` (bearer), ``catalog/plumes/annotated`` (public): JSON pages
  ``{bbox_count, total_count, limit, offset, items}``; ``total_count`` ignores the spatial filters,
  ``bbox_count`` applies them. ``limit`` defaults to 100, at most 1000. ``GET catalog/scenes``
  (bearer): the same scenes as ``{items, count}``.
- ``GET catalog/plume-csv`` (public): CSV, rows ending in CRLF, optional ``exclude_columns``.
- ``GET catalog/sources.geojson``, ``catalog/sources-csv``, ``catalog/source/plume/name/<plume>``.
- ``stac/...`` (public, :mod:`.stac`), and ``GET catalog/asset/<key>``: the file, with a bearer token
  or with the ``Expires``/``Signature`` query of a signed URL from a plume record (403 when expired).
- Any request whose target (path + query) is longer than 8,192 bytes: 414 with an HTML body, as
  the proxy in front of the service answers.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import math
import threading

from ..http import Request, Response, file_response, json_response, text_response
from .auth import BAD_CREDENTIALS, PERMISSIONS, Tokens
from .catalog import Catalog, build_catalog
from .gpkg import PageCache, write_page
from .query import QueryError, int_arg, select_plumes, select_scenes
from .rasters import CONTENT_TYPES, AssetStore, resolve
from .records import PLUME_CSV_COLUMNS, plume_csv_row, plume_record, scene_record
from .sources import source_of_plume, sources_csv, sources_geojson
from .stac import COLLECTIONS, Stac, parse_search, stac_error

MAX_TARGET = 8192
MAX_LIMIT = 1000
ANNOTATED_LIMIT = 100
SIGNED_URL_LIFETIME = 7 * 86400
URI_TOO_LONG = (
    "<html>\r\n<head><title>414 Request-URI Too Large</title></head>\r\n<body>\r\n"
    "<center><h1>414 Request-URI Too Large</h1></center>\r\n</body>\r\n</html>\r\n"
)
ACCESS_DENIED = ('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>'
                 "<Message>{}</Message></Error>")


def _not_found() -> Response:
    return json_response({"detail": "Not Found"}, status=404)


def _validation_error(error: QueryError, where: str = "query") -> Response:
    return json_response({"detail": [{"type": "value_error", "loc": [where, error.name], "msg": str(error)}]},
                         status=422)


class CarbonMapperService:
    name = "carbonmapper"

    def __init__(self, emulator):
        self.emulator = emulator
        self.prefix = emulator.carbonmapper_prefix
        self.config = emulator.config
        self.tokens = Tokens(emulator)
        self.pages = PageCache()
        self._catalog: Catalog | None = None
        self._assets: AssetStore | None = None
        self._lock = threading.Lock()
        self._sign_key = hashlib.sha256(f"carbonmapper-cdn-{self.config.seed}".encode()).digest()

    # -- the catalog, built on first use ----------------------------------------------
    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    self._catalog = build_catalog(self.config.seed, self.config.carbonmapper_scenes,
                                                  self.config.carbonmapper_plumes)
        return self._catalog

    @property
    def assets(self) -> AssetStore:
        if self._assets is None:
            with self._lock:
                if self._assets is None:
                    self._assets = AssetStore(self.catalog, self.config.cache_dir, self.config.seed)
        return self._assets

    # -- URLs -------------------------------------------------------------------------
    def _base(self, request: Request) -> str:
        host = request.header("host") or f"{self.emulator.host}:{self.emulator.port}"
        return f"http://{host}{self.prefix}"

    def _signature(self, key: str, expires: int) -> str:
        return hmac.new(self._sign_key, f"{key}:{expires}".encode(), hashlib.sha256).hexdigest()[:40]

    def signer(self, request: Request):
        asset_base = self._base(request) + "catalog/asset/"
        expires = int(math.ceil(self.emulator.clock.now() / 3600) * 3600) + SIGNED_URL_LIFETIME

        def sign(key: str) -> str:
            return f"{asset_base}{key}?Expires={expires}&Signature={self._signature(key, expires)}"

        return sign

    # -- dispatch ---------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        if len(request.raw_target.encode("utf-8")) > MAX_TARGET:
            return text_response(URI_TOO_LONG, status=414, content_type="text/html")
        route = request.route.strip("/")
        try:
            if route.startswith("token/") or route.startswith("account/"):
                return self._tokens(request, route)
            if route.startswith("stac"):
                return self._stac(request, route)
            if route.startswith("catalog/asset/"):
                return self._asset(request, route[len("catalog/asset/"):])
            handler = {
                "catalog/download/scenes.gpkg": self._scenes_gpkg,
                "catalog/scenes/annotated": self._scenes_annotated,
                "catalog/scenes": self._scenes,
                "catalog/plumes/annotated": self._plumes_annotated,
                "catalog/plume-csv": self._plume_csv,
                "catalog/sources.geojson": self._sources_geojson,
                "catalog/sources-csv": self._sources_csv,
            }.get(route)
            if handler is None and route.startswith("catalog/source/plume/name/"):
                return self._only_get(request) or self._source_plume(request, route.rsplit("/", 1)[1])
            if handler is None:
                return _not_found()
            return self._only_get(request) or handler(request)
        except QueryError as error:
            if route.startswith("stac"):
                return stac_error(400, str(error))
            return _validation_error(error)

    @staticmethod
    def _only_get(request: Request) -> Response | None:
        if request.method in ("GET", "HEAD"):
            return None
        return json_response({"detail": "Method not allowed"}, status=405, headers={"Allow": "GET"})

    # -- tokens -----------------------------------------------------------------------
    def _tokens(self, request: Request, route: str) -> Response:
        if request.method != "POST":
            return json_response({"detail": "Method not allowed"}, status=405, headers={"Allow": "POST"})
        try:
            body = request.json() or {}
        except ValueError:
            return json_response({"detail": [{"type": "json_invalid", "loc": ["body"], "msg": "Invalid JSON"}]},
                                 status=422)
        if not isinstance(body, dict):
            body = {}
        if route == "account/tokens/create-stac":
            denied = self.tokens.check(request, scoped=True)
            email = self.tokens.user(request)
            if denied is not None or email is None:
                return denied or json_response({"detail": "A user session (access token) is needed."}, status=403)
            return json_response(self.tokens.create_scoped(email, str(body.get("name") or "stac"),
                                                           body.get("expiration_date")))
        required = {"token/pair": ("email", "password"), "token/refresh": ("refresh",),
                    "token/verify": ("token",)}.get(route)
        if required is None:
            return _not_found()
        missing = [name for name in required if not isinstance(body.get(name), str)]
        if missing:
            return json_response({"detail": [{"type": "missing", "loc": ["body", name], "msg": "Field required"}
                                             for name in missing]}, status=422)
        if route == "token/pair":
            email = body["email"]
            if self.config.carbonmapper_accounts.get(email) != body["password"]:
                return json_response(BAD_CREDENTIALS, status=401)
            return json_response({**self.tokens.pair(email), "groups": "", "permissions": PERMISSIONS})
        invalid = json_response({"detail": "Token is invalid or expired", "code": "token_not_valid"}, status=401)
        if route == "token/refresh":
            claims = self.tokens.read_jwt(body["refresh"], "refresh")
            return invalid if claims is None else json_response(self.tokens.pair(claims["user_id"]))
        token = body["token"]
        valid = self.tokens.read_jwt(token, "access") or self.tokens.read_jwt(token, "refresh")
        return json_response({}) if valid else invalid

    # -- catalog ----------------------------------------------------------------------
    def _page_args(self, request: Request, default: int) -> tuple[int, int]:
        limit = int_arg(request.query, "limit", default)
        offset = int_arg(request.query, "offset", 0)
        return min(limit, MAX_LIMIT), offset

    def _scenes_gpkg(self, request: Request) -> Response:
        denied = self.tokens.check(request)
        if denied is not None:
            return denied
        limit, offset = self._page_args(request, self.config.carbonmapper_page_limit)
        filters = tuple(sorted((k, tuple(v)) for k, v in request.query.items() if k not in ("limit", "offset")))
        selection = select_scenes(self.catalog, request.query)
        key = (filters, offset, limit)
        page = self.pages.get(key)
        if page is None:
            page = write_page(self.catalog, selection[offset:offset + limit] if limit else selection[:0])
            self.pages.put(key, page)
        headers = {
            "Content-Type": "application/geopackage+sqlite3",
            "Content-Disposition": 'attachment; filename="scenes.gpkg"',
            "pagination-count": str(len(selection)),
            "pagination-limit": str(limit),
            "pagination-offset": str(offset),
        }
        return Response(200, headers, page)

    def _scenes_annotated(self, request: Request) -> Response:
        denied = self.tokens.check(request)
        if denied is not None:
            return denied
        limit, offset = self._page_args(request, ANNOTATED_LIMIT)
        everywhere = select_scenes(self.catalog, request.query, spatial=False)
        selection = select_scenes(self.catalog, request.query)
        items = [scene_record(self.catalog, int(i)) for i in selection[offset:offset + limit]]
        return json_response({"bbox_count": len(selection), "total_count": len(everywhere), "limit": limit,
                              "offset": offset, "items": items})

    def _scenes(self, request: Request) -> Response:
        """``catalog/scenes``: the older paged shape ``{items, count}``."""
        denied = self.tokens.check(request)
        if denied is not None:
            return denied
        limit, offset = self._page_args(request, ANNOTATED_LIMIT)
        selection = select_scenes(self.catalog, request.query)
        items = [scene_record(self.catalog, int(i)) for i in selection[offset:offset + limit]]
        return json_response({"items": items, "count": len(selection)})

    def _plumes_annotated(self, request: Request) -> Response:
        limit, offset = self._page_args(request, ANNOTATED_LIMIT)
        everywhere = select_plumes(self.catalog, request.query, spatial=False)
        selection = select_plumes(self.catalog, request.query)
        sign = self.signer(request)
        items = [plume_record(self.catalog, int(j), sign) for j in selection[offset:offset + limit]]
        return json_response({"bbox_count": len(selection), "total_count": len(everywhere), "limit": limit,
                              "offset": offset, "items": items})

    def _plume_csv(self, request: Request) -> Response:
        selection = select_plumes(self.catalog, request.query)
        offset = int_arg(request.query, "offset", 0)
        limit = int_arg(request.query, "limit", None)
        selection = selection[offset:] if limit is None else selection[offset:offset + limit]
        excluded = {c for raw in request.args("exclude_columns") + request.args("exclude_columns[]")
                    for c in raw.split(",")}
        columns = [c for c in PLUME_CSV_COLUMNS if c not in excluded]
        out = io.StringIO()
        writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        sign = self.signer(request)
        for j in selection:
            writer.writerow(plume_csv_row(self.catalog, int(j), sign))
        response = text_response(out.getvalue(), content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = 'attachment; filename="plumes.csv"'
        return response

    def _sources_geojson(self, request: Request) -> Response:
        collection = sources_geojson(self.catalog, select_plumes(self.catalog, request.query))
        return json_response(collection, headers={"Content-Type": "application/geo+json"})

    def _sources_csv(self, request: Request) -> Response:
        response = text_response(sources_csv(self.catalog, select_plumes(self.catalog, request.query)),
                                 content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = 'attachment; filename="sources.csv"'
        return response

    def _source_plume(self, request: Request, plume_name: str) -> Response:
        j = self.catalog.plumes.by_name.get(plume_name)
        if j is None or self.catalog.plumes.status[j] != "published":
            return _not_found()
        return json_response(source_of_plume(self.catalog, j, self.signer(request)))

    # -- assets -----------------------------------------------------------------------
    def _asset(self, request: Request, key: str) -> Response:
        if request.method not in ("GET", "HEAD"):
            return self._only_get(request)
        expires, signature = request.arg("Expires"), request.arg("Signature")
        if signature is not None:
            if not (expires or "").isdigit() or not hmac.compare_digest(signature,
                                                                      self._signature(key, int(expires))):
                return text_response(ACCESS_DENIED.format("Access denied"), 403, "text/xml")
            if int(expires) < self.emulator.clock.now():
                return text_response(ACCESS_DENIED.format("Request has expired"), 403, "text/xml")
        else:
            denied = self.tokens.check(request)
            if denied is not None:
                return denied
        asset = resolve(self.catalog, key, COLLECTIONS)
        if asset is None:
            return _not_found()
        path = self.assets.path_for(key, asset)
        suffix = "." + asset.asset.rsplit(".", 1)[-1]
        return file_response(request, path, filename=key.rsplit("/", 1)[1],
                             content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"))

    # -- STAC -------------------------------------------------------------------------
    def _stac(self, request: Request, route: str) -> Response:
        base = self._base(request)
        stac = Stac(self.catalog, base + "stac/", base + "catalog/asset/")
        parts = route.split("/")[1:]
        if parts == [] or parts == [""]:
            return self._only_get(request) or json_response(stac.landing())
        if parts == ["conformance"]:
            return json_response({"conformsTo": stac.landing()["conformsTo"]})
        if parts == ["search"]:
            return self._stac_search(request, stac, None)
        if parts[0] != "collections":
            return stac_error(404, "Not found")
        if len(parts) == 1:
            return json_response(stac.collections())
        cid = parts[1]
        if cid not in COLLECTIONS:
            return stac_error(404, f"Collection {cid} does not exist.")
        if len(parts) == 2:
            return json_response(stac.collection(cid))
        if len(parts) == 3 and parts[2] == "items":
            return self._stac_search(request, stac, cid)
        if len(parts) == 4 and parts[2] == "items":
            item = stac.find_item(cid, parts[3])
            if item is None:
                return stac_error(404, f"Item {parts[3]} in Collection {cid} does not exist.")
            return json_response(item, headers={"Content-Type": "application/geo+json"})
        return stac_error(404, "Not found")

    def _stac_search(self, request: Request, stac: Stac, collection: str | None) -> Response:
        body = None
        if request.method == "POST":
            try:
                body = request.json() or {}
            except ValueError:
                return stac_error(400, "Request body is not valid JSON")
            if not isinstance(body, dict):
                return stac_error(400, "Request body must be a JSON object")
        elif request.method not in ("GET", "HEAD"):
            return json_response({"detail": "Method not allowed"}, status=405)
        args = {k: v[-1] for k, v in request.query.items() if v}
        if collection is not None and body is not None:
            body["collections"] = [collection]
        elif collection is not None:
            args["collections"] = collection
        params = parse_search(args, body)
        url = self._base(request) + request.route.strip("/")
        result = stac.search(params, url, body)
        return json_response(result, headers={"Content-Type": "application/geo+json"})

