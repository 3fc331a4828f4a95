"""scenefinder:m2msearch — search Landsat scenes (USGS M2M) and write their footprints."""

from __future__ import annotations

import logging

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterString,
)

from .common import (
    SceneFinderAlgorithm,
    add_area_parameters,
    add_authcfg_parameter,
    add_cloud_parameter,
    add_date_parameters,
    add_max_results_parameter,
    add_unknown_cloud_parameter,
    add_vector_output,
    aoi_geometry,
    cancel_check,
    check_area_given,
    closing_session,
    cloud_request,
    dates_from,
    parse_json_object,
    report_written,
    tr,
    write_vector_output,
)

LOG = logging.getLogger(__name__)

DEFAULT_DATASET = "landsat_ot_c2_l2"
DEFAULT_MAX_RESULTS = 1000
SERVICE_MAX_RESULTS = 50_000


class M2MSearchAlgorithm(SceneFinderAlgorithm):
    EXTENT = "EXTENT"
    AOI = "AOI"
    DATASET = "DATASET"
    START_DATE = "START_DATE"
    END_DATE = "END_DATE"
    CLOUD_MAX = "CLOUD_MAX"
    METADATA_FILTERS = "METADATA_FILTERS"
    MAX_RESULTS = "MAX_RESULTS"
    AUTHCFG = "AUTHCFG"
    OUTPUT = "OUTPUT"
    COUNT = "COUNT"
    TOTAL_HITS = "TOTAL_HITS"

    GROUP_ID = "landsat"

    def name(self) -> str:
        return "m2msearch"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return tr("Search Landsat scenes (USGS M2M)")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        return tr(
            "Searches a USGS EarthExplorer dataset through the Machine-to-Machine API and writes the footprints "
            "of the scenes found (entity id, display id, dataset, acquisition date, cloud cover, WRS path/row, "
            "satellite, browse URLs) to a GeoPackage.\n\n"
            "The area of interest is the polygon layer AOI when given, else the extent EXTENT. Dates are "
            "yyyy-mm-dd (empty: no bound). CLOUD_MAX keeps scenes with at most that cloud cover (%); scenes "
            "whose cloud cover is unknown are kept unless INCLUDE_UNKNOWN_CLOUD is off. METADATA_FILTERS is a "
            "JSON object of filter label (or id) to value, "
            'for example {"Satellite": "9"} or {"WRS Path": [13, 15]}.\n\n'
            "Credentials: the authentication configuration AUTHCFG, else the environment variables "
            "SCENE_FINDER_M2M_USERNAME and SCENE_FINDER_M2M_TOKEN, else the ones saved in the Scene Finder "
            "settings. SCENE_FINDER_M2M_URL overrides the service URL."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API
        add_area_parameters(self)
        self.addParameter(QgsProcessingParameterString(self.DATASET, tr("Dataset"), defaultValue=DEFAULT_DATASET))
        add_date_parameters(self)
        add_cloud_parameter(self)
        add_unknown_cloud_parameter(self)
        filters = QgsProcessingParameterString(
            self.METADATA_FILTERS, tr("Metadata filters (JSON object, e.g. {\"Satellite\": \"9\"})"),
            defaultValue="", optional=True)
        filters.setFlags(filters.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(filters)
        add_max_results_parameter(self, DEFAULT_MAX_RESULTS, SERVICE_MAX_RESULTS)
        add_authcfg_parameter(self, tr("USGS M2M credentials"))
        add_vector_output(self, tr("Scene footprints"), QgsProcessing.SourceType.TypeVectorPolygon,
                          tr("Number of scenes written"))
        self.addOutput(QgsProcessingOutputNumber(self.TOTAL_HITS, tr("Number of scenes the service found")))

    def check_parameters(self, parameters: dict, context: QgsProcessingContext) -> None:
        self._check_inputs(parameters, context)

    def _check_inputs(self, parameters: dict, context: QgsProcessingContext) -> dict:
        check_area_given(parameters)
        start, end = dates_from(self, parameters, context)
        metadata = parse_json_object(self.parameterAsString(parameters, self.METADATA_FILTERS, context),
                                     tr("METADATA_FILTERS"))
        dataset = self.parameterAsString(parameters, self.DATASET, context).strip() or DEFAULT_DATASET
        return {"start": start, "end": end, "metadata": metadata, "dataset": dataset}

    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> dict:
        from ..operations.search import SearchRequest, search_m2m

        inputs = self._check_inputs(parameters, context)
        limit = self.parameterAsInt(parameters, self.MAX_RESULTS, context)
        request = SearchRequest(aoi=aoi_geometry(self, parameters, context), start=inputs["start"], end=inputs["end"],
                                dataset=inputs["dataset"], metadata=inputs["metadata"] or None, limit=limit,
                                **cloud_request(self, parameters, context))
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        cancel = cancel_check(feedback)

        def on_total(total: int, expected: int) -> None:
            feedback.pushInfo(tr("The service found {total} scene(s); writing up to {limit}.").format(
                total=total, limit=limit))
            feedback.setProgress(1)

        def progress(done: int, total: int | None) -> None:
            if total:
                feedback.setProgress(min(99.0, 100.0 * done / total))

        with closing_session(self.connection()) as access:
            feedback.pushInfo(tr("Searching {dataset}…").format(dataset=inputs["dataset"]))
            outcome = write_vector_output(output, lambda path: search_m2m(
                access, request, path, cancel=cancel, on_total=on_total, progress=progress))
        report_written(feedback, tr("{count} scene footprint(s) written to {path}.").format(count=outcome.count,
                                                                                           path=output))
        return {self.OUTPUT: output, self.COUNT: outcome.count, self.TOTAL_HITS: outcome.total}
