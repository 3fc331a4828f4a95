"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtWidgets import QMainWindow

from support.iface import RecordingInterface


@pytest.fixture()
def recording_iface(qgis_app, qgis_canvas):
    """A fresh interface whose toolbar, Web menu and docks are real Qt objects."""
    window = QMainWindow()
    iface = RecordingInterface(qgis_canvas, window)
    yield iface
    window.deleteLater()
