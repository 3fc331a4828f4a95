"""The results table's rows and model: date, cloud cover, id and size; sortable and draggable.

One :class:`ResultRow` per Landsat scene, Carbon Mapper scene or plume. Conversions from the core
records are cheap (no geometry work) so that 50,000 rows can be made in the search task's thread.
Dragging rows out of the table carries :data:`..gis.drop_handler.SCENES_MIME`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from qgis.PyQt.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt

from ..core.units import format_bytes
from ..gis.drop_handler import SCENES_MIME, scenes_to_mime
from .plain_text import rich_tooltip

COLUMNS = ("date", "cloud", "id", "size")
KIND_LANDSAT = "landsat"
KIND_CM_SCENE = "cm_scene"
KIND_PLUME = "plume"


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderResults", message)


def consecutive_runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """``(first, last)`` of each run of consecutive row numbers, in order; duplicates count once."""
    runs: list[tuple[int, int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


@dataclass
class ResultRow:
    key: str
    label: str
    kind: str = KIND_LANDSAT
    dataset: str = ""
    acquired: datetime.date | None = None
    cloud_cover: float | None = None
    size: int | None = None
    footprint: Any = field(default=None, repr=False)  # shapely geometry in EPSG:4326, or None
    thumbnail_url: str | None = None
    bundle: str | None = None  # the downloaded file, once there is one
    record: Any = field(default=None, repr=False)
    fid: int | None = None  # the feature id in the footprints layer
    bounds: tuple[float, float, float, float] | None = None  # (xmin, ymin, xmax, ymax) in the layer's CRS

    def to_drag(self) -> dict:
        footprint = getattr(self.footprint, "wkt", None) if self.footprint is not None else None
        return {"entity_id": self.key, "display_id": self.label, "dataset": self.dataset,
                "acquired": self.acquired.isoformat() if self.acquired else None,
                "cloud_cover": self.cloud_cover, "footprint": footprint, "bundle": self.bundle,
                "kind": self.kind}


def _first(record: Any, *names: str) -> Any:
    for name in names:
        value = record.get(name) if isinstance(record, dict) else getattr(record, name, None)
        if value not in (None, ""):
            return value
    return None


def _as_date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    try:
        return datetime.date.fromisoformat(str(value)[:10].replace("/", "-"))
    except ValueError:
        return None


def row_from_record(record: Any, kind: str = KIND_LANDSAT, **extra: Any) -> ResultRow:
    """A row from a core record (``Scene``, a Carbon Mapper scene or plume, or a plain dict)."""
    key = _first(record, "entity_id", "plume_id", "id", "name")
    label = _first(record, "display_id", "name", "plume_id", "scene_name", "scene_id", "entity_id", "id") or key
    cloud = _first(record, "cloud_cover", "cloud_cover_pct")
    return ResultRow(
        key=str(key), label=str(label), kind=kind,
        dataset=str(_first(record, "dataset", "collection", "instrument") or ""),
        acquired=_as_date(_first(record, "acquired", "datetime", "timestamp", "acquisition_date")),
        cloud_cover=float(cloud) if cloud is not None else None,
        size=_first(record, "size", "filesize"),
        footprint=_first(record, "footprint", "geometry"),
        thumbnail_url=_first(record, "thumbnail_url", "browse_url", "plume_png", "rgb_png", "png_url"),
        record=record,
        **extra,
    )


def format_size(size: int | None) -> str:
    """The size column's text (:func:`..core.units.format_bytes`); blank while the size is unknown."""
    return format_bytes(size, unknown="")


# What each column sorts by (None: unknown), and a stand-in of the same type for the unknown values
_SORT_VALUES = {
    "date": (lambda row: row.acquired, datetime.date.min),
    "cloud": (lambda row: row.cloud_cover, 0.0),
    "id": (lambda row: row.label, ""),
    "size": (lambda row: row.size, 0),
}


def sort_key(column: int, order=Qt.SortOrder.AscendingOrder) -> Callable[[ResultRow], tuple]:
    """The key :func:`sort_rows` sorts by: the column's value, unknown values last in either order
    (sorted in reverse for a descending order, so the flag is turned round too)."""
    value_of, stand_in = _SORT_VALUES[COLUMNS[column]]
    unknown_flag = order != Qt.SortOrder.DescendingOrder
    unknown, known_flag = (unknown_flag, stand_in), not unknown_flag

    def key(row: ResultRow) -> tuple:
        value = value_of(row)
        return unknown if value is None else (known_flag, value)
    return key


