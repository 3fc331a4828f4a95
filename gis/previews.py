"""Browse overlays as map layers: a scene's preview placed where its footprint is.

Two kinds of overlay, as the scene results give them (:data:`..core.models.OVERLAY_TYPES`):

- ``dmid_wms``: the overlay path is a WMS for that scene (``.../wms/<dataset>?sceneId=..``). Its
  GetCapabilities is read through the plugin's own session (QGIS proxy and certificate
  authorities, redirects checked) and kept on disk; the layer is a QGIS ``wms`` layer on the
  overlay path as given (its query, e.g. ``sceneId``, is kept: ``IgnoreGetMapUrl``), PNG with
  transparency when offered, in the map's CRS when the server has it, else EPSG:3857 or
  EPSG:4326. The QGIS network manager that draws it uses the QGIS proxy too; no credential of
  ours is attached to it (no ``authcfg``: the M2M key and the Carbon Mapper token stay with their APIs).
- ``file``: a browse image (JPEG, or a PNG quick-look) whose four corners are the footprint's four
  corners. It is fetched once per scene into the previews cache (``<download folder>/previews/``),
  then placed with a GCP VRT (the four corners) and a warped VRT over it (thin-plate spline:
  the corners land exactly; nothing is resampled to disk, the VRTs point at the image) with an
  alpha band: outside the footprint the layer is transparent, no black collar.

- ``cm_plume`` (Carbon Mapper plumes; the overlay "path" is the plume id): the plume's STAC item gives
  its quick-look (``plume-rgb.png``, else ``plume.png``; signed links are never stored, so the item
  is asked for at the time) and its north-up bounds, whose corners place it as a ``file`` overlay.
  The bearer token goes only where the download rules send it (the API's own asset host).
Pure GDAL and file work here (any thread); layers are built by :func:`make_layer`.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from osgeo import gdal, osr

from ..core.errors import SceneFinderError

OVERLAY_WMS = "dmid_wms"
OVERLAY_FILE = "file"
OVERLAY_CM_PLUME = "cm_plume"
PLUME_QUICKLOOKS = ("plume-rgb.png", "plume.png")
IMAGE_NAME = "browse"
GCP_VRT = "frame.vrt"
PREVIEW_VRT = "preview.vrt"
CAPABILITIES = "capabilities.xml"
PREFERRED_CRS = ("EPSG:3857", "EPSG:4326")
PROPERTY_KEY = "scene_finder/preview_key"  # layer custom property: the scene the preview belongs to


class PreviewError(SceneFinderError):
    default_message = "The preview could not be shown."


@dataclass(frozen=True)
class PreviewSpec:
    """What a preview needs: the scene, its overlay and its footprint (shapely, EPSG:4326)."""

    key: str
    label: str
    overlay_type: str
    overlay_url: str
    footprint: Any = None


@dataclass
class WmsInfo:
    layer: str
    crs: list[str]
    formats: list[str]


@dataclass
class PreparedPreview:
    """A preview ready to become a layer: a VRT path (``file``) or a WMS layer's URI (``dmid_wms``)."""

    spec: PreviewSpec
    provider: str  # "gdal" or "wms"
    source: str
    from_cache: bool = False


