"""The panel's small background tasks, thin adapters over :mod:`..operations.account`, and
:class:`CallTask` for work that is the panel's own (reading the results table's rows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..clients import Access, service
from ..network import make_qgis_session
from ..operations.account import bundle_sizes, dataset_info, sign_in
from .base import SceneFinderTask


class SignInTask(SceneFinderTask):
    """Checks credentials against the service; the result is the username."""

    def __init__(self, service_id: str, username: str, secret: str, **kwargs: Any):
        super().__init__(f"Scene Finder: signing in to {service(service_id).title}", **kwargs)
        self.service, self.username = service_id, username
        self.access = Access(username, secret, make_qgis_session())  # QGIS settings and CAs: main thread

    def work(self) -> str:
        return sign_in(self.service, self.access, self.cancel_check)


class DatasetInfoTask(SceneFinderTask):
    """Fetches the dataset list (optional) and one dataset's filters from USGS M2M."""

    def __init__(self, credentials: tuple[str, str], dataset: str, with_datasets: bool, **kwargs: Any):
        super().__init__("Scene Finder: reading USGS datasets", **kwargs)
        self.dataset, self.with_datasets = dataset, with_datasets
        self.access = Access.of(credentials, make_qgis_session())

    def work(self) -> dict:
        return dataset_info(self.access, self.dataset, self.with_datasets, self.cancel_check)


class SizesTask(SceneFinderTask):
    """Looks up the bundle size of Landsat scenes (``download-options``) so the table can show it."""

    def __init__(self, credentials: tuple[str, str], dataset: str, entity_ids: list[str], **kwargs: Any):
        super().__init__("Scene Finder: looking up sizes", **kwargs)
        self.dataset, self.entity_ids = dataset, entity_ids
        self.access = Access.of(credentials, make_qgis_session())

    def work(self) -> dict[str, int]:
        return bundle_sizes(self.access, self.dataset, self.entity_ids, self.cancel_check)


class CallTask(SceneFinderTask):
    """Runs ``function(*args, cancel=<cancel check>)`` in the background; its return value is the result."""

    def __init__(self, description: str, function: Callable[..., Any], *args: Any, **callbacks: Any):
        super().__init__(description, **callbacks)
        self.function, self.args = function, args

    def work(self) -> Any:
        return self.function(*self.args, cancel=self.cancel_check)
