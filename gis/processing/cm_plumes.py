"""scenefinder:cmplumes — Carbon Mapper plumes (points) with gas, emission, date and status filters."""

from __future__ import annotations

import logging

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
)

from .common import (
    SceneFinderAlgorithm,
    add_area_parameters,
    add_authcfg_parameter,
    add_date_parameters,
    add_max_results_parameter,
    add_vector_output,
    aoi_geometry,
    cancel_check,
    check_area_given,
    closing_session,
    dates_from,
    report_written,
    tr,
    write_vector_output,
)

LOG = logging.getLogger(__name__)

GASES = ("", "CH4", "CO2")
STATUSES = ("published", "not_deleted", "publish_ready", "valid", "deleted", "hidden")
DEFAULT_MAX_RESULTS = 1000
MAX_RESULTS = 100_000


class CarbonMapperPlumesAlgorithm(SceneFinderAlgorithm):
    GAS = "GAS"
    EMISSION_MIN = "EMISSION_MIN"
    EMISSION_MAX = "EMISSION_MAX"
    STATUS = "STATUS"
    OUTPUT = "OUTPUT"
    COUNT = "COUNT"

    GROUP_ID = "carbonmapper"

    def name(self) -> str:
        return "cmplumes"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return tr("Search Carbon Mapper plumes")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        return tr(
            "Writes the methane and CO2 plumes Carbon Mapper detected in the area of interest as a point layer "
            "(plume id, gas, emission rate and uncertainty in kg/h, date, sector, instrument, status, scene).\n\n"
            "Filters: GAS (any, CH4 or CO2), EMISSION_MIN/EMISSION_MAX in kg/h, START_DATE/END_DATE as yyyy-mm-dd, "
            "STATUS (published by default).\n\n"
            "Credentials: AUTHCFG, else SCENE_FINDER_CARBONMAPPER_TOKEN, else the ones saved in the Scene Finder "
            "settings. SCENE_FINDER_CARBONMAPPER_URL overrides the service URL."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API
        add_area_parameters(self)
        add_date_parameters(self)
        self.addParameter(QgsProcessingParameterEnum(
            self.GAS, tr("Gas"), options=[tr("Any"), "CH4", "CO2"], defaultValue=0))
        for name, label in ((self.EMISSION_MIN, tr("Minimum emission (kg/h)")),
                            (self.EMISSION_MAX, tr("Maximum emission (kg/h)"))):
            parameter = QgsProcessingParameterNumber(
                name, label, QgsProcessingParameterNumber.Type.Double, optional=True, minValue=0.0)
            parameter.setMetadata({"widget_wrapper": {"decimals": 0}})
            self.addParameter(parameter)
        self.addParameter(QgsProcessingParameterEnum(
            self.STATUS, tr("Status"), options=list(STATUSES), defaultValue=0))
        add_max_results_parameter(self, DEFAULT_MAX_RESULTS, MAX_RESULTS)
        add_authcfg_parameter(self, tr("Carbon Mapper credentials"))
        add_vector_output(self, tr("Carbon Mapper plumes"), QgsProcessing.SourceType.TypeVectorPoint,
                          tr("Number of plumes written"))

    def check_parameters(self, parameters: dict, context: QgsProcessingContext) -> None:
        check_area_given(parameters)
        dates_from(self, parameters, context)
        self._emission_range(parameters, context)

    def _emission_range(self, parameters: dict, context: QgsProcessingContext) -> tuple[float | None, float | None]:
        low = self.parameterAsDouble(parameters, self.EMISSION_MIN, context) \
            if parameters.get(self.EMISSION_MIN) not in (None, "") else None
        high = self.parameterAsDouble(parameters, self.EMISSION_MAX, context) \
            if parameters.get(self.EMISSION_MAX) not in (None, "") else None
        if low is not None and high is not None and low > high:
            raise QgsProcessingException(
                tr("The minimum emission {low} kg/h is above the maximum {high} kg/h.").format(low=low, high=high))
        return low, high

    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> dict:
        from ..operations.search import SearchRequest, search_carbonmapper_plumes

        check_area_given(parameters)
        start, end = dates_from(self, parameters, context)
        emission_min, emission_max = self._emission_range(parameters, context)
        limit = self.parameterAsInt(parameters, "MAX_RESULTS", context)
        request = SearchRequest(aoi=aoi_geometry(self, parameters, context), start=start, end=end,
                                gas=GASES[self.parameterAsEnum(parameters, self.GAS, context)] or None,
                                emission_min=emission_min, emission_max=emission_max,
                                status=STATUSES[self.parameterAsEnum(parameters, self.STATUS, context)], limit=limit)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        cancel = cancel_check(feedback)

        def report(seen: int, wanted: int | None) -> None:
            if wanted:
                feedback.setProgress(min(99.0, 100.0 * seen / wanted))

        def on_total(total: int) -> None:
            feedback.pushInfo(tr("The service found {total} plume(s); writing up to {limit}.").format(
                total=total, limit=limit))

        with closing_session(self.connection()) as access:
            outcome = write_vector_output(output, lambda path: search_carbonmapper_plumes(
                access, request, path, cancel=cancel, progress=report, on_total=on_total))
        report_written(feedback, tr("{count} plume(s) written to {path}.").format(count=outcome.count, path=output))
        return {self.OUTPUT: output, self.COUNT: outcome.count}
