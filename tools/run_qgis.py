"""Start QGIS desktop with a throwaway profile and Scene Finder enabled (``make run`` / ``make demo``).

    python tools/run_qgis.py            # QGIS with the plugin, real services
    python tools/run_qgis.py --demo     # plus the bundled emulator: no account needed

The profile lives in a temporary folder (``--profiles-path``), so your own QGIS profile is left
alone; the plugin is found through ``QGIS_PLUGINPATH=build/pkgroot`` (a link to this checkout).

``--demo`` starts the emulator of both services in this process, points the plugin at it
(``SCENE_FINDER_M2M_URL``, ``SCENE_FINDER_CARBONMAPPER_URL``), signs in with the demo
credentials it accepts (through the environment variables the plugin reads, so no master password
is asked), opens a project over Albemarle Sound (North Carolina) and the Scene Finder panel with the
seed notebook's search (Landsat 8-9 C2 L2, March 2023) ready: press Search, select a scene,
Download, and the bundle opens as layers.

``--smoke SECONDS`` quits QGIS after that long and writes what it saw to ``--report`` (for tests).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PKGROOT = REPO / "build" / "pkgroot"
PROFILE = "scenefinder"
DEMO_EXTENT = (-77.4, 35.3, -74.9, 36.7)  # Albemarle Sound, the seed notebook's area (lon/lat)
DEMO_SETTINGS = {
    "last_source": "landsat",
    "dataset": "landsat_ot_c2_l2",
    "start_date": "2023-03-01",
    "end_date": "2023-04-01",
    "cloud_max": "100",
    "result_limit": "1000",
}


def ensure_package_link() -> Path:
    """build/pkgroot/scene_finder -> the checkout, as ``make setup`` makes it."""
    link = PKGROOT / "scene_finder"
    PKGROOT.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(REPO, target_is_directory=True)
    return PKGROOT


def _ini_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_ini(path: Path, sections: dict[str, dict]) -> None:
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{key}={_ini_value(value)}" for key, value in values.items()]
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def prepare_profile(profiles_path: Path, *, demo: bool = False, download_folder: Path | None = None) -> Path:
    """A fresh profile folder with the plugin enabled (and the demo search when ``demo``)."""
    profile = profiles_path / "profiles" / PROFILE
    scene_finder = dict(DEMO_SETTINGS) if demo else {}
    if download_folder is not None:
        scene_finder["download_folder"] = str(download_folder)
    sections = {
        "PythonPlugins": {"scene_finder": True},
        # No "what's new" or tips dialogs in front of the demo.
        "qgis": {"checkVersion": False, "showTips322": False, "showTips": False},
        "core": {"NewsFeed/httpsfeedqgisorg/disabled": True},
    }
    if scene_finder:
        sections["scene_finder"] = scene_finder
    write_ini(profile / "QGIS" / "QGIS3.ini", sections)
    return profile


def startup_code(path: Path, *, show_dock: bool = True, quit_after: float | None = None,
                 report: Path | None = None, walkthrough: bool = False, grab: Path | None = None) -> Path:
    """A Python file QGIS runs at start-up (``--code``): opens the panel; for checks, optionally walks
    through the demo (Search, select the first scene, Download, wait for its layers, then previews of
    the next four scenes on the map), writes what it
    saw to ``report``, saves a picture of the window to ``grab`` and quits after ``quit_after`` seconds."""
    settings = {"show": show_dock, "quit_after": quit_after, "report": str(report) if report else None,
                "walkthrough": walkthrough, "grab": str(grab) if grab else None}
    code = f"""
import json, os
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.utils import iface, plugins, active_plugins

SETTINGS = {settings!r}
STATE = {{}}
_timers = []


def _dock():
    return getattr(plugins.get("scene_finder"), "dock", None)


def _poll(condition, then, seconds):
    timer = QTimer()
    timer.setInterval(200)
    left = [int(seconds * 5)]

    def check():
        left[0] -= 1
        if condition() or left[0] <= 0:
            timer.stop()
            then()

    timer.timeout.connect(check)
    timer.start()
    _timers.append(timer)


def _show():
    plugin = plugins.get("scene_finder")
    if plugin is not None and SETTINGS["show"]:
        plugin.toggle_action.setChecked(True)
    if SETTINGS["walkthrough"]:
        QTimer.singleShot(1500, _search)


def _search():
    dock = _dock()
    dock.search_button.click()
    _poll(lambda: dock.search_task is None and dock.results.model.rowCount() > 0, _download, 60)


def _download():
    dock = _dock()
    STATE["found"] = dock.results.model.rowCount()
    if not STATE["found"]:
        return
    dock.results.select_keys([dock.results.model.rows[0].key])
    dock.download.start()
    _poll(_opened, _done, 120)


def _opened():
    layers = QgsProject.instance().mapLayers().values()
    return [layer.name() for layer in layers if layer.name().endswith("true colour")]


def _done():
    STATE["opened"] = _opened()
    _previews()


def _preview_layers():
    return [layer.name() for layer in QgsProject.instance().mapLayers().values()
            if layer.customProperty("scene_finder/preview_key")]


