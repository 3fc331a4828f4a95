"""The shared readers of service answers, and the corners of the parsers they found (no server)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from scene_finder.core.carbonmapper.plumes import Plume, parse_time
from scene_finder.core.carbonmapper.scenes import paging_from_headers
from scene_finder.core.carbonmapper.stac import StacItem, _next_link
from scene_finder.core.errors import MalformedAnswerError, ServiceUnavailableError
from scene_finder.core.http import _detail_from_json
from scene_finder.core.landsat_ids import parse_landsat_id
from scene_finder.core.m2m.client import _decode_json
from scene_finder.core.m2m.errors import envelope_error
from scene_finder.core.models import download_option_from_json, parse_checksum
from scene_finder.core.parsing import (
    as_bbox,
    as_finite_float,
    as_flag,
    as_geometry,
    as_int,
    as_list_of_dicts,
    as_point,
    as_str,
    describe,
)

S = "Test service"


@pytest.mark.parametrize("raw, expected", [
    (12, 12), (12.0, 12), ("12", 12), (" 12 ", 12), ("12.0", 12), ("1e3", 1000), (None, None), ("", None),
    (2 ** 53, 2 ** 53),
])
def test_integers(raw, expected):
    assert as_int(raw, "n", S) == expected


@pytest.mark.parametrize("raw", [
    True, False, 1.5, float("inf"), float("nan"), "1e999", "Infinity", "NaN", "-inf", "twelve", 2 ** 53 + 1,
    10 ** 400, [1], {"n": 1}, "9" * 30,
])
def test_what_is_not_an_integer(raw):
    with pytest.raises(MalformedAnswerError) as raised:
        as_int(raw, "filesize", S)
    assert raised.value.field == "filesize" and raised.value.service == S
    assert str(raised.value) == ("Test service answered with data Scene Finder cannot read (field filesize). "
                                 "Try again later; if it persists, report it.")


def test_counts_are_not_negative():
    assert as_int(0, "count", S, minimum=0) == 0
    with pytest.raises(MalformedAnswerError):
        as_int(-1, "count", S, minimum=0)
    with pytest.raises(MalformedAnswerError):
        as_finite_float("-0.5", "size", S, minimum=0)


@pytest.mark.parametrize("raw, expected", [(1.5, 1.5), (2, 2.0), ("1.5", 1.5), (None, None), (" ", None)])
def test_finite_floats(raw, expected):
    assert as_finite_float(raw, "x", S) == expected


@pytest.mark.parametrize("raw", [True, float("inf"), float("-inf"), float("nan"), "1e999", "nan", 10 ** 400, "x", []])
def test_what_is_not_a_finite_float(raw):
    with pytest.raises(MalformedAnswerError):
        as_finite_float(raw, "x", S)


def test_strings_flags_and_lists():
    assert as_str(7, "id", S) == "7" and as_str(None, "id", S) == "" and as_str("a", "id", S) == "a"
    for wrong in (True, 1.5, [], {}):
        with pytest.raises(MalformedAnswerError):
            as_str(wrong, "id", S)
    assert [as_flag(v, "f", S) for v in (True, "Y", "true", 1, None, "N", 0, "")] == [True] * 4 + [False] * 4
    with pytest.raises(MalformedAnswerError):
        as_flag("maybe", "f", S)
    assert as_list_of_dicts(None, "l", S) == []
    with pytest.raises(MalformedAnswerError, match=r"field l\[1\]"):
        as_list_of_dicts([{}, 3], "l", S)


def test_points_boxes_and_geometries():
    assert as_point({"type": "Point", "coordinates": [-119.4, 35.1], "bbox": None}, "g", S) == (-119.4, 35.1)
    assert as_point(None, "g", S) is None and as_point({"type": "Polygon"}, "g", S) is None
    for wrong in ([1, 2], {"type": "Point", "coordinates": ["1", "2"]}, {"type": "Point", "coordinates": [1]},
                  {"type": "Point", "coordinates": [1, 95]}, {"type": "Point", "coordinates": [float("inf"), 1]},
                  {"coordinates": [1, 2]}):
        with pytest.raises(MalformedAnswerError):
            as_point(wrong, "g", S)
    assert as_bbox([0, 1, 2, 3], "b", S) == (0.0, 1.0, 2.0, 3.0) and as_bbox(None, "b", S) is None
    for wrong in ([0, 1, 2], [0, 1, 2, float("nan")], "0,1,2,3", [True, 1, 2, 3]):
        with pytest.raises(MalformedAnswerError):
            as_bbox(wrong, "b", S)
    square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    assert as_geometry(square, "g", S).area == 1.0
    assert as_geometry({"type": "MultiPoint", "coordinates": []}, "g", S) is None  # empty
    for wrong in ({"type": "Polygon", "coordinates": [[[0, 0], [0, 1e999], [1, 1], [0, 0]]]},
                  {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
                  {"type": "Polygon", "coordinates": [[0, 0]]}, {"type": "Circle", "coordinates": [0, 0]},
                  "POINT(0 0)"):
        with pytest.raises(MalformedAnswerError):
            as_geometry(wrong, "g", S)


def test_the_log_description_never_holds_text_or_containers():
    secret = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLXZhbHVl.c2lnbmF0dXJl"
    for value in (secret, [secret], {"access": secret}):
        with pytest.raises(MalformedAnswerError) as raised:
            as_int(value, "access", S)
        assert secret not in raised.value.details() and secret not in describe(value)
    assert describe(float("inf")) == "float inf" and describe(10 ** 400) == "int of 1329 bits"


def test_m2m_envelope_errors():
    assert envelope_error({"errorCode": None, "data": 1}) is None
    assert envelope_error({"errorCode": "", "errorMessage": {"x": 1}}) is None
    error = envelope_error({"errorCode": "RATE_LIMIT", "errorMessage": {"x": 1}}, 200)
    assert error.code == "RATE_LIMIT" and error.service_message is None
    assert envelope_error({"errorCode": 500, "errorMessage": 7}).code == "500"
    with pytest.raises(MalformedAnswerError, match="field errorCode"):
        envelope_error({"errorCode": ["AUTH_INVALID"]})


def test_json_nested_beyond_the_decoder_is_no_json():
    deep = b"[" * 100_000 + b"]" * 100_000
    assert _decode_json(deep) is None
    nested: object = "x"
    for _ in range(5000):
        nested = [nested]
    with pytest.raises(RecursionError):  # what response_detail now catches
        _detail_from_json(nested)
    assert json.loads(b"[" * 50 + b"]" * 50)  # ordinary nesting still reads


def test_landsat_ids_and_times_past_the_calendar():
    assert parse_landsat_id("x", "LC90130359999999LGN00") == {"satellite": 9, "wrs_path": 13, "wrs_row": 35,
                                                              "acquired": None}
    assert parse_time("0001-01-01T00:00:00+05:00") is None and parse_time(12) is None
    assert parse_time("9999-12-31T23:00:00-05:00") is None
    assert parse_time("2026-08-23T20:09:09.630Z") == dt.datetime(2026, 8, 23, 20, 9, 9, 630000, tzinfo=dt.timezone.utc)


def test_checksums_must_be_hexadecimal_text():
    assert parse_checksum([{"id": "md5", "value": " AB12 "}]) == ("md5", "ab12")
    for wrong in ([{"id": "md5", "value": "not hex"}], [{"id": "sha256", "value": 12.5}], "sha256", [1]):
        with pytest.raises(MalformedAnswerError):
            parse_checksum(wrong)


def test_secondary_downloads_nest_one_level_only():
    deep = {"id": "p", "secondaryDownloads": [{"id": "s", "secondaryDownloads": 7}]}
    option = download_option_from_json(deep)
    assert option.secondary[0].product_id == "s" and option.secondary[0].secondary == ()


def test_scene_page_headers():
    assert paging_from_headers({"pagination-count": "10", "pagination-limit": "5"}) == (10, 5)
    assert paging_from_headers({"pagination-count": "10"}) == (10, 0)
    with pytest.raises(ServiceUnavailableError, match="paging headers"):
        paging_from_headers({})
    for wrong in ({"pagination-count": "-3"}, {"pagination-count": "1e999"},
                  {"pagination-count": "3", "pagination-limit": "x"}):
        with pytest.raises(MalformedAnswerError):
            paging_from_headers(wrong)


def test_stac_items_and_links():
    item = StacItem.from_json({"id": 5, "assets": {"a": {"href": "https://x/a.tif", "roles": ["data"]},
                                                   "b": {"href": None}}})
    assert item.id == "5" and set(item.assets) == {"a"} and item.assets["a"].roles == ("data",)
    for wrong in ({}, {"id": "x", "assets": []}, {"id": "x", "assets": {"a": {"href": 3}}},
                  {"id": "x", "assets": {"a": {"href": "h", "roles": "data"}}}, {"id": "x", "properties": []},
                  {"id": "x", "geometry": "POINT(0 0)"}, {"id": "x", "bbox": [0, 0, float("inf"), 1]}):
        with pytest.raises(MalformedAnswerError):
            StacItem.from_json(wrong)
    assert _next_link({"links": [{"rel": "next", "href": "https://x/p2", "method": "POST", "body": {}}]})
    assert _next_link({"links": None}) is None
    for wrong in ({"links": 3}, {"links": [{"rel": "next", "href": 3}]},
                  {"links": [{"rel": "next", "href": "h", "body": [1]}]},
                  {"links": [{"rel": "next", "href": "h", "method": {}}]}):
        with pytest.raises(MalformedAnswerError):
            _next_link(wrong)


def test_plume_text_fields_are_text():
    for key in ("gas", "sector", "plume_tif", "scene_id"):  # plume_tif: a link is text, never a number either
        with pytest.raises(MalformedAnswerError, match=f"items\\[\\].{key}"):
            Plume.from_json({"id": "u", key: {"nested": 1}})
    assert Plume.from_json({"id": "u", "plume_bounds": []}).plume_bounds is None
