"""Old search GeoPackages are cleaned; those of the open project, of saved searches and of saved projects stay."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from shapely.geometry import box

from scene_finder.core.models import Scene
from scene_finder.gis import search_files, settings
from scene_finder.gis.footprints import write_footprints

DAY = 86400
NOW = time.time()


def _search_file(folder, name: str, age_days: float, footprints: bool = False):
    path = folder / name
    if footprints:
        write_footprints([Scene("E1", "D1", "landsat_ot_c2_l2", acquired=datetime.date(2023, 3, 1),
                                footprint=box(0, 0, 1, 1))], path)
    else:
        path.write_bytes(b"SQLite format 3\x00")
    os.utime(path, (NOW - age_days * DAY, NOW - age_days * DAY))
    return path


@pytest.fixture()
def folder(tmp_path, qgis_new_project):
    settings.set_value("search_files_days", None)
    settings.set_value("kept_search_files", None)
    made = tmp_path / "searches"
    made.mkdir()
    yield made
    settings.set_value("search_files_days", None)
    settings.set_value("kept_search_files", None)


def test_file_names_are_the_plugins_own():
    name = search_files.search_file_name("landsat", 3, datetime.datetime(2026, 11, 2, 9, 5, 7))
    assert name == "landsat_20261102_090507_3.gpkg"
    assert search_files.is_search_file(Path(name))
    for other in ("my_notes.gpkg", "landsat_2026_1.gpkg", "landsat_20261102_090507_3.gpkg.bak",
                  "x_20261102_090507_3.gpkg"):
        assert not search_files.is_search_file(Path(other))


def test_files_older_than_the_setting_are_deleted_and_the_others_stay(folder):
    old = _search_file(folder, "landsat_20261001_120000_1.gpkg", 30)
    older = _search_file(folder, "cm_plumes_20260901_120000_2.gpkg", 60)
    recent = _search_file(folder, "cm_scenes_20261125_120000_3.gpkg", 8)
    just_in = _search_file(folder, "landsat_20261119_120000_4.gpkg", 13.9)
    foreign = _search_file(folder, "field_survey.gpkg", 400)
    assert settings.value("search_files_days") == 14
    deleted = search_files.clean_search_files(folder, now=NOW)
    assert sorted(deleted) == sorted([old, older])
    assert not old.exists() and not older.exists()
    assert recent.exists() and just_in.exists() and foreign.exists()
    settings.set_value("search_files_days", 7)
    assert search_files.clean_search_files(folder, now=NOW) == [recent, just_in]


def test_zero_days_never_deletes(folder):
    ancient = _search_file(folder, "landsat_20200101_120000_1.gpkg", 2000)
    settings.set_value("search_files_days", 0)
    assert search_files.clean_search_files(folder, now=NOW) == []
    assert ancient.exists()


def test_a_search_s_hidden_leftovers_go_after_a_day_whatever_the_setting(folder):
    preview = _search_file(folder, ".landsat_20261001_120000_1.b783e163.streaming.gpkg", 1.5)
    copy = _search_file(folder, ".landsat_20261001_120000_1.0a1b2c3d.writing.gpkg", 3)
    fresh = _search_file(folder, ".landsat_20261203_084329_2.deadbeef.streaming.gpkg", 0.2)  # a search running
    in_use = _search_file(folder, ".landsat_20261001_120000_3.01234567.streaming.gpkg", 5)
    in_use.with_name(in_use.name + "-wal").write_bytes(b"")  # another QGIS still streams into it
    hidden = _search_file(folder, ".my_notes.gpkg", 400)
    settings.set_value("search_files_days", 0)
    assert sorted(search_files.clean_search_files(folder, now=NOW)) == sorted([preview, copy])
    assert fresh.exists() and in_use.exists() and hidden.exists()


def test_files_of_the_open_project_and_of_saved_searches_stay(folder):
    in_project = _search_file(folder, "landsat_20261001_120000_1.gpkg", 30, footprints=True)
    layer = QgsVectorLayer(f"{in_project}|layername=footprints", "footprints", "ogr")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    os.utime(in_project, (NOW - 30 * DAY, NOW - 30 * DAY))
    saved = _search_file(folder, "landsat_20261002_120000_2.gpkg", 30)
    unsaved = _search_file(folder, "landsat_20261003_120000_3.gpkg", 30)
    deleted = search_files.clean_search_files(folder, saved_files=[str(saved)], now=NOW)
    assert deleted == [unsaved]
    assert in_project.exists() and saved.exists()


def test_files_of_saved_projects_stay_when_another_project_is_open(folder, tmp_path):
    kept = _search_file(folder, "landsat_20261001_120000_1.gpkg", 1, footprints=True)
    layer = QgsVectorLayer(f"{kept}|layername=footprints", "footprints", "ogr")
    QgsProject.instance().addMapLayer(layer)
    search_files.keep_project_files()  # as when the project is saved
    assert search_files.kept_files() == [str(kept)]
    QgsProject.instance().removeAllMapLayers()
    os.utime(kept, (NOW - 30 * DAY, NOW - 30 * DAY))
    other = _search_file(folder, "landsat_20261002_120000_2.gpkg", 30)
    assert search_files.clean_search_files(folder, now=NOW) == [other]
    assert kept.exists()
    # a kept file that is gone is forgotten the next time files are kept
    kept.unlink()
    search_files.keep_files([])
    assert search_files.kept_files() == []


def test_a_file_open_in_another_program_stays(folder):
    busy = _search_file(folder, "landsat_20261001_120000_1.gpkg", 30)
    (folder / (busy.name + "-wal")).write_bytes(b"")
    assert search_files.clean_search_files(folder, now=NOW) == []
    assert busy.exists()


def test_a_missing_folder_is_nothing_to_clean(tmp_path, folder):
    assert search_files.clean_search_files(tmp_path / "nowhere", now=NOW) == []
