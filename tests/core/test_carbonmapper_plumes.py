"""Annotated plume search against the emulator, and Plume records from recorded responses."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from shapely.geometry import Point, Polygon
from support.conformance import FIXTURES

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.carbonmapper.plumes import PLUMES_ANNOTATED, Plume, search_plumes
from scene_finder.core.errors import CancelledError

TOKEN = "demo-carbonmapper-token"


def client_for(emulator, **kw):
    return CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url, **kw)


def test_plume_from_a_recorded_item():
    path = FIXTURES / "carbonmapper" / "plume_single__mhacks_2026-09_scrubbed.json"
    if not path.exists():
        pytest.skip("recorded fixtures not available")
    plume = Plume.from_json(json.loads(path.read_text()))
    assert plume.plume_id == "tan20260813t190401c96s4001-B"
    assert plume.scene_name == "tan20260813t190401c96s4001"
    assert plume.gas == "CH4" and plume.sector == "1B2" and plume.status == "published"
    assert plume.emission == pytest.approx(1992.888, rel=1e-4)
    assert plume.longitude == pytest.approx(-103.8576, rel=1e-5)
    assert plume.datetime == dt.datetime(2026, 8, 13, 19, 4, 1, 960000, tzinfo=dt.timezone.utc)
    assert plume.plume_tif.endswith("Key-Pair-Id=REDACTED") and plume.plume_bounds[0] < plume.plume_bounds[2]


def test_plumes_from_recorded_pages_old_and_new():
    folder = FIXTURES / "carbonmapper"
    if not folder.exists():
        pytest.skip("recorded fixtures not available")
    page = json.loads((folder / "plumes_annotated_page__sjvair_2026-09.json").read_text())
    plumes = [Plume.from_json(item) for item in page["items"]]
    assert len(plumes) == 4 and all(p.scene_id and p.latitude and p.emission for p in plumes)
    old = json.loads((folder / "plumes_annotated_item__platform-public_2024-08_scrubbed.json").read_text())
    (plume,) = [Plume.from_json(item) for item in old["items"]]
    assert plume.emission is None and plume.emission_uncertainty is None  # hidden emission
    assert plume.con_tif is None and plume.plume_tif.startswith("https://carbon-mapper-data.s3.amazonaws.com/")
    assert plume.datetime.year == 2023 and plume.scene_name == "emi20231201t201023p13003"


def test_filters_are_sent_and_applied(emulator):
    search = search_plumes(
        client_for(emulator), gas="CH4", emission_min=500, emission_max=5000,
        start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31), page_size=200,
    )
    plumes = list(search)
    assert len(plumes) == search.total > 200
    assert all(p.gas == "CH4" and 500 <= p.emission <= 5000 and p.status == "published" for p in plumes)
    assert all(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc) <= p.datetime for p in plumes)
    entries = emulator.log.entries("carbonmapper", PLUMES_ANNOTATED)
    assert len(entries) == math.ceil(search.total / 200)
    query = entries[0].query
    assert query["plume_gas"] == ["CH4"] and query["status"] == ["published"]
    assert query["emission_min"] == ["500"] and query["datetime"] == ["2024-01-01/2026-12-31"]
    assert [e.query["offset"][0] for e in entries] == [str(200 * i) for i in range(len(entries))]


def test_status_can_be_widened(emulator):
    statuses = {p.status for p in search_plumes(client_for(emulator), status="not_deleted", limit=3000)}
    assert "published" in statuses and len(statuses) > 1 and "deleted" not in statuses


def test_limit_caps_the_number_of_plumes_and_requests(emulator):
    progress = []
    search = search_plumes(client_for(emulator), limit=250, page_size=100, progress=lambda d, t: progress.append(d))
    assert len(list(search)) == 250
    assert emulator.log.count("carbonmapper", PLUMES_ANNOTATED) == 3
    assert progress == [100, 200, 250]


def test_shrunk_aoi_keeps_only_plumes_in_the_exact_aoi(emulator):
    vertices = 4000
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = 1.3 * (1 + 0.25 * math.sin(23 * angle))
        ring.append((-102.8 + r * math.cos(angle), 32.2 + r * math.sin(angle)))
    aoi = Polygon(ring)
    search = search_plumes(client_for(emulator), aoi=aoi)
    assert search.intersects.shrunk
    plumes = list(search)
    assert plumes and all(aoi.intersects(Point(p.longitude, p.latitude)) for p in plumes)
    assert len(plumes) <= search.total
    by_box = list(search_plumes(client_for(emulator), aoi=aoi.envelope))
    inside = [p for p in by_box if aoi.intersects(Point(p.longitude, p.latitude))]
    assert {p.plume_id for p in plumes} == {p.plume_id for p in inside}


def test_cancel_between_pages(emulator):
    cancelled = []
    search = search_plumes(client_for(emulator), page_size=50, cancel=lambda: bool(cancelled))
    with pytest.raises(CancelledError):
        for index, _plume in enumerate(search):
            if index == 10:
                cancelled.append(True)
    assert emulator.log.count("carbonmapper", PLUMES_ANNOTATED) == 1
