""""Pick for coverage" under the results table: the fewest, least cloudy scenes that cover the AOI.

A button with a menu: click runs the planner with the last choices; the menu chooses the share of
the area to cover and the time window (one cover per week, month, season or year), both
remembered in the settings. The plan is made in a background task on the current results layer
(read by OGR in the task for a GeoPackage, through QGIS on the main thread for another layer) and
the current area of interest; the picked scenes are then selected on the layer, which selects
their rows in the table, and the share covered and the mean cloud cover are told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from qgis.core import QgsCoordinateReferenceSystem, QgsFeatureRequest, QgsProject, QgsProviderRegistry
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from ..core.coverage import CLOUD_WEIGHT
from ..core.errors import CancelledError, SceneFinderError
from ..gis import settings
from ..gis.operations.coverage import find_fields, from_features, plan_footprints, plan_for_layer, summary
from ..gis.tasks.base import start_task
from ..gis.tasks.panel import CallTask
from .plain_text import plain_label

LOG = logging.getLogger(__name__)

TARGETS = (90.0, 95.0, 99.0, 100.0)


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderCoverage", message)


def window_labels() -> dict:
    return {"none": tr("One cover for the whole period"), "week": tr("One cover per week"),
            "month": tr("One cover per month"), "season": tr("One cover per season"),
            "year": tr("One cover per year")}


class CoveragePicker(QWidget):
    """The button, its menu and a one-line status. Emits :attr:`picked` with the plan once selected."""

    picked = pyqtSignal(object)

    def __init__(self, results, aoi: Callable[[], object], messages, parent=None):
        super().__init__(parent)
        self.results = results
        self.aoi = aoi  # -> the AOI as a shapely geometry in EPSG:4326 (raises SceneFinderError)
        self.messages = messages
        self.task = None
        self._closed = False
        self.button = QToolButton(self)
        self.button.setObjectName("PickForCoverage")
        self.button.setText(tr("Pick for coverage"))
        self.button.setToolTip(tr("Select the fewest, least cloudy scenes that cover the area of interest"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.menu = QMenu(self.button)
        self.target_actions = self._choices(tr("Share of the area"), [
            (f"{value:g} %", value) for value in TARGETS], settings.value("coverage_target"))
        self.window_actions = self._choices(tr("Time windows"), list((label, kind) for kind, label in
                                                                     window_labels().items()),
                                            settings.value("coverage_window"))
        self.button.setMenu(self.menu)
        self.status = plain_label(QLabel(self))
        self.status.setObjectName("CoverageStatus")
        self.status.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.status, 1)
        self.button.clicked.connect(self.start)
        self._told_for = None  # the results layer the status line speaks of
        self.results.model.modelReset.connect(self._results_changed)

    def _results_changed(self) -> None:
        """New results in the table: the status line spoke of the old ones."""
        if self._told_for is not None and self.results.layer is not self._told_for:
            self._told_for = None
            self.status.clear()

    def _choices(self, title: str, entries: list, current) -> dict:
        """Checkable menu entries of which exactly one is checked (``current``, else the first)."""
        self.menu.addSection(title)
        actions = {}
        for label, value in entries:
            action = self.menu.addAction(label)
            action.setCheckable(True)
            actions[value] = action
        (actions.get(current) or next(iter(actions.values()))).setChecked(True)
        for action in actions.values():
            action.triggered.connect(lambda _checked, chosen=action, group=actions: self._choose(group, chosen))
        return actions

    def _choose(self, actions: dict, chosen) -> None:
        for action in actions.values():
            action.setChecked(action is chosen)
        self._remember()

    def target(self) -> float:
        return next(value for value, action in self.target_actions.items() if action.isChecked())

    def window(self) -> str:
        return next(value for value, action in self.window_actions.items() if action.isChecked())

    def _remember(self, *_args) -> None:
        settings.set_value("coverage_target", self.target())
        settings.set_value("coverage_window", self.window())

    def start(self) -> None:
        try:
            if self.task is not None:
                return
            layer = self.results.layer
            if layer is None:
                self.messages.warning(tr("Search first: the scenes are picked among the results shown."))
                return
            aoi = self.aoi()
            target, window = self.target() / 100.0, self.window()
            if layer.providerType() == "ogr":
                parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
                task = CallTask(tr("Scene Finder: picking scenes for coverage"), plan_for_layer,
                                parts.get("path", ""), parts.get("layerName"), aoi, target, CLOUD_WEIGHT, window)
            else:  # a memory or other layer: its features can only be read here, on the main thread
                request = QgsFeatureRequest().setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"),
                                                                QgsProject.instance().transformContext())
                footprints, fids = from_features(layer.getFeatures(request), find_fields(layer.fields().names()))
                task = CallTask(tr("Scene Finder: picking scenes for coverage"), plan_footprints,
                                footprints, fids, aoi, target, CLOUD_WEIGHT, window)
            task.add_callbacks(lambda outcome: self._done(task, layer, outcome),
                               lambda error: self._failed(task, error))
            self.task = task
            self.button.setEnabled(False)
            self.status.setText(tr("Picking scenes…"))
            start_task(task)
        except SceneFinderError as error:
            self.messages.error(error, tr("Pick for coverage"))
        except Exception as error:
            LOG.exception("Starting the coverage pick failed")
            self.messages.error(error, tr("Pick for coverage"))

    def _finish(self) -> None:
        self.task = None
        self.button.setEnabled(True)

    def _done(self, task, layer, outcome) -> None:
        if self._closed or task is not self.task:
            return
        self._finish()
        try:
            if layer is not self.results.layer:
                self.status.setText(tr("The results changed meanwhile: pick again."))
                return
            layer.selectByIds(outcome.fids)  # the table follows the layer's selection
            text = summary(outcome.plan)
            if outcome.plan.undated:
                text += " " + tr("{count} scene(s) without a date were left out.").format(count=outcome.plan.undated)
            self.status.setText(text)
            self._told_for = layer
            self.messages.info(text)
            self.picked.emit(outcome.plan)
        except Exception as error:
            LOG.exception("Selecting the picked scenes failed")
            self.messages.error(error, tr("Pick for coverage"))

    def _failed(self, task, error) -> None:
        if self._closed or task is not self.task:
            return
        self._finish()
        if isinstance(error, CancelledError):
            self.status.setText(tr("Cancelled."))
            return
        self.status.setText(str(error))
        self.messages.error(error, tr("Pick for coverage"))

    def shutdown(self) -> None:
        self._closed = True
        try:
            self.results.model.modelReset.disconnect(self._results_changed)
        except (TypeError, RuntimeError):
            pass
        task, self.task = self.task, None
        if task is not None:
            try:
                task.cancel()
            except RuntimeError:
                pass
