"""The dock's download side: sizes of the selected rows, the download task, opening what arrived.

A :class:`DownloadController` is owned by the dock. It keeps its own state (the source of the table
shown, its tasks) and works through the parts it is given: the results panel, the download
panel, the message bar and the dock's credential look-ups. Its state follows the table shown:
:meth:`DownloadController.table_shown` resets the selection count, the size line and the product
choice whenever the results of another search are shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QObject, QTimer

from ..core.errors import CancelledError, SceneFinderError
from ..gis import loaders, product_files, settings
from ..gis.operations.opening import files_to_open
from ..gis.queue_runner import queues
from ..gis.sources import source
from ..gis.tasks.base import start_task
from ..gis.tasks.panel import SizesTask
from .queue_batch import QueueBatch
from .results_model import format_size

LOG = logging.getLogger(__name__)

MAX_SIZE_LOOKUP = 200  # selected scenes whose size is looked up at once


def tr(message: str) -> str:
    """The dock's translations (context "SceneFinderDock"): the dock and its controller share them."""
    return QCoreApplication.translate("SceneFinderDock", message)


class DownloadController(QObject):
    """Looks up sizes, downloads the selected rows and opens what arrived."""

    def __init__(self, results, panel, messages, credentials: Callable[[str], tuple[str, str] | None],
                 quiet_m2m_credentials: Callable[[], tuple[str, str] | None], default_dataset: Callable[[], str],
                 parent=None):
        super().__init__(parent)
        self.results, self.panel, self.messages = results, panel, messages
        self.credentials, self.quiet_m2m_credentials = credentials, quiet_m2m_credentials
        self.default_dataset = default_dataset
        self.source = source(None)  # the source of the table shown
        self.task = None
        self.size_task = None
        self.load_tasks: list = []
        self.poll_policy = None  # how USGS download preparation is polled (None: the core's default)
        self.queue = None  # the dock's QueueRunner: USGS downloads are queued there (None: a task each)
        self.closing = False
        self.size_timer = QTimer(self)
        self.size_timer.setSingleShot(True)
        self.size_timer.setInterval(600)  # wait until the user has finished selecting
        self.size_timer.timeout.connect(self.fetch_sizes)
        results.selection_changed.connect(self.selection_changed)
        panel.download_requested.connect(self.start)
        panel.cancel_requested.connect(self.cancel)

    # The table shown
    def source_chosen(self, source_id: str) -> None:
        """The search form's source changed: offer its download choices (until results come)."""
        self.panel.set_landsat(source(source_id).products)

    def table_shown(self, source_id: str) -> None:
        """The results of a search of ``source_id`` are now in the table: start again from its selection."""
        self.source = source(source_id)
        self.size_timer.stop()
        self.size_task = None  # a look-up for the former table must not update this one
        self.panel.set_landsat(self.source.products)
        self.selection_changed(self.results.selected_rows())

    # Sizes of the selected scenes (download-options), shown before downloading
    def selection_changed(self, rows: list) -> None:
        self.panel.set_selection_count(len(rows))
        self._show_selected_size(rows)
        if self.source.sizes and any(row.size is None for row in rows):
            self.size_timer.start()

    def _show_selected_size(self, rows: list) -> None:
        if self.panel.running:
            return
        text = ""
        if rows:
            known = [row.size for row in rows if row.size]
            text = tr("{count} selected").format(count=len(rows))
            if known:
                text += tr(", {size}").format(size=format_size(sum(known)))
                if len(known) < len(rows):
                    text += tr(" (size of {known} known)").format(known=len(known))
        self.panel.status.setStyleSheet("")
        self.panel.status.setText(text)

    def fetch_sizes(self) -> None:
        try:
            if self.size_task is not None or self.closing or not self.source.sizes:
                return
            rows = [row for row in self.results.selected_rows() if row.size is None and row.kind == self.source.kind]
            credentials = self.quiet_m2m_credentials()
            if not rows or credentials is None:
                return
            rows = rows[:MAX_SIZE_LOOKUP]
            task = SizesTask(credentials, rows[0].dataset or self.default_dataset(), [row.key for row in rows])
            task.add_callbacks(lambda sizes: self._sizes_known(task, sizes), lambda error: self._sizes_failed(task))
            self.size_task = task
            start_task(task)
        except Exception:
            LOG.exception("Looking up the sizes failed")

    def _sizes_known(self, task, sizes: dict) -> None:
        if self.closing or task is not self.size_task:
            return
        self.size_task = None
        self.results.model.update_rows({key: {"size": size} for key, size in sizes.items()})
        self._show_selected_size(self.results.selected_rows())

    def _sizes_failed(self, task) -> None:
        if task is self.size_task:
            self.size_task = None  # sizes are a nicety: the download reports real errors

    # Download
    def start(self) -> None:
        try:
            if self.task is not None:
                return
            rows = self.results.selected_rows()
            if not rows:
                self.messages.warning(tr("Select scenes or plumes in the table first."))
                return
            chosen = self.source
            credentials = self.credentials(chosen.service)
            if credentials is None:
                return
            self.panel.remember()
            options = {"dataset": rows[0].dataset or self.default_dataset(), "product": self.panel.product(),
                       "parallel": settings.parallel_downloads(), "poll": self.poll_policy}
            if self.queue is not None and queues(chosen):  # USGS downloads go through the queue
                task = QueueBatch(self.queue, options["dataset"], chosen.ids_of(rows), options["product"],
                                  self.panel.folder(), self)
            else:
                task = chosen.download_task(chosen.ids_of(rows), credentials, self.panel.folder(), options)
            task.add_callbacks(lambda summary: self._done(task, chosen, rows, summary),
                               lambda error: self._failed(task, error))
            task.progressChanged.connect(self._progress)
            task.detailChanged.connect(self._detail)
            self.task = task
            self.panel.started(tr("Starting the download of {count} item(s)…").format(count=len(rows)))
            task.start() if isinstance(task, QueueBatch) else start_task(task)
        except SceneFinderError as error:
            self.messages.error(error, tr("Download"))
        except Exception as error:
            LOG.exception("Starting the download failed")
            self.messages.error(error, tr("Download"))

    def _progress(self, value: float) -> None:
        if not self.closing:
            self.panel.show_progress(value)

    def _detail(self, detail) -> None:
        if not self.closing:
            self.panel.show_detail(detail)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _done(self, task, chosen, rows, summary) -> None:
        if self.closing or task is not self.task:
            return
        self.task = None
        try:
            files = summary.files
            self.results.model.update_rows(downloaded_rows(chosen, rows, summary.results))
            text = tr("{count} file(s) in {folder}.").format(count=len(files), folder=summary.folder)
            if summary.failed:
                text += " " + tr("{count} could not be downloaded; see the log.").format(count=len(summary.failed))
            self.panel.finished(text, error=bool(summary.failed))
            if summary.failed:
                self.messages.warning(text, details=True)
            else:
                self.messages.success(text)
            if self.panel.open_check.isChecked() and files:
                self.open_files(files)
        except Exception as error:
            LOG.exception("Finishing the download failed")
            self.messages.error(error, tr("Download"))

    def _failed(self, task, error) -> None:
        if self.closing or task is not self.task:
            return
        self.task = None
        if isinstance(error, CancelledError):
            self.panel.finished(tr("Download cancelled; it resumes where it stopped next time."))
            return
        self.panel.finished(str(error), error=True)
        self.messages.error(error, tr("Download"))

    # Opening files
    def open_files(self, files: list[Path]) -> None:
        groups = files_to_open([Path(f) for f in files])
        if not any(groups.values()):
            return
        task = loaders.LoadLayersTask(**groups, on_done=lambda names, errors: self._opened(task, names, errors))
        self.load_tasks.append(task)
        QgsApplication.taskManager().addTask(task)

    def _opened(self, task, names: list[str], errors: list[str]) -> None:
        if task in self.load_tasks:
            self.load_tasks.remove(task)
        if self.closing:
            return
        if names:
            self.messages.success(tr("Opened {names}.").format(names=", ".join(names)))
        for error in errors:
            self.messages.error(error, tr("Opening"))

    def shutdown(self) -> None:
        self.closing = True
        self.size_timer.stop()
        for task in [self.task, self.size_task, *self.load_tasks]:
            if task is None:
                continue
            try:
                task.cancel()
            except RuntimeError:  # the task manager already deleted it
                pass
        self.task = self.size_task = None
        self.load_tasks = []


def downloaded_rows(chosen, rows: list, results: list) -> dict[str, dict]:
    """{row key: {"size": bytes downloaded for it, "bundle": its bundle}} matched by the items' keys."""
    by_id = {chosen.download_id(row): row for row in rows}
    changes: dict[str, dict] = {}
    for result in results:
        path = result.path
        row = by_id.get(chosen.item_id(result.item.key or ""))
        if path is None or row is None or result.status not in ("done", "skipped"):
            continue
        change = changes.setdefault(row.key, {})
        change["size"] = change.get("size", 0) + (result.item.size or path.stat().st_size)
        if loaders.is_bundle(path) or product_files.is_product(path):
            change["bundle"] = str(path)
    return changes
