"""Carbon Mapper scenes as GeoPackage pages, streamed to disk one page at a time.

``catalog/download/scenes.gpkg`` answers one GeoPackage per page (``limit``/``offset``) with
the headers ``pagination-count`` (features matching), ``pagination-limit`` and
``pagination-offset``; ``limit=0`` answers the empty schema. :class:`SceneDownload`:

- :meth:`SceneDownload.schema` fetches the schema page (and the total count);
- iterating :meth:`SceneDownload.pages` streams each page into a temporary file and yields a
  :class:`ScenePage`; the file is deleted when the next page is asked for, so memory and disk
  stay flat whatever the number of scenes. Core stays free of GDAL: appending the pages into
  one GeoPackage is done by ``gis/carbonmapper_gpkg.py`` with OGR.

When the AOI had to be shrunk to fit the URL (see :mod:`.intersects`), the pages hold scenes
near the AOI too: ``download.intersects.shrunk`` is then True and ``download.intersects.exact``
is the geometry to filter against.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from shapely.geometry.base import BaseGeometry

from ..cancel import CancelCheck, is_cancelled, raise_if_cancelled
from ..errors import ServiceUnavailableError
from ..paging import PageGuard, fingerprint
from ..parsing import as_int
from .client import SERVICE, CarbonMapperClient
from .intersects import IntersectsParam, fit_intersects

LOG = logging.getLogger(__name__)

SCENES_GPKG = "catalog/download/scenes.gpkg"
INSTRUMENTS = ("GAO", "ang", "emi", "tan", "ssc", "av3")
PAGE_ATTEMPTS = 3
CHUNK = 1 << 20
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class ScenePage:
    path: Path  # the page's GeoPackage, deleted when the next page is asked for
    number: int  # 1-based
    offset: int
    features: int  # features in this page
    total: int  # pagination-count: features matching the search


@dataclass(frozen=True)
class SceneProgress:
    pages_done: int
    pages_total: int | None
    features_done: int
    features_total: int | None


def interval(start: dt.date | dt.datetime | str | None, end: dt.date | dt.datetime | str | None) -> str | None:
    """The ``datetime`` parameter: ``start/end`` with ``..`` for an open end, or None."""
    if start is None and end is None:
        return None

    def text(value) -> str:
        if value is None:
            return ".."
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
            return value.isoformat(timespec="seconds") + "Z"
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    return f"{text(start)}/{text(end)}"


def scene_params(
    *,
    start=None,
    end=None,
    instrument: str | None = None,
    cloud_min: float | None = None,
    cloud_max: float | None = None,
    extra: dict | None = None,
) -> dict:
    """Query parameters of the scene filters (SceneFilterSchema), without paging and AOI."""
    params: dict = {}
    when = interval(start, end)
    if when:
        params["datetime"] = when
    if instrument:
        params["instrument"] = instrument
    if cloud_min is not None:
        params["cloud_cover_pct_min"] = _number(cloud_min)
    if cloud_max is not None:
        params["cloud_cover_pct_max"] = _number(cloud_max)
    params.update(extra or {})
    return params


class SceneDownload:
    """The paged scenes GeoPackage for one search. See the module docstring."""

    def __init__(
        self,
        client: CarbonMapperClient,
        *,
        aoi: BaseGeometry | dict | None = None,
        start=None,
        end=None,
        instrument: str | None = None,
        cloud_min: float | None = None,
        cloud_max: float | None = None,
        extra: dict | None = None,
        page_limit: int | None = None,
        work_dir: Path | str | None = None,
        prefetch: bool = True,
        cancel: CancelCheck = None,
        progress: Callable[[SceneProgress], None] | None = None,
    ):
        self.client = client
        self.prefetch = prefetch
        self.cancel = cancel if cancel is not None else client.cancel
        self.progress = progress
        self.page_limit = page_limit
        self.params = scene_params(start=start, end=end, instrument=instrument, cloud_min=cloud_min,
                                   cloud_max=cloud_max, extra=extra)
        self.intersects: IntersectsParam | None = None
        if aoi is not None:
            probe = {**self.params, "limit": page_limit if page_limit is not None else 1000, "offset": 0}
            self.intersects = fit_intersects(aoi, client.url(SCENES_GPKG), probe)
            self.params["intersects"] = self.intersects.value
            if self.intersects.shrunk:
                LOG.info("AOI too long for the URL: sent its %s; scenes are filtered against the exact AOI here",
                         self.intersects.method)
        self.work_dir = Path(work_dir) if work_dir else None
        self.total: int | None = None
        self.pages_total: int | None = None

    @property
    def exact_aoi(self) -> BaseGeometry | None:
        """The AOI to filter the pages against (None when the server already applied it exactly)."""
        return self.intersects.exact if self.intersects is not None and self.intersects.shrunk else None

    def schema(self, path: Path | str) -> Path:
        """Save the empty schema GeoPackage (``limit=0``) to ``path``; also learns the total count."""
        response = self.client.get(SCENES_GPKG, {**self.params, "limit": 0}, stream=True)
        self._learn_count(response, limit=None)
        return _save(response, Path(path), self.cancel)

    def pages(self) -> Iterator[ScenePage]:
        """Every page, in order, each in a temporary file that lives until the next page is asked for.

        While the caller works on one page, the next one is already downloading (one worker
        thread): at most two page files exist at any time.
        """
        folder = Path(tempfile.mkdtemp(prefix="cm_scenes_", dir=self.work_dir))
        stop = threading.Event()

        def cancelled() -> bool:
            return stop.is_set() or is_cancelled(self.cancel)

        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cm-scene-page") if self.prefetch else None

        guard = PageGuard(SERVICE, "scenes")  # a server that ignores offset must not make us write duplicates

        def start(offset: int, number: int):
            guard.ask(offset)
            path = folder / f"page-{number:05d}.gpkg"
            if executor is None:
                return _Later(lambda: self._fetch(offset, path, cancelled), path)
            return _Pending(executor.submit(self._fetch, offset, path, cancelled), path)

        offset, number, done = 0, 0, 0
        pending = start(0, 1)
        try:
            while True:
                raise_if_cancelled(self.cancel)
                limit, features, first, last = pending.result()
                path = pending.path
                guard.page(features, first, last)
                number += 1
                done += features
                assert self.total is not None
                if limit <= 0 and features > 0:  # no pagination-limit: the page size is what came
                    limit = features
                    self.pages_total = -(-self.total // limit)
                following = offset + limit
                more = limit > 0 and features > 0 and following < self.total
                if more:
                    pending = start(following, number + 1)
                yield ScenePage(path, number, offset, features, self.total)
                path.unlink(missing_ok=True)
                self._report(number, done)
                if not more:
                    break
                offset = following
        finally:
            stop.set()
            if executor is not None:
                executor.shutdown(wait=True)
            shutil.rmtree(folder, ignore_errors=True)

    # --- internals --------------------------------------------------------------------
    def _fetch(self, offset: int, path: Path, cancel: CancelCheck) -> tuple[int, int, str | None, str | None]:
        """Stream the page at ``offset`` to ``path``; retries a broken transfer.

        Returns (limit, features, first, last): ``limit`` is 0 when the service did not say it;
        ``first`` and ``last`` identify the page's first and last feature (see :func:`page_ends`)."""
        params = {**self.params, "offset": offset}
        if self.page_limit is not None:
            params["limit"] = self.page_limit
        for attempt in range(1, PAGE_ATTEMPTS + 1):
            raise_if_cancelled(cancel)
            response = self.client.get(SCENES_GPKG, params, stream=True)
            limit = self._learn_count(response, limit=self.page_limit)
            try:
                _save(response, path, cancel)
                return (limit, count_features(path), *page_ends(path))
            except _IncompleteError as error:
                LOG.info("Scene page at offset %s broke off (%s), attempt %s of %s",
                         offset, error, attempt, PAGE_ATTEMPTS)
                if attempt == PAGE_ATTEMPTS:
                    raise ServiceUnavailableError(
                        f"{SERVICE} kept breaking off the scenes download. Try again later.",
                        service_message=str(error), service=SERVICE,
                    ) from None
        raise AssertionError("unreachable")

    def _learn_count(self, response: requests.Response, limit: int | None) -> int:
        try:
            # limit 0: unknown; pages() then steps by what came
            self.total, page_limit = paging_from_headers(response.headers)
        except ServiceUnavailableError:
            response.close()
            raise
        estimate = page_limit or limit or 0
        if estimate > 0:
            self.pages_total = -(-self.total // estimate) if self.total else 1
        return page_limit

    def _report(self, pages_done: int, features_done: int) -> None:
        if self.progress is not None:
            self.progress(SceneProgress(pages_done, self.pages_total, features_done, self.total))


@contextmanager
def _page_table(path: Path | str) -> Iterator[tuple[sqlite3.Connection, str | None]]:
    """A read-only connection to a scenes page and the name of its (first) feature table, or None;
    a page that is no GeoPackage is our typed error (sqlite3 only: no GDAL in core)."""
    connection = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name LIMIT 1"
        ).fetchone()
        yield connection, None if row is None else row[0]
    except sqlite3.DatabaseError as error:
        raise ServiceUnavailableError(
            f"{SERVICE} answered a scenes page that cannot be read as a GeoPackage.",
            service_message=str(error), service=SERVICE,
        ) from None
    finally:
        connection.close()


