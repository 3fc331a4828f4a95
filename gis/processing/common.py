"""What the Scene Finder Processing algorithms share: base class, credentials, URLs, AOI, errors.

Algorithms call ``core/`` directly (Processing runs them in its own thread or process) with
``feedback.isCanceled`` as the cancel check and ``feedback.setProgress`` fed from core's
progress callbacks. Every :class:`..core.errors.SceneFinderError` becomes a
QgsProcessingException with the same message the dock shows (its ``str()``).

Credentials and the HTTP session are read in ``prepareAlgorithm``, which QGIS runs on the main
thread (and, when a model runs it on a worker, through :func:`..auth.call_on_main_thread`): reading
the auth database may ask for the master password, which only the main thread can do.
``processAlgorithm`` gets them from :meth:`SceneFinderAlgorithm.connection` and never touches the
auth manager.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterAuthConfig,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ...core.errors import CancelledError, SceneFinderError
from ..clients import Access

LOG = logging.getLogger(__name__)

TR_CONTEXT = "SceneFinderProcessing"
ICON_PATH = str(Path(__file__).resolve().parents[2] / "resources" / "icon.svg")
WGS84 = "EPSG:4326"


def tr(text: str) -> str:
    return QCoreApplication.translate(TR_CONTEXT, text)


def connect(service: str, authcfg: str | None) -> Access:
    """Credentials (see :func:`credentials`) and a session, both made on the main thread."""
    from ..auth import call_on_main_thread
    from ..network import make_qgis_session

    def read() -> Access:
        return Access.of(credentials(service, authcfg), make_qgis_session())

    return call_on_main_thread(read)


class SceneFinderAlgorithm(QgsProcessingAlgorithm):
    """Base of the provider's algorithms: group, icon, instance creation, credentials read in
    ``prepareAlgorithm`` (main thread) for :meth:`connection`."""

    GROUP_ID = ""
    SERVICES = {"landsat": "m2m", "carbonmapper": "carbonmapper"}  # GROUP_ID -> gis.auth service

    def prepareAlgorithm(self, parameters: dict, context: QgsProcessingContext,  # noqa: N802 - QGIS API
                         feedback: QgsProcessingFeedback) -> bool:
        # An error here would reach the caller only as "There were errors executing the algorithm":
        # it is kept and raised by connection(), in processAlgorithm, with its own message.
        self._connection: Access | None = None
        self._connection_error: QgsProcessingException | None = None
        service = self.SERVICES.get(self.GROUP_ID)
        if service:
            try:
                self._connection = connect(service, self.authcfg(parameters, context))
            except QgsProcessingException as error:
                self._connection_error = error
        return True

    def connection(self) -> Access:
        """The credentials and session read by ``prepareAlgorithm`` (QgsProcessingException if that failed)."""
        error = getattr(self, "_connection_error", None)
        if error is not None:
            raise error
        connection = getattr(self, "_connection", None)
        if connection is None:
            raise QgsProcessingException("The algorithm was run without prepareAlgorithm.")  # a programming error
        return connection

    def createInstance(self) -> QgsProcessingAlgorithm:  # noqa: N802 - QGIS API
        return type(self)()

    def group(self) -> str:
        return {"landsat": tr("Landsat (USGS M2M)"), "carbonmapper": tr("Carbon Mapper")}.get(self.GROUP_ID, "")

    def groupId(self) -> str:  # noqa: N802 - QGIS API
        return self.GROUP_ID

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def helpUrl(self) -> str:  # noqa: N802 - QGIS API
        return "https://github.com/scene-finder/scene_finder#processing-and-qgis_process"

    def checkParameterValues(self, parameters: dict, context: QgsProcessingContext) -> tuple[bool, str]:  # noqa: N802
        try:
            self.check_parameters(parameters, context)
        except QgsProcessingException as error:
            return False, str(error)
        return super().checkParameterValues(parameters, context)

    def check_parameters(self, parameters: dict, context: QgsProcessingContext) -> None:
        """Raise QgsProcessingException when the parameters cannot work (checked before the run starts)."""

    def authcfg(self, parameters: dict, context: QgsProcessingContext) -> str:
        return self.parameterAsString(parameters, "AUTHCFG", context)


# --- parameters shared by several algorithms ------------------------------------------------
def add_area_parameters(algorithm: QgsProcessingAlgorithm) -> None:
    """EXTENT (optional) and AOI (optional polygon layer): one of the two is required."""
    algorithm.addParameter(QgsProcessingParameterExtent("EXTENT", tr("Extent"), optional=True))
    algorithm.addParameter(QgsProcessingParameterFeatureSource(
        "AOI", tr("Area of interest layer (instead of the extent)"),
        [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))


def add_date_parameters(algorithm: QgsProcessingAlgorithm) -> None:
    """START_DATE and END_DATE, yyyy-mm-dd strings (empty: no bound)."""
    algorithm.addParameter(QgsProcessingParameterString(
        "START_DATE", tr("Start date (yyyy-mm-dd)"), defaultValue="", optional=True))
    algorithm.addParameter(QgsProcessingParameterString(
        "END_DATE", tr("End date (yyyy-mm-dd)"), defaultValue="", optional=True))


def add_max_results_parameter(algorithm: QgsProcessingAlgorithm, default: int, maximum: int) -> None:
    algorithm.addParameter(QgsProcessingParameterNumber(
        "MAX_RESULTS", tr("Maximum number of results"), QgsProcessingParameterNumber.Type.Integer,
        defaultValue=default, minValue=1, maxValue=maximum))


def add_cloud_parameter(algorithm: QgsProcessingAlgorithm) -> None:
    """CLOUD_MAX, 0-100 % (100: no cloud filter), shown without decimals."""
    parameter = QgsProcessingParameterNumber(
        "CLOUD_MAX", tr("Maximum cloud cover (%)"), QgsProcessingParameterNumber.Type.Double,
        defaultValue=100.0, minValue=0.0, maxValue=100.0)
    parameter.setMetadata({"widget_wrapper": {"decimals": 0}})
    algorithm.addParameter(parameter)


def add_unknown_cloud_parameter(algorithm: QgsProcessingAlgorithm) -> None:
    """INCLUDE_UNKNOWN_CLOUD: keep scenes whose cloud cover is unknown (default: yes)."""
    algorithm.addParameter(QgsProcessingParameterBoolean(
        "INCLUDE_UNKNOWN_CLOUD", tr("Include scenes with unknown cloud cover"), defaultValue=True))


def cloud_request(algorithm: QgsProcessingAlgorithm, parameters: dict, context: QgsProcessingContext) -> dict:
    """``cloud_max`` and ``include_unknown_cloud`` of a search request, from CLOUD_MAX and INCLUDE_UNKNOWN_CLOUD."""
    include = True
    if parameters.get("INCLUDE_UNKNOWN_CLOUD") is not None:
        include = algorithm.parameterAsBoolean(parameters, "INCLUDE_UNKNOWN_CLOUD", context)
    return {"cloud_max": algorithm.parameterAsDouble(parameters, "CLOUD_MAX", context),
            "include_unknown_cloud": include}


def add_authcfg_parameter(algorithm: QgsProcessingAlgorithm, description: str) -> None:
    algorithm.addParameter(QgsProcessingParameterAuthConfig("AUTHCFG", description, defaultValue="", optional=True))


def add_vector_output(algorithm: QgsProcessingAlgorithm, description: str, geometry_type: int,
                      count_description: str) -> None:
    """OUTPUT, the vector layer written, and COUNT, how many features it got."""
    algorithm.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", description, geometry_type))
    algorithm.addOutput(QgsProcessingOutputNumber("COUNT", count_description))


def check_area_given(parameters: dict) -> None:
    if not parameters.get("EXTENT") and not parameters.get("AOI"):
        raise QgsProcessingException(tr("Give an area of interest: an extent (EXTENT) or a polygon layer (AOI)."))


def dates_from(algorithm: QgsProcessingAlgorithm, parameters: dict, context: QgsProcessingContext):
    """(start, end) dates of START_DATE and END_DATE, validated."""
    return parse_date_range(algorithm.parameterAsString(parameters, "START_DATE", context),
                            algorithm.parameterAsString(parameters, "END_DATE", context))


# --- errors, cancel, progress ---------------------------------------------------------------
@contextmanager
def service_errors() -> Iterator[None]:
    """Turn core's errors into QgsProcessingException with the same user message."""
    try:
        yield
    except CancelledError:
        raise QgsProcessingException(tr("Cancelled.")) from None
    except SceneFinderError as error:
        LOG.warning("%s", error.details())
        raise QgsProcessingException(str(error)) from None


