"""The footprint pieces inside the area of interest: the disjoint parts the set cover counts.

1. Footprints that miss the area of interest (AOI) are left out: a bounding-box test, then a
   prepared intersects.
2. Near-identical footprints form one *shape group*. Path/row footprints repeat the same shape
   at every revisit, moved by a few hundred metres: a footprint joins a group when its bounds
   and its vertices (Hausdorff distance) are within ``tolerance`` times its bounding-box
   diagonal of the group's first footprint, which stands for the group. Candidates are looked
   up in a hash grid of the footprints' centres: no pairwise comparison of all footprints.
3. Each group's shape is clipped to the AOI; their boundaries and the AOI's are noded together
   (``unary_union``) and polygonized into the *atoms*: faces that every group either covers
   whole or misses. Which groups cover an atom is asked of an STRtree with one inner point of
   the atom. The overlay is made once for the groups, not once per footprint nor per window.
   When the groups overlap in more than :data:`OVERLAP_LIMIT` pairs (thousands of distinct,
   crossing footprints, whose exact pieces grow with the square of their count) the atoms are
   the cells of a grid over the AOI instead (:mod:`.grid`).
4. An atom weighs its area; with geographic coordinates (degrees, the default) times the cosine
   of its latitude, so shares are shares of the ground, not of the map in degrees.

Works with shapely 1.8 (STRtree returns geometries) and 2.x (it returns indices).
"""

from __future__ import annotations

import math
import statistics
import struct
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shapely.geometry import GeometryCollection, MultiPolygon, Polygon
from shapely.ops import polygonize, unary_union
from shapely.prepared import prep
from shapely.strtree import STRtree
from shapely.validation import make_valid

from ..cancel import CancelCheck, raise_if_cancelled
from ..compat import SHAPELY_2, wkb_writer

OVERLAP_LIMIT = 20_000  # overlapping pairs of shapes past which the AOI is cut into grid cells (:mod:`.grid`)
SAME_SHAPE_TOLERANCE = 0.025  # share of a footprint's bounding-box diagonal (about 5 km for a Landsat scene)
_MAX_REACH = 4  # hash-grid cells looked at on each side of a footprint's own


@dataclass
class Pieces:
    """The atoms of the AOI and the shape groups that cover them."""

    weights: list  # weight (area) of each atom inside the AOI
    total: float  # the AOI's weight: the sum of every atom's, covered or not
    group_atoms: list  # per group: the atoms it covers
    group_of: list  # per input footprint: its group, or None when it misses the AOI


def _polygonal(geometry):
    """The polygonal part of ``geometry`` (a clip may leave lines and points behind)."""
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return geometry
    if isinstance(geometry, GeometryCollection):
        parts = [g for g in geometry.geoms if isinstance(g, (Polygon, MultiPolygon)) and not g.is_empty]
        return unary_union(parts) if parts else Polygon()
    return Polygon()


def _valid(geometry):
    return geometry if geometry.is_valid else _polygonal(make_valid(geometry))


def spatial_index(geometries: Sequence) -> Callable[[object], list]:
    """``query(geometry)`` -> indices of ``geometries`` whose boxes meet its box (shapely 1.8 and 2.x)."""
    if SHAPELY_2:
        tree = STRtree(geometries)
        return lambda geometry: [int(i) for i in tree.query(geometry)]
    with warnings.catch_warnings():  # 1.8 warns that the 2.0 STRtree will differ: we handle both
        warnings.simplefilter("ignore")
        tree = STRtree(geometries)
    ids = {id(g): i for i, g in enumerate(geometries)}

    def query(geometry) -> list:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [ids[id(g)] for g in tree.query(geometry)]

    return query