def sort_rows(rows: list[ResultRow], column: int, order=Qt.SortOrder.AscendingOrder) -> None:
    """Sort in place by a column, unknown values last (any thread: no Qt object is touched). Stable:
    rows of equal values keep their order."""
    rows.sort(key=sort_key(column, order), reverse=order == Qt.SortOrder.DescendingOrder)


def in_sort_order(rows: list[ResultRow], column: int, order=Qt.SortOrder.AscendingOrder,
                  after: ResultRow | None = None) -> bool:
    """True when :func:`sort_rows` would leave ``rows`` as they are (``after``: the row before them)."""
    key = sort_key(column, order)
    keys = [key(row) for row in ([after, *rows] if after is not None else rows)]
    return keys == sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)


class ResultsModel(QAbstractTableModel):
    KEY_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ResultRow] = []
        self._index: dict[str, int] = {}
        self._headers = (tr("Date"), tr("Cloud %"), tr("ID"), tr("Size"))
        # Returns the WKT footprint of a row that has none in memory (read from the layer on drag).
        self.footprint_lookup: Callable[[ResultRow], str | None] | None = None
        # The preview checkbox in the ID column (set by ui.previews): a row's state, and a click on it.
        self.check_state: Callable[[ResultRow], Any] | None = None
        self.check_toggled: Callable[[ResultRow], None] | None = None

    # Content
    def set_rows(self, rows: list[ResultRow], index: dict[str, int] | None = None) -> None:
        """Show ``rows`` as they are ordered; ``index`` ({key: row}) when it is already known."""
        self.beginResetModel()
        self.rows = rows
        if index is None:
            self._reindex()
        else:
            self._index = index
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def append_rows(self, rows: list[ResultRow]) -> None:
        """Add ``rows`` after the last row (a streamed search's page): the view keeps its selection
        and scroll position, no row moves."""
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self._index.update({row.key: first + number for number, row in enumerate(rows)})
        self.endInsertRows()

    def reorder(self, rows: list[ResultRow], index: dict[str, int] | None = None) -> None:
        """Show the same rows in another order (sorted elsewhere); selection and current row follow them."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        keys_before = [self.rows[index.row()].key if index.isValid() else None for index in persistent]
        self.rows = rows
        if index is None:
            self._reindex()
        else:
            self._index = index
        self.changePersistentIndexList(
            persistent,
            [self.index(self._index[key], index.column()) if key in self._index else QModelIndex()
             for key, index in zip(keys_before, persistent)],
        )
        self.layoutChanged.emit()

    def row_of(self, key: str) -> int | None:
        return self._index.get(key)

    def update_rows(self, changes: dict[str, dict]) -> None:
        """Set attributes (size, bundle...) of rows by key and repaint them."""
        for key, values in changes.items():
            row = self._index.get(key)
            if row is None:
                continue
            for name, value in values.items():
                setattr(self.rows[row], name, value)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _reindex(self) -> None:
        self._index = {row.key: number for number, row in enumerate(self.rows)}

    # Qt model
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "date":
                return row.acquired.isoformat() if row.acquired else ""
            if column == "cloud":
                return "" if row.cloud_cover is None else f"{row.cloud_cover:.1f}"
            if column == "id":
                return row.label
            return format_size(row.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{row.label}\n{row.dataset}"
            return rich_tooltip(tip + ("\n" + tr("Downloaded: {path}").format(path=row.bundle) if row.bundle else ""))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("cloud", "size"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.CheckStateRole and column == "id" and self.check_state is not None:
            return self.check_state(row)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt API
        if index.isValid() and role == Qt.ItemDataRole.CheckStateRole and self.check_toggled is not None:
            self.check_toggled(self.rows[index.row()])
            return True
        return False

    def refresh_checks(self, keys) -> None:
        """Repaint the preview checkboxes of the rows of ``keys`` (those not in the table are left out)."""
        column = COLUMNS.index("id")
        for key in keys:
            row = self._index.get(key)
            if row is not None:
                index = self.index(row, column)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        rows = list(self.rows)
        sort_rows(rows, column, order)
        self.reorder(rows)

    def flags(self, index):
        base = super().flags(index)
        if not index.isValid():
            return base
        if self.check_state is not None and COLUMNS[index.column()] == "id":
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [SCENES_MIME]

    def mimeData(self, indexes):
        scenes = []
        for row in sorted({index.row() for index in indexes}):
            scene = self.rows[row].to_drag()
            if scene["footprint"] is None and self.footprint_lookup is not None:
                scene["footprint"] = self.footprint_lookup(self.rows[row])
            scenes.append(scene)
        return scenes_to_mime(scenes)

    def supportedDragActions(self):
        return Qt.DropAction.CopyAction
