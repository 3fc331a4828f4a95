"""Carbon Mapper results written with GDAL/OGR (no QGIS import: usable from a plain process).

- :func:`merge_scene_pages`: the pages of a :class:`SceneDownload` appended, one at a time, into
  one GeoPackage layer ``scenes`` (EPSG:4326) created by OGR from the service's schema page
  with its spatial index; rows are copied page by page by SQLite, OGR's R-tree triggers keeping
  the index up to date as they go.
  When the AOI was shrunk to fit the URL, features not intersecting the exact AOI are dropped.
  With ``on_page`` (the panel) the pages go into a hidden preview file a layer reads meanwhile,
  published complete under the final name at the end, as :mod:`.footprints_stream` does.
- :func:`write_plumes`: :class:`Plume` records into a point layer ``plumes``.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import struct
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from osgeo import gdal, ogr, osr
from shapely import wkb as shapely_wkb

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


@dataclass
class ScenePage:
    """One page appended to a streamed merge (``on_page`` runs in the merging thread)."""

    path: Path  # the preview file (consistent as of this page)
    layer: str
    first_fid: int  # the page's rows are first_fid..count
    count: int  # rows so far
    total: int | None  # rows the service matched


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


def _create_scenes_layer(destination: ogr.DataSource, schema_path: Path, layer: str) -> None:
    """``layer`` with the schema page's fields, EPSG:4326, and its (empty) spatial index."""
    schema = ogr.Open(str(schema_path))
    source = schema.GetLayer(0)
    geom_type = source.GetGeomType() if source.GetGeomType() != ogr.wkbUnknown else ogr.wkbPolygon
    created = destination.CreateLayer(
        layer, _wgs84(), geom_type, options=["GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES"]
    )
    definition = source.GetLayerDefn()
    for i in range(definition.GetFieldCount()):
        created.CreateField(definition.GetFieldDefn(i))
    schema = None


def merge_scene_pages(
    download: SceneDownload,
    destination: Path | str,
    *,
    layer: str = SCENES_LAYER,
    cancel: CancelCheck = None,
    progress: Callable[[SceneProgress], None] | None = None,
    on_page: Callable[[ScenePage], None] | None = None,
    state=None,
) -> MergeResult:
    """Download every page of ``download`` and append it to ``layer`` of ``destination`` (replaced).

    OGR creates the layer and its spatial index from the schema page and sets the extent at the
    end; in between, each page's rows are copied by SQLite itself (``INSERT ... SELECT`` from the
    attached page: a GeoPackage is an SQLite database and the page has the same schema), OGR's
    R-tree triggers filling the index, which keeps the merge as fast as the download. When the
    AOI was shrunk, only the rows whose geometry intersects the exact AOI are copied.

    With ``on_page``, streamed: see the module's docstring; ``state`` (a
    :class:`.footprints_stream.StreamState`) tells where the rows went, also after an error (the
    rows that arrived are kept and published, then the error is raised again).
    """
    from .footprints_stream import StreamState, _publish, discard_preview

    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if download.work_dir is not None:
        download.work_dir.mkdir(parents=True, exist_ok=True)
    cancel = cancel if cancel is not None else download.cancel
    state = state if state is not None else StreamState()
    target = destination
    if on_page is not None:
        destination = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.streaming.gpkg")
        if target.exists():
            shutil.copyfile(target, destination)  # its other layers are kept
        state.preview = destination
    with tempfile.TemporaryDirectory(prefix="cm_schema_", dir=download.work_dir) as folder:
        schema_path = download.schema(Path(folder) / "schema.gpkg")
        dataset = _open_destination(destination, layer)
        _create_scenes_layer(dataset, schema_path, layer)
        dataset = None  # closed before SQLite writes to it
    keep = download.intersects.keeps if download.exact_aoi is not None else None
    pages = written = 0
    try:
        with _PageAppender(destination, layer, streaming=on_page is not None) as appender:
            for page in download.pages():
                raise_if_cancelled(cancel)
                added = appender.append(page.path, keep)
                written += added
                pages += 1
                if on_page is not None and added:
                    appender.page_done(written)
                    state.count = written
                    state.pages.append(written)
                    on_page(ScenePage(destination, layer, written - added + 1, written, download.total))
                if progress is not None:
                    progress(SceneProgress(pages, download.pages_total, page.offset + page.features, page.total))
    except BaseException:
        if on_page is None:
            raise
        if state.count:  # what arrived is kept
            _finish_layer(destination, layer)
            _publish(destination, target)
            state.published = target
        else:
            discard_preview(destination)
            state.preview = None
        raise
    _finish_layer(destination, layer)
    if on_page is not None:
        _publish(destination, target)
        state.published = target
        if not state.count:
            discard_preview(destination)
            state.preview = None
        destination = target
    LOG.info("Carbon Mapper scenes: %s of %s features in %s pages written to %s",
             written, download.total, pages, destination.name)
    return MergeResult(destination, layer, written, download.total or 0, pages, keep is not None)


