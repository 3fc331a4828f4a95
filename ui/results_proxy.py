"""What the results table shows of its model: the rows in the time controller's range, the new ones marked.

:class:`ResultsProxy` sits between :class:`.results_model.ResultsModel` and the view:

- While a :class:`..gis.temporal.TimeWindow` is set, only the rows whose acquisition shows in it
  are shown (the same rule as the layers' temporal properties, :mod:`..gis.temporal`). Each
  row's span is read once and kept by key, so 50,000 rows are filtered again in a blink when
  the controller steps. Without a window every row shows and rows map one to one.
- Sorting stays the model's (the view's sort goes to the model, which sorts its rows by its own
  keys, unknown values last); the proxy keeps the model's order.
- :meth:`ResultsProxy.set_new_keys` marks rows (bold, tinted, with a tooltip): the scenes a
  saved search found that its last run did not.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QFont

from ..gis.temporal import Span, TimeWindow, time_span
from .plain_text import escape_rich
from .results_model import tr

NEW_ROW_COLOR = QColor(255, 236, 179)  # a light amber


class ResultsProxy(QSortFilterProxyModel):
    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setSourceModel(model)
        self._model = model
        self.window: TimeWindow | None = None
        self.new_keys: frozenset[str] = frozenset()
        self._spans: dict[str, Span] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._new_brush = QBrush(NEW_ROW_COLOR)
        model.modelAboutToBeReset.connect(self._spans.clear)

    # Filtering
    def set_window(self, window: TimeWindow | None) -> None:
        """Show only the rows in ``window`` (None: every row)."""
        if window == self.window:
            return
        self.window = window
        # One layout change, not a removal per run of hidden rows (sorted by cloud cover, the rows
        # of one week are scattered over the whole table).
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802 - Qt override
        window = self.window
        if window is None:
            return True
        row = self._model.rows[source_row]  # not sourceModel(): this runs for every row at every step
        span = self._spans.get(row.key)
        if span is None:
            span = self._spans[row.key] = time_span(row.record, row.acquired)
        return window.shows(span)

    def filtering(self) -> bool:
        return self.window is not None

    # Rows of the model <-> rows of the view
    def source_row(self, proxy_row: int) -> int:
        if self.window is None:
            return proxy_row
        return self.mapToSource(self.index(proxy_row, 0)).row()

    def proxy_row(self, source_row: int) -> int | None:
        """The view's row of a model row; None when it is hidden."""
        if self.window is None:
            return source_row
        index = self.mapFromSource(self._model.index(source_row, 0))
        return index.row() if index.isValid() else None

    # Sorting: the model's
    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)

    # New rows
    def set_new_keys(self, keys) -> None:
        self.new_keys = frozenset(keys)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if self.new_keys and index.isValid() and role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.BackgroundRole,
                                                          Qt.ItemDataRole.ToolTipRole):
            row = self._model.rows[self.source_row(index.row())]
            if row.key in self.new_keys:
                if role == Qt.ItemDataRole.FontRole:
                    return self._bold
                if role == Qt.ItemDataRole.BackgroundRole:
                    return self._new_brush
                tip = str(super().data(index, role) or "")
                rest = tip[4:] if tip.startswith("<qt>") else escape_rich(tip) + "</qt>"
                return f"<qt>{escape_rich(tr('New since the last run'))}<br>{rest}"
        return super().data(index, role)
