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

from .client import M2MClient
from .config import DEFAULT_DATASET, DEFAULT_M2M_URL, m2m_url_from_env
from .datasets import (
    Dataset,
    RangeFilter,
    SelectFilter,
    TextFilter,
    build_metadata_filter,
    dataset_filters,
    search_datasets,
)
from .download import PollPolicy, download_options, download_scenes
from .search import SceneSearch, search_scenes

__all__ = [
    "DEFAULT_DATASET", "DEFAULT_M2M_URL", "Dataset", "M2MClient", "PollPolicy", "RangeFilter", "SceneSearch",
    "SelectFilter", "TextFilter", "build_metadata_filter", "dataset_filters", "download_options",
    "download_scenes", "m2m_url_from_env", "search_datasets", "search_scenes",
]
