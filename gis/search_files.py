"""Search files: where a search's GeoPackage goes, and the cleaning that keeps them from piling up.

Every search writes its results to a new GeoPackage in ``<download folder>/searches/`` named by
:func:`search_file_name`. :func:`clean_search_files` deletes those that are older than the
``search_files_days`` setting (by their modification time; 0 never deletes anything) unless

- a layer of the open project reads it,
- a saved search of the open project names it as its last run's file,
- it is in the ``kept_search_files`` setting: the files of saved searches (of any project) and of
  the layers of every project saved with Scene Finder results, recorded when it was saved, so
  that opening another project or starting QGIS without one never loses them,
- it is open in another program (SQLite's ``-wal`` / ``-shm`` files lie beside it).

The hidden files a search writes before its file is complete (``.<name>.<hex>.streaming.gpkg``, a
streamed search's preview; ``.<name>.<hex>.writing.gpkg``) are deleted once a day old, whatever the
setting: only a crash, or a reader that held one too long, leaves one behind.

Only files with the plugin's own names are touched: whatever else is in the folder stays.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

from qgis.core import QgsProject, QgsProviderRegistry

from . import settings
from .sources import SOURCES

LOG = logging.getLogger(__name__)

FOLDER = "searches"
_STEM = "(?:" + "|".join(re.escape(source) for source in SOURCES) + r")_\d{8}_\d{6}_\d+"
_NAME = re.compile(f"^{_STEM}\\.gpkg$")
# what a search writes before its file is complete (a stream's preview, a copy being made): hidden, and
# left behind only by a crash or by a reader that would not let go in time; deleted after a day whatever
# the setting says, as nobody keeps them
_TEMPORARY = re.compile(f"^\\.{_STEM}\\.[0-9a-f]{{8}}\\.(?:streaming|writing)\\.gpkg$")
_SIDE_FILES = ("-wal", "-shm")
DAY_SECONDS = 86400


def search_file_name(source: str, number: int, when: datetime.datetime | None = None) -> str:
    """The name of a search's GeoPackage: source, local time to the second, a counter."""
    stamp = (when or datetime.datetime.now()).strftime("%Y%m%d_%H%M%S")
    return f"{source}_{stamp}_{number}.gpkg"


def is_search_file(path: Path) -> bool:
    return bool(_NAME.match(path.name))


def is_temporary_search_file(path: Path) -> bool:
    return bool(_TEMPORARY.match(path.name))


def _same(path: str | Path) -> str:
    return os.path.normcase(os.path.realpath(os.fspath(path)))


def stale_search_files(folder: Path, max_age_days: int, keep: Iterable[str | Path] = (),
                       now: float | None = None) -> list[Path]:
    """The search files in ``folder`` older than ``max_age_days`` (none when it is 0) and the hidden leftovers
    older than a day, but those in ``keep``."""
    if not folder.is_dir():
        return []
    now = time.time() if now is None else now
    kept = {_same(path) for path in keep}
    stale = []
    for path in sorted(folder.iterdir()):
        if is_temporary_search_file(path):
            limit = now - DAY_SECONDS
        elif is_search_file(path) and max_age_days > 0:
            limit = now - max_age_days * DAY_SECONDS
        else:
            continue
        if _same(path) in kept:
            continue
        if any(path.with_name(path.name + side).exists() for side in _SIDE_FILES):
            continue  # open in a program (another QGIS): never pulled from under it
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                stale.append(path)
        except OSError:
            continue
    return stale


def delete_search_files(paths: Iterable[Path]) -> list[Path]:
    """Delete ``paths``; returns those deleted (a file that cannot be deleted is logged and left)."""
    deleted = []
    for path in paths:
        try:
            path.unlink()
            deleted.append(path)
        except FileNotFoundError:
            continue
        except OSError as error:
            LOG.warning("Could not delete the old search file %s: %s", path.name, error)
    if deleted:
        LOG.info("Deleted %d old search file(s) from %s", len(deleted), deleted[0].parent)
    return deleted


# --- what must stay ------------------------------------------------------------------------
def project_files(project: QgsProject | None = None) -> set[str]:
    """The files the layers of ``project`` read."""
    project = project or QgsProject.instance()
    registry = QgsProviderRegistry.instance()
    files = set()
    for layer in project.mapLayers().values():
        path = registry.decodeUri(layer.providerType(), layer.source()).get("path") or ""
        if path:
            files.add(_same(path))
    return files


def kept_files() -> list[str]:
    kept = settings.value("kept_search_files")
    return [str(path) for path in kept] if isinstance(kept, list) else []


def keep_files(paths: Iterable[str | Path]) -> None:
    """Add ``paths`` (search files only) to the files cleaning never deletes; forget those that are gone."""
    kept = [path for path in kept_files() if Path(path).exists()]
    known = {_same(path) for path in kept}
    for path in paths:
        if is_search_file(Path(path)) and Path(path).exists() and _same(path) not in known:
            kept.append(os.fspath(path))
            known.add(_same(path))
    settings.set_json("kept_search_files", kept or None)


def keep_project_files(project: QgsProject | None = None) -> None:
    """Keep the search files the layers of ``project`` read (called when it is saved)."""
    keep_files(project_files(project))


def clean_search_files(folder: Path, saved_files: Iterable[str | Path] = (),
                       project: QgsProject | None = None, now: float | None = None) -> list[Path]:
    """Delete the stale search files of ``folder``; returns what was deleted."""
    days = settings.value("search_files_days")  # 0: search files stay; hidden leftovers go all the same
    keep = {*project_files(project), *kept_files(), *(os.fspath(path) for path in saved_files)}
    return delete_search_files(stale_search_files(folder, days, keep, now))
