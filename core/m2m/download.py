"""Downloads: ``download-options`` -> one ``download-request`` -> ``download-retrieve`` -> files.

The protocol as run by :func:`download_scenes`, with the fewest calls:

1. ``download-options`` for all scenes (5,000 ids per call). Product ids always come from here.
2. One ``download-request`` with a unique label (``scenefinder-<uuid>``) for every chosen file
   (split in blocks of 1,000 downloads only beyond that, all under the same label).
   - ``product="bundle"``: per scene, the available product that is the whole product, for any
     dataset (:func:`bundle_option`): never a browse or quality image while data is offered;
     downloadSystem ``ls_zip`` first, then ``dds``, then any other ``*zip*`` / ``dds*`` system;
     then by format (GeoTIFF, JPEG2000, other, DTED); never ``folder`` (a folder is the parent of
     the band files) nor ``wms``; never a hard-coded product id. Landsat: its Product Bundle;
     Sentinel-2: "L1C Tile in JPEG2000 format"; NAIP: "Full Resolution"; SRTM: "GeoTIFF 1 Arc-second".
   - ``product=["SR_B4", "SR_B3"]``: the secondary downloads of the ``folder`` products whose
     file names end with ``_SR_B4.TIF`` etc. (or exactly ``_<name>`` when the name has a dot).
3. ``download-retrieve`` only if something is still being prepared (or if the request's answer
   did not say which scene a URL belongs to), polled with growing waits (:class:`PollPolicy`),
   interruptible, within a bounded total time. An item listed in both ``available`` and
   ``requested`` counts once; failed statuses end its wait.
4. The files, streamed by :class:`..download.Downloader` (parallel, resumable, sizes from
   download-options, checksums when the service gives them).

Seed workflow minimum: login, dataset-filters, scene-search, download-options, download-request,
N file GETs, logout (download-retrieve only when USGS is preparing something). The queue entry
is not removed afterwards (``download-order-remove`` would be one more call on every run, and
USGS expires its queue by itself).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from ..cancel import CancelCheck, raise_if_cancelled, sleep
from ..download import Downloader, DownloadItem, DownloadProgress, DownloadResult
from ..errors import BadInputError, DownloadError
from ..inflight import interruptible
from ..models import DownloadOption
from .client import M2MClient
from .download_answers import DownloadEntry, options_from_json, request_answer_from_json, retrieve_answer_from_json

LOG = logging.getLogger(__name__)

OPTIONS_CHUNK = 5000
REQUEST_CHUNK = 1000
# Preference of bundle download systems (lower first); anything else non-folder comes last.
_BUNDLE_SYSTEMS = {"ls_zip": 0, "dds": 1, "zip": 2, "dds_zip": 2, "dds_ms": 3}
_NOT_BUNDLES = {"folder", "wms"}
# Products that only show the data (EarthExplorer's browse and quality images): chosen last.
_PREVIEW_WORDS = ("browse", "landsatlook", "quality image", "thumbnail", "preview", "quicklook", "metadata")
# Formats of the same data, preferred first (what QGIS opens best); names without one come between.
_FORMATS = (("geotiff", 0), ("tiff", 0), ("jpeg2000", 1), ("jp2", 1), ("dted", 3))
READY_STATUS = {"A", "C"}
FAILED_STATUS = {"F", "E", "X", "R", "D"}
_FAILED_WORDS = ("fail", "error", "reject", "cancel", "expired", "removed", "unavailable")


@dataclass(frozen=True)
class PollPolicy:
    """How ``download-retrieve`` is polled while USGS prepares files."""

    # The first look comes soon (USGS often has the file within seconds), then the waits grow
    # gently, so a short preparation costs little more than its own time and a long one few calls.
    first_wait: float = 1.0
    factor: float = 1.3
    max_wait: float = 60.0
    total: float = 3600.0  # give up waiting after this many seconds


@dataclass
class _Wanted:
    key: str  # what the result is called: the entity id, or "<entity id>/<band>"
    scene_entity_id: str
    entity_id: str  # the one sent in download-request (a band file has its own)
    product_id: str
    display_id: str
    filename: str | None
    size: int | None
    checksum: tuple[str, str] | None
    order: int
    download_id: str | None = None
    url: str | None = None
    failure: str | None = None
    extra: dict = field(default_factory=dict)


def download_options(client: M2MClient, dataset: str, entity_ids: Iterable[str]) -> list[DownloadOption]:
    """Every product offered for ``entity_ids`` (with their secondary files)."""
    ids = list(dict.fromkeys(str(e) for e in entity_ids if e))
    options: list[DownloadOption] = []
    for start in range(0, len(ids), OPTIONS_CHUNK):
        data = client.call("download-options", {"datasetName": dataset, "entityIds": ids[start:start + OPTIONS_CHUNK]})
        options.extend(options_from_json(data))
    return options


def bundle_option(options: list[DownloadOption]) -> DownloadOption | None:
    """The best available bundle among one scene's options, or None."""
    candidates = [o for o in options if o.available and o.product_id
                  and o.download_system.lower() not in _NOT_BUNDLES]

    def rank(option: DownloadOption) -> tuple[int, int, int, int]:
        system = option.download_system.lower()
        name = option.product_name.lower()
        preview = any(word in name for word in _PREVIEW_WORDS)
        preferred = _BUNDLE_SYSTEMS.get(system, 2 if "zip" in system else 4)
        form = next((rank for word, rank in _FORMATS if word in name), 2)
        return int(preview), preferred, 0 if "bundle" in name else 1, form

    return min(candidates, key=rank) if candidates else None


