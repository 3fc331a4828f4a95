"""Sign-in boxes against the emulator: saved in the QGIS auth database, plain-words errors, sign out."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import Qt

from scene_finder.gis import auth
from scene_finder.ui.signin import SignInPanel


@pytest.fixture()
def panel(signin_panel):
    return signin_panel


def _sign_in(qtbot, box, user, secret):
    if user is not None:
        box.user_edit.clear()
        qtbot.keyClicks(box.user_edit, user)
    box.secret_edit.clear()
    qtbot.keyClicks(box.secret_edit, secret)
    qtbot.mouseClick(box.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.busy(), timeout=15000)


def test_usgs_sign_in_is_checked_saved_and_signed_out(panel, qtbot):
    box = panel.m2m
    assert "Not signed in" in box.state.text()
    _sign_in(qtbot, box, "demo", "demo-application-token")
    assert "Signed in as <b>demo</b>" in box.state.text()
    authcfg = auth.default_authcfg(auth.SERVICE_M2M)
    assert auth.load_credentials(authcfg) == ("demo", "demo-application-token")
    assert box.secret_edit.text() == ""
    again = SignInPanel()  # a new session shows the stored state
    assert "demo" in again.m2m.state.text()
    again.deleteLater()
    qtbot.mouseClick(box.sign_out_button, Qt.MouseButton.LeftButton)
    assert "Not signed in" in box.state.text()
    assert auth.default_authcfg(auth.SERVICE_M2M) is None


def test_usgs_refusals_are_explained(panel, qtbot):
    box = panel.m2m
    _sign_in(qtbot, box, "demo", "wrong-token")
    assert "ers.cr.usgs.gov" in box.state.text().lower() or "token" in box.state.text().lower()
    assert auth.default_authcfg(auth.SERVICE_M2M) is None
    _sign_in(qtbot, box, "pending", "pending-token")
    assert "Access Request" in box.state.text()  # no M2M access yet: how to request it
    assert auth.default_authcfg(auth.SERVICE_M2M) is None


def test_carbonmapper_token_and_email_password(panel, qtbot):
    box = panel.carbonmapper
    assert not box.user_edit.isVisible()
    _sign_in(qtbot, box, None, "demo-carbonmapper-token")
    assert "Signed in as <b>an API token</b>" in box.state.text()
    qtbot.mouseClick(box.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(box.password_mode, Qt.MouseButton.LeftButton)
    assert box.user_edit.isVisible()
    _sign_in(qtbot, box, "demo@example.com", "wrong")
    assert "Not signed in" not in box.state.text() and auth.default_authcfg(auth.SERVICE_CARBONMAPPER) is None
    _sign_in(qtbot, box, "demo@example.com", "demo-password")
    assert "demo@example.com" in box.state.text()
    assert auth.load_credentials(auth.default_authcfg(auth.SERVICE_CARBONMAPPER))[0] == "demo@example.com"


def test_choosing_an_existing_auth_config(panel, qtbot):
    authcfg = auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")
    auth.set_default_authcfg(auth.SERVICE_M2M, None)
    box = panel.m2m
    box.refresh()
    assert "Not signed in" in box.state.text()
    box.config_select.setConfigId(authcfg)
    qtbot.waitUntil(lambda: not box.busy() and "demo" in box.state.text(), timeout=15000)
    assert auth.default_authcfg(auth.SERVICE_M2M) == authcfg


def test_empty_fields_are_refused_without_a_request(panel, qtbot, emulator):
    qtbot.mouseClick(panel.m2m.sign_in_button, Qt.MouseButton.LeftButton)
    assert "Enter both fields" in panel.m2m.state.text()
