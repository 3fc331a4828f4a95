"""Emulated ``sentinel_2a`` ("Sentinel-2", Level-1C tiles) and its ``.SAFE`` zips.

Scenes are 100 km MGRS tiles of UTM zone 18N around Albemarle Sound, every 5 days (Sentinel-2A
and -2B in turn). Entity and display ids are shaped like EarthExplorer's
(``L1C_T18SUE_A040273_20230326T155503``); the "L1C Tile in JPEG2000 format" product is a zip
named after the ESA product (``S2B_MSIL1C_20230326T155509_N0509_R011_T18SUE_20230326T193802.zip``)
holding the ``.SAFE`` folder in "SAFE compact" layout: ``MTD_MSIL1C.xml``, ``manifest.safe``,
``GRANULE/<granule>/MTD_TL.xml`` and the 13 bands plus TCI as JPEG2000 in ``IMG_DATA``, which
is all GDAL's SENTINEL2 driver needs for its 10 m / 20 m / 60 m subdatasets. The bands are tiny
(120, 60 and 20 pixels at their true 10, 20 and 60 m: the north-west 1.2 km of the tile) so that
a zip is under 400 KB.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

from ..vsimem import take
from . import archives
from .extra import OtherDataset, OtherScene, Product, filter_entry
from .texture import soil_share, utm_transforms, water_mask, waves

ALIAS = "sentinel_2a"
DATASET_ID = "5e83a42ca9977c30"
FORMAT_VERSION = 2  # part of the cache path: bump it when the generated files change
TEXTURE_ZOOM = 60  # the synthetic surface is magnified so that 1.2 km show land, water and clouds
ZONE, EPSG = 18, 32618
TILE_METRES = 109_800
TILE_ORIGINS = [(300000, 4100040), (399960, 4100040), (300000, 4000020), (399960, 4000020)]  # (ULX, ULY)
FIRST_DAY, LAST_DAY, REVISIT = dt.date(2022, 1, 3), dt.date(2024, 12, 29), 5
RESOLUTIONS = {10: 120, 20: 60, 60: 20}  # nominal resolution -> pixels across the tile
BANDS = {"B01": 60, "B02": 10, "B03": 10, "B04": 10, "B05": 20, "B06": 20, "B07": 20, "B08": 10, "B8A": 20,
         "B09": 60, "B10": 60, "B11": 20, "B12": 20}
# Reflectance of each band for vegetation, soil, water and cloud (a rough MSI spectrum)
_SPECTRA = {
    "veg": [0.03, 0.04, 0.07, 0.05, 0.12, 0.26, 0.31, 0.32, 0.33, 0.12, 0.01, 0.18, 0.09],
    "soil": [0.09, 0.10, 0.14, 0.18, 0.20, 0.22, 0.24, 0.26, 0.27, 0.10, 0.01, 0.32, 0.27],
    "water": [0.05, 0.05, 0.04, 0.02, 0.015, 0.012, 0.012, 0.012, 0.01, 0.005, 0.002, 0.006, 0.004],
    "cloud": [0.55, 0.55, 0.56, 0.57, 0.58, 0.60, 0.61, 0.62, 0.62, 0.40, 0.30, 0.45, 0.33],
}
L1C_PRODUCT_ID, BROWSE_PRODUCT_ID = "5e83a42c6eba8084", "5e83a42c8c2f7b1e"
ZIP_SIZE = 393_216
BROWSE_SIZE = 3 * 120 * 120 + 16_384
_S2A_EPOCH, _S2B_EPOCH = dt.date(2015, 6, 23), dt.date(2017, 3, 7)


def _mgrs_square(easting: float, northing: float) -> str:
    """The 100 km square letters of a point of zone 18 (MGRS, AA scheme)."""
    columns = "STUVWXYZ"  # zone 18 is in column set 6
    rows = "ABCDEFGHJKLMNPQRSTUV"
    return columns[int(easting // 100_000) - 1] + rows[(int(northing // 100_000) + 5) % 20]


def _lonlat(points):
    _, _, back = utm_transforms(EPSG)
    return [tuple(p[:2]) for p in back.TransformPoints([list(p) for p in points])]


def _make_scenes() -> list[OtherScene]:
    rng = random.Random(2015)
    scenes = []
    for ulx, uly in TILE_ORIGINS:
        tile = f"{ZONE}S{_mgrs_square(ulx + 1, uly - TILE_METRES + 1)}"
        quad = _lonlat([(ulx, uly - TILE_METRES), (ulx + TILE_METRES, uly - TILE_METRES),
                        (ulx + TILE_METRES, uly), (ulx, uly)])
        day = FIRST_DAY
        while day <= LAST_DAY:
            platform = "A" if (day - FIRST_DAY).days // REVISIT % 2 == 0 else "B"
            epoch = _S2A_EPOCH if platform == "A" else _S2B_EPOCH
            orbit = int((day - epoch).days * 14.3) + 11
            sensed = f"{day:%Y%m%d}T1555{rng.randint(0, 59):02d}"
            datatake = f"{day:%Y%m%d}T1550{rng.randint(0, 59):02d}"
            entity = f"L1C_T{tile}_A{orbit:06d}_{sensed}"
            cloud = round(rng.betavariate(0.6, 1.0) * 100, 4)
            esa = f"S2{platform}_MSIL1C_{datatake}_N0509_R011_T{tile}_{day:%Y%m%d}T19{rng.randint(0, 59):02d}02"
            scenes.append(OtherScene(entity, entity, day, quad, cloud, {
                "tile": f"T{tile}", "platform": f"SENTINEL-2{platform}", "esa_name": esa, "ulx": ulx, "uly": uly,
                "sensed": sensed, "orbit": orbit}, publish_delay=1))
            day += dt.timedelta(days=REVISIT)
    return scenes


def _grid(scene: OtherScene, pixels: int):
    pixel = 1200 / pixels
    centres = (np.arange(pixels) + 0.5) * pixel
    xs, ys = np.meshgrid(scene.ulx + centres, scene.uly - centres)
    points = _lonlat(np.column_stack([xs.ravel(), ys.ravel()]).tolist())
    lon = np.array([p[0] for p in points]).reshape(pixels, pixels)
    lat = np.array([p[1] for p in points]).reshape(pixels, pixels)
    return lon, lat


def _reflectance(scene: OtherScene, pixels: int) -> np.ndarray:
    """[13, pixels, pixels] top-of-atmosphere reflectance from the emulator's synthetic surface."""
    lon, lat = _grid(scene, pixels)
    lon0, lat0 = lon[0, 0], lat[0, 0]
    lon, lat = lon0 + (lon - lon0) * TEXTURE_ZOOM, lat0 + (lat - lat0) * TEXTURE_ZOOM
    water = water_mask(lon, lat)
    soil = soil_share(lon, lat)[None]
    spectra = {k: np.array(v)[:, None, None] for k, v in _SPECTRA.items()}
    refl = np.where(water[None], spectra["water"], spectra["veg"] * (1 - soil) + spectra["soil"] * soil)
    cloudiness = waves(lon, lat, scene.ordinal * 7 + scene.index, 0.5, 16)
    cover = (scene.cloud or 0.0) / 100.0
    if cover > 0:
        clouds = cloudiness > np.quantile(cloudiness, 1 - min(cover, 1.0))
        refl = np.where(clouds[None], spectra["cloud"], refl)
    return refl