def band_options(options: list[DownloadOption], band: str) -> DownloadOption | None:
    """The available band file named ``*_<band>.TIF`` in one scene's folder products, or None."""
    suffix = f"_{band}".upper() if "." in band else f"_{band}.TIF".upper()
    for option in options:
        if option.download_system.lower() != "folder":
            continue
        for secondary in option.secondary:
            name = (secondary.display_id or secondary.entity_id).upper()
            if name.endswith(suffix) and secondary.available and secondary.product_id:
                return secondary
    return None


def _choose(options: list[DownloadOption], entity_ids: list[str], product: str | list[str]) -> list[_Wanted]:
    by_scene: dict[str, list[DownloadOption]] = {}
    for option in options:
        by_scene.setdefault(option.entity_id, []).append(option)
    wanted: list[_Wanted] = []
    bands = None if product == "bundle" else [product] if isinstance(product, str) else list(product)
    for entity_id in entity_ids:
        scene_options = by_scene.get(entity_id, [])
        if bands is None:
            chosen = bundle_option(scene_options)
            item = _Wanted(entity_id, entity_id, entity_id, "", scene_options[0].display_id if scene_options else "",
                           None, None, None, len(wanted))
            if chosen is None:
                item.failure = ("USGS offers no download for this scene in this dataset." if not scene_options else
                                "The product bundle is not available for direct download (it may need an order).")
            else:
                item.product_id, item.size, item.checksum = chosen.product_id, chosen.filesize, chosen.checksum
            wanted.append(item)
            continue
        for band in bands:
            chosen = band_options(scene_options, band)
            key = f"{entity_id}/{band}"
            if chosen is None:
                item = _Wanted(key, entity_id, entity_id, "", "", None, None, None, len(wanted))
                item.failure = (f"Band file {band} is not available for this scene." if scene_options else
                                "USGS offers no download for this scene in this dataset.")
            else:
                item = _Wanted(key, entity_id, chosen.entity_id, chosen.product_id, chosen.display_id,
                               chosen.display_id or None, chosen.filesize, chosen.checksum, len(wanted))
            wanted.append(item)
    return wanted


PlannedFile = _Wanted  # what prepare_downloads answers per file


