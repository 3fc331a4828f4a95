"""Search operations: one request, the service's answer written to a GeoPackage layer.

:class:`SearchRequest` holds what the user asked, whatever the entry point; the functions here
decide once what is sent for it. The cloud cover rule: at 100 % (or none) with unknown cloud cover
included, no cloud filter is sent at all, so nothing is dropped; otherwise scenes above the maximum
are dropped, and scenes whose cloud cover is unknown are kept only when
``include_unknown_cloud`` (USGS M2M ``cloudCoverFilter.includeUnknown``; Carbon Mapper's filter has
no such switch and drops them whenever a maximum is sent).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.cancel import CancelCheck
from ...core.m2m import DEFAULT_DATASET
from ..clients import Access, connect

ProgressCallback = Callable[[int, "int | None"], None]


@dataclass
class SearchRequest:
    """What to search; ``aoi`` is a shapely geometry (or GeoJSON mapping) in EPSG:4326.

    Each source reads the fields that apply to it: ``dataset`` and ``metadata`` (USGS M2M),
    ``cloud_max`` and ``include_unknown_cloud`` (scenes), ``gas``, ``emission_*`` and ``status``
    (plumes), ``instrument`` (Carbon Mapper), ``limit`` (USGS M2M, plumes).
    """

    aoi: Any = None
    start: datetime.date | str | None = None
    end: datetime.date | str | None = None
    cloud_max: float | None = 100.0
    include_unknown_cloud: bool = True
    dataset: str = DEFAULT_DATASET
    metadata: dict | None = None
    limit: int | None = None
    gas: str | None = None
    emission_min: float | None = None
    emission_max: float | None = None
    status: str | None = "published"
    instrument: str | None = None
    cloud_min: float | None = None  # Carbon Mapper scenes
    sectors: list[str] | None = None  # Carbon Mapper plumes
    extra: dict | None = None  # further Carbon Mapper scene filters, as query parameters
    page_size: int | None = None  # records per call (None: the core's default); never changes the result


@dataclass
class SearchOutcome:
    path: Path
    layer_name: str
    count: int  # records written
    total: int  # records the service matched (may exceed count: the limit, the 50,000 cap, a shrunk AOI)
    extra: Any = None  # the source's own result (Carbon Mapper: the merge result, or the kept plumes)


def no_cloud_filter(request: SearchRequest) -> bool:
    """True when the request keeps every scene whatever its cloud cover, known or not."""
    return (request.cloud_max is None or float(request.cloud_max) >= 100.0) and request.include_unknown_cloud


def m2m_cloud_arguments(request: SearchRequest) -> dict:
    """``cloud_max`` and ``include_unknown_cloud`` for core's ``search_scenes``."""
    if no_cloud_filter(request):
        return {"cloud_max": None}
    cloud_max = 100.0 if request.cloud_max is None else min(100.0, float(request.cloud_max))
    return {"cloud_max": cloud_max, "include_unknown_cloud": bool(request.include_unknown_cloud)}


def carbonmapper_cloud_max(request: SearchRequest) -> float | None:
    """``cloud_max`` for core's Carbon Mapper scene search (None: no filter)."""
    if no_cloud_filter(request):
        return None
    return 100.0 if request.cloud_max is None else min(100.0, float(request.cloud_max))


def search_m2m(access: Access, request: SearchRequest, output: str | Path, layer_name: str = "footprints", *,
               cancel: CancelCheck = None, on_total: Callable[[int, int], None] | None = None,
               progress: ProgressCallback | None = None, on_page: Callable[[Any], None] | None = None,
               stream_state: Any = None) -> SearchOutcome:
    """USGS M2M scenes into ``output``; ``on_total(total_hits, expected)`` once the first page is in.

    With ``on_page`` the footprints are streamed (:func:`..footprints_stream.stream_footprints`):
    each page is readable as soon as it is in, and ``on_page`` gets its ``FootprintPage``;
    ``stream_state`` (a ``StreamState``) tells, also after an error, where the rows went.
    """
    from ...core.m2m import search_scenes
    from ..footprints import write_footprints
    from ..footprints_stream import stream_footprints

    with connect("m2m", access, cancel) as client:
        search = search_scenes(client, request.dataset or DEFAULT_DATASET, aoi=request.aoi, start=request.start,
                               end=request.end, metadata=request.metadata or None, limit=request.limit,
                               cancel=cancel, **m2m_cloud_arguments(request),
                               **({"page_size": request.page_size} if request.page_size else {}))
        if on_total is not None:
            on_total(search.total_hits, min(search.total_hits, search.limit))
        if on_page is None:
            count = write_footprints(search, output, layer_name, cancel=cancel, progress=progress)
        else:
            count = stream_footprints(search, output, layer_name, on_page=on_page, state=stream_state,
                                      cancel=cancel, progress=progress)
    return SearchOutcome(Path(output), layer_name, count, search.total_hits)


def search_carbonmapper_scenes(access: Access, request: SearchRequest, output: str | Path,
                               layer_name: str | None = None, *, cancel: CancelCheck = None,
                               progress: Callable[[Any], None] | None = None,
                               work_dir: Path | None = None, on_page: Callable[[Any], None] | None = None,
                               stream_state: Any = None) -> SearchOutcome:
    """Carbon Mapper scenes into ``output``; ``progress`` gets core's ``SceneProgress``; with ``on_page``
    streamed (see :func:`..carbonmapper_gpkg.merge_scene_pages`)."""
    from ...core.carbonmapper.scenes import SceneDownload
    from ..carbonmapper_gpkg import SCENES_LAYER, merge_scene_pages

    layer_name = layer_name or SCENES_LAYER
    with connect("carbonmapper", access, cancel) as client:
        download = SceneDownload(client, aoi=request.aoi, start=request.start, end=request.end,
                                 instrument=request.instrument or None, cloud_min=request.cloud_min,
                                 cloud_max=carbonmapper_cloud_max(request), extra=request.extra,
                                 page_limit=request.page_size, work_dir=work_dir, cancel=cancel)
        merged = merge_scene_pages(download, output, layer=layer_name, cancel=cancel, progress=progress,
                                   on_page=on_page, state=stream_state)
    return SearchOutcome(Path(merged.path), merged.layer, merged.features, merged.total, merged)


def search_carbonmapper_plumes(access: Access, request: SearchRequest, output: str | Path,
                               layer_name: str | None = None, *, cancel: CancelCheck = None,
                               progress: ProgressCallback | None = None, keep_records: bool = False,
                               on_total: Callable[[int], None] | None = None) -> SearchOutcome:
    """Carbon Mapper plumes as points into ``output``; ``extra`` holds the Plume records when ``keep_records``."""
    from ...core.carbonmapper.plumes import search_plumes
    from ..carbonmapper_gpkg import PLUMES_LAYER, write_plumes

    layer_name = layer_name or PLUMES_LAYER
    kept: list = []
    with connect("carbonmapper", access, cancel) as client:
        search = search_plumes(client, aoi=request.aoi, start=request.start, end=request.end, gas=request.gas or None,
                               emission_min=request.emission_min, emission_max=request.emission_max,
                               status=request.status, instrument=request.instrument or None,
                               sectors=request.sectors, limit=request.limit,
                               cancel=cancel, progress=progress)
        if on_total is not None:
            on_total(search.total)

        def keep(records):
            for plume in records:
                kept.append(plume)
                yield plume

        count = write_plumes(keep(search) if keep_records else search, output, layer=layer_name, cancel=cancel)
    return SearchOutcome(Path(output), layer_name, count, search.total, kept)
