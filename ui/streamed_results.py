"""Search results that arrive page by page: the panel's side of a streamed search.

A source whose search task can stream (it has ``pageReady``: USGS Landsat, Carbon Mapper scenes;
see :mod:`..gis.tasks.streaming`) is driven by a :class:`StreamedSearch`:

- Worker thread: each page's table rows are made by :func:`rows_of_page` (no Qt object touched),
  with their feature ids and bounds, and the key/fid lookups of the table-layer link: from the
  page's scenes (USGS), or read from the file by fid (Carbon Mapper).
- Main thread, first page: the footprints layer is made on the task's *preview* file (a hidden
  temporary GeoPackage that the task commits page by page), added to the "Scene Finder" group and
  linked with the table; the map zooms to it (:class:`.map_follow.MapFollower`: unless the user
  moved the map since Search was pressed).
- Main thread, every page: the layer reloads its provider (a reopen, a few milliseconds) and
  repaints; the rows are appended to the table (``beginInsertRows``: no row moves, the selection
  and the scroll position stay).
- At the end the layer is switched (``setDataSource``) onto the final GeoPackage, which the task
  published complete under its final name, and the preview is removed. The table is sorted once
  by its header's order, in a background task (50,000 rows), and the selection follows the rows;
  not at all when every page came in that order already (the service's newest first is the
  table's default).
  A cancelled or failed search does the same with the rows that arrived.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from qgis.core import QgsDataProvider
from qgis.PyQt.QtCore import QCoreApplication, QTimer

from ..core.models import FOOTPRINT_FIELDS
from ..gis.footprints_stream import discard_preview
from ..gis.styles import add_to_scene_finder_group
from ..gis.tasks.base import start_task
from ..gis.tasks.panel import CallTask
from .map_follow import MapFollower
from .results import ResultsPanel
from .results_model import ResultRow, in_sort_order, row_from_record
from .results_reading import PreparedRows, prepare_rows, read_rows_ogr

LOG = logging.getLogger(__name__)
LATE_DISCARD_MS = 2000  # the preview is removed again this long after the layer left it

_FIELDS = tuple(FOOTPRINT_FIELDS)


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderStream", message)


@dataclass
class PageRows:
    """A page's table rows and their part of the table-layer link (made in the worker thread)."""

    rows: list[ResultRow]
    fid_by_key: dict[str, int] = field(default_factory=dict)
    key_by_fid: dict[int, str] = field(default_factory=dict)
    in_order: bool = False  # the rows are in the order asked for (rows_of_page's ``sort``)


def rows_of_page(page: Any, kind: str, sort: tuple[int, Any] | None = None) -> PageRows:
    """The table rows of a streamed page, as a GeoPackage read would give them (no geometry kept):
    from the page's scenes when it carries them (USGS), else read from the file by fid (Carbon Mapper)."""
    scenes = getattr(page, "scenes", None)
    if scenes is None:
        rows = read_rows_ogr(str(page.path), page.layer, kind,
                             where=f"fid >= {int(page.first_fid)} AND fid <= {int(page.count)}")
    else:
        rows = []
        boxes = page.envelopes
        for fid, scene in enumerate(scenes, page.first_fid):
            values = {name: getattr(scene, name, None) for name in _FIELDS}
            rows.append(row_from_record(values, kind, fid=fid, bounds=boxes.get(fid)))
    fid_by_key = {row.key: row.fid for row in rows}
    in_order = sort is not None and in_sort_order(rows, *sort)
    return PageRows(rows, fid_by_key, {fid: key for key, fid in fid_by_key.items()}, in_order)


def status_text(total: int | None, shown: int, *, done: bool = False, ended: str | None = None) -> str:
    """The search's status line while and after rows stream in."""
    total_text = f"{total:,}" if total is not None else "?"
    if ended == "cancelled":
        return tr("Search cancelled: showing {shown} of {total}.").format(shown=f"{shown:,}", total=total_text)
    if ended is not None:
        return tr("Search stopped: showing {shown} of {total}. {error}").format(
            shown=f"{shown:,}", total=total_text, error=ended)
    if not done:
        return tr("{total} found; {shown} shown…").format(total=total_text, shown=f"{shown:,}")
    if total is not None and total > shown:
        return tr("{total} found; showing {count}.").format(total=total_text, count=f"{shown:,}")
    return tr("{count} found.").format(count=f"{shown:,}")


