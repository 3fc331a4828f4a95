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
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QStandardPaths

from ..core.m2m.config import DEFAULT_DATASET
from ..core.services import (
    SERVICE_CARBONMAPPER,
    SERVICE_M2M,
    env_url,
    service_url,
)

LOG = logging.getLogger(__name__)

PREFIX = "scene_finder/"
DEFAULT_DAYS = 30
DEFAULT_CLOUD_MAX = 100.0
DEFAULT_RESULT_LIMIT = 1000
DEFAULT_PARALLEL = 3
MAX_PARALLEL = 8

_SECRET_KEY = re.compile(r"token|password|passwd|secret|apikey|api_key", re.IGNORECASE)


@dataclass(frozen=True)
class Setting:
    """One setting under ``scene_finder/``: its key, the type of its value, its default."""

    key: str  # ends with "/" for a family of keys (one per dataset, per service...)
    type: type  # str, int, float, bool, or list/dict for a JSON value
    default: Any


# Every setting the plugin keeps, one line each.
SETTINGS: dict[str, Setting] = {setting.key: setting for setting in (
    Setting("m2m_url", str, ""),  # "": the environment, else DEFAULT_M2M_URL (see m2m_url())
    Setting("carbonmapper_url", str, ""),  # "": the environment, else DEFAULT_CARBONMAPPER_URL
    Setting("last_source", str, "landsat"),  # the source the panel showed last (gis.sources ids)
    Setting("dataset", str, DEFAULT_DATASET),
    Setting("start_date", str, ""),  # yyyy-mm-dd; "": DEFAULT_DAYS before the end
    Setting("end_date", str, ""),  # yyyy-mm-dd; "": today
    Setting("cloud_max", float, DEFAULT_CLOUD_MAX),
    Setting("include_unknown_cloud", bool, True),
    Setting("result_limit", int, DEFAULT_RESULT_LIMIT),
    Setting("gas", str, ""),  # "": any gas
    Setting("metadata_filters/", dict, {}),  # per dataset: {filter label or id: value or [min, max]}
    Setting("download_folder", str, ""),  # "": default_download_folder()
    Setting("product", list, "bundle"),  # "bundle" or a list of band names
    Setting("parallel_downloads", int, DEFAULT_PARALLEL),
    # "Pick for coverage" in the results (ui.coverage): the last share (%) and time window chosen
    Setting("coverage_target", float, 99.0),
    Setting("coverage_window", str, "none"),  # core.coverage.WINDOWS
    Setting("open_downloads", bool, True),
    Setting("authcfg/", str, ""),  # per service: the auth config in use (gis.auth; never the secret itself)
    # time, saved searches, search files
    Setting("follow_time_controller", bool, True),  # the results table shows the Temporal Controller's range
    Setting("search_files_days", int, 14),  # unsaved searches' files are deleted after (days); 0: never
    Setting("kept_search_files", list, []),  # search files that saved projects or saved searches use
    # the dataset picker (ui.dataset_picker) and Landsat Level-2 opening (gis.landsat_l2)
    Setting("favourite_datasets", list, []),  # dataset aliases starred in the picker, in the order starred
    Setting("mask_clouds", bool, False),  # Level-2 composites hide what QA_PIXEL flags (clouds, shadows, fill)
)}


def declared(name: str) -> Setting:
    """The table's entry for ``name`` (a key, or a key of a family); ValueError when there is none."""
    name = name[len(PREFIX):] if name.startswith(PREFIX) else name
    setting = SETTINGS.get(name) or SETTINGS.get(name.split("/", 1)[0] + "/")
    if setting is None:
        raise ValueError(f"{name!r} is not a Scene Finder setting (declare it in gis/settings.py SETTINGS)")
    return setting


def value(name: str) -> Any:
    """The value of a declared setting, read as its type; its default when unset or unreadable."""
    setting = declared(name)
    if setting.type is bool:
        return get_bool(name, setting.default)
    if setting.type is int:
        return get_int(name, setting.default)
    if setting.type is float:
        return get_float(name, setting.default)
    if setting.type in (list, dict):
        return get_json(name, setting.default)
    return get_str(name, setting.default)


