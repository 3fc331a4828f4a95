"""The file side of downloading: safe names, ``.part`` files with their sidecar, checksums."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..errors import CancelledError, DownloadError

PART_SUFFIX = ".part"
SIDECAR_SUFFIX = ".part.json"
LOCK_SUFFIX = ".part.lock"
DEFAULT_NAME = "download"
MAX_NAME_BYTES = 200  # leaves room for ".part.json" under the usual 255-byte limit
MAX_NAME_CANDIDATES = 100  # "name.ext", "name (1).ext" ... "name (99).ext"

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNSAFE = re.compile(r'[<>:"|?*]')  # not allowed in Windows file names
_DOTS = re.compile(r"\.{2,}")
# Windows device names, whatever the extension; the superscript digits count as digits there.
_RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$",
             *(f"{kind}{digit}" for kind in ("com", "lpt") for digit in "123456789\u00b9\u00b2\u00b3")}
# Names of our own working files: a final name must never end like one of them.
_OWN_SUFFIXES = (".part.json.tmp", SIDECAR_SUFFIX, LOCK_SUFFIX, PART_SUFFIX)


def _is_shown(char: str) -> bool:
    """False for what must not be in a name: controls, bidi and other format characters (U+202E...),
    lone surrogates, line and paragraph separators."""
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Zl", "Zp")


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # no folders, whatever the separator
    name = _CONTROL.sub("", name)
    name = "".join(char for char in name if _is_shown(char))
    name = _UNSAFE.sub("_", name)
    name = _DOTS.sub(".", name).strip(" .")
    if not name:
        return None
    if name.split(".", 1)[0].rstrip(" ").lower() in _RESERVED:
        name = "_" + name
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        ext = "." + ext if dot and len(ext) <= 16 else ""
        stem = name[: len(name) - len(ext)] if ext else name
        while len((stem + ext).encode("utf-8")) > MAX_NAME_BYTES:
            stem = stem[:-1]
        name = (stem.rstrip(" .") + ext).strip(" .")
        if not name:
            return None
    lowered = name.lower()
    for suffix in _OWN_SUFFIXES:
        if lowered.endswith(suffix):  # "x.part" -> "x_part", "x.part.json" -> "x_part.json"
            cut = len(name) - len(suffix)
            name = name[:cut] + "_" + name[cut + 1:]
            break
    return name


def sanitize_filename(name: str | None) -> str:
    """A file name safe to create in the download folder: no folder parts, no "..", no control, format
    or bidi characters, nothing Windows refuses or reserves (CON, CONIN$, COM1...), never one of our
    working files' endings (``.part``), never empty (then "download")."""
    return _clean_name(name) or DEFAULT_NAME


def candidate_names(name: str) -> Iterator[str]:
    """``name``, then ``stem (1).ext``, ``stem (2).ext``...: the names a server-chosen file may take when
    an unrelated file already has its name."""
    yield name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    else:
        ext = "." + ext
    for number in range(1, MAX_NAME_CANDIDATES):
        tag, base = f" ({number})", stem
        while base and len((base + tag + ext).encode("utf-8")) > MAX_NAME_BYTES:
            base = base[:-1]
        yield sanitize_filename(base + tag + ext)


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
    def __init__(self, handle):
        self._write = handle.write

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:  # a raw file may write less than asked
            written = self._write(view)
            view = view[written:]


class PartFile:
    """``<name>.part`` and its sidecar ``<name>.part.json``."""

    def __init__(self, path: Path, sidecar: Path):
        self.path = path
        self.sidecar = sidecar

    @contextlib.contextmanager
    def open(self, offset: int) -> Iterator[_Writer]:
        """Write from ``offset`` on (what lies beyond is cut)."""
        if offset:
            handle = open(self.path, "r+b", buffering=0)  # noqa: SIM115 - closed below
            handle.truncate(offset)
            handle.seek(offset)
        else:
            handle = open(self.path, "wb", buffering=0)  # noqa: SIM115
        try:
            yield _Writer(handle)
        finally:
            handle.close()

    def discard(self) -> None:
        """Delete the part and its sidecar (bad data must not be resumed)."""
        for path in (self.path, self.sidecar):
            with contextlib.suppress(OSError):
                path.unlink()

    def forget_sidecar(self) -> None:
        with contextlib.suppress(OSError):
            self.sidecar.unlink()


# -- checks of what is on disk ------------------------------------------------------------------
HASH_BLOCK = 4 << 20
_VERIFIED: dict[tuple, bool] = {}  # files whose checksum was checked, by what identifies a version of them
_VERIFIED_LOCK = threading.Lock()


def _version(path: Path, checksum: tuple[str, str]) -> tuple | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns,
            checksum[0].lower(), checksum[1].strip().lower())


def file_matches(path: Path, checksum: tuple[str, str], stopped: Callable[[], bool] | None = None) -> bool:
    """True when the file ON DISK has ``checksum``. A file checked once is not read again while its size,
    time and inode stay the same. Raises OSError when it cannot be read, and CancelledError when
    ``stopped`` turns true while reading."""
    version = _version(path, checksum)
    if version is not None:
        with _VERIFIED_LOCK:
            if _VERIFIED.get(version):
                return True
    hasher = make_hasher(checksum)
    with open(path, "rb", buffering=0) as handle:
        while True:
            if stopped is not None and stopped():
                raise CancelledError()
            block = handle.read(HASH_BLOCK)
            if not block:
                break
            hasher.update(block)
    matches = hasher.hexdigest().lower() == checksum[1].strip().lower()
    if matches:
        remember_verified(path, checksum)
    return matches


def remember_verified(path: Path, checksum: tuple[str, str]) -> None:
    """``path`` (as it is now) has ``checksum``: a rename keeps what identifies it."""
    version = _version(path, checksum)
    if version is None:
        return
    with _VERIFIED_LOCK:
        if len(_VERIFIED) > 4096:
            _VERIFIED.clear()
        _VERIFIED[version] = True
