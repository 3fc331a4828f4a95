#!/usr/bin/env python3
"""Builds the plugin zip for the QGIS plugin repository, or copies the plugin into a profile.

    tools/package.py --output dist/scene_finder-<version>.zip
    tools/package.py --copy-to ~/.local/share/QGIS/QGIS3/profiles/default/python/plugins/scene_finder
    tools/package.py --list

Only the plugin's own files go in: the files git knows (tracked, or new and not ignored) under
the runtime folders and top-level files below, plus the translations (``i18n/*.ts`` other than
English, the source language, compiled to ``.qm`` with lrelease).
Tests, the emulator, benchmarks, tools, docs and developer configuration stay out. The result
is checked against the plugin repository's rules before it is written. Standard library only:
``make package`` runs it with the system Python.
"""

from __future__ import annotations

import argparse
import configparser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_NAME = "scene_finder"

TOP_LEVEL_FILES = ("metadata.txt", "LICENSE", "__init__.py", "plugin.py", "README.md")
RUNTIME_FOLDERS = ("core", "gis", "ui", "resources", "i18n")
# Development-only paths: never packaged. Anything else at the top level that is neither here nor
# above stops the build, so that a new runtime folder is not left out of the zip unnoticed.
DEVELOPMENT_PATHS = {
    "tests", "emulator", "bench", "tools", "docs", ".ci", ".github", "build", "dist", "Makefile",
    "pyproject.toml", "requirements-dev.txt", ".gitignore", ".gitattributes", ".editorconfig",
}
# Inside the runtime folders: sources and assets that QGIS loads at run time.
ALLOWED_SUFFIXES = {".py", ".ui", ".svg", ".png", ".qml", ".qm", ".json", ".txt", ".md", ".csv", ".sld"}
# Files that are binary on purpose; anything else with NUL bytes is refused.
BINARY_SUFFIXES = {".png", ".qm"}
EXCLUDED_PARTS = {"__pycache__", ".git", ".pytest_cache", ".ruff_cache", "__MACOSX"}
REQUIRED_METADATA = ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email", "repository")
MAX_ZIP_BYTES = 25 * 1024 * 1024  # the plugin repository's upload limit
# Our own limit, far below it: a size jump means something that does not belong got in.
EXPECTED_MAX_ZIP_BYTES = 2 * 1024 * 1024


class PackageError(Exception):
    """The plugin folder would break one of the plugin repository's rules."""


def _git_files(root: Path, new_files: bool = True) -> list[str] | None:
    """Paths git knows in ``root`` (tracked, and new ones not ignored); None outside a checkout."""
    extra = ["--others", "--exclude-standard"] if new_files else []
    try:
        output = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--cached", *extra, "-z"],
            check=True,
            capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted({name for name in output.decode("utf-8").split("\0") if name})


def _walk_files(root: Path) -> list[str]:
    """Fallback for an exported source tree without git: every file below the runtime paths."""
    names = []
    for path in root.rglob("*"):
        if path.is_file() and not EXCLUDED_PARTS.intersection(path.relative_to(root).parts):
            names.append(path.relative_to(root).as_posix())
    return sorted(names)


def _belongs_in_plugin(name: str) -> bool:
    parts = name.split("/")
    if EXCLUDED_PARTS.intersection(parts) or name.endswith((".pyc", ".pyo")):
        return False
    if len(parts) == 1:
        return name in TOP_LEVEL_FILES
    if parts[0] not in RUNTIME_FOLDERS:
        return False
    if parts[0] == "i18n":
        return name.endswith(".qm")  # the .ts sources are for translators, not for QGIS
    return Path(name).suffix.lower() in ALLOWED_SUFFIXES


def plugin_files(root: Path = REPO_ROOT) -> list[str]:
    """Relative paths (posix) of the files that make up the installed plugin, sorted."""
    known = _git_files(root)
    candidates = known if known is not None else _walk_files(root)
    tracked = _git_files(root, new_files=False) or []
    unexpected = sorted({
        name.split("/")[0] for name in tracked
        if name.split("/")[0] not in DEVELOPMENT_PATHS | set(RUNTIME_FOLDERS) | set(TOP_LEVEL_FILES)
    })
    if unexpected:
        raise PackageError(
            f"{', '.join(unexpected)}: neither plugin nor development files; list them in tools/package.py"
        )
    names = {name for name in candidates if _belongs_in_plugin(name) and (root / name).is_file()}
    # Compiled translations are build products (ignored by git) but belong in the plugin.
    names.update(p.relative_to(root).as_posix() for p in (root / "i18n").glob("*.qm") if p.is_file())
    return sorted(names)


