"""The emulated datasets beyond Landsat, by alias; and which of them a scene or product belongs to."""

from __future__ import annotations

from . import elevation, naip, sentinel2
from .extra import OtherDataset, OtherScene, Product

OTHER_DATASETS: dict[str, OtherDataset] = {d.alias: d for d in (sentinel2.DATASET, naip.DATASET, elevation.DATASET)}


def other_dataset(alias: str | None) -> OtherDataset | None:
    return OTHER_DATASETS.get(alias) if isinstance(alias, str) else None


def resolve(entity_id, product_id) -> tuple[OtherDataset, OtherScene, Product | None] | None:
    """(dataset, scene, product or None when the dataset has no such product) of a download-request item,
    or None when no other dataset has the scene."""
    if not isinstance(entity_id, str):
        return None
    for dataset in OTHER_DATASETS.values():
        scene = dataset.find(entity_id)
        if scene is not None:
            return dataset, scene, dataset.product(product_id)
    return None
