"""The coverage planner: optimal on grids where the optimum is known, close to the exact optimum on
random cases (an exact ILP over the same pieces), windows, unknown cloud cover, shape groups."""

from __future__ import annotations

import datetime
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

from scene_finder.core.coverage import CoveragePlan, Footprint, plan_coverage, scene_cost
from scene_finder.core.coverage.pieces import pieces
from scene_finder.core.coverage.windows import window_of, window_sort_key

PLANAR = {"geographic": False}


def cost_of(plan: CoveragePlan, cloud_weight: float = 1.0) -> float:
    return sum(scene_cost(pick.cloud, cloud_weight) for pick in plan.picks)


def tile(x: float, y: float, size: float = 1.0) -> Polygon:
    return box(x, y, x + size, y + size)


# --- grids where the optimum is known ---------------------------------------------------------
def test_a_grid_of_clear_tiles_among_cloudy_and_shifted_copies_picks_exactly_the_clear_tiles():
    # the optimum: one scene per tile, its clearest (every tile's middle is covered by its own scenes only)
    n = 4
    footprints = []
    for i in range(n):
        for j in range(n):
            footprints.append(Footprint(f"clear-{i}-{j}", tile(i, j), cloud=2.0))
            footprints.append(Footprint(f"cloudy-{i}-{j}", tile(i, j), cloud=60.0))  # same path/row, cloudier
    for i in range(n - 1):
        for j in range(n - 1):
            footprints.append(Footprint(f"shifted-{i}-{j}", tile(i + 0.5, j + 0.5), cloud=30.0))
    random.Random(3).shuffle(footprints)
    plan = plan_coverage(footprints, box(0, 0, n, n), min_coverage=1.0, **PLANAR)
    assert sorted(p.id for p in plan.picks) == sorted(f"clear-{i}-{j}" for i in range(n) for j in range(n))
    assert plan.share == pytest.approx(1.0)
    assert plan.mean_cloud == pytest.approx(2.0)
    assert sum(p.adds for p in plan.picks) == pytest.approx(plan.share)


def test_fewer_cloudier_scenes_win_over_many_clear_ones_until_cloud_weighs_more():
    small = [Footprint(f"small-{i}-{j}", tile(i, j), cloud=0.0) for i in range(3) for j in range(3)]
    big = Footprint("big", tile(0, 0, 3), cloud=50.0)
    aoi = box(0, 0, 3, 3)
    assert [p.id for p in plan_coverage(small + [big], aoi, cloud_weight=1.0, **PLANAR).picks] == ["big"]
    # 1 + 20 * 0.5 = 11 > 9 clear scenes
    heavy = plan_coverage(small + [big], aoi, cloud_weight=20.0, **PLANAR)
    assert sorted(p.id for p in heavy.picks) == sorted(f.id for f in small)


def test_a_partial_target_leaves_out_the_scene_it_does_not_need():
    strips = [Footprint(f"strip-{i}", box(i, 0, i + 1, 10), cloud=10.0 * i) for i in range(10)]
    plan = plan_coverage(strips, box(0, 0, 10, 10), min_coverage=0.9, **PLANAR)
    assert sorted(p.id for p in plan.picks) == [f"strip-{i}" for i in range(9)]  # the cloudiest one left out
    assert plan.share == pytest.approx(0.9)


def test_pruning_drops_a_scene_made_redundant_by_later_picks():
    # greedy takes the wide middle scene first (best ratio), then both halves; the middle one is then redundant
    footprints = [Footprint("middle", box(1, 0, 5, 1), cloud=0.0),
                  Footprint("left", box(0, 0, 3, 1), cloud=0.0),
                  Footprint("right", box(3, 0, 6, 1), cloud=0.0)]
    plan = plan_coverage(footprints, box(0, 0, 6, 1), min_coverage=1.0, **PLANAR)
    assert sorted(p.id for p in plan.picks) == ["left", "right"]


