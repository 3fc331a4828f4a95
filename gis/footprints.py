"""Scene footprints written to a GeoPackage, fast and never half-written.

Runs in a task thread (OGR and SQLite only; no QGIS layer is touched). The layer is EPSG:4326,
MultiPolygon, with exactly the fields of :data:`..core.models.FOOTPRINT_FIELDS`:
entity_id, display_id, dataset (String), acquired (Date), cloud_cover (Real, null when
unknown), wrs_path, wrs_row, satellite (Integer), browse_url, thumbnail_url, overlay_type,
overlay_url (String).

How: OGR creates the layer (table, GeoPackage metadata, R-tree and its triggers), then the rows
go in with SQLite itself (a GeoPackage is an SQLite database) in one transaction: ``executemany``
of GeoPackage geometry blobs made from shapely's WKB (:mod:`.gpkg_blobs`), with the table's
insert triggers set aside until the end, when the R-tree is packed in one pass from the
envelopes already computed (:mod:`.rtree_bulk`) and the triggers are put back. OGR feature by
feature, then its spatial index, took more than a second for a 50,000-scene search; this takes
about a quarter of that.

Safety: everything is written to a temporary GeoPackage next to the target, which then
replaces the target with an atomic rename; a cancelled or failed write leaves the target as
it was. When the target already holds other layers they are kept (the file is copied first and
only ``layer`` is replaced). A target with SQLite ``-wal``/``-shm`` side files is open in another
program (QGIS keeps them while a layer from it is loaded): replacing it then could corrupt it,
so that is refused with a clear message; write to a new file instead.
"""

from __future__ import annotations

import logging
import operator
import os
import re
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from osgeo import ogr, osr

from ..core.cancel import CancelCheck, raise_if_cancelled
from ..core.compat import wkb_writer
from ..core.errors import SceneFinderError
from ..core.gc_pause import collector_paused
from ..core.models import FOOTPRINT_FIELDS, Scene
from ..core.rings import PolygonRing
from .gpkg_blobs import SRS_ID, Envelope, footprint_blob
from .rtree_bulk import bulk_load, quote_identifier

LOG = logging.getLogger(__name__)

PROGRESS_EVERY = 500  # rows per insert statement: cancel and progress are checked between them
# parameters SQLite takes in one statement: 32,766 since SQLite 3.32 (2020), 999 before
_MAX_PARAMETERS = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999
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
    "overlay_type": ogr.OFTString,
    "overlay_url": ogr.OFTString,
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


def _create_layer(dataset: ogr.DataSource, name: str) -> None:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(SRS_ID)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    layer = dataset.CreateLayer(
        name, srs, ogr.wkbMultiPolygon,
        options=["SPATIAL_INDEX=YES", "GEOMETRY_NAME=geom", "FID=fid", f"IDENTIFIER={name}"],
    )
    if layer is None:
        raise FootprintWriteError(f"The layer {name!r} could not be created ({ogr.GetLastErrorMsg()}).")
    for field_name, field_type in _FIELD_TYPES.items():
        _check(layer.CreateField(ogr.FieldDefn(field_name, field_type)), f"creating the field {field_name}")


# --- rows ---------------------------------------------------------------------------------
# every field but acquired, in the table's column order after fid, geom and acquired
_OTHER_FIELDS = tuple(name for name in FOOTPRINT_FIELDS if name != "acquired")
_other_values = operator.attrgetter(*_OTHER_FIELDS)
# SQLite's column affinities store what is bound as the column's type (13 in a REAL column: 13.0)
_COLUMNS = ("fid", "acquired", *_OTHER_FIELDS)


_AFTER_INSERT = re.compile(r"\bAFTER\s+INSERT\b", re.IGNORECASE)


class _RowWriter:
    """Rows into the (empty) table OGR made, in one transaction.

    The table's insert triggers (R-tree, feature count) are set aside while the rows go in and put
    back, as OGR wrote them, before the commit; the R-tree is filled once, from the envelopes
    already computed for the geometry blobs. (A writer thread was tried: it fought the search for
    the GIL and made the whole slower.)
    """

    def __init__(self, path: Path, layer: str):
        self.db = sqlite3.connect(str(path), isolation_level=None)
        try:
            self._begin(layer)
        except BaseException:
            self.db.close()
            raise

    # a temporary file: nothing to protect until renamed
    PRAGMAS = ("PRAGMA synchronous = OFF", "PRAGMA journal_mode = MEMORY")

    def _begin(self, layer: str) -> None:
        db = self.db
        for pragma in self.PRAGMAS:
            db.execute(pragma)
        db.execute("BEGIN")
        self.table, geometry, srs_id = db.execute(
            "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
            (layer,),
        ).fetchone() or (layer, None, None)
        if geometry is None or srs_id != SRS_ID:  # the geometry blobs say 4326
            raise FootprintWriteError(f"The layer {layer!r} was not made as expected (EPSG:{SRS_ID} geometries).")
        # the R-tree and feature-count triggers, put back as OGR wrote them once the rows are in
        self.triggers = [(name, sql) for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?)", (self.table,)
        ) if _AFTER_INSERT.search(sql or "")]
        for name, _ in self.triggers:
            db.execute(f"DROP TRIGGER {quote_identifier(name)}")
        self.feature_counts = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_ogr_contents'").fetchone() is not None
        columns = ", ".join(quote_identifier(c) for c in (_COLUMNS[0], geometry, *_COLUMNS[1:]))
        self.insert_into = f"INSERT INTO {quote_identifier(self.table)} ({columns}) VALUES "
        self.row_marks = "(" + ", ".join("?" * (len(_COLUMNS) + 1)) + ")"
        self.inserts: dict[int, str] = {}  # by row count
        self.rtree = f"rtree_{self.table}_{geometry}"

    def add(self, rows: list[tuple]) -> None:
        """The rows in one statement (SQLite then inserts them all without Python: the search's next
        page is decoded meanwhile), or in statements of as many rows as SQLite's parameters allow."""
        per_statement = max(1, _MAX_PARAMETERS // len(rows[0])) if rows else 1
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            insert = self.inserts.get(len(chunk))
            if insert is None:
                insert = self.inserts[len(chunk)] = self.insert_into + ", ".join([self.row_marks] * len(chunk))
            self.db.execute(insert, [value for row in chunk for value in row])

    def finish(self, count: int, envelopes: list[tuple]) -> None:
        """Index, triggers, feature count and extent; committed and closed."""
        db = self.db
        if not bulk_load(db, self.rtree, envelopes):
            db.executemany(f"INSERT INTO {quote_identifier(self.rtree)} VALUES (?, ?, ?, ?, ?)", envelopes)
        for _, sql in self.triggers:
            db.execute(sql)
        if self.feature_counts:
            db.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                       (count, self.table))
        extent = (None,) * 4
        if envelopes:
            _, minx, maxx, miny, maxy = zip(*envelopes)
            extent = (min(minx), min(miny), max(maxx), max(maxy))
        db.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
                   "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE lower(table_name) = lower(?)",
                   (*extent, self.table))
        db.execute("COMMIT")
        self.close()

    def close(self) -> None:
        self.db.close()


