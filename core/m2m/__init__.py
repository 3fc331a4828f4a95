"""USGS EarthExplorer Machine-to-Machine (M2M) API: client, datasets, scene search, downloads.

A script or notebook can run the whole workflow without QGIS::

    from scene_finder.core.m2m import M2MClient, search_scenes, download_scenes
    with M2MClient("user", "application-token") as client:
        search = search_scenes(client, aoi=polygon, start="2023-03-01", end="2023-04-01",
                               cloud_max=20, metadata={"Satellite": "9"})
        scenes = list(search)
        download_scenes(client, "landsat_ot_c2_l2", [s.entity_id for s in scenes], "data")
"""

from __future__ import annotations

import os

DEFAULT_M2M_URL = "https://m2m.cr.usgs.gov/api/api/json/stable/"
DEFAULT_DATASET = "landsat_ot_c2_l2"
ENV_M2M_URL = "SCENE_FINDER_M2M_URL"


def m2m_url_from_env() -> str:
    """The M2M base URL: ``SCENE_FINDER_M2M_URL`` when set, else the USGS service."""
    url = (os.environ.get(ENV_M2M_URL) or "").strip() or DEFAULT_M2M_URL
    return url if url.endswith("/") else url + "/"


from .client import M2MClient  # noqa: E402 - the constants above are imported by the submodules
from .datasets import (  # noqa: E402
    Dataset,
    RangeFilter,
    SelectFilter,
    TextFilter,
    build_metadata_filter,
    dataset_filters,
    search_datasets,
)
from .download import PollPolicy, download_options, download_scenes  # noqa: E402
from .search import SceneSearch, search_scenes  # noqa: E402

__all__ = [
    "DEFAULT_DATASET", "DEFAULT_M2M_URL", "Dataset", "M2MClient", "PollPolicy", "RangeFilter", "SceneSearch",
    "SelectFilter", "TextFilter", "build_metadata_filter", "dataset_filters", "download_options",
    "download_scenes", "m2m_url_from_env", "search_datasets", "search_scenes",
]
