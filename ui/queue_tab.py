"""The dock's "Downloads" tab: the persistent download queue, its items, and what they wait for.

A banner offers to resume what a former session left unfinished; a status line says what the queue
waits for ("USGS rate limit: waiting 4 min"); the table lists every item with its state, bytes and
speed; Pause, Resume, Retry and Remove act on the selected rows.

The model reads the store on a timer, only the rows that changed since its last look
(:meth:`..core.queue.QueueStore.changed_since`), and tells the view in one signal per look: a
thousand items updating cost one repaint, not a thousand.
"""

from __future__ import annotations

import logging

from qgis.core import Qgis
from qgis.PyQt.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt, QTimer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.units import format_bytes, format_speed
from .plain_text import plain_label

LOG = logging.getLogger(__name__)
REFRESH_MS = 500
COLUMNS = ("Item", "Product", "State", "Bytes", "Speed", "Message")
STATE_NAMES = {"queued": "Queued", "starting": "Starting", "running": "Running", "paused": "Paused",
               "failed": "Failed", "done": "Done"}


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderQueue", message)


def shown_state(item) -> str:
    """The store's state; a running item with nothing received yet is "starting" (USGS prepares it, or it
    waits for a free download slot)."""
    if item.state == "running" and not item.bytes_done and not item.speed:
        return "starting"
    return item.state


def bytes_text(item) -> str:
    if item.bytes_total:
        return f"{format_bytes(item.bytes_done)} of {format_bytes(item.bytes_total)}"
    return format_bytes(item.bytes_done) if item.bytes_done else ""


class QueueModel(QAbstractTableModel):
    """The store's items as table rows, refreshed by :meth:`refresh` from what changed."""

    def __init__(self, store=None, parent=None):
        super().__init__(parent)
        self.store = store
        self.items: list = []
        self.row_of: dict[int, int] = {}
        self.version = -1
        self.refreshes = 0  # (bench) signals sent to the view

    def set_store(self, store) -> None:
        self.store = store
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        committed = self.store.committed if self.store is not None else -1
        self.items = self.store.items() if self.store is not None else []
        self.row_of = {item.id: row for row, item in enumerate(self.items)}
        self.version = committed
        self.endResetModel()

    def refresh(self) -> None:
        """Take in what changed since the last look: one insert and one dataChanged at most."""
        if self.store is None:
            return
        version = self.store.committed  # read first: rows of later versions are seen now or next time
        if version == self.version:
            return
        changed = self.store.changed_since(self.version)
        self.version = version
        new = [item for item in changed if item.id not in self.row_of]
        rows = []
        for item in changed:
            row = self.row_of.get(item.id)
            if row is not None:
                self.items[row] = item
                rows.append(row)
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1))
            self.refreshes += 1
        if new:
            first = len(self.items)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for item in new:
                self.row_of[item.id] = len(self.items)
                self.items.append(item)
            self.endInsertRows()
            self.refreshes += 1

    # -- Qt ----------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        item = self.items[index.row()]
        column = index.column()
        if column == 0:
            if role == Qt.ItemDataRole.ToolTipRole:
                return str(item.path) if item.path is not None else item.folder
            return item.entity_id
        if column == 1:
            return tr("bundle") if item.product == "bundle" else item.product
        if column == 2:
            return tr(STATE_NAMES.get(shown_state(item), item.state))
        if column == 3:
            return bytes_text(item)
        if column == 4:
            return format_speed(item.speed) if item.state == "running" and item.speed else ""
        return item.error or ""


class QueueTab(QWidget):
    """The Downloads tab over a :class:`..gis.queue_runner.QueueRunner`."""

    def __init__(self, runner, iface=None, parent=None):
        super().__init__(parent)
        self.setObjectName("QueueTab")
        self.runner = runner
        self.iface = iface
        self.bar_button = None
        self.banner = QWidget(self)
        self.banner.setObjectName("QueueBanner")
        self.banner_text = QLabel(self.banner)
        self.resume_all_button = QPushButton(tr("Resume"), self.banner)
        self.resume_all_button.setObjectName("QueueResumeAll")
        banner = QHBoxLayout(self.banner)
        banner.setContentsMargins(0, 0, 0, 0)
        banner.addWidget(self.banner_text, 1)
        banner.addWidget(self.resume_all_button)
        self.banner.setVisible(False)
        self.status = plain_label(QLabel(self))
        self.status.setObjectName("QueueStatus")
        self.status.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("QueueSummary")
        self.model = QueueModel(parent=self)
        self.view = QTableView(self)
        self.view.setObjectName("QueueTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.buttons = {}
        row = QHBoxLayout()
        for name, label in (("pause", tr("Pause")), ("resume", tr("Resume")), ("retry", tr("Retry")),
                            ("remove", tr("Remove"))):
            button = QPushButton(label, self)
            button.setObjectName(f"Queue{name.title()}")
            button.clicked.connect(lambda _=False, action=name: self.act(action))
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        self.resume_all_button.clicked.connect(self.resume_all)
        runner.status_changed.connect(self.show_status)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def open(self) -> None:
        """Open the queue; offer to resume what a former session left unfinished."""
        try:
            unfinished = self.runner.open()
        except Exception as error:  # a damaged or newer queue file: say so, the rest of the panel works
            LOG.warning("The download queue cannot be used: %s", error)
            self.show_status(str(error))
            for button in self.buttons.values():
                button.setEnabled(False)
            return
        self.model.set_store(self.runner.store)
        if unfinished:
            text = tr("{count} download(s) from the last session are unfinished.").format(count=unfinished)
            self.banner_text.setText(text)
            self.banner.setVisible(True)
            self.offer_in_message_bar(text)
        self.timer.start()
        self.refresh()

    def offer_in_message_bar(self, text: str) -> None:
        """The same offer in QGIS's message bar, with a Resume button (the tab may not be in view)."""
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is None:
            return
        widget = bar.createMessage("Scene Finder", text)
        button = QPushButton(tr("Resume"), widget)
        button.setObjectName("QueueResumeFromBar")
        button.clicked.connect(self.resume_all)
        button.clicked.connect(lambda: bar.popWidget(widget))
        widget.layout().addWidget(button)
        bar.pushWidget(widget, Qgis.MessageLevel.Info, 0)
        self.bar_button = button

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.items[row].id for row in rows if row < len(self.model.items)]

    def act(self, action: str) -> None:
        try:
            ids = self.selected_ids()
            if not ids:
                self.show_status(tr("Select items in the list first."))
                return
            getattr(self.runner, action)(ids)
            if action == "remove":
                self.model.reload()
            self.refresh()
        except Exception as error:
            LOG.exception("The download queue could not %s", action)
            self.show_status(str(error))

    def resume_all(self) -> None:
        self.banner.setVisible(False)
        self.runner.resume_all()
        self.refresh()

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def refresh(self) -> None:
        if self.runner.store is None:
            return
        self.model.refresh()
        counts = {}
        for item in self.model.items:
            state = shown_state(item)
            counts[state] = counts.get(state, 0) + 1
        shown = [f"{counts[state]} {tr(STATE_NAMES[state]).lower()}" for state in STATE_NAMES if counts.get(state)]
        self.summary.setText(", ".join(shown))

    def shutdown(self) -> None:
        self.timer.stop()
        self.runner.shutdown()
