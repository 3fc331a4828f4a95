"""Where composite VRTs are saved, and how: beside the data they show, written safely.

A VRT is a small XML file that points at the band files (inside the bundle, through ``/vsitar/``). It goes
next to the downloaded bundle or band files, so that a saved project keeps working as long as the data
is there. When that folder cannot be written, it goes to a private folder of the user's QGIS profile
(``<profile>/scene_finder/vrt``, mode 0700), named with a digest of the data's path; never to a shared,
predictable folder such as ``/tmp``.

Every VRT is written to a new temporary file (made with ``O_EXCL``, so nothing planted under its name
is followed) and renamed over the target: a symlink planted at the target is replaced, never written
through.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import stat
import tempfile
from pathlib import Path

from qgis.core import QgsApplication

from ..core.download.files import sanitize_filename

LOG = logging.getLogger(__name__)
PRIVATE_PARTS = ("scene_finder", "vrt")


def save_vrt(data: bytes, name: str, beside: Path | None, source: str) -> Path:
    """Write ``data`` as ``name`` in the folder ``beside`` (the data's folder); when that fails, in the
    private folder, under a name made unique by ``source`` (the path of the data it shows)."""
    name = sanitize_filename(name)
    if beside is not None:
        try:
            return write_file(Path(beside), name, data)
        except OSError as error:
            LOG.info("Cannot write %s beside the data (%s); using the profile's folder", name,
                     error.strerror or type(error).__name__)
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    unique = f"{stem}_{digest}.{ext}" if dot else f"{name}_{digest}"
    return write_file(private_folder(), sanitize_filename(unique), data)


def vsimem_bytes(path: str) -> bytes | None:
    """The bytes of a GDAL in-memory file (a VRT just built there); None when it is not there."""
    from osgeo import gdal

    handle = gdal.VSIFOpenL(path, "rb")
    if handle is None:
        return None
    try:
        gdal.VSIFSeekL(handle, 0, 2)
        size = gdal.VSIFTellL(handle)
        gdal.VSIFSeekL(handle, 0, 0)
        return bytes(gdal.VSIFReadL(1, size, handle))
    finally:
        gdal.VSIFCloseL(handle)


def write_file(folder: Path, name: str, data: bytes) -> Path:
    """``folder / name`` holds ``data``: a temporary file of our own, then renamed over the target."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        target = folder / name
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def private_folder() -> Path:
    """``<QGIS profile>/scene_finder/vrt``, made with mode 0700. Raises OSError when it is not a real
    folder of ours (a symlink, another user's, open to others)."""
    profile = QgsApplication.qgisSettingsDirPath()
    if not profile:
        raise OSError(0, "no QGIS profile folder")
    folder = Path(profile)
    for part in PRIVATE_PARTS:
        folder = folder / part
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    _check_private(folder)
    return folder


def _check_private(folder: Path) -> None:
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise OSError(0, f"{folder} is not a folder (a link?); not writing there")
    if hasattr(os, "getuid"):
        if info.st_uid != os.getuid():
            raise OSError(0, f"{folder} belongs to another user; not writing there")
        if info.st_mode & 0o077:
            os.chmod(folder, 0o700)
