"""Metadata filters: parsing dataset-filters and building metadataFilter from labels and values."""

from __future__ import annotations

import json

import pytest
from support.conformance import FIXTURES

from scene_finder.core.errors import BadInputError
from scene_finder.core.m2m.datasets import (
    RangeFilter,
    SelectFilter,
    TextFilter,
    build_metadata_filter,
    dataset_from_json,
    filter_from_json,
)

SATELLITE = SelectFilter("61af9273566bb9a8", "Satellite", values={"9": "9", "8": "8"})
CATEGORY = SelectFilter("5f6a6fb2137a3c00", "Collection Category",
                        values={"T1": "Tier 1", "T2": "Tier 2", "RT": "Real-Time"})
PATH = RangeFilter("5e83d14fb9436d88", "WRS Path")
GENERATED = RangeFilter("5f6a6f82795f1b6c", "Date Product Generated L2 (YYYY/MM/DD)", is_date=True)
PRODUCT_ID = TextFilter("5e83d14f567d0086", "Landsat Product Identifier L2")
FILTERS = [SATELLITE, CATEGORY, PATH, GENERATED, PRODUCT_ID]


def test_seed_satellite_filter():
    assert build_metadata_filter(FILTERS, {"Satellite": "9"}) == {
        "filterType": "value", "filterId": "61af9273566bb9a8", "value": "9", "operand": "="}
    assert build_metadata_filter(FILTERS, {"satellite": 9}) == build_metadata_filter(FILTERS, {"Satellite": "9"})
    assert build_metadata_filter(FILTERS, {"61af9273566bb9a8": "9"})["filterId"] == "61af9273566bb9a8"


def test_select_by_label_or_key_and_several_values():
    assert build_metadata_filter(FILTERS, {"Collection Category": "tier 1"})["value"] == "T1"
    assert build_metadata_filter(FILTERS, {"Collection Category": "T2"})["value"] == "T2"
    either = build_metadata_filter(FILTERS, {"Collection Category": ["T1", "Tier 2"]})
    assert either["filterType"] == "or" and [c["value"] for c in either["childFilters"]] == ["T1", "T2"]


def test_range_and_combination():
    built = build_metadata_filter(FILTERS, {"WRS Path": (13, "15"), "Satellite": "9"})
    assert built["filterType"] == "and"
    between, value = built["childFilters"]
    assert between == {"filterType": "between", "filterId": PATH.id, "firstValue": 13, "secondValue": 15}
    assert value["value"] == "9"
    dates = build_metadata_filter(FILTERS, {GENERATED.label: ("2023-01-01", "2023-02-01")})
    assert (dates["firstValue"], dates["secondValue"]) == ("2023/01/01", "2023/02/01")


def test_text_uses_like_only_with_wildcards():
    assert build_metadata_filter(FILTERS, {PRODUCT_ID.label: "LC09_L2SP_013035%"})["operand"] == "like"
    assert build_metadata_filter(FILTERS, {PRODUCT_ID.label: "LC09_L2SP_013035_20230326"})["operand"] == "="


def test_unknown_label_lists_the_valid_ones():
    with pytest.raises(BadInputError, match="Unknown metadata filter 'Satelite'") as caught:
        build_metadata_filter(FILTERS, {"Satelite": "9"})
    assert "Satellite" in str(caught.value) and "WRS Path" in str(caught.value)


def test_value_outside_a_select_lists_the_valid_ones():
    with pytest.raises(BadInputError, match="not a valid value") as caught:
        build_metadata_filter(FILTERS, {"Satellite": "7"})
    assert "9" in str(caught.value) and "8" in str(caught.value)


@pytest.mark.parametrize("value", [(20, 10), ("a", "b"), (None, 4)])
def test_bad_ranges(value):
    with pytest.raises(BadInputError):
        build_metadata_filter(FILTERS, {"WRS Path": value})


def test_empty_mapping_is_no_filter():
    assert build_metadata_filter(FILTERS, {}) is None
    assert build_metadata_filter(FILTERS, None) is None
    assert build_metadata_filter(FILTERS, {"Satellite": None}) is None


def test_recorded_dataset_filters_parse():
    path = FIXTURES / "m2m" / "kapadia_usgs" / "dataset-fields.json"
    if not path.exists():
        pytest.skip("recorded fixtures not available")
    filters = [filter_from_json(item) for item in json.loads(path.read_text())["data"]]
    by_label = {f.label: f for f in filters}
    assert isinstance(by_label["WRS Path"], RangeFilter)
    assert isinstance(by_label["Landsat Product Identifier"], TextFilter)
    category = by_label["Collection Category"]
    assert isinstance(category, SelectFilter) and category.values["T1"] == "Tier 1" and "" not in category.values
    assert category.multiple
    built = build_metadata_filter(filters, {"collection category": "Real-Time"})
    assert built["value"] == "RT"


def test_recorded_dataset_search_parses():
    path = FIXTURES / "m2m" / "castuofa_usgs_m2m_api" / "dataset-search.json"
    if not path.exists():
        pytest.skip("recorded fixtures not available")
    datasets = [dataset_from_json(item) for item in json.loads(path.read_text())["data"]]
    assert datasets and all(d.alias for d in datasets)
