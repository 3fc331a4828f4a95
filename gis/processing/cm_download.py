"""scenefinder:cmdownload — download plume or scene rasters (STAC assets) for a Carbon Mapper layer."""

from __future__ import annotations

import logging

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from .common import SceneFinderAlgorithm, add_authcfg_parameter, tr

LOG = logging.getLogger(__name__)

DEFAULT_ASSETS = "plume.tif"


def parse_assets(text: str) -> list[str]:
    """ "plume.tif, rgb.tif" -> ["plume.tif", "rgb.tif"]; empty -> the default asset."""
    assets = [part.strip() for part in (text or "").split(",") if part.strip()]
    if any(" " in asset or "/" in asset for asset in assets):
        raise QgsProcessingException(
            tr("ASSETS must be a comma-separated list of asset names such as plume.tif,rgb.tif."))
    return assets or [DEFAULT_ASSETS]


class CarbonMapperDownloadAlgorithm(SceneFinderAlgorithm):
    INPUT = "INPUT"
    ASSETS = "ASSETS"
    FOLDER = "FOLDER"
    FILES = "FILES"
    DOWNLOADED = "DOWNLOADED"
    FAILED = "FAILED"

    GROUP_ID = "carbonmapper"

    def name(self) -> str:
        return "cmdownload"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return tr("Download Carbon Mapper rasters")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        return tr(
            "Downloads the rasters of the plumes or scenes of a layer written by “Search Carbon Mapper plumes” or "
            "“Search Carbon Mapper scenes” into a folder: the selected features if any are selected, else all.\n\n"
            "ASSETS is a comma-separated list of STAC asset names, for example plume.tif (the plume raster), "
            "rgb.tif (the true-colour image) or cmf.tif (scenes).\n\n"
            "Credentials: AUTHCFG, else SCENE_FINDER_CARBONMAPPER_TOKEN, else the ones saved in the Scene Finder "
            "settings."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API
        self.addParameter(QgsProcessingParameterVectorLayer(self.INPUT, tr("Carbon Mapper plumes or scenes")))
        self.addParameter(QgsProcessingParameterString(
            self.ASSETS, tr("Assets (e.g. plume.tif,rgb.tif)"), defaultValue=DEFAULT_ASSETS))
        self.addParameter(QgsProcessingParameterFolderDestination(self.FOLDER, tr("Download folder")))
        add_authcfg_parameter(self, tr("Carbon Mapper credentials"))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.FILES, tr("Downloaded files")))
        self.addOutput(QgsProcessingOutputNumber(self.DOWNLOADED, tr("Number of files downloaded or already there")))
        self.addOutput(QgsProcessingOutputNumber(self.FAILED, tr("Number of files that could not be downloaded")))

    def checkParameterValues(self, parameters: dict, context: QgsProcessingContext) -> tuple[bool, str]:  # noqa: N802
        try:
            parse_assets(self.parameterAsString(parameters, self.ASSETS, context))
        except QgsProcessingException as error:
            return False, str(error)
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> dict:
        raise QgsProcessingException(tr("Carbon Mapper downloads are not available yet."))
