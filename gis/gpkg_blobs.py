"""GeoPackage geometry blobs of polygon footprints, made from shapely's WKB without OGR.

A blob is the GeoPackage header ("GP", version 0, flags: little endian with an xy envelope,
the srs id, the envelope minx, maxx, miny, maxy) followed by the geometry's WKB, here always a
2D MultiPolygon (http://www.geopackage.org/spec/#gpb_format). The usual footprint, a
little-endian 2D Polygon, is wrapped as a MultiPolygon of one part and its envelope read from
its outer ring, in a few microseconds; anything else (3D, big endian, collections) goes
through OGR. :func:`.carbonmapper_gpkg.gpkg_geometry` reads blobs back.
"""

from __future__ import annotations

import struct

from osgeo import ogr

SRS_ID = 4326

_GPKG_HEADER = b"GP\x00\x03" + struct.pack("<i", SRS_ID)
_ENVELOPE = struct.Struct("<4d")  # minx, maxx, miny, maxy
_MULTI_OF_ONE = b"\x01\x06\x00\x00\x00\x01\x00\x00\x00"  # little-endian MultiPolygon of 1 part
_UINT = struct.Struct("<I")

Envelope = tuple[float, float, float, float]


_COORDINATES: dict[int, struct.Struct] = {}  # by point count


def _ring_envelope(wkb: bytes, offset: int) -> tuple[Envelope, int]:
    """The envelope of the little-endian WKB ring at ``offset`` (its point count) and where it ends."""
    points = _UINT.unpack_from(wkb, offset)[0]
    coordinates = _COORDINATES.get(points)
    if coordinates is None:
        coordinates = _COORDINATES[points] = struct.Struct(f"<{2 * points}d")
    values = coordinates.unpack_from(wkb, offset + 4)
    xs, ys = values[0::2], values[1::2]
    return (min(xs), max(xs), min(ys), max(ys)), offset + 4 + 16 * points


def _polygon_envelope(wkb: bytes, offset: int) -> tuple[Envelope | None, int]:
    """A little-endian 2D WKB polygon at ``offset``: its outer ring's envelope (None: empty) and its end."""
    if wkb[offset] != 1 or _UINT.unpack_from(wkb, offset + 1)[0] != 3:
        raise ValueError("not a little-endian 2D polygon")
    rings = _UINT.unpack_from(wkb, offset + 5)[0]
    offset += 9
    envelope = None
    for index in range(rings):
        if index == 0:
            envelope, offset = _ring_envelope(wkb, offset)
        else:  # holes lie inside the outer ring
            offset += 4 + 16 * _UINT.unpack_from(wkb, offset)[0]
    return envelope, offset


def _fast_multipolygon(wkb: bytes) -> tuple[bytes, Envelope] | None:
    """MultiPolygon WKB and envelope of a little-endian 2D (Multi)Polygon WKB; None when empty."""
    kind = _UINT.unpack_from(wkb, 1)[0]
    if kind == 3:
        envelope, _ = _polygon_envelope(wkb, 0)
        return None if envelope is None else (_MULTI_OF_ONE + wkb, envelope)
    if kind != 6:
        raise ValueError("not a polygon")
    offset, boxes = 9, []
    for _ in range(_UINT.unpack_from(wkb, 5)[0]):
        envelope, offset = _polygon_envelope(wkb, offset)
        if envelope is not None:
            boxes.append(envelope)
    if not boxes:
        return None
    minx, maxx, miny, maxy = zip(*boxes)
    return wkb, (min(minx), max(maxx), min(miny), max(maxy))


def _polygons(geometry: ogr.Geometry) -> list[ogr.Geometry]:
    kind = geometry.GetGeometryType()
    if kind == ogr.wkbPolygon:
        return [geometry] if not geometry.IsEmpty() else []
    if kind in (ogr.wkbMultiPolygon, ogr.wkbGeometryCollection):
        return [p for i in range(geometry.GetGeometryCount()) for p in _polygons(geometry.GetGeometryRef(i))]
    return []  # points and lines: no area


def _ogr_multipolygon(wkb: bytes) -> tuple[bytes, Envelope] | None:
    """Any other geometry (3D, big-endian, collections made by make_valid...): its polygons, by OGR."""
    geometry = ogr.CreateGeometryFromWkb(wkb)
    if geometry is None:
        return None
    geometry.FlattenTo2D()
    multi = ogr.Geometry(ogr.wkbMultiPolygon)
    for polygon in _polygons(geometry):
        multi.AddGeometry(polygon)
    if multi.IsEmpty():
        return None  # nothing areal in it: no footprint rather than a wrong type in the layer
    return bytes(multi.ExportToIsoWkb(ogr.wkbNDR)), multi.GetEnvelope()


def footprint_blob(wkb: bytes) -> tuple[bytes, Envelope] | None:
    """The GeoPackage MultiPolygon blob of a footprint's WKB and its envelope (None: no footprint)."""
    if len(wkb) < 9:
        return None
    try:
        made = _fast_multipolygon(wkb) if wkb[0] == 1 else _ogr_multipolygon(wkb)
    except (ValueError, struct.error):
        made = _ogr_multipolygon(wkb)
    if made is None:
        return None
    multi, envelope = made
    return _GPKG_HEADER + _ENVELOPE.pack(*envelope) + multi, envelope
