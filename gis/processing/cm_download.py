"""scenefinder:cmdownload — download plume or scene rasters (STAC assets) for a Carbon Mapper layer."""

from __future__ import annotations

import logging

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from .common import cancel_check, closing_session, download_progress, report_download_results, tr
from .layer_download import LayerDownloadAlgorithm

LOG = logging.getLogger(__name__)

PLUME_ID_FIELD = "plume_id"
SCENE_NAME_FIELD = "scene_id"  # the scenes GeoPackage's scene name (the STAC item id of a scene)


def parse_assets(text: str) -> list[str] | None:
    """ "plume.tif, rgb.tif" -> ["plume.tif", "rgb.tif"]; empty -> None (the defaults of the layer's kind)."""
    assets = [part.strip() for part in (text or "").split(",") if part.strip()]
    if any(" " in asset or "/" in asset for asset in assets):
        raise QgsProcessingException(
            tr("ASSETS must be a comma-separated list of asset names such as plume.tif,rgb.tif."))
    return assets or None


class CarbonMapperDownloadAlgorithm(LayerDownloadAlgorithm):
    ASSETS = "ASSETS"

    GROUP_ID = "carbonmapper"

    def __init__(self):
        super().__init__()
        self._kind = ""
        self._ids: list[str] = []

    def name(self) -> str:
        return "cmdownload"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return tr("Download Carbon Mapper rasters")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        return tr(
            "Downloads the rasters of the plumes or scenes of a layer written by “Search Carbon Mapper plumes” or "
            "“Search Carbon Mapper scenes” into a folder: the selected features if any are selected, else all.\n\n"
            "ASSETS is a comma-separated list of STAC asset names, for example plume.tif (the plume raster), "
            "rgb.tif (the true-colour image) or cmf.tif (a scene's methane enhancement). Empty: plume.tif and "
            "rgb.tif for plumes, cmf.tif and rgb.tif for scenes.\n\n"
            "Credentials: AUTHCFG, else SCENE_FINDER_CARBONMAPPER_TOKEN, else the ones saved in the Scene Finder "
            "settings."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API
        self.addParameter(QgsProcessingParameterVectorLayer(self.INPUT, tr("Carbon Mapper plumes or scenes")))
        self.addParameter(QgsProcessingParameterString(
            self.ASSETS, tr("Assets (e.g. plume.tif,rgb.tif; empty: the usual ones)"), defaultValue="",
            optional=True))
        self.add_download_parameters(tr("Carbon Mapper credentials"))

    def check_parameters(self, parameters: dict, context: QgsProcessingContext) -> None:
        parse_assets(self.parameterAsString(parameters, self.ASSETS, context))

    def _read_layer(self, parameters: dict, context: QgsProcessingContext) -> None:
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(tr("The Carbon Mapper layer could not be opened."))
        names = layer.fields().names()
        field = PLUME_ID_FIELD if PLUME_ID_FIELD in names else SCENE_NAME_FIELD if SCENE_NAME_FIELD in names else None
        if field is None:
            raise QgsProcessingException(
                tr("The layer “{name}” has neither a plume_id nor a scene_id field: use a layer written by "
                   "“Search Carbon Mapper plumes” or “Search Carbon Mapper scenes”.").format(name=layer.name()))
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes(
            [field], layer.fields())
        features = layer.getSelectedFeatures(request) if layer.selectedFeatureCount() else layer.getFeatures(request)
        self._kind = "plumes" if field == PLUME_ID_FIELD else "scenes"
        self._ids = sorted({str(f[field]).strip() for f in features if f[field] not in (None, "") and str(f[field])})
        if not self._ids:
            raise QgsProcessingException(tr("The layer has no plumes or scenes to download."))

    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> dict:
        self.raise_prepare_error()
        from .. import settings
        from ..operations.download import download_carbonmapper_rasters

        plumes = self._kind == "plumes"
        assets = parse_assets(self.parameterAsString(parameters, self.ASSETS, context)) or None
        folder = self.parameterAsString(parameters, self.FOLDER, context)
        feedback.pushInfo(tr("Looking up {count} {kind} in the STAC catalog…").format(
            count=len(self._ids), kind=tr("plume(s)") if plumes else tr("scene(s)")))

        def looked_up(items: list, missing: list[str]) -> None:
            for item_id in missing:
                feedback.reportError(tr("{id}: not in the STAC catalog (not published?).").format(id=item_id), False)

        with closing_session(self.connection()) as access:
            summary = download_carbonmapper_rasters(
                access, folder, **{self._kind: self._ids}, assets=assets, parallel=settings.parallel_downloads(),
                cancel=cancel_check(feedback), progress=download_progress(feedback), looked_up=looked_up)
        files, failed = report_download_results(summary.results, feedback)
        return {self.FOLDER: folder, self.FILES: files, self.DOWNLOADED: len(files),
                self.FAILED: failed + len(summary.missing)}
