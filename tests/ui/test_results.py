"""The results table: sorting, selection following the layer both ways, zoom, thumbnails, drag."""

from __future__ import annotations

import datetime
import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st
from qgis.core import QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QPoint, Qt
from qgis.PyQt.QtGui import QColor, QImage
from shapely.geometry import box

from scene_finder.gis.drop_handler import SCENES_MIME
from scene_finder.ui.results import ResultsPanel
from scene_finder.ui.results_model import ResultRow, consecutive_runs


def _rows(count=5, thumbnail=None):
    return [ResultRow(key=f"E{i}", label=f"LC09_L2SP_0130{i:02d}_202301{i + 1:02d}_X", dataset="landsat_ot_c2_l2",
                      acquired=datetime.date(2023, 1, i + 1), cloud_cover=float((i * 37) % 100),
                      footprint=box(-76 + i, 35, -75 + i, 36), thumbnail_url=thumbnail)
            for i in range(count)]


def _layer(rows):
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=entity_id:string&field=display_id:string"
                           "&field=acquired:date&field=cloud_cover:double", "footprints", "memory")
    features = []
    for row in rows:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(row.footprint.wkt))
        feature.setAttributes([row.key, row.label, QDate(row.acquired), row.cloud_cover])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture()
def panel(recording_iface, qgis_new_project, qgis_canvas, qtbot):
    widget = ResultsPanel(recording_iface)
    widget.resize(500, 500)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def _click_row(qtbot, panel, row, modifier=Qt.KeyboardModifier.NoModifier):
    rect = panel.view.visualRect(panel.view.model().index(row, 2))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_sorting_by_clicking_headers(panel, qtbot):
    panel.set_results(_rows())
    assert [r.key for r in panel.model.rows] == ["E4", "E3", "E2", "E1", "E0"]  # newest first
    header = panel.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(1) + 5, 5))
    clouds = [r.cloud_cover for r in panel.model.rows]
    assert clouds in (sorted(clouds), sorted(clouds, reverse=True))
    assert panel.model.data(panel.model.index(0, 0)) in {"2023-01-01", "2023-01-02", "2023-01-03", "2023-01-04",
                                                        "2023-01-05"}


def test_table_and_layer_selections_follow_each_other(panel, qtbot):
    layer = _layer(_rows())
    panel.show_layer(layer)
    assert [r.acquired.day for r in panel.model.rows] == [5, 4, 3, 2, 1]
    _click_row(qtbot, panel, 0)
    _click_row(qtbot, panel, 1, Qt.KeyboardModifier.ControlModifier)
    selected = {f["entity_id"] for f in layer.getSelectedFeatures()}
    assert selected == {panel.model.rows[0].key, panel.model.rows[1].key}
    layer.selectByExpression("entity_id IN ('E0', 'E2')")
    assert {row.key for row in panel.selected_rows()} == {"E0", "E2"}
    layer.removeSelection()
    assert panel.selected_rows() == []


def test_consecutive_runs_groups_neighbouring_rows():
    assert consecutive_runs([]) == []
    assert consecutive_runs([7, 3, 4, 5, 9, 8, 4]) == [(3, 5), (7, 9)]
    assert consecutive_runs(range(500)) == [(0, 499)]


def test_a_layer_selection_becomes_one_table_range_per_run_of_rows(panel, qtbot):
    layer = _layer(_rows(8))
    panel.show_layer(layer)  # newest first: E7 is row 0
    layer.selectByExpression("entity_id IN ('E7', 'E6', 'E5', 'E2', 'E1')")
    ranges = [(r.top(), r.bottom()) for r in panel.view.selectionModel().selection()]
    assert ranges == [(0, 2), (5, 6)]
    assert [row.key for row in panel.selected_rows()] == ["E7", "E6", "E5", "E2", "E1"]
    _click_row(qtbot, panel, 1, Qt.KeyboardModifier.ControlModifier)  # deselect E6 from the middle of a run
    assert [row.key for row in panel.selected_rows()] == ["E7", "E5", "E2", "E1"]
    assert {f["entity_id"] for f in layer.getSelectedFeatures()} == {"E7", "E5", "E2", "E1"}


def test_double_click_zooms_to_the_scene(panel, qgis_canvas, qtbot):
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    qgis_canvas.setExtent(QgsRectangle(0, 0, 1000, 1000))
    panel.set_results(_rows())
    rect = panel.view.visualRect(panel.view.model().index(0, 2))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    center = qgis_canvas.extent().center()
    assert center.x() == pytest.approx(-7_959_424, rel=0.001)  # row E4's centre, -71.5°, in web mercator
    assert qgis_canvas.extent().width() < 1_000_000 and qgis_canvas.extent().height() > 130_000