def _ring_bounds(data: bytes, offset: int, order: str, bounds: list) -> int:
    """Widen ``bounds`` by the ring at ``offset`` of a WKB; the offset after it."""
    count = struct.unpack_from(order + "I", data, offset)[0]
    values = struct.unpack_from(f"{order}{2 * count}d", data, offset + 4)
    xs, ys = values[0::2], values[1::2]
    if xs:
        bounds[0], bounds[1] = min(bounds[0], *xs), min(bounds[1], *ys)
        bounds[2], bounds[3] = max(bounds[2], *xs), max(bounds[3], *ys)
    return offset + 4 + 16 * count


def _wkb_bounds(data: bytes) -> tuple | None:
    """(minx, miny, maxx, maxy) of a 2D WKB Polygon or MultiPolygon read from its outer rings; None otherwise."""
    order = "<" if data[0] == 1 else ">"
    kind = struct.unpack_from(order + "I", data, 1)[0]
    bounds = [math.inf, math.inf, -math.inf, -math.inf]
    if kind == 3:
        polygons, offset = [5], None
    elif kind == 6:
        polygons, offset = [], 9
        for _ in range(struct.unpack_from(order + "I", data, 5)[0]):
            if data[offset] != data[0] or struct.unpack_from(order + "I", data, offset + 1)[0] != 3:
                return None
            polygons.append(offset + 5)
            rings = struct.unpack_from(order + "I", data, offset + 5)[0]
            offset += 9
            for _ in range(rings):
                offset += 4 + 16 * struct.unpack_from(order + "I", data, offset)[0]
    else:
        return None
    for start in polygons:
        if struct.unpack_from(order + "I", data, start)[0]:
            _ring_bounds(data, start + 4, order, bounds)
    return tuple(bounds) if bounds[0] <= bounds[2] else None


def all_bounds(geometries: Sequence) -> list:
    """The bounds of each geometry (None for None or empty ones), fast with shapely 1.8 and 2.x.

    shapely 1.8's ``bounds`` builds an envelope and reads its coordinates (about 15 µs a call):
    polygons are read from their WKB instead; shapely 2 has the vectorised ``bounds``.
    """
    if SHAPELY_2:
        import shapely

        values = shapely.bounds([g if g is not None else None for g in geometries]).tolist()
        return [None if b[0] != b[0] else tuple(b) for b in values]  # NaN: missing or empty
    write = wkb_writer()
    found = []
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            found.append(None)
            continue
        try:
            bounds = _wkb_bounds(write(geometry))
        except (struct.error, IndexError):
            bounds = None
        found.append(bounds if bounds is not None else geometry.bounds)
    return found


def _in_aoi(geometries: Sequence, aoi) -> list:
    """(index, geometry, bounds) of the footprints that meet the AOI."""
    west, south, east, north = aoi.bounds
    aoi_prepared = prep(aoi)
    kept = []
    for index, (geometry, bounds) in enumerate(zip(geometries, all_bounds(geometries))):
        if bounds is None:
            continue
        if bounds[0] > east or bounds[2] < west or bounds[1] > north or bounds[3] < south:
            continue
        try:
            meets = aoi_prepared.intersects(geometry)
        except Exception:  # noqa: BLE001 - GEOS refuses some invalid shapes (a self-crossing ring): repaired
            geometry = _valid(geometry)
            meets = not geometry.is_empty and aoi_prepared.intersects(geometry)
        if meets:
            kept.append((index, geometry, bounds))
    return kept


