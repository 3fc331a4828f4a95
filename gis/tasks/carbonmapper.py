"""Carbon Mapper background tasks: scene search, plume search, raster download.

Credentials come in as plain arguments: a scoped API ``token``, or ``email`` and ``password``
(read on the main thread by the caller). HTTP goes through :func:`..network.make_qgis_session`
(the QGIS proxy settings), made in the constructor (main thread).

:class:`CarbonMapperSceneSearchTask` (result: :class:`SceneSearchResult`)
    worker: the scenes GeoPackage pages streamed and appended into ``output_path`` (layer
    ``scenes``); ``detailChanged`` carries core's :class:`SceneProgress` (pages and features
    against pagination-count). Main thread: ``result.layer`` is the styled layer (outlines),
    added to the project's "Scene Finder" group when ``add_to_project``.

:class:`CarbonMapperPlumeSearchTask` (result: :class:`PlumeSearchResult`)
    worker: annotated plumes written as points into ``output_path`` (layer ``plumes``);
    ``detailChanged`` carries ``(plumes_done, plumes_total)``. Main thread: ``result.layer``,
    graduated by emission; ``result.plumes`` holds the Plume records when ``keep_records``.

:class:`CarbonMapperRasterDownloadTask` (result: :class:`DownloadSummary`, as for M2M)
    worker: STAC items of the chosen plumes (or scenes), their assets (plume GeoTIFF and RGB
    GeoTIFF by default) downloaded into ``folder`` with the token (resumable);
    ``detailChanged`` carries the downloader's ``DownloadProgress``. ``result.files`` lists
    the files; the task fails only when no file at all could be had.

All report on the main thread through the base class's ``on_success`` / ``on_error`` callbacks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import pyqtSignal

from ...core.carbonmapper.plumes import Plume
from ...core.carbonmapper.scenes import SceneProgress
from ...core.carbonmapper.stac import PLUME_ASSETS, SCENE_ASSETS
from ..auth import TOKEN_USERNAME
from ..carbonmapper_gpkg import PLUMES_LAYER, SCENES_LAYER
from ..carbonmapper_layers import plume_layer, scene_layer
from ..clients import Access
from ..footprints_stream import StreamState
from ..network import make_qgis_session
from ..operations.download import check_summary, download_carbonmapper_rasters
from ..operations.search import SearchRequest, search_carbonmapper_plumes, search_carbonmapper_scenes
from ..styles import add_to_scene_finder_group
from .base import SceneFinderTask
from .downloads import DownloadSummary, DownloadTask
from .streaming import page_ready

LOG = logging.getLogger(__name__)

__all__ = [
    "CarbonMapperPlumeSearchTask", "CarbonMapperRasterDownloadTask", "CarbonMapperSceneSearchTask",
    "DownloadSummary", "PlumeSearchParams", "PlumeSearchResult", "SceneSearchParams", "SceneSearchResult",
]


PlumeSearchParams = SearchRequest  # see ..operations.search


def SceneSearchParams(**fields: Any) -> SearchRequest:  # noqa: N802 - kept as the former dataclass's name
    """A scene search request; ``page_limit`` (scenes per page) is the request's ``page_size``."""
    if "page_limit" in fields:
        fields["page_size"] = fields.pop("page_limit")
    return SearchRequest(**fields)


def _request(params: SearchRequest | dict) -> SearchRequest:
    return params if isinstance(params, SearchRequest) else SceneSearchParams(**params)


@dataclass
class SceneSearchResult:
    path: Path
    layer_name: str
    count: int  # scenes written
    total: int  # scenes the service matched (more than count when the AOI was shrunk and filtered)
    pages: int
    filtered: bool
    layer: QgsVectorLayer | None = None


@dataclass
class PlumeSearchResult:
    path: Path
    layer_name: str
    count: int
    total: int
    layer: QgsVectorLayer | None = None
    plumes: list[Plume] = field(default_factory=list, repr=False)


class _CarbonMapperTask(SceneFinderTask):
    def __init__(self, description: str, *, token: str | None, email: str | None, password: str | None,
                 base_url: str | None, **callbacks: Any):
        super().__init__(description, **callbacks)
        credentials = (email, password) if email else (TOKEN_USERNAME, token or "")
        # the session reads QgsSettings: made here, on the main thread
        self.access = Access.of(credentials, make_qgis_session(), base_url)


class _CarbonMapperLayerTask(_CarbonMapperTask):
    """A search written into the GeoPackage ``output_path`` (layer ``layer_name``, default ``LAYER``),
    built into a styled layer on the main thread (added to the project when ``add_to_project``)."""

    LAYER = ""

    def __init__(
        self,
        description: str,
        output_path: str | Path,
        *,
        token: str | None = None,
        email: str | None = None,
        password: str | None = None,
        base_url: str | None = None,
        layer_name: str | None = None,
        display_name: str | None = None,
        add_to_project: bool = False,
        **callbacks: Any,
    ):
        super().__init__(description, token=token, email=email, password=password, base_url=base_url, **callbacks)
        self.output_path = Path(output_path)
        self.layer_name = layer_name if layer_name is not None else self.LAYER
        self.display_name = display_name
        self.add_to_project = add_to_project

    def _with_layer(self, result: Any, layer: QgsVectorLayer) -> Any:
        result.layer = layer
        if self.add_to_project:
            add_to_scene_finder_group(layer)
        return result


