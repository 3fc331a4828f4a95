"""Saved searches: named searches kept in the QGIS project file, and what a new run found that the last did not.

A :class:`SavedSearch` holds what makes the search (source, dataset, dates, cloud cover, result
limit, gas, the dataset's metadata filters and the area of interest as WKT in EPSG:4326) and
what its last run found (when, the scene keys, the GeoPackage). Nothing else: no credential,
token, API key or URL is ever part of one, and :meth:`SavedSearch.to_json` writes only these
fields. The list lives in the project (``QgsProject.writeEntry``, scope ``SceneFinder``), so a
project reopens with its searches and saving the project saves them.
"""

from __future__ import annotations

import datetime
import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qgis.core import QgsProject

from ..core.m2m import DEFAULT_DATASET
from .operations.search import SearchRequest

LOG = logging.getLogger(__name__)

PROJECT_SCOPE = "SceneFinder"
PROJECT_KEY = "saved_searches"
FORMAT = 1


def _json_value(value: Any) -> Any:
    """``value`` as JSON gives it back (tuples become lists), for comparing and storing."""
    return json.loads(json.dumps(value))


def _iso_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, datetime.date) else str(value)[:10]


@dataclass
class SavedSearch:
    name: str
    source: str  # an id of .sources.SOURCES
    aoi_wkt: str  # EPSG:4326
    start: str | None = None  # yyyy-mm-dd
    end: str | None = None
    dataset: str = DEFAULT_DATASET
    cloud_max: float | None = 100.0
    include_unknown_cloud: bool = True
    metadata: dict | None = None  # {filter id: value or [min, max]}
    limit: int | None = None
    gas: str | None = None
    saved_at: str = ""  # local time, ISO, to the second
    last_run: str | None = None  # when the last run finished (local time, ISO)
    last_keys: list[str] = field(default_factory=list)  # the scenes the last run found
    last_file: str | None = None  # the GeoPackage of the last run

    # What makes the search
    PARAMETERS = ("source", "aoi_wkt", "start", "end", "dataset", "cloud_max", "include_unknown_cloud", "metadata",
                  "limit", "gas")

    @classmethod
    def from_request(cls, name: str, source: str, request: SearchRequest) -> SavedSearch:
        """The search ``request`` of ``source`` under ``name`` (the AOI taken as shapely or GeoJSON)."""
        return cls(name=name, source=source, aoi_wkt=aoi_wkt(request.aoi), start=_iso_date(request.start),
                   end=_iso_date(request.end), dataset=request.dataset or DEFAULT_DATASET,
                   cloud_max=None if request.cloud_max is None else float(request.cloud_max),
                   include_unknown_cloud=bool(request.include_unknown_cloud),
                   metadata=_json_value(request.metadata) if request.metadata else None,
                   limit=request.limit, gas=request.gas or None,
                   saved_at=datetime.datetime.now().isoformat(timespec="seconds"))

    def parameters(self) -> dict:
        return _json_value({name: getattr(self, name) for name in self.PARAMETERS})

    def same_search(self, other: SavedSearch) -> bool:
        return self.parameters() == other.parameters()

    def request(self) -> SearchRequest:
        from shapely import wkt

        return SearchRequest(aoi=wkt.loads(self.aoi_wkt), start=self.start_date(), end=self.end_date(),
                             cloud_max=self.cloud_max, include_unknown_cloud=self.include_unknown_cloud,
                             dataset=self.dataset, metadata=dict(self.metadata) if self.metadata else None,
                             limit=self.limit, gas=self.gas)

    def start_date(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.start) if self.start else None

    def end_date(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.end) if self.end else None

    def ran(self, keys: Iterable[str], file: str | Path | None, when: datetime.datetime | None = None) -> list[str]:
        """Record a run that found ``keys``; returns those its last run did not find (all, on a first run)."""
        keys = list(dict.fromkeys(keys))
        known = set(self.last_keys)
        new = [key for key in keys if key not in known]
        self.last_keys = keys
        self.last_file = None if file is None else str(file)
        self.last_run = (when or datetime.datetime.now()).isoformat(timespec="seconds")
        return new

    # JSON, as kept in the project
    def to_json(self) -> dict:
        return {"name": self.name, **self.parameters(), "saved_at": self.saved_at, "last_run": self.last_run,
                "last_keys": list(self.last_keys), "last_file": self.last_file}

    @classmethod
    def from_json(cls, data: Any) -> SavedSearch:
        """One saved search from the project; ValueError when it is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
            raise ValueError("a saved search without a name")
        if not isinstance(data.get("source"), str) or not isinstance(data.get("aoi_wkt"), str):
            raise ValueError(f"the saved search {data['name']!r} has no source or area")
        known = set(cls.PARAMETERS) | {"name", "saved_at", "last_run", "last_keys", "last_file"}
        values = {key: value for key, value in data.items() if key in known}
        keys = values.get("last_keys")
        values["last_keys"] = [str(key) for key in keys] if isinstance(keys, list) else []
        if not isinstance(values.get("metadata"), (dict, type(None))):
            values["metadata"] = None
        return cls(**values)


def aoi_wkt(aoi: Any) -> str:
    """The WKT (EPSG:4326, 8 decimals: about a millimetre) of a shapely geometry or GeoJSON mapping."""
    from shapely import wkt
    from shapely.geometry import shape

    geometry = shape(aoi) if isinstance(aoi, dict) else aoi
    if geometry is None or getattr(geometry, "is_empty", True):
        raise ValueError("a saved search needs an area of interest")
    return wkt.dumps(geometry, trim=True, rounding_precision=8)


# --- the project ---------------------------------------------------------------------------
def read_saved(project: QgsProject | None = None) -> list[SavedSearch]:
    """The saved searches of ``project`` (the current one by default); unreadable entries are skipped."""
    project = project or QgsProject.instance()
    text, _found = project.readEntry(PROJECT_SCOPE, PROJECT_KEY, "")
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        LOG.warning("The project's saved searches could not be read; they are ignored")
        return []
    searches = []
    for item in data.get("searches", []) if isinstance(data, dict) else []:
        try:
            searches.append(SavedSearch.from_json(item))
        except (TypeError, ValueError) as error:
            LOG.warning("A saved search of the project is ignored: %s", error)
    return searches


def write_saved(searches: list[SavedSearch], project: QgsProject | None = None) -> None:
    """Keep ``searches`` in ``project`` (marked changed: saving the project saves them)."""
    project = project or QgsProject.instance()
    if not searches:
        project.removeEntry(PROJECT_SCOPE, PROJECT_KEY)
        project.setDirty(True)
        return
    text = json.dumps({"format": FORMAT, "searches": [search.to_json() for search in searches]},
                      separators=(",", ":"))
    project.writeEntry(PROJECT_SCOPE, PROJECT_KEY, text)


# --- what a run found ----------------------------------------------------------------------
def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def result_keys(path: str | Path, layer_name: str, key_fields: Iterable[str]) -> list[str]:
    """The scene keys of a results GeoPackage layer: its first column among ``key_fields``."""
    if not Path(path).is_file():  # sqlite3 would make an empty database
        return []
    with sqlite3.connect(str(path)) as db:  # reads only
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({_quote(layer_name)})")]
        key = next((name for name in key_fields if name in columns), None)
        if key is None:
            return []
        keys = [str(row[0]) for row in db.execute(f"SELECT {_quote(key)} FROM {_quote(layer_name)}")
                if row[0] not in (None, "")]
    db.close()
    return keys