def test_when_the_target_cannot_be_reached_the_cover_takes_all_it_can():
    footprints = [Footprint("a", box(0, 0, 1, 1), cloud=5), Footprint("b", box(1, 0, 2, 1), cloud=5)]
    plan = plan_coverage(footprints, box(0, 0, 4, 1), **PLANAR)
    assert sorted(p.id for p in plan.picks) == ["a", "b"]
    assert plan.share == pytest.approx(0.5) and plan.windows[0].reachable == pytest.approx(0.5)


def test_footprints_outside_the_aoi_or_without_geometry_are_counted_apart():
    footprints = [Footprint("in", box(0, 0, 1, 1), 0), Footprint("out", box(5, 5, 6, 6), 0),
                  Footprint("none", None, 0)]
    plan = plan_coverage(footprints, box(0, 0, 1, 1), **PLANAR)
    assert [p.id for p in plan.picks] == ["in"] and plan.outside == 2


def test_no_footprint_in_the_aoi_gives_an_empty_plan():
    plan = plan_coverage([Footprint("out", box(5, 5, 6, 6), 0)], box(0, 0, 1, 1))
    assert plan.picks == [] and plan.share == 0.0 and plan.mean_cloud is None


# --- unknown cloud cover ----------------------------------------------------------------------
def test_unknown_cloud_cover_costs_as_much_as_full_cloud():
    assert scene_cost(None) == scene_cost(100.0) == scene_cost(-1) == 2.0
    same = [Footprint("unknown", tile(0, 0), None), Footprint("known", tile(0, 0), 80.0)]
    assert [p.id for p in plan_coverage(same, tile(0, 0), **PLANAR).picks] == ["known"]


def test_a_scene_of_unknown_cloud_is_picked_where_nothing_else_covers_and_counted_apart():
    footprints = [Footprint("known", tile(0, 0), 20.0), Footprint("unknown", tile(1, 0), None)]
    plan = plan_coverage(footprints, box(0, 0, 2, 1), **PLANAR)
    assert sorted(p.id for p in plan.picks) == ["known", "unknown"]
    assert plan.mean_cloud == pytest.approx(20.0) and plan.unknown_cloud == 1


# --- windows ----------------------------------------------------------------------------------
def test_window_labels_sort_in_time():
    day = datetime.date
    assert window_of(day(2024, 1, 1), "week") == "2024-W01"
    assert window_of(day(2024, 12, 30), "week") == "2025-W01"  # ISO week
    assert window_of(day(2024, 3, 9), "month") == "2024-03"
    assert window_of(datetime.datetime(2023, 12, 5, 10, 0), "season") == "2024-DJF"
    assert window_of(day(2024, 2, 28), "season") == "2024-DJF"
    assert window_of(day(2024, 10, 1), "season") == "2024-SON"
    assert window_of(day(2024, 10, 1), "year") == "2024"
    assert window_of(None, "month") is None and window_of(None, "none") == "all"
    labels = ["2024-SON", "2024-DJF", "2024-JJA", "2024-MAM", "2023-SON"]
    assert sorted(labels, key=window_sort_key) == ["2023-SON", "2024-DJF", "2024-MAM", "2024-JJA", "2024-SON"]
    with pytest.raises(ValueError, match="month"):
        window_of(day(2024, 1, 1), "fortnight")


