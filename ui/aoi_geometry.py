"""The area of interest as a geometry: EPSG:4326 transforms, ellipsoidal area, and the checks.

Pure qgis.core: no widget, no canvas. :mod:`.aoi` builds the picker and the map display on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import BadInputError

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
SOURCES = ("extent", "selection", "layer", "rectangle", "saved")  # saved: the area of a saved search
# Largest AOI a search accepts: beyond this the services time out or cap results, and a polygon this
# big is rarely meant. The whole Earth is ~510 million km².
MAX_AREA_KM2 = 20_000_000.0
# Unions of more features than this would hold up QGIS; such layers are taken by their extent.
MAX_UNION_FEATURES = 5000
STRIP_DEGREES = 10.0


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderAoi", message)


class AoiError(BadInputError):
    default_message = "The area of interest is not usable."


@dataclass
class Aoi:
    geometry: QgsGeometry  # EPSG:4326, polygon or multipolygon
    source: str
    area_km2: float
    is_rectangle: bool = False

    def to_shapely(self):
        from shapely import wkb

        return wkb.loads(bytes(self.geometry.asWkb()))

    def describe(self) -> str:
        return tr("{area} km²").format(area=format_area(self.area_km2))


def format_area(km2: float) -> str:
    if km2 >= 100:
        return f"{km2:,.0f}"
    if km2 >= 1:
        return f"{km2:,.1f}"
    return f"{km2:.3f}"


def area_km2(geometry_4326: QgsGeometry, project: QgsProject | None = None) -> float:
    """Ellipsoidal (WGS84) area in km²."""
    project = project or QgsProject.instance()
    measure = QgsDistanceArea()
    measure.setSourceCrs(WGS84, project.transformContext())
    measure.setEllipsoid("EPSG:7030")
    box = geometry_4326.boundingBox()
    if box.width() <= STRIP_DEGREES:
        pieces = [geometry_4326]
    else:
        # The ellipsoidal measure goes wrong for polygons spanning many degrees (0 for the whole globe):
        # measure narrow longitude strips and add them up.
        pieces = []
        west = box.xMinimum()
        while west < box.xMaximum():
            strip = QgsGeometry.fromRect(QgsRectangle(west, box.yMinimum(), west + STRIP_DEGREES, box.yMaximum()))
            pieces.append(geometry_4326.intersection(strip))
            west += STRIP_DEGREES
    square_metres = sum(measure.measureArea(piece) for piece in pieces if not piece.isEmpty())
    return measure.convertAreaMeasurement(square_metres, QgsUnitTypes.AreaUnit.AreaSquareKilometers)


def to_wgs84(geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem,
             project: QgsProject | None = None) -> QgsGeometry:
    project = project or QgsProject.instance()
    result = QgsGeometry(geometry)
    if crs.isValid() and crs != WGS84:
        result.transform(QgsCoordinateTransform(crs, WGS84, project.transformContext()))
    return result


def rectangle_to_wgs84(rect: QgsRectangle, crs: QgsCoordinateReferenceSystem,
                       project: QgsProject | None = None) -> QgsGeometry:
    """A lon/lat rectangle enclosing ``rect`` (edges densified by the transform), clipped to the globe."""
    project = project or QgsProject.instance()
    if crs.isValid() and crs != WGS84:
        rect = QgsCoordinateTransform(crs, WGS84, project.transformContext()).transformBoundingBox(rect)
    rect = rect.intersect(QgsRectangle(-180, -90, 180, 90))
    return QgsGeometry.fromRect(rect)


def make_aoi(geometry_4326: QgsGeometry, source: str, *, is_rectangle: bool = False,
             max_area_km2: float = MAX_AREA_KM2, project: QgsProject | None = None) -> Aoi:
    """Check a lon/lat geometry and wrap it as an :class:`Aoi` (raises :class:`AoiError`)."""
    if geometry_4326 is None or geometry_4326.isNull() or geometry_4326.isEmpty():
        raise AoiError(tr("The area of interest is empty."))
    if geometry_4326.type() != QgsWkbTypes.GeometryType.PolygonGeometry:
        raise AoiError(tr("The area of interest must be a polygon: points and lines have no area. "
                          "Select polygon features, or draw a rectangle."))
    if not geometry_4326.isGeosValid():
        geometry_4326 = geometry_4326.makeValid()
    area = area_km2(geometry_4326, project)
    if area <= 0:
        raise AoiError(tr("The area of interest has no area."))
    if area > max_area_km2:
        raise AoiError(tr("The area of interest is {area} km², larger than the {limit} km² a search accepts. "
                          "Zoom in, or draw a smaller rectangle.").format(area=format_area(area),
                                                                          limit=format_area(max_area_km2)))
    return Aoi(geometry_4326, source, area, is_rectangle)


def aoi_from_layer(layer: QgsVectorLayer | None, selected_only: bool, project: QgsProject | None = None,
                   max_area_km2: float = MAX_AREA_KM2) -> Aoi:
    if layer is None or not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        raise AoiError(tr("Choose a vector layer for the area of interest."))
    if layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry:
        raise AoiError(tr("The layer “{name}” has points or lines; an area of interest needs polygons.")
                       .format(name=layer.name()))
    source = "selection" if selected_only else "layer"
    if selected_only:
        count = layer.selectedFeatureCount()
        if count == 0:
            raise AoiError(tr("No features are selected in “{name}”. Select one or more polygons first.")
                           .format(name=layer.name()))
        features = layer.getSelectedFeatures()
    else:
        count = layer.featureCount()
        if count == 0:
            raise AoiError(tr("The layer “{name}” has no features.").format(name=layer.name()))
        features = layer.getFeatures()
    if count > MAX_UNION_FEATURES:
        box = layer.boundingBoxOfSelected() if selected_only else layer.extent()
        return make_aoi(rectangle_to_wgs84(box, layer.crs(), project), source, is_rectangle=True,
                        max_area_km2=max_area_km2, project=project)
    geometries = [f.geometry() for f in features if f.hasGeometry() and not f.geometry().isEmpty()]
    if not geometries:
        raise AoiError(tr("The chosen features have no geometry."))
    union = QgsGeometry.unaryUnion(geometries) if len(geometries) > 1 else geometries[0]
    return make_aoi(to_wgs84(union, layer.crs(), project), source, max_area_km2=max_area_km2, project=project)