@pytest.fixture()
def image_server(tmp_path):
    """http://127.0.0.1:<port>/ serving ``tmp_path``."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_thumbnail_fetched_in_background_and_cached(panel, qtbot, tmp_path, image_server):
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(10, 120, 200))
    path = tmp_path / "thumb.png"
    image.save(str(path))
    url = image_server + "thumb.png"
    rows = _rows(thumbnail=url)
    panel.set_results(rows)
    _click_row(qtbot, panel, 0)
    qtbot.waitUntil(lambda: panel.thumbnail.pixmap() is not None and not panel.thumbnail.pixmap().isNull())
    assert url in panel.thumbnails.items
    path.unlink()  # the second time it comes from the cache
    _click_row(qtbot, panel, 1)
    assert not panel.thumbnail.pixmap().isNull()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.org/browse/t.png", "ftp://example.org/t.png"])
def test_a_thumbnail_address_that_is_not_https_is_not_fetched(panel, qtbot, recording_iface, url):
    panel.set_results(_rows(thumbnail=url))
    _click_row(qtbot, panel, 0)
    assert panel.thumbnail_task is None
    assert panel.thumbnail.text() == "No preview for this scene."
    assert url not in panel.thumbnails.items
    assert recording_iface.messageBar().currentItem() is None  # quietly: no error for the user


def test_dragged_rows_carry_the_scene_mime_type(panel):
    panel.set_results(_rows())
    data = panel.model.mimeData([panel.model.index(0, 0), panel.model.index(0, 2), panel.model.index(1, 0)])
    scenes = json.loads(bytes(data.data(SCENES_MIME)))
    assert [s["entity_id"] for s in scenes] == ["E4", "E3"]
    assert scenes[0]["footprint"].startswith("POLYGON")


def test_dragging_rows_read_from_a_layer_takes_footprints_from_the_layer(panel):
    layer = _layer(_rows())
    panel.show_layer(layer)
    scenes = json.loads(bytes(panel.model.mimeData([panel.model.index(4, 0)]).data(SCENES_MIME)))
    assert scenes[0]["entity_id"] == "E0" and scenes[0]["footprint"].startswith("Polygon")


def test_big_geopackage_results_are_read_in_a_task(panel, qtbot, tmp_path):
    from scene_finder.core.models import Scene
    from scene_finder.gis.footprints import write_footprints
    from scene_finder.gis.styles import footprint_layer

    scenes = [Scene(f"LC9{i:05d}", f"LC09_L2SP_{i:06d}_20230101_20230102_02_T1", "landsat_ot_c2_l2",
                    datetime.date(2023, 1, 1 + i % 28), float(i % 100), box(i * 0.01, 0, i * 0.01 + 1, 1))
              for i in range(300)]
    write_footprints(scenes, tmp_path / "results.gpkg")
    layer = footprint_layer(tmp_path / "results.gpkg")
    QgsProject.instance().addMapLayer(layer)
    panel.small_layer = 10
    counts = []
    panel.show_layer(layer, on_ready=counts.append)
    assert panel.reader_task is not None
    qtbot.waitUntil(lambda: counts == [300], timeout=10000)
    assert panel.model.rows[0].acquired == datetime.date(2023, 1, 28)
    layer.selectByIds([1])
    key = panel.key_by_fid[1]
    assert [row.key for row in panel.selected_rows()] == [key]


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_unknown_values_sort_last_in_either_order_and_equal_ones_keep_their_order(order):
    from scene_finder.ui.results_model import in_sort_order, sort_rows

    days = [3, None, 1, 3, None, 2]
    rows = [ResultRow(key=f"k{i}", label=f"L{i}", record={},
                      acquired=None if day is None else datetime.date(2023, 1, day)) for i, day in enumerate(days)]
    sort_rows(rows, 0, order)
    known = [row.acquired for row in rows if row.acquired is not None]
    assert known == sorted(known, reverse=order == Qt.SortOrder.DescendingOrder)
    assert [row.acquired for row in rows[len(known):]] == [None, None]
    assert [row.key for row in rows if row.acquired == datetime.date(2023, 1, 3)] == ["k0", "k3"]  # stable
    assert [row.key for row in rows if row.acquired is None] == ["k1", "k4"]
    assert in_sort_order(rows, 0, order)
    assert in_sort_order(rows[3:], 0, order, after=rows[2])
    assert not in_sort_order(rows[::-1], 0, order)
    assert not in_sort_order(rows[:1], 0, order, after=rows[-1])


@given(st.lists(st.one_of(st.none(), st.floats(0, 100)), max_size=30), st.sampled_from([0, 1, 2]),
       st.booleans())
def test_in_sort_order_says_whether_sorting_would_move_a_row(values, column, descending):
    from scene_finder.ui.results_model import in_sort_order, sort_rows

    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    rows = [ResultRow(key=f"k{i}", label=f"L{int(v or 0):03d}", record={}, cloud_cover=v,
                      acquired=None if v is None else datetime.date(2023, 1, 1) + datetime.timedelta(days=int(v)))
            for i, v in enumerate(values)]
    moved = list(rows)
    sort_rows(moved, column, order)
    assert in_sort_order(rows, column, order) == ([r.key for r in moved] == [r.key for r in rows])
