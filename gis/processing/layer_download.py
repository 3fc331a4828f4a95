"""The base of the algorithms that download what the features of a layer point to.

The layer's selection is read in ``prepareAlgorithm`` (main thread) by the subclass's
``_read_layer``; ``processAlgorithm`` (maybe another thread) downloads into FOLDER and returns
FILES, DOWNLOADED and FAILED.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFolderDestination,
)

from .common import SceneFinderAlgorithm, add_authcfg_parameter, tr


class LayerDownloadAlgorithm(SceneFinderAlgorithm):
    INPUT = "INPUT"
    FOLDER = "FOLDER"
    FILES = "FILES"
    DOWNLOADED = "DOWNLOADED"
    FAILED = "FAILED"

    def __init__(self):
        super().__init__()
        self._prepare_error: QgsProcessingException | None = None

    def _read_layer(self, parameters: dict, context: QgsProcessingContext) -> None:
        """Read the features to download from INPUT; QgsProcessingException when there is nothing to do."""
        raise NotImplementedError

    def add_download_parameters(self, credentials_description: str) -> None:
        """FOLDER, AUTHCFG and the outputs FILES, DOWNLOADED and FAILED (after the algorithm's own inputs)."""
        self.addParameter(QgsProcessingParameterFolderDestination(self.FOLDER, tr("Download folder")))
        add_authcfg_parameter(self, credentials_description)
        self.addOutput(QgsProcessingOutputMultipleLayers(self.FILES, tr("Downloaded files")))
        self.addOutput(QgsProcessingOutputNumber(self.DOWNLOADED, tr("Number of files downloaded or already there")))
        self.addOutput(QgsProcessingOutputNumber(self.FAILED, tr("Number of files that could not be downloaded")))

    def prepareAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> bool:
        # Runs on the main thread: the only safe place to read the layer's selection. An error here
        # would reach the caller only as "There were errors executing the algorithm": keep it for
        # processAlgorithm, which raises it with its own message.
        super().prepareAlgorithm(parameters, context, feedback)  # credentials and session
        self._prepare_error = None
        try:
            self._read_layer(parameters, context)
        except QgsProcessingException as error:
            self._prepare_error = error
        return True

    def raise_prepare_error(self) -> None:
        """At the start of processAlgorithm: the error met while reading the layer, if any."""
        if self._prepare_error is not None:
            raise self._prepare_error