def _jp2(data: np.ndarray, transform, data_type=gdal.GDT_UInt16) -> bytes:
    bands = data.shape[0] if data.ndim == 3 else 1
    rows, cols = data.shape[-2:]
    memory = gdal.GetDriverByName("MEM").Create("", cols, rows, bands, data_type)
    memory.SetGeoTransform(transform)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    memory.SetProjection(srs.ExportToWkt())
    for index in range(bands):
        memory.GetRasterBand(index + 1).WriteArray(data[index] if data.ndim == 3 else data)
    name = f"/vsimem/scene_finder_emulator_{id(memory)}.jp2"
    gdal.GetDriverByName("JP2OpenJPEG").CreateCopy(name, memory, options=["REVERSIBLE=YES", "QUALITY=100"])
    memory = None
    return take(name)


def _granule(scene: OtherScene) -> str:
    return f"L1C_{scene.tile}_A{scene.orbit:06d}_{scene.sensed}"


def _product_xml(scene: OtherScene, image_files: list[str]) -> str:
    files = "\n".join(f"            <IMAGE_FILE>{name}</IMAGE_FILE>" for name in image_files)
    west, south, east, north = scene.bounds
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<n1:Level-1C_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-1C.xsd">
<n1:General_Info>
  <Product_Info>
    <PRODUCT_START_TIME>{scene.acquired:%Y-%m-%d}T15:55:09.024Z</PRODUCT_START_TIME>
    <PRODUCT_STOP_TIME>{scene.acquired:%Y-%m-%d}T15:55:09.024Z</PRODUCT_STOP_TIME>
    <PRODUCT_URI>{scene.esa_name}.SAFE</PRODUCT_URI>
    <PROCESSING_LEVEL>Level-1C</PROCESSING_LEVEL>
    <PRODUCT_TYPE>S2MSI1C</PRODUCT_TYPE>
    <PROCESSING_BASELINE>05.09</PROCESSING_BASELINE>
    <GENERATION_TIME>{scene.l2_date:%Y-%m-%d}T19:38:02.000000Z</GENERATION_TIME>
    <Datatake datatakeIdentifier="G{scene.platform[-2:]}_{scene.sensed}_{scene.orbit:06d}_N05.09">
      <SPACECRAFT_NAME>Sentinel-2{scene.platform[-1]}</SPACECRAFT_NAME>
      <DATATAKE_TYPE>INS-NOBS</DATATAKE_TYPE>
      <SENSING_ORBIT_NUMBER>11</SENSING_ORBIT_NUMBER>
      <SENSING_ORBIT_DIRECTION>DESCENDING</SENSING_ORBIT_DIRECTION>
    </Datatake>
    <Query_Options completeSingleTile="true"><PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT></Query_Options>
    <Product_Organisation>
      <Granule_List>
        <Granule granuleIdentifier="{_granule(scene)}" imageFormat="JPEG2000">
{files}
        </Granule>
      </Granule_List>
    </Product_Organisation>
  </Product_Info>
  <Product_Image_Characteristics>
    <Special_Values><SPECIAL_VALUE_TEXT>NODATA</SPECIAL_VALUE_TEXT><SPECIAL_VALUE_INDEX>0</SPECIAL_VALUE_INDEX></Special_Values>
    <Special_Values><SPECIAL_VALUE_TEXT>SATURATED</SPECIAL_VALUE_TEXT><SPECIAL_VALUE_INDEX>65535</SPECIAL_VALUE_INDEX></Special_Values>
    <Image_Display_Order><RED_CHANNEL>4</RED_CHANNEL><GREEN_CHANNEL>3</GREEN_CHANNEL><BLUE_CHANNEL>2</BLUE_CHANNEL></Image_Display_Order>
    <QUANTIFICATION_VALUE unit="none">10000</QUANTIFICATION_VALUE>
    <Reflectance_Conversion><U>1.0</U></Reflectance_Conversion>
  </Product_Image_Characteristics>