# --- which overlay a result has ------------------------------------------------------------
def _value(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def _scene_overlay(record: Any, key: str) -> tuple[str, str] | None:
    kind, url = _value(record, "overlay_type"), _value(record, "overlay_url")
    return (str(kind), str(url)) if kind and url else None


def _plume_overlay(record: Any, key: str) -> tuple[str, str]:
    return OVERLAY_CM_PLUME, str(_value(record, "plume_id") or key)


# results-table row kind (gis.sources.Source.kind) -> (overlay type, overlay path) of a row's record
_OVERLAYS = {"landsat": _scene_overlay, "plume": _plume_overlay}


def needs_footprint(overlay_type: str) -> bool:
    """Whether the overlay is placed on the result's footprint (plumes are placed on their own bounds)."""
    return overlay_type != OVERLAY_CM_PLUME


def service_of(overlay_type: str) -> str | None:
    """The service (:data:`.clients.SERVICES` key) whose credentials the overlay needs, if any."""
    from .auth import SERVICE_CARBONMAPPER

    return SERVICE_CARBONMAPPER if overlay_type == OVERLAY_CM_PLUME else None


def overlay_of(kind: str, record: Any, key: str) -> tuple[str, str] | None:
    """``(overlay type, overlay path)`` of a result (its record as read from the results layer), or
    None when it has none Scene Finder can place (Carbon Mapper scenes have none)."""
    overlay = _OVERLAYS.get(kind)
    return overlay(record, key) if overlay is not None and record is not None else None


# --- where the files go --------------------------------------------------------------------
def scene_folder(root: Path, key: str) -> Path:
    """The cache folder of one scene: its key made file-safe, plus a short hash against clashes."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", key)[:80] or "scene"
    return Path(root) / f"{safe}_{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _url_stamp(url: str) -> str:
    """The overlay path without its query's signature, for telling whether a cached image is current."""
    parts = urlsplit(url)
    keep = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in
            ("signature", "expires", "awsaccesskeyid", "key-pair-id", "x-amz-signature", "x-amz-date",
             "x-amz-credential", "x-amz-security-token", "c")]
    return hashlib.sha1(urlunsplit(parts._replace(query=urlencode(keep))).encode("utf-8")).hexdigest()


# --- footprint corners ---------------------------------------------------------------------
def frame_corners(footprint) -> list[tuple[float, float]]:
    """The footprint corners that the image's upper-left, upper-right, lower-right and lower-left
    corners go to.

    The footprint's outer ring (the largest part of a multi-polygon) is reduced to the four vertices
    that lie furthest towards north-west, north-east, south-east and south-west of its centre
    (longitudes scaled by the cosine of the latitude): the scene's corners for a footprint turned
    less than 45 degrees from north-up, as Landsat's are.
    """
    import math

    if footprint is None or footprint.is_empty:
        raise PreviewError("The scene has no footprint to place its preview on.")
    polygon = max(getattr(footprint, "geoms", [footprint]), key=lambda g: g.area)
    points = list(polygon.exterior.coords)[:-1]
    if len(points) < 3:
        raise PreviewError("The scene's footprint is not an area: its preview cannot be placed.")
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    scale = max(math.cos(math.radians(cy)), 0.05)
    corners = []
    for sx, sy in ((-1, 1), (1, 1), (1, -1), (-1, -1)):  # UL, UR, LR, LL
        corners.append(max(points, key=lambda p: sx * (p[0] - cx) * scale + sy * (p[1] - cy)))
    if len(set(corners)) < 4:
        raise PreviewError("The scene's footprint has no four distinct corners: its preview cannot be placed.")
    return corners


# --- file overlays: GCP VRT + warped VRT ---------------------------------------------------
def build_vrt(image: Path, corners: list[tuple[float, float]], folder: Path) -> Path:
    """The warped VRT placing ``image`` on ``corners`` (UL, UR, LR, LL), with an alpha band."""
    source = gdal.Open(str(image))
    if source is None:
        raise PreviewError("The preview image could not be read (not a JPEG or PNG?).")
    width, height, bands = source.RasterXSize, source.RasterYSize, source.RasterCount
    source = None
    pixels = ((0, 0), (width, 0), (width, height), (0, height))
    gcps = [gdal.GCP(x, y, 0.0, col, row) for (x, y), (col, row) in zip(corners, pixels)]
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    gcp_path = folder / GCP_VRT
    final = folder / PREVIEW_VRT
    tmp = folder / f"{PREVIEW_VRT}.{os.getpid()}.{threading.get_ident()}.part.vrt"
    # Four bands (RGBA PNG): the image's own alpha is kept; otherwise the warp adds one.
    band_list = [1, 2, 3] if bands >= 3 else [1]
    translated = gdal.Translate(str(gcp_path), str(image), format="VRT", GCPs=gcps, outputSRS=wgs84.ExportToWkt(),
                                bandList=band_list + ([4] if bands == 4 else []))
    if translated is None:
        raise PreviewError(f"The preview could not be placed (GDAL: {gdal.GetLastErrorMsg()}).")
    translated = None
    options = gdal.WarpOptions(format="VRT", dstSRS="EPSG:4326", tps=True, resampleAlg="bilinear",
                               dstAlpha=bands != 4, srcAlpha=bands == 4)
    warped = gdal.Warp(str(tmp), str(gcp_path), options=options)
    if warped is None:
        raise PreviewError(f"The preview could not be placed (GDAL: {gdal.GetLastErrorMsg()}).")
    warped = None
    # The warped VRT names its source by the path given; make it relative to the folder so the
    # cache can move with the download folder.
    text = tmp.read_text(encoding="utf-8").replace(str(gcp_path), GCP_VRT)
    text = text.replace('<SourceDataset relativeToVRT="0">', '<SourceDataset relativeToVRT="1">')
    tmp.unlink()
    _write_atomically(final, text.encode("utf-8"))
    return final


