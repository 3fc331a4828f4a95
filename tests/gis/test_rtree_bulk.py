"""rtree_bulk.bulk_load: a packed SQLite R-tree that SQLite itself checks, queries and edits."""

from __future__ import annotations

import random
import sqlite3
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scene_finder.gis.rtree_bulk import bulk_load


def random_boxes(count: int, seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    boxes = []
    for fid in range(1, count + 1):
        x, y = rng.uniform(-180, 178), rng.uniform(-89, 87)
        boxes.append((fid, x, x + rng.uniform(0, 2), y, y + rng.uniform(0, 2)))
    return boxes


@pytest.fixture()
def rtree():
    """Makes in-memory databases with an R-tree table ``r``; closes them after the test."""
    made: list[sqlite3.Connection] = []

    def make(columns: str = "id, minx, maxx, miny, maxy") -> sqlite3.Connection:
        db = sqlite3.connect(":memory:", isolation_level=None)
        made.append(db)
        db.execute(f"CREATE VIRTUAL TABLE r USING rtree({columns})")
        return db

    yield make
    for db in made:
        db.close()


def query(db: sqlite3.Connection, minx, maxx, miny, maxy) -> set[int]:
    rows = db.execute("SELECT id FROM r WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?",
                      (minx, maxx, miny, maxy))
    return {fid for (fid,) in rows}


# 51 boxes fill the root (SQLite's 2D nodes hold 51 cells), 52 need two levels, 2602 three
@pytest.mark.parametrize("count", [0, 1, 51, 52, 2_601, 2_602, 20_000])
def test_packed_tree_is_sound_and_answers_like_a_scan(count, rtree):
    boxes = random_boxes(count)
    db = rtree()
    db.execute("BEGIN")
    assert bulk_load(db, "r", boxes)
    db.execute("COMMIT")
    assert db.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM r").fetchone()[0] == count
    stored = {row[0]: row[1:] for row in db.execute("SELECT * FROM r")}
    for fid, minx, maxx, miny, maxy in boxes:  # 32-bit floats, rounded outwards
        sminx, smaxx, sminy, smaxy = stored[fid]
        assert sminx <= minx and smaxx >= maxx and sminy <= miny and smaxy >= maxy
    rng = random.Random(count)
    for _ in range(20):
        x, y = rng.uniform(-180, 170), rng.uniform(-90, 80)
        window = (x, x + 10, y, y + 10)
        expected = {b[0] for b in boxes if b[2] >= window[0] and b[1] <= window[1] and b[4] >= window[2]
                    and b[3] <= window[3]}
        assert query(db, *window) == expected


def test_the_packed_tree_takes_inserts_and_deletes(rtree):
    boxes = random_boxes(5_000)
    db = rtree()
    assert bulk_load(db, "r", boxes)
    extra = [(fid + 10_000, *rest) for fid, *rest in random_boxes(700, seed=8)]
    db.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)", extra)
    db.execute("DELETE FROM r WHERE id % 3 = 0")
    assert db.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"
    remaining = {fid for fid, *_ in boxes + extra if fid % 3}
    assert {fid for (fid,) in db.execute("SELECT id FROM r")} == remaining


def test_zero_and_negative_coordinates_are_rounded_outwards(rtree):
    boxes = [(1, 0.0, 0.0, -0.0, 0.0), (2, -1e-9, 1e-9, -33.333333333, 33.333333333), (3, -180, 180, -90, 90)]
    db = rtree()
    assert bulk_load(db, "r", boxes)
    for fid, minx, maxx, miny, maxy in boxes:
        sminx, smaxx, sminy, smaxy = db.execute("SELECT minx, maxx, miny, maxy FROM r WHERE id = ?", (fid,)).fetchone()
        assert sminx <= minx and smaxx >= maxx and sminy <= miny and smaxy >= maxy
    assert query(db, 0, 0, 0, 0) == {1, 2, 3}


def test_refuses_what_it_cannot_pack_and_changes_nothing(rtree):
    filled = rtree()
    filled.execute("INSERT INTO r VALUES (1, 0, 1, 0, 1)")
    assert not bulk_load(filled, "r", random_boxes(10))
    assert filled.execute("SELECT count(*) FROM r").fetchone()[0] == 1
    three_d = rtree("id, minx, maxx, miny, maxy, minz, maxz")
    assert not bulk_load(three_d, "r", random_boxes(10))
    assert three_d.execute("SELECT count(*) FROM r").fetchone()[0] == 0


@given(st.lists(st.floats(-3.4e38, 3.4e38, allow_nan=False), min_size=1, max_size=50), st.booleans())
def test_each_value_becomes_the_closest_float32_on_its_outer_side(values, down):
    from scene_finder.gis.rtree_bulk import _rounded_outward

    for value, rounded in zip(values, _rounded_outward(values, down)):
        assert (rounded <= value) if down else (rounded >= value)
        # no float32 lies between: one step further in (by the float32's bits) crosses the value
        inner = array("f", [rounded])
        bits = array("I", inner.tobytes())
        if rounded != value:
            towards_value = 1 if (rounded < value) == (rounded >= 0) else -1
            if rounded == 0:
                continue  # the smallest subnormal next to zero: checked by its sign above
            bits[0] += towards_value
            assert (array("f", bits.tobytes())[0] > value) if down else (array("f", bits.tobytes())[0] < value)
