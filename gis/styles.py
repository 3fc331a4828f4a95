"""How footprint layers look, and where they go in the layer tree (main thread only).

- :func:`style_footprints`: transparent fill, a thin coloured outline, labels with the
  acquisition date, readable at any density:

  - scale-dependent: shown from 1:5,000,000 inwards (a continent of footprints draws no labels);
  - one label per footprint position: a label sits on its footprint's centroid, with no other
    candidate position (QGIS's "over centroid" placement), and labels never overlap. A WRS-2
    path/row acquired many times has many nearly identical footprints (a few km apart), hence
    nearly one centroid: one of their dates is drawn there instead of a stack of dates around it
    (QGIS's default "around centroid" placement stacked up to one per candidate position; the
    others' labels collide with it and are left out: the table lists them all);
  - footprints smaller than 8 mm on the map get no label, and at most 400 labels are drawn.
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
from .compat import LABEL_OVER_POINT
from .temporal import set_acquisition_time

GROUP_NAME = "Scene Finder"
OUTLINE_COLOR = "#e4572e"
LABEL_MIN_SCALE = 5_000_000
LABEL_MIN_FEATURE_MM = 8.0  # footprints smaller than this on the map are not labelled
LABEL_MAX_COUNT = 400  # labels drawn at most, whatever the density
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
        settings.placement = LABEL_OVER_POINT  # on the centroid only: one label per footprint position
        settings.displayAll = False  # overlapping labels are left out, never drawn over each other
        thinning = settings.thinningSettings()
        thinning.setMinimumFeatureSize(LABEL_MIN_FEATURE_MM)
        thinning.setLimitNumberLabelsEnabled(True)
        thinning.setMaximumNumberLabels(LABEL_MAX_COUNT)
        settings.setThinningSettings(thinning)
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