def _cached_file(spec: PreviewSpec, root: Path, stamp: str) -> PreparedPreview | None:
    folder = scene_folder(root, spec.key)
    final = folder / PREVIEW_VRT
    stamp_path = folder / "source.txt"
    images = sorted(folder.glob(f"{IMAGE_NAME}.*")) if folder.is_dir() else []
    if final.is_file() and images and stamp_path.is_file() and stamp_path.read_text("utf-8") == stamp:
        return PreparedPreview(spec, "gdal", str(final), from_cache=True)
    return None


def _place(spec: PreviewSpec, root: Path, data: bytes, corners, stamp: str) -> PreparedPreview:
    folder = scene_folder(root, spec.key)
    images = sorted(folder.glob(f"{IMAGE_NAME}.*")) if folder.is_dir() else []
    suffix = "png" if data.startswith(b"\x89PNG") else "jpg" if data.startswith(b"\xff\xd8") else None
    if suffix is None:
        raise PreviewError(f"The preview of {spec.label} is not a JPEG or PNG image: not shown.")
    for old in images:
        old.unlink()
    image = folder / f"{IMAGE_NAME}.{suffix}"
    _write_atomically(image, data)
    final = build_vrt(image, corners, folder)
    _write_atomically(folder / "source.txt", stamp.encode("utf-8"))
    return PreparedPreview(spec, "gdal", str(final))


def prepare_file(session, spec: PreviewSpec, root: Path, fetch, cancel=None) -> PreparedPreview:
    """Fetch the image once (``fetch(session, url, cancel) -> bytes``), then place it; cached per scene."""
    corners = frame_corners(spec.footprint)
    stamp = _url_stamp(spec.overlay_url) + repr([tuple(round(v, 7) for v in c) for c in corners])
    cached = _cached_file(spec, root, stamp)
    if cached is not None:
        return cached
    return _place(spec, root, fetch(session, spec.overlay_url, cancel), corners, stamp)


def prepare_plume(client, spec: PreviewSpec, root: Path, fetch, cancel=None) -> PreparedPreview:
    """A Carbon Mapper plume's quick-look on its bounds, through its STAC item (``client``: a
    CarbonMapperClient); ``fetch(session, url, cancel, headers=...) -> bytes``. Cached per plume."""
    from ..core.carbonmapper.stac import asset_downloads, plume_items

    stamp = f"cm_plume:{spec.overlay_url}"
    cached = _cached_file(spec, root, stamp)
    if cached is not None:
        return cached
    for item in plume_items(client, [spec.overlay_url], cancel=cancel):
        downloads = asset_downloads(client, [item], PLUME_QUICKLOOKS)
        if item.bbox is None or len(item.bbox) < 4 or not downloads:
            continue
        west, south, east, north = item.bbox[:4]
        corners = [(west, north), (east, north), (east, south), (west, south)]
        first = min(downloads, key=lambda d: PLUME_QUICKLOOKS.index(d.key.rsplit("/", 1)[-1]))
        headers = first.header_provider() if first.header_provider is not None else None
        return _place(spec, root, fetch(client.session, first.url, cancel, headers=headers), corners, stamp)
    raise PreviewError(f"Carbon Mapper gives no quick-look image of the plume {spec.label}.")


