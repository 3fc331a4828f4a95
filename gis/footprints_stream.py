"""Scene footprints written page by page, readable while they arrive (the panel's search).

:func:`stream_footprints` writes the same GeoPackage layer as :func:`.footprints.write_footprints`
(same schema, same blobs), but commits every page of rows so that a QGIS layer can show them while
the search goes on (``on_page`` is told after each commit). Runs in a task thread.

- The rows go into a *preview* file with a temporary, hidden name next to the target
  (``.<stem>.<random>.streaming.gpkg``). It is in WAL mode: QGIS reads it (map, table) while the
  writer appends, neither waiting for the other. After each commit the file is a consistent
  GeoPackage: the rows, their R-tree entries (inserted with the rows: the table's own triggers are
  set aside while streaming), the feature count and the extent so far.
- At the end the preview is completed (triggers put back) and *copied* with SQLite's backup API to
  a second temporary file, made a plain rollback-journal database, and renamed onto the target.
  The target therefore only ever appears complete, a crash leaves at most hidden temporary files,
  and the preview, which a layer may still hold open, is never renamed under a reader (Windows
  refuses that). The caller removes the preview (:func:`discard_preview`) once no layer reads it.
- Cancelled or failed mid-way (the search raised), the rows that arrived are kept: they are
  committed, published to the target the same way, and the error is raised again;
  ``state.published`` says where they went (None when nothing arrived or nothing could be kept).

Copying costs a fraction of a second for 50,000 footprints; it buys a final file that no reader
ever saw half-written. :func:`.footprints.write_footprints` (one transaction, packed R-tree) stays
the writer of everything that does not show rows while they arrive (Processing, scripts).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.cancel import CancelCheck, raise_if_cancelled
from ..core.compat import wkb_writer
from ..core.gc_pause import collector_paused
from ..core.models import Scene
from .footprints import (
    FootprintWriteError,
    ProgressCallback,
    _blob,
    _discard,
    _expected_total,
    _other_values,
    _prepare,
    _RowWriter,
    writable_target,
)
from .rtree_bulk import quote_identifier

LOG = logging.getLogger(__name__)

DEFAULT_PAGE_ROWS = 2000  # rows per commit when the scenes do not say their page size


@dataclass
class FootprintPage:
    """One committed page, for the reader on the main thread (``on_page`` runs in the writer's thread)."""

    path: Path  # the preview file (consistent as of this commit)
    layer: str
    first_fid: int  # the fid of the page's first scene; the others follow one by one
    scenes: list[Scene]  # the page's scenes, in fid order
    envelopes: dict[int, tuple[float, float, float, float]]  # fid -> (minx, miny, maxx, maxy)
    count: int  # rows committed so far
    total: int | None  # rows expected (None: unknown)
    extent: tuple[float, float, float, float] | None  # (minx, miny, maxx, maxy) of every row so far


@dataclass
class StreamState:
    """Where the stream stands; filled as it goes, also when it ends with an error."""

    preview: Path | None = None  # the temporary file the pages went to (remove with discard_preview)
    count: int = 0  # rows committed
    published: Path | None = None  # the target, once the rows are in it
    pages: list[int] = field(default_factory=list)  # rows committed at each page


class _StreamWriter(_RowWriter):
    """Rows committed page by page into the preview, R-tree entries with them."""

    # a temporary file (a crash loses nothing kept); WAL: QGIS reads while rows are added
    PRAGMAS = ("PRAGMA synchronous = OFF", "PRAGMA journal_mode = WAL")

    def _begin(self, layer: str) -> None:
        super()._begin(layer)
        self.extent: tuple[float, float, float, float] | None = None
        self.rtree_insert = f"INSERT INTO {quote_identifier(self.rtree)} VALUES (?, ?, ?, ?, ?)"

    def commit_page(self, rows: list[tuple], envelopes: list[tuple], count: int) -> None:
        db = self.db
        self.add(rows)
        db.executemany(self.rtree_insert, envelopes)
        if envelopes:
            _, minx, maxx, miny, maxy = zip(*envelopes)
            page = (min(minx), min(miny), max(maxx), max(maxy))
            old = self.extent or page
            self.extent = (min(old[0], page[0]), min(old[1], page[1]), max(old[2], page[2]), max(old[3], page[3]))
        if self.feature_counts:
            db.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                       (count, self.table))
        db.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
                   "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE lower(table_name) = lower(?)",
                   (*(self.extent or (None,) * 4), self.table))
        db.execute("COMMIT")
        db.execute("BEGIN")

    def complete(self) -> None:
        """The table's triggers back, as OGR wrote them; committed (the connection stays open)."""
        for _, sql in self.triggers:
            self.db.execute(sql)
        self.db.execute("COMMIT")


