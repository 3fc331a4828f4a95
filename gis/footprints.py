"""Scene footprints written to a GeoPackage with OGR, fast and never half-written.

Runs in a task thread (OGR only; no QGIS layer is touched). The layer is EPSG:4326,
MultiPolygon, with exactly the fields of :data:`..core.models.FOOTPRINT_FIELDS`:
entity_id, display_id, dataset (String), acquired (Date), cloud_cover (Real, null when
unknown), wrs_path, wrs_row, satellite (Integer), browse_url, thumbnail_url (String).

Speed: features go in one transaction per :data:`BATCH_SIZE`, and the spatial index is built
once at the end instead of being updated by triggers for every insert (50,000 scenes in a
couple of seconds).

Safety: everything is written to a temporary GeoPackage next to the target, which then
replaces the target with an atomic rename; a cancelled or failed write leaves the target as
it was. When the target already holds other layers they are kept (the file is copied first and
only ``layer`` is replaced). A target with SQLite ``-wal``/``-shm`` side files is open in another
program (QGIS keeps them while a layer from it is loaded): replacing it then could corrupt it,
so that is refused with a clear message; write to a new file instead.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from osgeo import ogr, osr

from ..core.cancel import CancelCheck, raise_if_cancelled
from ..core.errors import SceneFinderError
from ..core.models import FOOTPRINT_FIELDS, Scene

LOG = logging.getLogger(__name__)

BATCH_SIZE = 10_000
PROGRESS_EVERY = 500
ProgressCallback = Callable[[int, "int | None"], None]

_FIELD_TYPES = {
    "entity_id": ogr.OFTString,
    "display_id": ogr.OFTString,
    "dataset": ogr.OFTString,
    "acquired": ogr.OFTDate,
    "cloud_cover": ogr.OFTReal,
    "wrs_path": ogr.OFTInteger,
    "wrs_row": ogr.OFTInteger,
    "satellite": ogr.OFTInteger,
    "browse_url": ogr.OFTString,
    "thumbnail_url": ogr.OFTString,
}
assert tuple(_FIELD_TYPES) == tuple(FOOTPRINT_FIELDS)


class FootprintWriteError(SceneFinderError):
    default_message = "The footprints could not be written."


def _expected_total(scenes: Iterable[Scene]) -> int | None:
    total = getattr(scenes, "total_hits", None)
    if isinstance(total, int):
        limit = getattr(scenes, "limit", None)
        return min(total, limit) if isinstance(limit, int) and limit > 0 else total
    try:
        return len(scenes)  # type: ignore[arg-type]
    except TypeError:
        return None


def _check(result: int, what: str) -> None:
    if result != 0:
        raise FootprintWriteError(f"The footprints could not be written ({what} failed: {ogr.GetLastErrorMsg()}).")


def _create_layer(dataset: ogr.DataSource, name: str) -> ogr.Layer:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    layer = dataset.CreateLayer(
        name, srs, ogr.wkbMultiPolygon,
        options=["SPATIAL_INDEX=NO", "GEOMETRY_NAME=geom", "FID=fid", f"IDENTIFIER={name}"],
    )
    if layer is None:
        raise FootprintWriteError(f"The layer {name!r} could not be created ({ogr.GetLastErrorMsg()}).")
    for field_name, field_type in _FIELD_TYPES.items():
        _check(layer.CreateField(ogr.FieldDefn(field_name, field_type)), f"creating the field {field_name}")
    return layer


def _geometry(footprint) -> ogr.Geometry | None:
    if footprint is None or footprint.is_empty:
        return None
    geometry = ogr.CreateGeometryFromWkb(bytes(footprint.wkb))
    if geometry is None:
        return None
    return ogr.ForceToMultiPolygon(geometry) if geometry.GetGeometryType() != ogr.wkbMultiPolygon else geometry


_STRINGS = [(i, name) for i, name in enumerate(FOOTPRINT_FIELDS) if _FIELD_TYPES[name] == ogr.OFTString]
_NUMBERS = [(i, name) for i, name in enumerate(FOOTPRINT_FIELDS) if _FIELD_TYPES[name] in (ogr.OFTReal, ogr.OFTInteger)]
_ACQUIRED = FOOTPRINT_FIELDS.index("acquired")


def _fill(feature: ogr.Feature, scene: Scene) -> None:
    # By field index with typed setters: looking fields up by name costs more than the write itself.
    # A field left unset is written as NULL.
    for index, name in _STRINGS:
        value = getattr(scene, name)
        if value is not None:
            feature.SetFieldString(index, str(value))
    for index, name in _NUMBERS:
        value = getattr(scene, name)
        if value is not None:
            feature.SetField(index, value)
    acquired = scene.acquired
    if acquired is not None:
        feature.SetField(_ACQUIRED, acquired.year, acquired.month, acquired.day, 0, 0, 0, 0)
    geometry = _geometry(scene.footprint)
    if geometry is not None:
        feature.SetGeometryDirectly(geometry)


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def write_footprints(
    scenes: Iterable[Scene],
    path: str | os.PathLike,
    layer: str = "footprints",
    cancel: CancelCheck = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Write ``scenes`` as the layer ``layer`` of the GeoPackage ``path``; returns how many were written.

    ``progress(done, total)`` is called every few hundred features (``total`` from ``len()`` or a
    search's ``total_hits``, else None). Raises CancelledError (target untouched) when ``cancel`` says so.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and any(side.exists() for side in _side_files(target)):
        raise FootprintWriteError(
            f"{target.name} is open in another program (a layer from it may be loaded in QGIS): "
            "remove that layer or write the footprints to another file."
        )
    temp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.writing.gpkg")
    driver = ogr.GetDriverByName("GPKG")
    total = _expected_total(scenes)
    count = 0
    dataset = None
    try:
        if target.exists() and _has_other_layers(target, layer):
            shutil.copyfile(target, temp)
            dataset = ogr.Open(str(temp), 1)
            if dataset is None:
                raise FootprintWriteError(f"{target.name} is not a GeoPackage that can be updated.")
            if dataset.GetLayerByName(layer) is not None:
                _check(dataset.DeleteLayer(layer), f"removing the old layer {layer}")
        else:
            dataset = driver.CreateDataSource(str(temp))
            if dataset is None:
                raise FootprintWriteError(f"The file {temp} could not be created ({ogr.GetLastErrorMsg()}).")
        out = _create_layer(dataset, layer)
        definition = out.GetLayerDefn()
        _check(dataset.StartTransaction(), "starting a transaction")
        for scene in scenes:
            feature = ogr.Feature(definition)
            _fill(feature, scene)
            _check(out.CreateFeature(feature), f"writing {scene.entity_id}")
            count += 1
            if count % PROGRESS_EVERY == 0:
                raise_if_cancelled(cancel)
                if progress:
                    progress(count, total)
            if count % BATCH_SIZE == 0:
                _check(dataset.CommitTransaction(), "committing")
                _check(dataset.StartTransaction(), "starting a transaction")
        raise_if_cancelled(cancel)
        _check(dataset.CommitTransaction(), "committing")
        quoted = layer.replace("'", "''")
        dataset.ExecuteSQL(f"SELECT CreateSpatialIndex('{quoted}', 'geom')")
        dataset.FlushCache()
        dataset = None  # closes the file: nothing may be pending when it is renamed
        os.replace(temp, target)
    except BaseException:
        dataset = None
        for leftover in [temp, *_side_files(temp)]:
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
            except OSError as error:
                LOG.warning("Could not remove the temporary file %s: %s", leftover.name, error)
        raise
    if progress:
        progress(count, total if total is not None else count)
    LOG.info("Wrote %d footprints to %s (layer %s)", count, target.name, layer)
    return count


def _has_other_layers(path: Path, layer: str) -> bool:
    dataset = ogr.Open(str(path), 0)
    if dataset is None:
        return False
    try:
        names = [dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())]
    finally:
        dataset = None
    return any(name != layer for name in names)
