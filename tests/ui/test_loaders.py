"""Landsat bundles open as band layers and a stretched true-colour composite, without extraction."""

from __future__ import annotations

import shutil
import stat
import tarfile
import tempfile
from pathlib import Path

import pytest
from landsat_files import PRODUCT, make_bundle, run_load_task, write_band, write_plume
from qgis.core import QgsApplication, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QThread

from scene_finder.gis import loaders, vrt_files


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
    outcome = run_load_task(qtbot, bundles=[bundle])
    assert outcome == {"names": [PRODUCT], "errors": []}
    group = QgsProject.instance().layerTreeRoot().findGroup(PRODUCT)
    layers = [node.layer() for node in group.findLayers()]
    composite = layers[0]
    assert composite.source().endswith("_true_colour.vrt") and composite.bandCount() == 3
    assert [node.isVisible() for node in group.findLayers()][:2] == [True, False]
    assert {layer.name().split()[-1] for layer in layers[1:]} == {"SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5",
                                                                 "ST_B10"}
    # read from the tar: directly, or (Level-2 bands, in physical units) through a VRT into /vsitar/
    assert all(layer.source().startswith("/vsitar/") or f"/vsitar/{bundle.resolve()}/" in
               Path(layer.source()).read_text() for layer in layers[1:])
    renderer = composite.renderer()
    assert renderer.type() == "multibandcolor"
    red = renderer.redContrastEnhancement()
    assert -0.01 <= red.minimumValue() < red.maximumValue() <= 0.36  # reflectance of DN 7000-20000
    assert renderer.minMaxOrigin().limits() == renderer.minMaxOrigin().Limits.CumulativeCut
    assert all(layer.thread() == QThread.currentThread() for layer in layers)


def test_gzipped_bundle_opens_too(qgis_new_project, qtbot, tmp_path):
    bundle = make_bundle(tmp_path, suffix=".tgz")
    outcome = run_load_task(qtbot, bundles=[bundle])
    assert outcome["names"] == [PRODUCT]


def test_a_broken_bundle_reports_an_error_and_others_still_load(qgis_new_project, qtbot, tmp_path):
    broken = tmp_path / "LC08_L2SP_001002_20200101_20200102_02_T1.tar"
    broken.write_bytes(b"not a tar")
    bundle = make_bundle(tmp_path)
    outcome = run_load_task(qtbot, bundles=[broken, bundle])
    assert outcome["names"] == [PRODUCT]
    assert len(outcome["errors"]) == 1


def test_plume_raster_is_styled_with_transparent_nodata(qgis_new_project, qtbot, tmp_path):
    plume = write_plume(tmp_path / "tan20230101t000000-A_plume.tif")
    outcome = run_load_task(qtbot, plumes=[plume])
    assert outcome["errors"] == []
    layer = QgsProject.instance().mapLayersByName("tan20230101t000000-A_plume")[0]
    assert isinstance(layer, QgsRasterLayer)
    renderer = layer.renderer()
    assert renderer.type() == "singlebandpseudocolor"
    assert renderer.nodataColor().alpha() == 0
    assert renderer.classificationMax() > renderer.classificationMin() >= 0


# --- where the composite's VRT goes ---------------------------------------------------------------
def test_the_composite_vrt_lies_beside_the_bundle_so_saved_projects_keep_working(qgis_new_project, qtbot, tmp_path):
    bundle = make_bundle(tmp_path / "downloads")
    outcome = run_load_task(qtbot, bundles=[bundle])
    assert outcome["errors"] == []
    composite = QgsProject.instance().layerTreeRoot().findGroup(PRODUCT).findLayers()[0].layer()
    vrt = tmp_path / "downloads" / f"{PRODUCT}_true_colour.vrt"
    assert Path(composite.source()) == vrt and vrt.is_file()
    assert f"/vsitar/{bundle.resolve()}/" in vrt.read_text()  # absolute: the project may be saved anywhere
    assert not [p for p in vrt.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_symlink_planted_at_the_vrt_name_is_not_written_through(qgis_new_project, qtbot, tmp_path):
    bundle = make_bundle(tmp_path / "downloads")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "downloads" / f"{PRODUCT}_true_colour.vrt").symlink_to(victim)
    outcome = run_load_task(qtbot, bundles=[bundle])
    assert outcome["names"] == [PRODUCT]
    assert victim.read_text() == "keep me"
    vrt = tmp_path / "downloads" / f"{PRODUCT}_true_colour.vrt"
    assert not vrt.is_symlink() and vrt.read_text().startswith("<VRTDataset")