</n1:General_Info>
<n1:Geometric_Info>
  <Product_Footprint><Product_Footprint><Global_Footprint>
    <EXT_POS_LIST>{south} {west} {north} {west} {north} {east} {south} {east} {south} {west}</EXT_POS_LIST>
  </Global_Footprint></Product_Footprint></Product_Footprint>
  <Coordinate_Reference_System><GEO_TABLES version="1">EPSG</GEO_TABLES>
    <HORIZONTAL_CS_TYPE>GEOGRAPHIC</HORIZONTAL_CS_TYPE></Coordinate_Reference_System>
</n1:Geometric_Info>
<n1:Quality_Indicators_Info><Cloud_Coverage_Assessment>{scene.cloud:.4f}</Cloud_Coverage_Assessment></n1:Quality_Indicators_Info>
</n1:Level-1C_User_Product>
"""


def _tile_xml(scene: OtherScene) -> str:
    sizes = "\n".join(f'      <Size resolution="{r}"><NROWS>{n}</NROWS><NCOLS>{n}</NCOLS></Size>'
                      for r, n in RESOLUTIONS.items())
    positions = "\n".join(
        f'      <Geoposition resolution="{r}"><ULX>{scene.ulx}</ULX><ULY>{scene.uly}</ULY>'
        f'<XDIM>{r}</XDIM><YDIM>-{r}</YDIM></Geoposition>'
        for r, n in RESOLUTIONS.items())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<n1:Level-1C_Tile_ID xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/S2_PDI_Level-1C_Tile_Metadata.xsd">
<n1:General_Info>
  <TILE_ID>{_granule(scene)}</TILE_ID>
  <SENSING_TIME>{scene.acquired:%Y-%m-%d}T15:55:09.024Z</SENSING_TIME>
</n1:General_Info>
<n1:Geometric_Info>
  <Tile_Geocoding>
    <HORIZONTAL_CS_NAME>WGS84 / UTM zone {ZONE}N</HORIZONTAL_CS_NAME>
    <HORIZONTAL_CS_CODE>EPSG:{EPSG}</HORIZONTAL_CS_CODE>
{sizes}
{positions}
  </Tile_Geocoding>
</n1:Geometric_Info>
</n1:Level-1C_Tile_ID>
"""


