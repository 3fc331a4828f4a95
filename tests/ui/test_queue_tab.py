"""The Downloads tab against the emulator: queued from the results table, rate limits waited out and said,
pause / resume / retry / remove, and an unfinished queue offered for resumption after the plugin reloads."""

from __future__ import annotations

from pathlib import Path

from dock_helpers import search
from qgis.PyQt.QtCore import QItemSelectionModel, Qt

from scene_finder.gis import auth
from scene_finder.ui.dock import SceneFinderDock
from scene_finder.ui.queue_batch import QueueBatch

SCENE = "LC90150352023067LGN00"


def _sign_in_m2m():
    auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")


def _download(dock, qtbot, keys=(SCENE,)):
    dock.results.select_keys(list(keys))
    qtbot.mouseClick(dock.downloads.download_button, Qt.MouseButton.LeftButton)


def _select_all(tab):
    view = tab.view
    view.selectionModel().select(
        view.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    view.selectAll()


def _slow_download_running(dock, qtbot, emulated_services, *, bytes_per_second, done_past):
    """Signed in, searched, one bundle downloading slowly (not opened when done): the Downloads tab once
    more than ``done_past`` bytes have arrived."""
    _sign_in_m2m()
    search(qtbot, dock)
    emulated_services.faults.add("landsatlook", "gen-bundle", "throttle", bytes_per_second=bytes_per_second, times=1)
    dock.downloads.open_check.setChecked(False)
    _download(dock, qtbot)
    tab = dock.queue_tab
    qtbot.waitUntil(lambda: _states(tab) == ["running"] and tab.model.items[0].bytes_done > done_past,
                    timeout=30000)
    return tab


def _states(tab):
    tab.refresh()
    return [item.state for item in tab.model.items]


def test_the_results_download_is_queued_and_listed_with_its_bytes(dock, qtbot, tmp_path):
    _sign_in_m2m()
    search(qtbot, dock)
    dock.downloads.open_check.setChecked(False)
    _download(dock, qtbot)
    assert isinstance(dock.download.task, QueueBatch)
    qtbot.waitUntil(lambda: dock.download.task is None, timeout=60000)
    assert "1 file(s)" in dock.downloads.status.text(), dock.downloads.status.text()
    tab = dock.queue_tab
    qtbot.waitUntil(lambda: _states(tab) == ["done"], timeout=5000)
    item = tab.model.items[0]
    assert item.entity_id == SCENE and item.file_name.endswith(".tar") and item.bytes_done > 0
    assert tab.model.data(tab.model.index(0, 0)) == SCENE
    assert tab.model.data(tab.model.index(0, 2)) == "Done"
    assert " of " in tab.model.data(tab.model.index(0, 3))
    assert "1 done" in tab.summary.text()


def test_a_usgs_rate_limit_keeps_items_queued_and_says_so(dock, qtbot, emulated_services):
    _sign_in_m2m()
    search(qtbot, dock)
    emulated_services.faults.add("m2m", "download-request", "m2m_error", code="RATE_LIMIT_USER_DL", times=None)
    _download(dock, qtbot)
    tab = dock.queue_tab
    qtbot.waitUntil(lambda: tab.status.text() == "USGS rate limit: waiting 15 min", timeout=30000)
    assert _states(tab) == ["queued"] and not tab.model.items[0].error
    assert dock.download.task is not None  # still waiting, not failed
    qtbot.waitUntil(lambda: "USGS rate limit: waiting 15 min" in dock.downloads.status.text(), timeout=5000)
    assert emulated_services.log.count("m2m", "download-request") == 1


def test_pause_resume_retry_and_remove(dock, qtbot, emulated_services, tmp_path):
    tab = _slow_download_running(dock, qtbot, emulated_services, bytes_per_second=200_000, done_past=0)
    _select_all(tab)
    qtbot.mouseClick(tab.buttons["pause"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.download.task is None, timeout=30000)
    assert _states(tab) == ["paused"]
    part = next(Path(tmp_path / "downloads").glob("*.part"))
    assert part.stat().st_size > 0
    emulated_services.faults.add("landsatlook", "gen-bundle", "status", status=404, times=1)
    qtbot.mouseClick(tab.buttons["resume"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _states(tab) == ["failed"], timeout=30000)
    assert "404" in tab.model.items[0].error
    qtbot.mouseClick(tab.buttons["retry"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _states(tab) == ["done"], timeout=30000)
    assert next(Path(tmp_path / "downloads").glob("*.tar")).exists()
    _select_all(tab)
    qtbot.mouseClick(tab.buttons["remove"], Qt.MouseButton.LeftButton)
    assert _states(tab) == [] and tab.model.rowCount() == 0


def test_after_the_plugin_reloads_it_offers_to_resume_from_the_part_file(dock, qtbot, emulated_services, tmp_path,
                                                                       recording_iface):
    _slow_download_running(dock, qtbot, emulated_services, bytes_per_second=50_000, done_past=100_000)
    dock.shutdown()  # the plugin unloads mid-transfer
    part = next(Path(tmp_path / "downloads").glob("*.part"))
    kept = part.stat().st_size
    assert kept > 0

    again = SceneFinderDock(recording_iface)
    qtbot.addWidget(again)
    again.queue.poll = dock.queue.poll
    try:
        assert not again.queue_tab.banner.isHidden()
        assert "1 download(s) from the last session" in again.queue_tab.banner_text.text()
        assert _states(again.queue_tab) == ["paused"]
        emulated_services.log.clear()
        assert again.queue_tab.bar_button is not None  # offered in the message bar too
        qtbot.mouseClick(again.queue_tab.bar_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: _states(again.queue_tab) == ["done"], timeout=60000)
        item = again.queue_tab.model.items[0]
        sent = sum(e.bytes_sent for e in emulated_services.log.entries() if e.service == "landsatlook")
        assert sent <= item.bytes_total - kept + 1  # only what the .part lacked (and a probe's first byte)
    finally:
        again.shutdown()
