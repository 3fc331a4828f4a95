"""The services' vocabulary: one id, one default URL and one environment name per service."""

from __future__ import annotations

import pytest

from scene_finder.core import services
from scene_finder.core.carbonmapper import carbonmapper_url_from_env
from scene_finder.core.m2m import m2m_url_from_env


@pytest.mark.parametrize("service", services.SERVICES)
def test_service_url_prefers_the_environment_then_the_setting(monkeypatch, service):
    monkeypatch.delenv(services.URL_ENV_NAMES[service], raising=False)
    assert services.service_url(service) == services.DEFAULT_URLS[service]
    assert services.service_url(service, "  ") == services.DEFAULT_URLS[service]
    assert services.service_url(service, "http://127.0.0.1:9/set") == "http://127.0.0.1:9/set/"
    monkeypatch.setenv(services.URL_ENV_NAMES[service], " http://127.0.0.1:8/env ")
    assert services.env_url(service) == "http://127.0.0.1:8/env"
    assert services.service_url(service, "http://127.0.0.1:9/set") == "http://127.0.0.1:8/env/"


def test_the_clients_read_the_same_names(monkeypatch):
    monkeypatch.setenv("SCENE_FINDER_M2M_URL", "http://127.0.0.1:7/m2m")
    monkeypatch.setenv("SCENE_FINDER_CARBONMAPPER_URL", "http://127.0.0.1:7/cm")
    assert m2m_url_from_env() == "http://127.0.0.1:7/m2m/"
    assert carbonmapper_url_from_env() == "http://127.0.0.1:7/cm/"
    assert services.DEFAULT_M2M_URL.startswith("https://m2m.cr.usgs.gov/")
    assert services.DEFAULT_CARBONMAPPER_URL.startswith("https://api.carbonmapper.org/")