def group_shapes(kept: list, tolerance: float, cancel: CancelCheck = None) -> tuple[list, list]:
    """(group of each kept footprint, each group's standing footprint) for (index, geometry, bounds) rows."""
    diagonals = [math.hypot(b[2] - b[0], b[3] - b[1]) for _, _, b in kept]
    cell = tolerance * statistics.median(diagonals) if diagonals else 0.0
    if cell <= 0.0:
        cell = 1e-9
    grid: dict = {}
    groups: list = []  # (geometry, bounds)
    group_of = []
    for n, ((_, geometry, bounds), diagonal) in enumerate(zip(kept, diagonals)):
        if n % 2000 == 0:
            raise_if_cancelled(cancel)
        slack = tolerance * diagonal
        kx = math.floor((bounds[0] + bounds[2]) / (2 * cell))
        ky = math.floor((bounds[1] + bounds[3]) / (2 * cell))
        reach = min(_MAX_REACH, math.ceil(slack / cell))
        found = None
        for dx in range(-reach, reach + 1):
            for dy in range(-reach, reach + 1):
                for g in grid.get((kx + dx, ky + dy), ()):
                    other, other_bounds = groups[g]
                    if all(abs(a - b) <= slack for a, b in zip(bounds, other_bounds)) and (
                            geometry.equals_exact(other, slack) or geometry.hausdorff_distance(other) <= slack):
                        found = g
                        break
                if found is not None:
                    break
            if found is not None:
                break
        if found is None:
            found = len(groups)
            groups.append((geometry, bounds))
            grid.setdefault((kx, ky), []).append(found)
        group_of.append(found)
    return group_of, [geometry for geometry, _ in groups]


def _atoms(shapes: list, aoi, geographic: bool, cancel: CancelCheck) -> tuple[list, list, float]:
    """(atom weights, atoms of each shape, AOI weight) of the clipped ``shapes``."""
    raise_if_cancelled(cancel)
    lines = unary_union([aoi.boundary] + [s.boundary for s in shapes if not s.is_empty])
    raise_if_cancelled(cancel)
    aoi_prepared = prep(aoi)
    live = [i for i, s in enumerate(shapes) if not s.is_empty]
    query = spatial_index([shapes[i] for i in live]) if live else (lambda _: [])
    prepared = [prep(shapes[i]) for i in live]
    weights: list = []
    shape_atoms: list = [[] for _ in shapes]
    total = 0.0
    for n, face in enumerate(polygonize(lines)):
        if n % 2000 == 0:
            raise_if_cancelled(cancel)
        point = face.representative_point()
        if not aoi_prepared.contains(point):
            continue  # a hole of the AOI
        weight = face.area * (math.cos(math.radians(point.y)) if geographic else 1.0)
        if weight <= 0.0:
            continue
        total += weight
        covering = [live[j] for j in query(point) if prepared[j].contains(point)]
        if covering:
            atom = len(weights)
            weights.append(weight)
            for i in covering:
                shape_atoms[i].append(atom)
    return weights, shape_atoms, total


def _overlapping_pairs(shapes: list, limit: int) -> int:
    """How many pairs of ``shapes`` have overlapping boxes (counting stops past ``limit``): the exact
    overlay makes about as many pieces, and beyond a few ten thousand it is the slow part."""
    live = [s for s in shapes if not s.is_empty]
    if len(live) < 2:
        return 0
    query = spatial_index(live)
    pairs = 0
    for shape in live:
        pairs += len(query(shape)) - 1
        if pairs > 2 * limit:
            break
    return pairs // 2


def pieces(geometries: Sequence, aoi, tolerance: float = SAME_SHAPE_TOLERANCE, geographic: bool = True,
           cancel: CancelCheck = None) -> Pieces:
    """The atoms of ``aoi`` under the footprints ``geometries`` (shapely geometries or None)."""
    aoi = _valid(aoi)
    kept = _in_aoi(geometries, aoi)
    group_of_kept, shapes = group_shapes(kept, tolerance, cancel)
    clipped = []
    for shape in shapes:
        shape = _valid(shape)
        clipped.append(_polygonal(shape if shape.within(aoi) else shape.intersection(aoi)))
    if _overlapping_pairs(clipped, OVERLAP_LIMIT) > OVERLAP_LIMIT:
        from .grid import grid_atoms

        weights, group_atoms, total = grid_atoms(clipped, aoi, geographic, cancel)
    else:
        weights, group_atoms, total = _atoms(clipped, aoi, geographic, cancel)
    group_of: list = [None] * len(geometries)
    for (index, _, _), group in zip(kept, group_of_kept):
        group_of[index] = group
    return Pieces(weights=weights, total=total, group_atoms=group_atoms, group_of=group_of)
