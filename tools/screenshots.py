"""Render PNGs of the Scene Finder dock at work into docs/screenshots/ (``make screenshots``).

Runs offscreen (no display needed): an offscreen QGIS application, a map canvas and the dock in a
main window, against the bundled emulator, walking through the demo: search the seed notebook's
area (Albemarle Sound, March 2023), pick a scene, download it and open its true-colour composite.

    python tools/screenshots.py [--output docs/screenshots]

When ``qgis`` and ``xvfb-run`` are installed it also takes ``demo-in-qgis.png``: the real QGIS
desktop after ``make demo``'s walk-through (tools/run_qgis.py --demo --walkthrough --grab).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PKGROOT = REPO / "build" / "pkgroot"
ALBEMARLE = (-76.9196, 35.5713, -75.4460, 36.3793)
MAP_VIEW = (-78.3, 34.6, -73.9, 37.4)
SCENE = "LC90150352023067LGN00"


def _setup_path() -> None:
    link = PKGROOT / "scene_finder"
    PKGROOT.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(REPO, target_is_directory=True)
    sys.path.insert(0, str(PKGROOT))


def _save(window, path: Path) -> None:
    window.repaint()
    window.grab().save(str(path))
    print(f"wrote {path}", flush=True)


def grab_real_qgis(output: Path) -> None:
    """The demo walk-through in QGIS desktop under Xvfb, saved as demo-in-qgis.png."""
    import shutil
    import subprocess

    if not (shutil.which("qgis") and shutil.which("xvfb-run")):
        print("qgis or xvfb-run missing: no demo-in-qgis.png", flush=True)
        return
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    with tempfile.TemporaryDirectory(prefix="scene_finder_demo_") as folder:
        subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable,
                        str(REPO / "tools" / "run_qgis.py"), "--demo", "--smoke", "40", "--walkthrough",
                        "--grab", str(output / "demo-in-qgis.png"), "--profiles-path", folder],
                       env=env, timeout=300, check=False, stdout=subprocess.DEVNULL)
    print(f"wrote {output / 'demo-in-qgis.png'}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--no-qgis", action="store_true", help="skip the picture of the real QGIS desktop")
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    if not args.no_qgis:
        grab_real_qgis(args.output)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _setup_path()

    from scene_finder.bench.ui import make_dock, start_qgis, wait_until
    from scene_finder.core.m2m.download import PollPolicy
    from scene_finder.emulator import Emulator

    emulator = Emulator(cache_dir=REPO / "build" / "emulator-cache", prepare_polls=0).start()
    scratch = Path(tempfile.mkdtemp(prefix="scene_finder_shots_"))
    os.environ.update({
        "SCENE_FINDER_M2M_URL": emulator.m2m_url, "SCENE_FINDER_CARBONMAPPER_URL": emulator.carbonmapper_url,
        "SCENE_FINDER_M2M_USERNAME": "demo", "SCENE_FINDER_M2M_TOKEN": "demo-application-token",
        "SCENE_FINDER_CARBONMAPPER_TOKEN": "demo-carbonmapper-token",
    })
    app = start_qgis()
    try:
        from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle
        from qgis.PyQt.QtCore import QDate

        from scene_finder.gis import settings

        settings.set_download_folder(scratch / "downloads")
        settings.set_product("bundle")
        settings.set_last_source("landsat")
        settings.set_value("open_downloads", True)
        iface, dock = make_dock()
        dock.download.poll_policy = PollPolicy(first_wait=0.1, factor=1.0, max_wait=0.2)
        window = iface.mainWindow()
        window.resize(1400, 860)
        window.show()
        canvas = iface.mapCanvas()
        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        QgsProject.instance().setCrs(wgs84)
        canvas.setDestinationCrs(wgs84)
        canvas.setExtent(QgsRectangle(*MAP_VIEW))
        args.output.mkdir(parents=True, exist_ok=True)

        def settle(seconds: float = 0.6) -> None:
            end = datetime.datetime.now() + datetime.timedelta(seconds=seconds)
            wait_until(lambda: datetime.datetime.now() >= end and not canvas.isDrawing(), timeout=60)

        # 1. The search form, the area of interest drawn on the map, signed in.
        dock.form.start_edit.setDate(QDate(2023, 3, 1))
        dock.form.end_edit.setDate(QDate(2023, 4, 1))
        dock.form.cloud_spin.setValue(30)
        dock.form.limit_spin.setValue(1000)
        dock.form.load_dataset_info(force=True)
        wait_until(lambda: bool(dock.form.filters), timeout=60)
        dock.aoi.set_rectangle(QgsRectangle(*ALBEMARLE), wgs84)
        settle()
        _save(window, args.output / "search.png")

        # 2. The results: footprints on the map, the table, a thumbnail.
        dock.search_button.click()
        wait_until(lambda: dock.search_task is None and dock.results.reader_task is None, timeout=120)
        dock.results.select_keys([SCENE])
        wait_until(lambda: dock.results.thumbnail.pixmap() is not None
                   and not dock.results.thumbnail.pixmap().isNull(), timeout=30)
        settle()
        _save(window, args.output / "results.png")

        # 3. The download, and the bundle opened as a true-colour composite and its bands.
        dock.download.start()
        wait_until(lambda: dock.download.task is None, timeout=300)
        wait_until(lambda: any(layer.name().endswith("true colour")
                               for layer in QgsProject.instance().mapLayers().values()), timeout=120)
        canvas.setExtent(QgsRectangle(-78.0, 35.0, -75.3, 36.9))
        settle(1.5)
        _save(window, args.output / "download.png")

        # 4. The accounts tab.
        dock.tabs.setCurrentWidget(dock.signin)
        settle(0.2)
        _save(window, args.output / "accounts.png")

        # 5. The Downloads tab: the queue at work (slowed down so that it shows), one item paused.
        emulator.faults.add("landsatlook", "gen-bundle", "throttle", times=3, bytes_per_second=40_000)
        dock.downloads.open_check.setChecked(False)
        dock.results.select_keys([row.key for row in dock.results.model.rows][:8])
        dock.download.start()
        dock.tabs.setCurrentWidget(dock.queue_tab)
        queue = dock.queue_tab
        wait_until(lambda: any(item.state == "running" and item.bytes_done > 60_000
                               for item in queue.model.items), timeout=120)
        running = [item.id for item in queue.model.items if item.state == "running"]
        if len(running) > 1:
            dock.queue.pause(running[-1:])
        window.resize(1600, 860)
        dock.setMinimumWidth(820)
        settle(1.2)
        queue.view.resizeColumnsToContents()
        _save(window, args.output / "downloads-queue.png")
        dock.shutdown()
    finally:
        emulator.stop()
    del app
    os._exit(0)  # skip the teardown of offscreen widgets: it can crash and adds nothing


if __name__ == "__main__":
    sys.exit(main())
