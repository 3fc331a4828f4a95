"""Sentinel-2, NAIP and SRTM end to end against the emulator: search, download, open.

The same operations the panel's tasks and Processing run (``search_m2m``, ``download_m2m``,
``files_to_open`` and the layer loading task); the layers are checked in the project.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from osgeo import gdal, ogr
from qgis.core import QgsApplication, QgsHillshadeRenderer, QgsMultiBandColorRenderer, QgsProject, QgsRasterLayer
from shapely.geometry import box

from scene_finder.core.m2m import PollPolicy
from scene_finder.gis import loaders, product_files
from scene_finder.gis.clients import Access
from scene_finder.gis.operations.download import download_m2m
from scene_finder.gis.operations.opening import files_to_open
from scene_finder.gis.operations.search import SearchRequest, search_m2m

ALBEMARLE = box(-76.9196, 35.5713, -75.446, 36.3793)
FAST = PollPolicy(first_wait=0.05, factor=1.5, max_wait=0.2, total=60)


def _search(emulator, tmp_path, dataset: str, **request) -> list[str]:
    access = Access("demo", "demo-application-token", base_url=emulator.m2m_url)
    outcome = search_m2m(access, SearchRequest(aoi=ALBEMARLE, dataset=dataset, **request), tmp_path / "found.gpkg")
    assert outcome.count > 0
    source = ogr.Open(str(outcome.path))
    layer = source.GetLayerByName(outcome.layer_name)
    ids = [feature.GetField("entity_id") for feature in layer]
    assert {feature.GetField("dataset") for feature in layer} <= {dataset}
    return ids


def _download(emulator, tmp_path, dataset: str, entity_id: str) -> list[Path]:
    access = Access("demo", "demo-application-token", base_url=emulator.m2m_url)
    summary = download_m2m(access, {dataset: [entity_id]}, tmp_path / "downloads", poll=FAST)
    assert summary.failed == [] and len(summary.files) == 1
    return summary.files


def _open(qtbot, files: list[Path]) -> dict:
    outcome = {}
    task = loaders.LoadLayersTask(**files_to_open(files),
                                  on_done=lambda names, errors: outcome.update(names=names, errors=errors))
    QgsApplication.taskManager().addTask(task)
    qtbot.waitUntil(lambda: "names" in outcome, timeout=60000)
    return outcome


def _layers() -> dict[str, QgsRasterLayer]:
    return {layer.name(): layer for layer in QgsProject.instance().mapLayers().values()}


def test_sentinel2_tile_opens_as_its_subdatasets_with_a_b4_b3_b2_composite(emulator, qgis_new_project, qtbot,
                                                                           tmp_path):
    ids = _search(emulator, tmp_path, "sentinel_2a", start=dt.date(2023, 3, 1), end=dt.date(2023, 3, 31),
                  cloud_max=60)
    files = _download(emulator, tmp_path, "sentinel_2a", ids[0])
    assert files[0].name.startswith(("S2A_MSIL1C_", "S2B_MSIL1C_")) and files[0].suffix == ".zip"
    assert files_to_open(files)["products"] == files
    outcome = _open(qtbot, files)
    name = files[0].name[:-4]
    assert outcome == {"names": [name], "errors": []}
    layers = _layers()
    assert set(layers) == {f"{name} true colour", f"{name} 10m", f"{name} 20m", f"{name} 60m"}
    assert [layers[f"{name} {r}"].bandCount() for r in ("10m", "20m", "60m")] == [4, 6, 3]
    for layer in layers.values():
        assert layer.crs().authid() == "EPSG:32618"
    assert layers[f"{name} 10m"].source().startswith("SENTINEL2_L1C:/vsizip/")
    composite = layers[f"{name} true colour"]
    assert composite.bandCount() == 3 and Path(composite.source()).parent == files[0].parent
    tree = ET.parse(composite.source())
    sources = [(band.find("Description").text.split(",")[0], band.find("*/SourceBand").text,
                band.find("*/SourceFilename").text) for band in tree.iter("VRTRasterBand")]
    assert [s[0] for s in sources] == ["B4", "B3", "B2"]
    ten = gdal.Open(sources[0][2])
    assert sources[0][2].endswith(":10m:EPSG_32618")
    assert [ten.GetRasterBand(int(s[1])).GetDescription().split(",")[0] for s in sources] == ["B4", "B3", "B2"]
    group = QgsProject.instance().layerTreeRoot().findGroup(name)
    assert group is not None and group.findLayer(composite.id()).isVisible()


def test_naip_quarter_quad_opens_as_a_four_band_image_shown_red_green_blue(emulator, qgis_new_project, qtbot,
                                                                          tmp_path):
    ids = _search(emulator, tmp_path, "naip", start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31))
    files = _download(emulator, tmp_path, "naip", ids[0])
    assert files[0].suffix == ".zip" and files[0].name.startswith("m_")
    outcome = _open(qtbot, files)
    assert outcome["errors"] == [] and outcome["names"] == [files[0].stem]
    (layer,) = _layers().values()
    assert layer.bandCount() == 4 and layer.crs().authid() == "EPSG:26918"
    assert layer.source().startswith("/vsizip/") and layer.source().endswith(f"{files[0].stem}.tif")
    renderer = layer.renderer()
    assert isinstance(renderer, QgsMultiBandColorRenderer)
    assert (renderer.redBand(), renderer.greenBand(), renderer.blueBand()) == (1, 2, 3)


def test_srtm_geotiff_opens_as_a_hillshaded_dem(emulator, qgis_new_project, qtbot, tmp_path):
    ids = _search(emulator, tmp_path, "srtm_v3")
    files = _download(emulator, tmp_path, "srtm_v3", ids[0])
    assert files[0].name.endswith("_1arc_v3.tif")  # the GeoTIFF, chosen over the BIL zip listed first
    outcome = _open(qtbot, files)
    assert outcome["errors"] == [] and outcome["names"] == [files[0].stem]
    (layer,) = _layers().values()
    assert layer.bandCount() == 1 and layer.crs().authid() == "EPSG:4326"
    assert isinstance(layer.renderer(), QgsHillshadeRenderer)
    assert layer.dataProvider().sourceNoDataValue(1) == -32767


def test_a_tar_without_landsat_bands_opens_what_it_holds_and_says_why_when_nothing(qgis_new_project, qtbot,
                                                                                tmp_path):
    import tarfile

    dem = tmp_path / "n35_w077_3arc_v2.tif"
    driver = gdal.GetDriverByName("GTiff").Create(str(dem), 8, 8, 1, gdal.GDT_Int16)
    driver.SetGeoTransform((-77, 0.125, 0, 36, 0, -0.125))
    driver.SetProjection('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                         'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]')
    driver = None
    with tarfile.open(tmp_path / "dem.tar", "w") as tar:
        tar.add(dem, arcname=dem.name)
    (tmp_path / "empty.txt").write_text("no raster")
    with tarfile.open(tmp_path / "nothing.tar", "w") as tar:
        tar.add(tmp_path / "empty.txt", arcname="empty.txt")
    outcome = _open(qtbot, [tmp_path / "dem.tar", tmp_path / "nothing.tar"])
    assert outcome["names"] == ["dem"]
    assert len(outcome["errors"]) == 1 and "No Landsat band files" in outcome["errors"][0]
    (layer,) = _layers().values()
    assert isinstance(layer.renderer(), QgsHillshadeRenderer) and layer.source().startswith("/vsitar/")


@pytest.mark.parametrize(("name", "opens"), [
    ("S2B_MSIL1C_20230326T155509_N0509_R011_T18SUE_20230326T193802.zip", True),
    ("m_3607601_ne_18_060_20220612.zip", True),
    ("n35_w077_1arc_v3.tif", True),
    ("n35_w077_1arc_v3.tif.gz", True),
    ("MOD09GA.A2023085.h11v05.061.hdf", True),
    ("T18SUE_20230326T155509_B04.jp2", True),
    ("LC09_L2SP_013035_20230326_20230328_02_T1_SR_B4.TIF", False),  # a Landsat band file: the loaders'
    ("LC09_L2SP_015035_20230308_SR_B3.TIF", False),
    ("GAO20230326t155509p0000-A_ch4mfm.tif", False),  # a Carbon Mapper raster: the plume style
    ("scene.zip.part", False),
    ("S2B_MSIL1C_20230326T155509_N0509_R011_T18SUE_20230326T193802.SAFE", True),
    ("MTD_MSIL2A.xml", True),
])
def test_which_downloads_open_as_products(name, opens):
    assert product_files.is_product(name) is opens


def test_a_dropped_sentinel2_zip_opens_like_a_downloaded_one(qgis_new_project, qtbot, tmp_path):
    from scene_finder.emulator.m2m import sentinel2
    from scene_finder.gis.drop_handler import SceneFinderDropHandler

    told = []
    handler = SceneFinderDropHandler(notify=lambda level, text: told.append((level, text)))
    product = sentinel2._make_zip(tmp_path / "cache", sentinel2.DATASET.scenes[0])
    dropped = tmp_path / product.name
    dropped.write_bytes(product.read_bytes())
    assert handler.handleFileDrop(str(dropped))
    name = dropped.name[:-4]
    qtbot.waitUntil(lambda: QgsProject.instance().layerTreeRoot().findGroup(name) is not None, timeout=60000)
    assert told == [("info", f"Opened {name}.")]
    assert f"{name} true colour" in _layers()


def test_an_extracted_safe_folder_opens_too(qgis_new_project, qtbot, tmp_path):
    import zipfile

    from scene_finder.emulator.m2m import sentinel2

    product = sentinel2._make_zip(tmp_path / "cache", sentinel2.DATASET.scenes[1])
    with zipfile.ZipFile(product) as archive:
        archive.extractall(tmp_path / "unzipped")
    (safe,) = (tmp_path / "unzipped").iterdir()
    outcome = _open(qtbot, [safe])
    name = safe.name[:-5]
    assert outcome == {"names": [name], "errors": []}
    assert {f"{name} true colour", f"{name} 10m", f"{name} 20m", f"{name} 60m"} == set(_layers())


def _netcdf(path: Path) -> Path:
    import numpy as np

    dataset = gdal.GetDriverByName("netCDF").CreateMultiDimensional(str(path))
    root = dataset.GetRootGroup()
    rows, cols = root.CreateDimension("lat", None, None, 4), root.CreateDimension("lon", None, None, 5)
    for name in ("ndvi", "lst"):
        array = root.CreateMDArray(name, [rows, cols], gdal.ExtendedDataType.Create(gdal.GDT_Float32))
        array.Write(np.arange(20, dtype=np.float32).reshape(4, 5))
    dataset = None
    return path


def test_subdatasets_and_gzip_open_one_layer_each(qgis_new_project, qtbot, tmp_path):
    import gzip
    import shutil

    netcdf = _netcdf(tmp_path / "MOD13Q1.A2023081.h11v05.061.nc")
    dem = tmp_path / "n36_w076_1arc_v3.tif"
    raster = gdal.GetDriverByName("GTiff").Create(str(dem), 8, 8, 1, gdal.GDT_Int16)
    raster.SetGeoTransform((-76, 0.125, 0, 37, 0, -0.125))
    raster = None
    with open(dem, "rb") as source, gzip.open(tmp_path / f"{dem.name}.gz", "wb") as target:
        shutil.copyfileobj(source, target)
    dem.unlink()
    files = [netcdf, tmp_path / f"{dem.name}.gz"]
    assert files_to_open(files)["products"] == files
    outcome = _open(qtbot, files)
    assert outcome["errors"] == []
    layers = _layers()
    assert {name.rsplit(" ", 1)[-1] for name in layers if name.startswith("MOD13Q1")} == {"ndvi", "lst"}
    (dem_layer,) = [layer for layer in layers.values() if layer.source().startswith("/vsigzip/")]
    assert isinstance(dem_layer.renderer(), QgsHillshadeRenderer)


def test_an_archive_of_many_rasters_opens_the_first_sixteen_and_says_so(qgis_new_project, qtbot, tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "many.zip", "w") as archive:
        for index in range(40):
            name = f"/vsimem/scene_finder_test_{index}.tif"
            raster = gdal.GetDriverByName("GTiff").Create(name, 4, 4, 1, gdal.GDT_Byte)
            raster.SetGeoTransform((index, 1, 0, 0, 0, -1))
            raster = None
            archive.writestr(f"tile_{index:02d}.tif", bytes(gdal.VSIGetMemFileBuffer_unsafe(name)))
            gdal.Unlink(name)
    outcome = _open(qtbot, [tmp_path / "many.zip"])
    assert outcome["names"] == ["many"]
    assert outcome["errors"] == ["many.zip holds more than 16 rasters; opened the first 16."]
    assert len(_layers()) == loaders.MAX_BAND_LAYERS
