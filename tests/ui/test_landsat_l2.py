"""Landsat C2 Level-2 bands open in physical units, and QA_PIXEL can mask clouds in the composite."""

from __future__ import annotations

import tarfile
from pathlib import Path

import numpy as np
import pytest
from landsat_files import PRODUCT, make_bundle, run_load_task, write_band
from osgeo import gdal
from qgis.core import QgsProject

from scene_finder.gis import landsat_l2, loaders, settings

L1_PRODUCT = "LC09_L1TP_013035_20230326_20230328_02_T1"
FILL, DILATED, CIRRUS, CLOUD, SHADOW, WATER = 1, 2, 4, 8, 16, 128
CLEAR = 21824  # bit 6 (clear) and the "low confidence" pairs, as real clear land pixels read
SIZE = 64
CLOUD_DN = 40000  # reflectance 0.9: brighter than the land


@pytest.fixture()
def mask_setting():
    """The switch, put back to its default afterwards."""
    yield
    settings.set_value("mask_clouds", None)


def _qa_values() -> np.ndarray:
    """Rows 0-3 fill, then bands of dilated cloud, cirrus, cloud, shadow, clear water, clear land."""
    qa = np.full((SIZE, SIZE), CLEAR, dtype=np.uint16)
    qa[:4, :] = FILL
    qa[10:14, :] = CLEAR | DILATED
    qa[20:24, :] = CLEAR | CIRRUS
    qa[30:40, :] = 22280  # a real cloud value: bit 3 and high cloud confidence
    qa[44:48, :] = CLEAR | SHADOW
    qa[50:54, :] = CLEAR | WATER
    return qa


def _write(path: Path, values: np.ndarray, nodata: int) -> Path:
    write_band(path, 0, size=values.shape[0], nodata=nodata)
    dataset = gdal.Open(str(path), gdal.GA_Update)
    dataset.GetRasterBand(1).WriteArray(values)
    dataset = None
    return path


def _cloudy_bundle(folder: Path, product: str = PRODUCT, bands=("SR_B2", "SR_B3", "SR_B4", "ST_B10"),
                   qa: bool = True) -> Path:
    """A bundle whose QA_PIXEL flags the rows of :func:`_qa_values`; its bands are bright under the clouds."""
    source = folder / f"{product}_files"
    source.mkdir(parents=True)
    flags = _qa_values()
    paths = []
    for index, band in enumerate(bands):
        values = np.random.default_rng(index).integers(7000, 20000, size=(SIZE, SIZE), dtype=np.uint16)
        values[(flags & CLOUD) > 0] = CLOUD_DN
        values[:4, :] = 0
        paths.append(_write(source / f"{product}_{band}.TIF", values, 0))
    if qa:
        paths.append(_write(source / f"{product}_QA_PIXEL.TIF", flags, FILL))
    bundle = folder / f"{product}.tar"
    with tarfile.open(bundle, "w") as archive:
        for path in paths:
            archive.add(path, arcname=path.name)
    return bundle


def _scale_offset(path: str, index: int = 1) -> tuple:
    dataset = gdal.Open(path)  # kept while its band is used (GDAL frees bands with their dataset)
    band = dataset.GetRasterBand(index)
    return band.GetScale(), band.GetOffset()


def _mask(path: str) -> np.ndarray:
    dataset = gdal.Open(path)
    return dataset.GetRasterBand(1).GetMaskBand().ReadAsArray()


def _layers(product: str = PRODUCT) -> dict:
    group = QgsProject.instance().layerTreeRoot().findGroup(product)
    return {node.layer().name().split()[-1]: node.layer() for node in group.findLayers()}


# --- units ---------------------------------------------------------------------------------------------------
def test_the_lookup_keeps_exactly_the_pixels_without_cloud_shadow_cirrus_or_fill_bits():
    points = [tuple(map(int, pair.split(":"))) for pair in landsat_l2.mask_lookup().split(",")]
    inputs, outputs = zip(*points)
    assert list(inputs) == sorted(inputs) and inputs[0] == 0 and inputs[-1] == 65535
    values = np.arange(65536)
    shown = np.interp(values, inputs, outputs)  # GDAL interpolates linearly between the points
    assert np.array_equal(shown == 255, (values & landsat_l2.MASK_BITS) == 0)
    assert set(np.unique(shown)) == {0.0, 255.0}


