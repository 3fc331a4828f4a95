"""The package layout and the import direction the design asks for."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CORE = re.compile(r"^\s*(?:from|import)\s+(qgis|PyQt5|PyQt6|PySide2|PySide6|sip)\b", re.MULTILINE)


def test_core_imports_neither_qgis_nor_qt():
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "core").rglob("*.py")
        if FORBIDDEN_IN_CORE.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_gis_never_imports_ui():
    pattern = re.compile(r"^\s*from\s+\.\.+ui\b|^\s*from\s+scene_finder\.ui\b", re.MULTILINE)
    offenders = [p.name for p in (REPO_ROOT / "gis").rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_metadata_is_complete_for_the_plugin_repository():
    parser = configparser.ConfigParser()
    parser.read(REPO_ROOT / "metadata.txt", encoding="utf-8")
    general = parser["general"]
    for key in (
        "name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
        "repository", "tracker", "homepage", "tags", "category", "icon", "experimental",
        "hasProcessingProvider",
    ):
        assert general.get(key, "").strip(), key
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["qgisMaximumVersion"] == "4.99"  # QGIS 4 (Qt 6) loads it: tests/test_qt6_names.py
    assert general["supportsQt6"] == "True"
    assert general["hasProcessingProvider"] == "yes"
    tags = {t.strip() for t in general["tags"].split(",")}
    assert {"landsat", "usgs", "earthexplorer", "m2m", "carbon mapper", "methane", "download", "search"} <= tags
    assert (REPO_ROOT / general["icon"]).is_file()


def test_license_is_gpl2():
    assert "GNU GENERAL PUBLIC LICENSE" in (REPO_ROOT / "LICENSE").read_text()
    assert "Version 2, June 1991" in (REPO_ROOT / "LICENSE").read_text()
