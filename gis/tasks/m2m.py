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
    no file at all could be had (then ``on_error`` gets a DownloadError, and the
    summary is still in ``task.summary``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import pyqtSignal

from ..clients import Access
from ..footprints_stream import FootprintPage, StreamState
from ..network import make_qgis_session
from ..operations.download import check_summary, download_m2m
from ..operations.search import SearchRequest, search_m2m
from ..styles import add_to_scene_finder_group, footprint_layer
from .base import SceneFinderTask
from .downloads import DownloadSummary, DownloadTask
from .streaming import StreamedPage, page_ready

LOG = logging.getLogger(__name__)

__all__ = [
    "DownloadSummary", "M2MDownloadTask", "M2MSearchTask", "SearchDetail", "SearchParams", "SearchResult",
    "StreamedPage",
    "add_to_scene_finder_group",
]


SearchParams = SearchRequest  # what the panel and Processing search with: see ..operations.search


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


def _params(params: SearchRequest | dict) -> SearchRequest:
    return params if isinstance(params, SearchRequest) else SearchRequest(**params)


class M2MSearchTask(SceneFinderTask):
    """Search M2M and write the footprints to ``output_path`` (GeoPackage layer ``layer_name``).

    With ``stream=True`` the footprints are streamed (:mod:`..footprints_stream`): after each page
    ``pageReady`` carries a :class:`StreamedPage` (the preview file to show meanwhile, and the
    page's table rows made in the worker thread by ``page_rows(page)`` when given), and
    :attr:`stream_state` says where the rows went, also when the search is cancelled or fails
    mid-way. The caller shows the layer then (``SearchResult.layer`` stays None).
    """

    pageReady = pyqtSignal(object)  # noqa: N815 - Qt signal naming

    def __init__(
        self,
        credentials: tuple[str, str],
        params: SearchParams | dict,
        output_path: str | Path,
        base_url: str | None = None,
        *,
        layer_name: str = "footprints",
        display_name: str | None = None,
        stream: bool = False,
        page_rows: Callable[[FootprintPage], Any] | None = None,
        **callbacks: Any,
    ):
        self.params = _params(params)
        super().__init__(f"Scene Finder: search {self.params.dataset}", **callbacks)
        self.output_path = Path(output_path)
        self.layer_name = layer_name
        self.display_name = display_name
        self.stream = stream
        self.page_rows = page_rows
        self.stream_state = StreamState()
        # the session reads QgsSettings: made here, on the main thread
        self.access = Access.of(credentials, make_qgis_session(), base_url)

    def work(self) -> SearchResult:
        p = self.params
        self.report_progress(2)
        counts: list[int] = []  # total hits, expected

        def on_total(total_hits: int, expected: int) -> None:
            counts[:] = [total_hits, expected]
            self.report_detail(SearchDetail(total_hits, expected))
            self.report_progress(5)
            LOG.info("M2M search %s: %d scene(s) found", p.dataset, total_hits)

        to_percent = self.progress_range(5, 99)

        def progress(done: int, total: int | None) -> None:
            to_percent(done, total or counts[1] or done)
            self.report_detail(SearchDetail(counts[0], counts[1], done))

        def on_page(page: FootprintPage) -> None:
            page_ready(self, page, counts[0] if counts else None)

        outcome = search_m2m(self.access, p, self.output_path, self.layer_name, cancel=self.cancel_check,
                             on_total=on_total, progress=progress, on_page=on_page if self.stream else None,
                             stream_state=self.stream_state)
        self.report_detail(SearchDetail(outcome.total, counts[1], outcome.count))
        self.report_progress(100)
        return SearchResult(self.output_path, self.layer_name, outcome.count, outcome.total, p.dataset)

    def on_main_thread(self, result: SearchResult) -> SearchResult:
        if self.stream:
            return result  # the caller already shows the streamed layer
        name = self.display_name or _default_display_name(self.params, result.count)
        result.layer = self.make_layer(result.path, result.layer_name, name)
        return result

    def make_layer(self, path: str | Path, layer_name: str, name: str) -> QgsVectorLayer:
        """The styled footprints layer of ``layer_name`` in ``path`` (main thread)."""
        return footprint_layer(path, layer_name, name)


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
        self.access = Access.of(credentials, make_qgis_session(), base_url)
        self.dataset = dataset
        self.folder = Path(folder)
        self.product = product
        self.parallel = parallel
        self.poll = poll  # core.m2m.PollPolicy: how download-retrieve is polled while USGS prepares files

    def work(self) -> DownloadSummary:
        summary = download_m2m(self.access, {self.dataset: self.entity_ids}, self.folder, product=self.product,
                               parallel=self.parallel, poll=self.poll, cancel=self.cancel_check,
                               progress=self._on_progress)
        self.summary = summary
        check_summary(summary, "file(s)", "USGS M2M")
        self.report_progress(100)
        return summary