def test_gdal_reads_the_mask_of_every_16_bit_qa_value_as_the_bits_say(tmp_path):
    folder = tmp_path / "every_value"
    folder.mkdir()
    every = np.arange(65536, dtype=np.uint16).reshape(256, 256)
    band = _write(folder / f"{PRODUCT}_SR_B4.TIF", np.full((256, 256), 9000, dtype=np.uint16), 0)
    _write(folder / f"{PRODUCT}_QA_PIXEL.TIF", every, FILL)
    memory = "/vsimem/every_value.vrt"
    gdal.BuildVRT(memory, [str(band)], separate=True).FlushCache()
    handle = gdal.VSIFOpenL(memory, "rb")
    data = bytes(gdal.VSIFReadL(1, 1 << 20, handle))
    gdal.VSIFCloseL(handle)
    gdal.Unlink(memory)
    masked, why_not = landsat_l2.with_cloud_mask(data, [str(band)])
    assert why_not is None
    (folder / "masked.vrt").write_bytes(masked)
    shown = _mask(str(folder / "masked.vrt"))
    assert np.array_equal(shown == 255, (every & landsat_l2.MASK_BITS) == 0)
    assert np.array_equal(shown == 0, (every & landsat_l2.MASK_BITS) != 0)


def test_sr_and_st_bands_read_as_reflectance_and_kelvin(qgis_new_project, qtbot, tmp_path, mask_setting):
    bundle = make_bundle(tmp_path / "downloads")
    outcome = run_load_task(qtbot, bundles=[bundle], mask_clouds=False)
    assert outcome["errors"] == []
    layers = _layers()
    for index in (1, 2, 3):
        assert _scale_offset(layers["colour"].source(), index) == pytest.approx(landsat_l2.REFLECTANCE)
    thermal = layers["ST_B10"]
    assert Path(thermal.source()).parent == tmp_path / "downloads"  # a VRT beside the bundle
    assert _scale_offset(thermal.source()) == pytest.approx(landsat_l2.TEMPERATURE)
    assert f"/vsitar/{bundle.resolve()}/" in Path(thermal.source()).read_text()
    assert _scale_offset(layers["SR_B5"].source()) == pytest.approx(landsat_l2.REFLECTANCE)
    # QGIS reads the scaled values: the stretch is in reflectance (DN 7000-20000 -> -0.0075 to 0.35)
    red = layers["colour"].renderer().redContrastEnhancement()
    assert -0.01 <= red.minimumValue() < red.maximumValue() <= 0.36
    assert layers["colour"].dataProvider().bandScale(1) == pytest.approx(landsat_l2.REFLECTANCE[0])
    renderer = thermal.renderer()
    assert renderer.type() == "singlebandgray", renderer.type()
    stretch = renderer.contrastEnhancement()
    assert 170 < stretch.minimumValue() < stretch.maximumValue() < 220  # kelvin: DN 7000-20000 * 0.00341802 + 149
    assert "QA_PIXEL" not in layers


def test_a_level1_bundle_gets_no_scale_or_offset(qgis_new_project, qtbot, tmp_path):
    source = tmp_path / "files"
    source.mkdir()
    paths = [write_band(source / f"{L1_PRODUCT}_{band}.TIF", index) for index, band in enumerate(("B2", "B3", "B4"))]
    bundle = tmp_path / f"{L1_PRODUCT}.tar"
    with tarfile.open(bundle, "w") as archive:
        for path in paths:
            archive.add(path, arcname=path.name)
    outcome = run_load_task(qtbot, bundles=[bundle], mask_clouds=False)
    assert outcome["errors"] == []
    layers = _layers(L1_PRODUCT)
    scale, offset = _scale_offset(layers["colour"].source())
    assert scale in (None, 1.0) and offset in (None, 0.0)
    assert all(layers[name].source().startswith("/vsitar/") for name in ("B2", "B3", "B4"))
    red = layers["colour"].renderer().redContrastEnhancement()
    assert 7000 <= red.minimumValue() < red.maximumValue() <= 20000


def test_scaling_is_decided_by_band_and_product():
    assert landsat_l2.scaling("SR_B4", PRODUCT) == landsat_l2.REFLECTANCE
    assert landsat_l2.scaling("st_b6", "LE07_L2SP_013035_20030326_20200904_02_T1") == landsat_l2.TEMPERATURE
    assert landsat_l2.scaling("B4", L1_PRODUCT) is None
    assert landsat_l2.scaling("SR_B4", L1_PRODUCT) is None
    assert landsat_l2.scaling("QA_PIXEL", PRODUCT) is None


