"""What a service says reaches the panel as text: never markup, never a link to click."""

from __future__ import annotations

import json

import pytest
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QTextBrowser

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.errors import SceneFinderError
from scene_finder.gis.network import make_qgis_session
from scene_finder.ui.messages import Messages
from scene_finder.ui.results_model import ResultRow, ResultsModel

HOSTILE = '<a href="file:///etc/passwd">click</a><b>x</b>'


@pytest.fixture()
def panel(signin_panel):
    return signin_panel


def _assert_plain(label):
    assert HOSTILE in label.text()
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert not label.openExternalLinks()
    assert not label.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByMouse


def test_an_m2m_error_message_with_markup_shows_literally_in_the_sign_in_box(panel, qtbot, emulated_services):
    emulated_services.faults.add("m2m", "login-token", "m2m_error", code="INPUT_PARAMETER_INVALID", message=HOSTILE)
    box = panel.m2m
    box.user_edit.setText("demo")
    box.secret_edit.setText("demo-application-token")
    qtbot.mouseClick(box.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.busy(), timeout=15000)
    _assert_plain(box.state)


def test_a_carbonmapper_detail_with_markup_shows_literally_in_the_message_bar(emulated_services, recording_iface):
    emulated_services.faults.add("carbonmapper", "*", "status", status=400, body=json.dumps({"detail": HOSTILE}))
    client = CarbonMapperClient("demo-carbonmapper-token", base_url=emulated_services.carbonmapper_url,
                                session=make_qgis_session(retries=0))
    with pytest.raises(SceneFinderError) as raised:
        client.get_json("catalog/plumes/annotated")
    assert HOSTILE in str(raised.value)

    Messages(recording_iface).error(raised.value, "Searching")
    item = recording_iface.messageBar().currentItem()
    shown = item.findChild(QTextBrowser)
    assert HOSTILE in shown.toPlainText()
    assert 'href="file:' not in shown.toHtml() and "font-weight:600;\">x" not in shown.toHtml()


def test_result_tooltips_show_service_names_literally(qgis_app):
    model = ResultsModel()
    model.set_rows([ResultRow(key="E1", label=HOSTILE, dataset="landsat_ot_c2_l2")])
    tip = model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert "<a " not in tip and "&lt;a href=&quot;file:///etc/passwd&quot;&gt;" in tip
