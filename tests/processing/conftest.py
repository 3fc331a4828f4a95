"""Processing set-up: the Scene Finder provider registered, the emulator as both services."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsProject
from support.headless import PKGROOT

from scene_finder.gis import auth


def _qgis_processing_importable() -> None:
    """Make ``import processing`` find QGIS's Processing, not this test folder of the same name."""
    candidates = [Path(QgsApplication.pkgDataPath()) / "python" / "plugins", Path("/usr/share/qgis/python/plugins")]
    plugins = next((str(c) for c in candidates if (c / "processing" / "__init__.py").is_file()), None)
    if plugins and plugins not in sys.path:
        sys.path.insert(0, plugins)
    module = sys.modules.get("processing")
    if module is not None and getattr(module, "__file__", None) is None:  # the namespace package of tests/
        del sys.modules["processing"]


_qgis_processing_importable()

M2M_USER = "demo"
M2M_TOKEN = "demo-application-token"
CM_TOKEN = "demo-carbonmapper-token"
ENV_NAMES = (auth.ENV_M2M_USERNAME, auth.ENV_M2M_TOKEN, auth.ENV_CARBONMAPPER_TOKEN, auth.ENV_CARBONMAPPER_EMAIL,
             auth.ENV_CARBONMAPPER_PASSWORD, "SCENE_FINDER_M2M_URL", "SCENE_FINDER_CARBONMAPPER_URL")


@pytest.fixture()
def provider(qgis_processing):
    """A fresh Scene Finder provider in the registry for one test (the plugin itself is not loaded)."""
    from scene_finder.gis.processing.provider import SceneFinderProvider

    registry = QgsApplication.processingRegistry()
    assert registry.providerById("scenefinder") is None
    provider = SceneFinderProvider()
    assert registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


@pytest.fixture()
def services(emulator, monkeypatch):
    """The emulator as both services, with working credentials in the environment (headless use)."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCENE_FINDER_M2M_URL", emulator.m2m_url)
    monkeypatch.setenv("SCENE_FINDER_CARBONMAPPER_URL", emulator.carbonmapper_url)
    monkeypatch.setenv(auth.ENV_M2M_USERNAME, M2M_USER)
    monkeypatch.setenv(auth.ENV_M2M_TOKEN, M2M_TOKEN)
    monkeypatch.setenv(auth.ENV_CARBONMAPPER_TOKEN, CM_TOKEN)
    return emulator


@pytest.fixture()
def context():
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    return context


class CancellingFeedback(QgsProcessingFeedback):
    """Cancels as soon as the algorithm reports progress (or right away with ``at_start``)."""

    def __init__(self, at_start: bool = False):
        super().__init__()
        self.progress_seen: list[float] = []
        if at_start:
            self.cancel()
        self.progressChanged.connect(self._on_progress)

    def _on_progress(self, value: float) -> None:
        self.progress_seen.append(value)
        self.cancel()


class RecordingFeedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.progress_seen: list[float] = []
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.progressChanged.connect(self.progress_seen.append)

    def reportError(self, error: str, fatalError: bool = False) -> None:  # noqa: N802, N803 - QGIS API
        self.errors.append(error)
        super().reportError(error, fatalError)

    def pushInfo(self, info: str) -> None:  # noqa: N802 - QGIS API
        self.infos.append(info)
        super().pushInfo(info)


@pytest.fixture()
def feedback() -> RecordingFeedback:
    return RecordingFeedback()


@pytest.fixture()
def cancelling_feedback():
    """Factory: ``cancelling_feedback(at_start=False)``."""
    return CancellingFeedback



@pytest.fixture()
def headless_env(services, tmp_path) -> dict:
    """A throwaway QGIS profile with the plugin enabled, the emulator and credentials in the environment."""
    config = tmp_path / "qgis-config"
    ini = config / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nscene_finder=true\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "QGIS_OPTS"}
    env.update(QGIS_CUSTOM_CONFIG_PATH=str(config), QGIS_PLUGINPATH=str(PKGROOT), QT_QPA_PLATFORM="offscreen",
               HOME=str(tmp_path))
    return env
