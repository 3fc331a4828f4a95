"""USGS M2M background tasks: scene search to a footprints layer, and scene downloads.

Both take the credentials as a (username, application token) pair read on the main thread
(see :func:`..auth.resolve_credentials`: reading the auth database may prompt for the master
password), log in, do their work, and always log out. Their HTTP goes through
:func:`..network.make_qgis_session` (the QGIS proxy settings).

:class:`M2MSearchTask` (result: :class:`SearchResult`)
    worker thread: login, ``scene-search`` (the total hits are known after the first page and
    published through ``detailChanged`` as a :class:`SearchDetail`), footprints written to the
    GeoPackage as they arrive (progress follows the scenes written against the expected count),
    logout. Main thread: ``SearchResult.layer`` is the styled QgsVectorLayer, *not* added to the
    project; add it with :func:`add_to_scene_finder_group` (or however the caller likes).

:class:`M2MDownloadTask` (result: :class:`DownloadSummary`)
    worker thread: login, download-options/-request/-retrieve, files streamed to ``folder``
    (resumable; a cancelled download keeps its partial files for next time), logout.
    ``progress()`` is the percentage of bytes (of files when sizes are unknown);
    ``detailChanged`` carries the downloader's ``DownloadProgress`` (bytes done/total, files,
    speed, ETA), which :func:`..base.describe_progress` turns into a line of text. Files that
    could not be had are listed in ``DownloadSummary.failed``; the task itself succeeds unless
    no file at all could be had (then ``failed`` is emitted with a DownloadError, and the
    summary is still in ``task.summary``).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.core import QgsVectorLayer

from ...core.m2m import DEFAULT_DATASET, M2MClient, download_scenes, search_scenes
from ..footprints import write_footprints
from ..network import make_qgis_session
from ..styles import add_to_scene_finder_group, footprint_layer
from .base import SceneFinderTask
from .downloads import DownloadSummary, DownloadTask

LOG = logging.getLogger(__name__)

__all__ = [
    "DownloadSummary", "M2MDownloadTask", "M2MSearchTask", "SearchDetail", "SearchParams", "SearchResult",
    "add_to_scene_finder_group",
]


@dataclass
class SearchParams:
    """What to search: ``aoi`` is a shapely geometry (or GeoJSON mapping) in EPSG:4326."""

    dataset: str = DEFAULT_DATASET
    aoi: Any = None
    start: datetime.date | str | None = None
    end: datetime.date | str | None = None
    cloud_max: float | None = None
    metadata: dict | None = None
    limit: int | None = None
    page_size: int | None = None  # scenes per scene-search call (None: the core's default)


@dataclass
class SearchDetail:
    """Search progress for the UI: the service's total, how many will be written, how many were."""

    total_hits: int
    expected: int
    written: int = 0


@dataclass
class SearchResult:
    path: Path
    layer_name: str
    count: int  # footprints written
    total_hits: int  # what the service found (may exceed count: limit, 50,000 cap)
    dataset: str
    layer: QgsVectorLayer | None = None  # built on the main thread, not added to any project


def _client(task: M2MSearchTask | M2MDownloadTask) -> M2MClient:
    """An M2M client for the task; used as a context manager it logs out at the end, also after a cancel."""
    return M2MClient(task.username, task._token, task.base_url, task.session, task.isCanceled)


def _params(params: SearchParams | dict) -> SearchParams:
    return params if isinstance(params, SearchParams) else SearchParams(**params)


class M2MSearchTask(SceneFinderTask):
    """Search M2M and write the footprints to ``output_path`` (GeoPackage layer ``layer_name``)."""

    def __init__(
        self,
        credentials: tuple[str, str],
        params: SearchParams | dict,
        output_path: str | Path,
        base_url: str | None = None,
        *,
        layer_name: str = "footprints",
        display_name: str | None = None,
        **callbacks: Any,
    ):
        self.params = _params(params)
        super().__init__(f"Scene Finder: search {self.params.dataset}", **callbacks)
        self.username, self._token = credentials
        self.output_path = Path(output_path)
        self.base_url = base_url
        self.layer_name = layer_name
        self.display_name = display_name
        self.session = make_qgis_session()  # reads QgsSettings: done here, on the main thread

    def work(self) -> SearchResult:
        p = self.params
        with _client(self) as client:
            self.report_progress(2)
            search = search_scenes(client, p.dataset, aoi=p.aoi, start=p.start, end=p.end, cloud_max=p.cloud_max,
                                   metadata=p.metadata, limit=p.limit, cancel=self.cancel_check,
                                   **({"page_size": p.page_size} if p.page_size else {}))
            expected = min(search.total_hits, search.limit)
            detail = SearchDetail(search.total_hits, expected)
            self.report_detail(detail)
            self.report_progress(5)
            LOG.info("M2M search %s: %d scene(s) found", p.dataset, search.total_hits)
            to_percent = self.progress_range(5, 99)

            def progress(done: int, total: int | None) -> None:
                to_percent(done, total or expected or done)
                self.report_detail(SearchDetail(search.total_hits, expected, done))

            count = write_footprints(search, self.output_path, self.layer_name, cancel=self.cancel_check,
                                     progress=progress)
        self.report_detail(SearchDetail(search.total_hits, expected, count))
        self.report_progress(100)
        return SearchResult(self.output_path, self.layer_name, count, search.total_hits, p.dataset)

    def on_main_thread(self, result: SearchResult) -> SearchResult:
        name = self.display_name or _default_display_name(self.params, result.count)
        result.layer = footprint_layer(result.path, result.layer_name, name)
        return result


def _default_display_name(params: SearchParams, count: int) -> str:
    dates = " – ".join(str(d)[:10] for d in (params.start, params.end) if d)
    return f"{params.dataset} {dates} ({count})".replace("  ", " ")


class M2MDownloadTask(DownloadTask):
    """Download bundles or band files of ``entity_ids`` into ``folder``."""

    def __init__(
        self,
        credentials: tuple[str, str],
        dataset: str,
        entity_ids: Iterable[str],
        folder: str | Path,
        product: str | list[str] = "bundle",
        parallel: int = 3,
        base_url: str | None = None,
        *,
        poll: Any = None,
        **callbacks: Any,
    ):
        self.entity_ids = list(dict.fromkeys(entity_ids))
        super().__init__(f"Scene Finder: download {len(self.entity_ids)} scene(s)", **callbacks)
        self.username, self._token = credentials
        self.dataset = dataset
        self.folder = Path(folder)
        self.product = product
        self.parallel = parallel
        self.base_url = base_url
        self.poll = poll  # core.m2m.PollPolicy: how download-retrieve is polled while USGS prepares files
        self.session = make_qgis_session()

    def work(self) -> DownloadSummary:
        self.folder.mkdir(parents=True, exist_ok=True)
        with _client(self) as client:
            results = download_scenes(client, self.dataset, self.entity_ids, self.folder, product=self.product,
                                      parallel=self.parallel, cancel=self.cancel_check, progress=self._on_progress,
                                      poll=self.poll)
        summary = self._keep_summary(self.folder, results)
        self._check_summary(summary, "file(s)", "USGS M2M")
        self.report_progress(100)
        return summary
