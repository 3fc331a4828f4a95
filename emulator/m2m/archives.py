"""Generated product files of the non-Landsat datasets: cached atomically, padded to announced sizes.

download-options announces each file's exact size before anything is built, so every generated
file is padded to a fixed size: a GeoTIFF with trailing zero bytes (TIFF readers ignore them), a
zip through one of its own text members (XML or a header file), padded with trailing blanks.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def _lock_for(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def cached(final: Path, make: Callable[[Path], None]) -> Path:
    """``final``, made once by ``make(temporary path)`` and renamed into place (atomic across processes)."""
    if final.exists():
        return final
    with _lock_for(str(final)):
        if final.exists():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f"{final.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            make(tmp)
            os.replace(tmp, final)
        except BaseException:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            elif tmp.exists():
                tmp.unlink()
            raise
    return final


def pad_file(path: Path, size: int) -> None:
    actual = path.stat().st_size
    if actual > size:
        raise RuntimeError(f"{path.name} is {actual} bytes, more than the announced {size}")
    with open(path, "ab") as handle:
        handle.write(bytes(size - actual))


def _zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_zip(path: Path, members: list[tuple[str, bytes]], pad_member: str, size: int) -> None:
    """A stored (uncompressed) zip of ``members`` of exactly ``size`` bytes: the member named
    ``pad_member`` (text) gets trailing blanks."""
    first = _zip_bytes(members)
    missing = size - len(first)
    if missing < 0:
        raise RuntimeError(f"{path.name} is {len(first)} bytes, more than the announced {size}")
    padded = [(name, data + b" " * missing if name == pad_member else data) for name, data in members]
    data = _zip_bytes(padded)
    if len(data) != size:  # the padding moved a header past a size boundary (zip64): never at these sizes
        raise RuntimeError(f"{path.name} is {len(data)} bytes, not the announced {size}")
    path.write_bytes(data)
