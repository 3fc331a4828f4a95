"""The rows of the results table, read from a footprints layer: by OGR in a background task for a
GeoPackage (50,000 footprints would hold up QGIS), through QGIS for a small layer; then sorted and
indexed by scene key and feature id, for the link between the table and the layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from osgeo import ogr
from qgis.core import QgsVectorLayer

from ..core.errors import CancelledError, SceneFinderError
from ..gis.tasks.panel import CallTask
from .results_model import KIND_LANDSAT, ResultRow, row_from_record, sort_rows, tr

KEY_FIELDS = ("entity_id", "plume_id", "id", "name")


def _key_field(names: list[str]) -> str | None:
    return next((name for name in KEY_FIELDS if name in names), None)


def read_rows_ogr(path: str, layer_name: str | None, kind: str = KIND_LANDSAT,
                  cancel=None, where: str | None = None) -> list[ResultRow]:
    """The rows of a GeoPackage/OGR footprints layer, with feature ids and bounds (worker thread);
    ``where``: only those of this OGR attribute filter (e.g. the fids of a streamed page)."""
    source = ogr.Open(path)
    if source is None:
        raise SceneFinderError(tr("The results file {name} could not be read.").format(name=path))
    layer = source.GetLayerByName(layer_name) if layer_name else source.GetLayer(0)
    if where:
        layer.SetAttributeFilter(where)
    definition = layer.GetLayerDefn()
    names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    key = _key_field(names)
    rows = []
    for count, feature in enumerate(layer):
        if count % 2000 == 0 and cancel is not None and cancel():
            raise CancelledError()
        values = {name: feature.GetField(name) for name in names}
        if key is None:
            values["id"] = str(feature.GetFID())
        geometry = feature.GetGeometryRef()
        bounds = None
        if geometry is not None and not geometry.IsEmpty():
            xmin, xmax, ymin, ymax = geometry.GetEnvelope()
            bounds = (xmin, ymin, xmax, ymax)
        rows.append(row_from_record(values, kind, fid=feature.GetFID(), bounds=bounds))
    return rows


def read_rows_layer(layer: QgsVectorLayer, kind: str = KIND_LANDSAT) -> list[ResultRow]:
    """The rows of a (small) vector layer, read through QGIS."""
    names = layer.fields().names()
    key = _key_field(names)
    rows = []
    for feature in layer.getFeatures():
        values = dict(zip(names, [None if v is None or (hasattr(v, "isNull") and v.isNull()) else v
                                  for v in feature.attributes()]))
        for name, value in values.items():
            if hasattr(value, "toPyDateTime"):
                values[name] = value.toPyDateTime()
            elif hasattr(value, "toPyDate"):
                values[name] = value.toPyDate()
        if key is None:
            values["id"] = str(feature.id())
        bounds = None
        if feature.hasGeometry():
            box = feature.geometry().boundingBox()
            bounds = (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())
        rows.append(row_from_record(values, kind, fid=feature.id(), bounds=bounds))
    return rows


@dataclass
class PreparedRows:
    """Rows sorted as the table shows them, with the lookups the layer link needs."""

    rows: list[ResultRow]
    sort: tuple[int, object] | None = None  # (column, Qt.SortOrder) the rows are sorted by
    fid_by_key: dict[str, int] = field(default_factory=dict)
    key_by_fid: dict[int, str] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)


def prepare_rows(rows: list[ResultRow], sort: tuple[int, object] | None) -> PreparedRows:
    """Sorting and indexing 50,000 rows takes ~100 ms: done here, in the reading task's thread."""
    if sort is not None:
        sort_rows(rows, *sort)
    fid_by_key = {row.key: row.fid for row in rows if row.fid is not None}
    return PreparedRows(rows, sort, fid_by_key, {fid: key for key, fid in fid_by_key.items()},
                        {row.key: number for number, row in enumerate(rows)})


def read_and_prepare(path: str, layer_name: str | None, kind: str, sort: tuple[int, object] | None = None, *,
                     cancel=None) -> PreparedRows:
    """Read, sort and index the table rows of a big footprints layer (in a background task)."""
    return prepare_rows(read_rows_ogr(path, layer_name, kind, cancel), sort)


def read_rows_task(path: str, layer_name: str | None, kind: str, sort: tuple[int, object] | None = None,
                   **callbacks) -> CallTask:
    """The task that runs :func:`read_and_prepare`."""
    return CallTask(tr("Scene Finder: reading results"), read_and_prepare, path, layer_name, kind, sort, **callbacks)
