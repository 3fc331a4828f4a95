"""The map follows a search: it zooms to the results, unless the user moved the map meanwhile.

:class:`MapFollower` watches the canvas's ``extentsChanged`` from the moment Search is pressed
(:meth:`MapFollower.start`). Any change that is not the follower's own zoom counts as the user's
(pan, zoom, a bookmark...), and from then on the search leaves the map where the user put it.
The follower zooms when the first page of footprints lands and again when the search ends (the
extent of everything found), each time only if the map has not been moved.

Adding the first layer to an empty project makes QGIS zoom to it a moment later (the layer tree's
bridge, queued): changes up to the next turn of the event loop after :meth:`MapFollower.quietly`
count as the follower's own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from qgis.core import QgsCoordinateTransform, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer

LOG = logging.getLogger(__name__)

MARGIN = 1.1  # the zoomed extent is the results' extent scaled by this


class MapFollower:
    def __init__(self, canvas):
        self.canvas = canvas
        self.active = False
        self.moved = False
        self._own = 0
        canvas.extentsChanged.connect(self._extents_changed)

    def start(self) -> None:
        """Search was pressed: watch the map from now on."""
        self.active, self.moved = True, False

    def stop(self) -> None:
        self.active = False

    def _extents_changed(self) -> None:
        if self.active and not self._own:
            self.moved = True

    def quietly(self, action: Callable[[], Any]) -> Any:
        """Run ``action`` (add a layer, zoom); the map changes it makes are not the user's."""
        self._own += 1
        try:
            return action()
        finally:
            QTimer.singleShot(0, self._release)

    def _release(self) -> None:
        self._own = max(0, self._own - 1)

    def follow(self, layer: QgsVectorLayer | None) -> bool:
        """Zoom to ``layer``'s extent unless the user moved the map since :meth:`start`; True if zoomed."""
        if not self.active or self.moved or layer is None:
            return False
        box = layer.extent()
        if box.isNull() or box.isEmpty() and box.width() == 0 and box.height() == 0:
            return False
        canvas_crs = self.canvas.mapSettings().destinationCrs()
        if canvas_crs.isValid() and canvas_crs != layer.crs():
            try:
                box = QgsCoordinateTransform(layer.crs(), canvas_crs, QgsProject.instance()).transformBoundingBox(box)
            except Exception:  # a world extent the map's projection cannot hold: leave the map alone
                LOG.info("The results' extent cannot be shown in the map's projection", exc_info=True)
                return False
        box.scale(MARGIN)

        def zoom() -> None:
            self.canvas.setExtent(box)
            self.canvas.refresh()

        self.quietly(zoom)
        return True

    def shutdown(self) -> None:
        self.active = False
        try:
            self.canvas.extentsChanged.disconnect(self._extents_changed)
        except (TypeError, RuntimeError):
            pass
