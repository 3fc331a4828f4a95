"""Property tests: every parser of a service answer, fed any JSON value, gives exactly one of two
outcomes: a valid model, or our typed error. Never a TypeError, OverflowError, AttributeError,
ValueError or KeyError from inside.

Two kinds of input per parser:

- arbitrary JSON (``st.recursive``), with object keys drawn mostly from the field names the
  parsers read, so that the values land where they are looked at;
- "almost valid" answers: a real answer (recorded, from ``../shared/fixtures``, read in place;
  or the emulator's) with one member replaced by an arbitrary JSON value, or removed.

Reproducible in CI: derandomized, no example database, no deadline (a shared machine).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from shapely.geometry.base import BaseGeometry
from support.conformance import FIXTURES

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.carbonmapper.plumes import Plume, _count, plume_page_from_json
from scene_finder.core.carbonmapper.scenes import paging_from_headers
from scene_finder.core.carbonmapper.stac import StacAsset, StacItem, _next_link
from scene_finder.core.errors import MalformedAnswerError, SceneFinderError
from scene_finder.core.m2m.client import M2MClient
from scene_finder.core.m2m.datasets import (
    Dataset,
    RangeFilter,
    SelectFilter,
    TextFilter,
    datasets_from_json,
    filters_from_json,
)
from scene_finder.core.m2m.download_answers import (
    DownloadEntry,
    options_from_json,
    request_answer_from_json,
    retrieve_answer_from_json,
)
from scene_finder.core.models import DownloadOption, Scene, scene_page_from_json
from scene_finder.core.parsing import MAX_INT

EXAMPLES = 300
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

# --- strategies ------------------------------------------------------------------------------
FIELDS = [
    # M2M
    "data", "errorCode", "errorMessage", "results", "recordsReturned", "totalHits", "totalHitsAccuracy",
    "entityId", "displayId", "cloudCover", "temporalCoverage", "startDate", "spatialCoverage", "spatialBounds",
    "browse", "browsePath", "thumbnailPath", "publishDate", "metadata", "fieldName", "value", "id", "available",
    "filesize", "productName", "productCode", "downloadSystem", "secondaryDownloads", "checksum", "bulkAvailable",
    "availableDownloads", "preparingDownloads", "failed", "newRecords", "duplicateProducts", "requested",
    "downloadId", "url", "statusCode", "statusText", "datasetAlias", "collectionName", "sceneCount",
    "supportCloudCover", "fieldConfig", "fieldLabel", "valueList", "options", "multiple", "validators",
    "dictionaryLink", "acquisitionStart", "type", "coordinates",
    # Carbon Mapper
    "items", "bbox_count", "total_count", "count", "plume_id", "gas", "geometry_json", "scene_timestamp",
    "emission_auto", "plume_bounds", "plume_tif", "status", "sector", "features", "assets", "href", "roles",
    "properties", "datetime", "bbox", "geometry", "collection", "links", "rel", "method", "body", "merge",
    "access", "refresh",
]
NUMBERS = st.one_of(
    st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 2 ** 53, 2 ** 53 + 1, 10 ** 400, -(10 ** 30), 1e308, 1.5, -0.0]),
)
TEXT = st.one_of(st.text(max_size=16), st.sampled_from(
    ["", " ", "1e999", "Infinity", "NaN", "-1", "12", "12.5", "true", "Y", "Point", "Polygon", "next", "POST",
     "A", "F", "2023-03-26 00:00:00", "0001-01-01T00:00:00+05:00", "https://example.org/a.tif", "\ud800"]))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
KEYS = st.one_of(st.sampled_from(FIELDS), st.text(max_size=6))
JSON = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)), max_leaves=24)
# What most often breaks code that expects something else: wrong types, non-finite and huge numbers.
NASTY = st.sampled_from([
    None, True, False, 0, -1, 1.5, float("inf"), float("-inf"), float("nan"), 2 ** 53 + 1, 10 ** 400, "", "x",
    "1e999", "NaN", "-5", [], {}, [1], [None], ["x", "y"], {"a": 1}, {"type": "Point"}, [[]], "\ud800",
])
REPLACEMENTS = st.one_of(NASTY, JSON)


def paths(tree: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON tree (the root included)."""
    found = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found.extend(paths(value, prefix + (key,)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found.extend(paths(value, prefix + (index,)))
    return found


def changed(base: Any, path: tuple, value: Any, remove: bool) -> Any:
    """A copy of ``base`` with the member at ``path`` replaced by ``value`` (or removed)."""
    if not path:
        return value
    tree = copy.deepcopy(base)
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    if remove and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return tree


def read_places(tree: Any) -> list[tuple]:
    """The places parsers look at: the root, the members named like the fields they read, and the
    items of lists of objects."""
    places = []
    for path in paths(tree):
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        if not path or path[-1] in FIELDS or (isinstance(parent, list) and isinstance(parent[path[-1]], dict)):
            places.append(path)
    return places


@st.composite
def almost(draw, bases: list) -> Any:
    """A real answer with one member replaced (mostly where a parser reads) or removed."""
    base = draw(st.sampled_from(bases))
    path = draw(st.one_of(st.sampled_from(read_places(base)), st.sampled_from(paths(base))))
    return changed(base, path, draw(REPLACEMENTS), draw(st.booleans()))


def trimmed(tree: Any, keep: int = 3) -> Any:
    """Lists of objects cut to ``keep`` items, all the way down (a recorded dataset-search has 1,163
    datasets); lists of anything else (coordinates, bounds) are kept whole."""
    if isinstance(tree, dict):
        return {k: trimmed(v, keep) for k, v in tree.items()}
    if isinstance(tree, list):
        objects = any(isinstance(v, dict) for v in tree)
        return [trimmed(v, keep) for v in (tree[:keep] if objects else tree)]
    return tree


# --- real answers: recorded, and the emulator's -----------------------------------------------
RECORDED = {
    "envelope": ["m2m/kapadia_usgs/scene-search.json", "m2m/kapadia_usgs/download-request.json",
                 "m2m/usgs_docs_samples/login-token.json", "m2m/observed_in_issues_and_code/error_AUTH_EXPIRED.json",
                 "m2m/usgs_docs_samples/download-retrieve.json"],
    "scenes": ["m2m/kapadia_usgs/scene-search.json", "m2m/usgs_docs_samples/scene-search_FIXED.json",
               "m2m/castuofa_usgs_m2m_api/scene-search.json"],
    "options": ["m2m/kapadia_usgs/download-options.json", "m2m/castuofa_usgs_m2m_api/download-options.json",
                "m2m/usgs_docs_samples/download-options_TRIMMED.json"],
    "request": ["m2m/kapadia_usgs/download-request.json", "m2m/castuofa_usgs_m2m_api/download-request.json",
                "m2m/usgs_docs_samples/download-request.json",
                "m2m/observed_in_issues_and_code/download-request_empty_theia_comment.json",
                "m2m/observed_in_issues_and_code/download-request_data_only_theia_2024-01-31.json"],
    "retrieve": ["m2m/castuofa_usgs_m2m_api/download-retrieve.json", "m2m/usgs_docs_samples/download-retrieve.json"],
    "datasets": ["m2m/kapadia_usgs/dataset-search.json", "m2m/castuofa_usgs_m2m_api/dataset-search.json"],
    "filters": ["m2m/kapadia_usgs/dataset-fields.json", "m2m/usgs_docs_samples/dataset-filters_FIXED.json"],
    "plumes": ["carbonmapper/plumes_annotated_page__sjvair_2026-09.json",
               "carbonmapper/plumes_annotated_item__platform-public_2024-08_scrubbed.json"],
    "plume": ["carbonmapper/plume_single__mhacks_2026-09_scrubbed.json"],
}
ENVELOPE_KINDS = {"envelope"}  # kept whole; the others are the envelope's ``data`` (when there is one)


def _recorded(kind: str) -> list:
    bases = []
    for relative in RECORDED[kind]:
        path = Path(FIXTURES) / relative
        if not path.exists():
            continue
        document = trimmed(json.loads(path.read_text(encoding="utf-8")))
        if kind not in ENVELOPE_KINDS and isinstance(document, dict) and "errorCode" in document:
            document = document.get("data")
        bases.append(document)
    return bases


def _emulated(emulator) -> dict[str, list]:
    """One answer of each kind from the emulator, fetched with plain requests."""
    m2m, cm = emulator.m2m_url, emulator.carbonmapper_url
    with requests.Session() as http:
        login = http.post(m2m + "login-token", json={"username": "demo", "token": "demo-application-token"}).json()
        headers = {"X-Auth-Token": login["data"]}

        def call(endpoint: str, payload: dict) -> dict:
            return http.post(m2m + endpoint, json=payload, headers=headers).json()

        dataset = "landsat_ot_c2_l2"
        search = call("scene-search", {"datasetName": dataset, "maxResults": 3,
                                       "sceneFilter": {"acquisitionFilter": {"start": "2019-02-01",
                                                                             "end": "2019-02-28"}}})
        ids = [r["entityId"] for r in search["data"]["results"]]
        options = call("download-options", {"datasetName": dataset, "entityIds": ids})
        bundles = [o for o in options["data"] if o["available"] and o["downloadSystem"] != "folder"][:2]
        request = call("download-request", {"label": "property-test", "downloads": [
            {"entityId": o["entityId"], "productId": o["id"]} for o in bundles]})
        retrieve = call("download-retrieve", {"label": "property-test"})
        datasets = call("dataset-search", {"datasetName": dataset})
        filters = call("dataset-filters", {"datasetName": dataset})
        call("logout", {})
        plumes = http.get(cm + "catalog/plumes/annotated", params={"limit": 3}).json()
        stac = http.post(cm + "stac/search", json={"collections": ["l3a-vis-ch4-mfa-v3a"], "limit": 2}).json()
    return {
        "envelope": [trimmed(search), trimmed(request)], "scenes": [trimmed(search["data"])],
        "options": [trimmed(options["data"])], "request": [trimmed(request["data"])],
        "retrieve": [trimmed(retrieve["data"])], "datasets": [trimmed(datasets["data"])],
        "filters": [trimmed(filters["data"])], "plumes": [trimmed(plumes)], "plume": [trimmed(plumes["items"][0])],
        "stac": [trimmed(stac, 2)], "stac_item": [trimmed(stac["features"][0])],
    }


@pytest.fixture(scope="module")
def answers(emulator_session) -> dict[str, list]:
    emulated = _emulated(emulator_session)
    return {kind: _recorded(kind) + emulated[kind] if kind in RECORDED else emulated[kind] for kind in emulated}


# --- the parsers, as the clients call them ------------------------------------------------------
_M2M = M2MClient("property", "property-test-token", base_url="http://127.0.0.1:9/")
_CM = CarbonMapperClient("property-test-cm-token", base_url="http://127.0.0.1:9/")


def parse_envelope(value: Any) -> Any:
    response = requests.Response()
    response.status_code = 200
    response.headers["Content-Type"] = "application/json"
    response._content = json.dumps(value).encode("ascii")
    response._content_consumed = True
    return _M2M._data_from("scene-search", response, None)


def parse_plume_page(value: Any) -> tuple[int, list[Plume]]:
    page = plume_page_from_json(value)
    return _count(page), [Plume.from_json(item) for item in page["items"]]


def parse_stac_page(value: Any) -> tuple[list[StacItem], dict | None]:
    """What :func:`search_items` reads of one page: its features, one by one, and its next link."""
    features = value.get("features") if isinstance(value, dict) else None
    if not isinstance(features, list):
        raise MalformedAnswerError(field="features")
    return [StacItem.from_json(feature) for feature in features], _next_link(value)


def parse_tokens(value: Any) -> str:
    client = CarbonMapperClient(email="someone@example.org", password="property-password",
                                base_url="http://127.0.0.1:9/")
    client._take_tokens(value)
    return client._access


# --- what a valid model is ----------------------------------------------------------------------
def finite(value) -> bool:
    return type(value) is float and math.isfinite(value)


def count(value) -> bool:
    return type(value) is int and 0 <= value <= MAX_INT


def text_or_none(*values) -> bool:
    return all(v is None or type(v) is str for v in values)


def check_scene(scene: Scene) -> None:
    assert isinstance(scene, Scene) and type(scene.entity_id) is str and type(scene.display_id) is str
    assert scene.acquired is None or isinstance(scene.acquired, dt.date)
    assert scene.cloud_cover is None or (finite(scene.cloud_cover) and scene.cloud_cover >= 0)
    if scene.footprint is not None:
        assert isinstance(scene.footprint, BaseGeometry) and not scene.footprint.is_empty
        assert all(math.isfinite(c) for c in scene.footprint.bounds)
    assert text_or_none(scene.browse_url, scene.thumbnail_url, scene.publish_date)
    assert all(v is None or type(v) is int for v in (scene.wrs_path, scene.wrs_row, scene.satellite))


def check_scene_page(page: dict) -> None:
    assert isinstance(page, dict)
    for scene in page.get("results", []):
        check_scene(scene)
    for key in ("recordsReturned", "totalHits"):
        assert page.get(key) is None or count(page[key])
    assert text_or_none(page.get("totalHitsAccuracy"))


def check_option(option: DownloadOption, nested: bool = False) -> None:
    assert isinstance(option, DownloadOption)
    assert all(type(v) is str for v in (option.product_id, option.entity_id, option.display_id,
                                          option.product_name, option.product_code, option.download_system))
    assert type(option.available) is bool and type(option.bulk_available) is bool
    assert option.filesize is None or (count(option.filesize) and option.filesize > 0)
    assert option.checksum is None or (option.checksum[0] in {"md5", "sha1", "sha256", "sha512"}
                                       and set(option.checksum[1]) <= set("0123456789abcdef"))
    assert not (nested and option.secondary)
    for secondary in option.secondary:
        check_option(secondary, nested=True)


def check_entry(entry: DownloadEntry) -> None:
    assert all(type(v) is str for v in (entry.download_id, entry.entity_id, entry.display_id, entry.status_code,
                                          entry.status_text, entry.message))
    assert text_or_none(entry.url) and (entry.filesize is None or count(entry.filesize))


def check_request(answer) -> None:
    for entry in answer.available + answer.preparing + answer.failed:
        check_entry(entry)
    for mapping in (answer.new_records, answer.duplicates):
        assert all(type(k) is str and type(v) is str for k, v in mapping.items())


def check_retrieve(answer) -> None:
    for entry in answer.available + answer.requested:
        check_entry(entry)


def check_datasets(datasets: list) -> None:
    for dataset in datasets:
        assert isinstance(dataset, Dataset) and type(dataset.alias) is str and type(dataset.name) is str
        assert dataset.scene_count is None or count(dataset.scene_count)
        assert text_or_none(dataset.acquisition_start, dataset.acquisition_end)
        assert type(dataset.supports_cloud_cover) is bool


def check_filters(filters: list) -> None:
    for found in filters:
        assert isinstance(found, TextFilter) or isinstance(found, SelectFilter) or isinstance(found, RangeFilter)
        assert type(found.id) is str and type(found.label) is str and text_or_none(found.dictionary_link)
        if isinstance(found, SelectFilter):
            assert all(type(k) is str and type(v) is str for k, v in found.values.items())
            assert type(found.multiple) is bool


def check_plume(plume: Plume) -> None:
    assert isinstance(plume, Plume) and type(plume.id) is str and type(plume.plume_id) is str
    assert text_or_none(plume.gas, plume.instrument, plume.platform, plume.sector, plume.status, plume.scene_id,
                        plume.scene_name, plume.plume_tif, plume.plume_png, plume.plume_rgb_png, plume.rgb_png,
                        plume.con_tif)
    if plume.longitude is not None:
        assert finite(plume.longitude) and finite(plume.latitude)
        assert -180 <= plume.longitude <= 180 and -90 <= plume.latitude <= 90
    assert all(v is None or finite(v) for v in (plume.emission, plume.emission_uncertainty))
    assert plume.plume_bounds is None or (len(plume.plume_bounds) == 4 and all(map(finite, plume.plume_bounds)))
    for when in (plume.datetime, plume.published_at):
        assert when is None or (isinstance(when, dt.datetime) and when.tzinfo is not None)


def check_plume_page(parsed) -> None:
    total, plumes = parsed
    assert count(total)
    for plume in plumes:
        check_plume(plume)


def check_stac_item(item: StacItem) -> None:
    assert isinstance(item, StacItem) and type(item.id) is str and item.id and text_or_none(item.collection)
    assert item.bbox is None or (len(item.bbox) in (4, 6) and all(map(finite, item.bbox)))
    assert item.geometry is None or isinstance(item.geometry, dict)
    assert isinstance(item.properties, dict)
    assert item.datetime is None or (isinstance(item.datetime, dt.datetime) and item.datetime.tzinfo is not None)
    for key, asset in item.assets.items():
        assert isinstance(asset, StacAsset) and asset.key == key and type(asset.href) is str and asset.href
        assert text_or_none(asset.media_type) and all(type(r) is str for r in asset.roles)


def check_stac_page(parsed) -> None:
    items, link = parsed
    for item in items:
        check_stac_item(item)
    if link is not None:
        assert type(link["href"]) is str and type(link.get("method") or "") is str
        assert "body" not in link or isinstance(link["body"], dict)


def check_anything(_data) -> None:
    """An envelope's data is any JSON value: the endpoint's own parser checks it."""


def check_token(access) -> None:
    assert type(access) is str and access


PARSERS = {
    "envelope": (parse_envelope, check_anything, SceneFinderError),
    "scenes": (lambda v: scene_page_from_json(v, "dataset"), check_scene_page, MalformedAnswerError),
    "options": (options_from_json, lambda options: [check_option(o) for o in options], MalformedAnswerError),
    "request": (request_answer_from_json, check_request, MalformedAnswerError),
    "retrieve": (retrieve_answer_from_json, check_retrieve, MalformedAnswerError),
    "datasets": (datasets_from_json, check_datasets, MalformedAnswerError),
    "filters": (filters_from_json, check_filters, MalformedAnswerError),
    "plumes": (parse_plume_page, check_plume_page, MalformedAnswerError),
    "plume": (Plume.from_json, check_plume, MalformedAnswerError),
    "stac": (parse_stac_page, check_stac_page, MalformedAnswerError),
    "stac_item": (StacItem.from_json, check_stac_item, MalformedAnswerError),
}


def one_of_two_outcomes(kind: str, value: Any, record: bool = True) -> str:
    parse, check, typed = PARSERS[kind]
    try:
        model = parse(value)
    except typed as error:
        assert str(error) and "Traceback" not in str(error)
        if record:
            event(f"typed error: {type(error).__name__}")  # see --hypothesis-show-statistics
        return "error"
    check(model)
    if record:
        event("model")
    return "model"


# --- the properties -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(PARSERS))
@PROPERTY
@given(value=JSON)
def test_any_json_gives_a_model_or_our_typed_error(kind, value):
    one_of_two_outcomes(kind, value)


@pytest.mark.parametrize("kind", sorted(PARSERS))
@PROPERTY
@given(data=st.data())
def test_almost_valid_answers_give_a_model_or_our_typed_error(answers, kind, data):
    bases = answers[kind]
    assert bases, f"no real {kind} answer to start from"
    one_of_two_outcomes(kind, data.draw(almost(bases)))


def test_the_real_answers_themselves_give_models(answers):
    for kind in PARSERS:
        for base in answers[kind]:
            expected = "error" if kind == "envelope" and base.get("errorCode") else "model"  # AUTH_EXPIRED
            assert one_of_two_outcomes(kind, copy.deepcopy(base), record=False) == expected, (kind, str(base)[:200])


@PROPERTY
@given(headers=st.dictionaries(st.sampled_from(["pagination-count", "pagination-limit", "pagination-offset"]),
                               TEXT, max_size=3))
def test_scene_page_headers_give_counts_or_our_typed_error(headers):
    try:
        total, limit = paging_from_headers(headers)
    except SceneFinderError:
        return
    assert count(total) and count(limit)


@PROPERTY
@given(value=st.one_of(JSON, st.fixed_dictionaries({"access": JSON, "refresh": JSON})))
def test_sign_in_tokens_give_a_token_or_our_typed_error(value):
    try:
        access = parse_tokens(value)
    except MalformedAnswerError:
        return
    check_token(access)