class _PageAppender:
    """Copies the rows of GeoPackage pages into one table of the destination with SQLite."""

    def __init__(self, destination: Path, layer: str, streaming: bool = False):
        self.layer = layer
        self.connection = sqlite3.connect(str(destination), isolation_level=None)
        self.connection.execute("PRAGMA synchronous = OFF")  # a new file: nothing to protect until done
        if streaming:  # a layer reads the file while pages are added
            self.connection.execute("PRAGMA journal_mode = WAL")
        _register_gpkg_functions(self.connection)  # what the R-tree triggers OGR made call
        self.geometry = self.connection.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)", (layer,)
        ).fetchone()[0]
        info = self.connection.execute(f"PRAGMA table_info({_quote(layer)})").fetchall()
        self.columns = [row[1] for row in info if not row[5]]  # all but the primary key (fid)

    def __enter__(self) -> _PageAppender:
        return self

    def __exit__(self, *exc) -> None:
        self.connection.close()

    def page_done(self, count: int) -> None:
        """Feature count and extent so far, for a reader of the streamed file (the R-tree holds the boxes)."""
        db = self.connection
        rtree = _quote(f"rtree_{self.layer}_{self.geometry}")
        db.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                   (count, self.layer))
        db.execute(f"UPDATE gpkg_contents SET (min_x, max_x, min_y, max_y) = (SELECT min(minx), max(maxx), "
                   f"min(miny), max(maxy) FROM {rtree}) WHERE lower(table_name) = lower(?)", (self.layer,))

    def append(self, page: Path, keep: Callable[[object], bool] | None) -> int:
        db = self.connection
        db.execute("ATTACH DATABASE ? AS page", (str(page),))
        try:
            table, geometry = db.execute(
                "SELECT c.table_name, g.column_name FROM page.gpkg_contents c JOIN page.gpkg_geometry_columns g "
                "ON lower(g.table_name) = lower(c.table_name) WHERE c.data_type = 'features' LIMIT 1"
            ).fetchone() or (None, None)
            if table is None:
                return 0
            info = db.execute(f"PRAGMA page.table_info({_quote(table)})").fetchall()
            source_columns = {row[1] for row in info}
            fid = next((row[1] for row in info if row[5]), "rowid")
            targets, sources = [], []
            for column in self.columns:
                source = geometry if column == self.geometry else column
                if source in source_columns:
                    targets.append(_quote(column))
                    sources.append(_quote(source))
            where = ""
            if keep is not None:
                rows = db.execute(f"SELECT {_quote(fid)}, {_quote(geometry)} FROM page.{_quote(table)}")
                kept = [(row[0],) for row in rows if row[1] is not None and keep(gpkg_geometry(row[1]))]
                db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (fid INTEGER PRIMARY KEY)")
                db.execute("DELETE FROM temp.kept")
                db.executemany("INSERT INTO temp.kept VALUES (?)", kept)
                where = f" WHERE {_quote(fid)} IN (SELECT fid FROM temp.kept)"
            db.execute("BEGIN")
            cursor = db.execute(
                f"INSERT INTO main.{_quote(self.layer)} ({', '.join(targets)}) "
                f"SELECT {', '.join(sources)} FROM page.{_quote(table)}{where}"
            )
            db.execute("COMMIT")
            return cursor.rowcount
        finally:
            db.execute("DETACH DATABASE page")


def _finish_layer(destination: Path, layer: str) -> None:
    """Feature count and extent of the merged layer (its R-tree was filled by the triggers)."""
    with sqlite3.connect(str(destination)) as connection:
        connection.execute(
            f"UPDATE gpkg_ogr_contents SET feature_count = (SELECT COUNT(*) FROM {_quote(layer)}) "
            "WHERE lower(table_name) = lower(?)", (layer,)
        )
    connection.close()
    dataset = gdal.OpenEx(str(destination), gdal.OF_VECTOR | gdal.OF_UPDATE)
    try:
        dataset.ExecuteSQL(f"RECOMPUTE EXTENT ON {layer}")
    except RuntimeError as error:
        raise SceneFinderError(f"Could not finish the scenes layer in {destination.name}: {error}") from None
    finally:
        dataset = None


def _register_gpkg_functions(connection: sqlite3.Connection) -> None:
    """ST_IsEmpty and ST_MinX..ST_MaxY on GeoPackage blobs, as GDAL defines them for its R-tree
    triggers: the envelope comes from the blob's header (computed from the WKB when absent)."""

    def envelope(blob) -> tuple[float, float, float, float] | None:
        if blob is None or blob[:2] != b"GP" or blob[3] & 0x10:
            return None
        flags = blob[3]
        if (flags >> 1) & 0x07:
            minx, maxx, miny, maxy = struct.unpack_from("<4d" if flags & 1 else ">4d", blob, 8)
            return minx, maxx, miny, maxy
        geometry = gpkg_geometry(blob)
        if geometry is None or geometry.is_empty:
            return None
        minx, miny, maxx, maxy = geometry.bounds
        return minx, maxx, miny, maxy

    def part(index: int):
        def value(blob):
            box = envelope(blob)
            return None if box is None else box[index]

        return value

    connection.create_function("ST_IsEmpty", 1, lambda blob: int(envelope(blob) is None), deterministic=True)
    for index, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        connection.create_function(name, 1, part(index), deterministic=True)


def gpkg_geometry(blob: bytes):
    """The shapely geometry of a GeoPackage geometry blob (header + WKB); None when empty."""
    blob = bytes(blob)
    if blob[:2] != b"GP":
        raise SceneFinderError("A scenes page holds a geometry that is not in GeoPackage format.")
    flags = blob[3]
    if flags & 0x10:
        return None
    envelope = _ENVELOPE_BYTES.get((flags >> 1) & 0x07, 0)
    return shapely_wkb.loads(blob[8 + envelope:])


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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

