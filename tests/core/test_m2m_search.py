"""Datasets, metadata filters and paged scene search against the emulator (the seed workflow)."""

from __future__ import annotations

import datetime

import pytest
from shapely.geometry import Polygon, box

from scene_finder.core.errors import BadInputError, CancelledError
from scene_finder.core.http import make_session
from scene_finder.core.m2m import (
    M2MClient,
    SelectFilter,
    dataset_filters,
    search_datasets,
    search_scenes,
)

SEED_AOI = box(-76.9196, 35.5713, -75.4460, 36.3793)
SEED = dict(aoi=SEED_AOI, start="2023-03-01", end="2023-04-01", cloud_max=20, metadata={"Satellite": "9"})


@pytest.fixture()
def client(emulator):
    with M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url,
                   session=make_session(retries=3, backoff=0.01), rate_limit_backoff=0.01) as signed_in:
        emulator.log.clear()
        yield signed_in


def scene_search_payloads(emulator) -> list[dict]:
    return [entry.json() for entry in emulator.log.entries("m2m", "scene-search")]


def test_dataset_search_and_filters(client):
    aliases = [d.alias for d in search_datasets(client, "Landsat 8-9")]
    assert "landsat_ot_c2_l2" in aliases
    filters = dataset_filters(client, "landsat_ot_c2_l2")
    satellite = next(f for f in filters if f.label == "Satellite")
    assert isinstance(satellite, SelectFilter) and "9" in satellite.values


def test_seed_search(client, emulator):
    search = search_scenes(client, "landsat_ot_c2_l2", **SEED)
    scenes = list(search)
    assert scenes and search.total_hits == len(scenes)
    for scene in scenes:
        assert scene.satellite == 9 and scene.cloud_cover is not None and scene.cloud_cover <= 20
        assert datetime.date(2023, 3, 1) <= scene.acquired <= datetime.date(2023, 4, 1)
        assert scene.footprint.intersects(SEED_AOI) and scene.wrs_path and scene.wrs_row
    assert emulator.log.routes("m2m") == ["dataset-filters", "scene-search"]
    sent = scene_search_payloads(emulator)[0]["sceneFilter"]
    assert sent["spatialFilter"]["filterType"] == "mbr"
    assert sent["metadataFilter"]["filterType"] == "value" and sent["metadataFilter"]["value"] == "9"
    assert sent["acquisitionFilter"] == {"start": "2023-03-01", "end": "2023-04-01"}


def test_filters_given_save_the_dataset_filters_call(client, emulator):
    filters = dataset_filters(client, "landsat_ot_c2_l2")
    emulator.log.clear()
    list(search_scenes(client, **SEED, filters=filters))
    assert emulator.log.routes("m2m") == ["scene-search"]


def test_unknown_label_fails_before_searching(client, emulator):
    with pytest.raises(BadInputError, match="Satellite"):
        search_scenes(client, metadata={"Satelite": "9"})
    assert emulator.log.count("m2m", "scene-search") == 0


def test_total_hits_known_before_iterating_and_pages_are_trimmed_to_the_limit(client, emulator):
    search = search_scenes(client, limit=25, page_size=10)
    assert search.total_hits > 25 and emulator.log.count("m2m", "scene-search") == 1
    scenes = list(search)
    assert len(scenes) == 25 and len({s.entity_id for s in scenes}) == 25
    asked = [(p["startingNumber"], p["maxResults"]) for p in scene_search_payloads(emulator)]
    assert asked == [(1, 10), (11, 10), (21, 5)]


def test_exact_total_stops_without_an_extra_page(client, emulator):
    search = search_scenes(client, aoi=SEED_AOI, start="2022-01-01", end="2023-12-31", page_size=7)
    total = search.total_hits
    assert total > 7 and total % 7
    scenes = list(search)
    assert len(scenes) == total
    assert emulator.log.count("m2m", "scene-search") == -(-total // 7)


def test_polygon_aoi_is_sent_as_geojson(client, emulator):
    triangle = Polygon([(-77, 35.5), (-75.5, 35.5), (-76.2, 36.5)])
    scenes = list(search_scenes(client, aoi=triangle, start="2023-01-01", end="2023-06-30"))
    assert scenes and all(s.footprint.intersects(triangle) for s in scenes)
    spatial = scene_search_payloads(emulator)[0]["sceneFilter"]["spatialFilter"]
    assert spatial["filterType"] == "geojson" and spatial["geoJson"]["type"] == "Polygon"


def test_antimeridian_aoi_is_searched_in_two_parts_without_duplicates(client, emulator):
    fiji = Polygon([(177, -19), (-179, -19), (-179, -16), (177, -16)])
    scenes = list(search_scenes(client, aoi=fiji, start="2020-01-01", end="2023-12-31"))
    payloads = scene_search_payloads(emulator)
    spatial = [p["sceneFilter"]["spatialFilter"] for p in payloads]
    assert {(s["lowerLeft"]["longitude"], s["upperRight"]["longitude"]) for s in spatial} == {(177, 180), (-180, -179)}
    assert len({s.entity_id for s in scenes}) == len(scenes)


def test_a_5xx_on_a_later_page_is_retried(client, emulator):
    search = search_scenes(client, limit=30, page_size=10)
    emulator.faults.add("m2m", "scene-search", "status", status=503)
    assert len(list(search)) == 30


def test_cancel_stops_paging(client, emulator):
    cancelled = []
    search = search_scenes(client, limit=50, page_size=10, cancel=lambda: bool(cancelled))
    with pytest.raises(CancelledError):
        for _ in search:
            cancelled.append(True)
    # the first page, the second read ahead while the first was handed over, and the third asked for
    # while the second was decoded (if that came before the cancel); no more
    assert emulator.log.count("m2m", "scene-search") <= 3


def test_search_iterates_once(client):
    search = search_scenes(client, limit=3)
    list(search)
    with pytest.raises(RuntimeError):
        list(search)


@pytest.mark.slow
def test_the_whole_50000_scene_catalog_in_five_pages(client, emulator):
    search = search_scenes(client)
    assert search.total_hits >= 50_000
    ids = {scene.entity_id for scene in search}
    assert len(ids) == 50_000 and emulator.log.count("m2m", "scene-search") == 5
    assert max(p["startingNumber"] + p["maxResults"] - 1 for p in scene_search_payloads(emulator)) == 50_000
