"""Landsat-like Level-2 product files, made on first use and cached under the emulator's cache_dir.

Every scene gets small real GeoTIFF bands (UInt16, PIXELS x PIXELS, in the scene's UTM zone over
its footprint, zero outside the tilted footprint as in real products), an MTL.txt and an
MTL.json, and an uncompressed ``<displayId>.tar`` bundle of them. Files are padded to fixed
sizes (TIFF and JSON readers ignore trailing bytes) so that download-options can announce exact
sizes without building anything. Browse images (PNG) come from the same synthetic surface.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import threading
from pathlib import Path

from .catalog import Scene
from .texture import browse_png, scene_bands

PIXELS = 100
SR_BANDS = [f"SR_B{i}.TIF" for i in range(1, 8)]
BUNDLE_FILES = SR_BANDS + ["QA_PIXEL.TIF", "MTL.txt", "MTL.json", "ST_B10.TIF"]
TIF_SIZE = PIXELS * PIXELS * 2 + 8192
TEXT_SIZE = 8192
_BLOCK = 512
_RECORD = 20 * _BLOCK
_MTIME = 1_700_000_000
FORMAT_VERSION = 2  # part of the cache path: bump it when the generated files change

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def file_size(name: str) -> int:
    return TIF_SIZE if name.endswith(".TIF") else TEXT_SIZE


def tar_size() -> int:
    members = sum(_BLOCK + -(-file_size(n) // _BLOCK) * _BLOCK for n in BUNDLE_FILES)
    return -(-(members + 2 * _BLOCK) // _RECORD) * _RECORD


def _root(cache_dir) -> Path:
    return Path(cache_dir) / "m2m" / f"v{FORMAT_VERSION}"


def _lock_for(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _pad(path: Path, size: int) -> None:
    actual = path.stat().st_size
    if actual > size:
        raise RuntimeError(f"{path.name} is {actual} bytes, more than the announced {size}")
    with open(path, "ab") as handle:
        handle.write(b"\n" * (size - actual) if path.suffix != ".TIF" else bytes(size - actual))


def _mtl(scene: Scene, info: dict) -> dict:
    display_id = scene.display_id
    contents = {"LANDSAT_PRODUCT_ID": display_id, "PROCESSING_LEVEL": "L2SP", "COLLECTION_NUMBER": "02",
                "COLLECTION_CATEGORY": scene.category}
    for name in BUNDLE_FILES:
        key = name.split(".")[0]
        label = {"MTL": "METADATA_ODL" if name.endswith("txt") else "METADATA_JSON"}.get(key, key)
        contents[f"FILE_NAME_{label}"] = f"{display_id}_{name}"
    corners = dict(zip(("LL", "LR", "UR", "UL"), scene.quad, strict=True))
    return {"LANDSAT_METADATA_FILE": {
        "PRODUCT_CONTENTS": contents,
        "IMAGE_ATTRIBUTES": {
            "SPACECRAFT_ID": f"LANDSAT_{scene.satellite}", "SENSOR_ID": scene.sensor,
            "WRS_TYPE": "2", "WRS_PATH": str(scene.path), "WRS_ROW": str(scene.row),
            "DATE_ACQUIRED": f"{scene.acquired:%Y-%m-%d}", "CLOUD_COVER": scene.cloud_text() or "-1",
            "CLOUD_COVER_LAND": "-1" if scene.land_cloud is None else f"{scene.land_cloud:.2f}",
            "LANDSAT_SCENE_ID": scene.entity_id,
        },
        "PROJECTION_ATTRIBUTES": {
            "MAP_PROJECTION": "UTM", "DATUM": "WGS84", "ELLIPSOID": "WGS84", "UTM_ZONE": str(info["epsg"] % 100),
            "GRID_CELL_SIZE_REFLECTIVE": f"{info['pixel']:.2f}", "REFLECTIVE_LINES": str(PIXELS),
            "REFLECTIVE_SAMPLES": str(PIXELS), "ORIENTATION": "NORTH_UP",
            **{f"CORNER_{k}_LAT_PRODUCT": f"{p[1]:.5f}" for k, p in corners.items()},
            **{f"CORNER_{k}_LON_PRODUCT": f"{p[0]:.5f}" for k, p in corners.items()},
        },
        "LEVEL2_PROCESSING_RECORD": {"DATE_PRODUCT_GENERATED": f"{scene.l2_date:%Y-%m-%d}T12:00:00Z"},
        "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS": {
            **{f"REFLECTANCE_MULT_BAND_{i}": "2.75E-05" for i in range(1, 8)},
            **{f"REFLECTANCE_ADD_BAND_{i}": "-0.200000" for i in range(1, 8)},
        },
        "LEVEL2_SURFACE_TEMPERATURE_PARAMETERS": {
            "TEMPERATURE_MULT_BAND_ST_B10": "0.00341802", "TEMPERATURE_ADD_BAND_ST_B10": "149.0",
        },
    }}


def _odl(tree: dict, indent: str = "") -> list[str]:
    lines = []
    for key, value in tree.items():
        if isinstance(value, dict):
            lines.append(f"{indent}GROUP = {key}")
            lines.extend(_odl(value, indent + "  "))
            lines.append(f"{indent}END_GROUP = {key}")
        else:
            lines.append(f"{indent}{key} = {value if _is_number(value) else chr(34) + value + chr(34)}")
    return lines


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def scene_dir(cache_dir: Path, scene: Scene) -> Path:
    """The folder of a scene's product files, built on first use (atomically, once)."""
    final = _root(cache_dir) / "scenes" / scene.display_id
    if final.is_dir():
        return final
    with _lock_for(f"dir:{final}"):
        if final.is_dir():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f"{final.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            info = scene_bands(scene, tmp, PIXELS)
            mtl = _mtl(scene, info)
            prefix = tmp / scene.display_id
            Path(f"{prefix}_MTL.txt").write_text("\n".join(_odl(mtl) + ["END"]) + "\n")
            Path(f"{prefix}_MTL.json").write_text(json.dumps(mtl, indent=2) + "\n")
            for name in BUNDLE_FILES:
                _pad(Path(f"{prefix}_{name}"), file_size(name))
            try:
                os.rename(tmp, final)
            except OSError:  # another process made it first
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return final