def cancel_check(feedback: QgsProcessingFeedback | None) -> Callable[[], bool]:
    """Core's cancel check for a Processing run (never cancelled without feedback)."""
    return feedback.isCanceled if feedback is not None else (lambda: False)


def download_progress(feedback: QgsProcessingFeedback | None, start: float = 0.0,
                      end: float = 100.0) -> Callable[[Any], None]:
    """A core download progress callback that moves the Processing progress bar from start to end."""

    def report(progress: Any) -> None:
        if feedback is None:
            return
        total = getattr(progress, "bytes_total", None)
        if total:
            fraction = getattr(progress, "bytes_done", 0) / total
        else:
            files_total = getattr(progress, "files_total", 0) or 0
            fraction = (getattr(progress, "files_done", 0) / files_total) if files_total else 0.0
        feedback.setProgress(start + (end - start) * min(1.0, max(0.0, fraction)))

    return report


def report_download_results(results: list, feedback: QgsProcessingFeedback | None) -> tuple[list[str], int]:
    """(paths of the files now in the folder, number of failures); each failure reported as an error.

    Raises QgsProcessingException when files were asked for and none could be had.
    """
    files = [str(r.path) for r in results if r.status in ("done", "skipped") and r.path is not None]
    failures = [str(r.error) if r.error is not None else tr("{name}: not downloaded.").format(
        name=r.item.filename or r.item.key or r.item.url) for r in results if r.status == "failed"]
    for message in failures:
        if feedback is not None:
            feedback.reportError(message, False)
    if failures and not files:
        shown = "\n".join(failures[:5]) + ("\n…" if len(failures) > 5 else "")
        raise QgsProcessingException(tr("Nothing could be downloaded:\n{errors}").format(errors=shown))
    if feedback is not None:
        feedback.pushInfo(tr("{files} file(s) in the folder, {failed} failed.").format(
            files=len(files), failed=len(failures)))
    return files, len(failures)


