"""The emulated USGS image server (``ims.cr.usgs.gov``): browse JPEGs and a small per-scene WMS.

Routes (under ``/ims/``), as the overlay paths of scene results point to them:
- ``browse/<dataset>/<path>/<row>/<displayId>[_therm].jpg``: the scene-frame browse JPEG of a ``file``
  overlay (:func:`.overlays.frame_jpeg`), cached under the emulator's cache_dir;
- ``wms/<dataset>?sceneId=<entity id, lower case>`` with ``SERVICE=WMS``: ``REQUEST=GetCapabilities``
  (WMS 1.3.0, or 1.1.1 when asked: one layer named ``<dataset>``, EPSG:4326 and EPSG:3857, PNG and
  JPEG) and ``REQUEST=GetMap`` (``LAYERS=<dataset>``, ``CRS``/``SRS``, ``BBOX``, ``WIDTH``/``HEIGHT``
  up to 2048, ``FORMAT``, ``TRANSPARENT``, ``BGCOLOR``). Version 1.3.0 with EPSG:4326 takes the
  bounding box in latitude, longitude order, like a real 1.3.0 server. Errors are OGC
  ServiceExceptionReports (HTTP 200 for a bad request, 404 for an unknown scene).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from xml.sax.saxutils import escape

from ..http import Request, Response, file_response, json_response
from . import overlays

MAX_SIZE = 2048
CRS_LIST = ("EPSG:4326", "EPSG:3857")
FORMATS = ("image/png", "image/jpeg")
FORMAT_VERSION = 2  # part of the cache path: bump it when the generated JPEGs change

_lock = threading.Lock()


def browse_route(dataset: str, scene, kind: str = "refl") -> str:
    suffix = "_therm" if kind == "therm" else ""
    return f"browse/{dataset}/{scene.path:03d}/{scene.row:03d}/{scene.display_id}{suffix}.jpg"


def wms_route(dataset: str, scene) -> str:
    return f"wms/{dataset}?sceneId={scene.entity_id.lower()}"


def _exception(message: str, code: str = "InvalidParameterValue", status: int = 200) -> Response:
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ServiceExceptionReport version="1.3.0" '
            f'xmlns="http://www.opengis.net/ogc"><ServiceException code="{code}">{escape(message)}'
            f"</ServiceException></ServiceExceptionReport>")
    return Response(status, {"Content-Type": "application/vnd.ogc.se_xml"}, body.encode("utf-8"))


def capabilities(url: str, dataset: str, scene, version: str) -> str:
    west, south, east, north = scene.bounds
    crs_tag = "CRS" if version == "1.3.0" else "SRS"
    crs = "".join(f"<{crs_tag}>{c}</{crs_tag}>" for c in CRS_LIST)
    formats = "".join(f"<Format>{f}</Format>" for f in FORMATS)
    href = escape(url, {'"': "&quot;"})
    online = f'<OnlineResource xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="{href}"/>'
    dcp = f"<DCPType><HTTP><Get>{online}</Get></HTTP></DCPType>"
    if version == "1.3.0":
        geo = (f"<EX_GeographicBoundingBox><westBoundLongitude>{west}</westBoundLongitude>"
               f"<eastBoundLongitude>{east}</eastBoundLongitude><southBoundLatitude>{south}</southBoundLatitude>"
               f"<northBoundLatitude>{north}</northBoundLatitude></EX_GeographicBoundingBox>"
               f'<BoundingBox CRS="EPSG:4326" minx="{south}" miny="{west}" maxx="{north}" maxy="{east}"/>')
        root = '<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms">'
        end = "</WMS_Capabilities>"
        exception = "<Exception><Format>XML</Format></Exception>"
    else:
        geo = (f'<LatLonBoundingBox minx="{west}" miny="{south}" maxx="{east}" maxy="{north}"/>'
               f'<BoundingBox SRS="EPSG:4326" minx="{west}" miny="{south}" maxx="{east}" maxy="{north}"/>')
        root = '<WMT_MS_Capabilities version="1.1.1">'
        end = "</WMT_MS_Capabilities>"
        exception = "<Exception><Format>application/vnd.ogc.se_xml</Format></Exception>"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{root}<Service><Name>WMS</Name>'
            f"<Title>USGS browse overlays</Title>{online}</Service><Capability><Request>"
            f"<GetCapabilities><Format>text/xml</Format>{dcp}</GetCapabilities>"
            f"<GetMap>{formats}{dcp}</GetMap></Request>{exception}"
            f"<Layer><Title>{escape(scene.display_id)}</Title>{crs}{geo}"
            f'<Layer queryable="0" opaque="0"><Name>{escape(dataset)}</Name><Title>{escape(scene.display_id)}</Title>'
            f"{crs}{geo}</Layer></Layer></Capability>{end}")


class ImsService:
    name = "ims"
    prefix = "/ims/"

    def __init__(self, m2m):
        self.m2m = m2m

    def handle(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return json_response({"detail": "Not found"}, status=404)
        parts = request.route.split("/")
        if parts[0] == "browse" and len(parts) == 5 and parts[4].endswith(".jpg"):
            stem = parts[4][:-4]
            kind = "therm" if stem.endswith("_therm") else "refl"
            scene = self.m2m.catalog.by_display_id(stem[:-6] if kind == "therm" else stem)
            if scene is None:
                return json_response({"detail": "Not found"}, status=404)
            return file_response(request, self._jpeg(scene, kind), content_type="image/jpeg")
        if parts[0] == "wms" and len(parts) == 2:
            return self._wms(request, parts[1])
        return json_response({"detail": "Not found"}, status=404)

    def _jpeg(self, scene, kind: str) -> Path:
        final = Path(self.m2m.cache_dir) / "ims" / f"v{FORMAT_VERSION}" / f"{scene.display_id}_{kind}.jpg"
        if not final.is_file():
            with _lock:
                if not final.is_file():
                    final.parent.mkdir(parents=True, exist_ok=True)
                    tmp = final.with_name(f"{final.name}.{os.getpid()}.{threading.get_ident()}.tmp")
                    tmp.write_bytes(overlays.frame_jpeg(scene, kind))
                    os.replace(tmp, final)
        return final

    def _wms(self, request: Request, dataset: str) -> Response:
        args = {key.upper(): values[-1] for key, values in request.query.items() if values}
        scene_id = args.get("SCENEID", "")
        scene = self.m2m.catalog.ensure().by_entity.get(scene_id.upper())
        if scene is None:
            return _exception(f"Unknown sceneId {scene_id!r}", "LayerNotDefined", 404)
        if args.get("SERVICE", "WMS").upper() != "WMS":
            return _exception("SERVICE must be WMS")
        operation = args.get("REQUEST", "").lower()
        version = "1.1.1" if args.get("VERSION") in ("1.1.1", "1.1.0") else "1.3.0"
        if operation == "getcapabilities":
            url = f"{self.m2m.emulator.base_url}/ims/{wms_route(dataset, scene)}"
            return Response(200, {"Content-Type": "text/xml"}, capabilities(url, dataset, scene, version).encode())
        if operation != "getmap":
            return _exception(f"Unsupported REQUEST {args.get('REQUEST')!r}", "OperationNotSupported")
        if args.get("LAYERS") != dataset:
            return _exception(f"Unknown layer {args.get('LAYERS')!r}", "LayerNotDefined")
        crs = (args.get("CRS") or args.get("SRS") or "").upper()
        if crs not in CRS_LIST:
            return _exception(f"Unsupported CRS {crs!r}", "InvalidCRS")
        image_format = args.get("FORMAT", "image/png").lower()
        if image_format not in FORMATS:
            return _exception(f"Unsupported FORMAT {image_format!r}", "InvalidFormat")
        try:
            bbox = tuple(float(v) for v in args.get("BBOX", "").split(","))
            width, height = int(args.get("WIDTH", "")), int(args.get("HEIGHT", ""))
        except ValueError:
            return _exception("BBOX, WIDTH and HEIGHT must be numbers")
        if len(bbox) != 4 or not (0 < width <= MAX_SIZE and 0 < height <= MAX_SIZE):
            return _exception(f"BBOX needs four numbers and WIDTH, HEIGHT 1 to {MAX_SIZE}")
        if version == "1.3.0" and crs == "EPSG:4326":
            bbox = (bbox[1], bbox[0], bbox[3], bbox[2])
        colour = args.get("BGCOLOR", "0xFFFFFF")
        try:
            background = tuple(int(colour[i:i + 2], 16) for i in (2, 4, 6))
        except ValueError:
            background = (255, 255, 255)
        body = overlays.wms_image(scene, crs, bbox, width, height, image_format,
                                  args.get("TRANSPARENT", "FALSE").upper() == "TRUE", background)
        return Response(200, {"Content-Type": image_format}, body)
