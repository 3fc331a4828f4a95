"""scenefinder:cmscenes — Carbon Mapper scenes for an area and dates, as a GeoPackage."""

from __future__ import annotations

import logging

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)

from .common import (
    SceneFinderAlgorithm,
    add_area_parameters,
    add_authcfg_parameter,
    add_date_parameters,
    add_max_results_parameter,
    check_area_given,
    dates_from,
    tr,
)

LOG = logging.getLogger(__name__)

DEFAULT_MAX_RESULTS = 1000
MAX_RESULTS = 100_000


class CarbonMapperScenesAlgorithm(SceneFinderAlgorithm):
    INSTRUMENT = "INSTRUMENT"
    OUTPUT = "OUTPUT"
    COUNT = "COUNT"

    GROUP_ID = "carbonmapper"

    def name(self) -> str:
        return "cmscenes"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return tr("Search Carbon Mapper scenes")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        return tr(
            "Writes the Carbon Mapper scenes (flight lines and satellite captures) that intersect the area of "
            "interest to a GeoPackage, with the service's own fields.\n\n"
            "The area is the polygon layer AOI when given, else the extent EXTENT. Dates are yyyy-mm-dd (empty: "
            "no bound). INSTRUMENT narrows to one instrument (e.g. tan, emi, GAO, ang); empty: all.\n\n"
            "Credentials: AUTHCFG, else SCENE_FINDER_CARBONMAPPER_TOKEN, else the ones saved in the Scene Finder "
            "settings. SCENE_FINDER_CARBONMAPPER_URL overrides the service URL."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API
        add_area_parameters(self)
        add_date_parameters(self)
        self.addParameter(QgsProcessingParameterString(
            self.INSTRUMENT, tr("Instrument (empty: all)"), defaultValue="", optional=True))
        add_max_results_parameter(self, DEFAULT_MAX_RESULTS, MAX_RESULTS)
        add_authcfg_parameter(self, tr("Carbon Mapper credentials"))
        self.addParameter(QgsProcessingParameterVectorDestination(
            self.OUTPUT, tr("Carbon Mapper scenes"), QgsProcessing.SourceType.TypeVectorPolygon))
        self.addOutput(QgsProcessingOutputNumber(self.COUNT, tr("Number of scenes written")))

    def checkParameterValues(self, parameters: dict, context: QgsProcessingContext) -> tuple[bool, str]:  # noqa: N802
        try:
            check_area_given(parameters)
            dates_from(self, parameters, context)
        except QgsProcessingException as error:
            return False, str(error)
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> dict:
        raise QgsProcessingException(tr("Carbon Mapper scenes are not available yet."))
