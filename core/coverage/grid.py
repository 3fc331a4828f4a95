"""Grid pieces: the AOI cut into cells, for footprints too many and too tangled for an exact overlay.

Many distinct, crossing footprints (flight lines at every angle, say) cut the AOI into a number of
exact pieces that grows with the square of their count. Past :data:`..pieces.OVERLAP_LIMIT`
overlapping pairs the planner counts cells of a regular grid instead: about :data:`CELLS` cells
over the AOI's bounding box, a cell belonging to the AOI or to a footprint when its centre lies
inside (even-odd rule, holes and multipolygons included). Shapes are rasterised by scanlines in
plain Python: the cost grows with the cells covered, not with the footprints' overlaps. Shares
are then exact to the grid's resolution (about 0.4 % of the AOI's width), which is what a cover
to 99 % needs.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence

from ..cancel import CancelCheck, raise_if_cancelled

CELLS = 62_500


def _rings(geometry) -> list:
    """Every ring (exterior and interiors) of a Polygon or MultiPolygon, as coordinate lists."""
    parts = getattr(geometry, "geoms", None)
    polygons = list(parts) if parts is not None else [geometry]
    rings = []
    for polygon in polygons:
        if polygon.is_empty or not hasattr(polygon, "exterior"):
            continue
        rings.append(list(polygon.exterior.coords))
        rings.extend(list(ring.coords) for ring in polygon.interiors)
    return rings


class Grid:
    """A grid over ``bounds`` (west, south, east, north) of about :data:`CELLS` square-ish cells."""

    def __init__(self, bounds: tuple, cells: int = CELLS):
        west, south, east, north = bounds
        width, height = max(east - west, 1e-12), max(north - south, 1e-12)
        size = math.sqrt(width * height / cells)
        self.nx, self.ny = max(1, round(width / size)), max(1, round(height / size))
        self.west, self.south = west, south
        self.dx, self.dy = width / self.nx, height / self.ny

    def cells(self, geometry) -> list:
        """Indices (row * nx + column) of the cells whose centres lie inside ``geometry``."""
        crossings: dict = {}
        for ring in _rings(geometry):
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                if y1 == y2:
                    continue
                low, high = (y1, y2) if y1 < y2 else (y2, y1)
                # rows whose centre y (south + (j + 0.5) dy) is in [low, high)
                first = max(0, math.ceil((low - self.south) / self.dy - 0.5))
                last = min(self.ny - 1, math.ceil((high - self.south) / self.dy - 0.5) - 1)
                slope = (x2 - x1) / (y2 - y1)
                for row in range(first, last + 1):
                    y = self.south + (row + 0.5) * self.dy
                    crossings.setdefault(row, []).append(x1 + (y - y1) * slope)
        found = []
        for row, xs in crossings.items():
            xs.sort()
            base = row * self.nx
            for start, end in zip(xs[0::2], xs[1::2]):
                first = max(0, math.ceil((start - self.west) / self.dx - 0.5))
                last = min(self.nx, math.ceil((end - self.west) / self.dx - 0.5))
                if first < last:
                    found.extend(range(base + first, base + last))
        return found

    def row_latitude(self, index: int) -> float:
        return self.south + (index // self.nx + 0.5) * self.dy


def grid_atoms(shapes: Sequence, aoi, geographic: bool, cancel: CancelCheck = None,
               cells: int = CELLS) -> tuple[list, list, float]:
    """(atom weights, atoms of each shape, AOI weight), the atoms being the grid cells inside the AOI
    that some shape covers (the same result as :func:`..pieces._atoms`, to the grid's resolution)."""
    grid = Grid(aoi.bounds, cells)
    inside = array("i", [-1]) * (grid.nx * grid.ny)
    cell_weight = []
    aoi_cells = grid.cells(aoi)
    for n, cell in enumerate(aoi_cells):
        inside[cell] = n
        latitude = grid.row_latitude(cell)
        cell_weight.append(grid.dx * grid.dy * (math.cos(math.radians(latitude)) if geographic else 1.0))
    total = sum(cell_weight)
    atom_of: dict = {}  # AOI cell number -> atom (only the covered cells become atoms)
    weights: list = []
    shape_atoms: list = []
    for count, shape in enumerate(shapes):
        if count % 500 == 0:
            raise_if_cancelled(cancel)
        atoms = []
        for cell in grid.cells(shape) if not shape.is_empty else ():
            number = inside[cell]
            if number < 0:
                continue
            atom = atom_of.get(number)
            if atom is None:
                atom = atom_of[number] = len(weights)
                weights.append(cell_weight[number])
            atoms.append(atom)
        shape_atoms.append(atoms)
    return weights, shape_atoms, total
