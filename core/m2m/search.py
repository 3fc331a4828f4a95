"""Scene search with transparent paging (``scene-search``).

Paging rules, from what the real service does:

- ``nextRecord`` is not trusted: on the last page the service returns nextRecord ==
  startingNumber. We count ourselves and stop on an empty page, a short page
  (recordsReturned < maxResults), or once ``totalHits`` records were read (only when the total
  is exact: ``totalHitsAccuracy`` "approximate" totals are estimates).
- A page with the same scenes as an earlier one (a service that ignores ``startingNumber``) stops
  the search with :class:`..errors.PagingError` (:mod:`..paging`), rather than reading it again up
  to the cap.
- The service returns at most 50,000 scenes per search; we never ask beyond that, nor beyond
  the caller's ``limit`` (the last page's maxResults is trimmed to it).
- The first page is fetched when the search is made, so ``total_hits`` is known before
  iterating (a progress bar can be sized; a count can be shown).
- An AOI crossing the antimeridian is searched as two areas, one after the other; duplicates
  are dropped by entity id (``total_hits`` is then the sum of both totals: an upper bound).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from typing import Any

from ..aoi import to_m2m_spatial_filters
from ..cancel import CancelCheck, is_cancelled, raise_if_cancelled
from ..errors import BadInputError
from ..gc_pause import collector_paused
from ..models import Scene, check_scene_page, parse_int, scene_from_result
from ..paging import PageGuard, fingerprint
from ..read_ahead import CallAhead, read_ahead
from .client import M2MClient
from .config import DEFAULT_DATASET, SERVICE_MAX_RESULTS
from .datasets import MetadataField, build_metadata_filter, dataset_filters

LOG = logging.getLogger(__name__)

MAX_PAGE_SIZE = 10_000


def _iso_date(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()[:10].replace("/", "-")
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadInputError(f"The {name} date {value!r} is not a date (use YYYY-MM-DD).") from None


def build_scene_filter(*, spatial: dict | None = None, start: Any = None, end: Any = None,
                       cloud_max: float | None = None, include_unknown_cloud: bool = False,
                       metadata_filter: dict | None = None) -> dict:
    """The ``sceneFilter`` object of a scene-search request."""
    scene_filter: dict[str, Any] = {}
    if spatial:
        scene_filter["spatialFilter"] = spatial
    start_text, end_text = _iso_date(start, "start"), _iso_date(end, "end")
    if start_text or end_text:
        if start_text and end_text and start_text > end_text:
            raise BadInputError(f"The start date {start_text} is after the end date {end_text}.")
        scene_filter["acquisitionFilter"] = {"start": start_text or "1972-07-23",
                                             "end": end_text or datetime.date.today().isoformat()}
    if cloud_max is not None:
        if not 0 <= float(cloud_max) <= 100:
            raise BadInputError(f"Cloud cover must be between 0 and 100 %, not {cloud_max}.")
        scene_filter["cloudCoverFilter"] = {"min": 0, "max": float(cloud_max),
                                            "includeUnknown": bool(include_unknown_cloud)}
    if metadata_filter:
        scene_filter["metadataFilter"] = metadata_filter
    return scene_filter


def iter_pages(fetch: Callable[[int, int], dict], cap: int, page_size: int) -> Iterator[dict]:
    """Pages of one search: ``fetch(starting_number, max_results)`` -> scene-search ``data``.

    Stops on an empty page, a short page, the exact ``totalHits``, or ``cap`` records; raises
    :class:`..errors.PagingError` on a page of the same scenes as an earlier page.
    """
    starting, read = 1, 0
    guard = PageGuard("USGS M2M", "scene search", max_pages=-(-cap // max(1, page_size)) + 1)
    while read < cap:
        max_results = min(page_size, cap - read)
        guard.ask(starting)
        data = fetch(starting, max_results) or {}
        results = data.get("results") or []
        count = len(results)
        ends = (results[0], results[-1]) if isinstance(results, list) and results else ()
        guard.page(count, *(_scene_key(r) for r in ends))
        del results, ends
        returned = parse_int(data.get("recordsReturned"))
        returned = count if returned is None else min(returned, count) or count
        total = parse_int(data.get("totalHits"))
        exact = str(data.get("totalHitsAccuracy") or "exact").lower() != "approximate"
        yield data
        del data  # not kept while the caller works: a page of 10,000 is big
        if count == 0 or returned == 0:
            return
        read += returned
        if exact and total is not None and starting - 1 + returned >= total:
            return
        if returned < max_results:
            return
        starting += returned


def _scene_key(result: Any) -> str:
    """A scene's identity on a page: its entity id (a Scene, or a raw result), else a fingerprint."""
    key = getattr(result, "entity_id", None) or (result.get("entityId") if isinstance(result, dict) else None)
    return f"id:{key}" if isinstance(key, str) and key else fingerprint(result if isinstance(result, dict) else
                                                                        repr(result))


