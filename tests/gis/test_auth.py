"""Credentials in the QGIS authentication database; only config ids in the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsSettings

from scene_finder.core.errors import AuthError
from scene_finder.core.redact import redact
from scene_finder.gis import auth

M2M_TOKEN = "m2m-app-token-Zq81xP"
CM_TOKEN = "cm-api-token-7Hh2Lk"


def _settings_text() -> str:
    settings = QgsSettings()
    settings.sync()
    values = " ".join(f"{key}={settings.value(key)}" for key in settings.allKeys())
    path = Path(settings.fileName())
    return values + (path.read_text(encoding="utf-8", errors="replace") if path.exists() else "")


def test_store_and_load_round_trip_with_only_the_id_in_settings(auth_db):
    authcfg = auth.store_credentials(auth.SERVICE_M2M, "demo", M2M_TOKEN)
    assert len(authcfg) == 7
    assert auth.default_authcfg(auth.SERVICE_M2M) == authcfg
    assert auth.load_credentials(authcfg) == ("demo", M2M_TOKEN)
    config = auth_db.availableAuthMethodConfigs()[authcfg]
    assert (config.name(), config.method()) == ("Scene Finder - USGS M2M", "Basic")

    cm = auth.store_credentials(auth.SERVICE_CARBONMAPPER, auth.TOKEN_USERNAME, CM_TOKEN)
    assert auth.load_credentials(cm) == ("token", CM_TOKEN)
    assert auth.carbonmapper_auth_kwargs(*auth.load_credentials(cm)) == {"token": CM_TOKEN}
    assert auth.carbonmapper_auth_kwargs("me@example.com", "pw") == {"email": "me@example.com", "password": "pw"}

    text = _settings_text()
    assert authcfg in text and cm in text
    assert M2M_TOKEN not in text and CM_TOKEN not in text
    # Secrets read or stored are masked should they reach a log line.
    assert M2M_TOKEN not in redact(f"login with {M2M_TOKEN}")


def test_update_in_place_keeps_the_id(auth_db):
    authcfg = auth.store_credentials(auth.SERVICE_M2M, "demo", M2M_TOKEN)
    again = auth.store_credentials(auth.SERVICE_M2M, "demo2", "another-token-123", authcfg=authcfg)
    assert again == authcfg
    assert auth.load_credentials(authcfg) == ("demo2", "another-token-123")
    assert [cfg for cfg, _ in auth.list_configs(auth.SERVICE_M2M)].count(authcfg) == 1


def test_list_configs_puts_the_service_first_and_hides_the_other_service(auth_db):
    m2m = auth.store_credentials(auth.SERVICE_M2M, "demo", M2M_TOKEN)
    cm = auth.store_credentials(auth.SERVICE_CARBONMAPPER, "token", CM_TOKEN)
    m2m_rows = auth.list_configs(auth.SERVICE_M2M)
    assert m2m_rows[0] == (m2m, "Scene Finder - USGS M2M")
    assert cm not in [cfg for cfg, _ in m2m_rows]
    assert auth.list_configs(auth.SERVICE_CARBONMAPPER)[0] == (cm, "Scene Finder - Carbon Mapper")
    assert {m2m, cm} <= {cfg for cfg, _ in auth.list_configs()}


def test_remove_by_service_and_by_id(auth_db):
    m2m = auth.store_credentials(auth.SERVICE_M2M, "demo", M2M_TOKEN)
    cm = auth.store_credentials(auth.SERVICE_CARBONMAPPER, "token", CM_TOKEN)
    assert auth.remove_credentials(auth.SERVICE_M2M)
    assert m2m not in auth_db.configIds()
    assert auth.default_authcfg(auth.SERVICE_M2M) is None
    assert auth.remove_credentials(cm)
    assert auth.default_authcfg(auth.SERVICE_CARBONMAPPER) is None
    assert not auth.remove_credentials(cm)


def test_missing_or_bad_input_raise_auth_errors(auth_db):
    with pytest.raises(AuthError):
        auth.load_credentials("nope123")
    with pytest.raises(AuthError):
        auth.store_credentials(auth.SERVICE_M2M, "demo", "")
    with pytest.raises(ValueError):
        auth.store_credentials("elsewhere", "demo", "x")


def test_environment_credentials_and_resolution_order(auth_db, monkeypatch):
    assert auth.credentials_from_env(auth.SERVICE_M2M) is None
    assert auth.resolve_credentials(auth.SERVICE_M2M) is None
    stored = auth.store_credentials(auth.SERVICE_M2M, "stored", M2M_TOKEN)
    assert auth.resolve_credentials(auth.SERVICE_M2M) == ("stored", M2M_TOKEN)

    monkeypatch.setenv(auth.ENV_M2M_USERNAME, "demo")
    monkeypatch.setenv(auth.ENV_M2M_TOKEN, "demo-application-token")
    assert auth.credentials_from_env(auth.SERVICE_M2M) == ("demo", "demo-application-token")
    assert auth.resolve_credentials(auth.SERVICE_M2M) == ("demo", "demo-application-token")
    assert auth.resolve_credentials(auth.SERVICE_M2M, stored) == ("stored", M2M_TOKEN)

    monkeypatch.setenv(auth.ENV_CARBONMAPPER_EMAIL, "demo@example.com")
    monkeypatch.setenv(auth.ENV_CARBONMAPPER_PASSWORD, "demo-password")
    assert auth.credentials_from_env(auth.SERVICE_CARBONMAPPER) == ("demo@example.com", "demo-password")
    monkeypatch.setenv(auth.ENV_CARBONMAPPER_TOKEN, "demo-carbonmapper-token")
    assert auth.credentials_from_env(auth.SERVICE_CARBONMAPPER) == ("token", "demo-carbonmapper-token")
