"""The sources the panel and Processing search: one entry each, read instead of branching on a name.

A :class:`Source` says which service it belongs to (:mod:`.clients`: the client factory and sign-in
check), which search fields apply, which table rows it gives, how its search and download tasks
are made (thin adapters over :mod:`.operations`), and the GeoPackage layer of its results. Adding
a source is one new entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .auth import SERVICE_CARBONMAPPER, SERVICE_M2M
from .operations.search import SearchRequest

# The search fields a source may use (the panel shows the ones of the current source).
FIELD_DATASET, FIELD_CLOUD, FIELD_METADATA, FIELD_GAS, FIELD_LIMIT = "dataset", "cloud", "metadata", "gas", "limit"


def _landsat_search(request: SearchRequest, credentials: tuple[str, str], output: Path, name: str) -> Any:
    from .tasks.m2m import M2MSearchTask

    return M2MSearchTask(credentials, request, output, display_name=name)


def _cm_scene_search(request: SearchRequest, credentials: tuple[str, str], output: Path, name: str) -> Any:
    from .auth import carbonmapper_auth_kwargs
    from .tasks.carbonmapper import CarbonMapperSceneSearchTask

    return CarbonMapperSceneSearchTask(request, output, **carbonmapper_auth_kwargs(*credentials))


def _cm_plume_search(request: SearchRequest, credentials: tuple[str, str], output: Path, name: str) -> Any:
    from .auth import carbonmapper_auth_kwargs
    from .tasks.carbonmapper import CarbonMapperPlumeSearchTask

    return CarbonMapperPlumeSearchTask(request, output, **carbonmapper_auth_kwargs(*credentials))


def _landsat_download(ids: list[str], credentials: tuple[str, str], folder: Path, options: dict) -> Any:
    from .tasks.m2m import M2MDownloadTask

    return M2MDownloadTask(credentials, options["dataset"], ids, folder, options["product"], options["parallel"],
                           poll=options.get("poll"))


def _cm_download(which: str) -> Callable[..., Any]:
    def make(ids: list[str], credentials: tuple[str, str], folder: Path, options: dict) -> Any:
        from .auth import carbonmapper_auth_kwargs
        from .tasks.carbonmapper import CarbonMapperRasterDownloadTask

        return CarbonMapperRasterDownloadTask(folder, parallel=options["parallel"], **{which: ids},
                                              **carbonmapper_auth_kwargs(*credentials))
    return make


@dataclass(frozen=True)
class Source:
    id: str  # kept in the settings ("last_source")
    label: str  # English; the panel shows tr(label)
    service: str  # :data:`.clients.SERVICES` key
    kind: str  # the results table's row kind
    layer: str  # the GeoPackage layer of its results
    fields: frozenset  # the search fields that apply (FIELD_*)
    products: bool  # the download offers a product choice (bundle or bands)
    sizes: bool  # the size of a selected row can be looked up before downloading
    search_task: Callable[[SearchRequest, tuple[str, str], Path, str], Any]
    download_task: Callable[[list, tuple[str, str], Path, dict], Any]  # (ids, credentials, folder, options)
    download_id: Callable[[Any], str]  # a table row -> the id its download asks for
    item_id: Callable[[str], str]  # a downloaded file's item key -> that id

    def ids_of(self, rows: list) -> list[str]:
        return [self.download_id(row) for row in rows]


SOURCES: dict[str, Source] = {source.id: source for source in (
    Source("landsat", "USGS Landsat (EarthExplorer)", SERVICE_M2M, "landsat", "footprints",
           frozenset({FIELD_DATASET, FIELD_CLOUD, FIELD_METADATA, FIELD_LIMIT}), True, True,
           _landsat_search, _landsat_download, lambda row: row.key, lambda key: key.split("/")[0]),
    Source("cm_scenes", "Carbon Mapper scenes", SERVICE_CARBONMAPPER, "cm_scene", "scenes",
           frozenset({FIELD_CLOUD}), False, False, _cm_scene_search, _cm_download("scenes"),
           lambda row: row.label, lambda key: key.split("/")[-2]),
    Source("cm_plumes", "Carbon Mapper plumes", SERVICE_CARBONMAPPER, "plume", "plumes",
           frozenset({FIELD_GAS, FIELD_LIMIT}), False, False, _cm_plume_search,
           _cm_download("plumes"), lambda row: row.key, lambda key: key.split("/")[-2]),
)}
DEFAULT_SOURCE = "landsat"


def source(source_id: str | None) -> Source:
    """The source of that id; the default one for an unknown id (an old or edited setting)."""
    return SOURCES.get(source_id or "", SOURCES[DEFAULT_SOURCE])
