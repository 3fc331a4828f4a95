"""Saved searches in the dock against the emulator: kept in the project file (and nothing secret with
them), put back into the form and run again, the scenes new since the last run marked."""

from __future__ import annotations

import datetime
import os
import time
import zipfile
from pathlib import Path

import pytest
from dock_helpers import MARCH_2023, choose, search, set_dates
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from shapely import wkt
from shapely.geometry import box

from scene_finder.gis import auth, search_files, settings
from scene_finder.gis.saved_searches import read_saved, write_saved
from scene_finder.ui.search_form import SOURCE_CM_PLUMES

TOKEN = "demo-application-token"


@pytest.fixture(autouse=True)
def _no_saved_searches(qgis_new_project):
    """pytest-qgis's new project keeps the entries of the last one: start without saved searches."""
    QgsProject.instance().removeEntry("SceneFinder", "saved_searches")
    yield
    QgsProject.instance().removeEntry("SceneFinder", "saved_searches")


def _sign_in_m2m():
    auth.store_credentials(auth.SERVICE_M2M, "demo", TOKEN)


def _save(qtbot, dock, name: str) -> None:
    dock.saved.name_edit.setText(name)
    qtbot.mouseClick(dock.saved.save_button, Qt.MouseButton.LeftButton)


def _names(dock) -> list[str]:
    return [dock.saved.list.item(row).text() for row in range(dock.saved.list.count())]


def _choose_saved(dock, name: str) -> None:
    dock.saved.list.setCurrentRow(_names(dock).index(name))


def _api_keys(emulator) -> list[str]:
    m2m = next(service for service in emulator.services if service.name == "m2m")
    return list(m2m.sessions)


def test_saved_searches_survive_saving_and_reopening_the_project_without_secrets(dock, qtbot, tmp_path,
                                                                                 emulated_services):
    _sign_in_m2m()
    dock.form.load_dataset_info(force=True)
    qtbot.waitUntil(lambda: bool(dock.form.filters), timeout=20000)
    select = next(w for w in dock.form.filters if type(w.spec).__name__ == "SelectFilter")
    value = select.combo.itemData(1)
    choose(qtbot, select.combo, value)
    dock.form.cloud_spin.setValue(60)
    dock.form.unknown_cloud_check.setChecked(False)
    search(qtbot, dock)
    keys = sorted(row.key for row in dock.results.model.rows)
    _save(qtbot, dock, "Albemarle, March")
    assert _names(dock) == ["Albemarle, March"]
    assert dock.saved.status.text() == "Saved the search “Albemarle, March”."
    saved = dock.saved.searches[0]
    assert sorted(saved.last_keys) == keys and saved.last_run  # the search that ran is the one saved
    assert QgsProject.instance().isDirty()

    qgz, qgs = tmp_path / "saved.qgz", tmp_path / "saved.qgs"
    assert QgsProject.instance().write(str(qgs)) and QgsProject.instance().write(str(qgz))
    QgsProject.instance().clear()
    assert _names(dock) == [] and read_saved() == []
    assert QgsProject.instance().read(str(qgz))
    assert _names(dock) == ["Albemarle, March"]
    back = dock.saved.searches[0]
    assert back == saved
    assert (back.source, back.dataset, back.start, back.end) == ("landsat", "landsat_ot_c2_l2", "2023-03-01",
                                                                 "2023-04-01")
    assert (back.cloud_max, back.include_unknown_cloud, back.metadata) == (60.0, False, {select.spec.id: value})
    assert wkt.loads(back.aoi_wkt).equals(box(-76.9196, 35.5713, -75.4460, 36.3793))  # the Albemarle rectangle

    texts = [qgs.read_text(encoding="utf-8")]
    with zipfile.ZipFile(qgz) as archive:
        texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    assert "Albemarle, March" in texts[0] and any("Albemarle, March" in text for text in texts[1:])
    secrets = [TOKEN, *_api_keys(emulated_services)]
    assert len(secrets) > 1
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_run_again_puts_the_search_back_and_marks_the_scenes_new_since_the_last_run(dock, qtbot):
    _sign_in_m2m()
    search(qtbot, dock)
    keys = [row.key for row in dock.results.model.rows]
    assert len(keys) >= 3
    _save(qtbot, dock, "Albemarle")
    # the last run, as if it had been on 2 November 2026, before two of the scenes were there
    saved = dock.saved.find("Albemarle")
    saved.last_keys = keys[2:]
    saved.last_run = "2026-11-02T10:00:00"
    write_saved(dock.saved.searches)
    dock.saved.reload()
    # the form and the area are elsewhere now
    choose(qtbot, dock.form.source_combo, SOURCE_CM_PLUMES)
    set_dates(dock, datetime.date(2020, 1, 1), datetime.date(2020, 2, 1))
    dock.aoi.set_source("extent")

    _choose_saved(dock, "Albemarle")
    qtbot.mouseClick(dock.saved.run_button, Qt.MouseButton.LeftButton)
    assert dock.search_task is not None, dock.search_status.text()
    qtbot.waitUntil(lambda: dock.search_task is None, timeout=30000)
    qtbot.waitUntil(lambda: "new scenes since" in dock.saved.status.text(), timeout=10000)
    assert dock.saved.status.text() == "2 new scenes since 2026-11-02."
    assert dock.messages.last[1] == "2 new scenes since 2026-11-02."
    assert (dock.form.source(), dock.form.start(), dock.form.end()) == ("landsat", *MARCH_2023)
    assert dock.aoi.source() == "saved"
    assert sorted(row.key for row in dock.results.model.rows) == sorted(keys)
    # the two new scenes are marked in the table
    proxy = dock.results.view.model()
    marked = set()
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 2)
        if proxy.data(index, Qt.ItemDataRole.FontRole) is not None:
            marked.add(proxy.data(index, dock.results.model.KEY_ROLE))
            assert "New since the last run" in proxy.data(index, Qt.ItemDataRole.ToolTipRole)
    assert marked == set(keys[:2])
    # the saved search remembers this run, in the project
    again = read_saved()[0]
    assert sorted(again.last_keys) == sorted(keys) and again.last_run.startswith(datetime.date.today().isoformat())
    # a search of its own clears the marks
    search(qtbot, dock)
    assert not dock.results.view.model().new_keys


