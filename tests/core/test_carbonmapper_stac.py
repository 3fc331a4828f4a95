"""STAC items and assets of plumes and scenes against the emulator, downloaded with the bearer token."""

from __future__ import annotations

import logging

import pytest

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.carbonmapper.plumes import search_plumes
from scene_finder.core.carbonmapper.stac import (
    PLUME_ASSETS,
    STAC_SEARCH,
    StacAsset,
    _wants_bearer,
    asset_downloads,
    download_assets,
    get_item,
    plume_items,
    scene_items,
    search_items,
)
from scene_finder.core.errors import CancelledError, NotFoundError

TOKEN = "demo-carbonmapper-token"


def client_for(emulator):
    return CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url)


def some_plumes(client, count=3):
    return list(search_plumes(client, gas="CH4", limit=count))


def test_plume_items_by_id_have_the_plume_and_rgb_geotiffs(emulator):
    client = client_for(emulator)
    plumes = some_plumes(client)
    items = plume_items(client, plumes)
    ids = {p.plume_id for p in plumes}
    assert {item.id for item in items} == ids
    vis = [item for item in items if item.collection.startswith("l3a-vis")]
    assert {item.id for item in vis} == ids
    for item in vis:
        assert {"plume.tif", "rgb.tif"} <= set(item.assets)
        assert item.assets["plume.tif"].media_type.startswith("image/tiff")
        assert item.datetime is not None and item.properties["cm:plume_id"] == item.id
    (entry, *_) = emulator.log.entries("carbonmapper", STAC_SEARCH)
    assert entry.method == "POST" and sorted(entry.json()["ids"]) == sorted(ids)


def test_scene_items_by_name(emulator):
    client = client_for(emulator)
    name = some_plumes(client, 1)[0].scene_name
    items = scene_items(client, [name])
    assert items and all(item.id == name for item in items)
    assert any("cmf.tif" in item.assets for item in items) and any("rgb.tif" in item.assets for item in items)


def test_search_follows_next_links(emulator):
    client = client_for(emulator)
    items = list(search_items(client, collections=["l3a-vis-ch4-mfa-v3a"], limit=7, max_items=20))
    assert len(items) == 20 and len({i.id for i in items}) == 20
    assert emulator.log.count("carbonmapper", STAC_SEARCH) == 3


def test_search_with_query_extension_and_datetime(emulator):
    client = client_for(emulator)
    items = list(search_items(client, collections=["l3a-vis-ch4-mfa-v3a"], datetime="2025-01-01T00:00:00Z/..",
                              query={"cm:emission": {"gt": 3000}}, limit=50, max_items=50))
    assert items and all(i.properties["cm:emission"] > 3000 for i in items)
    assert all(i.datetime.year >= 2025 for i in items)


def test_get_item_and_a_missing_item(emulator):
    client = client_for(emulator)
    plume = some_plumes(client, 1)[0]
    item = get_item(client, "l3a-vis-ch4-mfa-v3a", plume.plume_id)
    assert item.id == plume.plume_id
    with pytest.raises(NotFoundError, match="does not exist"):
        get_item(client, "l3a-vis-ch4-mfa-v3a", "no-such-plume-A")


def test_bearer_goes_only_to_carbon_mapper_hosts_without_a_signature():
    client = CarbonMapperClient(TOKEN, base_url="https://api.carbonmapper.org/api/v1/")
    assert _wants_bearer(client, "https://api.carbonmapper.org/api/v1/catalog/asset/x/plume.tif")
    assert _wants_bearer(client, "https://catalog.carbonmapper.org/l3a/x_plume.tif")
    assert not _wants_bearer(client, "https://catalog.carbonmapper.org/l3a/x_plume.tif?Expires=1&Signature=abc")
    assert not _wants_bearer(client, "https://carbon-mapper-data.s3.amazonaws.com/x.tif?AWSAccessKeyId=a")
    assert not _wants_bearer(client, "https://example.com/x.tif")
    assert not _wants_bearer(client, "http://catalog.carbonmapper.org/x.tif")


def test_a_signed_asset_link_stays_out_of_the_assets_repr():
    asset = StacAsset("plume.tif", "https://catalog.carbonmapper.org/x_plume.tif?Expires=1&Signature=abc-secret")
    assert "abc-secret" not in repr(asset) and "x_plume.tif" in repr(asset)
    assert asset.href.endswith("Signature=abc-secret")  # the link itself is intact


def test_no_signed_url_or_token_in_logs(emulator, caplog):
    caplog.set_level(logging.DEBUG, logger="scene_finder")
    client = client_for(emulator)
    plume_items(client, some_plumes(client))
    assert TOKEN not in caplog.text and "Signature=" not in caplog.text


# --- downloads ---------------------------------------------------------------------------
ASSET_ROUTE = "catalog/asset/*"


def asset_entries(emulator):
    return [e for e in emulator.log.entries("carbonmapper") if e.route.startswith("catalog/asset/")]


