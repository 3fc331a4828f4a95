"""Open the downloaded products of any dataset through GDAL's virtual file systems, without extracting.

- Archives are read in place: ``.zip`` through ``/vsizip/``, ``.tar`` / ``.tgz`` / ``.tar.gz``
  through ``/vsitar/``, a lone ``.gz`` through ``/vsigzip/``. Whatever rasters they hold open
  (GeoTIFF, JPEG2000, HDF and NetCDF subdatasets, BIL...), one layer each, in a group named after
  the product; at most :data:`.loaders.MAX_BAND_LAYERS` of them.
- A Sentinel-2 ``.SAFE`` (zipped or not) opens through GDAL's SENTINEL2 driver as its 10 m, 20 m
  and 60 m subdatasets, with a true-colour composite: a VRT of the 10 m subdataset's B4, B3, B2
  (the bands named in :mod:`.composites`), saved beside the download (see :mod:`.vrt_files`).
- A multi-band image shows its sensor's composite (:mod:`.composites`: NAIP's red, green, blue),
  else its first three bands; every image gets the 2-98 % stretch of :mod:`.loaders`.
- An elevation model (one band of signed integers or floats, named like one: ``srtm``, ``dem``,
  ``1arc``...) gets a hillshade (:class:`QgsHillshadeRenderer`).
- A Landsat bundle keeps opening as :mod:`.loaders` opens it; a ``.tar`` without Landsat band files
  opens here instead.

All of it reads files: call it from :class:`.loaders.LoadLayersTask`, never on the main thread.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from osgeo import gdal
from qgis.core import QgsHillshadeRenderer, QgsMultiBandColorRenderer, QgsRasterDataProvider, QgsRasterLayer
from qgis.PyQt.QtCore import QCoreApplication

from . import composites, loaders, vrt_files
from .loaders import LoadedScene

ARCHIVES = ((".tar.gz", "/vsitar/"), (".tgz", "/vsitar/"), (".tar", "/vsitar/"), (".zip", "/vsizip/"),
            (".gz", "/vsigzip/"))
RASTERS = (".tif", ".tiff", ".jp2", ".hdf", ".h5", ".he5", ".nc", ".bil", ".bsq", ".bip", ".img", ".dt0", ".dt1",
           ".dt2", ".dem", ".asc")
MAX_MEMBERS = 10_000  # entries of an archive looked at
_ELEVATION = re.compile(r"srtm|gdem|gmted|gtopo|dem|dtm|dsm|elev|\d(?:arc|sec)|_arc_|3dep|ned\d", re.IGNORECASE)
_ELEVATION_TYPES = {gdal.GDT_Int16, gdal.GDT_Int32, gdal.GDT_Float32, gdal.GDT_Float64}
_SENTINEL2_METADATA = re.compile(r"(?:^|/)MTD_MSIL(?:1C|2A)\.xml$", re.IGNORECASE)
_RESOLUTIONS = ("10m", "20m", "60m")
METRES_PER_DEGREE = 111_320.0


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderProducts", message)


def archive_prefix(path: str | Path) -> str | None:
    name = str(path).lower()
    return next((prefix for suffix, prefix in ARCHIVES if name.endswith(suffix)), None)


def product_name(path: str | Path) -> str:
    name = Path(path).name
    for suffix, _ in ARCHIVES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def is_elevation_name(name: str) -> bool:
    return bool(_ELEVATION.search(name))


def is_product(path: str | Path) -> bool:
    """A download this module opens: an archive, a raster of another kind than GeoTIFF, or a GeoTIFF
    named like a NAIP, Sentinel-2 or elevation product (other GeoTIFFs: Landsat or Carbon Mapper)."""
    name = Path(path).name
    lower = name.lower()
    if loaders.is_band_file(name) or lower.endswith(".part"):
        return False
    if archive_prefix(lower) or lower.endswith(".safe") or _SENTINEL2_METADATA.search(name):
        return True  # an archive, a Sentinel-2 .SAFE folder or its metadata file
    if lower.endswith((".tif", ".tiff")):
        stem = product_name(name)  # Landsat files belong to the loaders, other GeoTIFFs to Carbon Mapper's
        return composites.sensor_of(stem) in ("NAIP", "Sentinel-2 MSI") or is_elevation_name(stem)
    return lower.endswith(RASTERS)


def _open(source: str):
    try:
        return gdal.OpenEx(source, gdal.OF_RASTER)
    except RuntimeError:  # GDAL exceptions switched on by someone else
        return None


def _members(root: str) -> list[str]:
    names = gdal.ReadDirRecursive(root) or []
    return [n for n in names[:MAX_MEMBERS] if not n.endswith("/")]


def build_bundle_layers(path: str | Path, mask_clouds: bool = False) -> LoadedScene:
    """A ``.tar``/``.tgz``: a Landsat bundle as :mod:`.loaders` opens it (``mask_clouds``: see
    :mod:`.landsat_l2`), else any product."""
    try:
        scene = loaders.list_bundle_bands(path)
    except ValueError as landsat:
        try:
            return build_product_layers(path)
        except ValueError:
            raise landsat from None
    return loaders.build_scene_layers(scene, mask_clouds)


def build_product_layers(path: str | Path) -> LoadedScene:
    """The layers of one downloaded product (reads files: run it in a task)."""
    path = Path(path).resolve()
    name = product_name(path)
    prefix = archive_prefix(path)
    if prefix == "/vsigzip/":
        rasters = [f"{prefix}{path}"]
    elif prefix:
        root = f"{prefix}{path}"
        members = _members(root)
        metadata = sorted((m for m in members if _SENTINEL2_METADATA.search(m)), key=lambda m: m.count("/"))
        if metadata:
            return build_sentinel2_layers(f"{root}/{metadata[0]}", name, path.parent)
        rasters = [f"{root}/{m}" for m in members if m.lower().endswith(RASTERS)]
    elif _SENTINEL2_METADATA.search(path.name):
        return build_sentinel2_layers(str(path), product_name(path.parent), path.parent)
    elif path.is_dir():  # an extracted .SAFE
        metadata = sorted(path.glob("MTD_MSIL*.xml"))
        if not metadata:
            raise ValueError(tr("{name} is a folder without Sentinel-2 metadata (MTD_MSIL1C.xml).").format(
                name=path.name))
        return build_sentinel2_layers(str(metadata[0]), product_name(path), path.parent)
    else:
        rasters = [str(path)]
    notes: list[str] = []
    layers: list[QgsRasterLayer] = []
    for raster in rasters:
        if len(layers) > loaders.MAX_BAND_LAYERS:  # a hostile archive must not make QGIS open thousands
            break
        layers += _layers_of(raster, name if len(rasters) == 1 else product_name(raster.rsplit("/", 1)[-1]))
    if not layers:
        raise ValueError(tr("{name} holds no raster that QGIS can open.").format(name=path.name))
    if len(layers) > loaders.MAX_BAND_LAYERS:
        notes.append(tr("{name} holds more than {kept} rasters; opened the first {kept}.").format(
            name=path.name, kept=loaders.MAX_BAND_LAYERS))
        layers = layers[:loaders.MAX_BAND_LAYERS]
    group = name if prefix and prefix != "/vsigzip/" else ""
    return LoadedScene(group, layers, [layers[0]] if group else list(layers), notes)


def _layers_of(source: str, name: str) -> list[QgsRasterLayer]:
    dataset = _open(source)
    if dataset is None:
        return []
    subdatasets = [v for k, v in (dataset.GetMetadata("SUBDATASETS") or {}).items() if k.endswith("_NAME")]
    if subdatasets and dataset.RasterCount == 0:  # HDF, NetCDF: one layer per subdataset
        layers = []
        for sub in subdatasets[:loaders.MAX_BAND_LAYERS + 1]:
            layers += _layers_of(sub, f"{name} {sub.rsplit(':', 1)[-1]}")
        return layers
    elevation = (dataset.RasterCount == 1 and dataset.GetRasterBand(1).DataType in _ELEVATION_TYPES
                 and is_elevation_name(name))
    descriptions = [dataset.GetRasterBand(i + 1).GetDescription() for i in range(dataset.RasterCount)]
    dataset = None
    layer = QgsRasterLayer(source, name, "gdal")
    if not layer.isValid():
        return []
    if elevation:
        style_hillshade(layer)
    else:
        style_composite(layer, name, descriptions)
    return [layer]


def style_hillshade(layer: QgsRasterLayer) -> None:
    """Shaded relief from the north-west; heights in metres over degrees are scaled to metres."""
    provider = layer.dataProvider()
    # Heights resampled smoothly when zoomed in, or the shading shows the pixels' steps.
    provider.setZoomedInResamplingMethod(QgsRasterDataProvider.ResamplingMethod.Bilinear)
    provider.setZoomedOutResamplingMethod(QgsRasterDataProvider.ResamplingMethod.Bilinear)
    renderer = QgsHillshadeRenderer(provider, 1, 315.0, 45.0)
    renderer.setMultiDirectional(True)
    if layer.crs().isGeographic():
        renderer.setZFactor(1.0 / METRES_PER_DEGREE)
    layer.setRenderer(renderer)


def style_composite(layer: QgsRasterLayer, name: str, descriptions: list[str]) -> None:
    """The sensor's composite (:mod:`.composites`, bands found by their GDAL ``descriptions`` or
    numbers) or the first three bands, stretched."""
    if layer.bandCount() >= 3:
        provider = layer.dataProvider()
        sensor = composites.sensor_of(name)
        numbers = composites.band_numbers(descriptions, composites.COMPOSITES[sensor]) if sensor else None
        red, green, blue = numbers or (1, 2, 3)
        layer.setRenderer(QgsMultiBandColorRenderer(provider, red, green, blue))
    loaders.apply_cumulative_cut(layer)


def build_sentinel2_layers(metadata: str, name: str, folder: Path) -> LoadedScene:
    """A Sentinel-2 product (its ``MTD_MSIL1C.xml`` or ``MTD_MSIL2A.xml``): the SENTINEL2 driver's
    10 m / 20 m / 60 m subdatasets and a true-colour composite of the 10 m one."""
    dataset = _open(metadata)
    if dataset is None:
        raise ValueError(tr("GDAL could not read the Sentinel-2 product {name}.").format(name=name))
    subdatasets = {}
    for key, value in (dataset.GetMetadata("SUBDATASETS") or {}).items():
        resolution = value.split(":")[-2] if key.endswith("_NAME") and value.count(":") >= 3 else ""
        if resolution in _RESOLUTIONS:
            subdatasets.setdefault(resolution, value)
    dataset = None
    if not subdatasets:
        raise ValueError(tr("The Sentinel-2 product {name} has no 10 m, 20 m or 60 m bands.").format(name=name))
    layers: list[QgsRasterLayer] = []
    visible: list[QgsRasterLayer] = []
    if "10m" in subdatasets:
        vrt = write_composite_vrt(subdatasets["10m"], composites.COMPOSITES["Sentinel-2 MSI"], name, folder)
        if vrt:
            composite = QgsRasterLayer(vrt, tr("{name} true colour").format(name=name), "gdal")
            if composite.isValid():
                loaders.apply_cumulative_cut(composite)
                layers.append(composite)
                visible.append(composite)
    for resolution in _RESOLUTIONS:
        if resolution in subdatasets:
            layer = QgsRasterLayer(subdatasets[resolution], f"{name} {resolution}", "gdal")
            if layer.isValid():
                loaders.apply_cumulative_cut(layer)
                layers.append(layer)
    if not layers:
        raise ValueError(tr("None of the bands of {name} could be opened.").format(name=name))
    return LoadedScene(name, layers, visible or [layers[0]], [])


def write_composite_vrt(source: str, bands: tuple[str, str, str], name: str, folder: Path | None) -> str | None:
    """A three-band VRT of ``source``'s bands named ``bands`` (red, green, blue), saved beside the data
    (or in the profile's private folder); None when a band is missing."""
    dataset = _open(source)
    if dataset is None:
        return None
    descriptions = [dataset.GetRasterBand(i + 1).GetDescription() for i in range(dataset.RasterCount)]
    numbers = composites.band_numbers(descriptions, bands)
    if numbers is None:
        return None
    memory = f"/vsimem/scene_finder/{uuid.uuid4().hex}_true_colour.vrt"
    vrt = gdal.Translate(memory, dataset, format="VRT", bandList=numbers)
    dataset = None
    if vrt is None:
        raise ValueError(tr("GDAL could not build the true-colour composite of {name}.").format(name=name))
    try:
        for index, number in enumerate(numbers, start=1):
            vrt.GetRasterBand(index).SetDescription(descriptions[number - 1])
        vrt.FlushCache()
        vrt = None
        data = vrt_files.vsimem_bytes(memory)
        if data is None:
            raise ValueError(tr("GDAL could not build the true-colour composite of {name}.").format(name=name))
    finally:
        vrt = None
        gdal.Unlink(memory)
    return str(vrt_files.save_vrt(data, f"{name}_true_colour.vrt", folder, source=source))
