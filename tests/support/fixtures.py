"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

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


@pytest.fixture(scope="session")
def emulator_session(tmp_path_factory):
    """One emulator for the whole test session, at the real catalog scale."""
    from scene_finder.emulator import Emulator

    cache = Path(__file__).resolve().parents[2] / "build" / "emulator-cache"
    with Emulator(cache_dir=cache) as running:
        yield running


@pytest.fixture()
def emulator(emulator_session):
    """The session's emulator, with no faults and an empty request log for this test."""
    emulator_session.reset()
    yield emulator_session
    emulator_session.reset()


@pytest.fixture()
def auth_db(qgis_app, monkeypatch):
    """The QGIS auth database unlocked with a test master password, no Scene Finder credentials in it or in
    the environment; the ones a test saves are removed afterwards."""
    from qgis.core import QgsApplication

    from scene_finder.gis import auth

    manager = QgsApplication.authManager()
    assert not manager.isDisabled()
    assert manager.setMasterPassword("scene-finder-test-master", True)
    for name in (auth.ENV_M2M_USERNAME, auth.ENV_M2M_TOKEN, auth.ENV_CARBONMAPPER_TOKEN,
                 auth.ENV_CARBONMAPPER_EMAIL, auth.ENV_CARBONMAPPER_PASSWORD):
        monkeypatch.delenv(name, raising=False)
    for service in auth.SERVICES:
        auth.remove_credentials(service)
    yield manager
    for service in auth.SERVICES:
        auth.remove_credentials(service)
    for authcfg, name in auth.list_configs():
        if name.startswith("Scene Finder"):
            manager.removeAuthenticationConfig(authcfg)
