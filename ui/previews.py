"""Previews on the map from the results table: "Show on map" for the selected rows and a checkbox in
the table's ID column, both toggles.

A row's preview is its browse overlay (:mod:`..gis.previews`): a WMS layer or a browse image placed
on the footprint. Previews are prepared in a :class:`..gis.tasks.previews.PreviewTask` (progress
and Cancel here and in the task manager) and go into a "Previews" group right above the
footprints layer, in the footprints layer's own group (drawn over the footprints, so the selection's
highlight does not hide them; the footprints' date labels stay on top). Unticking, or
"Hide from map" when every selected row is shown, removes them. The shown state is read from the
project (layers carrying :data:`..gis.previews.PROPERTY_KEY`), so a preview the user removes by
hand, or one from a saved project, is known. Carbon Mapper plume rows get their
quick-look on the plume's bounds (signed in to Carbon Mapper). The images and VRTs are kept in
``<download folder>/previews/``; unloading the plugin removes no layer and no file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from qgis.core import QgsLayerTreeGroup, QgsProject
from qgis.PyQt.QtCore import QObject, Qt
from qgis.PyQt.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from ..core.errors import CancelledError, SceneFinderError
from ..gis.previews import PROPERTY_KEY, PreviewSpec, needs_footprint, overlay_of, service_of
from ..gis.tasks.base import start_task
from ..gis.tasks.previews import PreviewTask
from .results_model import ResultRow, tr

LOG = logging.getLogger(__name__)

GROUP_NAME = "Previews"
CACHE_FOLDER = "previews"


def spec_for(row: ResultRow, footprint_wkt: Callable[[ResultRow], str | None] | None) -> PreviewSpec | None:
    """The preview of a row, or None when the service gave it none Scene Finder can place."""
    overlay = overlay_of(row.kind, row.record, row.key)
    if overlay is None:
        return None
    overlay_type, overlay_url = overlay
    footprint = row.footprint
    if footprint is None and footprint_wkt is not None and needs_footprint(overlay_type):
        from shapely import wkt

        text = footprint_wkt(row)
        footprint = wkt.loads(text) if text else None
    return PreviewSpec(row.key, row.label, str(overlay_type), str(overlay_url), footprint)


class PreviewsController(QObject):
    """Owns the previews bar under the results table and the table's preview checkboxes."""

    def __init__(self, results, messages, cache_root: Callable[[], Path],
                 credentials: Callable[[str], tuple[str, str] | None] | None = None, parent=None):
        super().__init__(parent)
        self.results = results
        self.messages = messages
        self.cache_root = cache_root
        self.credentials = credentials  # a service's credentials (Carbon Mapper, for plumes), or None
        self.tasks: list[PreviewTask] = []
        self.pending: set[str] = set()
        self._painted: dict[str, Qt.CheckState] = {}  # the boxes as last repainted (unchecked ones left out)
        self.shown: dict[str, str] = {}  # scene key -> layer id
        self._closed = False

        self.bar = QWidget()
        self.bar.setObjectName("PreviewsBar")
        self.show_button = QPushButton(tr("Show on map"))
        self.show_button.setObjectName("PreviewsShowButton")
        self.show_button.setToolTip(tr("Put the browse images of the selected scenes on the map, under their "
                                       "footprints (a second click takes them off)."))
        self.show_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("PreviewsProgress")
        self.progress.setVisible(False)
        self.progress.setMaximumHeight(16)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setObjectName("PreviewsCancel")
        self.cancel_button.setVisible(False)
        layout = QHBoxLayout(self.bar)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.show_button)
        layout.addWidget(self.progress, 1)
        layout.addWidget(self.cancel_button)
        layout.addStretch(0)

        self.show_button.clicked.connect(self._show_clicked)
        self.cancel_button.clicked.connect(self.cancel)
        results.selection_changed.connect(self._selection_changed)
        model = results.model
        model.check_state = self.check_state
        model.check_toggled = self._check_toggled
        project = QgsProject.instance()
        project.layersAdded.connect(self._project_changed)
        project.layersRemoved.connect(self._project_changed)
        project.cleared.connect(self._project_changed)
        self._project_changed()

    # State
    def check_state(self, row: ResultRow):
        if row.key in self.pending:
            return Qt.CheckState.PartiallyChecked
        return Qt.CheckState.Checked if row.key in self.shown else Qt.CheckState.Unchecked

    def _project_changed(self, *_args) -> None:
        if self._closed:
            return
        try:
            self.shown = {}
            for layer_id, layer in QgsProject.instance().mapLayers().items():
                key = layer.customProperty(PROPERTY_KEY)
                if key:
                    self.shown[str(key)] = layer_id
            self._refresh()
        except Exception:
            LOG.exception("Reading the previews on the map failed")

    def _refresh(self) -> None:
        # Repaint only the rows whose box changed: a change of all 50,000 rows would make the table's
        # filter (the time filter) go through every row again, freezing QGIS for most of a second.
        states = {key: Qt.CheckState.Checked for key in self.shown}
        states.update((key, Qt.CheckState.PartiallyChecked) for key in self.pending)
        changed = {key for key in {*states, *self._painted} if states.get(key) != self._painted.get(key)}
        self._painted = states
        if changed:
            self.results.model.refresh_checks(changed)
        self._selection_changed(self.results.selected_rows())

    def _selection_changed(self, rows: list) -> None:
        if self._closed:
            return
        self.show_button.setEnabled(bool(rows))
        hide = bool(rows) and all(row.key in self.shown for row in rows)
        self.show_button.setText(tr("Hide from map") if hide else tr("Show on map"))

    # Actions
    def _show_clicked(self) -> None:
        try:
            rows = self.results.selected_rows()
            if rows and all(row.key in self.shown for row in rows):
                self.hide([row.key for row in rows])
            else:
                self.show([row for row in rows if row.key not in self.shown and row.key not in self.pending])
        except Exception as error:
            LOG.exception("Showing previews failed")
            self.messages.error(error, tr("Previews"))

    def _check_toggled(self, row: ResultRow) -> None:
        try:
            if row.key in self.shown:
                self.hide([row.key])
            elif row.key not in self.pending:
                self.show([row])
        except Exception as error:
            LOG.exception("Toggling a preview failed")
            self.messages.error(error, tr("Previews"))

    def hide(self, keys: list[str]) -> None:
        ids = [self.shown[key] for key in keys if key in self.shown]
        if ids:
            QgsProject.instance().removeMapLayers(ids)

    def show(self, rows: list[ResultRow]) -> PreviewTask | None:
        """Start preparing the previews of ``rows``; tell which rows have none."""
        if not rows:
            return None
        specs, without = [], []
        for row in rows:
            spec = spec_for(row, self.results.model.footprint_lookup)
            (specs if spec is not None else without).append(spec or row)
        if without:
            names = ", ".join(row.label for row in without[:3]) + ("…" if len(without) > 3 else "")
            self.messages.warning(tr("No preview to put on the map for {names}: the service gives none "
                                     "Scene Finder can place.").format(names=names))
        if not specs:
            return None
        carbonmapper = None
        needed = {service_of(spec.overlay_type) for spec in specs} - {None}
        if needed and self.credentials is not None:  # only Carbon Mapper plumes need credentials
            carbonmapper = self.credentials(needed.pop())
            if carbonmapper is None:  # the user was told to sign in
                specs = [spec for spec in specs if service_of(spec.overlay_type) is None]
                if not specs:
                    return None
        canvas_crs = self.results.canvas.mapSettings().destinationCrs().authid() or None
        task = PreviewTask(specs, self.cache_root(), canvas_crs, carbonmapper)
        task.add_callbacks(lambda outcomes: self._done(task, outcomes), lambda error: self._failed(task, error))
        task.progressChanged.connect(self._progress)
        self.tasks.append(task)
        self.pending.update(spec.key for spec in specs)
        self._busy()
        start_task(task)
        return task

    def cancel(self) -> None:
        for task in list(self.tasks):
            try:
                task.cancel()
            except RuntimeError:
                pass

    # Task outcome
    def _progress(self, value: float) -> None:
        if not self._closed:
            self.progress.setValue(int(value))

    def _busy(self) -> None:
        running = bool(self.tasks)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        if running:
            self.progress.setValue(0)
        self._refresh()

    def _finish(self, task: PreviewTask) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        self.pending.difference_update(spec.key for spec in task.specs)

    def _done(self, task: PreviewTask, outcomes: list) -> None:
        if self._closed:
            return
        self._finish(task)
        try:
            failed = [outcome for outcome in outcomes if outcome.error is not None]
            layers = [outcome.layer for outcome in outcomes if outcome.layer is not None]
            if layers:
                self._add_layers(layers)
            if failed:
                first = failed[0]
                more = tr(" ({count} more could not be shown either)").format(count=len(failed) - 1) \
                    if len(failed) > 1 else ""
                self.messages.warning(tr("The preview of {name} could not be shown: {error}{more}").format(
                    name=first.spec.label, error=first.error, more=more), details=True)
                for outcome in failed:
                    LOG.warning("Preview of %s: %s", outcome.spec.label, outcome.error.details())
        except Exception as error:
            LOG.exception("Adding previews to the map failed")
            self.messages.error(error, tr("Previews"))
        finally:
            self._busy()

    def _failed(self, task: PreviewTask, error: SceneFinderError) -> None:
        if self._closed:
            return
        self._finish(task)
        self._busy()
        if not isinstance(error, CancelledError):
            self.messages.error(error, tr("Previews"))

    def _add_layers(self, layers: list) -> None:
        project = QgsProject.instance()
        group = self.previews_group()
        for layer in layers:
            old = self.shown.get(layer.customProperty(PROPERTY_KEY))
            if old:
                project.removeMapLayer(old)
            project.addMapLayer(layer, False)
            group.addLayer(layer)

    def previews_group(self) -> QgsLayerTreeGroup:
        """The "Previews" group right above the footprints layer, in its group (made when missing)."""
        root = QgsProject.instance().layerTreeRoot()
        footprints = self.results.layer
        node = root.findLayer(footprints.id()) if footprints is not None else None
        parent = node.parent() if node is not None else root
        group = parent.findGroup(GROUP_NAME) if isinstance(parent, QgsLayerTreeGroup) else None
        if group is None:
            index = parent.children().index(node) if node is not None else 0
            group = parent.insertGroup(index, GROUP_NAME)
        return group

    def shutdown(self) -> None:
        """Stop the running work; the previews on the map and their files stay (the user may have saved them)."""
        self.cancel()
        self._closed = True
        project = QgsProject.instance()
        for signal in (project.layersAdded, project.layersRemoved, project.cleared):
            try:
                signal.disconnect(self._project_changed)
            except (TypeError, RuntimeError):
                pass
        model = self.results.model
        model.check_state = model.check_toggled = None
