"""The dataset picker: datasets by category, instant search, favourites kept in the settings, and the choice
loads the dataset's filters in the search form (against the emulator)."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import Qt

from scene_finder.core.m2m.datasets import Dataset
from scene_finder.gis import settings
from scene_finder.ui.dataset_picker import STAR, DatasetPicker, favourites

DATASETS = [
    Dataset("landsat_ot_c2_l2", "Landsat 8-9 OLI/TIRS C2 L2", long_name="Landsat 8-9 Operational Land Imager "
            "Collection 2 Level-2", category="Landsat Collection 2 Level-2",
            keywords="Landsat,OLI,Surface Reflectance"),
    Dataset("landsat_etm_c2_l2", "Landsat 7 ETM+ C2 L2", category="Landsat Collection 2 Level-2",
            keywords="Landsat,ETM+"),
    Dataset("landsat_ot_c2_l1", "Landsat 8-9 OLI/TIRS C2 L1", category="Landsat Collection 2 Level-1"),
    Dataset("modis_mod13q1_v61", "MODIS MOD13Q1 V6.1", long_name="MODIS/Terra Vegetation Indices 16-Day L3 Global "
            "250m SIN Grid V061", category="MODIS Vegetation Indices - V6.1", keywords="MODIS,NDVI,EVI"),
    Dataset("napp", "NAPP", long_name="National Aerial Photography Program", category="Aerial Imagery",
            keywords="Aerial Photography"),
    Dataset("corona2", "Declass 1 (1996)", category="Declassified Data", keywords="CORONA"),
    Dataset("mystery", "Uncategorised dataset"),
]


@pytest.fixture()
def no_favourites(qgis_app):
    settings.set_value("favourite_datasets", None)
    yield
    settings.set_value("favourite_datasets", None)


@pytest.fixture()
def picker(qtbot, no_favourites):
    widget = DatasetPicker()
    qtbot.addWidget(widget)
    widget.set_datasets(DATASETS, "landsat_ot_c2_l2")
    widget.show()
    return widget


def _children(picker, group_title: str) -> list[str]:
    for row in range(picker.proxy.rowCount()):
        group = picker.proxy.index(row, 0)
        if group.data() == group_title:
            return [picker.proxy.index(i, 0, group).data(Qt.ItemDataRole.UserRole + 1)
                    for i in range(picker.proxy.rowCount(group))]
    raise AssertionError(f"no group {group_title!r} in {picker.visible_groups()}")


def test_datasets_are_grouped_by_category_alphabetically_favourites_first(picker):
    assert picker.visible_groups() == [f"{STAR} Favourites", "Aerial Imagery", "Declassified Data",
                                       "Landsat Collection 2 Level-1", "Landsat Collection 2 Level-2",
                                       "MODIS Vegetation Indices - V6.1", "Other"]
    assert _children(picker, "Landsat Collection 2 Level-2") == ["landsat_etm_c2_l2", "landsat_ot_c2_l2"]
    assert _children(picker, "Other") == ["mystery"]
    assert _children(picker, f"{STAR} Favourites") == []
    assert picker.selected_alias() == "landsat_ot_c2_l2"  # the form's dataset, shown and selected
    assert picker.count_label.text() == "7 datasets"


@pytest.mark.parametrize(("typed", "found"), [
    ("ndvi", ["modis_mod13q1_v61"]),  # keyword
    ("AERIAL photography", ["napp"]),  # long name and keywords, any case, every word
    ("landsat_ot", ["landsat_ot_c2_l1", "landsat_ot_c2_l2"]),  # alias
    ("c2 l2", ["landsat_etm_c2_l2", "landsat_ot_c2_l2"]),  # name
    ("declass", ["corona2"]),  # category
    ("nothing like it", []),
])
def test_the_search_box_filters_as_one_types(picker, qtbot, typed, found):
    picker.search.clear()
    qtbot.keyClicks(picker.search, typed)
    assert sorted(picker.visible_aliases()) == found  # at once: no timer
    if found:
        assert picker.count_label.text() == f"{len(found)} of 7 datasets match"
        assert f"{STAR} Favourites" not in picker.visible_groups()  # empty groups go
    picker.search.clear()
    assert len(picker.visible_aliases()) == len(DATASETS)


def test_favourites_are_starred_by_keyboard_listed_first_and_kept_for_the_next_picker(picker, qtbot):
    qtbot.keyClicks(picker.search, "corona")
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.view.hasFocus() or picker.view.currentIndex().isValid()
    assert picker.selected_alias() == "corona2"
    qtbot.keyClick(picker.view, Qt.Key.Key_Space)
    assert favourites() == ["corona2"]
    picker.search.clear()
    assert _children(picker, f"{STAR} Favourites") == ["corona2"]
    assert picker.visible_aliases()[0] == "corona2"
    # the star shows in its category row too; clicking a star toggles it
    picker.toggle_favourite("napp")
    assert favourites() == ["corona2", "napp"]

    again = DatasetPicker()
    qtbot.addWidget(again)
    again.set_datasets(DATASETS, "landsat_ot_c2_l2")
    assert _children(again, f"{STAR} Favourites") == ["corona2", "napp"]  # by name
    assert settings.value("favourite_datasets") == ["corona2", "napp"]
    again.toggle_favourite("corona2")
    assert favourites() == ["napp"] and _children(again, f"{STAR} Favourites") == ["napp"]


def test_enter_picks_the_first_match_and_escape_leaves_the_dialog(qtbot, no_favourites):
    from scene_finder.ui.dataset_picker import DatasetPickerDialog

    dialog = DatasetPickerDialog(DATASETS, "landsat_ot_c2_l2")
    qtbot.addWidget(dialog)
    chosen = []
    dialog.picked.connect(chosen.append)
    dialog.show()
    qtbot.keyClicks(dialog.picker.search, "vegetation")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    assert chosen == ["modis_mod13q1_v61"] and dialog.result() == dialog.DialogCode.Accepted

    other = DatasetPickerDialog(DATASETS, "landsat_ot_c2_l2")
    qtbot.addWidget(other)
    other.picked.connect(chosen.append)
    other.show()
    qtbot.keyClick(other.picker.search, Qt.Key.Key_Escape)
    assert chosen == ["modis_mod13q1_v61"] and other.result() == other.DialogCode.Rejected


def test_a_catalogue_of_two_thousand_datasets_filters_in_one_pass(qtbot, no_favourites):
    many = [Dataset(f"ds_{i:04d}", f"Dataset {i:04d}", category="Category " + "ABCDEFGHIJ"[i % 10] + "KLMNOPQR"[i % 8],
                    keywords="even" if i % 2 == 0 else "odd") for i in range(2000)]
    widget = DatasetPicker()
    qtbot.addWidget(widget)
    widget.set_datasets(many, "ds_0042")
    assert len(widget.visible_groups()) == 41 and widget.selected_alias() == "ds_0042"
    qtbot.keyClicks(widget.search, "ODD 19")
    assert sorted(widget.visible_aliases()) == sorted(f"ds_{i:04d}" for i in range(2000)
                                                      if i % 2 and "19" in f"{i:04d}")


def test_picking_sets_the_forms_dataset_and_loads_its_filters(emulated_services, qgis_new_project, qtbot,
                                                              no_favourites):
    from scene_finder.ui.search_form import SOURCE_LANDSAT, SearchForm

    settings.set_last_source(SOURCE_LANDSAT)
    settings.set_dataset("corona2")
    form = SearchForm()
    qtbot.addWidget(form)
    form.credentials_provider = lambda: ("demo", "demo-application-token")  # the emulator's account
    form.show()
    try:
        qtbot.mouseClick(form.pick_button, Qt.MouseButton.LeftButton)
        dialog = form.picker_dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.waitUntil(lambda: len(dialog.picker.datasets) >= 200, timeout=20000)  # the emulator's catalogue
        assert dialog.picker.selected_alias() == "corona2"
        assert "Declassified Data" in dialog.picker.visible_groups()
        qtbot.keyClicks(dialog.picker.search, "landsat 8-9 c2 l2")
        assert dialog.picker.visible_aliases() == ["landsat_ot_c2_l2"]
        qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.picker.view, Qt.Key.Key_Return)
        assert form.dataset() == "landsat_ot_c2_l2" and not dialog.isVisible()
        qtbot.waitUntil(lambda: bool(form.filters), timeout=20000)
        labels = {w.spec.label for w in form.filters}
        assert {"Satellite", "WRS Path", "Collection Category"} <= labels
        asked = [entry.json()["datasetName"] for entry in emulated_services.log.entries("m2m", "dataset-filters")]
        assert asked[-1] == "landsat_ot_c2_l2"
        form.remember()
        assert settings.dataset() == "landsat_ot_c2_l2"
    finally:
        form.shutdown()
