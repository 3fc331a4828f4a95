"""The dock's download side: sizes of the selected scenes, the download task, opening the files.

A mixin of :class:`.dock.SceneFinderDock`: it works on the dock's own widgets and task attributes
(``results``, ``downloads``, ``messages``, ``form``, ``download_task``, ``size_task``, ``load_tasks``...).
"""

from __future__ import annotations

import logging
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import CancelledError, SceneFinderError
from ..gis import auth, loaders, settings
from ..gis.operations.opening import files_to_open
from ..gis.tasks import carbonmapper as cm
from ..gis.tasks.base import start_task
from ..gis.tasks.m2m import M2MDownloadTask
from ..gis.tasks.panel import SizesTask
from .results_model import KIND_LANDSAT, format_size
from .search_form import SOURCE_CM_PLUMES, SOURCE_LANDSAT, service_of

LOG = logging.getLogger(__name__)

MAX_SIZE_LOOKUP = 200  # selected scenes whose size is looked up at once


class DockDownloads:
    """Looks up sizes, downloads the selected rows and opens what arrived, for the dock."""

    def tr(self, message: str) -> str:
        # The dock's context, so these strings keep their translations.
        return QCoreApplication.translate("SceneFinderDock", message)

    # Sizes of the selected scenes (download-options), shown in the table before downloading
    def _selection_changed(self, rows: list) -> None:
        self.downloads.set_selection_count(len(rows))
        self._show_selected_size(rows)
        if self.results_source == SOURCE_LANDSAT and any(row.size is None for row in rows):
            self.size_timer.start()

    def _show_selected_size(self, rows: list) -> None:
        known = [row.size for row in rows if row.size]
        if rows and not self.downloads.running:
            text = self.tr("{count} selected").format(count=len(rows))
            if known:
                text += self.tr(", {size}").format(size=format_size(sum(known)))
                if len(known) < len(rows):
                    text += self.tr(" (size of {known} known)").format(known=len(known))
            self.downloads.status.setStyleSheet("")
            self.downloads.status.setText(text)

    def fetch_sizes(self) -> None:
        try:
            if self.size_task is not None or self._closing:
                return
            rows = [row for row in self.results.selected_rows() if row.size is None and row.kind == KIND_LANDSAT]
            credentials = self._m2m_credentials_quietly()
            if not rows or credentials is None:
                return
            rows = rows[:MAX_SIZE_LOOKUP]
            task = SizesTask(credentials, rows[0].dataset or self.form.dataset(), [row.key for row in rows])
            task.add_callbacks(lambda sizes: self._sizes_known(task, sizes), lambda error: self._sizes_failed(task))
            self.size_task = task
            start_task(task)
        except Exception:
            LOG.exception("Looking up the sizes failed")

    def _sizes_known(self, task, sizes: dict) -> None:
        if self._closing or task is not self.size_task:
            return
        self.size_task = None
        self.results.model.update_rows({key: {"size": size} for key, size in sizes.items()})
        self._show_selected_size(self.results.selected_rows())

    def _sizes_failed(self, task) -> None:
        if task is self.size_task:
            self.size_task = None  # sizes are a nicety: the download reports real errors

    # Download
    def start_download(self) -> None:
        try:
            if self.download_task is not None:
                return
            rows = self.results.selected_rows()
            if not rows:
                self.messages.warning(self.tr("Select scenes or plumes in the table first."))
                return
            source = self.results_source
            credentials = self._credentials(service_of(source))
            if credentials is None:
                return
            self.downloads.remember()
            folder = self.downloads.folder()
            if source == SOURCE_LANDSAT:
                dataset = rows[0].dataset or self.form.dataset()
                task = M2MDownloadTask(credentials, dataset, [row.key for row in rows], folder,
                                       self.downloads.product(), settings.parallel_downloads(), settings.m2m_url(),
                                       poll=self.poll_policy)
            else:
                kwargs = auth.carbonmapper_auth_kwargs(*credentials)
                which = {"plumes": [row.key for row in rows]} if source == SOURCE_CM_PLUMES else \
                    {"scenes": [row.label for row in rows]}
                task = cm.CarbonMapperRasterDownloadTask(folder, parallel=settings.parallel_downloads(),
                                                      base_url=settings.carbonmapper_url(), **which, **kwargs)
            task.add_callbacks(lambda summary: self._download_done(task, rows, summary),
                               lambda error: self._download_failed(task, error))
            task.progressChanged.connect(self._download_progress)
            task.detailChanged.connect(self._download_detail)
            self.download_task = task
            self.downloads.started(self.tr("Starting the download of {count} item(s)…").format(count=len(rows)))
            start_task(task)
        except SceneFinderError as error:
            self.messages.error(error, self.tr("Download"))
        except Exception as error:
            LOG.exception("Starting the download failed")
            self.messages.error(error, self.tr("Download"))

    def _download_progress(self, value: float) -> None:
        if not self._closing:
            self.downloads.show_progress(value)

    def _download_detail(self, detail) -> None:
        if not self._closing:
            self.downloads.show_detail(detail)

    def cancel_download(self) -> None:
        if self.download_task is not None:
            self.download_task.cancel()

    def _download_done(self, task, rows, summary) -> None:
        if self._closing or task is not self.download_task:
            return
        self.download_task = None
        try:
            files = summary.files
            changes = {}
            for result in summary.results:
                path = result.path
                if path is None:
                    continue
                for row in rows:
                    if row.label in path.name or row.key in path.name:
                        change = changes.setdefault(row.key, {})
                        change["size"] = change.get("size", 0) + (result.item.size or path.stat().st_size)
                        if loaders.is_bundle(path):
                            change["bundle"] = str(path)
            self.results.model.update_rows(changes)
            text = self.tr("{count} file(s) in {folder}.").format(count=len(files), folder=summary.folder)
            if summary.failed:
                text += " " + self.tr("{count} could not be downloaded; see the log.").format(count=len(summary.failed))
            self.downloads.finished(text, error=bool(summary.failed))
            if summary.failed:
                self.messages.warning(text, details=True)
            else:
                self.messages.success(text)
            if self.downloads.open_check.isChecked() and files:
                self.open_files(files)
        except Exception as error:
            LOG.exception("Finishing the download failed")
            self.messages.error(error, self.tr("Download"))

    def _download_failed(self, task, error) -> None:
        if self._closing or task is not self.download_task:
            return
        self.download_task = None
        if isinstance(error, CancelledError):
            self.downloads.finished(self.tr("Download cancelled; it resumes where it stopped next time."))
            return
        self.downloads.finished(str(error), error=True)
        self.messages.error(error, self.tr("Download"))

    # Opening files
    def open_files(self, files: list[Path]) -> None:
        groups = files_to_open([Path(f) for f in files])
        if not any(groups.values()):
            return
        task = loaders.LoadLayersTask(**groups, on_done=self._opened)
        self.load_tasks.append(task)
        QgsApplication.taskManager().addTask(task)

    def _opened(self, names: list[str], errors: list[str]) -> None:
        if self._closing:
            return
        if names:
            self.messages.success(self.tr("Opened {names}.").format(names=", ".join(names)))
        for error in errors:
            self.messages.error(error, self.tr("Opening"))