class _Matcher:
    """Which wanted file a download in an answer belongs to (answers do not always say)."""

    def __init__(self, wanted: list[_Wanted]):
        self.active = [w for w in wanted if w.failure is None]
        self.by_download: dict[str, _Wanted] = {}

    def match(self, item: DownloadEntry) -> _Wanted | None:
        download_id = item.download_id
        if download_id in self.by_download:
            return self.by_download[download_id]
        entity_id, display_id, url = item.entity_id, item.display_id, item.url or ""
        for candidate in self.active:
            if candidate.download_id is not None:
                continue
            if (entity_id and entity_id in (candidate.entity_id, candidate.scene_entity_id)
                    and (not candidate.display_id or not display_id or display_id == candidate.display_id)) \
                    or (not entity_id and candidate.display_id and _names(url, candidate.display_id)):
                candidate.download_id = download_id or None
                if download_id:
                    self.by_download[download_id] = candidate
                return candidate
        return None

    def unresolved(self) -> list[_Wanted]:
        return [w for w in self.active if w.failure is None and w.url is None]


def _names(url: str, display_id: str) -> bool:
    """Whether a URL's query names exactly ``display_id`` (ls_zip: ``?landsat_product_id=<display id>&...``)."""
    return any(value == display_id for _, value in parse_qsl(urlsplit(url).query))


def _is_failed(item: DownloadEntry) -> bool:
    code = item.status_code.upper()
    text = item.status_text.lower()
    return code in FAILED_STATUS or any(word in text for word in _FAILED_WORDS)


def _request(client: M2MClient, wanted: list[_Wanted], label: str, matcher: _Matcher) -> tuple[set[str], set[str]]:
    """download-request; returns (preparing download ids, labels to poll)."""
    active = [w for w in wanted if w.failure is None]
    preparing: set[str] = set()
    labels = {label}
    for start in range(0, len(active), REQUEST_CHUNK):
        block = active[start:start + REQUEST_CHUNK]
        answer = request_answer_from_json(client.call("download-request", {
            "downloads": [{"entityId": w.entity_id, "productId": w.product_id} for w in block], "label": label}))
        for item in answer.available:
            found = matcher.match(item)
            if found is not None and item.url:
                found.url = item.url
        for item in answer.preparing:
            matcher.match(item)
            preparing.add(item.download_id)
        for item in answer.failed:
            found = matcher.match(item)
            if found is not None:
                said = item.message
                found.failure = f"USGS refused the download request{': ' + said if said else '.'}"
        # a product already queued under an earlier label is not queued again: poll that label too
        labels.update(answer.duplicates.values())
        if not answer.available and not answer.preparing and (answer.new_records or answer.duplicates):
            preparing.update(answer.new_records)
            preparing.update(answer.duplicates)
    return preparing, labels


def _retrieve(client: M2MClient, labels: set[str], matcher: _Matcher, preparing: set[str],
              poll: PollPolicy, cancel: CancelCheck) -> None:
    """Poll download-retrieve until nothing we asked for is still being prepared (or time is up)."""
    deadline = time.monotonic() + poll.total
    wait = poll.first_wait if preparing else 0.0
    passes = 0
    while matcher.unresolved():
        if time.monotonic() + wait > deadline:
            break
        sleep(wait, cancel)
        passes += 1
        for label in sorted(labels):
            answer = retrieve_answer_from_json(client.call("download-retrieve", {"label": label}))
            listed = [(True, i) for i in answer.available] + [(False, i) for i in answer.requested]
            for in_available, item in listed:
                found = matcher.match(item)
                if found is None or found.url is not None or found.failure is not None:
                    continue
                code = item.status_code.upper()
                if _is_failed(item):
                    found.failure = f"USGS could not prepare this file ({item.status_text or code})."
                elif item.url and (in_available or code in READY_STATUS):
                    found.url = item.url
                    found.size = found.size or item.filesize
                    found.checksum = found.checksum or item.checksum
        # a file the queue does not list after two looks (the first may come too early) never will be
        if not any(w.download_id in preparing or (w.download_id is None and passes < 2)
                   for w in matcher.unresolved()):
            break
        wait = min(poll.max_wait, max(wait * poll.factor, poll.first_wait, 0.05))
    for item in matcher.unresolved():
        item.failure = ("USGS is still preparing this file; try again later (asking again picks up the same "
                        "request)." if item.download_id in preparing else "USGS did not queue this file for download.")


