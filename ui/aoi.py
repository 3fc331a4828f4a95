"""The area of interest: where it comes from and how it shows on the map.

Sources: the current map extent (following the canvas), the selected features of a layer (their
union), a whole layer, a rectangle drawn on the map, or the area of a saved search. Whatever the
layer's or the canvas's CRS, the AOI is transformed to EPSG:4326 with the project's transform
context, drawn as a rubber band with its ellipsoidal area, and refused with a plain message when
it is a point/line, empty or too large.
The geometry side (transforms, area, checks) is :mod:`.aoi_geometry`.
"""

from __future__ import annotations

import logging

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvasItem, QgsMapLayerComboBox, QgsMapToolExtent, QgsRubberBand
from qgis.PyQt.QtCore import QRectF, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QColor, QFont, QFontMetricsF
from qgis.PyQt.QtWidgets import QComboBox, QGridLayout, QLabel, QToolButton, QWidget

from .aoi_geometry import (
    MAX_AREA_KM2,
    MAX_UNION_FEATURES,
    SOURCES,
    STRIP_DEGREES,
    WGS84,
    Aoi,
    AoiError,
    aoi_from_layer,
    area_km2,
    format_area,
    make_aoi,
    rectangle_to_wgs84,
    to_wgs84,
    tr,
)
from .plain_text import plain_label

__all__ = [
    "MAX_AREA_KM2", "MAX_UNION_FEATURES", "SOURCES", "STRIP_DEGREES", "WGS84", "Aoi", "AoiError", "AoiPicker",
    "AreaLabel", "aoi_from_layer", "area_km2", "format_area", "make_aoi", "rectangle_to_wgs84", "to_wgs84", "tr",
]

LOG = logging.getLogger(__name__)


