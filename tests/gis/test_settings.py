"""Typed plugin settings under scene_finder/, environment overrides for the service URLs."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from qgis.core import QgsSettings

from scene_finder.core import services
from scene_finder.gis import settings


@pytest.fixture()
def clean_settings(qgis_app, monkeypatch):
    monkeypatch.delenv(services.ENV_M2M_URL, raising=False)
    monkeypatch.delenv(services.ENV_CARBONMAPPER_URL, raising=False)
    QgsSettings().remove("scene_finder")
    yield
    QgsSettings().remove("scene_finder")


def test_defaults(clean_settings):
    assert settings.m2m_url() == "https://m2m.cr.usgs.gov/api/api/json/stable/"
    assert settings.carbonmapper_url() == "https://api.carbonmapper.org/api/v1/"
    assert settings.last_source() == "landsat"
    assert settings.dataset() == "landsat_ot_c2_l2"
    start, end = settings.date_range()
    assert end == datetime.date.today() and (end - start).days == 30
    assert settings.cloud_max() == 100.0
    assert settings.result_limit() == 1000
    assert settings.metadata_filters("landsat_ot_c2_l2") == {}
    assert settings.download_folder().name == "SceneFinder"
    assert settings.product() == "bundle"
    assert settings.parallel_downloads() == 3


def test_values_round_trip_with_their_types(clean_settings, tmp_path):
    settings.set_m2m_url("https://m2m.example.org/api")
    settings.set_carbonmapper_url("https://cm.example.org/api/v1/")
    settings.set_last_source("cm_plumes")
    settings.set_dataset("landsat_ot_c2_l1")
    settings.set_date_range(datetime.date(2023, 3, 1), datetime.date(2023, 4, 1))
    settings.set_cloud_max(20)
    settings.set_result_limit(250)
    settings.set_metadata_filters("landsat_ot_c2_l1", {"Satellite": "9", "Path": [10, 20]})
    settings.set_download_folder(tmp_path)
    settings.set_product(["SR_B4", "SR_B3", "SR_B2"])
    settings.set_parallel_downloads(50)

    assert settings.m2m_url() == "https://m2m.example.org/api/"
    assert settings.carbonmapper_url() == "https://cm.example.org/api/v1/"
    assert settings.last_source() == "cm_plumes"
    assert settings.dataset() == "landsat_ot_c2_l1"
    assert settings.date_range() == (datetime.date(2023, 3, 1), datetime.date(2023, 4, 1))
    assert settings.cloud_max() == 20.0
    assert settings.result_limit() == 250
    assert settings.metadata_filters("landsat_ot_c2_l1") == {"Satellite": "9", "Path": [10, 20]}
    assert settings.metadata_filters("landsat_ot_c2_l2") == {}
    assert settings.download_folder() == Path(tmp_path)
    assert settings.product() == ["SR_B4", "SR_B3", "SR_B2"]
    assert settings.parallel_downloads() == settings.MAX_PARALLEL
    assert all(key.startswith("scene_finder/") for key in QgsSettings().allKeys() if "scene_finder" in key)

    settings.set_product("bundle")
    assert settings.product() == "bundle"


def test_environment_wins_for_service_urls(clean_settings, monkeypatch):
    settings.set_m2m_url("https://m2m.example.org/api/")
    monkeypatch.setenv(services.ENV_M2M_URL, "http://127.0.0.1:8765/api/api/json/stable")
    monkeypatch.setenv(services.ENV_CARBONMAPPER_URL, "http://127.0.0.1:8765/api/v1/")
    assert settings.m2m_url() == "http://127.0.0.1:8765/api/api/json/stable/"
    assert settings.carbonmapper_url() == "http://127.0.0.1:8765/api/v1/"
    assert settings.url_overridden_by_env("m2m") and settings.url_overridden_by_env("carbonmapper")


def test_unreadable_values_fall_back_to_defaults(clean_settings):
    QgsSettings().setValue("scene_finder/result_limit", "many")
    QgsSettings().setValue("scene_finder/start_date", "yesterday")
    QgsSettings().setValue("scene_finder/metadata_filters/x", "{not json")
    QgsSettings().setValue("scene_finder/last_source", "elsewhere")
    assert settings.result_limit() == settings.DEFAULT_RESULT_LIMIT
    assert settings.date_range()[0] == settings.date_range()[1] - datetime.timedelta(days=30)
    assert settings.metadata_filters("x") == {}
    assert settings.last_source() == "landsat"


def test_secret_looking_keys_are_refused(clean_settings):
    for name in ("m2m_token", "password", "carbonmapper/api_key"):
        with pytest.raises(ValueError):
            settings.set_value(name, "x")


def test_every_setting_is_declared_in_one_table_with_its_type_and_default(clean_settings):
    for key, setting in settings.SETTINGS.items():
        name = key + "example" if key.endswith("/") else key
        assert settings.value(name) == setting.default
        assert isinstance(setting.default, setting.type) or (setting.type is list and setting.default == "bundle")
    with pytest.raises(ValueError, match="not a Scene Finder setting"):
        settings.set_value("some_new_thing", 1)
    settings.set_value("include_unknown_cloud", False)
    assert settings.value("include_unknown_cloud") is False
    QgsSettings().setValue("scene_finder/parallel_downloads", "lots")
    assert settings.value("parallel_downloads") == settings.DEFAULT_PARALLEL
