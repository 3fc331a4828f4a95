"""Signing in, and what the panel looks up once signed in: the USGS datasets, their filters, bundle sizes."""

from __future__ import annotations

from ...core.cancel import CancelCheck
from ..clients import Access, connect, service


def sign_in(service_id: str, access: Access, cancel: CancelCheck = None) -> str:
    """Ask the service whether the credentials work; returns the username, raises core's AuthError."""
    with connect(service_id, access, cancel) as client:
        service(service_id).check(client)
    return access.username


def dataset_info(access: Access, dataset: str, with_datasets: bool, cancel: CancelCheck = None) -> dict:
    """{"datasets": the USGS datasets (when ``with_datasets``, else None), "filters": the dataset's
    metadata filters, "dataset": ``dataset``}."""
    from ...core.m2m.datasets import dataset_filters, search_datasets

    with connect("m2m", access, cancel) as client:
        datasets = search_datasets(client) if with_datasets else None
        filters = dataset_filters(client, dataset)
    return {"datasets": datasets, "filters": filters, "dataset": dataset}


def bundle_sizes(access: Access, dataset: str, entity_ids: list[str], cancel: CancelCheck = None) -> dict[str, int]:
    """{entity id: size in bytes of the scene's bundle} from ``download-options`` (scenes without one left out)."""
    from ...core.m2m.download import bundle_option, download_options

    with connect("m2m", access, cancel) as client:
        options = download_options(client, dataset, entity_ids)
    by_scene: dict[str, list] = {}
    for option in options:
        by_scene.setdefault(option.entity_id, []).append(option)
    sizes = {}
    for entity_id, scene_options in by_scene.items():
        chosen = bundle_option(scene_options)
        if chosen is not None and chosen.filesize:
            sizes[entity_id] = int(chosen.filesize)
    return sizes
