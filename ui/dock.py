"""The Scene Finder dock panel: search, results and downloads, accounts.

Four tabs. "Search": source, area of interest, form, Search/Cancel with progress. "Results": the
table (linked with the footprints layer), its thumbnail, and the download section (driven by the
:class:`.download_controller.DownloadController` the dock owns). "Downloads": the persistent queue
(:mod:`.queue_tab`). "Accounts": the sign-in boxes.
All network and file work runs in QGIS tasks (visible in the task manager too); every slot
catches its errors and reports them in the message bar, with details in the "Scene Finder" log.
"""

from __future__ import annotations

import itertools
import logging
import tempfile
from pathlib import Path

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import AuthError, CancelledError, SceneFinderError
from ..gis import auth
from ..gis.clients import service
from ..gis.queue_runner import QueueRunner
from ..gis.search_files import search_file_name
from ..gis.sources import FIELD_DATASET, source
from ..gis.styles import add_to_scene_finder_group
from ..gis.tasks.base import start_task
from .aoi import AoiPicker
from .coverage import CoveragePicker
from .download_controller import MAX_SIZE_LOOKUP, DownloadController
from .download_controller import tr as dock_tr
from .downloads import DownloadPanel
from .map_follow import MapFollower
from .messages import Messages
from .plain_text import plain_label
from .previews import CACHE_FOLDER, PreviewsController
from .queue_tab import QueueTab
from .results import ResultsPanel
from .saved_searches import SavedSearchesPanel
from .search_form import SearchForm
from .signin import SignInPanel
from .streamed_results import StreamedSearch, status_text

__all__ = ["MAX_SIZE_LOOKUP", "UI_PAGE_SIZE", "SceneFinderDock"]

LOG = logging.getLogger(__name__)

# Scenes per scene-search call. Decoding a 10,000-scene page (18 MB of JSON) holds Python's GIL for
# over 100 ms, which freezes every Python slot of QGIS meanwhile; 2,000-scene pages keep that short.
UI_PAGE_SIZE = 2000