def page_ends(path: Path | str) -> tuple[str | None, str | None]:
    """Fingerprints of the first and last feature of a page (all columns but the page's own fid)."""
    with _page_table(path) as (connection, name):
        if name is None:
            return None, None
        table = name.replace('"', '""')
        columns = [c[1] for c in connection.execute(f'PRAGMA table_info("{table}")') if not c[5]]
        if not columns:
            return None, None
        listed = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
        ends = []
        for order in ("ASC", "DESC"):
            found = connection.execute(f'SELECT {listed} FROM "{table}" ORDER BY rowid {order} LIMIT 1').fetchone()
            ends.append(None if found is None else fingerprint([v.hex() if isinstance(v, bytes) else v
                                                                for v in found]))
        return ends[0], ends[1]


def paging_from_headers(headers) -> tuple[int, int]:
    """(pagination-count, pagination-limit) of a scenes page: integers >= 0, the limit 0 when the answer
    has none (the pages then tell their size by what they hold). :class:`ServiceUnavailableError` without
    the count, :class:`MalformedAnswerError` (naming the header) when one is not a count."""
    count = as_int(headers.get("pagination-count"), "pagination-count", SERVICE, minimum=0)
    if count is None:
        raise ServiceUnavailableError(
            f"{SERVICE} answered the scenes download without its paging headers (pagination-count).",
            service=SERVICE,
        )
    page_limit = as_int(headers.get("pagination-limit"), "pagination-limit", SERVICE, minimum=0)
    return count, page_limit or 0