def test_metadata_filters_are_put_back_before_the_dataset_filters_load(dock, qtbot):
    from scene_finder.gis.saved_searches import SavedSearch

    _sign_in_m2m()
    saved = SavedSearch(name="Tier", source="landsat", aoi_wkt="POLYGON ((-76 35, -75 35, -75 36, -76 36, -76 35))",
                        start="2023-03-01", end="2023-04-01", metadata={"5e83d14fb9436d88": "T1"})
    write_saved([saved])
    dock.saved.reload()
    dock.form.set_filters([])  # the dataset's filters are not there yet
    dock.form.apply(saved)
    assert dock.form.metadata() == {"5e83d14fb9436d88": "T1"}
    assert settings.metadata_filters("landsat_ot_c2_l2") == {"5e83d14fb9436d88": "T1"}
    request = dock.form.request(None)
    assert request.metadata == {"5e83d14fb9436d88": "T1"} and request.start == datetime.date(2023, 3, 1)


def test_saving_asks_for_a_name_and_for_a_usable_area(dock, qtbot):
    _save(qtbot, dock, "  ")
    assert dock.saved.status.text() == "Type a name for the search first." and _names(dock) == []
    dock.aoi.set_source("saved")  # no saved search's area put back yet
    _save(qtbot, dock, "Nowhere")
    assert "saved search" in dock.saved.status.text() and _names(dock) == []
    assert not dock.saved.run_button.isEnabled()


def test_an_unreadable_project_entry_is_ignored(dock, qtbot):
    QgsProject.instance().writeEntry("SceneFinder", "saved_searches", "{not json")
    dock.saved.reload()
    assert _names(dock) == []
    QgsProject.instance().writeEntry("SceneFinder", "saved_searches",
                                     '{"format": 1, "searches": [{"name": "no area"}, {"name": "ok", "source": '
                                     '"landsat", "aoi_wkt": "POLYGON ((0 0, 1 0, 1 1, 0 0))", "last_keys": "x"}]}')
    dock.saved.reload()
    assert _names(dock) == ["ok"] and dock.saved.searches[0].last_keys == []


def test_starting_a_search_cleans_old_search_files_but_not_those_kept(dock, qtbot, tmp_path):
    _sign_in_m2m()
    settings.set_value("kept_search_files", None)
    search(qtbot, dock)
    _save(qtbot, dock, "Albemarle")
    saved_file = Path(dock.saved.find("Albemarle").last_file)
    QgsProject.instance().removeAllMapLayers()  # not in the project any more: kept as a saved search's file
    folder = tmp_path / "downloads" / "searches"
    month_ago = time.time() - 30 * 86400
    old = folder / "landsat_20261001_120000_1.gpkg"
    old.write_bytes(b"")
    for path in (old, saved_file):
        os.utime(path, (month_ago, month_ago))
    search(qtbot, dock)
    assert not old.exists() and saved_file.exists()
    # saving the project keeps the search files its layers read, whatever project is open later
    layer_file = Path(dock.results_layer.source().split("|")[0])
    assert QgsProject.instance().write(str(tmp_path / "kept.qgz"))
    assert str(layer_file) in search_files.kept_files()
    settings.set_value("kept_search_files", None)


def test_the_age_of_search_files_is_set_in_the_panel(dock, qtbot):
    settings.set_value("search_files_days", None)
    spin = dock.saved.days_spin
    assert spin.value() == 14
    spin.setValue(0)
    assert spin.text() == "never" and settings.value("search_files_days") == 0
    spin.setValue(30)
    assert settings.value("search_files_days") == 30
    settings.set_value("search_files_days", None)


def test_run_again_without_signing_in_asks_for_it_and_keeps_the_search(dock, qtbot):
    from scene_finder.gis.saved_searches import SavedSearch

    write_saved([SavedSearch(name="Albemarle", source="landsat", start="2023-03-01", end="2023-04-01",
                             aoi_wkt="POLYGON ((-76 35, -75 35, -75 36, -76 36, -76 35))")])
    dock.saved.reload()
    _choose_saved(dock, "Albemarle")
    qtbot.mouseClick(dock.saved.run_button, Qt.MouseButton.LeftButton)
    assert dock.search_task is None and dock.tabs.currentWidget() is dock.signin
    assert "Sign in to USGS" in dock.messages.last[1]
    assert dock.saved._run_name is None and read_saved()[0].last_run is None
