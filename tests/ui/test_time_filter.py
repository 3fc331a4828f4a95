"""The results table follows QGIS's Temporal Controller (a real navigation object driving the canvas)."""

from __future__ import annotations

import datetime
import json

import pytest
from qgis.core import Qgis, QgsDateTimeRange, QgsInterval, QgsProject, QgsTemporalNavigationObject
from qgis.PyQt.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from shapely.geometry import box

from scene_finder.core.models import Scene
from scene_finder.gis import settings
from scene_finder.gis.drop_handler import SCENES_MIME
from scene_finder.gis.footprints import write_footprints
from scene_finder.gis.styles import footprint_layer
from scene_finder.ui import results_proxy
from scene_finder.ui.results import ResultsPanel

_MODES = getattr(Qgis, "TemporalNavigationMode", None) or QgsTemporalNavigationObject.NavigationMode
ANIMATED = _MODES.Animated
FIXED_RANGE = _MODES.FixedRange
OFF = getattr(_MODES, "Disabled", None) or _MODES.NavigationOff
MARCH = [datetime.date(2023, 3, day) for day in range(1, 32)]


def _moment(day: datetime.date) -> QDateTime:
    return QDateTime(QDate(day), QTime(0, 0))


@pytest.fixture()
def navigation(qgis_canvas):
    """The canvas driven by a temporal navigation object over March 2023, in weekly frames (off at first)."""
    navigation = QgsTemporalNavigationObject(qgis_canvas)
    qgis_canvas.setTemporalController(navigation)
    navigation.setTemporalExtents(QgsDateTimeRange(_moment(MARCH[0]), _moment(datetime.date(2023, 4, 1))))
    navigation.setFrameDuration(QgsInterval(7 * 86400))
    yield navigation
    navigation.setNavigationMode(OFF)
    qgis_canvas.setTemporalRange(QgsDateTimeRange(QDateTime(), QDateTime()))


@pytest.fixture()
def panel(recording_iface, qgis_new_project, qgis_canvas, navigation, qtbot):
    settings.set_value("follow_time_controller", None)
    widget = ResultsPanel(recording_iface)
    widget.resize(500, 600)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


@pytest.fixture()
def layer(tmp_path, qgis_new_project):
    """A footprint a day in March 2023 (E01 to E31), written and styled as a search writes them."""
    scenes = [Scene(f"E{day.day:02d}", f"D{day.day:02d}", "landsat_ot_c2_l2", acquired=day,
                    cloud_cover=float((day.day * 37) % 100), footprint=box(day.day, 0, day.day + 1, 1))
              for day in MARCH]
    write_footprints(scenes, tmp_path / "march.gpkg")
    made = footprint_layer(tmp_path / "march.gpkg")
    QgsProject.instance().addMapLayer(made)
    return made


def _shown(panel) -> list[str]:
    proxy = panel.view.model()
    return [proxy.data(proxy.index(row, 2), panel.model.KEY_ROLE) for row in range(proxy.rowCount())]


def _days(panel) -> set[int]:
    return {int(key[1:]) for key in _shown(panel)}


def test_the_table_shows_the_frame_of_the_temporal_controller(panel, layer, navigation, qtbot):
    panel.show_layer(layer)
    assert len(_shown(panel)) == 31
    assert not panel.time_filter.isVisible()  # the controller is off: nothing to follow
    navigation.setNavigationMode(ANIMATED)
    navigation.setCurrentFrameNumber(1)
    assert _days(panel) == set(range(8, 15))
    assert panel.time_filter.isVisible() and panel.time_filter.check.isChecked()
    assert panel.time_filter.status.text() == "7 of 31: 2023-03-08 – 2023-03-15"
    navigation.next()
    assert _days(panel) == set(range(15, 22))
    # the switch turns following off (and is remembered)
    qtbot.mouseClick(panel.time_filter.check, Qt.MouseButton.LeftButton)
    assert len(_shown(panel)) == 31 and settings.value("follow_time_controller") is False
    qtbot.mouseClick(panel.time_filter.check, Qt.MouseButton.LeftButton)
    assert _days(panel) == set(range(15, 22))
    # a fixed range: the whole of March; the controller off: every row, and no switch
    navigation.setNavigationMode(FIXED_RANGE)
    assert len(_shown(panel)) == 31
    navigation.setNavigationMode(OFF)
    assert len(_shown(panel)) == 31 and not panel.time_filter.isVisible()


def test_sorting_and_rows_of_a_new_search_keep_to_the_frame(panel, layer, navigation, qtbot):
    navigation.setNavigationMode(ANIMATED)
    navigation.setCurrentFrameNumber(0)
    panel.show_layer(layer)  # shown while the controller is already on
    assert _days(panel) == set(range(1, 8))
    header = panel.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(1) + 5, 5))
    proxy = panel.view.model()
    clouds = [float(proxy.data(proxy.index(row, 1))) for row in range(proxy.rowCount())]
    assert clouds in (sorted(clouds), sorted(clouds, reverse=True)) and len(clouds) == 7
    assert _days(panel) == set(range(1, 8))


def _click_row(qtbot, panel, row, modifier=Qt.KeyboardModifier.NoModifier):
    rect = panel.view.visualRect(panel.view.model().index(row, 2))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_the_selection_stays_linked_with_the_layer_while_the_frame_moves(panel, layer, navigation, qtbot):
    navigation.setNavigationMode(ANIMATED)
    navigation.setCurrentFrameNumber(1)  # 8 to 14 March
    panel.show_layer(layer)
    emitted = []
    panel.selection_changed.connect(lambda rows: emitted.append([row.key for row in rows]))
    layer.selectByExpression("entity_id IN ('E09', 'E10', 'E20')")
    assert [row.key for row in panel.selected_rows()] == ["E10", "E09"]  # newest first
    navigation.next()  # 15 to 21 March: the map keeps its selection, the table shows the visible part
    assert {f["entity_id"] for f in layer.getSelectedFeatures()} == {"E09", "E10", "E20"}
    assert [row.key for row in panel.selected_rows()] == ["E20"] and emitted[-1] == ["E20"]
    _click_row(qtbot, panel, 0)
    first = _shown(panel)[0]
    assert {f["entity_id"] for f in layer.getSelectedFeatures()} == {first}
    assert [row.key for row in panel.selected_rows()] == [first]
    # the current row's key goes to the thumbnail and zoom through the view's row, and a drag carries it
    assert panel._row_at(panel.view.currentIndex()).key == first
    proxy = panel.view.model()
    dragged = json.loads(bytes(proxy.mimeData([proxy.index(0, 0), proxy.index(0, 2)]).data(SCENES_MIME)))
    assert [scene["entity_id"] for scene in dragged] == [first]


def test_each_rows_time_is_read_once_however_often_the_frame_moves(panel, layer, navigation, monkeypatch):
    calls = []
    real = results_proxy.time_span
    monkeypatch.setattr(results_proxy, "time_span", lambda *args: calls.append(1) or real(*args))
    panel.show_layer(layer)
    navigation.setNavigationMode(ANIMATED)
    for frame in range(navigation.totalFrameCount()):
        navigation.setCurrentFrameNumber(frame)
    assert _days(panel) == {29, 30, 31}
    assert len(calls) == 31
