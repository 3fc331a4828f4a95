"""The emulator's files made by GDAL in memory (``/vsimem/``): their bytes, and the file removed."""

from __future__ import annotations

from osgeo import gdal


def take(name: str) -> bytes:
    """The bytes of the in-memory file ``name``, which is removed (also when it cannot be read)."""
    try:
        if gdal.VSIStatL(name) is None:
            raise OSError(f"cannot read {name}")
        return bytes(gdal.VSIGetMemFileBuffer_unsafe(name))
    finally:
        gdal.Unlink(name)