class SceneFinderDock(QgsDockWidget):
    search_started = pyqtSignal(str, object, object)  # source id, SearchRequest, task (saved searches follow it)

    def __init__(self, iface, parent=None):
        super().__init__(self.tr("Scene Finder"), parent)
        self.iface = iface
        self.messages = Messages(iface)
        self.search_task = None
        self.results_layer = None
        self.stream: StreamedSearch | None = None  # the running search's pages, when its source streams
        self.follower = MapFollower(iface.mapCanvas())  # the map follows the search
        self._closing = False
        self._counter = itertools.count(1)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("SceneFinderTabs")
        self.setWidget(self.tabs)

        # Search tab
        self.form = SearchForm()
        self.aoi = AoiPicker(iface)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setObjectName("SearchButton")
        self.search_button.setDefault(True)
        self.cancel_search_button = QPushButton(self.tr("Cancel"))
        self.cancel_search_button.setObjectName("SearchCancel")
        self.cancel_search_button.setEnabled(False)
        self.search_progress = QProgressBar()
        self.search_progress.setObjectName("SearchProgress")
        self.search_progress.setVisible(False)
        self.search_status = plain_label(QLabel())  # error messages carry what the service said
        self.search_status.setObjectName("SearchStatus")
        self.search_status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.cancel_search_button)
        buttons.addStretch(1)
        search_body = QWidget()
        search_layout = QVBoxLayout(search_body)
        search_layout.addWidget(self.form)
        search_layout.addWidget(self.aoi)
        search_layout.addLayout(buttons)
        search_layout.addWidget(self.search_progress)
        search_layout.addWidget(self.search_status)
        self.saved = SavedSearchesPanel(self)  # uses the form, the AOI, the results and the downloads
        search_layout.addWidget(self.saved)
        search_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(search_body)
        self.tabs.addTab(scroll, self.tr("Search"))

        # Results tab
        self.results = ResultsPanel(iface)
        self.downloads = DownloadPanel()
        results_body = QWidget()
        results_layout = QVBoxLayout(results_body)
        results_layout.addWidget(self.results, 1)
        self.coverage = CoveragePicker(self.results, lambda: self.aoi.aoi().to_shapely(), self.messages)
        results_layout.addWidget(self.coverage)
        self.previews = PreviewsController(self.results, self.messages, self._previews_folder, self._credentials,
                                           self)
        results_layout.addWidget(self.previews.bar)
        results_layout.addWidget(self.downloads)
        self.tabs.addTab(results_body, self.tr("Results"))

        # Downloads tab: the persistent queue (USGS downloads of the Results tab go there)
        self.queue = QueueRunner(self._m2m_credentials_quietly, parent=self)
        self.queue_tab = QueueTab(self.queue, iface)
        self.tabs.addTab(self.queue_tab, self.tr("Downloads"))

        # Accounts tab
        self.signin = SignInPanel()
        self.tabs.addTab(self.signin, self.tr("Accounts"))

        self.form.credentials_provider = self._m2m_credentials_quietly
        self.form.source_changed.connect(self._source_changed)
        self.form.info_failed.connect(lambda error: self.messages.error(error, self.tr("Reading the USGS datasets")))
        self.search_button.clicked.connect(self.start_search)
        self.cancel_search_button.clicked.connect(self.cancel_search)
        self.download = DownloadController(self.results, self.downloads, self.messages, self._credentials,
                                           self._m2m_credentials_quietly, self.form.dataset, self)
        self.queue_tab.open()
        if self.queue.store is not None:  # else (a queue file it cannot use) each download runs as a task
            self.download.queue = self.queue
        self.results.read_failed.connect(lambda error: self.messages.error(error, self.tr("Reading the results")))
        for box in (self.signin.m2m, self.signin.carbonmapper):
            box.signed_in.connect(self._signed_in)
            box.failed.connect(self._sign_in_failed)
        self._source_changed(self.form.source())
        self.visibilityChanged.connect(self._visibility_changed)
        self.aoi.set_shown(False)

    def _visibility_changed(self, visible: bool) -> None:
        try:
            self.aoi.set_shown(visible)
        except Exception:
            LOG.exception("Showing the area of interest failed")

    def tr(self, message: str) -> str:
        return dock_tr(message)  # one context for the dock and its download controller

    # Messages (also used by the drop handler)
    def notify(self, level: str, message: str) -> None:
        if level == "error":
            self.messages.error(message)
        else:
            self.messages.show(level, message)

    # Credentials
    def _m2m_credentials_quietly(self) -> tuple[str, str] | None:
        try:
            return self.signin.m2m.credentials()
        except AuthError:
            return None

    def _credentials(self, service_id: str) -> tuple[str, str] | None:
        """The service's credentials, or None after telling the user to sign in."""
        try:
            pair = self.signin.box(service_id).credentials()
        except AuthError as error:
            self.messages.error(error)
            pair = None
        if pair is None:
            name = service(service_id).short_name
            self.messages.warning(self.tr("Sign in to {service} first (Accounts tab).").format(service=name))
            self.tabs.setCurrentWidget(self.signin)
        return pair

    def _signed_in(self, service: str, username: str) -> None:
        shown = self.tr("an API token") if username == auth.TOKEN_USERNAME else username
        self.messages.success(self.tr("Signed in as {user}.").format(user=shown))
        self.form.load_dataset_info(force=True)  # loads only when the current source has datasets

    def _sign_in_failed(self, service: str, error) -> None:
        self.messages.error(error, self.tr("Signing in"))

    # Search
    def _source_changed(self, source_id: str) -> None:
        self.download.source_chosen(source_id)

    def _output_path(self, source: str) -> Path:
        """Where a search's footprints go: next to the downloads, so a saved project keeps its results
        (QGIS treats files in the temporary folder as scratch data and warns when closing)."""
        folder = self.downloads.folder() / "searches"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            folder = Path(tempfile.mkdtemp(prefix="scene_finder_"))
        return folder / search_file_name(source, next(self._counter))

    def _previews_folder(self) -> Path:
        """Where previews are kept: next to the downloads, so a saved project keeps its previews."""
        return self.downloads.folder() / CACHE_FOLDER

    def start_search(self) -> None:
        try:
            if self.search_task is not None:
                return
            chosen = source(self.form.source())
            aoi = self.aoi.aoi()
            credentials = self._credentials(chosen.service)
            if credentials is None:
                return
            self.form.remember()
            request = self.form.request(aoi.to_shapely())
            request.page_size = UI_PAGE_SIZE if FIELD_DATASET in chosen.fields else None
            name = self.tr("Landsat {start} – {end}").format(start=request.start, end=request.end)
            task = chosen.search_task(request, credentials, self._output_path(chosen.id), name)
            task.add_callbacks(lambda result: self._search_done(task, chosen.id, result),
                               lambda error: self._search_failed(task, error, chosen.id))
            self.stream = StreamedSearch(task, self.results, chosen.kind, name, self.follower,
                                         lambda: self.tabs.setCurrentIndex(1)) if hasattr(task, "pageReady") else None
            task.progressChanged.connect(self._search_progress)
            task.detailChanged.connect(self._search_detail)
            self.search_task = task
            self.search_button.setEnabled(False)
            self.cancel_search_button.setEnabled(True)
            self.search_progress.setValue(0)
            self.search_progress.setVisible(True)
            self.search_status.setStyleSheet("")
            self.search_status.setText(self.tr("Searching… (area {area})").format(area=aoi.describe()))
            self.search_started.emit(chosen.id, request, task)
            self.follower.start()
            start_task(task)
        except SceneFinderError as error:
            self.search_status.setText(str(error))
            self.search_status.setStyleSheet("color: #b00020;")
            self.messages.error(error, self.tr("Search"))
        except Exception as error:
            LOG.exception("Starting the search failed")
            self.messages.error(error, self.tr("Search"))

    def _search_progress(self, value: float) -> None:
        if not self._closing:
            self.search_progress.setValue(int(value))

    def _search_detail(self, detail) -> None:
        if self._closing:
            return
        total = getattr(detail, "total_hits", None)
        if total is None and isinstance(detail, tuple) and len(detail) == 2:
            total = detail[1]
        if total is None:
            total = getattr(detail, "features_total", None)
        if self.stream is not None and self.stream.shown:
            self.search_status.setText(status_text(total, self.stream.shown))
        elif total is not None:
            self.search_status.setText(self.tr("{total} found; reading…").format(total=f"{total:,}"))

    def cancel_search(self) -> None:
        if self.search_task is not None:
            self.search_task.cancel()

    def _search_finished(self) -> None:
        self.search_task = None
        self.search_button.setEnabled(True)
        self.cancel_search_button.setEnabled(False)
        self.search_progress.setVisible(False)

    def _search_done(self, task, source_id: str, result) -> None:
        if self._closing or task is not self.search_task:
            return
        self._search_finished()
        stream, self.stream = self.stream, None
        try:
            total = getattr(result, "total_hits", None) or getattr(result, "total", None) or result.count
            if stream is not None:
                layer = result.layer = stream.finish(result)
            else:
                layer = result.layer
                self.follower.quietly(lambda: add_to_scene_finder_group(layer))
                self.results.show_layer(layer, source(source_id).kind)
            self.results_layer = layer
            self.follower.follow(layer)
            self.follower.stop()
            text = status_text(total, result.count, done=True)
            self.search_status.setText(text)
            self.messages.info(text)
            self.download.table_shown(source_id)
            if result.count:
                self.tabs.setCurrentIndex(1)
        except Exception as error:
            LOG.exception("Showing the search results failed")
            self.messages.error(error, self.tr("Search"))

    def _search_failed(self, task, error, source_id: str = "") -> None:
        if self._closing or task is not self.search_task:
            return
        self._search_finished()
        stream, self.stream = self.stream, None
        if stream is not None and stream.shown:  # the rows that arrived stay, and the status says so
            try:
                self.results_layer = stream.stop()
                self.follower.follow(self.results_layer)
                self.download.table_shown(source_id)
                self.tabs.setCurrentIndex(1)
            except Exception:
                LOG.exception("Keeping the search results that arrived failed")
        self.follower.stop()
        if stream is not None and stream.shown:
            ended = "cancelled" if isinstance(error, CancelledError) else str(error)
            self.search_status.setText(status_text(stream.total, stream.shown, ended=ended))
            if not isinstance(error, CancelledError):
                self.search_status.setStyleSheet("color: #b00020;")
                self.messages.error(error, self.tr("Search"))
            return
        if isinstance(error, CancelledError):
            self.search_status.setText(self.tr("Search cancelled."))
            return
        self.search_status.setStyleSheet("color: #b00020;")
        self.search_status.setText(str(error))
        self.messages.error(error, self.tr("Search"))

    # Unload
    def shutdown(self) -> None:
        """Cancel running work before the plugin is unloaded (or QGIS closes)."""
        self._closing = True
        if self.search_task is not None:
            # Its progress slots stay connected: they check _closing (and the task manager needs
            # progressChanged for its own bookkeeping).
            try:
                self.search_task.cancel()
            except RuntimeError:  # the task manager already deleted it
                pass
        self.coverage.shutdown()  # cancels its task; never raises
        self.search_task = None
        if self.stream is not None:
            self.stream.shutdown()
        for part in (self.previews, self.download, self.form, self.signin, self.results, self.aoi, self.saved,
                     self.queue_tab, self.follower):
            try:
                part.shutdown()
            except Exception:
                LOG.exception("Shutting down %s failed", type(part).__name__)
