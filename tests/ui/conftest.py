"""Makes the UI tests' helper modules (synthetic Landsat files, dock helpers) importable."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


import pytest  # noqa: E402


@pytest.fixture()
def emulated_services(emulator, monkeypatch):
    """Service URLs pointing at the emulator."""
    monkeypatch.setenv("SCENE_FINDER_M2M_URL", emulator.m2m_url)
    monkeypatch.setenv("SCENE_FINDER_CARBONMAPPER_URL", emulator.carbonmapper_url)
    return emulator


@pytest.fixture(scope="session", autouse=True)
def _keep_pytest_qgis_event_hook(qgis_app):
    """pytest-qgis disconnects ``legendLayersAdded -> processEvents`` at the end of the session and fails
    when PyQt has meanwhile dropped that connection (it happens after garbage collection of widgets of
    earlier tests, in no way tied to what is tested); make sure it is there to disconnect."""
    yield
    from pytest_qgis import pytest_qgis as plugin
    from qgis.core import QgsProject

    app = getattr(plugin, "_APP", None)
    if app is None:
        return
    signal = QgsProject.instance().legendLayersAdded
    try:
        signal.disconnect(app.processEvents)
    except TypeError:
        pass
    signal.connect(app.processEvents)