def _previews():
    # Previews on the map for a few more scenes (both overlay types: WMS and placed browse images).
    dock = _dock()
    rows = dock.results.model.rows[1:5]
    dock.results.select_keys([row.key for row in rows])
    dock.previews.show_button.click()
    _poll(lambda: not dock.previews.tasks and len(_preview_layers()) >= len(rows), _previews_shown, 90)


def _previews_shown():
    STATE["previews"] = _preview_layers()
    dock = _dock()
    if STATE["previews"] and dock.results.model.rows[1:2]:
        dock.results.zoom_to(dock.results.model.rows[1])
        iface.mapCanvas().zoomScale(iface.mapCanvas().scale() * 2.2)
        dock.results.select_keys([dock.results.model.rows[1].key])
    if SETTINGS["grab"]:
        QTimer.singleShot(3000, lambda: iface.mainWindow().grab().save(SETTINGS["grab"]))


def _footprints():
    # what the panel's footprints layer looks like: a layer of the right rows, on the map, drawn
    layer = getattr(_dock(), "results_layer", None)
    if layer is None:
        return None
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    return {{"features": layer.featureCount(), "visible": bool(node and node.isVisible()),
            "valid": layer.isValid(), "source": layer.source(), "renderer": layer.renderer().type(),
            "labels": layer.labelsEnabled()}}


def _report():
    dock = _dock()
    STATE["footprints"] = _footprints()
    STATE.update({{"active": "scene_finder" in active_plugins, "dock": dock is not None,
                  "dock_visible": bool(dock and dock.isVisible()),
                  "signed_in": dock.signin.m2m.state.text() if dock else None,
                  "m2m_url": os.environ.get("SCENE_FINDER_M2M_URL")}})
    if SETTINGS["report"]:
        with open(SETTINGS["report"], "w") as handle:
            json.dump(STATE, handle)
    # No "save the project?" or "tasks are running" question on the way out.
    QgsProject.instance().setDirty(False)
    QgsApplication.taskManager().cancelAll()
    QTimer.singleShot(1000, _exit)


def _exit():
    # The demo's files live in the temporary folder, which QGIS asks about when closing: drop them first.
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().setDirty(False)
    iface.actionExit().trigger()


QTimer.singleShot(500, _show)
if SETTINGS["quit_after"] is not None:
    QTimer.singleShot(int(1000 * SETTINGS["quit_after"]), _report)
"""
    path.write_text(code, encoding="utf-8")
    return path


def demo_project(path: Path) -> Path:
    """A project in EPSG:4326 whose map opens over Albemarle Sound (written with PyQGIS, headless)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsProject,
        QgsRasterLayer,
        QgsRectangle,
        QgsReferencedRectangle,
    )

    app = QgsApplication.instance()
    owned = app is None
    if owned:
        app = QgsApplication([], False)
        app.initQgis()
    project = QgsProject()
    crs = QgsCoordinateReferenceSystem("EPSG:4326")
    project.setCrs(crs)
    # OpenStreetMap as a backdrop when online; the demo works without it.
    osm = QgsRasterLayer("type=xyz&url=https://tile.openstreetmap.org/{z}/{x}/{y}.png&zmax=19&zmin=0",
                         "OpenStreetMap", "wms")
    if osm.isValid():
        project.addMapLayer(osm)
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(QgsRectangle(*DEMO_EXTENT), crs))
    project.write(str(path))
    # Not app.exitQgis(): it unregisters GDAL's drivers, which the emulator in this process needs.
    del project
    return path


def demo_environment(m2m_url: str, carbonmapper_url: str, accounts: dict | None = None) -> dict[str, str]:
    """Service URLs and sign-in for the emulator, as the plugin reads them from the environment."""
    accounts = accounts or {}
    user, token = next(iter((accounts.get("m2m") or {"demo": "demo-application-token"}).items()))
    cm_token = next(iter(accounts.get("carbonmapper") or {"demo-carbonmapper-token"}))
    return {
        "SCENE_FINDER_M2M_URL": m2m_url,
        "SCENE_FINDER_CARBONMAPPER_URL": carbonmapper_url,
        "SCENE_FINDER_M2M_USERNAME": user,
        "SCENE_FINDER_M2M_TOKEN": token,
        "SCENE_FINDER_CARBONMAPPER_TOKEN": cm_token,
    }


SYSTEM_PYTHON = Path("/usr/bin/python3")
# Variables that point an embedded Python at another installation (version managers, venvs, conda).
OTHER_PYTHON_VARIABLES = ("PYTHONHOME", "PYTHONEXECUTABLE", "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV",
                          "CONDA_PYTHON_EXE", "PYENV_VERSION", "PYENV_VIRTUAL_ENV", "PYENV_DIR")


def _holds_other_python(folder: str) -> bool:
    """True when ``folder`` (a PATH entry) has a ``python3`` that is not the system's: a venv's or conda
    environment's bin, or a version manager's interpreter (pyenv's versions, a link to one)."""
    path = Path(folder)
    if (path.parent / "pyvenv.cfg").exists() or (path.parent / "conda-meta").is_dir():
        return True
    candidate = path / "python3"
    return candidate.is_file() and candidate.resolve() != SYSTEM_PYTHON.resolve()