def test_one_cover_per_month_each_with_its_own_least_cloudy_scenes():
    day = datetime.date
    footprints = []
    for month, (cloud_a, cloud_b) in {1: (5, 50), 2: (40, 10), 3: (0, 0)}.items():
        for k, cloud in enumerate((cloud_a, cloud_b)):
            footprints.append(Footprint(f"{month}-left-{k}", box(0, 0, 1, 1), cloud, day(2024, month, 3 + 10 * k)))
            footprints.append(Footprint(f"{month}-right-{k}", box(1, 0, 2, 1), cloud, day(2024, month, 4 + 10 * k)))
    footprints.append(Footprint("undated", box(0, 0, 2, 1), 0.0, None))
    plan = plan_coverage(footprints, box(0, 0, 2, 1), min_coverage=1.0, window="month", **PLANAR)
    assert [c.window for c in plan.windows] == ["2024-01", "2024-02", "2024-03"]
    picked = {c.window: sorted(p.id for p in c.picks) for c in plan.windows}
    assert picked == {"2024-01": ["1-left-0", "1-right-0"], "2024-02": ["2-left-1", "2-right-1"],
                      "2024-03": ["3-left-0", "3-right-0"]}
    assert all(c.share == pytest.approx(1.0) for c in plan.windows)
    assert all(p.adds == pytest.approx(0.5) for p in plan.picks)
    assert plan.undated == 1
    # without windows the undated scene alone covers everything
    assert [p.id for p in plan_coverage(footprints, box(0, 0, 2, 1), **PLANAR).picks] == ["undated"]


def test_an_unknown_window_or_target_is_refused():
    with pytest.raises(ValueError, match="none, week, month, season, year"):
        plan_coverage([], box(0, 0, 1, 1), window="decade")
    with pytest.raises(ValueError, match="target"):
        plan_coverage([], box(0, 0, 1, 1), min_coverage=1.5)


# --- pieces and shape groups ------------------------------------------------------------------
def test_the_pieces_partition_the_aoi_and_weigh_its_area():
    shapes = [box(0, 0, 2, 2), box(1, 1, 3, 3), Polygon([(0, 0), (3, 0), (0, 3)])]
    aoi = box(0.5, 0.5, 2.5, 2.5)
    found = pieces(shapes, aoi, geographic=False)
    assert found.total == pytest.approx(aoi.area)
    union = unary_union([s.intersection(aoi) for s in shapes])
    assert sum(found.weights) == pytest.approx(union.area)
    for group, shape in enumerate(shapes):
        assert sum(found.weights[a] for a in found.group_atoms[group]) == pytest.approx(shape.intersection(aoi).area)


def test_pieces_weigh_ground_area_with_geographic_coordinates():
    # the same 1-degree box counts for half as much ground at 60 degrees north as at the equator
    aoi = box(0, 0, 1, 1).union(box(0, 59.5, 1, 60.5))
    plan = plan_coverage([Footprint("south", box(0, 0, 1, 1), 0), Footprint("north", box(0, 59.5, 1, 60.5), 0)],
                         aoi, min_coverage=1.0)
    adds = {p.id: p.adds for p in plan.picks}
    assert adds["north"] / adds["south"] == pytest.approx(0.5, rel=0.01)


def test_near_identical_footprints_form_one_group_and_distinct_ones_do_not():
    rng = random.Random(5)
    base = [(0, 0), (2, 0.3), (1.7, 2.1), (-0.3, 1.8)]
    jittered = [Polygon([(x + dx, y + dy) for x, y in base])
                for dx, dy in ((rng.uniform(-0.02, 0.02), rng.uniform(-0.02, 0.02)) for _ in range(50))]
    other = Polygon([(x + 1.0, y) for x, y in base])
    mirrored = Polygon([(2 - x - 0.3, y) for x, y in base])  # same bounds, another shape
    found = pieces(jittered + [other, mirrored], box(-1, -1, 4, 4), geographic=False)
    assert len(set(found.group_of[:50])) == 1
    assert len(set(found.group_of)) == 3


def test_jittered_path_row_footprints_collapse_to_one_shape_per_path_row():
    from scene_finder.bench.coverage import PATHS, ROWS, footprints

    made = footprints(count=len(PATHS) * len(ROWS) * 3)
    found = pieces([f.geometry for f in made], box(-180, -90, 180, 90))
    assert len(set(found.group_of)) == len(PATHS) * len(ROWS)


