"""scenefinder:coverage — the fewest, least cloudy footprints that cover an area, per time window."""

from __future__ import annotations

import math

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.coverage import CLOUD_WEIGHT, MIN_COVERAGE, WINDOWS
from ...core.errors import CancelledError
from ..compat import make_field
from ..operations.coverage import CoverageError, find_fields, from_features, plan_footprints, summary
from .common import WGS84, SceneFinderAlgorithm, add_area_parameters, aoi_geometry, check_area_given, tr

WINDOW_FIELD, ADDS_FIELD, ORDER_FIELD = "cover_window", "cover_adds_pct", "cover_order"


class CoverageAlgorithm(SceneFinderAlgorithm):
    INPUT = "INPUT"
    MIN_COVERAGE = "MIN_COVERAGE"
    CLOUD_WEIGHT = "CLOUD_WEIGHT"
    WINDOW = "WINDOW"
    CLOUD_FIELD = "CLOUD_FIELD"
    DATE_FIELD = "DATE_FIELD"
    OUTPUT = "OUTPUT"
    COUNT = "COUNT"
    SHARE = "SHARE"
    MIN_SHARE = "MIN_SHARE"
    MEAN_CLOUD = "MEAN_CLOUD"

    GROUP_ID = "planning"

    def name(self) -> str:
        return "coverage"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return tr("Pick scenes for coverage")

    def group(self) -> str:
        return tr("Planning")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        return tr(
            "Picks the fewest, least cloudy footprints of INPUT that together cover the area of interest (the "
            "polygon layer AOI, else the extent EXTENT) to MIN_COVERAGE percent of its ground area, and writes them "
            "to OUTPUT with the time window they cover (cover_window), the share of the area each adds to the ones "
            "before it (cover_adds_pct) and their order (cover_order).\n\n"
            "A scene costs 1 + CLOUD_WEIGHT × cloud cover / 100 (0: only the fewest scenes count); a scene of unknown "
            "cloud cover costs as much as a fully cloudy one. The pick is a weighted greedy set cover over the "
            "pieces of the area the footprints cut, then scenes made redundant are dropped and cheaper swaps "
            "tried. WINDOW makes one cover per week, month, season (DJF, MAM, JJA, SON) or year; undated scenes "
            "are then left out. Near-identical footprints (the same path/row on other dates) are one shape.\n\n"
            "Works for Scene Finder's Landsat footprints (cloud_cover, acquired) and Carbon Mapper scenes "
            "(cloud_cover_pct, timestamp); for other layers name CLOUD_FIELD and DATE_FIELD. Outputs SHARE (the "
            "mean share covered, percent), MIN_SHARE (the smallest of a window) and MEAN_CLOUD."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - QGIS API
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, tr("Footprints"), [QgsProcessing.SourceType.TypeVectorPolygon]))
        add_area_parameters(self)
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_COVERAGE, tr("Share of the area to cover (%)"), QgsProcessingParameterNumber.Type.Double,
            defaultValue=100 * MIN_COVERAGE, minValue=0.1, maxValue=100.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.CLOUD_WEIGHT, tr("Weight of cloud cover (0: only the number of scenes counts)"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=CLOUD_WEIGHT, minValue=0.0, maxValue=1000.0))
        self.addParameter(QgsProcessingParameterEnum(
            self.WINDOW, tr("One cover per time window"), options=list(WINDOWS), defaultValue=WINDOWS[0],
            usesStaticStrings=True))
        self.addParameter(QgsProcessingParameterField(
            self.CLOUD_FIELD, tr("Cloud cover field (empty: found by name)"), parentLayerParameterName=self.INPUT,
            type=QgsProcessingParameterField.DataType.Numeric, optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.DATE_FIELD, tr("Acquisition date field (empty: found by name)"), parentLayerParameterName=self.INPUT,
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Picked footprints"), QgsProcessing.SourceType.TypeVectorPolygon))
        self.addOutput(QgsProcessingOutputNumber(self.COUNT, tr("Number of scenes picked")))
        self.addOutput(QgsProcessingOutputNumber(self.SHARE, tr("Share of the area covered (%, mean of the windows)")))
        self.addOutput(QgsProcessingOutputNumber(self.MIN_SHARE, tr("Smallest share covered in a window (%)")))
        self.addOutput(QgsProcessingOutputNumber(self.MEAN_CLOUD, tr("Mean cloud cover of the pick (%)")))

    def check_parameters(self, parameters: dict, context: QgsProcessingContext) -> None:
        check_area_given(parameters)

    def _fields(self, parameters: dict, context: QgsProcessingContext, source):
        cloud = self.parameterAsString(parameters, self.CLOUD_FIELD, context) or None
        date = self.parameterAsString(parameters, self.DATE_FIELD, context) or None
        try:
            fields = find_fields(source.fields().names(), cloud, date)
        except CoverageError as error:
            raise QgsProcessingException(str(error)) from None
        return fields

    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> dict:
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(tr("The footprints layer INPUT could not be read."))
        check_area_given(parameters)
        aoi = aoi_geometry(self, parameters, context)
        fields = self._fields(parameters, context, source)
        if fields.cloud is None:
            feedback.pushWarning(tr("No cloud cover field found: every scene counts as of unknown cloud cover. "
                                    "Name it with CLOUD_FIELD."))
        window = self.parameterAsEnumString(parameters, self.WINDOW, context) or WINDOWS[0]
        if window != WINDOWS[0] and fields.date is None:
            raise QgsProcessingException(tr("No acquisition date field found for one cover per {window}: name it "
                                            "with DATE_FIELD.").format(window=window))
        request = QgsFeatureRequest().setDestinationCrs(QgsCoordinateReferenceSystem(WGS84),
                                                        context.transformContext())
        cancel = feedback.isCanceled
        try:
            footprints, fids = from_features(source.getFeatures(request), fields, cancel)
            feedback.setProgress(40)
            outcome = plan_footprints(footprints, fids, aoi,
                                      self.parameterAsDouble(parameters, self.MIN_COVERAGE, context) / 100.0,
                                      self.parameterAsDouble(parameters, self.CLOUD_WEIGHT, context), window, cancel)
        except CancelledError:
            raise QgsProcessingException(tr("Cancelled.")) from None
        except CoverageError as error:
            raise QgsProcessingException(str(error)) from None
        feedback.setProgress(90)
        plan = outcome.plan
        sink, destination = self._write(parameters, context, source, outcome)
        for cover in plan.windows:
            cloud = "–" if cover.mean_cloud is None else f"{cover.mean_cloud:.1f} %"
            feedback.pushInfo(tr("{window}: {count} scene(s), {share:.1f} % covered (reachable {reach:.1f} %), "
                                 "mean cloud cover {cloud}").format(
                window=cover.window, count=len(cover.picks), share=100 * cover.share, reach=100 * cover.reachable,
                cloud=cloud))
        if plan.undated:
            feedback.pushWarning(tr("{count} scene(s) without a date were left out.").format(count=plan.undated))
        if not plan.picks:
            feedback.pushWarning(tr("No footprint of the layer meets the area of interest."))
        feedback.pushInfo(summary(plan))
        feedback.setProgress(100)
        return {self.OUTPUT: destination, self.COUNT: len(plan.picks), self.SHARE: 100 * plan.share,
                self.MIN_SHARE: 100 * plan.min_share,
                self.MEAN_CLOUD: math.nan if plan.mean_cloud is None else plan.mean_cloud}

    def _write(self, parameters: dict, context: QgsProcessingContext, source, outcome):
        fields = QgsFields()
        added = (WINDOW_FIELD, ADDS_FIELD, ORDER_FIELD)
        for field in source.fields():
            if field.name() not in added:
                fields.append(field)
        fields.append(make_field(WINDOW_FIELD, QMetaType.Type.QString))
        fields.append(make_field(ADDS_FIELD, QMetaType.Type.Double))
        fields.append(make_field(ORDER_FIELD, QMetaType.Type.Int))
        sink, destination = self.parameterAsSink(parameters, self.OUTPUT, context, fields, source.wkbType(),
                                                 source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(tr("The output OUTPUT could not be created."))
        wanted = dict(zip(outcome.fids, outcome.plan.picks))
        features = {f.id(): f for f in source.getFeatures(QgsFeatureRequest().setFilterFids(list(wanted)))}
        names = [field.name() for field in source.fields()]
        kept = [n for n, name in enumerate(names) if name not in added]
        for order, (fid, pick) in enumerate(wanted.items(), start=1):
            original = features.get(fid)
            if original is None:
                continue
            feature = QgsFeature(fields)
            feature.setGeometry(original.geometry())
            values = original.attributes()
            feature.setAttributes([values[n] for n in kept] + [pick.window, round(100 * pick.adds, 4), order])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        return sink, destination