def without_other_pythons(env: dict[str, str]) -> dict[str, str]:
    """``env`` without what would make QGIS's embedded Python load another Python's standard library.

    Embedded, Python finds its home from the first ``python3`` on PATH; with pyenv's or conda's first, QGIS
    loads that library and stops on a modal "Couldn't load SIP module" dialog. So: PATH loses the folders
    with another Python, PYTHONPATH loses other Pythons' library folders (project folders stay), and the
    variables of version managers, venvs and conda go."""
    env = {key: value for key, value in env.items() if key not in OTHER_PYTHON_VARIABLES}
    path = [folder for folder in env.get("PATH", "").split(os.pathsep) if folder and not _holds_other_python(folder)]
    env["PATH"] = os.pathsep.join(path or ["/usr/bin", "/bin"])
    library = re.compile(r"[\\/]lib[\\/]python\d|site-packages|dist-packages")
    pythonpath = [folder for folder in env.pop("PYTHONPATH", "").split(os.pathsep)
                  if folder and not library.search(folder)]
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(pythonpath)
    return env


def qgis_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = without_other_pythons(dict(os.environ))
    env["QGIS_PLUGINPATH"] = os.pathsep.join(p for p in (str(ensure_package_link()), env.get("QGIS_PLUGINPATH"))
                                             if p)
    # The Makefile exports QT_QPA_PLATFORM=offscreen for the tests; a desktop session needs its display.
    if env.get("QT_QPA_PLATFORM") == "offscreen" and (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.pop("QT_QPA_PLATFORM")
    env.update(extra or {})
    return env


def qgis_command(qgis: str, profiles_path: Path, *, project: Path | None = None, code: Path | None = None) -> list:
    command = [qgis, "--profiles-path", str(profiles_path), "--profile", PROFILE, "--noversioncheck"]
    if code is not None:
        command += ["--code", str(code)]
    if project is not None:
        command.append(str(project))
    return command


def start_emulator():
    """The emulator of both services on a free loopback port, in this process."""
    sys.path.insert(0, str(ensure_package_link()))
    from scene_finder.emulator import Emulator

    emulator = Emulator(cache_dir=REPO / "build" / "emulator-cache", prepare_polls=0)
    return emulator.start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demo", action="store_true", help="use the bundled emulator, signed in, search ready")
    parser.add_argument("--qgis", default=shutil.which("qgis") or "qgis", help="the QGIS executable")
    parser.add_argument("--profiles-path", type=Path, help="where to make the throwaway profile (default: temp)")
    parser.add_argument("--smoke", type=float, help="quit QGIS after this many seconds (tests)")
    parser.add_argument("--report", type=Path, help="with --smoke: write what QGIS saw to this JSON file")
    parser.add_argument("--walkthrough", action="store_true",
                        help="with --smoke: search, download the first scene and wait for its layers")
    parser.add_argument("--grab", type=Path, help="with --walkthrough: save a PNG of the QGIS window at the end")
    parser.add_argument("--dry-run", action="store_true", help="prepare everything, print the command, exit")
    args = parser.parse_args(argv)

    profiles_path = args.profiles_path or Path(tempfile.mkdtemp(prefix="scene_finder_qgis_"))
    downloads = profiles_path / "downloads"
    prepare_profile(profiles_path, demo=args.demo, download_folder=downloads if args.demo else None)
    code = startup_code(profiles_path / "startup.py", quit_after=args.smoke, report=args.report,
                        walkthrough=args.walkthrough, grab=args.grab)
    emulator = None
    extra: dict[str, str] = {}
    project = None
    try:
        if args.demo:
            emulator = start_emulator()
            config = emulator.config
            extra = demo_environment(emulator.m2m_url, emulator.carbonmapper_url,
                                     {"m2m": config.m2m_accounts, "carbonmapper": config.carbonmapper_tokens})
            project = demo_project(profiles_path / "scene_finder_demo.qgz")
            print(f"Emulator: M2M {emulator.m2m_url}, Carbon Mapper {emulator.carbonmapper_url}", flush=True)
            print(f"Signed in as {extra['SCENE_FINDER_M2M_USERNAME']} (USGS) and with the demo Carbon Mapper "
                  f"token; downloads go to {downloads}", flush=True)
        command = qgis_command(args.qgis, profiles_path, project=project, code=code)
        env = qgis_environment(extra)
        if args.dry_run:
            print(json.dumps({"command": command, "env": {k: env[k] for k in sorted(extra) + ["QGIS_PLUGINPATH"]},
                              "profiles_path": str(profiles_path)}, indent=2))
            return 0
        if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) and env.get("QT_QPA_PLATFORM") != "offscreen":
            print("No display found: run this from a desktop session (or under xvfb-run to smoke-test).",
                  file=sys.stderr)
        print("Starting:", " ".join(command), flush=True)
        return subprocess.call(command, env=env)
    finally:
        if emulator is not None:
            emulator.stop()
        if args.profiles_path is None and not args.dry_run:
            shutil.rmtree(profiles_path, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