def prepare_downloads(client: M2MClient, dataset: str, entity_ids: Iterable[str], *,
                      product: str | list[str] = "bundle", cancel: CancelCheck = None,
                      poll: PollPolicy | None = None, label: str | None = None) -> list[PlannedFile]:
    """Steps 1-3 for ``entity_ids``: one :class:`PlannedFile` per file wanted, in order, with its URL
    (valid for this session only: never stored) or the reason it cannot be had (``failure``)."""
    ids = list(dict.fromkeys(str(e) for e in entity_ids if e))
    poll = poll or PollPolicy()
    label = label or f"scenefinder-{uuid.uuid4().hex[:16]}"
    raise_if_cancelled(cancel)
    with interruptible(cancel):  # ``cancel`` also ends the client's calls in flight
        wanted = _choose(download_options(client, dataset, ids), ids, product)
        matcher = _Matcher(wanted)
        if matcher.active:
            preparing, labels = _request(client, wanted, label, matcher)
            if matcher.unresolved():
                _retrieve(client, labels, matcher, preparing, poll, cancel)
    return wanted


def download_scenes(
    client: M2MClient,
    dataset: str,
    entity_ids: Iterable[str],
    folder: str | Path,
    *,
    product: str | list[str] = "bundle",
    parallel: int = 3,
    cancel: CancelCheck = None,
    progress: Callable[[DownloadProgress], None] | None = None,
    poll: PollPolicy | None = None,
    label: str | None = None,
) -> list[DownloadResult]:
    """Download bundles (``product="bundle"``) or band files (``["SR_B4", ...]``) of ``entity_ids``.

    Returns one :class:`..download.DownloadResult` per file, in the order asked for; those
    that could not be had are ``status="failed"`` with a :class:`DownloadError` saying why.
    The item's ``key`` is the entity id (bundles) or ``"<entity id>/<band>"`` (bands).
    """
    if product != "bundle" and (not product or (not isinstance(product, str) and not all(product))):
        raise BadInputError('product must be "bundle" or a list of band names like ["SR_B4", "SR_B3"].')
    ids = list(dict.fromkeys(str(e) for e in entity_ids if e))
    label = label or f"scenefinder-{uuid.uuid4().hex[:16]}"
    wanted = prepare_downloads(client, dataset, ids, product=product, cancel=cancel, poll=poll, label=label)
    ready = [w for w in wanted if w.failure is None and w.url]
    items = {w.key: DownloadItem(url=w.url, filename=w.filename, size=w.size, checksum=w.checksum, key=w.key)
             for w in ready}
    LOG.info("M2M order %s: %d file(s) ready, %d not available", label, len(ready), len(wanted) - len(ready))
    results = {}
    if items:
        downloader = Downloader(client.session, Path(folder), parallel=parallel)
        for result in downloader.download(list(items.values()), cancel=cancel, progress=progress):
            results[result.item.key] = result
    out = []
    for w in wanted:
        if w.key in results:
            out.append(results[w.key])
        else:
            error = DownloadError(f"{w.key}: {w.failure or 'not downloaded.'}", service="USGS M2M")
            out.append(DownloadResult(item=DownloadItem(url=w.url or "", filename=w.filename, size=w.size, key=w.key),
                                      path=None, status="failed", bytes_transferred=0, error=error))
    return out
