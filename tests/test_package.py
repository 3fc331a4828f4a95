"""The release zip holds the plugin and nothing else, and QGIS loads the plugin from it."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_TOOL = REPO_ROOT / "tools" / "package.py"

# Loads the unpacked plugin the way QGIS does (qgis.utils), in a fresh interpreter whose
# sys.path does not know the repository, and reports what it saw as JSON on the last line.
LOAD_SCRIPT = r"""
import importlib, json, pkgutil, sys
plugins_dir = sys.argv[1]
from qgis.core import QgsApplication
app = QgsApplication([], True)
app.initQgis()
sys.path.append("/usr/share/qgis/python/plugins")
from processing.core.Processing import Processing
Processing.initialize()
import qgis.utils
from qgis.gui import QgsMapCanvas, QgsMessageBar
from qgis.PyQt.QtWidgets import QMainWindow, QMenu, QToolBar

class MinimalIface:
    # What a plugin sees of the QGIS window; calls it does not know about do nothing.
    def __init__(self, window):
        self.window, self.canvas, self.bar = window, QgsMapCanvas(window), QgsMessageBar(window)
        self.plugin_toolbar, self.web_menu = QToolBar(window), QMenu(window)
    def mainWindow(self): return self.window
    def mapCanvas(self): return self.canvas
    def messageBar(self): return self.bar
    def addToolBarIcon(self, action): self.plugin_toolbar.addAction(action)
    def removeToolBarIcon(self, action): self.plugin_toolbar.removeAction(action)
    def pluginToolBar(self): return self.plugin_toolbar
    def webMenu(self): return self.web_menu
    def addPluginToWebMenu(self, name, action): self.web_menu.addAction(action)
    def removePluginWebMenu(self, name, action): self.web_menu.removeAction(action)
    def addDockWidget(self, area, dock): self.window.addDockWidget(area, dock)
    def removeDockWidget(self, dock): self.window.removeDockWidget(dock)
    def __getattr__(self, name): return lambda *args, **kwargs: None

window = QMainWindow()
iface = MinimalIface(window)
qgis.utils.iface = iface
qgis.utils.plugin_paths = [QgsApplication.qgisSettingsDirPath() + "python/plugins"]
sys.path.insert(0, qgis.utils.plugin_paths[0])
qgis.utils.updateAvailablePlugins()
report = {"available": "scene_finder" in qgis.utils.available_plugins}
report["loaded"] = qgis.utils.loadPlugin("scene_finder")
report["started"] = qgis.utils.startPlugin("scene_finder")
import scene_finder
report["file"] = scene_finder.__file__
report["toolbar"] = [a.objectName() for a in iface.plugin_toolbar.actions()]
provider = QgsApplication.processingRegistry().providerById("scenefinder")
report["algorithms"] = sorted(a.id() for a in provider.algorithms()) if provider else None
failed = {}
for module in pkgutil.walk_packages(scene_finder.__path__, "scene_finder."):
    try:
        importlib.import_module(module.name)
    except Exception as error:
        failed[module.name] = repr(error)