def test_an_unwritable_data_folder_sends_the_vrt_to_a_private_profile_folder(qgis_app, tmp_path):
    missing = tmp_path / "gone"  # stands for a folder we may not write to (the tests run as root)
    first = vrt_files.save_vrt(b"<VRTDataset/>", "scene_true_colour.vrt", missing, source="/data/a/scene.tar")
    second = vrt_files.save_vrt(b"<VRTDataset/>", "scene_true_colour.vrt", missing, source="/data/b/scene.tar")
    profile = Path(QgsApplication.qgisSettingsDirPath()).resolve()
    assert first.parent == second.parent == profile / "scene_finder" / "vrt"
    assert first != second  # one per bundle path
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    assert not str(first).startswith(tempfile.gettempdir() + "/scene_finder_vrt")


def test_a_private_folder_that_is_a_symlink_is_refused(qgis_app, tmp_path):
    folder = Path(QgsApplication.qgisSettingsDirPath()) / "scene_finder" / "vrt"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.symlink_to(elsewhere)
    try:
        with pytest.raises(OSError, match="not a folder"):
            vrt_files.save_vrt(b"<VRTDataset/>", "x.vrt", None, source="/data/x.tar")
        assert list(elsewhere.iterdir()) == []
    finally:
        folder.unlink()


# --- hostile bundles ---------------------------------------------------------------------------------------
def test_a_hostile_bundle_gives_few_layers_and_only_of_expected_members(tmp_path):
    source = tmp_path / "members"
    source.mkdir()
    names = [f"{PRODUCT}_{prefix}B{n}.TIF" for prefix in ("", "SR_", "ST_") for n in range(1, 12)]
    names += [f"{PRODUCT}_B99.TIF", f"{PRODUCT}_SR_B4.TIF.TIF", "LC08_L2SP_999999_20200101_20200102_02_T1_SR_B5.TIF"]
    paths = [write_band(source / name, index, size=8) for index, name in enumerate(names)]
    (source / "sub").mkdir()
    nested = write_band(source / "sub" / f"{PRODUCT}_SR_B9.TIF", 99, size=8)
    bundle = tmp_path / f"{PRODUCT}.tar"
    with tarfile.open(bundle, "w") as archive:
        for path in paths:
            archive.add(path, arcname=path.name)
        archive.add(nested, arcname=f"sub/{nested.name}")
    scene = loaders.list_bundle_bands(bundle)
    assert len(scene.bands) == loaders.MAX_BAND_LAYERS
    assert all(path.rsplit("/", 1)[-1].startswith(PRODUCT + "_") for path in scene.bands.values())
    assert "/sub/" not in " ".join(scene.bands.values())
    assert {"SR_B1", "SR_B4", "SR_B11"} <= set(scene.bands)
    assert scene.notes and str(loaders.MAX_BAND_LAYERS) in scene.notes[0]


def test_the_notes_of_a_capped_bundle_reach_the_user(qgis_new_project, qtbot, tmp_path):
    source = tmp_path / "members"
    source.mkdir()
    paths = [write_band(source / f"{PRODUCT}_{prefix}B{n}.TIF", n, size=8) for prefix in ("SR_", "ST_") for n in
             range(1, 12)]
    bundle = tmp_path / f"{PRODUCT}.tar"
    with tarfile.open(bundle, "w") as archive:
        for path in paths:
            archive.add(path, arcname=path.name)
    outcome = run_load_task(qtbot, bundles=[bundle])
    assert outcome["names"] == [PRODUCT]
    assert len(outcome["errors"]) == 1 and "left out 6" in outcome["errors"][0]
    group = QgsProject.instance().layerTreeRoot().findGroup(PRODUCT)
    assert len(group.findLayers()) == loaders.MAX_BAND_LAYERS + 1  # and the composite