def _publish(preview: Path, target: Path) -> None:
    """Copy the completed preview onto ``target`` through a second temporary file and a rename."""
    copy = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.writing.gpkg")
    try:
        source = sqlite3.connect(str(preview))
        try:
            destination = sqlite3.connect(str(copy), isolation_level=None)
            try:
                source.backup(destination)
                destination.execute("PRAGMA journal_mode = DELETE")  # no -wal/-shm beside the final file
            finally:
                destination.close()
        finally:
            source.close()
        os.replace(copy, target)
    except BaseException:
        _discard(copy)
        raise


def discard_preview(preview: str | os.PathLike | None) -> None:
    """Remove a preview file and its WAL side files (once no layer reads it; quietly if gone)."""
    if preview is not None:
        _discard(Path(preview))


def stream_footprints(
    scenes: Iterable[Scene],
    path: str | os.PathLike,
    layer: str = "footprints",
    *,
    on_page: Callable[[FootprintPage], None],
    state: StreamState | None = None,
    cancel: CancelCheck = None,
    progress: ProgressCallback | None = None,
    page_rows: int | None = None,
) -> int:
    """Write ``scenes`` to layer ``layer`` of ``path``, committing and reporting every ``page_rows`` rows.

    ``page_rows`` defaults to the search's page size (``scenes.page_size``), so that a page is
    committed as soon as its last scene is in, before the next page is asked for. Returns the
    number of rows. On an error the rows already in are published to ``path`` (see the module's
    docstring) and the error is raised again; ``state`` tells what happened.
    """
    state = state if state is not None else StreamState()
    target = writable_target(path)
    every = max(1, int(page_rows or getattr(scenes, "page_size", 0) or DEFAULT_PAGE_ROWS))
    total = _expected_total(scenes)
    preview = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.streaming.gpkg")
    state.preview = preview
    writer = None
    try:
        _prepare(target, preview, layer)
        writer = _StreamWriter(preview, layer)
    except BaseException as error:
        if writer is not None:
            writer.close()
        _discard(preview)
        state.preview = None
        if isinstance(error, sqlite3.Error):
            raise FootprintWriteError(f"The footprints could not be written ({error}).") from error
        raise
    to_wkb = wkb_writer()
    rows: list[tuple] = []
    envelopes: list[tuple] = []
    page: list[Scene] = []
    count = 0

    def commit() -> None:
        nonlocal rows, envelopes, page
        if not page:
            return
        writer.commit_page(rows, envelopes, count)
        state.count = count
        state.pages.append(count)
        boxes = {fid: (minx, miny, maxx, maxy) for fid, minx, maxx, miny, maxy in envelopes}
        on_page(FootprintPage(preview, layer, count - len(page) + 1, page, boxes, count, total, writer.extent))
        rows, envelopes, page = [], [], []
        if progress:
            progress(count, total)

    def add_rows() -> None:
        nonlocal count
        for scene in scenes:
            count += 1
            acquired = scene.acquired
            made = _blob(scene.stored_footprint, to_wkb)  # as write_footprints: a plain ring unmade
            blob = None
            if made is not None:
                blob, envelope = made
                envelopes.append((count, *envelope))
            rows.append((count, blob, None if acquired is None else acquired.isoformat()[:10], *_other_values(scene)))
            page.append(scene)
            if count % every == 0:
                commit()
                raise_if_cancelled(cancel)
        commit()

    finished = False
    try:
        try:
            # as in write_footprints: no collector passes over the scenes held meanwhile (each would
            # hold the GIL, and so QGIS, for tens of milliseconds)
            with collector_paused():
                add_rows()
            finished = True
        except BaseException:
            # what arrived is kept: the rows already made (a page cut short) go in too
            try:
                commit()
            except BaseException:  # noqa: BLE001 - the first error is the one to report
                LOG.debug("Committing the last rows after an error failed", exc_info=True)
            raise
        finally:
            try:
                writer.complete()
            finally:
                writer.close()
            if finished or state.count:
                _publish(preview, target)
                state.published = target
    except sqlite3.Error as error:
        raise FootprintWriteError(f"The footprints could not be written ({error}).") from error
    finally:
        if not state.count:  # no page was shown: nobody reads the preview
            _discard(preview)
            state.preview = None
    LOG.info("Streamed %d footprints to %s (layer %s) in %d page(s)", count, target.name, layer, len(state.pages))
    return count