def test_plume_rasters_are_downloaded_with_the_bearer_token(emulator, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="scene_finder")
    client = client_for(emulator)
    plumes = some_plumes(client, 2)
    updates = []
    results = download_assets(client, plume_items(client, plumes), tmp_path, progress=updates.append)
    assert [r.status for r in results] == ["done"] * 4
    names = sorted(r.path.name for r in results)
    assert names == sorted(f"{p.plume_id}_{key}" for p in plumes for key in ("plume.tif", "rgb.tif"))
    for result in results:
        assert result.path.read_bytes()[:4] in (b"II*\x00", b"MM\x00*")  # GeoTIFF
    assert all(e.headers["authorization"] == f"Bearer {TOKEN}" for e in asset_entries(emulator))
    assert updates[-1].files_done == 4
    assert TOKEN not in caplog.text


def test_scene_rasters_and_a_second_run_skips_what_is_there(emulator, tmp_path):
    client = client_for(emulator)
    name = some_plumes(client, 1)[0].scene_name
    items = scene_items(client, [name])
    first = download_assets(client, items, tmp_path, assets=("rgb.tif",))
    assert [r.status for r in first] == ["done"]
    again = download_assets(client, items, tmp_path, assets=("rgb.tif",))
    assert [r.status for r in again] == ["skipped"] and again[0].path == first[0].path


def test_a_dropped_asset_transfer_resumes(emulator, tmp_path):
    client = client_for(emulator)
    items = plume_items(client, some_plumes(client, 1))
    emulator.faults.add("carbonmapper", ASSET_ROUTE, "drop_at", byte=2000)
    results = download_assets(client, items, tmp_path, assets=("plume.tif",))
    assert [r.status for r in results] == ["done"]
    ranges = [e.headers.get("range") for e in asset_entries(emulator)]
    assert ranges[0] is None and any(r and r.startswith("bytes=") for r in ranges[1:])


def test_cancel_stops_the_downloads(emulator, tmp_path):
    client = client_for(emulator)
    items = plume_items(client, some_plumes(client, 3))
    emulator.faults.add("carbonmapper", ASSET_ROUTE, "throttle", times=None, bytes_per_second=20_000)
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(CancelledError):
        download_assets(client, items, tmp_path, cancel=cancel)


def test_asset_download_items_carry_the_token_only_where_it_belongs(emulator):
    client = client_for(emulator)
    items = plume_items(client, some_plumes(client, 1))
    downloads = asset_downloads(client, items, assets=PLUME_ASSETS)
    assert len(downloads) == 2 and all(d.header_provider() == {"Authorization": f"Bearer {TOKEN}"} for d in downloads)
    assert all(d.headers == {} for d in downloads)  # nothing frozen into the item
    assert all(d.key.endswith(("/plume.tif", "/rgb.tif")) for d in downloads)


# --- a queue that outlives the access token ------------------------------------------------
EMAIL, PASSWORD = "demo@example.com", "demo-password"
ACCESS_LIFETIME = 3600


def password_client(emulator):
    return CarbonMapperClient(email=EMAIL, password=PASSWORD, base_url=emulator.carbonmapper_url)


def test_an_access_token_that_expires_mid_queue_is_renewed_once(emulator, tmp_path):
    client = password_client(emulator)
    items = plume_items(client, some_plumes(client, 2))
    downloads = asset_downloads(client, items)  # the queue is made while the token is live
    emulator.faults.add("carbonmapper", ASSET_ROUTE, "expire_token")  # ... and it dies at the first file
    emulator.log.clear()
    results = download_assets(client, items, tmp_path, parallel=1)
    assert [r.status for r in results] == ["done"] * len(downloads), [str(r.error) for r in results]
    assert [e.status for e in asset_entries(emulator)] == [401, 200, 200, 200, 200]
    assert emulator.log.count("carbonmapper", "token/refresh") == 1
    renewed = asset_entries(emulator)[1].headers["authorization"]
    assert renewed != asset_entries(emulator)[0].headers["authorization"]
    assert all(e.headers["authorization"] == renewed for e in asset_entries(emulator)[1:])


def test_parallel_downloads_refused_together_renew_the_token_once(emulator, tmp_path):
    client = password_client(emulator)
    items = plume_items(client, some_plumes(client, 3))
    client.auth_headers()
    emulator.clock.advance(ACCESS_LIFETIME + 60)  # a long queue: the hour is over when the files start
    emulator.log.clear()
    results = download_assets(client, items, tmp_path, parallel=3)
    assert [r.status for r in results] == ["done"] * 6, [str(r.error) for r in results]
    assert emulator.log.count("carbonmapper", "token/refresh") == 1


def test_a_scoped_token_refused_during_downloads_fails_clearly_without_retrying(emulator, tmp_path):
    client = client_for(emulator)
    items = plume_items(client, some_plumes(client, 1))
    bad = CarbonMapperClient("no-such-token", base_url=emulator.carbonmapper_url)
    emulator.log.clear()
    results = download_assets(bad, items, tmp_path, assets=("plume.tif",))
    assert [r.status for r in results] == ["failed"]
    assert "401" in str(results[0].error) or "refused" in str(results[0].error).lower()
    assert len(asset_entries(emulator)) == 1