def _blob(footprint, to_wkb: Callable[[object], bytes]) -> tuple[bytes, Envelope] | None:
    if footprint is None:
        return None
    try:
        # a search's plain ring is written as it came, without making its shapely polygon
        wkb = footprint.wkb() if type(footprint) is PolygonRing else to_wkb(footprint)
    except Exception:  # noqa: BLE001 - a geometry shapely cannot write (a null one): no footprint, same scene
        LOG.debug("unwritable footprint %r", footprint)
        return None
    return footprint_blob(wkb)


def _write_rows(scenes: Iterable[Scene], writer: _RowWriter, cancel: CancelCheck,
                progress: ProgressCallback | None, total: int | None) -> int:
    """Scenes turned into rows, written a few hundred at a time, then the R-tree from their envelopes."""
    to_wkb = wkb_writer()
    count = 0
    rows: list[tuple] = []
    envelopes: list[tuple] = []
    for scene in scenes:
        count += 1
        acquired = scene.acquired
        made = _blob(scene.stored_footprint, to_wkb)
        if made is None:
            blob = None
        else:
            blob, envelope = made
            envelopes.append((count, *envelope))
        rows.append((count, blob, None if acquired is None else acquired.isoformat()[:10], *_other_values(scene)))
        if count % PROGRESS_EVERY == 0:
            writer.add(rows)
            rows = []
            raise_if_cancelled(cancel)
            if progress:
                progress(count, total)
    writer.add(rows)
    raise_if_cancelled(cancel)
    writer.finish(count, envelopes)
    return count


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def writable_target(path: str | os.PathLike) -> Path:
    """``path`` with its folder made; :class:`FootprintWriteError` when a program has it open (SQLite's
    side files beside it), as replacing it would pull it from under that program."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and any(side.exists() for side in _side_files(target)):
        raise FootprintWriteError(
            f"{target.name} is open in another program (a layer from it may be loaded in QGIS): "
            "remove that layer or write the footprints to another file."
        )
    return target


def _prepare(target: Path, temp: Path, layer: str) -> None:
    """``temp``: a GeoPackage with the empty ``layer`` and, copied from ``target``, its other layers."""
    if target.exists() and _has_other_layers(target, layer):
        shutil.copyfile(target, temp)
        dataset = ogr.Open(str(temp), 1)
        if dataset is None:
            raise FootprintWriteError(f"{target.name} is not a GeoPackage that can be updated.")
        if dataset.GetLayerByName(layer) is not None:
            _check(dataset.DeleteLayer(layer), f"removing the old layer {layer}")
    else:
        dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(temp))
        if dataset is None:
            raise FootprintWriteError(f"The file {temp} could not be created ({ogr.GetLastErrorMsg()}).")
    _create_layer(dataset, layer)
    dataset = None  # closed: OGR writes the table, its metadata and its R-tree now


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
    target = writable_target(path)
    temp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.writing.gpkg")
    total = _expected_total(scenes)
    writer = None
    try:
        _prepare(target, temp, layer)
        writer = _RowWriter(temp, layer)
        with collector_paused():  # tens of thousands of short-lived row tuples, no cycles among them
            count = _write_rows(scenes, writer, cancel, progress, total)  # committed and closed when it returns
        os.replace(temp, target)
    except BaseException as error:
        if writer is not None:
            writer.close()
        _discard(temp)
        if isinstance(error, sqlite3.Error):
            raise FootprintWriteError(f"The footprints could not be written ({error}).") from error
        raise
    if progress:
        progress(count, total if total is not None else count)
    LOG.info("Wrote %d footprints to %s (layer %s)", count, target.name, layer)
    return count


def _discard(temp: Path) -> None:
    for leftover in [temp, *_side_files(temp)]:
        try:
            leftover.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            LOG.warning("Could not remove the temporary file %s: %s", leftover.name, error)


def _has_other_layers(path: Path, layer: str) -> bool:
    dataset = ogr.Open(str(path), 0)
    if dataset is None:
        return False
    try:
        names = [dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())]
    finally:
        dataset = None
    return any(name != layer for name in names)