report["import_failures"] = failed
report["unloaded"] = qgis.utils.unloadPlugin("scene_finder")
report["provider_after_unload"] = QgsApplication.processingRegistry().providerById("scenefinder") is not None
report["toolbar_after_unload"] = [a.objectName() for a in iface.plugin_toolbar.actions()]
print(json.dumps(report))
"""

EXPECTED_ALGORITHMS = [
    "scenefinder:cmdownload",
    "scenefinder:cmplumes",
    "scenefinder:cmscenes",
    "scenefinder:coverage",
    "scenefinder:m2mdownload",
    "scenefinder:m2msearch",
]


def _run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(PACKAGE_TOOL), *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("dist") / "scene_finder-test.zip"
    result = _run_tool("--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


def _git_files(*paths: str) -> set[str]:
    output = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "ls-files", "--cached", "--others", "--exclude-standard", "--", *paths],
        capture_output=True, text=True, check=True,
    ).stdout
    return {line for line in output.splitlines() if line and (REPO_ROOT / line).is_file()}


def test_zip_holds_one_scene_finder_folder_with_the_plugin_files_only(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert names and all(name.startswith("scene_finder/") for name in names)
    files = {name.removeprefix("scene_finder/") for name in names}
    assert {"metadata.txt", "LICENSE", "__init__.py", "plugin.py", "resources/icon.svg",
            "gis/processing/provider.py", "core/errors.py", "ui/dock.py"} <= files
    # Every Python source of the runtime folders goes in, so nothing the plugin imports is missing.
    assert {name for name in _git_files("core", "gis", "ui") if name.endswith(".py")} <= files
    top_folders = {name.split("/")[0] for name in files if "/" in name}
    assert top_folders <= {"core", "gis", "ui", "resources", "i18n"}
    assert not [n for n in files if "__pycache__" in n or n.endswith((".pyc", ".pyo", ".ts"))]
    assert not files & {"Makefile", "pyproject.toml", "requirements-dev.txt", ".gitignore"}
    assert plugin_zip.stat().st_size < 2 * 1024 * 1024


def test_zip_metadata_is_what_the_plugin_repository_asks_for(plugin_zip):
    import configparser

    with zipfile.ZipFile(plugin_zip) as archive:
        text = archive.read("scene_finder/metadata.txt").decode("utf-8")
        icon_present = lambda icon: f"scene_finder/{icon}" in archive.namelist()  # noqa: E731
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(text)
        general = parser["general"]
        for key in ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email", "repository"):
            assert general.get(key, "").strip(), key
        assert icon_present(general["icon"])


def test_same_sources_give_the_same_zip(plugin_zip, tmp_path):
    again = tmp_path / "again.zip"
    assert _run_tool("--output", str(again)).returncode == 0
    assert again.read_bytes() == plugin_zip.read_bytes()


def test_copy_to_installs_the_same_files_as_the_zip(plugin_zip, tmp_path):
    destination = tmp_path / "plugins" / "scene_finder"
    result = _run_tool("--copy-to", str(destination))
    assert result.returncode == 0, result.stderr
    copied = {p.relative_to(destination).as_posix() for p in destination.rglob("*") if p.is_file()}
    with zipfile.ZipFile(plugin_zip) as archive:
        assert copied == {name.removeprefix("scene_finder/") for name in archive.namelist()}


@pytest.mark.slow
def test_qgis_loads_the_plugin_unpacked_from_the_zip(plugin_zip, tmp_path):
    config = tmp_path / "config"
    plugins_dir = config / "profiles" / "default" / "python" / "plugins"
    plugins_dir.mkdir(parents=True)
    with zipfile.ZipFile(plugin_zip) as archive:
        archive.extractall(plugins_dir)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QGIS_PLUGINPATH")}
    env.update(QGIS_CUSTOM_CONFIG_PATH=str(config), QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(plugins_dir)],
        capture_output=True, text=True, timeout=240, env=env, cwd=tmp_path, check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["available"] and report["loaded"] and report["started"], report
    assert Path(report["file"]).resolve().is_relative_to(plugins_dir.resolve())
    assert report["toolbar"] == ["SceneFinderToggle"]
    assert report["algorithms"] == EXPECTED_ALGORITHMS
    assert report["import_failures"] == {}
    assert report["unloaded"] and not report["provider_after_unload"]
    assert report["toolbar_after_unload"] == []


def test_a_new_top_level_folder_must_be_declared(tmp_path):
    """A runtime folder added later is not silently left out of the zip."""
    for name in ("metadata.txt", "LICENSE", "__init__.py"):
        (tmp_path / name).write_text((REPO_ROOT / name).read_text())
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "plumes.qml").write_text("<qgis/>")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    spec = importlib.util.spec_from_file_location("scene_finder_package_tool", PACKAGE_TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    with pytest.raises(tool.PackageError, match="styles: neither plugin nor development files"):
        tool.plugin_files(tmp_path)
