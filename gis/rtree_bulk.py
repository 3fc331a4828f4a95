"""Bulk loading of an empty 2D SQLite R-tree (a GeoPackage spatial index) in one pass.

Inserting 50,000 boxes into an SQLite R-tree one by one costs about 0.3 s (each insert picks a
leaf and splits nodes as it goes); packing them instead (sort-tile-recursive: sorted by x into
slabs, each slab by y, cut into full nodes, the same again one level up) and writing the
R-tree's own tables (``<name>_node``, ``_rowid``, ``_parent``) takes a fraction of that and gives
a tree with less overlap. GDAL does the same for its GeoPackage indexes since 3.7.

The node format is SQLite's (https://sqlite.org/rtree.html, and ``rtreecheck()`` verifies it):
a node is a blob of the size of the existing root node; it starts with the tree's depth (root
only, else 0) and the cell count, both 16-bit big-endian, then cells of a 64-bit big-endian id
(a rowid in leaves, a node number above) and the box as big-endian 32-bit floats minx, maxx,
miny, maxy, rounded outwards so that a box always contains what it indexes. The root is node 1.
"""

from __future__ import annotations

import math
import sqlite3
import struct
from array import array
from collections.abc import Sequence

Box = tuple  # (id, minx, maxx, miny, maxy)

_CELL = struct.Struct(">q4f")
_HEADER = struct.Struct(">HH")
_FLOAT32_BITS = struct.Struct(">I")
_FLOAT32 = struct.Struct(">f")


def quote_identifier(name: str) -> str:
    """An SQLite identifier (table, column, trigger name) in double quotes."""
    return '"' + name.replace('"', '""') + '"'


_SMALLEST = 1.401298464324817e-45  # the smallest positive (subnormal) float32


def _rounded_outward(values: Sequence[float], down: bool) -> array:
    """``values`` as float32s, each rounded towards -inf (``down``) or +inf: C rounds to the nearest;
    the ones it rounded the wrong way go one float32 further, by their bits (for 50,000 boxes)."""
    nearest = array("f", values)
    wrong = [i for i, (n, v) in enumerate(zip(nearest, values)) if (n > v if down else n < v)]
    if not wrong:
        return nearest
    bits = array("I", nearest.tobytes())
    zeros = []
    for i in wrong:
        value = nearest[i]
        if value == 0:
            zeros.append(i)
        else:  # a float32's magnitude grows with its bits, whatever its sign
            bits[i] += 1 if (value < 0) == down else -1
    nearest = array("f", bits.tobytes())
    for i in zeros:
        nearest[i] = -_SMALLEST if down else _SMALLEST
    return nearest


def _outward(boxes: Sequence[Box]) -> list[Box]:
    ids, minx, maxx, miny, maxy = zip(*boxes)
    return list(zip(ids, _rounded_outward(minx, True), _rounded_outward(maxx, False), _rounded_outward(miny, True),
                    _rounded_outward(maxy, False)))


def _tiles(boxes: list[Box], capacity: int) -> list[list[Box]]:
    """Sort-tile-recursive: groups of at most ``capacity`` boxes that lie close together."""
    nodes = math.ceil(len(boxes) / capacity)
    per_slab = math.ceil(math.sqrt(nodes)) * capacity
    by_x = sorted(boxes, key=lambda box: box[1] + box[2])
    groups = []
    for start in range(0, len(by_x), per_slab):
        slab = sorted(by_x[start:start + per_slab], key=lambda box: box[3] + box[4])
        groups.extend(slab[i:i + capacity] for i in range(0, len(slab), capacity))
    return groups


def _node(cells: Sequence[Box], depth: int, size: int) -> bytes:
    data = _HEADER.pack(depth, len(cells)) + b"".join([_CELL.pack(*cell) for cell in cells])
    return data + bytes(size - len(data))


def _bounds(number: int, cells: Sequence[Box]) -> Box:
    _, minx, maxx, miny, maxy = zip(*cells)
    return number, min(minx), max(maxx), min(miny), max(maxy)


def bulk_load(db: sqlite3.Connection, rtree: str, boxes: Sequence[Box]) -> bool:
    """Fill the empty 2D R-tree ``rtree`` with ``boxes`` (id, minx, maxx, miny, maxy) in one pass.

    Returns False, having changed nothing, when the R-tree is not an empty 2D one or its tables
    cannot be written (the caller then inserts the boxes one by one).
    """
    if not boxes:
        return True
    node_table, rowid_table, parent_table = (quote_identifier(f"{rtree}_{t}") for t in ("node", "rowid", "parent"))
    try:
        db.execute("SAVEPOINT rtree_bulk_load")
    except sqlite3.Error:
        return False
    try:
        columns = db.execute(f"PRAGMA table_info({quote_identifier(rtree)})").fetchall()
        root = db.execute(f"SELECT data FROM {node_table} WHERE nodeno = 1").fetchone()
        if len(columns) != 5 or root is None or _HEADER.unpack_from(root[0])[1] != 0:
            raise ValueError("not an empty 2D R-tree")
        size = len(root[0])
        capacity = (size - _HEADER.size) // _CELL.size
        nodes, leaf_of, parent_of = _pack(_outward(boxes), capacity, size)
        db.execute(f"DELETE FROM {node_table}")
        db.executemany(f"INSERT INTO {node_table} (nodeno, data) VALUES (?, ?)", nodes)
        db.executemany(f"INSERT INTO {rowid_table} (rowid, nodeno) VALUES (?, ?)", leaf_of)
        db.executemany(f"INSERT INTO {parent_table} (nodeno, parentnode) VALUES (?, ?)", parent_of)
    except (sqlite3.Error, ValueError, OverflowError, struct.error):
        db.execute("ROLLBACK TO rtree_bulk_load")
        db.execute("RELEASE rtree_bulk_load")
        return False
    db.execute("RELEASE rtree_bulk_load")
    return True


def _pack(boxes: list[Box], capacity: int, size: int) -> tuple[list, list, list]:
    """The nodes (number, blob), leaf of each rowid and parent of each node of the packed tree."""
    nodes: list[tuple[int, bytes]] = []
    leaf_of: list[tuple[int, int]] = []
    parent_of: list[tuple[int, int]] = []
    level, depth, number = boxes, 0, 1
    while len(level) > capacity:
        above = []
        for cells in _tiles(level, capacity):
            number += 1
            nodes.append((number, _node(cells, 0, size)))
            (leaf_of if depth == 0 else parent_of).extend((cell[0], number) for cell in cells)
            above.append(_bounds(number, cells))
        level, depth = above, depth + 1
    nodes.append((1, _node(level, depth, size)))
    (leaf_of if depth == 0 else parent_of).extend((cell[0], 1) for cell in level)
    return nodes, leaf_of, parent_of