# --- generic typed access -------------------------------------------------------------------
def _key(name: str) -> str:
    return name if name.startswith(PREFIX) else PREFIX + name


def set_value(name: str, value: Any) -> None:
    """Store one value under ``scene_finder/<name>`` (None removes it). Secrets and undeclared keys are refused."""
    if _SECRET_KEY.search(name):
        raise ValueError(f"Refusing to store {name!r} in the settings: secrets belong in the auth database")
    declared(name)
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
def m2m_url() -> str:
    """The M2M base URL: environment, else the setting, else the USGS service."""
    return service_url(SERVICE_M2M, value("m2m_url"))


def set_m2m_url(url: str | None) -> None:
    set_value("m2m_url", (url or "").strip() or None)


def carbonmapper_url() -> str:
    """The Carbon Mapper base URL: environment, else the setting, else the real service."""
    return service_url(SERVICE_CARBONMAPPER, value("carbonmapper_url"))


def set_carbonmapper_url(url: str | None) -> None:
    set_value("carbonmapper_url", (url or "").strip() or None)


def url_overridden_by_env(service: str) -> bool:
    """True when the environment decides the service URL (the settings field can say so)."""
    return bool(env_url(service))


# --- search parameters ----------------------------------------------------------------------
def last_source() -> str:
    """The source the panel showed last, restored when it opens (an id of :data:`.sources.SOURCES`)."""
    from .sources import DEFAULT_SOURCE, SOURCES

    source = value("last_source")
    return source if source in SOURCES else DEFAULT_SOURCE


def set_last_source(source: str) -> None:
    from .sources import SOURCES

    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}")
    set_value("last_source", source)


def dataset() -> str:
    return value("dataset")


def set_dataset(name: str) -> None:
    set_value("dataset", name or None)


def _date(name: str) -> datetime.date | None:
    text = value(name)
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
    return min(100.0, max(0.0, value("cloud_max")))


def set_cloud_max(value: float | None) -> None:
    set_value("cloud_max", None if value is None else float(value))


def result_limit() -> int:
    return max(1, value("result_limit"))


def set_result_limit(value: int | None) -> None:
    set_value("result_limit", None if value is None else int(value))


def _filters_key(dataset_name: str) -> str:
    return "metadata_filters/" + re.sub(r"[^A-Za-z0-9_.-]", "_", dataset_name)


def metadata_filters(dataset_name: str) -> dict[str, Any]:
    """The metadata filter values last used for ``dataset_name``: {filter label or id: value or [min, max]}."""
    filters = value(_filters_key(dataset_name))
    return filters if isinstance(filters, dict) else {}


def set_metadata_filters(dataset_name: str, values: dict[str, Any] | None) -> None:
    set_json(_filters_key(dataset_name), dict(values) if values else None)


# --- downloads ------------------------------------------------------------------------------
def default_download_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    return (Path(base) if base else Path.home() / "Downloads") / "SceneFinder"


def download_folder() -> Path:
    text = value("download_folder")
    return Path(text).expanduser() if text else default_download_folder()


def set_download_folder(folder: str | Path | None) -> None:
    set_value("download_folder", str(folder) if folder else None)


def product() -> str | list[str]:
    """``"bundle"`` or a list of band names (``["SR_B4", "SR_B3", "SR_B2"]``)."""
    chosen = value("product")
    if isinstance(chosen, list) and chosen and all(isinstance(v, str) for v in chosen):
        return chosen
    return "bundle"


def set_product(value: str | list[str]) -> None:
    set_json("product", value if isinstance(value, list) else "bundle")


def parallel_downloads() -> int:
    return min(MAX_PARALLEL, max(1, value("parallel_downloads")))


def set_parallel_downloads(value: int) -> None:
    set_value("parallel_downloads", min(MAX_PARALLEL, max(1, int(value))))