# --- close to the optimum on random cases -----------------------------------------------------
def exact_optimum(footprints: list, aoi, min_coverage: float, cloud_weight: float) -> float:
    """The least cost of a cover, by an exact integer program over the same pieces (scipy's MILP)."""
    optimize = pytest.importorskip("scipy.optimize")
    import numpy as np

    found = pieces([f.geometry for f in footprints], aoi, geographic=False)
    n, m = len(footprints), len(found.weights)
    costs = [scene_cost(f.cloud, cloud_weight) for f in footprints]
    goal = min(min_coverage * found.total, sum(found.weights))
    # variables: x_0..x_{n-1} (scene picked), y_0..y_{m-1} (piece covered, 0..1)
    rows, lower, upper = [], [], []
    for atom in range(m):  # y_a - sum(x_c covering a) <= 0
        row = np.zeros(n + m)
        row[n + atom] = 1.0
        for index, group in enumerate(found.group_of):
            if group is not None and atom in found.group_atoms[group]:
                row[index] = -1.0
        rows.append(row)
        lower.append(-np.inf)
        upper.append(0.0)
    area = np.concatenate([np.zeros(n), np.array(found.weights)])
    rows.append(area)
    lower.append(goal * (1 - 1e-9))
    upper.append(np.inf)
    result = optimize.milp(c=np.concatenate([np.array(costs), np.zeros(m)]),
                           constraints=optimize.LinearConstraint(np.array(rows), lower, upper),
                           integrality=np.concatenate([np.ones(n), np.zeros(m)]),
                           bounds=optimize.Bounds(0, 1))
    assert result.success
    return float(result.fun)


def random_footprints(rng: random.Random, count: int) -> list:
    made = []
    for i in range(count):
        x, y = rng.uniform(-0.5, 3.5), rng.uniform(-0.5, 3.5)
        w, h = rng.uniform(0.8, 2.0), rng.uniform(0.8, 2.0)
        angle = rng.uniform(0, math.pi / 6)
        corners = [(0, 0), (w, 0), (w, h), (0, h)]
        quad = [(x + cx * math.cos(angle) - cy * math.sin(angle), y + cx * math.sin(angle) + cy * math.cos(angle))
                for cx, cy in corners]
        made.append(Footprint(f"s{i}", Polygon(quad), cloud=None if rng.random() < 0.05 else rng.uniform(0, 100)))
    return made


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), min_coverage=st.sampled_from([0.8, 0.95, 0.99, 1.0]),
       cloud_weight=st.sampled_from([0.0, 1.0, 3.0]))
def test_random_sets_of_30_footprints_cost_at_most_15_percent_above_the_optimum(seed, min_coverage, cloud_weight):
    footprints = random_footprints(random.Random(seed), 30)
    aoi = box(0, 0, 4, 4)
    plan = plan_coverage(footprints, aoi, min_coverage=min_coverage, cloud_weight=cloud_weight, **PLANAR)
    optimum = exact_optimum(footprints, aoi, min_coverage, cloud_weight)
    reachable = plan.windows[0].reachable
    assert plan.share >= min(min_coverage, reachable) - 1e-6
    assert cost_of(plan, cloud_weight) <= 1.15 * optimum + 1e-9


def test_bounds_read_from_the_wkb_match_shapely():
    from shapely.geometry import MultiPolygon, Point

    from scene_finder.core.coverage.pieces import all_bounds

    rng = random.Random(11)
    shapes = [m.geometry for m in random_footprints(rng, 20)]
    shapes += [Polygon([(0, 0), (3, 1), (2, 5)], [[(1, 1), (1.5, 1.2), (1.2, 1.5)]]),
               MultiPolygon([box(0, 0, 1, 1), box(5, -3, 6, 2)]), Point(3, 4),
               Polygon([(0, 0, 1), (1, 0, 1), (1, 1, 2)])]
    assert all_bounds(shapes) == [pytest.approx(s.bounds) for s in shapes]
    assert all_bounds([None, Polygon()]) == [None, None]