# --- credentials and service URLs -----------------------------------------------------------
def credentials(service: str, authcfg: str | None) -> tuple[str, str]:
    """(username, secret) from AUTHCFG, else the environment, else the saved default config."""
    from ..auth import SERVICE_CARBONMAPPER, SERVICE_M2M, resolve_credentials

    with service_errors():
        pair = resolve_credentials(service, authcfg or None)
    if pair:
        return pair
    advice = {
        SERVICE_M2M: tr("No USGS M2M credentials. Choose an authentication configuration (AUTHCFG), save them in "
                        "the Scene Finder settings, or set SCENE_FINDER_M2M_USERNAME and SCENE_FINDER_M2M_TOKEN."),
        SERVICE_CARBONMAPPER: tr("No Carbon Mapper credentials. Choose an authentication configuration (AUTHCFG), "
                                 "save them in the Scene Finder settings, or set SCENE_FINDER_CARBONMAPPER_TOKEN."),
    }
    raise QgsProcessingException(advice[service])


@contextmanager
def closing_session(access: Access) -> Iterator[Access]:
    """The prepared credentials and session for an operation; the session is closed and errors are
    turned into QgsProcessingException at the end of the block."""
    with service_errors(), closing(access.session):
        yield access


# --- outputs --------------------------------------------------------------------------------
def write_vector_output(output: str, write: Callable[[str], Any]) -> Any:
    """Run ``write(path)`` (a GeoPackage writer of core/gis) for the OUTPUT the user chose.

    Our writers make GeoPackages; another format (a .shp, a .geojson...) is written to a temporary
    GeoPackage first and converted with OGR.
    """
    if output.lower().endswith(".gpkg"):
        return write(output)
    from osgeo import gdal
    from qgis.core import QgsProcessingUtils, QgsVectorFileWriter

    driver = QgsVectorFileWriter.driverForExtension(Path(output).suffix)
    if not driver:
        raise QgsProcessingException(
            tr("No vector format is known for the file {path}; choose a GeoPackage (.gpkg).").format(path=output))
    temporary = QgsProcessingUtils.generateTempFilename("scene_finder_output.gpkg")
    value = write(temporary)
    converted = gdal.VectorTranslate(output, temporary, format=driver)
    if converted is None:
        raise QgsProcessingException(tr("The result could not be written to {path}.").format(path=output))
    converted = None
    return value


