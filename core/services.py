"""The services' shared vocabulary: their ids, default URLs and environment variable names.

One place for what the core clients, the settings, the authentication database and the
Processing algorithms all call a service by:

- :data:`SERVICE_M2M`, :data:`SERVICE_CARBONMAPPER`: the ids (settings keys, auth configs, sources).
- :data:`DEFAULT_M2M_URL`, :data:`DEFAULT_CARBONMAPPER_URL`: the real services.
- :data:`ENV_M2M_URL`, :data:`ENV_CARBONMAPPER_URL`: environment variables that point a service
  elsewhere (the emulator in tests, benchmarks and the demo); they win over the settings.
- ``ENV_*_USERNAME/TOKEN/EMAIL/PASSWORD``: credentials for headless runs (scripts, ``qgis_process``).

Plain constants and two small functions; nothing here imports the rest of the package.
"""

from __future__ import annotations

import os

SERVICE_M2M = "m2m"
SERVICE_CARBONMAPPER = "carbonmapper"
SERVICES = (SERVICE_M2M, SERVICE_CARBONMAPPER)

DEFAULT_M2M_URL = "https://m2m.cr.usgs.gov/api/api/json/stable/"
DEFAULT_CARBONMAPPER_URL = "https://api.carbonmapper.org/api/v1/"
DEFAULT_URLS = {SERVICE_M2M: DEFAULT_M2M_URL, SERVICE_CARBONMAPPER: DEFAULT_CARBONMAPPER_URL}

ENV_M2M_URL = "SCENE_FINDER_M2M_URL"
ENV_CARBONMAPPER_URL = "SCENE_FINDER_CARBONMAPPER_URL"
URL_ENV_NAMES = {SERVICE_M2M: ENV_M2M_URL, SERVICE_CARBONMAPPER: ENV_CARBONMAPPER_URL}

ENV_M2M_USERNAME = "SCENE_FINDER_M2M_USERNAME"
ENV_M2M_TOKEN = "SCENE_FINDER_M2M_TOKEN"
ENV_CARBONMAPPER_TOKEN = "SCENE_FINDER_CARBONMAPPER_TOKEN"
ENV_CARBONMAPPER_EMAIL = "SCENE_FINDER_CARBONMAPPER_EMAIL"
ENV_CARBONMAPPER_PASSWORD = "SCENE_FINDER_CARBONMAPPER_PASSWORD"


def env_url(service: str) -> str:
    """The service URL the environment sets (stripped), or "" when it sets none."""
    return (os.environ.get(URL_ENV_NAMES[service]) or "").strip()


def service_url(service: str, configured: str | None = None) -> str:
    """The base URL of ``service``: the environment, else ``configured``, else the real service;
    always ending with ``/``."""
    url = env_url(service) or (configured or "").strip() or DEFAULT_URLS[service]
    return url if url.endswith("/") else url + "/"
