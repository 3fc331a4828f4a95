"""The results table follows QGIS's Temporal Controller.

While the controller is on (animated or fixed range: the map canvas then has a temporal range),
the table shows only the rows in the current range, as the map shows only their footprints
(:mod:`..gis.temporal`); a switch above the table, "Follow the time controller" (remembered in
the settings), turns that off. The switch shows only while the controller is on. The range is
read from the map canvas, whichever controller drives it.
"""

from __future__ import annotations

import logging

from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from ..gis import settings
from ..gis.temporal import TimeWindow

LOG = logging.getLogger(__name__)


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderTimeFilter", message)


class TimeFilter(QWidget):
    """Emits :attr:`window_changed` with the window the table should show (None: every row)."""

    window_changed = pyqtSignal(object)  # TimeWindow | None

    def __init__(self, canvas, proxy, parent=None):
        super().__init__(parent)
        self.canvas = canvas
        self.proxy = proxy
        self.check = QCheckBox(tr("Follow the time controller"), self)
        self.check.setObjectName("ResultsFollowTime")
        self.check.setToolTip(tr("Show only the scenes in the time range of QGIS's Temporal Controller"))
        self.check.setChecked(settings.value("follow_time_controller"))
        self.status = QLabel(self)
        self.status.setObjectName("ResultsTimeStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.check, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        self.check.toggled.connect(self._toggled)
        self.canvas.temporalRangeChanged.connect(self.refresh)
        for signal in (proxy.modelReset, proxy.layoutChanged, proxy.rowsInserted, proxy.rowsRemoved):
            signal.connect(self._show_status)
        self.refresh()

    def controller_window(self) -> TimeWindow | None:
        """The canvas's temporal range, or None while the controller is off."""
        if not self.canvas.mapSettings().isTemporal():
            return None
        return TimeWindow.of(self.canvas.temporalRange())

    def wanted_window(self) -> TimeWindow | None:
        window = self.controller_window()
        return window if window is not None and self.check.isChecked() else None

    def refresh(self, *_args) -> None:
        try:
            self.setVisible(self.controller_window() is not None)
            window = self.wanted_window()
            if window != self.proxy.window:
                self.window_changed.emit(window)
            self._show_status()
        except Exception:  # a slot must never raise into Qt
            LOG.exception("Following the time controller failed")

    def _toggled(self, checked: bool) -> None:
        settings.set_value("follow_time_controller", bool(checked))
        self.refresh()

    def _show_status(self, *_args) -> None:
        window = self.proxy.window
        self.status.setVisible(window is not None)
        if window is None:
            self.status.clear()
            return
        total = self.proxy.sourceModel().rowCount()
        self.status.setText(tr("{shown} of {total}: {range}").format(
            shown=f"{self.proxy.rowCount():,}", total=f"{total:,}", range=window.describe()))

    def shutdown(self) -> None:
        try:
            self.canvas.temporalRangeChanged.disconnect(self.refresh)
        except (TypeError, RuntimeError):
            pass