def report_written(feedback: QgsProcessingFeedback, message: str) -> None:
    """The last word of a run that wrote a layer: progress full, ``message`` in the log."""
    feedback.setProgress(100)
    feedback.pushInfo(message)


# --- inputs ---------------------------------------------------------------------------------
def parse_date(value: Any, label: str) -> datetime.date | None:
    """A yyyy-mm-dd string (empty: no bound); QgsProcessingException with a clear message otherwise."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise QgsProcessingException(
            tr("{label} “{value}” is not a date: write it as yyyy-mm-dd, for example 2024-03-31.").format(
                label=label, value=text)
        ) from None


def parse_date_range(start_value: Any, end_value: Any) -> tuple[datetime.date | None, datetime.date | None]:
    start = parse_date(start_value, tr("The start date"))
    end = parse_date(end_value, tr("The end date"))
    if start and end and start > end:
        raise QgsProcessingException(
            tr("The start date {start} is after the end date {end}.").format(start=start, end=end))
    return start, end


def parse_json_object(value: Any, label: str) -> dict:
    """A JSON object given as text (empty: {}); QgsProcessingException with a clear message otherwise."""
    text = str(value or "").strip()
    if not text:
        return {}
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise QgsProcessingException(
            tr("{label} is not valid JSON ({error}). Write a JSON object such as {example}.").format(
                label=label, error=error.msg, example='{"Satellite": "9"}')
        ) from None
    if not isinstance(parsed, dict):
        raise QgsProcessingException(
            tr("{label} must be a JSON object such as {example}.").format(label=label, example='{"Satellite": "9"}'))
    return parsed


def aoi_geometry(algorithm: QgsProcessingAlgorithm, parameters: dict, context: QgsProcessingContext,
                 extent_name: str = "EXTENT", layer_name: str = "AOI", required: bool = True):
    """The area of interest as a shapely geometry in EPSG:4326: the AOI layer's features, else EXTENT.

    None when neither is given and ``required`` is False.
    """
    from shapely import wkb

    crs = QgsCoordinateReferenceSystem(WGS84)
    geometry = None
    source = algorithm.parameterAsSource(parameters, layer_name, context) if parameters.get(layer_name) else None
    if source is not None:
        request = QgsFeatureRequest().setNoAttributes().setDestinationCrs(crs, context.transformContext())
        parts = [f.geometry() for f in source.getFeatures(request) if f.hasGeometry()]
        if not parts:
            raise QgsProcessingException(tr("The AOI layer has no features with a geometry."))
        geometry = QgsGeometry.unaryUnion(parts)
    elif parameters.get(extent_name):
        geometry = algorithm.parameterAsExtentGeometry(parameters, extent_name, context, crs)
    if geometry is None or geometry.isEmpty():
        if not required:
            return None
        raise QgsProcessingException(
            tr("Give an area of interest: an extent (EXTENT) or a polygon layer (AOI)."))
    return wkb.loads(bytes(geometry.asWkb()))
