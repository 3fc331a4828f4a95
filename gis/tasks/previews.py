"""Previews on the map, prepared in the background: images and capabilities fetched (once per scene,
kept in the previews cache), VRTs written and the layers opened in the task's thread, then handed
to the main thread.

Every request goes through :func:`..network.make_qgis_session` (QGIS proxy and certificate
authorities) and :func:`.thumbnail.fetch_preview` (https:// only, or http:// to this computer;
each redirect hop checked; a size limit). One scene's failure does not stop the others: the
result lists, per scene, its layer or its error.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication

from ...core.cancel import raise_if_cancelled
from ...core.errors import CancelledError, SceneFinderError
from ..clients import Access, connect
from ..network import make_qgis_session
from ..previews import (
    OVERLAY_CM_PLUME,
    OVERLAY_FILE,
    OVERLAY_WMS,
    PreviewError,
    PreviewSpec,
    make_layer,
    prepare_file,
    prepare_plume,
    prepare_wms,
)
from .base import SceneFinderTask
from .thumbnail import fetch_preview


@dataclass
class PreviewOutcome:
    spec: PreviewSpec
    layer: Any = None  # a QgsRasterLayer (moved to the main thread), or None
    error: SceneFinderError | None = None
    from_cache: bool = False


def prepare(session, spec: PreviewSpec, root: Path, cancel=None, map_crs: str | None = None, carbonmapper=None):
    """The prepared preview of one scene (any thread); ``carbonmapper``: a client, for plumes."""
    if spec.overlay_type == OVERLAY_CM_PLUME:
        if carbonmapper is None:
            raise PreviewError("Sign in to Carbon Mapper (Accounts tab) to see plume previews.")
        return prepare_plume(carbonmapper, spec, root, fetch_preview, cancel)
    if spec.overlay_type == OVERLAY_WMS:
        return prepare_wms(session, spec, root, fetch_preview, cancel, map_crs)
    if spec.overlay_type == OVERLAY_FILE:
        return prepare_file(session, spec, root, fetch_preview, cancel)
    raise PreviewError(f"{spec.label} has no preview that can be put on the map.")


class PreviewTask(SceneFinderTask):
    """Result: a list of :class:`PreviewOutcome`, one per spec, in order."""

    def __init__(self, specs: list[PreviewSpec], cache_root: Path, map_crs: str | None = None,
                 carbonmapper: tuple[str, str] | None = None, **callbacks: Any):
        count = len(specs)
        label = specs[0].label if count == 1 else f"{count} scenes"
        super().__init__(f"Scene Finder: previews of {label}", **callbacks)
        self.specs = list(specs)
        self.cache_root = Path(cache_root)
        self.map_crs = map_crs
        self.session = make_qgis_session(retries=1)  # main thread: QGIS settings and CAs
        wanted = carbonmapper is not None and any(spec.overlay_type == OVERLAY_CM_PLUME for spec in specs)
        self.carbonmapper = Access.of(carbonmapper, self.session) if wanted else None
        self.client = None

    def work(self) -> list[PreviewOutcome]:
        outcomes = []
        main_thread = QCoreApplication.instance().thread()
        try:
            with contextlib.ExitStack() as stack:
                if self.carbonmapper is not None:
                    self.client = stack.enter_context(connect("carbonmapper", self.carbonmapper, self.cancel_check))
                self._prepare_all(outcomes, main_thread)
        except CancelledError:
            outcomes.clear()  # the layers made so far go with them
            raise
        finally:
            self.client = None
            self.session.close()
        return outcomes

    def _prepare_all(self, outcomes: list[PreviewOutcome], main_thread) -> None:
        for number, spec in enumerate(self.specs):
            raise_if_cancelled(self.cancel_check)
            try:
                prepared = prepare(self.session, spec, self.cache_root, self.cancel_check, self.map_crs,
                                   self.client)
                layer = make_layer(prepared)
                layer.moveToThread(main_thread)
                outcomes.append(PreviewOutcome(spec, layer, from_cache=prepared.from_cache))
            except CancelledError:
                raise
            except SceneFinderError as error:
                # without its traceback: the frames would keep this loop's layers alive in a
                # reference cycle, to be deleted by the collector whenever (after QGIS exits: a crash)
                outcomes.append(PreviewOutcome(spec, error=error.with_traceback(None)))
            except OSError as error:
                outcomes.append(PreviewOutcome(spec, error=PreviewError(
                    f"The preview of {spec.label} could not be kept in the previews folder "
                    f"({error.strerror or error}). Choose a download folder you can write to.")))
            finally:
                layer = prepared = None  # noqa: F841 - not kept alive by this frame
            self.report_progress(100.0 * (number + 1) / len(self.specs))
