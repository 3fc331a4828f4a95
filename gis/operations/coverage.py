"""The coverage planner over a footprints layer, shared by the panel's task and Processing.

One place decides which fields of a layer are read: the scene id, its cloud cover and its date,
by their names in Scene Finder's own layers (:mod:`..footprints`: ``entity_id``, ``cloud_cover``,
``acquired``; Carbon Mapper scenes, :mod:`..carbonmapper_gpkg`: ``scene_id``, ``cloud_cover_pct``,
``timestamp``) or in layers of the same kind, unless the caller names them. Footprints are read
in EPSG:4326 (the planner's shares are of ground area from longitude and latitude):
:func:`read_ogr` with OGR in a worker thread (the panel's GeoPackage results),
:func:`from_features` from QGIS features already transformed (Processing).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from ...core.cancel import CancelCheck, raise_if_cancelled
from ...core.coverage import CoveragePlan, Footprint, plan_coverage
from ...core.errors import SceneFinderError

ID_FIELDS = ("entity_id", "scene_id", "display_id", "plume_id", "id", "name")
CLOUD_FIELDS = ("cloud_cover", "cloud_cover_pct", "cloudCover", "cloud", "eo:cloud_cover")
DATE_FIELDS = ("acquired", "timestamp", "acquisition_date", "acquisitionDate", "datetime", "date")


class CoverageError(SceneFinderError):
    default_message = "The coverage could not be planned."


@dataclass(frozen=True)
class CoverageFields:
    id: str | None
    cloud: str | None
    date: str | None


def find_fields(names: Iterable[str], cloud: str | None = None, date: str | None = None) -> CoverageFields:
    """The id, cloud cover and date fields among ``names`` (the given ones win; any may be None)."""
    names = list(names)
    lowered = {name.lower(): name for name in names}

    def first(candidates) -> str | None:
        return next((lowered[c.lower()] for c in candidates if c.lower() in lowered), None)

    for chosen in (cloud, date):
        if chosen and chosen not in names:
            raise CoverageError(f"The layer has no field {chosen!r}.")
    return CoverageFields(first(ID_FIELDS), cloud or first(CLOUD_FIELDS), date or first(DATE_FIELDS))


def as_date(value) -> datetime.date | None:
    """A date from a Python or Qt date/datetime, or from text starting with yyyy-mm-dd (or yyyy/mm/dd)."""
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    if hasattr(value, "toPyDateTime"):
        value = value.toPyDateTime()
    elif hasattr(value, "toPyDate"):
        value = value.toPyDate()
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()[:10].replace("/", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def as_cloud(value) -> float | None:
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def from_features(features: Iterable, fields: CoverageFields, cancel: CancelCheck = None) -> tuple[list, list]:
    """(footprints, feature ids) from QGIS features whose geometries are in EPSG:4326."""
    from shapely import wkb

    footprints, fids = [], []
    for count, feature in enumerate(features):
        if count % 2000 == 0:
            raise_if_cancelled(cancel)
        geometry = None
        if feature.hasGeometry():
            geometry = wkb.loads(bytes(feature.geometry().asWkb()))
        fid = feature.id()
        footprints.append(Footprint(
            id=str(feature[fields.id]) if fields.id else str(fid), geometry=geometry,
            cloud=as_cloud(feature[fields.cloud]) if fields.cloud else None,
            acquired=as_date(feature[fields.date]) if fields.date else None))
        fids.append(fid)
    return footprints, fids


def read_ogr(path: str, layer_name: str | None, cancel: CancelCheck = None) -> tuple[list, list]:
    """(footprints, feature ids) of a GeoPackage/OGR layer, in EPSG:4326 (worker thread)."""
    from osgeo import ogr, osr
    from shapely import wkb

    source = ogr.Open(path)
    if source is None:
        raise CoverageError(f"The results file {path} could not be read.")
    layer = source.GetLayerByName(layer_name) if layer_name else source.GetLayer(0)
    if layer is None:
        raise CoverageError(f"The results file {path} has no layer {layer_name!r}.")
    definition = layer.GetLayerDefn()
    fields = find_fields(definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount()))
    transform = None
    srs = layer.GetSpatialRef()
    if srs is not None:
        wgs84 = osr.SpatialReference()
        wgs84.ImportFromEPSG(4326)
        for ref in (srs, wgs84):
            ref.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        if not srs.IsSame(wgs84):
            transform = osr.CoordinateTransformation(srs, wgs84)
    footprints, fids = [], []
    for count, feature in enumerate(layer):
        if count % 2000 == 0:
            raise_if_cancelled(cancel)
        shape = feature.GetGeometryRef()
        geometry = None
        if shape is not None and not shape.IsEmpty():
            if transform is not None:
                shape = shape.Clone()
                shape.Transform(transform)
            geometry = wkb.loads(bytes(shape.ExportToWkb()))
        fid = feature.GetFID()
        footprints.append(Footprint(
            id=str(feature.GetField(fields.id)) if fields.id else str(fid), geometry=geometry,
            cloud=as_cloud(feature.GetField(fields.cloud)) if fields.cloud else None,
            acquired=as_date(feature.GetField(fields.date)) if fields.date else None))
        fids.append(fid)
    return footprints, fids


@dataclass(frozen=True)
class CoverageOutcome:
    plan: CoveragePlan
    fids: list  # feature ids of the picked scenes, in pick order


def plan_for_layer(path: str, layer_name: str | None, aoi, min_coverage: float, cloud_weight: float, window: str,
                   cancel: CancelCheck = None) -> CoverageOutcome:
    """The plan for the GeoPackage layer of a search's results (the panel's task)."""
    footprints, fids = read_ogr(path, layer_name, cancel)
    return plan_footprints(footprints, fids, aoi, min_coverage, cloud_weight, window, cancel)


def plan_footprints(footprints: list, fids: list, aoi, min_coverage: float, cloud_weight: float, window: str,
                    cancel: CancelCheck = None) -> CoverageOutcome:
    try:
        plan = plan_coverage(footprints, aoi, min_coverage=min_coverage, cloud_weight=cloud_weight, window=window,
                             cancel=cancel)
    except ValueError as error:
        raise CoverageError(str(error)) from None
    return CoverageOutcome(plan, [fids[pick.index] for pick in plan.picks])


def summary(plan: CoveragePlan) -> str:
    """One sentence: how many scenes, the share covered, the mean cloud cover (English; callers translate
    their own frame)."""
    count = len(plan.picks)
    if not count:
        return "No footprint meets the area of interest."
    cloud = "unknown" if plan.mean_cloud is None else f"{plan.mean_cloud:.1f} %"
    text = (f"{count} scene(s) cover {100 * plan.share:.1f} % of the area; mean cloud cover {cloud}"
            if len(plan.windows) == 1 else
            f"{count} scene(s) in {len(plan.windows)} windows cover {100 * plan.share:.1f} % of the area on average "
            f"(at least {100 * plan.min_share:.1f} %); mean cloud cover {cloud}")
    if plan.unknown_cloud:
        text += f" ({plan.unknown_cloud} of unknown cloud cover)"
    return text + "."