class SceneSearch:
    """An M2M scene search: ``total_hits`` at once, then iterate for :class:`Scene` records (once)."""

    def __init__(self, client: M2MClient, dataset: str, scene_filters: list[dict], *, limit: int | None,
                 page_size: int, cancel: CancelCheck = None):
        self.client = client
        self.dataset = dataset
        self.cancel = cancel
        self.limit = SERVICE_MAX_RESULTS if limit is None else max(0, min(int(limit), SERVICE_MAX_RESULTS))
        self.page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
        self.pages_fetched = 0
        self.total_hits_accuracy = "exact"
        self._filters = scene_filters
        self._aheads: list[CallAhead] = []  # the requests sent ahead, one per filter (see _fetcher)
        self._pages = [iter_pages(self._fetcher(f), self.limit, self.page_size) for f in scene_filters]
        self._rest_of_first: Iterator[dict] = iter(())
        first = self._first_page(self._pages[0]) if self._pages else None  # eager: total known now
        self._first: dict | None = first
        self.total_hits = (parse_int(first.get("totalHits")) or 0) if first else 0
        self._consumed = False

    def _fetcher(self, scene_filter: dict) -> Callable[[int, int], dict]:
        ahead = CallAhead("scene-finder-page-ahead")
        self._aheads.append(ahead)
        known_total: int | None = None  # this filter's totalHits, once a page said it

        def payload_of(starting: int, max_results: int) -> dict:
            return {"datasetName": self.dataset, "maxResults": max_results, "startingNumber": starting,
                    "metadataType": "summary", "sceneFilter": scene_filter}

        def make_scene(result: Any) -> Scene:
            return scene_from_result(result, self.dataset)

        def fetch(starting: int, max_results: int) -> dict:
            nonlocal known_total
            raise_if_cancelled(self.cancel)
            payload = payload_of(starting, max_results)
            answered = ahead.take((starting, max_results)) or self.client.answer("scene-search", payload)
            # The request iter_pages makes next if this page is full goes out now, while this one is
            # decoded; not after the first page (the total is not known yet: a small search would
            # pay a request for nothing), nor past the total or the limit.
            read = starting - 1 + max_results
            following = min(self.page_size, self.limit - read)
            if known_total is not None and following > 0 and read < known_total and not is_cancelled(self.cancel):
                ahead.start((read + 1, following), self.client.answer, "scene-search", payload_of(read + 1, following))
            # each result made into a scene as it is decoded, the page checked right after, with the
            # garbage collector still paused
            data = self.client.call("scene-search", payload, convert=check_scene_page, each_result=make_scene,
                                    answered=answered) or {}
            self.pages_fetched += 1
            if known_total is None:
                known_total = parse_int(data.get("totalHits"))
            if str(data.get("totalHitsAccuracy") or "").lower() == "approximate":
                self.total_hits_accuracy = "approximate"
            LOG.debug("scene-search page from %d: %s of %s", starting, data.get("recordsReturned"),
                      data.get("totalHits"))
            return data
        return fetch

    def _close_aheads(self) -> None:
        for ahead in self._aheads:
            ahead.close()

    def _first_page(self, pages: Iterator[dict]) -> dict | None:
        """The first page; the second one is asked for as soon as it is in (see :func:`.read_ahead`)."""
        first = next(pages, None)
        if first is None:
            return None
        self._rest_of_first = read_ahead(pages, first)
        return next(self._rest_of_first)  # asks for the second page, and hands this one back

    def _all_pages(self) -> Iterator[dict]:
        """Every page (its results already scenes); the next one is fetched while the caller works
        through this one."""
        try:
            yield from self._each_filters_pages()
        finally:
            self._rest_of_first.close()
            self._close_aheads()

    def _each_filters_pages(self) -> Iterator[dict]:
        for index, pages in enumerate(self._pages):
            if index == 0:
                if self._first is None:
                    continue
                first, self._first = self._first, None  # not kept once read
                yield first
                del first
                yield from self._rest_of_first  # already fetching the second page
                continue
            first = next(pages, None)  # the other side of the antimeridian
            if first is None:
                continue
            self.total_hits += parse_int(first.get("totalHits")) or 0
            yield from read_ahead(pages, first)

    def __iter__(self) -> Iterator[Scene]:
        if self._consumed:
            raise RuntimeError("A SceneSearch can be iterated only once; run the search again.")
        self._consumed = True
        seen: set[str] = set()
        # The collector stays paused from the first page to the last: tens of thousands of scenes are
        # made while the pages are decoded, and each collection meanwhile would scan them all. (An
        # abandoned iteration is closed when dropped.)
        with collector_paused():
            for data in self._all_pages():
                scenes = data.get("results") or []  # made into scenes as the page was decoded
                del data
                for scene in scenes:
                    if len(seen) >= self.limit:
                        return
                    if not scene.entity_id or scene.entity_id in seen:
                        continue
                    seen.add(scene.entity_id)
                    yield scene
                raise_if_cancelled(self.cancel)


