"""scenefinder:m2mdownload — download Landsat bundles or band files for a footprints layer."""

from __future__ import annotations

import logging

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from .common import cancel_check, closing_session, download_progress, report_download_results, tr
from .layer_download import LayerDownloadAlgorithm

LOG = logging.getLogger(__name__)

DEFAULT_DATASET = "landsat_ot_c2_l2"


def parse_product(text: str) -> str | list[str]:
    """"bundle" (or empty) -> "bundle"; "SR_B4, SR_B3" -> ["SR_B4", "SR_B3"]."""
    value = (text or "").strip()
    if not value or value.lower() == "bundle":
        return "bundle"
    bands = [part.strip().upper() for part in value.split(",") if part.strip()]
    if not bands or any(not band.replace("_", "").isalnum() for band in bands):
        raise QgsProcessingException(
            tr('PRODUCT must be "bundle" or a comma-separated list of band names such as SR_B4,SR_B3,SR_B2.'))
    return bands


class M2MDownloadAlgorithm(LayerDownloadAlgorithm):
    PRODUCT = "PRODUCT"
    AUTHCFG = "AUTHCFG"
    QUEUE = "QUEUE"

    GROUP_ID = "landsat"

    def __init__(self):
        super().__init__()
        self._scenes: dict[str, list[str]] = {}

    def name(self) -> str:
        return "m2mdownload"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return tr("Download Landsat scenes (USGS M2M)")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        return tr(
            "Downloads the scenes of a footprints layer (as written by “Search Landsat scenes”: it needs the "
            "fields entity_id and dataset) into a folder: the selected features if any are selected, else all.\n\n"
            'PRODUCT is "bundle" for the whole product of the dataset of each scene (the Landsat bundle .tar, a '
            "Sentinel-2 .SAFE zip, a NAIP image, a DEM GeoTIFF...) or a comma-separated list of band names such as "
            "SR_B4,SR_B3,SR_B2 for single Landsat band files. Files already complete in the folder are skipped; "
            "interrupted ones resume.\n\n"
            "QUEUE: instead of downloading now, add the files to the Scene Finder download queue (the panel's "
            "Downloads tab), which paces them to USGS's limits and survives a restart; the files then come "
            "while the panel runs.\n\n"
            "Credentials: AUTHCFG, else SCENE_FINDER_M2M_USERNAME and SCENE_FINDER_M2M_TOKEN, else the ones "
            "saved in the Scene Finder settings."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API
        self.addParameter(QgsProcessingParameterVectorLayer(self.INPUT, tr("Scene footprints")))
        self.addParameter(QgsProcessingParameterString(
            self.PRODUCT, tr('Product: "bundle" or band names (e.g. SR_B4,SR_B3,SR_B2)'), defaultValue="bundle"))
        self.add_download_parameters(tr("USGS M2M credentials"))
        self.addParameter(QgsProcessingParameterBoolean(
            self.QUEUE, tr("Add to the download queue (Downloads tab) instead of downloading now"),
            defaultValue=False))

    def check_parameters(self, parameters: dict, context: QgsProcessingContext) -> None:
        parse_product(self.parameterAsString(parameters, self.PRODUCT, context))

    def _read_layer(self, parameters: dict, context: QgsProcessingContext) -> None:
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(tr("The footprints layer could not be opened."))
        field_names = layer.fields().names()
        if "entity_id" not in field_names:
            raise QgsProcessingException(
                tr("The layer “{name}” has no entity_id field: use the footprints written by "
                   "“Search Landsat scenes”.").format(name=layer.name()))
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
        features = layer.getSelectedFeatures(request) if layer.selectedFeatureCount() else layer.getFeatures(request)
        self._scenes = {}
        for feature in features:
            entity_id = str(feature["entity_id"] or "").strip()
            dataset = str(feature["dataset"] or "").strip() if "dataset" in field_names else ""
            if entity_id:
                self._scenes.setdefault(dataset or DEFAULT_DATASET, []).append(entity_id)
        if not self._scenes:
            raise QgsProcessingException(tr("The footprints layer has no scenes to download."))

    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> dict:
        self.raise_prepare_error()
        from .. import settings
        from ..operations.download import download_m2m

        product = parse_product(self.parameterAsString(parameters, self.PRODUCT, context))
        folder = self.parameterAsString(parameters, self.FOLDER, context)
        cancel = cancel_check(feedback)
        total = sum(len(ids) for ids in self._scenes.values())
        if self.parameterAsBoolean(parameters, self.QUEUE, context):
            return self._queue(product, folder, feedback)
        feedback.pushInfo(tr("Downloading {count} scene(s) to {folder}…").format(count=total, folder=folder))

        with closing_session(self.connection()) as access:
            summary = download_m2m(access, self._scenes, folder, product=product,
                                   parallel=settings.parallel_downloads(), cancel=cancel,
                                   progress_of=lambda done, count: download_progress(
                                       feedback, 100.0 * done / total, 100.0 * (done + count) / total))
        results = summary.results
        files, failed = report_download_results(results, feedback)
        return {self.FOLDER: folder, self.FILES: files, self.DOWNLOADED: len(files), self.FAILED: failed}

    def _queue(self, product, folder: str, feedback: QgsProcessingFeedback) -> dict:
        from ..queue_runner import entries_for, queue_items

        entries = [entry for dataset, ids in self._scenes.items()
                   for entry in entries_for(dataset, ids, product, folder)]
        try:
            queue_items(entries)
        except Exception as error:  # the queue file cannot be used: say so, nothing was downloaded
            raise QgsProcessingException(tr("The download queue cannot be used: {error}").format(error=error)) from None
        feedback.pushInfo(tr("Queued {count} file(s) in the Scene Finder download queue (Downloads tab); they "
                             "download while the panel runs.").format(count=len(entries)))
        return {self.FOLDER: folder, self.FILES: [], self.DOWNLOADED: 0, self.FAILED: 0}
