"""The emulator lists a realistic catalogue: 200+ datasets in USGS's categories, most of them listing-only."""

from __future__ import annotations

import collections

import pytest
from support.m2m_api import M2MApi

from scene_finder.core.m2m.datasets import datasets_from_json


@pytest.fixture()
def api(emulator):
    return M2MApi(emulator)


def test_dataset_search_lists_the_catalogue_by_category(api):
    every = api.call("dataset-search", {})
    aliases = [d["datasetAlias"] for d in every]
    assert len(every) >= 200 and len(set(aliases)) == len(aliases)
    categories = collections.Counter(d["datasetCategoryName"] for d in every)
    assert {"Landsat Collection 2 Level-2", "Aerial Imagery", "Declassified Data",
            "MODIS Vegetation Indices - V6.1", "2017 Events"} <= set(categories)
    assert len(categories) >= 30
    assert aliases[:2] == ["landsat_ot_c2_l1", "landsat_ot_c2_l2"]  # the datasets with scenes come first
    parsed = {d.alias: d for d in datasets_from_json(every)}
    assert "NDVI" in parsed["modis_mod13q1_v61"].keywords
    assert parsed["corona2"].category == "Declassified Data"


def test_a_listing_only_dataset_has_no_scenes_and_no_filters(api):
    assert api.call("dataset-filters", {"datasetName": "modis_mod13q1_v61"}) == []
    found = api.call("scene-search", {"datasetName": "corona2", "maxResults": 10})
    assert found["results"] == [] and found["totalHits"] == 0