class CarbonMapperSceneSearchTask(_CarbonMapperLayerTask):
    """Download the matching scenes into the GeoPackage ``output_path`` (layer ``layer_name``, replaced).

    Keyword options: ``token`` or ``email`` and ``password``, ``base_url``, ``layer_name`` (default
    ``scenes``), ``display_name``, ``add_to_project``, and the callbacks of the base class.
    ``stream=True``: the pages are shown while they arrive, as for :class:`..m2m.M2MSearchTask`
    (``pageReady``, ``page_rows``, ``stream_state``: see :mod:`.streaming`).
    """

    LAYER = SCENES_LAYER
    pageReady = pyqtSignal(object)  # noqa: N815 - Qt signal naming

    def __init__(self, params: SceneSearchParams | dict, output_path: str | Path, *, stream: bool = False,
                 page_rows: Any = None, **options: Any):
        super().__init__("Scene Finder: Carbon Mapper scenes", output_path, **options)
        self.params = _request(params)
        self.stream = stream
        self.page_rows = page_rows
        self.stream_state = StreamState()

    def work(self) -> SceneSearchResult:
        self.report_progress(1)

        def progress(step: SceneProgress) -> None:
            if step.features_total:
                self.report_progress(1 + 98 * min(1.0, step.features_done / step.features_total))
            self.report_detail(step)

        outcome = search_carbonmapper_scenes(self.access, self.params, self.output_path, self.layer_name,
                                             cancel=self.cancel_check, progress=progress,
                                             work_dir=self.output_path.parent,
                                             on_page=(lambda page: page_ready(self, page, page.total))
                                             if self.stream else None, stream_state=self.stream_state)
        merged = outcome.extra
        self.report_progress(100)
        return SceneSearchResult(merged.path, merged.layer, merged.features, merged.total, merged.pages,
                                 merged.filtered)

    def on_main_thread(self, result: SceneSearchResult) -> SceneSearchResult:
        if self.stream:
            return result  # the caller already shows the streamed layer
        return self._with_layer(result, self.make_layer(result.path, result.layer_name,
                                                        self.display_name or f"Carbon Mapper scenes ({result.count})"))

    def make_layer(self, path: str | Path, layer_name: str, name: str) -> QgsVectorLayer:
        """The styled scenes layer of ``layer_name`` in ``path`` (main thread)."""
        return scene_layer(path, layer_name, name)


class CarbonMapperPlumeSearchTask(_CarbonMapperLayerTask):
    """Write the matching plumes as points into the GeoPackage ``output_path`` (layer ``layer_name``).

    Keyword options as for :class:`CarbonMapperSceneSearchTask` (``layer_name`` default ``plumes``),
    plus ``classes`` (emission classes of the style) and ``keep_records``.
    """

    LAYER = PLUMES_LAYER

    def __init__(self, params: PlumeSearchParams | dict, output_path: str | Path, *, classes: int = 5,
                 keep_records: bool = False, **options: Any):
        super().__init__("Scene Finder: Carbon Mapper plumes", output_path, **options)
        self.params = _request(params)
        self.classes = classes
        self.keep_records = keep_records  # False: plumes go to the file only (memory stays flat)

    def work(self) -> PlumeSearchResult:
        def progress(done: int, total: int | None) -> None:
            if total:
                self.report_progress(2 + 97 * min(1.0, done / total))
            self.report_detail((done, total))

        outcome = search_carbonmapper_plumes(self.access, self.params, self.output_path, self.layer_name,
                                             cancel=self.cancel_check, progress=progress,
                                             keep_records=self.keep_records, on_total=lambda _: self.report_progress(2))
        self.report_progress(100)
        return PlumeSearchResult(self.output_path, self.layer_name, outcome.count, outcome.total, plumes=outcome.extra)

    def on_main_thread(self, result: PlumeSearchResult) -> PlumeSearchResult:
        return self._with_layer(result, plume_layer(
            result.path, result.layer_name, self.display_name or f"Carbon Mapper plumes ({result.count})",
            self.classes))


class CarbonMapperRasterDownloadTask(_CarbonMapperTask, DownloadTask):
    """Download the STAC assets of ``plumes`` (Plume records or plume ids) or of ``scenes`` (scene names)."""

    DOWNLOAD_PROGRESS_START = 5.0  # the STAC lookups

    def __init__(
        self,
        folder: str | Path,
        *,
        plumes: Iterable[Plume | str] = (),
        scenes: Iterable[str] = (),
        assets: Iterable[str] | None = None,
        parallel: int = 3,
        token: str | None = None,
        email: str | None = None,
        password: str | None = None,
        base_url: str | None = None,
        **callbacks: Any,
    ):
        self.plumes = list(plumes)
        self.scenes = list(scenes)
        count = len(self.plumes) + len(self.scenes)
        super().__init__(f"Scene Finder: Carbon Mapper rasters of {count} item(s)", token=token, email=email,
                         password=password, base_url=base_url, **callbacks)
        self.folder = Path(folder)
        default = PLUME_ASSETS if self.plumes else SCENE_ASSETS
        self.assets = tuple(assets) if assets is not None else default
        self.parallel = parallel

    def work(self) -> DownloadSummary:
        summary = download_carbonmapper_rasters(
            self.access, self.folder, plumes=self.plumes, scenes=self.scenes, assets=self.assets,
            parallel=self.parallel, cancel=self.cancel_check, progress=self._on_progress,
            looked_up=lambda items, missing: self.report_progress(5))
        self.summary = summary
        check_summary(summary, "raster(s)", "Carbon Mapper")
        self.report_progress(100)
        return summary
