"""How footprint layers look, and where they go in the layer tree (main thread only).

- :func:`style_footprints`: transparent fill, a thin coloured outline, labels with the
  acquisition date (shown from 1:5,000,000 inwards, so a continent of footprints stays readable).
- :func:`footprint_layer`: the QgsVectorLayer for a GeoPackage layer written by
  :func:`.footprints.write_footprints`, styled, with temporal properties (:mod:`.temporal`).
- :func:`add_to_scene_finder_group`: adds a layer to the project inside a "Scene Finder" group at
  the top of the layer tree (created when missing).
"""

from __future__ import annotations

import os

from qgis.core import (
    QgsFillSymbol,
    QgsLayerTreeGroup,
    QgsMapLayer,
    QgsPalLayerSettings,
    QgsProject,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from ..core.errors import SceneFinderError
from .temporal import set_acquisition_time

GROUP_NAME = "Scene Finder"
OUTLINE_COLOR = "#e4572e"
LABEL_MIN_SCALE = 5_000_000
DATE_LABEL = "format_date(\"acquired\", 'yyyy-MM-dd')"


def style_footprints(layer: QgsVectorLayer, color: str = OUTLINE_COLOR, label: bool = True) -> None:
    """Transparent fill, outline in ``color``, labels with the acquisition date."""
    symbol = QgsFillSymbol.createSimple(
        {
            "color": "0,0,0,0",
            "style": "no",
            "outline_color": color,
            "outline_width": "0.4",
            "outline_width_unit": "MM",
            "outline_style": "solid",
        }
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    if label and layer.fields().indexOf("acquired") >= 0:
        settings = QgsPalLayerSettings()
        settings.fieldName = DATE_LABEL
        settings.isExpression = True
        settings.scaleVisibility = True
        settings.minimumScale = LABEL_MIN_SCALE  # the most zoomed-out scale labels are drawn at
        settings.maximumScale = 0
        text = QgsTextFormat()
        text.setFont(QFont("Sans Serif", 8))
        text.setSize(8)
        text.setColor(QColor(color).darker(150))
        buffer = QgsTextBufferSettings()
        buffer.setEnabled(True)
        buffer.setSize(0.8)
        buffer.setColor(QColor("white"))
        text.setBuffer(buffer)
        settings.setFormat(text)
        layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
        layer.setLabelsEnabled(True)
    layer.triggerRepaint()


def footprint_layer(path: str | os.PathLike, layer_name: str = "footprints", display_name: str | None = None,
                    color: str = OUTLINE_COLOR) -> QgsVectorLayer:
    """The styled vector layer of ``layer_name`` in the GeoPackage ``path``."""
    layer = QgsVectorLayer(f"{os.fspath(path)}|layername={layer_name}", display_name or layer_name, "ogr")
    if not layer.isValid():
        raise SceneFinderError(f"The footprints layer {layer_name!r} in {os.path.basename(path)} could not be opened.")
    style_footprints(layer, color)
    set_acquisition_time(layer)  # the Temporal Controller animates the footprints
    return layer


def scene_finder_group(project: QgsProject | None = None, name: str = GROUP_NAME) -> QgsLayerTreeGroup:
    """The "Scene Finder" group of the layer tree, created at the top when missing."""
    root = (project or QgsProject.instance()).layerTreeRoot()
    group = root.findGroup(name)
    return group if group is not None else root.insertGroup(0, name)


def add_to_scene_finder_group(layer: QgsMapLayer, project: QgsProject | None = None,
                              name: str = GROUP_NAME) -> QgsMapLayer:
    """Add ``layer`` to the project, at the top of the "Scene Finder" group."""
    project = project or QgsProject.instance()
    project.addMapLayer(layer, False)
    scene_finder_group(project, name).insertLayer(0, layer)
    return layer