# --- cloud mask ----------------------------------------------------------------------------------------------
def test_the_mask_hides_clouds_shadows_cirrus_and_fill_and_keeps_clear_pixels(qgis_new_project, qtbot, tmp_path,
                                                                             mask_setting):
    bundle = _cloudy_bundle(tmp_path)
    outcome = run_load_task(qtbot, bundles=[bundle], mask_clouds=True)
    assert outcome["errors"] == []
    composite = _layers()["colour"]
    assert composite.bandCount() == 4 and composite.renderer().alphaBand() == 4  # QGIS: the mask is alpha
    flags = _qa_values()
    hidden = (flags & 0b11111) > 0
    mask = _mask(composite.source())
    assert np.array_equal(mask == 0, hidden)
    assert (mask[50:54] == 255).all() and (mask[60:] == 255).all()  # clear water and land stay
    block = composite.dataProvider().block(4, composite.extent(), SIZE, SIZE)
    alpha = np.array([[block.value(row, col) for col in range(SIZE)] for row in range(SIZE)])
    assert np.array_equal(alpha == 0, hidden) and set(np.unique(alpha)) == {0.0, 255.0}
    # the stretch comes from the clear pixels: the clouds (reflectance 0.9) do not set its top
    assert composite.renderer().redContrastEnhancement().maximumValue() < 0.36
    assert not [p for p in tmp_path.iterdir() if p.suffix.lower() == ".tif"]  # nothing extracted


def test_separately_downloaded_band_files_are_masked_with_the_qa_file_beside_them(qgis_new_project, qtbot,
                                                                                 tmp_path, mask_setting):
    bundle = _cloudy_bundle(tmp_path / "bundle")
    folder = tmp_path / "bands"
    folder.mkdir()
    with tarfile.open(bundle) as archive:
        archive.extractall(folder, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    bands = sorted(folder.glob("*_SR_B*.TIF"))
    outcome = run_load_task(qtbot, band_files=bands, mask_clouds=True)
    assert outcome["errors"] == []
    composite = _layers()["colour"]
    assert composite.bandCount() == 4
    assert np.array_equal(_mask(composite.source()) == 0, (_qa_values() & 0b11111) > 0)
    assert str(folder / f"{PRODUCT}_QA_PIXEL.TIF") in Path(composite.source()).read_text()


def test_with_the_switch_off_the_composite_is_as_before(qgis_new_project, qtbot, tmp_path, mask_setting):
    bundle = _cloudy_bundle(tmp_path)
    outcome = run_load_task(qtbot, bundles=[bundle], mask_clouds=False)
    assert outcome["errors"] == []
    composite = _layers()["colour"]
    assert composite.bandCount() == 3
    text = Path(composite.source()).read_text()
    assert "<MaskBand>" not in text and "QA_PIXEL" not in text
    dataset = gdal.Open(composite.source())
    assert dataset.GetRasterBand(1).GetMaskFlags() != gdal.GMF_PER_DATASET


def test_the_setting_is_the_default_switch(qgis_new_project, qtbot, tmp_path, mask_setting):
    settings.set_value("mask_clouds", True)
    assert loaders.LoadLayersTask().mask_clouds is True
    outcome = run_load_task(qtbot, bundles=[_cloudy_bundle(tmp_path)])
    assert outcome["errors"] == []
    assert "<MaskBand>" in Path(_layers()["colour"].source()).read_text()
    settings.set_value("mask_clouds", False)
    assert loaders.LoadLayersTask().mask_clouds is False


def test_a_scene_without_qa_pixel_opens_unmasked_and_says_why(qgis_new_project, qtbot, tmp_path, mask_setting):
    bundle = _cloudy_bundle(tmp_path, qa=False)
    outcome = run_load_task(qtbot, bundles=[bundle], mask_clouds=True)
    assert outcome["names"] == [PRODUCT]
    assert len(outcome["errors"]) == 1 and "QA_PIXEL" in outcome["errors"][0]
    assert _layers()["colour"].bandCount() == 3


def test_the_download_section_has_the_switch(qgis_app, qtbot, mask_setting):
    from scene_finder.ui.downloads import DownloadPanel

    settings.set_value("mask_clouds", False)
    panel = DownloadPanel()
    qtbot.addWidget(panel)
    assert not panel.mask_check.isChecked()
    panel.mask_check.setChecked(True)
    assert settings.value("mask_clouds") is True
    again = DownloadPanel()
    qtbot.addWidget(again)
    assert again.mask_check.isChecked()
    again.show()
    again.set_landsat(False)  # Carbon Mapper: no QA_PIXEL
    assert not again.mask_check.isVisible()
    again.set_landsat(True)
    assert again.mask_check.isVisible()
