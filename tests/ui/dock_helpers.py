"""Shared set-up for the dock tests: a dock in a recording iface, a map over Albemarle Sound."""

from __future__ import annotations

import datetime

from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle
from qgis.PyQt.QtCore import QDate, Qt

# The seed notebook's area and month: the emulator has three Landsat 9 scenes there.
ALBEMARLE = QgsRectangle(-76.9196, 35.5713, -75.4460, 36.3793)
MARCH_2023 = (datetime.date(2023, 3, 1), datetime.date(2023, 4, 1))


def point_map_at_albemarle(canvas) -> None:
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    canvas.resize(600, 400)
    canvas.setExtent(ALBEMARLE)


def choose(qtbot, combo, data) -> None:
    """Pick the item holding ``data`` with the keyboard, as a user would."""
    combo.setFocus()
    index = combo.findData(data)
    assert index >= 0, data
    while combo.currentIndex() != index:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)


def set_dates(dock, start: datetime.date, end: datetime.date) -> None:
    dock.form.start_edit.setDate(QDate(start))
    dock.form.end_edit.setDate(QDate(end))


def search(qtbot, dock, timeout: int = 30000) -> None:
    qtbot.mouseClick(dock.search_button, Qt.MouseButton.LeftButton)
    assert dock.search_task is not None, dock.search_status.text()
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=timeout)
