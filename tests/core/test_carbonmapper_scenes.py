"""Scene GeoPackage pages against the emulator: paging, filters, streaming to disk, cancel, shrunk AOI."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import threading

import pytest
from shapely.geometry import Polygon, box

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.carbonmapper.scenes import SCENES_GPKG, SceneDownload, count_features, interval
from scene_finder.core.errors import CancelledError
from scene_finder.core.http import make_session

TOKEN = "demo-carbonmapper-token"


def client_for(emulator, **kw):
    return CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url,
                              session=make_session(retries=2, backoff=0.0), **kw)


def detailed_permian(vertices: int = 4000) -> Polygon:
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = 1.2 * (1 + 0.2 * math.sin(41 * angle))
        points.append((-102.8 + r * math.cos(angle), 32.2 + r * math.sin(angle)))
    return Polygon(points)


def column(path, sql):
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute(sql)]


def test_interval_formats_open_ends_and_times():
    assert interval(dt.date(2020, 1, 1), dt.date(2023, 12, 31)) == "2020-01-01/2023-12-31"
    assert interval(dt.date(2020, 1, 1), None) == "2020-01-01/.."
    assert interval(None, dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)) == "../2024-05-01T12:00:00Z"
    assert interval(None, None) is None


def test_schema_page_is_an_empty_geopackage_and_gives_the_count(emulator, tmp_path):
    download = SceneDownload(client_for(emulator), instrument="tan")
    schema = download.schema(tmp_path / "schema.gpkg")
    assert count_features(schema) == 0
    assert download.total and download.total > 1000
    (entry,) = emulator.log.entries("carbonmapper", SCENES_GPKG)
    assert entry.query["limit"] == ["0"] and entry.query["instrument"] == ["tan"]


def test_pages_stream_one_file_at_a_time_with_filters_and_progress(emulator, tmp_path):
    updates = []
    download = SceneDownload(
        client_for(emulator), start=dt.date(2021, 1, 1), end=dt.date(2025, 12, 31), cloud_max=40,
        page_limit=500, work_dir=tmp_path, progress=updates.append,
    )
    download.schema(tmp_path / "schema.gpkg")
    total = download.total
    assert 1000 < total < 20_000
    seen = 0
    folders = set()
    for page in download.pages():
        folders.add(page.path.parent)
        # this page and at most the next one (downloading meanwhile) are on disk: earlier ones are gone
        on_disk = sorted(p.name for p in page.path.parent.iterdir())
        assert on_disk[0] == page.path.name and len(on_disk) <= 2
        clouds = column(page.path, "SELECT cloud_cover_pct FROM scenes")
        assert len(clouds) == page.features and max(clouds) <= 40
        stamps = column(page.path, "SELECT timestamp FROM scenes")
        assert min(stamps) >= "2021-01-01" and max(stamps) < "2026-01-01"
        seen += page.features
    assert seen == total
    assert len(updates) == math.ceil(total / 500)
    last = updates[-1]
    assert (last.pages_done, last.pages_total, last.features_done, last.features_total) == (
        len(updates), len(updates), total, total)
    assert all(not folder.exists() for folder in folders)
    queries = [e.query for e in emulator.log.entries("carbonmapper", SCENES_GPKG)]
    assert [q["offset"][0] for q in queries[1:]] == [str(500 * i) for i in range(len(updates))]
    assert all(q["datetime"] == ["2021-01-01/2025-12-31"] and q["cloud_cover_pct_max"] == ["40"] for q in queries)


def test_small_aoi_is_sent_exactly(emulator, tmp_path):
    download = SceneDownload(client_for(emulator), aoi=box(-104, 31.5, -103, 32.5), work_dir=tmp_path)
    assert download.exact_aoi is None
    pages = list(download.pages())
    assert pages[0].total == sum(p.features for p in pages) > 0


def test_big_aoi_is_shrunk_under_the_url_limit_and_marked_for_filtering(emulator, tmp_path):
    aoi = detailed_permian()
    download = SceneDownload(client_for(emulator), aoi=aoi, work_dir=tmp_path)
    assert download.intersects.shrunk and download.exact_aoi.equals(download.intersects.exact)
    features = sum(page.features for page in download.pages())
    entries = emulator.log.entries("carbonmapper", SCENES_GPKG)
    assert all(e.status == 200 for e in entries)  # the emulator answers 414 past 8,192 bytes
    assert all(e.query["intersects"] == [download.intersects.value] for e in entries)
    # the covering geometry lies between the AOI and its bounding box
    by_box = SceneDownload(client_for(emulator), aoi=aoi.envelope, work_dir=tmp_path)
    assert 1 <= features <= sum(page.features for page in by_box.pages())


def test_a_broken_page_transfer_is_fetched_again(emulator, tmp_path):
    emulator.faults.add("carbonmapper", SCENES_GPKG, "short_body", byte=5000)
    download = SceneDownload(client_for(emulator), instrument="emi", page_limit=300, work_dir=tmp_path)
    pages = list(download.pages())
    assert sum(p.features for p in pages) == download.total
    assert emulator.log.entries("carbonmapper", SCENES_GPKG)[0].status == 200
    assert emulator.log.count("carbonmapper", SCENES_GPKG) == len(pages) + 1


def test_cancel_stops_between_pages_and_cleans_up(emulator, tmp_path):
    stop = threading.Event()
    download = SceneDownload(client_for(emulator), page_limit=200, work_dir=tmp_path, cancel=stop)
    pages = download.pages()
    first = next(pages)
    stop.set()
    with pytest.raises(CancelledError):
        next(pages)
    assert not first.path.parent.exists()
    assert emulator.log.count("carbonmapper", SCENES_GPKG) <= 2  # the first page and the one fetched ahead


def test_without_prefetch_pages_are_fetched_one_by_one(emulator, tmp_path):
    download = SceneDownload(client_for(emulator), instrument="emi", page_limit=400, prefetch=False,
                             work_dir=tmp_path)
    for page in download.pages():
        assert sorted(p.name for p in page.path.parent.iterdir()) == [page.path.name]
        assert emulator.log.count("carbonmapper", SCENES_GPKG) == page.number