class AreaLabel(QgsMapCanvasItem):
    """The AOI's area written at its centre, on the map."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.text = ""
        self.anchor = QgsPointXY()
        self.font = QFont()
        self.font.setBold(True)
        self.setZValue(1001)

    def set_label(self, text: str, anchor_canvas_crs: QgsPointXY) -> None:
        self.text = text
        self.anchor = anchor_canvas_crs
        self.updatePosition()
        self.update()

    def updatePosition(self) -> None:  # noqa: N802 - Qt override
        self.setPos(self.toCanvasCoordinates(self.anchor))

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        metrics = QFontMetricsF(self.font)
        width = metrics.horizontalAdvance(self.text) + 8
        return QRectF(-width / 2, -metrics.height() / 2 - 2, width, metrics.height() + 4)

    def paint(self, painter, option=None, widget=None) -> None:
        if not self.text:
            return
        rect = self.boundingRect()
        painter.setFont(self.font)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 200))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(QColor(200, 40, 40))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)


class AoiPicker(QWidget):
    """Source chooser, layer chooser and "draw" button; emits :attr:`aoi_changed` with an Aoi or None."""

    aoi_changed = pyqtSignal(object)  # Aoi | None
    error_changed = pyqtSignal(str)

    def __init__(self, iface, parent=None, project: QgsProject | None = None):
        super().__init__(parent)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.project = project or QgsProject.instance()
        self.max_area_km2 = MAX_AREA_KM2
        self.current: Aoi | None = None
        self.error: str = ""
        self.drawn: QgsGeometry | None = None
        self.saved: QgsGeometry | None = None  # the area of the saved search put back last (EPSG:4326)
        self.previous_tool = None

        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("AoiSource")
        labels = (tr("Current map extent"), tr("Selected features"), tr("Whole layer"),
                  tr("Rectangle drawn on the map"), tr("Area of a saved search"))
        for key, label in zip(SOURCES, labels):
            self.source_combo.addItem(label, key)
        self.layer_combo = QgsMapLayerComboBox(self)
        self.layer_combo.setObjectName("AoiLayer")
        self.layer_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.layer_combo.setAllowEmptyLayer(False)
        self.draw_button = QToolButton(self)
        self.draw_button.setObjectName("AoiDraw")
        self.draw_button.setText(tr("Draw"))
        self.draw_button.setToolTip(tr("Drag a rectangle on the map"))
        self.draw_button.setCheckable(True)
        self.area_label = plain_label(QLabel(self))
        self.area_label.setObjectName("AoiArea")
        self.area_label.setWordWrap(True)

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(tr("Area of interest"), self), 0, 0)
        layout.addWidget(self.source_combo, 0, 1)
        layout.addWidget(self.draw_button, 0, 2)
        layout.addWidget(self.layer_combo, 1, 1, 1, 2)
        layout.addWidget(self.area_label, 2, 0, 1, 3)

        self.rubber_band = QgsRubberBand(self.canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self.rubber_band.setStrokeColor(QColor(200, 40, 40))
        self.rubber_band.setFillColor(QColor(200, 40, 40, 30))
        self.rubber_band.setWidth(2)
        self.label_item = AreaLabel(self.canvas)
        self.map_tool = QgsMapToolExtent(self.canvas)
        self.map_tool.extentChanged.connect(self._rectangle_drawn)
        self.map_tool.deactivated.connect(self._tool_deactivated)

        # Following the canvas: recompute a moment after panning or zooming stops.
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(250)
        self.refresh_timer.timeout.connect(self.refresh)

        self.source_combo.currentIndexChanged.connect(self._source_changed)
        self.layer_combo.layerChanged.connect(self._layer_changed)
        self.draw_button.toggled.connect(self._draw_toggled)
        self.canvas.extentsChanged.connect(self._canvas_moved)
        self.canvas.destinationCrsChanged.connect(self._canvas_moved)
        if hasattr(iface, "currentLayerChanged"):
            try:
                iface.currentLayerChanged.connect(self._active_layer_changed)
            except (AttributeError, TypeError):
                pass
        self._watched_layer = None
        self.shown = True
        self._source_changed()

    # Public
    def source(self) -> str:
        return self.source_combo.currentData()

    def set_source(self, source: str) -> None:
        index = self.source_combo.findData(source)
        if index >= 0:
            self.source_combo.setCurrentIndex(index)

    def aoi(self) -> Aoi:
        """The current AOI, recomputed now; raises :class:`AoiError` with a message for the user."""
        self.refresh()
        if self.current is None:
            raise AoiError(self.error or tr("Choose an area of interest."))
        return self.current

    def set_rectangle(self, rect: QgsRectangle, crs: QgsCoordinateReferenceSystem | None = None) -> None:
        """Use ``rect`` (in ``crs``, default the canvas's) as the drawn rectangle."""
        crs = crs or self.canvas.mapSettings().destinationCrs()
        self.drawn = rectangle_to_wgs84(rect, crs, self.project)
        self.set_source("rectangle")
        self.refresh()

    def set_geometry(self, geometry_4326: QgsGeometry) -> None:
        """Use ``geometry_4326`` (a saved search's area, in EPSG:4326) as the area of interest."""
        self.saved = QgsGeometry(geometry_4326)
        self.set_source("saved")
        self.refresh()

    def refresh(self) -> None:
        self.refresh_timer.stop()
        try:
            aoi = self._compute()
        except AoiError as error:
            self._set(None, str(error))
        except Exception as error:  # a slot must never raise into Qt
            LOG.exception("Computing the area of interest failed")
            self._set(None, tr("The area of interest could not be computed: {error}").format(error=error))
        else:
            self._set(aoi, "")

    def set_shown(self, shown: bool) -> None:
        """Show the AOI on the map only while the panel is visible."""
        self.shown = shown
        self.rubber_band.setVisible(shown)
        self.label_item.setVisible(shown)
        if not shown and self.canvas.mapTool() is self.map_tool:
            self.draw_button.setChecked(False)

    def shutdown(self) -> None:
        self.refresh_timer.stop()
        try:
            self.canvas.extentsChanged.disconnect(self._canvas_moved)
            self.canvas.destinationCrsChanged.disconnect(self._canvas_moved)
        except TypeError:
            pass
        try:
            self.map_tool.deactivated.disconnect(self._tool_deactivated)
            self.map_tool.extentChanged.disconnect(self._rectangle_drawn)
        except TypeError:
            pass
        if self.canvas.mapTool() is self.map_tool:
            self.canvas.unsetMapTool(self.map_tool)
        self.rubber_band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        for item in (self.rubber_band, self.label_item):
            self.canvas.scene().removeItem(item)
        self._watch_selection(None)

    # Computing
    def _compute(self) -> Aoi:
        source = self.source()
        if source == "extent":
            rect = self.canvas.extent()
            if rect.isEmpty():
                raise AoiError(tr("The map has no extent yet."))
            crs = self.canvas.mapSettings().destinationCrs()
            return make_aoi(rectangle_to_wgs84(rect, crs, self.project), source, is_rectangle=True,
                            max_area_km2=self.max_area_km2, project=self.project)
        if source == "rectangle":
            if self.drawn is None:
                raise AoiError(tr("Press “Draw” and drag a rectangle on the map."))
            return make_aoi(self.drawn, source, is_rectangle=True, max_area_km2=self.max_area_km2,
                            project=self.project)
        if source == "saved":
            if self.saved is None:
                raise AoiError(tr("No saved search was put back yet: choose one under “Saved searches”."))
            return make_aoi(self.saved, source, max_area_km2=self.max_area_km2, project=self.project)
        return aoi_from_layer(self.layer_combo.currentLayer(), source == "selection", self.project,
                              self.max_area_km2)

    def _set(self, aoi: Aoi | None, error: str) -> None:
        self.current, self.error = aoi, error
        if aoi is not None:
            self.area_label.setText(tr("Area: {area}").format(area=aoi.describe()))
            self.area_label.setStyleSheet("")
        else:
            self.area_label.setText(error)
            self.area_label.setStyleSheet("color: #b00020;")
        self._show_on_map(aoi)
        self.error_changed.emit(error)
        self.aoi_changed.emit(aoi)

    def _show_on_map(self, aoi: Aoi | None) -> None:
        self.rubber_band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        if aoi is None:
            self.label_item.set_label("", QgsPointXY())
            return
        canvas_crs = self.canvas.mapSettings().destinationCrs()
        shown = to_wgs84(aoi.geometry, WGS84, self.project)
        if canvas_crs != WGS84:
            shown.transform(QgsCoordinateTransform(WGS84, canvas_crs, self.project.transformContext()))
        # The extent AOI is the whole map: an outline only, a fill would tint everything.
        self.rubber_band.setFillColor(QColor(200, 40, 40, 0 if aoi.source == "extent" else 30))
        self.rubber_band.setToGeometry(shown, None)
        # The extent AOI is the whole canvas: its label would only hide the map.
        center = shown.pointOnSurface().asPoint() if aoi.source != "extent" else QgsPointXY()
        self.label_item.set_label(aoi.describe() if aoi.source != "extent" else "", center)

    # Slots
    def _source_changed(self, *_args) -> None:
        try:
            source = self.source()
            self.layer_combo.setVisible(source in ("selection", "layer"))
            self.draw_button.setVisible(source == "rectangle")
            if source in ("selection", "layer") and self.layer_combo.currentLayer() is None:
                active = self.iface.activeLayer() if hasattr(self.iface, "activeLayer") else None
                if active is not None:
                    self.layer_combo.setLayer(active)
            self._watch_selection(self.layer_combo.currentLayer())
            self.refresh()
        except Exception:
            LOG.exception("Changing the AOI source failed")

    def _layer_changed(self, layer) -> None:
        self._watch_selection(layer)
        if self.source() in ("selection", "layer"):
            self.refresh()

    def _active_layer_changed(self, layer) -> None:
        if isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry:
            self.layer_combo.setLayer(layer)

    def _watch_selection(self, layer) -> None:
        if self._watched_layer is not None:
            try:
                self._watched_layer.selectionChanged.disconnect(self._selection_changed)
            except (TypeError, RuntimeError):
                pass
        self._watched_layer = layer if isinstance(layer, QgsVectorLayer) else None
        if self._watched_layer is not None:
            self._watched_layer.selectionChanged.connect(self._selection_changed)

    def _selection_changed(self, *_args) -> None:
        if self.source() == "selection":
            self.refresh_timer.start()

    def _canvas_moved(self, *_args) -> None:
        if self.source() == "extent":
            self.refresh_timer.start()
        elif self.current is not None:
            self._show_on_map(self.current)

    def _draw_toggled(self, checked: bool) -> None:
        if checked:
            if self.canvas.mapTool() is not self.map_tool:
                self.previous_tool = self.canvas.mapTool()
            self.canvas.setMapTool(self.map_tool)
        elif self.canvas.mapTool() is self.map_tool:
            if self.previous_tool is not None:
                self.canvas.setMapTool(self.previous_tool)
            else:
                self.canvas.unsetMapTool(self.map_tool)

    def _tool_deactivated(self) -> None:
        try:
            self.draw_button.setChecked(False)
        except RuntimeError:  # the panel is already gone (plugin unloaded)
            pass

    def _rectangle_drawn(self, rect: QgsRectangle) -> None:
        try:
            if rect.isEmpty():
                return
            self.set_rectangle(rect)
            self.map_tool.clearRubberBand()
            self.draw_button.setChecked(False)
        except Exception:
            LOG.exception("Using the drawn rectangle failed")

