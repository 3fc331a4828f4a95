"""Landsat Collection 2 Level-2: bands in physical units, and clouds masked with ``QA_PIXEL``.

Level-2 bands hold scaled integers. USGS publishes one scale and offset for all of them (Landsat
Collection 2 Level-2 Science Product Guide): surface reflectance (``SR_B1``...) is
``DN * 0.0000275 - 0.2``, surface temperature (``ST_B10``, ``ST_B6``) is ``DN * 0.00341802 + 149.0``
kelvin. They are written into the VRTs that show the bands, so GDAL and QGIS read reflectance and
kelvin (``GetScale()``/``GetOffset()``; QGIS applies them when it reads pixels, so the stretch,
identify and statistics are in those units). Level-1 bands (``B4``) have no fixed scale: untouched.

With the switch on (setting ``mask_clouds``, "Mask clouds (QA_PIXEL)" in the download section),
the composite gets a dataset mask band derived from the scene's ``QA_PIXEL`` band, in the VRT
itself: nothing is copied to disk. A pixel is hidden when any of the bits fill (0), dilated
cloud (1), cirrus (2), cloud (3) or cloud shadow (4) is set. GDAL 3.6 has no bitwise pixel
function, so the mask is a lookup table over the 16-bit values: 255 where ``value % 32 == 0``
(those five bits clear), 0 elsewhere. Level-1 bundles carry a ``QA_PIXEL`` with the same bits, so
their composites are masked the same way (without units). QGIS shows a dataset mask as an alpha band, so masked
pixels are transparent; the composite's stretch is then taken from the unmasked pixels only.
"""

from __future__ import annotations

import logging
import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from osgeo import gdal
from qgis.core import QgsContrastEnhancement, QgsRasterLayer
from qgis.PyQt.QtCore import QCoreApplication

from . import settings, vrt_files

LOG = logging.getLogger(__name__)

REFLECTANCE = (0.0000275, -0.2)  # SR_B*: scale, offset -> reflectance
TEMPERATURE = (0.00341802, 149.0)  # ST_B*: scale, offset -> kelvin
QA_BAND = "QA_PIXEL"
MASK_BITS = 0b11111  # fill, dilated cloud, cirrus, cloud, cloud shadow
STRETCH_SAMPLE = 512  # pixels per side read to stretch a masked composite
_BAND = re.compile(r"_(?P<band>(?:SR|ST)_B\d{1,2})\.TIF$", re.IGNORECASE)
_ANY_BAND = re.compile(r"_(?:SR_|ST_)?B\d{1,2}\.TIF$", re.IGNORECASE)  # Level-1 (B4) or Level-2 (SR_B4)
_LEVEL1 = re.compile(r"^L[CEOTM]\d{2}_L1", re.IGNORECASE)


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderLandsatL2", message)


def mask_clouds() -> bool:
    """The switch: whether composites of Level-2 scenes hide what QA_PIXEL flags."""
    return bool(settings.value("mask_clouds"))


def scaling(band: str, product: str = "") -> tuple[float, float] | None:
    """(scale, offset) of a Level-2 band (``SR_B4``, ``ST_B10``); None for any other band."""
    if _LEVEL1.match(product or ""):
        return None
    name = band.upper()
    if re.fullmatch(r"SR_B\d{1,2}", name):
        return REFLECTANCE
    if re.fullmatch(r"ST_B\d{1,2}", name):
        return TEMPERATURE
    return None


def band_of(path: str) -> str:
    """``SR_B4`` for ``.../<product>_SR_B4.TIF``; "" when the file is no Level-2 band."""
    match = _BAND.search(str(path))
    return match.group("band").upper() if match else ""


def scale_bands(vrt, paths: list[str], product: str = "") -> None:
    """Write the scale and offset of each Level-2 band into the VRT's bands (one per path, in order)."""
    for index, path in enumerate(paths, start=1):
        factors = scaling(band_of(path), product)
        if factors is not None:
            band = vrt.GetRasterBand(index)
            band.SetScale(factors[0])
            band.SetOffset(factors[1])


def band_source(name: str, band: str, path: str, folder: Path | None) -> str:
    """What a band layer opens: for a Level-2 band, a one-band VRT over ``path`` with its scale and
    offset, saved beside the data (see :mod:`.vrt_files`); any other band, ``path`` itself."""
    factors = scaling(band, name)
    if factors is None:
        return path
    source = path if path.startswith("/vsi") else str(Path(path).resolve())
    memory = f"/vsimem/scene_finder/{uuid.uuid4().hex}_{band}.vrt"
    vrt = gdal.BuildVRT(memory, [source])
    if vrt is None:
        LOG.warning("GDAL could not build the VRT of %s %s; opening the band without its units", name, band)
        return path
    try:
        vrt.GetRasterBand(1).SetScale(factors[0])
        vrt.GetRasterBand(1).SetOffset(factors[1])
        vrt.FlushCache()
        vrt = None
        data = vrt_files.vsimem_bytes(memory)
    finally:
        vrt = None
        gdal.Unlink(memory)
    if data is None:
        return path
    return str(vrt_files.save_vrt(data, f"{name}_{band}.vrt", folder, source=source))


