"""Makes the UI tests' helper modules (synthetic Landsat files, dock helpers) importable."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


import pytest  # noqa: E402


@pytest.fixture()
def auth_db(qgis_app, monkeypatch):
    """The QGIS auth database unlocked with a test master password, no credentials in the environment."""
    from qgis.core import QgsApplication

    from scene_finder.gis import auth

    manager = QgsApplication.authManager()
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