class StreamedSearch:
    """Shows a streaming search task's pages as they land (see the module's docstring)."""

    def __init__(self, task, results: ResultsPanel, kind: str, name: str, follower: MapFollower,
                 on_first_page=None):
        self.task = task
        self.on_first_page = on_first_page
        self.results = results
        self.kind = kind
        self.name = name
        self.follower = follower
        self.layer = None
        self.shown = 0
        self.total: int | None = None
        self.preview = None
        self.sort_task = None
        # the sort the rows arrived in, while they have (a service's pages often come in the table's
        # default order, newest first): then the table needs no sort at the end
        self.arrived_sorted_by = results._sort_state()
        self.closed = False
        self.removed = False  # the user removed the layer while the pages came: the table alone goes on
        task.stream = True
        task.page_rows = self._rows_of_page  # runs in the task's thread
        task.pageReady.connect(self._page_ready)

    def _rows_of_page(self, page: Any) -> PageRows:
        return rows_of_page(page, self.kind, self.arrived_sorted_by)

    # Pages (main thread)
    def _page_ready(self, streamed) -> None:
        if self.closed:
            return
        try:
            self._show_page(streamed)
        except Exception:
            LOG.exception("Showing a page of the search results failed")

    def _show_page(self, streamed) -> None:
        page, rows = streamed.page, streamed.rows
        self.total = streamed.total_hits
        if self.removed:
            pass
        elif self.layer is None:
            self.preview = page.path
            layer = self.task.make_layer(page.path, page.layer, self.name)
            self.follower.quietly(lambda: add_to_scene_finder_group(layer))
            layer.willBeDeleted.connect(self._layer_removed)
            self.layer = layer
            self.results.clear()
            self.results._attach_layer(layer, PreparedRows([], self.results._sort_state()))
            self.follower.follow(layer)
            if self.on_first_page is not None:
                self.on_first_page()
        else:
            # the provider reopens the file: the new rows, count and extent
            self._keeping_selection(self.layer.reload)
            self.layer.triggerRepaint()
        if rows is not None:
            self._note_order(rows)
            self.results.model.append_rows(rows.rows)
            self.results.fid_by_key.update(rows.fid_by_key)
            self.results.key_by_fid.update(rows.key_by_fid)
        self.shown = page.count

    def _note_order(self, page: PageRows) -> None:
        """Whether the rows so far still came in the table's order: this page's own order was checked
        in the worker thread; here only its first row against the last row before it."""
        sort = self.arrived_sorted_by
        if sort is None:
            return
        shown = self.results.model.rows
        if (not page.in_order or self.results._sort_state() != sort
                or (shown and page.rows and not in_sort_order(page.rows[:1], *sort, after=shown[-1]))):
            self.arrived_sorted_by = None

    def _layer_removed(self) -> None:
        self.layer, self.removed = None, True

    # The end (main thread)
    def finish(self, result) -> Any:
        """The search succeeded: the layer on the final file, the table sorted; returns the layer."""
        self.total = getattr(result, "total_hits", getattr(result, "total", None))
        return self._settle(result.path, result.layer_name, result.count)

    def stop(self) -> Any:
        """The search was cancelled or failed: the rows that arrived on their final file (if any)."""
        state = self.task.stream_state
        if self.layer is None and not self.removed:
            return None
        path = state.published or self.preview  # the preview when the copy could not be made
        return self._settle(path, getattr(self.task, "layer_name", None), state.count)

    def _settle(self, path, layer_name, count: int):
        if self.closed:
            return None
        layer_name = layer_name or self.task.layer_name
        name = f"{self.name} ({count:,})"
        if self.removed:  # the rows stay in the table and the file; the layer is not brought back
            discard_preview(self.preview)
            self.shown = count
            return None
        if self.layer is None:  # nothing streamed (nothing found): the final file as it is
            self.layer = self.task.make_layer(path, layer_name, name)
            layer = self.layer
            self.follower.quietly(lambda: add_to_scene_finder_group(layer))
            self.results.show_layer(layer, self.kind)
            return layer
        if path != self.preview:
            source = f"{path}|layername={layer_name}"
            self._keeping_selection(lambda: self.layer.setDataSource(source, name, "ogr",
                                                                     QgsDataProvider.ProviderOptions()))
            discard_preview(self.preview)
            # a reader QGIS had open on it may let go (and its SQLite close) only later: once more then
            QTimer.singleShot(LATE_DISCARD_MS, lambda preview=self.preview: discard_preview(preview))
            self.preview = None
        else:
            self.layer.setName(name)
            self._keeping_selection(self.layer.reload)
        self.layer.triggerRepaint()
        self.shown = count
        self._sort_table()
        return self.layer

    def _keeping_selection(self, action) -> None:
        """Run ``action`` (a reload: the layer drops its selection then), the selected footprints and
        rows kept, without the table and the layer echoing the change to each other."""
        selected = self.layer.selectedFeatureIds()
        self.results._syncing = True
        try:
            action()
            if selected:
                self.layer.selectByIds(selected)
        finally:
            self.results._syncing = False

    def _sort_table(self) -> None:
        """Sort the rows once by the header's order (in a background task when there are many); the
        selection follows."""
        sort = self.results._sort_state()
        if sort is None or not self.results.model.rows or sort == self.arrived_sorted_by:
            return
        shown = self.results.model.rows  # the list the model shows (replaced by a new search or a sort)
        rows = list(shown)
        if len(rows) <= self.results.small_layer:  # a few thousand rows sort in a few milliseconds
            self.results.model.reorder(prepare_rows(rows, sort).rows)
            return
        # started on the next turn of the event loop: the end of the search already took QGIS's time
        QTimer.singleShot(0, lambda: self._start_sort(shown, rows, sort))

    def _start_sort(self, shown: list[ResultRow], rows: list[ResultRow], sort) -> None:
        if self.closed or self.results.model.rows is not shown:
            return
        task = CallTask(tr("Scene Finder: sorting results"), _prepare, rows, sort)
        self.sort_task = task

        def sorted_(prepared: PreparedRows) -> None:
            if task is not self.sort_task or self.closed:
                return
            self.sort_task = None
            model = self.results.model
            # only onto the rows it sorted, as they were (no new search, no sort by the user since)
            if model.rows is shown and len(shown) == len(prepared.rows) and self.results._sort_state() == sort:
                model.reorder(prepared.rows, prepared.index)

        task.add_callbacks(sorted_, lambda error: LOG.warning("Sorting the results failed: %s", error))
        start_task(task)

    def shutdown(self) -> None:
        self.closed = True
        if self.sort_task is not None:
            try:
                self.sort_task.cancel()
            except RuntimeError:
                pass
            self.sort_task = None


def _prepare(rows: list[ResultRow], sort, *, cancel=None) -> PreparedRows:
    return prepare_rows(rows, sort)
