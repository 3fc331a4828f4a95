"""Each algorithm's Processing dialog builds with its parameter widgets (what a user opens first)."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication

ALGORITHMS = ["m2msearch", "m2mdownload", "cmscenes", "cmplumes", "cmdownload", "coverage"]


@pytest.mark.parametrize("name", ALGORITHMS)
def test_dialog_builds_with_every_parameter(provider, qgis_iface, qtbot, monkeypatch, name):
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from qgis.gui import QgsBrowserGuiModel

    browser = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)  # the stub iface lacks it

    algorithm = QgsApplication.processingRegistry().createAlgorithmById(f"scenefinder:{name}")
    dialog = AlgorithmDialog(algorithm, False, qgis_iface.mainWindow())
    qtbot.addWidget(dialog)
    panel = dialog.mainWidget()
    shown = set(panel.wrappers)
    assert {p.name() for p in algorithm.parameterDefinitions()} == shown
    assert algorithm.shortHelpString()
