"""Plume and scene rasters through the Carbon Mapper STAC API (``stac/``), downloaded with the token.

- :func:`search_items`: ``POST stac/search`` (ids, collections, datetime, intersects, query),
  following the ``next`` links (POST with a body, or GET) until ``max_items``. A ``next`` link is
  followed only when it is on the STAC API's own origin (scheme, host and port): one elsewhere stops
  the search with :class:`..errors.RedirectRefusedError` (raised by the client, which sends the
  token only there). Following it without the token instead would let another host answer pages
  we cannot tell from the service's; stopping says so. A ``next`` link back to a page already read,
  a page of the same items again, or more pages than can be stop it with
  :class:`..errors.PagingError` (:mod:`..paging`).
- :func:`get_item`: one item by collection and id.
- :func:`plume_items` / :func:`scene_items`: the items of chosen plumes (item id = plume id, in
  the L3A collections) or scenes (item id = scene name, in the L2B collections). Searching by id
  without naming collections keeps working when the service moves to a new product version.
- :func:`asset_downloads` -> :class:`DownloadItem` per wanted asset (plume GeoTIFF and RGB
  GeoTIFF by default), and :func:`download_assets` runs them through the shared
  :class:`Downloader` (resume, progress, cancel). The bearer token goes only to the API's own
  host and to https hosts under carbonmapper.org, never with a pre-signed URL (``Signature=``
  in its query): that carries its own credentials, and S3 or CloudFront refuse both at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ..cancel import CancelCheck, raise_if_cancelled
from ..download import Downloader, DownloadItem, DownloadProgress, DownloadResult, sanitize_filename
from ..errors import MalformedAnswerError
from ..paging import PageGuard, fingerprint
from ..parsing import as_bbox, as_dict, as_flag, as_list, as_opt_str, as_str, as_url, malformed
from ..redact import redact_url
from .client import SERVICE, CarbonMapperClient
from .plumes import Plume, parse_time

LOG = logging.getLogger(__name__)

STAC_SEARCH = "stac/search"
PLUME_ASSETS = ("plume.tif", "rgb.tif")
SCENE_ASSETS = ("cmf.tif", "rgb.tif")
PAGE_LIMIT = 100
SIGNED_QUERY_KEYS = {"signature", "x-amz-signature", "key-pair-id", "awsaccesskeyid"}


@dataclass(frozen=True)
class StacAsset:
    key: str
    href: str
    media_type: str | None = None
    roles: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # Asset links may be signed: their query string stays out of reprs (logs, tracebacks).
        return f"StacAsset(key={self.key!r}, href={redact_url(self.href)!r}, media_type={self.media_type!r})"


@dataclass(frozen=True)
class StacItem:
    id: str
    collection: str | None
    datetime: object  # datetime.datetime | None
    bbox: tuple[float, ...] | None
    geometry: dict | None
    properties: dict = field(repr=False)
    assets: dict[str, StacAsset] = field(repr=False)

    @classmethod
    def from_json(cls, data: Any, field: str = "features[]") -> StacItem:
        """One STAC item; :class:`MalformedAnswerError` (naming the field) if it is none.

        An asset without an ``href`` is left out (nothing to download).
        """
        if not isinstance(data, dict):
            raise malformed(field, data, SERVICE)
        item_id = as_opt_str(data.get("id"), f"{field}.id", SERVICE)
        if item_id is None:
            raise malformed(f"{field}.id", data.get("id"), SERVICE)
        assets = {}
        for key, value in as_dict(data.get("assets"), f"{field}.assets", SERVICE).items():
            where = f"{field}.assets.{key}"
            value = as_dict(value, where, SERVICE)
            href = as_url(value.get("href"), f"{where}.href", SERVICE)
            if href is None:
                continue
            roles = as_list(value.get("roles"), f"{where}.roles", SERVICE)
            assets[key] = StacAsset(key, href, as_opt_str(value.get("type"), f"{where}.type", SERVICE),
                                    tuple(as_str(role, f"{where}.roles[]", SERVICE) for role in roles))
        properties = as_dict(data.get("properties"), f"{field}.properties", SERVICE)
        geometry = data.get("geometry")
        if geometry is not None and not isinstance(geometry, dict):
            raise malformed(f"{field}.geometry", geometry, SERVICE)
        return cls(
            id=item_id, collection=as_opt_str(data.get("collection"), f"{field}.collection", SERVICE),
            datetime=parse_time(properties.get("datetime")),
            bbox=as_bbox(data.get("bbox"), f"{field}.bbox", SERVICE),
            geometry=geometry, properties=properties, assets=assets,
        )


def search_items(
    client: CarbonMapperClient,
    *,
    ids: Iterable[str] | None = None,
    collections: Iterable[str] | None = None,
    datetime: str | None = None,
    intersects: BaseGeometry | dict | None = None,
    query: dict | None = None,
    limit: int = PAGE_LIMIT,
    max_items: int | None = None,
    cancel: CancelCheck = None,
) -> Iterator[StacItem]:
    """STAC items matching the search, page after page (POST ``stac/search``)."""
    cancel = cancel if cancel is not None else client.cancel
    body: dict = {"limit": limit}
    if ids is not None:
        body["ids"] = list(ids)
    if collections is not None:
        body["collections"] = list(collections)
    if datetime:
        body["datetime"] = datetime
    if intersects is not None:
        body["intersects"] = intersects if isinstance(intersects, dict) else mapping(intersects)
    if query:
        body["query"] = query
    method, url, payload = "POST", STAC_SEARCH, body
    returned = 0
    guard = PageGuard(SERVICE, "STAC search")
    while True:
        raise_if_cancelled(cancel)
        guard.ask(fingerprint([method, client.url(url), payload if method == "POST" else None]))
        if method == "POST":
            page = client.post_json(url, payload)
        else:
            page = client.get_json(url)
        features = page.get("features") if isinstance(page, dict) else None
        if not isinstance(features, list):
            raise MalformedAnswerError(f"{SERVICE} STAC search answered without features.", field="features",
                                       service=SERVICE)
        guard.page(len(features), *(_feature_id(f) for f in (features[:1] + features[-1:] if features else ())))
        for feature in features:
            yield StacItem.from_json(feature)
            returned += 1
            if max_items is not None and returned >= max_items:
                return
        link = _next_link(page)
        if link is None or not features:
            return
        method = str(link.get("method") or "GET").upper()
        url = link["href"]
        if method == "POST":
            payload = {**payload, **link["body"]} if link.get("merge") else link.get("body", payload)


def get_item(client: CarbonMapperClient, collection: str, item_id: str) -> StacItem:
    """One item (``stac/collections/<collection>/items/<id>``); NotFoundError when absent."""
    return StacItem.from_json(client.get_json(f"stac/collections/{collection}/items/{item_id}"))


def plume_items(
    client: CarbonMapperClient,
    plumes: Iterable[Plume | str],
    *,
    collections: Iterable[str] | None = None,
    cancel: CancelCheck = None,
) -> list[StacItem]:
    """The STAC items of plumes (Plume records or plume ids like ``tan2026...-B``)."""
    ids = sorted({p.plume_id if isinstance(p, Plume) else str(p) for p in plumes})
    return _items_by_ids(client, ids, collections, cancel)


def scene_items(
    client: CarbonMapperClient,
    scene_names: Iterable[str],
    *,
    collections: Iterable[str] | None = None,
    cancel: CancelCheck = None,
) -> list[StacItem]:
    """The STAC items of scenes, by scene name (``tan20251212t185057c20s4001``)."""
    return _items_by_ids(client, sorted(set(scene_names)), collections, cancel)


def _items_by_ids(client, ids: list[str], collections, cancel) -> list[StacItem]:
    items: list[StacItem] = []
    for start in range(0, len(ids), PAGE_LIMIT):  # keep each search body reasonable
        chunk = ids[start:start + PAGE_LIMIT]
        items.extend(search_items(client, ids=chunk, collections=collections, cancel=cancel))
    return items


def asset_downloads(
    client: CarbonMapperClient,
    items: Iterable[StacItem],
    assets: Iterable[str] = PLUME_ASSETS,
) -> list[DownloadItem]:
    """One DownloadItem per wanted asset present in ``items`` (first item wins per id and asset)."""
    wanted = tuple(assets)
    downloads: list[DownloadItem] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        for key in wanted:
            asset = item.assets.get(key)
            if asset is None or (item.id, key) in seen:
                continue
            seen.add((item.id, key))
            downloads.append(DownloadItem(
                url=asset.href,
                filename=sanitize_filename(f"{item.id}_{key}"),
                key=f"{item.collection or ''}/{item.id}/{key}",
                # asked at each request: a long queue outlives the access token, renewed on 401
                header_provider=client.header_provider() if _wants_bearer(client, asset.href) else None,
            ))
    return downloads


def download_assets(
    client: CarbonMapperClient,
    items: Iterable[StacItem],
    folder: Path | str,
    *,
    assets: Iterable[str] = PLUME_ASSETS,
    parallel: int = 3,
    cancel: CancelCheck = None,
    progress: Callable[[DownloadProgress], None] | None = None,
) -> list[DownloadResult]:
    """Download the wanted assets of ``items`` into ``folder``; one DownloadResult per file."""
    downloads = asset_downloads(client, items, assets)
    if not downloads:
        return []
    downloader = Downloader(client.session, Path(folder), parallel=parallel)
    return downloader.download(downloads, cancel=cancel if cancel is not None else client.cancel,
                               progress=progress)


def _feature_id(feature) -> str:
    if isinstance(feature, dict) and isinstance(feature.get("id"), str):
        return f"{feature.get('collection')}/{feature['id']}"
    return fingerprint(feature)


def _next_link(page: dict) -> dict | None:
    """The page's ``next`` link, checked: ``href`` text, ``method`` text, ``body`` an object, ``merge`` a flag."""
    for index, link in enumerate(as_list(page.get("links"), "links", SERVICE)):
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            where = f"links[{index}]"
            as_url(link["href"], f"{where}.href", SERVICE)
            as_str(link.get("method"), f"{where}.method", SERVICE)
            if "body" in link:
                as_dict(link["body"], f"{where}.body", SERVICE, optional=False)
            as_flag(link.get("merge"), f"{where}.merge", SERVICE)
            return link
    return None


def _wants_bearer(client: CarbonMapperClient, href: str) -> bool:
    """The token goes to the API's host only, and never with a pre-signed URL."""
    parts = urlsplit(href)
    if {k.lower() for k in parse_qs(parts.query)} & SIGNED_QUERY_KEYS:
        return False
    api = urlsplit(client.base_url)
    if (parts.scheme, parts.netloc) == (api.scheme, api.netloc):
        return True
    # the service's own asset hosts (catalog.carbonmapper.org) take the STAC token too
    return parts.scheme == "https" and (parts.hostname or "").endswith(".carbonmapper.org")