def band_file(cache_dir: Path, scene: Scene, name: str) -> Path:
    return scene_dir(cache_dir, scene) / f"{scene.display_id}_{name}"


def bundle(cache_dir: Path, scene: Scene) -> Path:
    """``<displayId>.tar`` (uncompressed) with every product file, built on first use."""
    final = _root(cache_dir) / "bundles" / f"{scene.display_id}.tar"
    if final.is_file():
        return final
    folder = scene_dir(cache_dir, scene)
    with _lock_for(f"tar:{final}"):
        if final.is_file():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f"{final.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with tarfile.open(tmp, "w", format=tarfile.USTAR_FORMAT) as tar:
            for name in BUNDLE_FILES:
                path = folder / f"{scene.display_id}_{name}"
                info = tarfile.TarInfo(path.name)
                info.size, info.mtime, info.mode = path.stat().st_size, _MTIME, 0o644
                with open(path, "rb") as handle:
                    tar.addfile(info, handle)
        if tmp.stat().st_size != tar_size():
            tmp.unlink()
            raise RuntimeError(f"bundle {final.name} does not have the announced size")
        os.replace(tmp, final)
    return final


def browse_image(cache_dir: Path, scene: Scene, kind: str, size: str) -> Path:
    """A PNG preview: ``kind`` refl (true colour) or therm; ``size`` thumb, rrb or full."""
    pixels = {"thumb": 96, "rrb": 256, "full": 512}.get(size, 256)
    kind = "therm" if kind == "therm" else "refl"
    final = _root(cache_dir) / "browse" / f"{scene.display_id}_{kind}_{pixels}.png"
    if final.is_file():
        return final
    with _lock_for(f"png:{final}"):
        if not final.is_file():
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.with_name(f"{final.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_bytes(browse_png(scene, kind, pixels))
            os.replace(tmp, final)
    return final
