"""Landsat bundles open as band layers and a stretched true-colour composite, without extraction."""

from __future__ import annotations

from landsat_files import PRODUCT, make_bundle, write_plume
from qgis.core import QgsApplication, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QThread

from scene_finder.gis import loaders


def _run(qtbot, **kwargs):
    outcome = {}
    task = loaders.LoadLayersTask(on_done=lambda names, errors: outcome.update(names=names, errors=errors), **kwargs)
    QgsApplication.taskManager().addTask(task)
    qtbot.waitUntil(lambda: "names" in outcome, timeout=20000)
    return outcome


def test_bundle_lists_its_bands_through_vsitar(tmp_path):
    bundle = make_bundle(tmp_path)
    scene = loaders.list_bundle_bands(bundle)
    assert scene.name == PRODUCT
    assert set(scene.bands) == {"SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "ST_B10"}
    assert all(path.startswith("/vsitar/") for path in scene.bands.values())
    assert not (tmp_path / f"{PRODUCT}_SR_B4.TIF").exists()


def test_bundle_opens_as_group_with_composite_and_bands(qgis_new_project, qtbot, tmp_path):
    bundle = make_bundle(tmp_path / "downloads")
    (tmp_path / "downloads" / f"{PRODUCT}_files").rename(tmp_path / "sources")  # only the tar remains
    outcome = _run(qtbot, bundles=[bundle])
    assert outcome == {"names": [PRODUCT], "errors": []}
    group = QgsProject.instance().layerTreeRoot().findGroup(PRODUCT)
    layers = [node.layer() for node in group.findLayers()]
    composite = layers[0]
    assert composite.source().endswith("_true_colour.vrt") and composite.bandCount() == 3
    assert [node.isVisible() for node in group.findLayers()][:2] == [True, False]
    assert {layer.name().split()[-1] for layer in layers[1:]} == {"SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5",
                                                                 "ST_B10"}
    assert all(layer.source().startswith("/vsitar/") for layer in layers[1:])
    renderer = composite.renderer()
    assert renderer.type() == "multibandcolor"
    red = renderer.redContrastEnhancement()
    assert 7000 <= red.minimumValue() < red.maximumValue() <= 20000
    assert renderer.minMaxOrigin().limits() == renderer.minMaxOrigin().Limits.CumulativeCut
    assert all(layer.thread() == QThread.currentThread() for layer in layers)


def test_gzipped_bundle_opens_too(qgis_new_project, qtbot, tmp_path):
    bundle = make_bundle(tmp_path, suffix=".tgz")
    outcome = _run(qtbot, bundles=[bundle])
    assert outcome["names"] == [PRODUCT]


def test_a_broken_bundle_reports_an_error_and_others_still_load(qgis_new_project, qtbot, tmp_path):
    broken = tmp_path / "LC08_L2SP_001002_20200101_20200102_02_T1.tar"
    broken.write_bytes(b"not a tar")
    bundle = make_bundle(tmp_path)
    outcome = _run(qtbot, bundles=[broken, bundle])
    assert outcome["names"] == [PRODUCT]
    assert len(outcome["errors"]) == 1


def test_plume_raster_is_styled_with_transparent_nodata(qgis_new_project, qtbot, tmp_path):
    plume = write_plume(tmp_path / "tan20230101t000000-A_plume.tif")
    outcome = _run(qtbot, plumes=[plume])
    assert outcome["errors"] == []
    layer = QgsProject.instance().mapLayersByName("tan20230101t000000-A_plume")[0]
    assert isinstance(layer, QgsRasterLayer)
    renderer = layer.renderer()
    assert renderer.type() == "singlebandpseudocolor"
    assert renderer.nodataColor().alpha() == 0
    assert renderer.classificationMax() > renderer.classificationMin() >= 0