@pytest.mark.parametrize("seed", [203, 269, 277])
def test_random_cases_where_greedy_and_pruning_alone_end_more_than_15_percent_above_are_improved(seed):
    # found by a scan of 300 random cases: greedy + pruning picks 7 scenes where 6 do (fewest scenes, 80 %);
    # the swaps (one scene for one covering more, then pruning) find the optimum
    rng = random.Random(seed)
    min_coverage, cloud_weight = rng.choice([0.8, 0.95, 0.99, 1.0]), rng.choice([0.0, 1.0, 3.0])
    footprints = random_footprints(rng, 30)
    aoi = box(0, 0, 4, 4)
    plan = plan_coverage(footprints, aoi, min_coverage=min_coverage, cloud_weight=cloud_weight, **PLANAR)
    assert cost_of(plan, cloud_weight) <= 1.15 * exact_optimum(footprints, aoi, min_coverage, cloud_weight) + 1e-9


# --- grid pieces, for many tangled footprints -------------------------------------------------
def test_grid_cells_weigh_each_shape_as_its_area_inside_the_aoi():
    from scene_finder.core.coverage.grid import grid_atoms

    shapes = [m.geometry for m in random_footprints(random.Random(4), 12)]
    shapes.append(Polygon([(0.5, 0.5), (3.5, 0.5), (3.5, 3.5), (0.5, 3.5)], [[(1, 1), (2, 1), (2, 2), (1, 2)]]))
    aoi = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(2.5, 2.5), (3, 2.5), (3, 3), (2.5, 3)]])
    weights, shape_atoms, total = grid_atoms(shapes, aoi, geographic=False)
    assert total == pytest.approx(aoi.area, rel=0.01)
    for shape, atoms in zip(shapes, shape_atoms):
        assert sum(weights[a] for a in atoms) == pytest.approx(shape.intersection(aoi).area, abs=0.01 * aoi.area)


def test_many_crossing_footprints_are_planned_on_grid_cells(monkeypatch):
    import scene_finder.core.coverage.pieces as pieces_module

    rng = random.Random(8)
    strips = []
    for i in range(300):
        x, y, angle = rng.uniform(-0.5, 3.5), rng.uniform(-0.5, 3.5), rng.uniform(0, math.pi)
        dx, dy, nx, ny = math.cos(angle) * 2, math.sin(angle) * 2, -math.sin(angle) * 0.4, math.cos(angle) * 0.4
        quad = [(x, y), (x + dx, y + dy), (x + dx + nx, y + dy + ny), (x + nx, y + ny)]
        strips.append(Footprint(f"s{i}", Polygon(quad), rng.uniform(0, 100)))
    aoi = box(0, 0, 4, 4)
    exact = plan_coverage(strips, aoi, min_coverage=0.95, **PLANAR)
    monkeypatch.setattr(pieces_module, "OVERLAP_LIMIT", 10)
    gridded = plan_coverage(strips, aoi, min_coverage=0.95, **PLANAR)
    assert gridded.share >= 0.95 - 1e-9
    union = unary_union([strips[p.index].geometry for p in gridded.picks]).intersection(aoi)
    assert union.area / aoi.area == pytest.approx(gridded.share, abs=0.01)  # true share, to the grid's resolution
    assert cost_of(gridded) <= 1.15 * cost_of(exact)


def test_a_self_crossing_footprint_is_repaired_not_fatal():
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])  # invalid: its ring crosses itself
    plan = plan_coverage([Footprint("bowtie", bowtie, 0), Footprint("square", box(0, 0, 2, 2), 50)],
                         box(0, 0, 2, 2), min_coverage=0.4, **PLANAR)
    assert [p.id for p in plan.picks] == ["bowtie"] and plan.share == pytest.approx(0.5)
