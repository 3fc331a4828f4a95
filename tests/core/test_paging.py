"""Every pager stops on a server that repeats pages, loops or never ends (the emulator's hostile mode),
and a missing ``pagination-limit`` does not stop the scenes after page one."""

from __future__ import annotations

import pytest

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.carbonmapper.plumes import PLUMES_ANNOTATED, search_plumes
from scene_finder.core.carbonmapper.scenes import SCENES_GPKG, SceneDownload
from scene_finder.core.carbonmapper.stac import STAC_SEARCH, search_items
from scene_finder.core.errors import PagingError, ServiceUnavailableError
from scene_finder.core.m2m.client import M2MClient
from scene_finder.core.m2m.search import iter_pages, search_scenes
from scene_finder.core.paging import PageGuard

CM_TOKEN = "demo-carbonmapper-token"


def cm_client(emulator) -> CarbonMapperClient:
    return CarbonMapperClient(CM_TOKEN, base_url=emulator.carbonmapper_url)


# --- the guard ----------------------------------------------------------------------------------
def test_guard_refuses_a_repeated_page_a_repeated_position_and_too_many_pages():
    guard = PageGuard("Service", "things")
    guard.check(0, 3, "a", "c")
    guard.check(3, 3, "d", "f")
    with pytest.raises(PagingError, match="same records") as repeated:
        guard.check(6, 3, "a", "c")
    assert isinstance(repeated.value, ServiceUnavailableError) and repeated.value.code == "PAGING_REPEAT"
    with pytest.raises(PagingError, match="already read"):
        PageGuard("Service", "things").check(0, 1, "a", "a") or guard.ask(3)
    capped = PageGuard("Service", "things", max_pages=2)
    capped.check(0, 1, "a", "a")
    capped.check(1, 1, "b", "b")
    with pytest.raises(PagingError, match="Narrow the search"):
        capped.ask(2)


def test_guard_lets_empty_pages_and_distinct_pages_through():
    guard = PageGuard("Service", "things")
    for number in range(100):
        guard.check(number, 2, f"{number}-first", f"{number}-last")
    guard.check(100, 0)
    assert guard.pages == 101


def test_m2m_pages_of_a_service_that_ignores_starting_number_stop_with_a_paging_error():
    def fetch(starting: int, max_results: int) -> dict:  # always the first page
        results = [{"entityId": f"E{i}"} for i in range(1, max_results + 1)]
        return {"results": results, "recordsReturned": max_results, "totalHits": 900,
                "totalHitsAccuracy": "approximate"}

    pages = iter_pages(fetch, cap=50_000, page_size=100)
    next(pages)
    with pytest.raises(PagingError):
        next(pages)


# --- through the clients, against the emulator's hostile mode --------------------------------------
def test_plumes_from_a_server_that_ignores_offset_stop_without_duplicates(emulator):
    emulator.faults.add("carbonmapper", PLUMES_ANNOTATED, "ignore_offset", times=None)
    search = search_plumes(cm_client(emulator), page_size=50)
    assert search.total > 100
    read = []
    with pytest.raises(PagingError, match="same records"):
        for plume in search:
            read.append(plume.id)
    assert len(read) == 50 and len(set(read)) == 50
    assert emulator.log.count("carbonmapper", PLUMES_ANNOTATED) == 2


def test_m2m_scene_search_that_ignores_starting_number_stops_with_a_paging_error(emulator):
    emulator.faults.add("m2m", "scene-search", "ignore_offset", param="startingNumber", times=None)
    with M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url) as client:
        search = search_scenes(client, page_size=100, limit=5_000)
        read = []
        with pytest.raises(PagingError):
            for scene in search:
                read.append(scene.entity_id)
    assert len(read) == 100 and len(set(read)) == 100
    # the repeated second page stops it; the third was already asked for while the second was decoded
    assert emulator.log.count("m2m", "scene-search") == 3


@pytest.mark.timeout(120)
def test_stac_search_whose_next_link_returns_the_same_page_stops_instead_of_looping(emulator):
    emulator.faults.add("carbonmapper", STAC_SEARCH, "ignore_offset", param="token", times=None)
    read = []
    with pytest.raises(PagingError):
        for item in search_items(cm_client(emulator), collections=["l3a-vis-ch4-mfa-v3a"], limit=10):
            read.append(item.id)
    assert len(read) == 10 and len(set(read)) == 10
    assert emulator.log.count("carbonmapper", STAC_SEARCH) == 2


@pytest.mark.timeout(120)
def test_stac_search_whose_next_link_points_back_to_the_same_request_stops_before_asking_again(emulator):
    body = {"limit": 10, "collections": ["l3a-vis-ch4-mfa-v3a"]}
    emulator.faults.add("carbonmapper", STAC_SEARCH, "next_link", href=emulator.carbonmapper_url + STAC_SEARCH,
                        body=body, times=None)
    read = []
    with pytest.raises(PagingError, match="already read"):
        for item in search_items(cm_client(emulator), collections=body["collections"], limit=10):
            read.append(item.id)
    assert len(read) == 10
    assert emulator.log.count("carbonmapper", STAC_SEARCH) == 1


def test_scene_pages_from_a_server_that_ignores_offset_stop_with_a_paging_error(emulator, tmp_path):
    emulator.faults.add("carbonmapper", SCENES_GPKG, "ignore_offset", times=None)
    download = SceneDownload(cm_client(emulator), instrument="emi", page_limit=300, work_dir=tmp_path)
    features = []
    with pytest.raises(PagingError):
        for page in download.pages():
            features.append(page.features)
    assert features == [300]
    assert list(tmp_path.iterdir()) == []  # the page files are cleaned up


def test_scene_pages_without_pagination_limit_read_every_page(emulator, tmp_path, monkeypatch):
    monkeypatch.setattr(emulator.config, "carbonmapper_page_limit", 300)  # the server's own page size
    emulator.faults.add("carbonmapper", SCENES_GPKG, "drop_header", header="pagination-limit", times=None)
    download = SceneDownload(cm_client(emulator), instrument="emi", work_dir=tmp_path)
    pages = list(download.pages())
    assert download.total > 600
    assert len(pages) == -(-download.total // 300) > 1
    assert sum(p.features for p in pages) == download.total
    assert [p.offset for p in pages] == [300 * i for i in range(len(pages))]
    assert all("pagination-limit" not in e.query for e in emulator.log.entries("carbonmapper", SCENES_GPKG))


def test_plumes_without_a_count_are_read_to_the_end_not_just_the_first_page(emulator):
    client = cm_client(emulator)
    expected = [p.id for p in search_plumes(client, gas="CO2", page_size=100)]
    assert len(expected) > 200
    emulator.faults.add("carbonmapper", PLUMES_ANNOTATED, "drop_key", keys=["bbox_count", "total_count"],
                        times=None)
    search = search_plumes(client, gas="CO2", page_size=100)
    assert [p.id for p in search] == expected
