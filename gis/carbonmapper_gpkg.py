"""Carbon Mapper results written with GDAL/OGR (no QGIS import: usable from a plain process).

- :func:`merge_scene_pages`: the pages of a :class:`SceneDownload` appended, one at a time, into
  one GeoPackage layer ``scenes`` (EPSG:4326) created from the service's schema page. Pages go
  through ``gdal.VectorTranslate`` in append mode (C speed); when the AOI was shrunk to fit the
  URL, features not intersecting the exact AOI are dropped (OGR spatial filter, exact test).
- :func:`write_plumes`: :class:`Plume` records into a point layer ``plumes``.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from osgeo import gdal, ogr, osr

from ..core.cancel import CancelCheck, raise_if_cancelled
from ..core.carbonmapper.plumes import Plume
from ..core.carbonmapper.scenes import SceneDownload, SceneProgress
from ..core.errors import SceneFinderError
from ..core.redact import redact_url

LOG = logging.getLogger(__name__)

SCENES_LAYER = "scenes"
PLUMES_LAYER = "plumes"

gdal.UseExceptions()
ogr.UseExceptions()


@dataclass(frozen=True)
class MergeResult:
    path: Path
    layer: str
    features: int  # features written
    total: int  # features the service matched (before exact-AOI filtering)
    pages: int
    filtered: bool  # True: features outside the exact AOI were dropped


def _wgs84() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _open_destination(path: Path, layer: str) -> ogr.DataSource:
    """The destination GeoPackage, opened for update, without a previous ``layer``."""
    driver = ogr.GetDriverByName("GPKG")
    if path.exists():
        dataset = ogr.Open(str(path), 1)
        index = next((i for i in range(dataset.GetLayerCount()) if dataset.GetLayer(i).GetName() == layer), None)
        if index is not None:
            dataset.DeleteLayer(index)
        return dataset
    path.parent.mkdir(parents=True, exist_ok=True)
    return driver.CreateDataSource(str(path))


def _create_scenes_layer(destination: ogr.DataSource, schema_path: Path, layer: str) -> ogr.Layer:
    schema = ogr.Open(str(schema_path))
    source = schema.GetLayer(0)
    geom_type = source.GetGeomType() if source.GetGeomType() != ogr.wkbUnknown else ogr.wkbPolygon
    created = destination.CreateLayer(layer, _wgs84(), geom_type, options=["GEOMETRY_NAME=geom", "FID=fid"])
    definition = source.GetLayerDefn()
    for i in range(definition.GetFieldCount()):
        created.CreateField(definition.GetFieldDefn(i))
    schema = None
    return created


def merge_scene_pages(
    download: SceneDownload,
    destination: Path | str,
    *,
    layer: str = SCENES_LAYER,
    cancel: CancelCheck = None,
    progress: Callable[[SceneProgress], None] | None = None,
) -> MergeResult:
    """Download every page of ``download`` and append it to ``layer`` of ``destination`` (replaced)."""
    destination = Path(destination)
    cancel = cancel if cancel is not None else download.cancel
    with tempfile.TemporaryDirectory(prefix="cm_schema_", dir=download.work_dir) as folder:
        schema_path = download.schema(Path(folder) / "schema.gpkg")
        dataset = _open_destination(destination, layer)
        _create_scenes_layer(dataset, schema_path, layer)
        dataset = None  # closed: VectorTranslate reopens it
    exact = download.exact_aoi
    exact_ogr = ogr.CreateGeometryFromWkb(exact.wkb) if exact is not None else None
    pages = written = 0
    for page in download.pages():
        raise_if_cancelled(cancel)
        if exact_ogr is None:
            _append_page(page.path, destination, layer)
            written += page.features
        else:
            written += _append_filtered(page.path, destination, layer, exact_ogr)
        pages += 1
        if progress is not None:
            progress(SceneProgress(pages, download.pages_total, page.offset + page.features, page.total))
    LOG.info("Carbon Mapper scenes: %s of %s features in %s pages written to %s",
             written, download.total, pages, destination.name)
    return MergeResult(destination, layer, written, download.total or 0, pages, exact_ogr is not None)


def _append_page(page: Path, destination: Path, layer: str) -> None:
    try:
        result = gdal.VectorTranslate(
            str(destination), str(page), format="GPKG", accessMode="append", layerName=layer
        )
    except RuntimeError as error:
        raise SceneFinderError(f"Could not add a page of scenes to {destination.name}: {error}") from None
    if result is None:
        raise SceneFinderError(f"Could not add a page of scenes to {destination.name}.")
    result = None


def _append_filtered(page: Path, destination: Path, layer: str, exact: ogr.Geometry) -> int:
    source_ds = ogr.Open(str(page))
    target_ds = ogr.Open(str(destination), 1)
    source, target = source_ds.GetLayer(0), target_ds.GetLayerByName(layer)
    source.SetSpatialFilter(exact)  # OGR tests the exact geometry, not only the bounding boxes
    definition = target.GetLayerDefn()
    count = 0
    target_ds.StartTransaction()
    for feature in source:
        out = ogr.Feature(definition)
        out.SetFrom(feature)
        target.CreateFeature(out)
        count += 1
    target_ds.CommitTransaction()
    source_ds = target_ds = None
    return count


# --- plumes ---------------------------------------------------------------------------
PLUME_FIELDS: tuple[tuple[str, int], ...] = (
    ("plume_id", ogr.OFTString),
    ("gas", ogr.OFTString),
    ("datetime", ogr.OFTDateTime),
    ("instrument", ogr.OFTString),
    ("emission", ogr.OFTReal),
    ("emission_uncertainty", ogr.OFTReal),
    ("sector", ogr.OFTString),
    ("status", ogr.OFTString),
    ("plume_tif", ogr.OFTString),
    ("plume_png", ogr.OFTString),
    ("rgb_png", ogr.OFTString),
    ("scene_id", ogr.OFTString),
    ("scene_name", ogr.OFTString),
    ("platform", ogr.OFTString),
    ("published_at", ogr.OFTDateTime),
    ("uuid", ogr.OFTString),
)


def write_plumes(
    plumes: Iterable[Plume],
    destination: Path | str,
    *,
    layer: str = PLUMES_LAYER,
    keep_signed_urls: bool = False,
    cancel: CancelCheck = None,
    batch: int = 2000,
) -> int:
    """Write ``plumes`` as points into ``layer`` of the GeoPackage ``destination`` (layer replaced).

    Asset URLs are written without their query string unless ``keep_signed_urls``: the signature
    is a credential and expires anyway; rasters are fetched fresh through STAC by plume id.
    """
    destination = Path(destination)
    dataset = _open_destination(destination, layer)
    target = dataset.CreateLayer(layer, _wgs84(), ogr.wkbPoint, options=["GEOMETRY_NAME=geom", "FID=fid"])
    for name, kind in PLUME_FIELDS:
        target.CreateField(ogr.FieldDefn(name, kind))
    definition = target.GetLayerDefn()
    count = 0
    dataset.StartTransaction()
    for plume in plumes:
        if count and count % batch == 0:
            raise_if_cancelled(cancel)
            dataset.CommitTransaction()
            dataset.StartTransaction()
        feature = ogr.Feature(definition)
        for name, value in _plume_values(plume, keep_signed_urls).items():
            if value is not None:
                feature.SetField(name, value)
        if plume.longitude is not None and plume.latitude is not None:
            point = ogr.Geometry(ogr.wkbPoint)
            point.AddPoint_2D(plume.longitude, plume.latitude)
            feature.SetGeometry(point)
        target.CreateFeature(feature)
        count += 1
    dataset.CommitTransaction()
    dataset = None
    return count


def _plume_values(plume: Plume, keep_signed_urls: bool) -> dict:
    def url(value: str | None) -> str | None:
        if not value or keep_signed_urls:
            return value
        return redact_url(value).removesuffix("?***")

    def when(value) -> str | None:
        return value.strftime("%Y/%m/%d %H:%M:%S+00") if value is not None else None

    return {
        "plume_id": plume.plume_id, "gas": plume.gas, "datetime": when(plume.datetime),
        "instrument": plume.instrument, "emission": plume.emission,
        "emission_uncertainty": plume.emission_uncertainty, "sector": plume.sector, "status": plume.status,
        "plume_tif": url(plume.plume_tif), "plume_png": url(plume.plume_png), "rgb_png": url(plume.rgb_png),
        "scene_id": plume.scene_id, "scene_name": plume.scene_name, "platform": plume.platform,
        "published_at": when(plume.published_at), "uuid": plume.id,
    }

