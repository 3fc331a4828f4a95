"""Drag and drop into QGIS: downloaded products from the file manager, scenes from the results table.

A ``.tar``/``.tgz`` bundle dropped on QGIS opens as band layers plus a true-colour composite (see
:mod:`.loaders`); the products of other datasets (a Sentinel-2 ``.SAFE`` zip, a NAIP zip, a DEM...)
open as :mod:`.product_files` opens them. Rows dragged out of the Scene Finder results table carry
:data:`SCENES_MIME`, a small JSON list of scenes: each opens as its bundle (or product) when it was
downloaded, else as its footprint.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsCustomDropHandler
from qgis.PyQt.QtCore import QCoreApplication, QMetaType, QMimeData

from . import loaders, product_files
from .compat import make_field

LOG = logging.getLogger(__name__)

SCENES_MIME = "application/x-scene-finder-scenes"
FOOTPRINT_GROUP = "Scene Finder"

Notify = Callable[[str, str], None]  # (level "info"|"warning"|"error", message)


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderDropHandler", message)


def scenes_to_mime(scenes: list[dict]) -> QMimeData:
    """Mime data for dragged scenes: dicts with entity_id, display_id, dataset, acquired, cloud_cover,
    footprint (WKT, EPSG:4326) and bundle (a local path or None)."""
    data = QMimeData()
    data.setData(SCENES_MIME, json.dumps(scenes).encode("utf-8"))
    data.setText("\n".join(str(scene.get("display_id") or scene.get("entity_id") or "") for scene in scenes))
    return data


def scenes_from_mime(data: QMimeData) -> list[dict]:
    if data is None or not data.hasFormat(SCENES_MIME):
        return []
    try:
        scenes = json.loads(bytes(data.data(SCENES_MIME)).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        LOG.warning("Ignored dropped scene data that is not valid JSON")
        return []
    return [scene for scene in scenes if isinstance(scene, dict)] if isinstance(scenes, list) else []


def footprints_layer(scenes: list[dict], name: str | None = None) -> QgsVectorLayer:
    """A small in-memory polygon layer of the scenes' footprints (fine on the main thread)."""
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4326", name or tr("Dropped scene footprints"), "memory")
    text, number = QMetaType.Type.QString, QMetaType.Type.Double
    fields = [make_field("entity_id", text), make_field("display_id", text), make_field("dataset", text),
              make_field("acquired", text), make_field("cloud_cover", number)]
    provider = layer.dataProvider()
    provider.addAttributes(fields)
    layer.updateFields()
    features = []
    for scene in scenes:
        geometry = QgsGeometry.fromWkt(scene.get("footprint") or "")
        if geometry.isNull():
            continue
        geometry.convertToMultiType()
        feature = QgsFeature(layer.fields())
        feature.setGeometry(geometry)
        feature.setAttributes([scene.get("entity_id"), scene.get("display_id"), scene.get("dataset"),
                               scene.get("acquired"), scene.get("cloud_cover")])
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    _style_footprints(layer)
    return layer


def _style_footprints(layer: QgsVectorLayer) -> None:
    try:
        from . import styles
    except ImportError:
        styles = None
    style = getattr(styles, "style_footprints", None) if styles else None
    if style is not None:
        try:
            style(layer)
            return
        except Exception:
            LOG.debug("Footprint style could not be applied", exc_info=True)
    symbol = layer.renderer().symbol()
    symbol.setColor(symbol.color().fromRgb(0, 0, 0, 0))
    symbol.symbolLayer(0).setStrokeColor(symbol.color().fromRgb(230, 80, 20))
    symbol.symbolLayer(0).setStrokeWidth(0.6)


class SceneFinderDropHandler(QgsCustomDropHandler):
    """Registered with ``iface.registerCustomDropHandler`` in ``initGui`` and removed in ``unload``."""

    def __init__(self, notify: Notify | None = None, project: QgsProject | None = None):
        super().__init__()
        self.notify = notify
        self.project = project
        self.tasks: list[loaders.LoadLayersTask] = []

    def customUriProviderKey(self) -> str:
        return "scene_finder"

    # Files from the file manager
    def handleFileDrop(self, file: str) -> bool:
        try:
            if loaders.is_bundle(file):
                self._load(bundles=[file])
                return True
            if product_files.is_product(file):
                self._load(products=[file])
                return True
            return False
        except Exception:  # a drop must never raise into QGIS
            LOG.exception("Dropping %s failed", Path(file).name)
            return False

    # Rows from the results table
    def canHandleMimeData(self, data: QMimeData) -> bool:
        return data is not None and data.hasFormat(SCENES_MIME)

    def handleMimeDataV2(self, data: QMimeData) -> bool:
        try:
            scenes = scenes_from_mime(data)
            if not scenes:
                return False
            bundles = [scene["bundle"] for scene in scenes if scene.get("bundle") and Path(scene["bundle"]).exists()]
            if bundles:
                self._load(bundles=[b for b in bundles if loaders.is_bundle(b)],
                           products=[b for b in bundles if not loaders.is_bundle(b)])
            without = [scene for scene in scenes if not (scene.get("bundle") and Path(scene["bundle"]).exists())]
            if without:
                self._add_footprints(without)
            return True
        except Exception:
            LOG.exception("Dropping scenes failed")
            self._tell("error", tr("The dropped scenes could not be opened. See the Scene Finder log."))
            return True

    def _add_footprints(self, scenes: list[dict]) -> None:
        project = self.project or QgsProject.instance()
        layer = footprints_layer(scenes, tr("Footprints of {count} scene(s)").format(count=len(scenes)))
        project.addMapLayer(layer, False)
        root = project.layerTreeRoot()
        group = root.findGroup(FOOTPRINT_GROUP) or root.insertGroup(0, FOOTPRINT_GROUP)
        group.insertLayer(0, layer)

    def _load(self, bundles=(), band_files=(), plumes=(), products=()) -> None:
        task = loaders.LoadLayersTask(bundles, band_files, plumes, project=self.project, on_done=self._loaded,
                                      products=products)
        self.tasks.append(task)
        from qgis.core import QgsApplication

        QgsApplication.taskManager().addTask(task)

    def _loaded(self, names: list[str], errors: list[str]) -> None:
        self.tasks = [task for task in self.tasks if not _finished(task)]
        if names:
            self._tell("info", tr("Opened {names}.").format(names=", ".join(names)))
        for error in errors:
            self._tell("error", error)

    def _tell(self, level: str, message: str) -> None:
        if self.notify is not None:
            self.notify(level, message)

    def shutdown(self) -> None:
        """Cancel loads still running (plugin unload)."""
        for task in self.tasks:
            if not _finished(task):
                task.cancel()
        self.tasks = []


def _finished(task) -> bool:
    try:
        return task.status() in (task.TaskStatus.Complete, task.TaskStatus.Terminated)
    except RuntimeError:  # already deleted by the task manager
        return True