def qa_path(band_path: str) -> str | None:
    """The ``QA_PIXEL`` file of the scene of ``band_path`` (same folder or archive), if it is there. Level-1
    products have one too, with the same bits."""
    if not _ANY_BAND.search(band_path):
        return None
    candidate = _ANY_BAND.sub(f"_{QA_BAND}.TIF", band_path)
    return candidate if gdal.VSIStatL(candidate) is not None else None


def mask_lookup() -> str:
    """The LUT of the mask: QA value -> 255 (shown) when no MASK_BITS bit is set, else 0 (hidden)."""
    step = MASK_BITS + 1
    points = []
    for value in range(0, 65536, step):
        if value:
            points.append(f"{value - 1}:0")
        points.append(f"{value}:255")
        points.append(f"{value + 1}:0")
    points.append("65535:0")
    return ",".join(points)


def with_cloud_mask(data: bytes, band_paths: list[str]) -> tuple[bytes, str | None]:
    """The composite VRT ``data`` with a dataset mask band from the scene's QA_PIXEL; (data, None) when
    masked, else (data unchanged, why not) - no QA_PIXEL band, or one on another grid."""
    qa = next((p for p in map(qa_path, band_paths) if p), None)
    if qa is None:
        return data, tr("no QA_PIXEL band beside its bands")
    root = ET.fromstring(data)
    size = (int(root.get("rasterXSize", 0)), int(root.get("rasterYSize", 0)))
    source = gdal.Open(qa)
    if source is None:
        return data, tr("its QA_PIXEL band could not be read")
    transform = [float(v) for v in (root.findtext("GeoTransform") or "").split(",") if v.strip()]
    same_grid = (source.RasterXSize, source.RasterYSize) == size and len(transform) == 6 and all(
        abs(a - b) < 1e-6 for a, b in zip(source.GetGeoTransform(), transform))
    source = None
    if not same_grid:
        return data, tr("its QA_PIXEL band is on another grid")
    mask = ET.SubElement(root, "MaskBand")
    band = ET.SubElement(mask, "VRTRasterBand", dataType="Byte")
    complex_source = ET.SubElement(band, "ComplexSource")
    ET.SubElement(complex_source, "SourceFilename", relativeToVRT="0").text = qa
    ET.SubElement(complex_source, "SourceBand").text = "1"
    rect = {"xOff": "0", "yOff": "0", "xSize": str(size[0]), "ySize": str(size[1])}
    ET.SubElement(complex_source, "SrcRect", rect)
    ET.SubElement(complex_source, "DstRect", rect)
    ET.SubElement(complex_source, "LUT").text = mask_lookup()
    return ET.tostring(root), None


def _sample_shape(dataset) -> dict:
    width, height = dataset.RasterXSize, dataset.RasterYSize
    factor = max(1.0, max(width, height) / STRETCH_SAMPLE)
    return dict(buf_xsize=max(1, int(width / factor)), buf_ysize=max(1, int(height / factor)))


def _percentiles(band, shown, shape: dict, cut: tuple[float, float]) -> tuple[float, float] | None:
    """The ``cut`` percentiles of a band's pixels where ``shown`` (and not nodata), in the band's units
    (its scale and offset applied); None when no pixel counts."""
    values = band.ReadAsArray(**shape).astype(np.float64)
    valid = shown & (values != band.GetNoDataValue()) if band.GetNoDataValue() is not None else shown
    if not valid.any():
        return None
    values = values[valid] * (band.GetScale() or 1.0) + (band.GetOffset() or 0.0)
    low, high = (float(v) for v in np.quantile(values, cut))
    return low, high


def sampled_cut(source: str, band: int, cut: tuple[float, float]) -> tuple[float, float] | None:
    """The ``cut`` percentiles of band ``band`` of the raster ``source``, from a sample of its pixels read
    by GDAL, in the band's units. QGIS 3.44's histogram refuses bands that carry a scale and an offset
    (as Level-2 bands do here): their stretch is computed this way instead."""
    dataset = gdal.Open(source)
    if dataset is None or not 1 <= band <= dataset.RasterCount:
        return None
    shape = _sample_shape(dataset)
    raster = dataset.GetRasterBand(band)
    return _percentiles(raster, raster.GetMaskBand().ReadAsArray(**shape) > 0, shape, cut)


def stretch_unmasked(layer: QgsRasterLayer, cut: tuple[float, float]) -> None:
    """Stretch each band of a masked composite from the ``cut`` percentiles of its unmasked pixels,
    in the band's units (clouds, bright as they are, would otherwise set the top of the stretch)."""
    dataset = gdal.Open(layer.source())
    renderer = layer.renderer()
    if dataset is None or renderer is None or not hasattr(renderer, "setRedContrastEnhancement"):
        return
    shape = _sample_shape(dataset)
    shown = dataset.GetRasterBand(1).GetMaskBand().ReadAsArray(**shape) > 0
    setters = (renderer.setRedContrastEnhancement, renderer.setGreenContrastEnhancement,
               renderer.setBlueContrastEnhancement)
    for index, setter in enumerate(setters, start=1):
        found = _percentiles(dataset.GetRasterBand(index), shown, shape, cut)
        if found is None:
            return  # all clouds: keep the stretch QGIS computed
        low, high = found
        enhancement = QgsContrastEnhancement(layer.dataProvider().dataType(index))
        enhancement.setContrastEnhancementAlgorithm(
            QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum)
        enhancement.setMinimumValue(low)
        enhancement.setMaximumValue(max(high, low + 1e-9))
        setter(enhancement)
