"""The results panel: the sortable table, its link with the footprints layer, zoom and thumbnail.

- Selecting rows selects the scenes' footprints on the map and selecting footprints on the map
  selects the rows (both ways; a flag stops the echo).
- The link needs feature ids by scene key: for a GeoPackage layer they are read by OGR in a small
  background task (50,000 footprints would hold up QGIS), for small in-memory layers directly.
- Double-clicking a row zooms the map to the scene.
- The current row's thumbnail is fetched with a :class:`QgsNetworkContentFetcherTask` (QGIS's
  network stack: its proxy settings and disk cache) and kept in an in-memory cache.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from osgeo import ogr
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsNetworkContentFetcherTask,
    QgsProject,
    QgsProviderRegistry,
    QgsRectangle,
    QgsTask,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QItemSelection, QItemSelectionModel, Qt, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QTableView, QVBoxLayout, QWidget

from .results_model import ResultRow, ResultsModel

LOG = logging.getLogger(__name__)

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
THUMBNAIL_CACHE_SIZE = 256
SMALL_LAYER = 5000


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderResults", message)


class FeatureIndexTask(QgsTask):
    """Reads {key: fid} from a GeoPackage/OGR layer in the background."""

    def __init__(self, path: str, layer_name: str | None, key_field: str):
        super().__init__(tr("Scene Finder: indexing footprints"), QgsTask.Flag.CanCancel)
        self.path, self.layer_name, self.key_field = path, layer_name, key_field
        self.index: dict[str, int] = {}
        self.error = ""

    def run(self) -> bool:
        try:
            source = ogr.Open(self.path)
            layer = source.GetLayerByName(self.layer_name) if self.layer_name else source.GetLayer(0)
            layer.SetIgnoredFields(["OGR_GEOMETRY"] + [
                layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())
                if layer.GetLayerDefn().GetFieldDefn(i).GetName() != self.key_field])
            for count, feature in enumerate(layer):
                if count % 5000 == 0 and self.isCanceled():
                    return False
                self.index[str(feature.GetField(self.key_field))] = feature.GetFID()
            return True
        except Exception as error:  # run() must never raise
            self.error = str(error)
            return False


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

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.model = ResultsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("ResultsTable")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.thumbnail = QLabel(self)
        self.thumbnail.setObjectName("ResultsThumbnail")
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setMinimumHeight(120)
        self.thumbnail.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.thumbnail.setFixedHeight(160)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.thumbnail)

        self.layer: QgsVectorLayer | None = None
        self.key_field = "entity_id"
        self.fid_by_key: dict[str, int] = {}
        self.key_by_fid: dict[int, str] = {}
        self.index_task: FeatureIndexTask | None = None
        self.thumbnails = ThumbnailCache()
        self.thumbnail_task: QgsNetworkContentFetcherTask | None = None
        self.thumbnail_url: str | None = None
        self._syncing = False

        self.view.selectionModel().selectionChanged.connect(self._table_selection_changed)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.doubleClicked.connect(self._double_clicked)

    # Content
    def set_results(self, rows: list[ResultRow], layer: QgsVectorLayer | None = None,
                    key_field: str = "entity_id") -> None:
        self._detach_layer()
        self.model.set_rows(rows)
        header = self.view.horizontalHeader()
        if header.sortIndicatorSection() >= 0:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.view.resizeColumnToContents(0)
        self.view.resizeColumnToContents(1)
        self.thumbnail.clear()
        if layer is not None:
            self.attach_layer(layer, key_field)

    def clear(self) -> None:
        self.set_results([])

    def selected_rows(self) -> list[ResultRow]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.rows[row] for row in rows]

    def select_keys(self, keys: list[str]) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for key in keys:
            row = self.model.row_of(key)
            if row is not None:
                selection.select(self.model.index(row, 0), self.model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().select(selection, flags)
        if keys and self.model.row_of(keys[-1]) is not None:
            self.view.scrollTo(self.model.index(self.model.row_of(keys[-1]), 0))
            self.view.selectionModel().setCurrentIndex(self.model.index(self.model.row_of(keys[-1]), 0),
                                                       QItemSelectionModel.SelectionFlag.NoUpdate)

    # The layer link
    def attach_layer(self, layer: QgsVectorLayer, key_field: str = "entity_id") -> None:
        self._detach_layer()
        self.layer, self.key_field = layer, key_field
        layer.selectionChanged.connect(self._layer_selection_changed)
        layer.willBeDeleted.connect(self._detach_layer)
        if layer.providerType() == "ogr" and layer.featureCount() > SMALL_LAYER:
            parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
            self.index_task = FeatureIndexTask(parts.get("path", ""), parts.get("layerName"), key_field)
            task = self.index_task
            task.taskCompleted.connect(lambda: self._index_ready(task))
            QgsApplication.taskManager().addTask(task)
        else:
            request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
            request.setSubsetOfAttributes([key_field], layer.fields())
            self._set_index({str(f[key_field]): f.id() for f in layer.getFeatures(request)})

    def _index_ready(self, task: FeatureIndexTask) -> None:
        if task is self.index_task:
            self._set_index(task.index)
            self.index_task = None

    def _set_index(self, index: dict[str, int]) -> None:
        self.fid_by_key = index
        self.key_by_fid = {fid: key for key, fid in index.items()}

    def _detach_layer(self, *_args) -> None:
        if self.index_task is not None:
            try:
                self.index_task.cancel()
            except RuntimeError:
                pass
            self.index_task = None
        if self.layer is not None:
            try:
                self.layer.selectionChanged.disconnect(self._layer_selection_changed)
                self.layer.willBeDeleted.disconnect(self._detach_layer)
            except (TypeError, RuntimeError):
                pass
        self.layer = None
        self._set_index({})

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
        fid = self.fid_by_key.get(row.key)
        if self.layer is not None and fid is not None:
            feature = self.layer.getFeature(fid)
            if feature.hasGeometry():
                return feature.geometry().boundingBox()
        return None

    def _double_clicked(self, index) -> None:
        try:
            if index.isValid():
                self.zoom_to(self.model.rows[index.row()])
        except Exception:
            LOG.exception("Zooming to the scene failed")

    # Thumbnail
    def _current_changed(self, current, _previous) -> None:
        try:
            if current.isValid():
                self.show_thumbnail(self.model.rows[current.row()])
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
        self.thumbnail.setText(tr("Loading preview…"))
        task = QgsNetworkContentFetcherTask(QUrl(url))
        task.fetched.connect(lambda: self._thumbnail_fetched(task, url))
        self.thumbnail_task = task
        QgsApplication.taskManager().addTask(task)

    def _thumbnail_fetched(self, task: QgsNetworkContentFetcherTask, url: str) -> None:
        try:
            reply = task.reply()
            data = bytes(reply.readAll()) if reply is not None else b""
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
        for task in (self.index_task, self.thumbnail_task):
            if task is not None:
                try:
                    task.cancel()
                except RuntimeError:
                    pass
        self._detach_layer()
