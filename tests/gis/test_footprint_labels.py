"""Footprint labels stay readable at any density: scale-dependent, one per footprint position (no stack of
dates where a path/row was acquired many times), never overlapping; checked on the layer's settings and on
what QGIS really draws."""

from __future__ import annotations

import datetime

from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsRectangle
from qgis.PyQt.QtCore import QSize
from shapely.geometry import box

from scene_finder.core.models import Scene
from scene_finder.gis.compat import LABEL_OVER_POINT
from scene_finder.gis.footprints import write_footprints
from scene_finder.gis.styles import LABEL_MAX_COUNT, LABEL_MIN_SCALE, footprint_layer


def _path_row(i: int):
    """The footprint of the ``i``-th acquisition of one WRS-2 path/row: never quite the same (a few km off)."""
    dx, dy = 0.02 * (-1) ** i + 0.002 * i, 0.015 * (-1) ** (i // 2)
    return box(-76.9 + dx, 35.0 + dy, -74.9 + dx, 36.8 + dy)


def _layer(tmp_path):
    scenes = [Scene(f"SAME{i:02d}", f"SAME{i:02d}", "landsat_ot_c2_l2", acquired=datetime.date(2023, 1, 1)
                    + datetime.timedelta(days=16 * i), footprint=_path_row(i), wrs_path=14, wrs_row=35)
              for i in range(12)]  # one path/row, twelve acquisitions
    scenes += [Scene(f"OTHER{i}", f"OTHER{i}", "landsat_ot_c2_l2", acquired=datetime.date(2023, 5, 1),
                     footprint=box(-76.9 + 2.3 * i, 32.0, -74.9 + 2.3 * i, 33.8)) for i in range(3)]
    path = tmp_path / "footprints.gpkg"
    write_footprints(scenes, path)
    return footprint_layer(path, "footprints", "footprints")


def _labels_drawn(layer, extent: QgsRectangle) -> list[str]:
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(800, 500))
    settings.setOutputDpi(96)
    settings.setExtent(extent)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return sorted(label.labelText for label in job.takeLabelingResults().allLabels())


def test_label_settings(qgis_app, tmp_path):
    layer = _layer(tmp_path)
    settings = layer.labeling().settings()
    assert layer.labelsEnabled() and "acquired" in settings.fieldName
    assert settings.scaleVisibility and settings.minimumScale == LABEL_MIN_SCALE
    assert settings.placement == LABEL_OVER_POINT and not settings.displayAll
    thinning = settings.thinningSettings()
    assert thinning.limitNumberOfLabelsEnabled() and thinning.maximumNumberLabels() == LABEL_MAX_COUNT
    assert thinning.minimumFeatureSize() > 0


def test_one_label_per_footprint_position_and_none_when_zoomed_out(qgis_app, tmp_path):
    layer = _layer(tmp_path)
    drawn = _labels_drawn(layer, QgsRectangle(-78, 31, -69, 38))  # about 1:4,000,000 at 800 px
    assert len(drawn) == 4, drawn  # one of the twelve dates of the path/row, and the three others
    assert sum(text.startswith("2023-05-01") for text in drawn) >= 3
    assert _labels_drawn(layer, QgsRectangle(-180, -85, 180, 85)) == []  # the world: past 1:5,000,000