# --- WMS overlays --------------------------------------------------------------------------
def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` set in its query (case-insensitively replacing the same names)."""
    parts = urlsplit(url)
    names = {name.lower() for name in params}
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in names]
    return urlunsplit(parts._replace(query=urlencode(query + list(params.items()))))


def parse_capabilities(data: bytes) -> WmsInfo:
    """The first named layer of a WMS GetCapabilities document (1.1.1 or 1.3.0), its CRS and formats."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise PreviewError("The preview server's answer is not a WMS capabilities document.") from None

    def local(element) -> str:
        return element.tag.rsplit("}", 1)[-1]

    if local(root) == "ServiceExceptionReport":
        message = " ".join(t.strip() for t in root.itertext() if t.strip())[:200]
        raise PreviewError(f"The preview server refused: {message}")
    formats = []
    for element in root.iter():
        if local(element) == "GetMap":
            formats = [f.text.strip() for f in element if local(f) == "Format" and f.text]
            break

    def walk(layer, inherited: list[str]):
        crs = inherited + [c.text.strip() for c in layer if local(c) in ("CRS", "SRS") and c.text]
        name = next((c.text.strip() for c in layer if local(c) == "Name" and c.text), None)
        if name:
            return WmsInfo(name, crs, formats)
        for child in layer:
            if local(child) == "Layer":
                found = walk(child, crs)
                if found:
                    return found
        return None

    for element in root.iter():
        if local(element) == "Layer":
            info = walk(element, [])
            if info:
                return info
    raise PreviewError("The preview server offers no layer to show.")


def prepare_wms(session, spec: PreviewSpec, root: Path, fetch, cancel=None,
                map_crs: str | None = None) -> PreparedPreview:
    """Read (once per scene) the WMS's capabilities and return the QGIS ``wms`` URI of its layer."""
    folder = scene_folder(root, spec.key)
    path = folder / CAPABILITIES
    stamp_path = folder / "source.txt"
    stamp = _url_stamp(spec.overlay_url)
    from_cache = path.is_file() and stamp_path.is_file() and stamp_path.read_text("utf-8") == stamp
    if from_cache:
        info = parse_capabilities(path.read_bytes())
    else:
        url = with_query(spec.overlay_url, SERVICE="WMS", REQUEST="GetCapabilities")
        data = fetch(session, url, cancel)
        info = parse_capabilities(data)
        _write_atomically(path, data)
        _write_atomically(stamp_path, stamp.encode("utf-8"))
    return PreparedPreview(spec, "wms", wms_uri(spec.overlay_url, info, map_crs), from_cache=from_cache)


def wms_uri(url: str, info: WmsInfo, map_crs: str | None = None) -> str:
    """The QGIS ``wms`` provider URI: the map's CRS when offered, else EPSG:3857, else EPSG:4326."""
    from qgis.core import QgsDataSourceUri

    offered = [c.upper() for c in info.crs]
    crs = next((c for c in ([map_crs.upper()] if map_crs else []) + list(PREFERRED_CRS) if c in offered),
               offered[0] if offered else "EPSG:4326")
    image_format = next((f for f in ("image/png", "image/jpeg") if f in info.formats),
                        info.formats[0] if info.formats else "image/png")
    uri = QgsDataSourceUri()
    uri.setParam("crs", crs)
    uri.setParam("format", image_format)
    uri.setParam("layers", info.layer)
    uri.setParam("styles", "")
    uri.setParam("IgnoreGetMapUrl", "1")
    uri.setParam("url", url)
    return bytes(uri.encodedUri()).decode("utf-8")


def make_layer(prepared: PreparedPreview):
    """The QGIS raster layer of a prepared preview (any thread; move it to the main thread after)."""
    from qgis.core import QgsRasterLayer

    name = f"{prepared.spec.label} preview"
    layer = QgsRasterLayer(prepared.source, name, prepared.provider)
    if not layer.isValid():
        detail = layer.error().summary() if layer.error() else ""
        raise PreviewError(f"The preview of {prepared.spec.label} could not be opened. {detail}".strip())
    layer.setCustomProperty(PROPERTY_KEY, prepared.spec.key)
    return layer
