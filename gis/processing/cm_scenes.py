"""scenefinder:cmscenes — Carbon Mapper scenes for an area and dates, as a GeoPackage."""

from __future__ import annotations

import logging

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterString,
)

from .common import (
    SceneFinderAlgorithm,
    add_area_parameters,
    add_authcfg_parameter,
    add_cloud_parameter,
    add_date_parameters,
    add_unknown_cloud_parameter,
    add_vector_output,
    aoi_geometry,
    cancel_check,
    check_area_given,
    closing_session,
    cloud_request,
    dates_from,
    report_written,
    tr,
    write_vector_output,
)

LOG = logging.getLogger(__name__)


class CarbonMapperScenesAlgorithm(SceneFinderAlgorithm):
    INSTRUMENT = "INSTRUMENT"
    CLOUD_MAX = "CLOUD_MAX"
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
            "interest to a GeoPackage, with the service's own fields (scene_id is the scene name that "
            "“Download Carbon Mapper rasters” uses).\n\n"
            "The area is the polygon layer AOI when given, else the extent EXTENT. Dates are yyyy-mm-dd (empty: "
            "no bound). INSTRUMENT narrows to one instrument (GAO, ang, emi, tan, ssc); empty: all. CLOUD_MAX "
            "keeps scenes with at most that cloud cover (%); below 100 % Carbon Mapper also drops scenes whose "
            "cloud cover is unknown, and at 100 % they are kept unless INCLUDE_UNKNOWN_CLOUD is off.\n\n"
            "Credentials: AUTHCFG, else SCENE_FINDER_CARBONMAPPER_TOKEN, else the ones saved in the Scene Finder "
            "settings. SCENE_FINDER_CARBONMAPPER_URL overrides the service URL."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API
        add_area_parameters(self)
        add_date_parameters(self)
        self.addParameter(QgsProcessingParameterString(
            self.INSTRUMENT, tr("Instrument (empty: all)"), defaultValue="", optional=True))
        add_cloud_parameter(self)
        add_unknown_cloud_parameter(self)
        add_authcfg_parameter(self, tr("Carbon Mapper credentials"))
        add_vector_output(self, tr("Carbon Mapper scenes"), QgsProcessing.SourceType.TypeVectorPolygon,
                          tr("Number of scenes written"))

    def check_parameters(self, parameters: dict, context: QgsProcessingContext) -> None:
        check_area_given(parameters)
        dates_from(self, parameters, context)

    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> dict:
        from ..operations.search import SearchRequest, search_carbonmapper_scenes

        check_area_given(parameters)
        start, end = dates_from(self, parameters, context)
        request = SearchRequest(aoi=aoi_geometry(self, parameters, context), start=start, end=end,
                                instrument=self.parameterAsString(parameters, self.INSTRUMENT, context).strip() or None,
                                **cloud_request(self, parameters, context))
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        cancel = cancel_check(feedback)

        def report(progress) -> None:
            if progress.features_total:
                feedback.setProgress(min(99.0, 100.0 * progress.features_done / progress.features_total))

        with closing_session(self.connection()) as access:
            outcome = write_vector_output(output, lambda path: search_carbonmapper_scenes(
                access, request, path, cancel=cancel, progress=report))
        report_written(feedback, tr("{count} scene(s) written to {path}.").format(count=outcome.count, path=output))
        return {self.OUTPUT: output, self.COUNT: outcome.count}
