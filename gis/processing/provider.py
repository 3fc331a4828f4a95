"""The Scene Finder Processing provider (id ``scenefinder``)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

ICON_PATH = str(Path(__file__).resolve().parents[2] / "resources" / "icon.svg")


class SceneFinderProvider(QgsProcessingProvider):
    """Searches and downloads as Processing algorithms: modeler, batch mode, scripts and qgis_process."""

    def id(self) -> str:
        return "scenefinder"

    def name(self) -> str:
        return QCoreApplication.translate("SceneFinderProvider", "Scene Finder")

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def defaultVectorFileExtension(self, hasGeometry: bool = True) -> str:  # noqa: N802, N803 - QGIS API
        # Our writers make GeoPackages; other formats are converted afterwards (common.write_vector_output).
        return "gpkg"

    def loadAlgorithms(self) -> None:  # noqa: N802 - QGIS API
        for algorithm in self._algorithms():
            self.addAlgorithm(algorithm)

    def _algorithms(self) -> list:
        from .cm_download import CarbonMapperDownloadAlgorithm
        from .cm_plumes import CarbonMapperPlumesAlgorithm
        from .cm_scenes import CarbonMapperScenesAlgorithm
        from .coverage import CoverageAlgorithm
        from .m2m_download import M2MDownloadAlgorithm
        from .m2m_search import M2MSearchAlgorithm

        return [
            M2MSearchAlgorithm(),
            M2MDownloadAlgorithm(),
            CarbonMapperScenesAlgorithm(),
            CarbonMapperPlumesAlgorithm(),
            CarbonMapperDownloadAlgorithm(),
            CoverageAlgorithm(),
        ]