def compiled_translations(root: Path = REPO_ROOT) -> dict[str, bytes]:
    """i18n/<name>.qm -> bytes, compiled with lrelease from every translated .ts (English is the source)."""
    sources = [ts for ts in sorted((root / "i18n").glob(f"{PACKAGE_NAME}_*.ts")) if not ts.stem.endswith("_en")]
    if not sources:
        return {}
    lrelease = shutil.which("lrelease")
    if lrelease is None:
        raise PackageError("lrelease (Debian package qttools5-dev-tools) is needed to compile the translations")
    compiled = {}
    with tempfile.TemporaryDirectory() as folder:
        for ts in sources:
            qm = Path(folder) / f"{ts.stem}.qm"
            subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)
            compiled[f"i18n/{qm.name}"] = qm.read_bytes()
    return compiled


def read_metadata(root: Path = REPO_ROOT) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(root / "metadata.txt", encoding="utf-8")
    if not parser.has_section("general"):
        raise PackageError("metadata.txt has no [general] section")
    return parser["general"]


def check_plugin(root: Path, names: list[str]) -> None:
    """Raise PackageError where the plugin repository would reject the upload."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", PACKAGE_NAME):
        raise PackageError(f"folder name {PACKAGE_NAME!r} has characters the plugin repository refuses")
    for required in ("metadata.txt", "__init__.py", "LICENSE"):
        if required not in names:
            raise PackageError(f"{required} is missing")
    metadata = read_metadata(root)
    missing = [key for key in REQUIRED_METADATA if not metadata.get(key, "").strip()]
    if missing:
        raise PackageError(f"metadata.txt lacks {', '.join(missing)}")
    icon = metadata.get("icon", "").strip()
    if icon and icon not in names:
        raise PackageError(f"the icon {icon} named in metadata.txt is not in the package")
    for name in names:
        path = root / name
        if Path(name).suffix.lower() not in BINARY_SUFFIXES and b"\0" in path.read_bytes():
            raise PackageError(f"{name} is a binary file")
    if "def classFactory" not in (root / "__init__.py").read_text(encoding="utf-8"):
        raise PackageError("__init__.py defines no classFactory")


def _zip_time() -> tuple[int, int, int, int, int, int]:
    """One timestamp for every entry, so that the same sources give the same zip."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        try:
            epoch = subprocess.run(
                ["git", "-C", str(REPO_ROOT), "log", "-1", "--format=%ct"], check=True, capture_output=True, text=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            epoch = ""
    seconds = max(int(epoch), 315532800) if epoch.isdigit() else 315532800  # zip cannot go before 1980
    return time.gmtime(seconds)[:6]


def build_zip(output: Path, root: Path = REPO_ROOT) -> list[str]:
    """Write the plugin zip (top folder ``scene_finder``) to ``output``; return its entry names."""
    names = plugin_files(root)
    check_plugin(root, names)
    contents = {name: (root / name).read_bytes() for name in names}
    contents.update(compiled_translations(root))
    output.parent.mkdir(parents=True, exist_ok=True)
    stamp = _zip_time()
    entries = []
    partial = output.with_name(output.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(contents):
            entry = f"{PACKAGE_NAME}/{name}"
            info = zipfile.ZipInfo(entry, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, contents[name])
            entries.append(entry)
    size = partial.stat().st_size
    if size > min(MAX_ZIP_BYTES, EXPECTED_MAX_ZIP_BYTES):
        partial.unlink()
        raise PackageError(f"the zip would be {size} bytes: something that does not belong got in")
    partial.replace(output)
    return entries


def copy_to(destination: Path, root: Path = REPO_ROOT) -> list[str]:
    """Copy the plugin's files into ``destination`` (the plugin folder itself)."""
    names = plugin_files(root)
    check_plugin(root, names)
    for name in names:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, target)
    for name, data in compiled_translations(root).items():
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        (destination / name).write_bytes(data)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--output", type=Path, help="zip file to write")
    action.add_argument("--copy-to", type=Path, help="plugin folder to copy the files into")
    action.add_argument("--list", action="store_true", help="print the files that would be packaged")
    args = parser.parse_args(argv)
    try:
        if args.list:
            names = plugin_files()
            check_plugin(REPO_ROOT, names)
            print("\n".join(names))
        elif args.output:
            entries = build_zip(args.output)
            print(f"{args.output}: {len(entries)} files, {args.output.stat().st_size} bytes")
        else:
            names = copy_to(args.copy_to)
            print(f"{args.copy_to}: {len(names)} files")
    except PackageError as error:
        print(f"package: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