class _IncompleteError(Exception):
    pass


@dataclass(frozen=True)
class _Later:
    fetch: Callable[[], tuple[int, int, str | None, str | None]]
    path: Path

    def result(self) -> tuple[int, int, str | None, str | None]:
        return self.fetch()


@dataclass(frozen=True)
class _Pending:
    future: Future
    path: Path

    def result(self) -> tuple[int, int, str | None, str | None]:
        return self.future.result()


def _save(response: requests.Response, path: Path, cancel: CancelCheck) -> Path:
    """Stream ``response`` into ``path`` (replaced), checking the size and that it is a GeoPackage."""
    expected = response.headers.get("Content-Length")
    written = 0
    try:
        with open(path, "wb") as out:
            for chunk in response.iter_content(CHUNK):
                raise_if_cancelled(cancel)
                out.write(chunk)
                written += len(chunk)
    except requests.exceptions.RequestException as error:
        raise_if_cancelled(cancel)  # a cancel shuts the socket: that is why the body ended
        raise _IncompleteError(type(error).__name__) from None
    finally:
        response.close()
    raise_if_cancelled(cancel)  # the same, when the shut socket looked like the body's end
    if expected is not None and expected.isascii() and expected.isdigit() and written != int(expected):
        raise _IncompleteError(f"{written} of {expected} bytes")
    with open(path, "rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise ServiceUnavailableError(
                f"{SERVICE} answered the scenes download with something that is not a GeoPackage.", service=SERVICE
            )
    return path


def count_features(path: Path | str) -> int:
    """Features in a GeoPackage's (first) feature table, read with sqlite3 (no GDAL in core)."""
    with _page_table(path) as (connection, name):
        if name is None:
            return 0
        table = name.replace('"', '""')
        return int(connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)
