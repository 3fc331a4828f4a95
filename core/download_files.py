"""The file side of downloading: safe names, ``.part`` files with their sidecar, checksums."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

PART_SUFFIX = ".part"
SIDECAR_SUFFIX = ".part.json"
DEFAULT_NAME = "download"
MAX_NAME_BYTES = 200  # leaves room for ".part.json" under the usual 255-byte limit

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNSAFE = re.compile(r'[<>:"|?*]')  # not allowed in Windows file names
_DOTS = re.compile(r"\.{2,}")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # no folders, whatever the separator
    name = _CONTROL.sub("", name)
    name = _UNSAFE.sub("_", name)
    name = _DOTS.sub(".", name).strip(" .")
    if not name:
        return None
    if name.split(".", 1)[0].lower() in _RESERVED:
        name = "_" + name
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        ext = "." + ext if dot and len(ext) <= 16 else ""
        stem = name[: len(name) - len(ext)] if ext else name
        while len((stem + ext).encode("utf-8")) > MAX_NAME_BYTES:
            stem = stem[:-1]
        name = stem + ext
    return name


def sanitize_filename(name: str | None) -> str:
    """A file name safe to create in the download folder: no folder parts, no "..", no control
    characters, nothing Windows refuses, never empty (then "download")."""
    return _clean_name(name) or DEFAULT_NAME


_CD_EXTENDED = re.compile(r"(?:^|[;\s])filename\*\s*=\s*([\w!#$%&+^`{}~.-]+)'[^']*'([^;\s]+)", re.IGNORECASE)
_CD_QUOTED = re.compile(r'(?:^|[;\s])filename\s*=\s*"((?:[^"\\]|\\.)*)"', re.IGNORECASE)
_CD_TOKEN = re.compile(r'(?:^|[;\s])filename\s*=\s*([^;\s"]+)', re.IGNORECASE)


def filename_from_content_disposition(header: str | None) -> str | None:
    """The (sanitized) file name of a Content-Disposition header (RFC 6266: ``filename*`` wins), or None."""
    if not header:
        return None
    match = _CD_EXTENDED.search(header)
    if match:
        try:
            codecs.lookup(match.group(1))
            name = unquote(match.group(2), encoding=match.group(1), errors="strict")
        except (LookupError, UnicodeDecodeError):
            name = None
        if _clean_name(name):
            return _clean_name(name)
    match = _CD_QUOTED.search(header)
    if match:
        name = re.sub(r"\\(.)", r"\1", match.group(1))
    else:
        match = _CD_TOKEN.search(header)
        name = match.group(1) if match else None
    return _clean_name(name)


def content_range(header: str | None) -> tuple[int | None, int | None]:
    """(first byte, total size) of a Content-Range header such as "bytes 100-199/1000" or "bytes */1000"."""
    match = re.match(r"\s*bytes\s+(?:(\d+)-\d+|\*)/(\d+|\*)", header or "", re.IGNORECASE)
    if not match:
        return None, None
    first = int(match.group(1)) if match.group(1) else None
    total = int(match.group(2)) if match.group(2) != "*" else None
    return first, total


def make_hasher(checksum: tuple[str, str]):
    """A hashlib object for ("md5" | "sha1" | "sha256" | any hashlib name, digest)."""
    algorithm = checksum[0].lower().replace("-", "").replace("_", "")
    try:
        return hashlib.new(algorithm)
    except ValueError:
        from .errors import DownloadError

        raise DownloadError(f"Unknown checksum algorithm {checksum[0]!r}.") from None


@dataclass
class Sidecar:
    """What a resumed download must match: the validators and size of the file being fetched."""

    etag: str | None = None
    last_modified: str | None = None
    total: int | None = None

    @property
    def if_range(self) -> str | None:
        if self.etag and not self.etag.startswith("W/"):  # If-Range needs a strong validator
            return self.etag
        return self.last_modified

    @classmethod
    def read(cls, path: Path) -> Sidecar:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data.get("etag"), data.get("last_modified"), data.get("total"))
        except (OSError, ValueError, AttributeError):
            return cls()

    @classmethod
    def from_response(cls, response, total: int | None) -> Sidecar:
        return cls(response.headers.get("ETag"), response.headers.get("Last-Modified"), total)

    def write(self, path: Path) -> None:
        data = {"etag": self.etag, "last_modified": self.last_modified, "total": self.total}
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)


class _Writer:
    def __init__(self, handle, hasher):
        self._write = handle.write
        self._update = hasher.update if hasher is not None else None

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:  # a raw file may write less than asked
            written = self._write(view)
            view = view[written:]
        if self._update is not None:
            self._update(data)


class PartFile:
    """``<name>.part`` and its sidecar ``<name>.part.json``."""

    def __init__(self, path: Path, sidecar: Path):
        self.path = path
        self.sidecar = sidecar

    @contextlib.contextmanager
    def open(self, offset: int, hasher=None) -> Iterator[_Writer]:
        """Write from ``offset`` on (what lies beyond is cut); the hasher first sees the bytes kept."""
        if offset:
            self.hash_existing(hasher, offset)
            handle = open(self.path, "r+b", buffering=0)  # noqa: SIM115 - closed below
            handle.truncate(offset)
            handle.seek(offset)
        else:
            handle = open(self.path, "wb", buffering=0)  # noqa: SIM115
        try:
            yield _Writer(handle, hasher)
        finally:
            handle.close()

    def hash_existing(self, hasher, length: int) -> None:
        if hasher is None:
            return
        with open(self.path, "rb", buffering=0) as handle:
            left = length
            while left > 0:
                block = handle.read(min(4 << 20, left))
                if not block:
                    break
                hasher.update(block)
                left -= len(block)

    def discard(self) -> None:
        """Delete the part and its sidecar (bad data must not be resumed)."""
        for path in (self.path, self.sidecar):
            with contextlib.suppress(OSError):
                path.unlink()

    def forget_sidecar(self) -> None:
        with contextlib.suppress(OSError):
            self.sidecar.unlink()
