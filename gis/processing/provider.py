"""The Scene Finder Processing provider (id ``scenefinder``)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

ICON_PATH = str(Path(__file__).resolve().parents[2] / "resources" / "icon.svg")


class SceneFinderProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "scenefinder"

    def name(self) -> str:
        return QCoreApplication.translate("SceneFinderProvider", "Scene Finder")

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def loadAlgorithms(self) -> None:  # noqa: N802 - QGIS API
        for algorithm in self._algorithms():
            self.addAlgorithm(algorithm)

    def _algorithms(self) -> list:
        return []
