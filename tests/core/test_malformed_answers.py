"""Valid but malformed JSON from both services, through the real clients against the emulator's
``malformed_json`` fault: every kind gives our typed error with a clear message, never a
TypeError, OverflowError, AttributeError or ValueError from deep inside."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.carbonmapper.plumes import PLUMES_ANNOTATED, search_plumes
from scene_finder.core.carbonmapper.scenes import SCENES_GPKG, SceneDownload
from scene_finder.core.carbonmapper.stac import STAC_SEARCH, search_items
from scene_finder.core.errors import (
    AuthInvalidError,
    BadInputError,
    MalformedAnswerError,
    SceneFinderError,
    ServiceUnavailableError,
)
from scene_finder.core.http import make_session
from scene_finder.core.m2m import M2MClient, PollPolicy, dataset_filters, download_options, download_scenes
from scene_finder.core.m2m.datasets import search_datasets
from scene_finder.core.m2m.search import search_scenes
from scene_finder.emulator.m2m.downloads import prepares_first

DATASET = "landsat_ot_c2_l2"
FOCUS = box(-80, 33, -73, 39)
FAST = PollPolicy(first_wait=0.01, factor=1.0, max_wait=0.01, total=30)
CM_TOKEN = "demo-carbonmapper-token"
ADVICE = "Try again later; if it persists, report it."


@pytest.fixture()
def m2m(emulator):
    with M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url,
                   session=make_session(retries=1, backoff=0.0), rate_limit_backoff=0.01) as client:
        yield client


@pytest.fixture()
def cm(emulator):
    return CarbonMapperClient(CM_TOKEN, base_url=emulator.carbonmapper_url,
                              session=make_session(retries=1, backoff=0.0))


def typed(call, expected: type[SceneFinderError] = MalformedAnswerError, field: str | None = None):
    """Run ``call``; it must raise ``expected`` (anything else, a TypeError included, fails the test)."""
    with pytest.raises(SceneFinderError) as raised:
        call()
    error = raised.value
    assert isinstance(error, expected), f"{type(error).__name__}: {error}"
    if isinstance(error, MalformedAnswerError) and field is not None:
        assert str(error) == f"{error.service} answered with data Scene Finder cannot read (field {field}). {ADVICE}"
    return error


def scene_ids(client, year: int, count: int, preparing: bool = False) -> list[str]:
    scenes = list(search_scenes(client, aoi=FOCUS, start=f"{year}-02-01", end=f"{year}-02-28", limit=3000))
    chosen = [s.entity_id for s in scenes if s.cloud_cover is not None and prepares_first(s) == preparing][:count]
    assert len(chosen) == count
    return chosen


# --- USGS M2M ----------------------------------------------------------------------------------
def test_error_envelope_whose_message_is_not_text(m2m, emulator):
    emulator.faults.add("m2m", "scene-search", "malformed_json", variant="error_message")
    error = typed(lambda: search_scenes(m2m, aoi=FOCUS, limit=5), ServiceUnavailableError)
    assert error.code == "SERVER_ERROR" and "USGS M2M is unavailable or failed" in str(error)


def test_sign_in_refused_with_a_message_that_is_not_text(emulator):
    emulator.faults.add("m2m", "login-token", "malformed_json", variant="error_message", code="AUTH_INVALID",
                        message=["credentials", 401])
    client = M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url)
    typed(client.login, AuthInvalidError)


@pytest.mark.parametrize("variant", ["huge_number", "infinity", "nan"])
def test_counts_that_are_not_finite_numbers(m2m, emulator, variant):
    emulator.faults.add("m2m", "scene-search", "malformed_json", variant=variant, fields=["totalHits"])
    typed(lambda: search_scenes(m2m, aoi=FOCUS, limit=5), field="totalHits")


@pytest.mark.parametrize("variant", ["huge_number", "infinity", "nan"])
def test_sizes_that_are_not_finite_numbers(m2m, emulator, variant):
    (entity_id,) = scene_ids(m2m, 2019, 1)
    emulator.faults.add("m2m", "download-options", "malformed_json", variant=variant, fields=["filesize"])
    typed(lambda: download_options(m2m, DATASET, [entity_id]), field="download-options[0].filesize")


def test_cloud_cover_of_1e999(m2m, emulator):
    emulator.faults.add("m2m", "scene-search", "malformed_json", variant="huge_number", fields=["cloudCover"])
    typed(lambda: search_scenes(m2m, aoi=FOCUS, limit=5), field="results[].cloudCover")


def test_integer_secondary_downloads(m2m, emulator):
    (entity_id,) = scene_ids(m2m, 2019, 1)
    emulator.faults.add("m2m", "download-options", "malformed_json", variant="secondary_int")
    typed(lambda: download_options(m2m, DATASET, [entity_id]), field="download-options[0].secondaryDownloads")


def test_scene_results_that_are_not_objects(m2m, emulator):
    emulator.faults.add("m2m", "scene-search", "malformed_json", variant="containers")
    typed(lambda: search_scenes(m2m, aoi=FOCUS, limit=5), field="results[]")


def test_download_request_entries_that_are_not_objects(m2m, emulator, tmp_path):
    ids = scene_ids(m2m, 2019, 1)
    emulator.faults.add("m2m", "download-request", "malformed_json", variant="containers")
    typed(lambda: download_scenes(m2m, DATASET, ids, tmp_path, poll=FAST), field="availableDownloads[0]")
    assert not list(tmp_path.iterdir())


def test_download_retrieve_with_an_infinite_size(m2m, emulator, tmp_path):
    ids = scene_ids(m2m, 2018, 1, preparing=True)
    emulator.faults.add("m2m", "download-retrieve", "malformed_json", variant="infinity", times=None)
    typed(lambda: download_scenes(m2m, DATASET, ids, tmp_path, poll=FAST))
    assert emulator.log.count("m2m", "download-retrieve") >= 1


def test_datasets_and_filters(m2m, emulator):
    emulator.faults.add("m2m", "dataset-search", "malformed_json", variant="huge_number", fields=["sceneCount"])
    typed(lambda: search_datasets(m2m, "landsat"), field="dataset-search[].sceneCount")
    emulator.faults.add("m2m", "dataset-filters", "malformed_json", variant="containers")
    typed(lambda: dataset_filters(m2m, DATASET), field="data[0]")


# --- Carbon Mapper -----------------------------------------------------------------------------
@pytest.mark.parametrize("geometry, field", [
    (None, "items[].geometry_json.coordinates"),  # the default: a Point with text coordinates
    ([-119.4, 35.1], "items[].geometry_json"),
    ({"type": "Point", "coordinates": [-119.4]}, "items[].geometry_json.coordinates"),
    ({"type": "Point", "coordinates": [-119.4, 200]}, "items[].geometry_json.coordinates"),
    ({"type": 5}, "items[].geometry_json"),
])
def test_bad_plume_geometry(cm, emulator, geometry, field):
    extra = {} if geometry is None else {"geometry": geometry}
    emulator.faults.add("carbonmapper", PLUMES_ANNOTATED, "malformed_json", variant="plume_geometry", **extra)
    typed(lambda: list(search_plumes(cm, gas="CH4", limit=3)), field=field)


@pytest.mark.parametrize("variant", ["huge_number", "infinity", "nan"])
def test_plume_counts_that_are_not_finite_numbers(cm, emulator, variant):
    emulator.faults.add("carbonmapper", PLUMES_ANNOTATED, "malformed_json", variant=variant, fields=["bbox_count"])
    typed(lambda: search_plumes(cm, gas="CH4", limit=3), field="bbox_count")


def test_plume_emission_of_1e999(cm, emulator):
    emulator.faults.add("carbonmapper", PLUMES_ANNOTATED, "malformed_json", variant="huge_number",
                        fields=["emission_auto"])
    typed(lambda: list(search_plumes(cm, gas="CH4", limit=3)), field="items[].emission_auto")


def test_plume_items_that_are_not_objects(cm, emulator):
    emulator.faults.add("carbonmapper", PLUMES_ANNOTATED, "malformed_json", variant="containers")
    typed(lambda: list(search_plumes(cm, gas="CH4", limit=3)), field="items[]")


def test_plume_error_whose_detail_is_not_text(cm, emulator):
    emulator.faults.add("carbonmapper", PLUMES_ANNOTATED, "malformed_json", variant="error_message")
    error = typed(lambda: search_plumes(cm, gas="CH4", limit=3), BadInputError)
    assert "An unexpected error occurred" in str(error)


def test_stac_features_that_are_not_objects(cm, emulator):
    emulator.faults.add("carbonmapper", STAC_SEARCH, "malformed_json", variant="containers")
    typed(lambda: list(search_items(cm, collections=["l3a-vis-ch4-mfa-v3a"], max_items=3)), field="features[]")


def test_stac_bbox_of_infinities(cm, emulator):
    emulator.faults.add("carbonmapper", STAC_SEARCH, "malformed_json", variant="infinity")
    typed(lambda: list(search_items(cm, collections=["l3a-vis-ch4-mfa-v3a"], max_items=3)), field="features[].bbox")


@pytest.mark.parametrize("variant", ["huge_number", "infinity", "nan"])
def test_scene_page_count_header_that_is_not_a_count(cm, emulator, tmp_path, variant):
    emulator.faults.add("carbonmapper", SCENES_GPKG, "malformed_json", variant=variant)
    download = SceneDownload(cm, instrument="tan", work_dir=tmp_path)
    typed(lambda: download.schema(tmp_path / "schema.gpkg"), field="pagination-count")


def test_unknown_variant_is_refused_when_the_fault_is_added(emulator):
    with pytest.raises(ValueError, match="variant"):
        emulator.faults.add("m2m", "*", "malformed_json", variant="no-such-thing")
