"""Download operations: USGS M2M bundles or band files, Carbon Mapper rasters; and the verdict.

A download succeeds when at least one file could be had; the files that could not are listed in
:attr:`DownloadSummary.failed`. When none could, :func:`check_summary` raises a DownloadError
(the panel's message; Processing words it for its log), and the summary stays with the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.cancel import CancelCheck
from ...core.errors import DownloadError, NotFoundError
from ..clients import Access, connect

LOG = logging.getLogger(__name__)


@dataclass
class DownloadSummary:
    folder: Path
    results: list = field(default_factory=list)  # core.download.DownloadResult, in the order asked
    missing: list[str] = field(default_factory=list)  # items the service does not have (Carbon Mapper STAC)

    @property
    def files(self) -> list[Path]:
        """Paths of the files now in the folder (downloaded now or already complete)."""
        return [r.path for r in self.results if r.status in ("done", "skipped") and r.path is not None]

    @property
    def failed(self) -> list:
        return [r for r in self.results if r.status == "failed"]

    @property
    def bytes_transferred(self) -> int:
        return sum(r.bytes_transferred or 0 for r in self.results)

    @property
    def nothing_had(self) -> bool:
        """Files were asked for and none could be had."""
        return bool(self.failed) and not self.files


def check_summary(summary: DownloadSummary, what: str, service: str) -> None:
    """DownloadError when none of the files (``what``, e.g. "file(s)") could be had; failures are logged."""
    if summary.nothing_had:
        first = summary.failed[0].error
        reason = f": {first.message}" if first is not None else "."
        raise DownloadError(f"None of the {len(summary.failed)} {what} could be downloaded{reason}", service=service)
    for failure in summary.failed:
        LOG.warning("Not downloaded: %s", failure.error.details() if failure.error else failure.item.key)


def download_m2m(access: Access, scenes: dict[str, list[str]], folder: str | Path, *,
                 product: str | list[str] = "bundle", parallel: int = 3, poll: Any = None,
                 cancel: CancelCheck = None, progress: Callable[[Any], None] | None = None,
                 progress_of: Callable[[int, int], Callable[[Any], None]] | None = None) -> DownloadSummary:
    """Bundles or band files of ``scenes`` ({dataset: entity ids}) into ``folder``.

    ``progress`` gets the downloader's ``DownloadProgress``; with several datasets,
    ``progress_of(done, count)`` (scenes before this dataset's, this dataset's) gives one per dataset.
    """
    from ...core.m2m import download_scenes

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    results: list = []
    with connect("m2m", access, cancel) as client:
        done = 0
        for dataset, entity_ids in scenes.items():
            ids = list(dict.fromkeys(entity_ids))
            report = progress_of(done, len(ids)) if progress_of is not None else progress
            results += download_scenes(client, dataset, ids, folder, product=product, parallel=parallel,
                                       cancel=cancel, progress=report, poll=poll)
            done += len(ids)
    return DownloadSummary(folder, results)


def download_carbonmapper_rasters(access: Access, folder: str | Path, *, plumes: Iterable = (),
                                  scenes: Iterable[str] = (), assets: Iterable[str] | None = None,
                                  parallel: int = 3, cancel: CancelCheck = None,
                                  progress: Callable[[Any], None] | None = None,
                                  looked_up: Callable[[list, list[str]], None] | None = None) -> DownloadSummary:
    """The STAC assets of ``plumes`` (Plume records or ids) and ``scenes`` (names) into ``folder``.

    ``looked_up(items, missing ids)`` once the STAC items are known. NotFoundError when there is
    nothing to download at all.
    """
    from ...core.carbonmapper.stac import PLUME_ASSETS, SCENE_ASSETS, download_assets, plume_items, scene_items

    plumes, scenes = list(plumes), list(scenes)
    assets = tuple(assets) if assets else (PLUME_ASSETS if plumes else SCENE_ASSETS)
    folder = Path(folder)
    with connect("carbonmapper", access, cancel) as client:
        items = []
        if plumes:
            items += plume_items(client, plumes, cancel=cancel)
        if scenes:
            items += scene_items(client, scenes, cancel=cancel)
        wanted = [getattr(p, "plume_id", p) for p in plumes] + scenes
        missing = sorted(set(map(str, wanted)) - {item.id for item in items})
        if looked_up is not None:
            looked_up(items, missing)
        if not items:
            raise NotFoundError("Carbon Mapper has no rasters (STAC items) for the chosen plumes or scenes.",
                                service="Carbon Mapper")
        folder.mkdir(parents=True, exist_ok=True)
        results = download_assets(client, items, folder, assets=assets, parallel=parallel, cancel=cancel,
                                  progress=progress)
    if not results:
        raise NotFoundError(f"None of the items has the assets {', '.join(assets)}.", service="Carbon Mapper")
    return DownloadSummary(folder, list(results), missing)