def _safe_members(scene: OtherScene) -> list[tuple[str, bytes]]:
    safe = f"{scene.esa_name}.SAFE"
    granule = f"GRANULE/{_granule(scene)}"
    prefix = f"{scene.tile}_{scene.sensed}"
    refl = {res: _reflectance(scene, pixels) for res, pixels in RESOLUTIONS.items()}
    members, image_files = [], []
    for index, (band, res) in enumerate(BANDS.items()):
        dn = np.clip(refl[res][index] * 10000, 1, 65535).astype(np.uint16)
        transform = (scene.ulx, res, 0.0, scene.uly, 0.0, -res)
        image_files.append(f"{granule}/IMG_DATA/{prefix}_{band}")
        members.append((f"{safe}/{image_files[-1]}.jp2", _jp2(dn, transform)))
    tci = np.clip(refl[10][[3, 2, 1]] / 0.3 * 255, 0, 255).astype(np.uint8)
    image_files.append(f"{granule}/IMG_DATA/{prefix}_TCI")
    transform = (scene.ulx, 10, 0.0, scene.uly, 0.0, -10)
    members.append((f"{safe}/{image_files[-1]}.jp2", _jp2(tci, transform, gdal.GDT_Byte)))
    members.append((f"{safe}/{granule}/MTD_TL.xml", _tile_xml(scene).encode()))
    members.append((f"{safe}/MTD_MSIL1C.xml", _product_xml(scene, image_files).encode()))
    manifest = (f'<?xml version="1.0" encoding="UTF-8"?>\n<xfdu:XFDU xmlns:xfdu="urn:ccsds:schema:xfdu:1" '
                f'version="esa/safe/sentinel/1.1/sentinel-2/msi/archive_l1c_user_product">'
                f'<!-- {scene.esa_name} --></xfdu:XFDU>\n')
    members.append((f"{safe}/manifest.safe", manifest.encode()))
    return members


def _zip_name(scene: OtherScene) -> str:
    return f"{scene.esa_name}.zip"


def _make_zip(cache_dir: Path, scene: OtherScene) -> Path:
    final = Path(cache_dir) / "m2m" / "sentinel2" / f"v{FORMAT_VERSION}" / _zip_name(scene)
    return archives.cached(final, lambda tmp: archives.write_zip(
        tmp, _safe_members(scene), f"{scene.esa_name}.SAFE/manifest.safe", ZIP_SIZE))


def _browse_name(scene: OtherScene) -> str:
    return f"{scene.display_id}.tif"


def _make_browse(cache_dir: Path, scene: OtherScene) -> Path:
    final = Path(cache_dir) / "m2m" / "sentinel2" / f"v{FORMAT_VERSION}" / _browse_name(scene)

    def make(tmp: Path) -> None:
        pixels = RESOLUTIONS[10]
        rgb = np.clip(_reflectance(scene, pixels)[[3, 2, 1]] / 0.3 * 255, 0, 255).astype(np.uint8)
        dataset = gdal.GetDriverByName("GTiff").Create(str(tmp), pixels, pixels, 3, gdal.GDT_Byte,
                                                       options=["COMPRESS=NONE"])
        dataset.SetGeoTransform((scene.ulx, 10, 0.0, scene.uly, 0.0, -10))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(EPSG)
        dataset.SetProjection(srs.ExportToWkt())
        for index in range(3):
            dataset.GetRasterBand(index + 1).WriteArray(rgb[index])
        dataset = None
        archives.pad_file(tmp, BROWSE_SIZE)

    return archives.cached(final, make)


def _metadata(scene: OtherScene) -> list[tuple[str, str]]:
    return [("Entity ID", scene.entity_id), ("Acquisition Start Date", f"{scene.acquired:%Y-%m-%d}"),
            ("Tile Number", scene.tile), ("Platform", scene.platform), ("Cloud Cover", scene.cloud_text() or ""),
            ("Product ID", scene.esa_name), ("Processing Baseline", "05.09"), ("Relative Orbit", "11")]


DATASET = OtherDataset(
    alias=ALIAS, dataset_id=DATASET_ID, collection_name="Sentinel-2",
    filters=[
        (filter_entry(ALIAS, "Entity ID", "ENTITY_ID like ?", "Text", "entity_id"), "entity_id"),
        (filter_entry(ALIAS, "Tile Number", "TILE_NUMBER like ?", "Text", "tile_number", size=6), "tile"),
        (filter_entry(ALIAS, "Platform", "PLATFORM = ?", "Select", "platform",
                      {"SENTINEL-2A": "Sentinel-2A", "SENTINEL-2B": "Sentinel-2B"}), "platform"),
    ],
    products=[
        Product(BROWSE_PRODUCT_ID, "D558", "Full Resolution Browse in GeoTIFF format", BROWSE_SIZE, _browse_name,
                _make_browse, "image/tiff"),
        Product(L1C_PRODUCT_ID, "D557", "L1C Tile in JPEG2000 format", ZIP_SIZE, _zip_name, _make_zip,
                "application/zip"),
    ],
    make_scenes=_make_scenes, metadata=_metadata,
)
