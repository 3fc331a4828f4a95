"""Carbon Mapper layers in QGIS: the scenes and plumes GeoPackage layers, styled (main thread only).

- :func:`style_scene_outlines`: no fill, a coloured outline (scene footprints overlap a lot).
- :func:`style_plumes_by_emission`: graduated markers by ``emission`` (kg/h), quantile classes
  (5 by default) on a yellow-to-red ramp; plumes without an emission get a grey marker.
- :func:`scene_layer` / :func:`plume_layer`: the styled QgsVectorLayer of a GeoPackage layer.

Writing the GeoPackages (OGR, worker thread) is :mod:`.carbonmapper_gpkg`; both are re-exported
here for callers that want one module.
"""

from __future__ import annotations

import os

from qgis.core import (
    QgsClassificationQuantile,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsGraduatedSymbolRenderer,
    QgsMarkerSymbol,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from ..core.errors import SceneFinderError
from .carbonmapper_gpkg import PLUMES_LAYER, SCENES_LAYER, MergeResult, merge_scene_pages, write_plumes
from .temporal import set_acquisition_time

__all__ = [
    "MergeResult", "merge_scene_pages", "write_plumes", "style_scene_outlines", "style_plumes_by_emission",
    "scene_layer", "plume_layer", "SCENE_OUTLINE", "EMISSION_FIELD",
]

SCENE_OUTLINE = "#1f78b4"
EMISSION_FIELD = "emission"
PLUME_RAMP = ("#ffffb2", "#bd0026")
NO_EMISSION_COLOR = "#9e9e9e"


def style_scene_outlines(layer: QgsVectorLayer, color: str = SCENE_OUTLINE, width_mm: float = 0.4) -> None:
    """No fill, a ``color`` outline."""
    symbol = QgsFillSymbol.createSimple({
        "color": "0,0,0,0", "style": "no", "outline_color": color, "outline_width": str(width_mm),
        "outline_width_unit": "MM", "outline_style": "solid",
    })
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.triggerRepaint()


def style_plumes_by_emission(layer: QgsVectorLayer, classes: int = 5, field: str = EMISSION_FIELD) -> None:
    """Graduated markers by ``field`` in ``classes`` quantile classes; single grey markers when no values."""
    base = QgsMarkerSymbol.createSimple({
        "name": "circle", "size": "3", "size_unit": "MM", "outline_color": "#4d0000", "outline_width": "0.2",
    })
    renderer = QgsGraduatedSymbolRenderer(field)
    renderer.setSourceSymbol(base.clone())
    renderer.setSourceColorRamp(QgsGradientColorRamp(QColor(PLUME_RAMP[0]), QColor(PLUME_RAMP[1])))
    renderer.setClassificationMethod(QgsClassificationQuantile())
    renderer.updateClasses(layer, classes)
    if not renderer.ranges():
        grey = base.clone()
        grey.setColor(QColor(NO_EMISSION_COLOR))
        layer.setRenderer(QgsSingleSymbolRenderer(grey))
    else:
        renderer.updateColorRamp(QgsGradientColorRamp(QColor(PLUME_RAMP[0]), QColor(PLUME_RAMP[1])))
        layer.setRenderer(renderer)
    layer.triggerRepaint()


def _open(path: str | os.PathLike, layer_name: str, display_name: str | None) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{os.fspath(path)}|layername={layer_name}", display_name or layer_name, "ogr")
    if not layer.isValid():
        raise SceneFinderError(f"The layer {layer_name!r} in {os.path.basename(path)} could not be opened.")
    set_acquisition_time(layer)  # the Temporal Controller animates scenes and plumes
    return layer


def scene_layer(path: str | os.PathLike, layer_name: str = SCENES_LAYER,
                display_name: str | None = "Carbon Mapper scenes") -> QgsVectorLayer:
    """The scenes layer of the GeoPackage ``path``, outlines styled."""
    layer = _open(path, layer_name, display_name)
    style_scene_outlines(layer)
    return layer


def plume_layer(path: str | os.PathLike, layer_name: str = PLUMES_LAYER,
                display_name: str | None = "Carbon Mapper plumes", classes: int = 5) -> QgsVectorLayer:
    """The plumes layer of the GeoPackage ``path``, graduated by emission."""
    layer = _open(path, layer_name, display_name)
    style_plumes_by_emission(layer, classes)
    return layer