def search_scenes(
    client: M2MClient,
    dataset: str = DEFAULT_DATASET,
    *,
    aoi: Any = None,
    start: Any = None,
    end: Any = None,
    cloud_max: float | None = None,
    metadata: dict | None = None,
    limit: int | None = None,
    page_size: int = MAX_PAGE_SIZE,
    cancel: CancelCheck = None,
    filters: list[MetadataField] | None = None,
    include_unknown_cloud: bool = False,
) -> SceneSearch:
    """Search ``dataset``; returns a :class:`SceneSearch` whose first page is already read.

    ``aoi``: any shapely geometry or GeoJSON mapping in EPSG:4326 (see :mod:`..aoi`).
    ``start``/``end``: dates or "YYYY-MM-DD". ``cloud_max``: 0..100.
    ``metadata``: ``{"Satellite": "9", "WRS Path": (13, 15)}`` (labels or filter ids; one
    ``dataset-filters`` call resolves them unless ``filters`` is given), or an already built
    M2M ``metadataFilter`` (a dict with ``filterType``), sent as is.
    ``limit``: at most this many scenes (the service never returns more than 50,000).
    """
    if metadata and "filterType" in metadata:
        metadata_filter = metadata
    elif metadata:
        metadata_filter = build_metadata_filter(filters if filters is not None else dataset_filters(client, dataset),
                                                metadata)
    else:
        metadata_filter = None
    spatial_filters: list[dict | None] = to_m2m_spatial_filters(aoi) if aoi is not None else [None]
    scene_filters = [build_scene_filter(spatial=spatial, start=start, end=end, cloud_max=cloud_max,
                                        include_unknown_cloud=include_unknown_cloud,
                                        metadata_filter=metadata_filter) for spatial in spatial_filters]
    return SceneSearch(client, dataset, scene_filters, limit=limit, page_size=page_size, cancel=cancel)
