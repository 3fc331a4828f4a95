"""Typed access to the plugin's settings, all under ``scene_finder/`` in QgsSettings.

What the user chose last (service URLs, source, dataset, dates, cloud cover, result limit,
metadata filter values per dataset, download folder, product, parallel downloads) so the dock
and the Processing algorithms open where the user left them. Never a secret: credentials live
in the QGIS authentication database (:mod:`.auth`); only the id of an auth config is kept here,
and :func:`set_value` refuses keys that look like they would hold a secret.

Service URLs: the environment variables ``SCENE_FINDER_M2M_URL`` and
``SCENE_FINDER_CARBONMAPPER_URL`` win over the settings (tests, benchmarks, the demo).
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QStandardPaths

LOG = logging.getLogger(__name__)

PREFIX = "scene_finder/"
SOURCE_M2M = "m2m"
SOURCE_CARBONMAPPER = "carbonmapper"

DEFAULT_M2M_URL = "https://m2m.cr.usgs.gov/api/api/json/stable/"
DEFAULT_CARBONMAPPER_URL = "https://api.carbonmapper.org/api/v1/"
ENV_M2M_URL = "SCENE_FINDER_M2M_URL"
ENV_CARBONMAPPER_URL = "SCENE_FINDER_CARBONMAPPER_URL"
DEFAULT_DATASET = "landsat_ot_c2_l2"
DEFAULT_DAYS = 30
DEFAULT_CLOUD_MAX = 100.0
DEFAULT_RESULT_LIMIT = 1000
DEFAULT_PARALLEL = 3
MAX_PARALLEL = 8

_SECRET_KEY = re.compile(r"token|password|passwd|secret|apikey|api_key", re.IGNORECASE)


# --- generic typed access -------------------------------------------------------------------
def _key(name: str) -> str:
    return name if name.startswith(PREFIX) else PREFIX + name


def set_value(name: str, value: Any) -> None:
    """Store one value under ``scene_finder/<name>`` (None removes it). Secrets are refused."""
    if _SECRET_KEY.search(name):
        raise ValueError(f"Refusing to store {name!r} in the settings: secrets belong in the auth database")
    settings = QgsSettings()
    if value is None:
        settings.remove(_key(name))
    else:
        settings.setValue(_key(name), value)


def remove(name: str) -> None:
    QgsSettings().remove(_key(name))


def get_str(name: str, default: str = "") -> str:
    value = QgsSettings().value(_key(name), None)
    return default if value is None or value == "" else str(value)


def get_int(name: str, default: int) -> int:
    try:
        return int(QgsSettings().value(_key(name), default))
    except (TypeError, ValueError):
        return default


def get_float(name: str, default: float | None) -> float | None:
    value = QgsSettings().value(_key(name), None)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def get_bool(name: str, default: bool) -> bool:
    value = QgsSettings().value(_key(name), None)
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def get_json(name: str, default: Any) -> Any:
    text = QgsSettings().value(_key(name), None)
    if not text:
        return default
    try:
        return json.loads(str(text))
    except ValueError:
        LOG.warning("Ignoring the unreadable setting %s", _key(name))
        return default


def set_json(name: str, value: Any) -> None:
    set_value(name, None if value is None else json.dumps(value, sort_keys=True))


# --- service URLs ---------------------------------------------------------------------------
def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def m2m_url() -> str:
    """The M2M base URL: environment, else the setting, else the USGS service."""
    url = (os.environ.get(ENV_M2M_URL) or "").strip() or get_str("m2m_url") or DEFAULT_M2M_URL
    return _with_slash(url)


def set_m2m_url(url: str | None) -> None:
    set_value("m2m_url", (url or "").strip() or None)


def carbonmapper_url() -> str:
    """The Carbon Mapper base URL: environment, else the setting, else the real service."""
    url = (
        (os.environ.get(ENV_CARBONMAPPER_URL) or "").strip()
        or get_str("carbonmapper_url")
        or DEFAULT_CARBONMAPPER_URL
    )
    return _with_slash(url)


def set_carbonmapper_url(url: str | None) -> None:
    set_value("carbonmapper_url", (url or "").strip() or None)


def url_overridden_by_env(service: str) -> bool:
    """True when the environment decides the service URL (the settings field can say so)."""
    name = ENV_M2M_URL if service == SOURCE_M2M else ENV_CARBONMAPPER_URL
    return bool((os.environ.get(name) or "").strip())


# --- search parameters ----------------------------------------------------------------------
def last_source() -> str:
    """The source the panel showed last, restored when it opens (an id of :data:`.sources.SOURCES`)."""
    from .sources import DEFAULT_SOURCE, SOURCES

    source = get_str("last_source", DEFAULT_SOURCE)
    return source if source in SOURCES else DEFAULT_SOURCE


def set_last_source(source: str) -> None:
    from .sources import SOURCES

    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}")
    set_value("last_source", source)


def dataset() -> str:
    return get_str("dataset", DEFAULT_DATASET)


def set_dataset(name: str) -> None:
    set_value("dataset", name or None)


def _date(name: str) -> datetime.date | None:
    text = get_str(name)
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def date_range() -> tuple[datetime.date, datetime.date]:
    """(start, end) of the last search; by default the last 30 days."""
    today = datetime.date.today()
    end = _date("end_date") or today
    start = _date("start_date") or end - datetime.timedelta(days=DEFAULT_DAYS)
    return start, end


def set_date_range(start: datetime.date | None, end: datetime.date | None) -> None:
    set_value("start_date", start.isoformat() if start else None)
    set_value("end_date", end.isoformat() if end else None)


def cloud_max() -> float:
    value = get_float("cloud_max", DEFAULT_CLOUD_MAX)
    return min(100.0, max(0.0, value if value is not None else DEFAULT_CLOUD_MAX))


def set_cloud_max(value: float | None) -> None:
    set_value("cloud_max", None if value is None else float(value))


def result_limit() -> int:
    return max(1, get_int("result_limit", DEFAULT_RESULT_LIMIT))


def set_result_limit(value: int | None) -> None:
    set_value("result_limit", None if value is None else int(value))


def _filters_key(dataset_name: str) -> str:
    return "metadata_filters/" + re.sub(r"[^A-Za-z0-9_.-]", "_", dataset_name)


def metadata_filters(dataset_name: str) -> dict[str, Any]:
    """The metadata filter values last used for ``dataset_name``: {filter label or id: value or [min, max]}."""
    value = get_json(_filters_key(dataset_name), {})
    return value if isinstance(value, dict) else {}


def set_metadata_filters(dataset_name: str, values: dict[str, Any] | None) -> None:
    set_json(_filters_key(dataset_name), dict(values) if values else None)


# --- downloads ------------------------------------------------------------------------------
def default_download_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    return (Path(base) if base else Path.home() / "Downloads") / "SceneFinder"


def download_folder() -> Path:
    text = get_str("download_folder")
    return Path(text).expanduser() if text else default_download_folder()


def set_download_folder(folder: str | Path | None) -> None:
    set_value("download_folder", str(folder) if folder else None)


def product() -> str | list[str]:
    """``"bundle"`` or a list of band names (``["SR_B4", "SR_B3", "SR_B2"]``)."""
    value = get_json("product", "bundle")
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    return "bundle"


def set_product(value: str | list[str]) -> None:
    set_json("product", value if isinstance(value, list) else "bundle")


def parallel_downloads() -> int:
    return min(MAX_PARALLEL, max(1, get_int("parallel_downloads", DEFAULT_PARALLEL)))


def set_parallel_downloads(value: int) -> None:
    set_value("parallel_downloads", min(MAX_PARALLEL, max(1, int(value))))
