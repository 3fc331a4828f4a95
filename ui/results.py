"""The results panel: the sortable table, its link with the footprints layer, zoom and thumbnail.

- Selecting rows selects the scenes' footprints on the map and selecting footprints on the map
  selects the rows (both ways; a flag stops the echo).
- The link needs feature ids by scene key: for a GeoPackage layer they are read by OGR in a small
  background task (50,000 footprints would hold up QGIS), for small in-memory layers directly
  (:mod:`.results_reading`).
- Double-clicking a row zooms the map to the scene.
- The table shows the rows in the time controller's range (:mod:`.time_filter`, :mod:`.results_proxy`).
- The current row's thumbnail is fetched by a :class:`..gis.tasks.thumbnail.ThumbnailTask` (the
  plugin's session: QGIS proxy and certificate authorities; https:// only, or http:// to this
  computer: a ``file://`` or plain-http address from the service is not fetched) and kept in an
  in-memory cache.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsProviderRegistry,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QItemSelection, QItemSelectionModel, Qt, pyqtSignal
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QTableView, QVBoxLayout, QWidget

from ..core.errors import SceneFinderError
from ..core.redact import redact_url
from ..gis.tasks.base import start_task
from ..gis.tasks.thumbnail import ThumbnailTask
from .results_model import KIND_LANDSAT, ResultRow, ResultsModel, consecutive_runs, tr
from .results_proxy import ResultsProxy
from .results_reading import KEY_FIELDS, PreparedRows, prepare_rows, read_rows_layer, read_rows_ogr, read_rows_task
from .time_filter import TimeFilter

__all__ = [
    "KEY_FIELDS", "SMALL_LAYER", "THUMBNAIL_CACHE_SIZE", "WGS84", "PreparedRows", "ResultsPanel",
    "ThumbnailCache", "prepare_rows", "read_rows_layer", "read_rows_ogr", "tr",
]

LOG = logging.getLogger(__name__)

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
THUMBNAIL_CACHE_SIZE = 256
SMALL_LAYER = 5000



class ThumbnailCache:
    """The last few hundred thumbnails, by URL."""

    def __init__(self, size: int = THUMBNAIL_CACHE_SIZE):
        self.size = size
        self.items: OrderedDict[str, QPixmap] = OrderedDict()

    def get(self, url: str) -> QPixmap | None:
        pixmap = self.items.get(url)
        if pixmap is not None:
            self.items.move_to_end(url)
        return pixmap

    def put(self, url: str, pixmap: QPixmap) -> None:
        self.items[url] = pixmap
        self.items.move_to_end(url)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


class ResultsPanel(QWidget):
    """Table + thumbnail. Emits :attr:`selection_changed` with the selected rows."""

    selection_changed = pyqtSignal(list)
    read_failed = pyqtSignal(object)

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.model = ResultsModel(self)
        self.proxy = ResultsProxy(self.model, self)  # the rows in the time controller's range; new ones marked
        self.view = QTableView(self)
        self.view.setObjectName("ResultsTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Rows are selected, never columns: a highlighted header would only add selection look-ups
        # over every row at each repaint.
        header.setHighlightSections(False)
        # Widths from the font, not from the contents: measuring 50,000 rows would hold up QGIS.
        metrics = self.view.fontMetrics()
        header.resizeSection(0, metrics.horizontalAdvance("2023-03-26") + 24)
        header.resizeSection(1, metrics.horizontalAdvance("Cloud %") + 28)
        header.resizeSection(3, metrics.horizontalAdvance("999.9 MB") + 16)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.thumbnail = QLabel(self)
        self.thumbnail.setObjectName("ResultsThumbnail")
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setMinimumHeight(120)
        self.thumbnail.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.thumbnail.setFixedHeight(160)
        self.time_filter = TimeFilter(self.canvas, self.proxy, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.time_filter)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.thumbnail)

        self.layer: QgsVectorLayer | None = None
        self.key_field = "entity_id"
        self.fid_by_key: dict[str, int] = {}
        self.key_by_fid: dict[int, str] = {}
        self.reader_task = None
        self.small_layer = SMALL_LAYER  # more features than this are read in a task
        self.thumbnails = ThumbnailCache()
        self.thumbnail_task: ThumbnailTask | None = None
        self.thumbnail_url: str | None = None
        self._syncing = False
        self._closed = False

        self.view.selectionModel().selectionChanged.connect(self._table_selection_changed)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.doubleClicked.connect(self._double_clicked)
        self.time_filter.window_changed.connect(self._time_window_changed)
        self.proxy.set_window(self.time_filter.wanted_window())

    # Content
    def _sort_state(self) -> tuple[int, object] | None:
        header = self.view.horizontalHeader()
        section = header.sortIndicatorSection()
        return (section, header.sortIndicatorOrder()) if 0 <= section < self.model.columnCount() else None

    def set_results(self, rows: list[ResultRow] | PreparedRows, layer: QgsVectorLayer | None = None) -> None:
        """Show ``rows``; with ``layer``, link the table's selection to the layer's (rows carry fids)."""
        self._detach_layer()
        prepared = rows if isinstance(rows, PreparedRows) else None
        if prepared is None or prepared.sort != self._sort_state():
            prepared = prepare_rows(list(prepared.rows if prepared else rows), self._sort_state())
        self.model.set_rows(prepared.rows, prepared.index)
        self.thumbnail.clear()
        if layer is not None:
            self._attach_layer(layer, prepared)

    def show_layer(self, layer: QgsVectorLayer, kind: str = KIND_LANDSAT,
                   on_ready: Callable[[int], None] | None = None) -> None:
        """Fill the table from a footprints layer: big GeoPackages are read in a background task."""
        self._cancel_reader()
        if layer.providerType() == "ogr" and layer.featureCount() > self.small_layer:
            parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
            task = read_rows_task(parts.get("path", ""), parts.get("layerName"), kind, self._sort_state())
            self.reader_task = task

            def ready(prepared: PreparedRows) -> None:
                if task is self.reader_task:
                    self.reader_task = None
                    self.set_results(prepared, layer)
                    if on_ready is not None:
                        on_ready(len(prepared.rows))

            def failed(error) -> None:
                if task is self.reader_task:
                    self.reader_task = None
                    self.read_failed.emit(error)

            task.add_callbacks(ready, failed)
            start_task(task)
            return
        rows = read_rows_layer(layer, kind)
        self.set_results(rows, layer)
        if on_ready is not None:
            on_ready(len(rows))

    def clear(self) -> None:
        self.set_results([])

    def selected_rows(self) -> list[ResultRow]:
        # From the selection's ranges (whole rows: the view selects rows): selectedRows() tests every
        # row against every range, which takes long with hundreds of rows selected among thousands.
        rows = set()
        for selected_range in self.view.selectionModel().selection():
            rows.update(range(selected_range.top(), selected_range.bottom() + 1))
        return [self.model.rows[self.proxy.source_row(row)] for row in sorted(rows)]

    def select_keys(self, keys: list[str]) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        rows = (self._view_row(key) for key in keys)
        # One range per run of neighbouring rows: Qt walks the ranges for every row whenever the
        # header repaints, so 500 one-row ranges would hold up QGIS where one range does not.
        for first, final in consecutive_runs(row for row in rows if row is not None):
            selection.select(self.proxy.index(first, 0), self.proxy.index(final, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().select(selection, flags)
        current_row = self._view_row(keys[-1]) if keys else None
        if current_row is not None:
            current = self.proxy.index(current_row, 0)
            self.view.scrollTo(current)
            self.view.selectionModel().setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)

    def _view_row(self, key: str) -> int | None:  # None: no such row, or hidden (time controller)
        row = self.model.row_of(key)
        return None if row is None else self.proxy.proxy_row(row)

    def _row_at(self, index) -> ResultRow:
        return self.model.rows[self.proxy.source_row(index.row())]

    # Time
    def _time_window_changed(self, window) -> None:
        """Show the rows in ``window``; the map's selection stays as it is and the visible rows follow it."""
        try:
            self._syncing = True
            try:
                self.proxy.set_window(window)
            finally:
                self._syncing = False
            if self.layer is None:
                self.selection_changed.emit(self.selected_rows())
            self._layer_selection_changed()  # the visible rows follow the map's selection
        except Exception:
            LOG.exception("Following the time controller failed")

    # The layer link
    def _attach_layer(self, layer: QgsVectorLayer, prepared: PreparedRows) -> None:
        self.layer = layer
        self.fid_by_key, self.key_by_fid = prepared.fid_by_key, prepared.key_by_fid
        layer.selectionChanged.connect(self._layer_selection_changed)
        layer.willBeDeleted.connect(self._detach_layer)
        self.model.footprint_lookup = self._footprint_wkt

    def _footprint_wkt(self, row: ResultRow) -> str | None:
        if self.layer is None or row.fid is None:
            return None
        feature = self.layer.getFeature(row.fid)
        if not feature.hasGeometry():
            return None
        geometry = feature.geometry()
        if self.layer.crs() != WGS84:
            geometry.transform(QgsCoordinateTransform(self.layer.crs(), WGS84, QgsProject.instance()))
        return geometry.asWkt()

    def _cancel_reader(self) -> None:
        if self.reader_task is not None:
            try:
                self.reader_task.cancel()
            except RuntimeError:
                pass
            self.reader_task = None

    def _detach_layer(self, *_args) -> None:
        if self.layer is not None:
            try:
                self.layer.selectionChanged.disconnect(self._layer_selection_changed)
                self.layer.willBeDeleted.disconnect(self._detach_layer)
            except (TypeError, RuntimeError):
                pass
        self.layer = None
        self.fid_by_key, self.key_by_fid = {}, {}
        self.model.footprint_lookup = None

    def _table_selection_changed(self, *_args) -> None:
        try:
            rows = self.selected_rows()
            if self.layer is not None and not self._syncing:
                fids = [self.fid_by_key[row.key] for row in rows if row.key in self.fid_by_key]
                self._syncing = True
                try:
                    self.layer.selectByIds(fids)
                finally:
                    self._syncing = False
            self.selection_changed.emit(rows)
        except Exception:
            LOG.exception("Selecting scenes on the map failed")

    def _layer_selection_changed(self, *_args) -> None:
        if self._syncing or self.layer is None:
            return
        try:
            keys = [self.key_by_fid[fid] for fid in self.layer.selectedFeatureIds() if fid in self.key_by_fid]
            self._syncing = True
            try:
                self.select_keys(keys)
            finally:
                self._syncing = False
            self.selection_changed.emit(self.selected_rows())
        except Exception:
            LOG.exception("Selecting rows from the map failed")

    # Zoom
    def zoom_to(self, row: ResultRow) -> bool:
        box = self._bounds(row)
        if box is None:
            return False
        canvas_crs = self.canvas.mapSettings().destinationCrs()
        source_crs = WGS84 if row.footprint is not None or self.layer is None else self.layer.crs()
        if canvas_crs.isValid() and canvas_crs != source_crs:
            box = QgsCoordinateTransform(source_crs, canvas_crs, QgsProject.instance()).transformBoundingBox(box)
        box.scale(1.2)
        self.canvas.setExtent(box)
        self.canvas.refresh()
        return True

    def _bounds(self, row: ResultRow) -> QgsRectangle | None:
        if row.footprint is not None and hasattr(row.footprint, "bounds") and not row.footprint.is_empty:
            return QgsRectangle(*row.footprint.bounds)
        if row.bounds is not None:
            return QgsRectangle(*row.bounds)
        return None

    def _double_clicked(self, index) -> None:
        try:
            if index.isValid():
                self.zoom_to(self._row_at(index))
        except Exception:
            LOG.exception("Zooming to the scene failed")

    # Thumbnail
    def _current_changed(self, current, _previous) -> None:
        try:
            if current.isValid():
                self.show_thumbnail(self._row_at(current))
        except Exception:
            LOG.exception("Showing the thumbnail failed")

    def show_thumbnail(self, row: ResultRow) -> None:
        url = row.thumbnail_url
        self.thumbnail_url = url
        if not url:
            self.thumbnail.setText(tr("No preview for this scene."))
            return
        cached = self.thumbnails.get(url)
        if cached is not None:
            self._display(cached)
            return
        if self.thumbnail_task is not None:
            self._forget_thumbnail_task()
        try:
            task = ThumbnailTask(url)
        except SceneFinderError as error:  # file://, plain http on the network: not fetched, quietly
            LOG.info("Preview %s not fetched: %s", redact_url(url), error)
            self.thumbnail.setText(tr("No preview for this scene."))
            return
        self.thumbnail.setText(tr("Loading preview…"))
        task.add_callbacks(lambda data: self._thumbnail_fetched(task, url, data),
                           lambda error: self._thumbnail_fetched(task, url, b""))
        self.thumbnail_task = task
        start_task(task)

    def _forget_thumbnail_task(self) -> None:
        """Stop waiting for the running fetch (its answer is ignored when it comes)."""
        self.thumbnail_task = None

    def _thumbnail_fetched(self, task: ThumbnailTask, url: str, data: bytes) -> None:
        if self._closed or task is not self.thumbnail_task:
            return
        try:
            pixmap = QPixmap()
            if not data or not pixmap.loadFromData(data):
                if url == self.thumbnail_url:
                    self.thumbnail.setText(tr("The preview could not be loaded."))
                return
            self.thumbnails.put(url, pixmap)
            if url == self.thumbnail_url:
                self._display(pixmap)
        except Exception:
            LOG.exception("Reading the thumbnail failed")
        finally:
            if task is self.thumbnail_task:
                self.thumbnail_task = None

    def _display(self, pixmap: QPixmap) -> None:
        self.thumbnail.setPixmap(pixmap.scaled(self.thumbnail.width(), self.thumbnail.height(),
                                               Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))

    def shutdown(self) -> None:
        self._closed = True
        self.time_filter.shutdown()
        self._cancel_reader()
        task = self.thumbnail_task
        if task is not None:
            self._forget_thumbnail_task()
            try:
                task.cancel()
            except RuntimeError:
                pass
        self._detach_layer()
