"""Sign-in to USGS M2M (ERS username + application token) and Carbon Mapper (token, or email + password).

Credentials are checked against the service in a background task and only then saved in the QGIS
authentication database (one Basic config per service, :mod:`..gis.auth`). Users who manage their
own configs pick one with QGIS's auth config selector. The panel says who is signed in, offers sign
out, and explains the known failures in plain words (the core errors carry those messages).
"""

from __future__ import annotations

import logging

from qgis.gui import QgsAuthConfigSelect
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import AuthError, SceneFinderError
from ..gis import auth, clients
from ..gis.tasks.base import start_task
from ..gis.tasks.panel import SignInTask
from .plain_text import escape_rich, show_plain

LOG = logging.getLogger(__name__)

ERS_URL = "https://ers.cr.usgs.gov/"
CARBONMAPPER_URL = "https://platform.carbonmapper.org"


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderSignIn", message)


class ServiceSignIn(QGroupBox):
    """One service's sign-in box."""

    signed_in = pyqtSignal(str, str)  # service, username
    signed_out = pyqtSignal(str)
    failed = pyqtSignal(str, object)  # service, error

    def __init__(self, service: str, parent=None):
        super().__init__(tr(clients.service(service).title), parent)
        self.service = service
        self.token_sign_in = clients.service(service).token_sign_in
        self.setObjectName(f"SignIn_{service}")
        self.task: SignInTask | None = None
        self.username: str | None = None

        self.state = QLabel(self)
        self.state.setObjectName("SignInState")
        self.state.setWordWrap(True)
        self.user_edit = QLineEdit(self)
        self.user_edit.setObjectName("SignInUser")
        self.secret_edit = QLineEdit(self)
        self.secret_edit.setObjectName("SignInSecret")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_in_button = QPushButton(tr("Sign in"), self)
        self.sign_in_button.setObjectName("SignInButton")
        self.sign_out_button = QPushButton(tr("Sign out"), self)
        self.sign_out_button.setObjectName("SignOutButton")
        self.config_select = QgsAuthConfigSelect(self)
        self.config_select.setObjectName("SignInConfig")
        self.config_select.setToolTip(tr("Or choose a configuration from the QGIS authentication database"))

        form = QFormLayout()
        self.mode_buttons = None
        if self.token_sign_in:
            self.token_mode = QRadioButton(tr("API token"), self)
            self.token_mode.setObjectName("SignInTokenMode")
            self.password_mode = QRadioButton(tr("Email and password"), self)
            self.password_mode.setObjectName("SignInPasswordMode")
            self.token_mode.setChecked(True)
            self.mode_buttons = QButtonGroup(self)
            self.mode_buttons.addButton(self.token_mode)
            self.mode_buttons.addButton(self.password_mode)
            modes = QHBoxLayout()
            modes.addWidget(self.token_mode)
            modes.addWidget(self.password_mode)
            form.addRow(modes)
            self.token_mode.toggled.connect(self._mode_changed)
        self.user_label = QLabel(self)
        self.secret_label = QLabel(self)
        form.addRow(self.user_label, self.user_edit)
        form.addRow(self.secret_label, self.secret_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        self.help = QLabel(self)
        self.help.setWordWrap(True)
        self.help.setOpenExternalLinks(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(tr("Saved configuration:"), self))
        layout.addWidget(self.config_select)
        layout.addWidget(self.help)
        self._mode_changed()

        self.sign_in_button.clicked.connect(self.sign_in)
        self.secret_edit.returnPressed.connect(self.sign_in)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.config_select.selectedConfigIdChanged.connect(self._config_chosen)
        self.refresh()

    # Public
    def credentials(self) -> tuple[str, str] | None:
        """(username, secret) to use now: environment or the default auth config (may raise AuthError)."""
        return auth.resolve_credentials(self.service)

    def refresh(self) -> None:
        """Show the stored state: signed in as whom, or how to sign in."""
        try:
            pair = auth.credentials_from_env(self.service)
            origin = tr(" (from the environment)") if pair else ""
            if pair is None:
                authcfg = auth.default_authcfg(self.service)
                if authcfg:
                    pair = auth.load_credentials(authcfg)
                    self.config_select.blockSignals(True)
                    self.config_select.setConfigId(authcfg)
                    self.config_select.blockSignals(False)
            self._show_signed_in(pair[0] if pair else None, origin)
        except AuthError as error:
            self._show_signed_in(None)
            self._show_error(error)

    def sign_in(self) -> None:
        try:
            username = self.user_edit.text().strip()
            secret = self.secret_edit.text().strip()
            if self.token_sign_in and self.token_mode.isChecked():
                username = auth.TOKEN_USERNAME
            if not username or not secret:
                raise AuthError(tr("Enter both fields to sign in."))
            self._start(username, secret, store=True)
        except SceneFinderError as error:
            self._show_error(error)
            self.failed.emit(self.service, error)

    def sign_out(self) -> None:
        try:
            authcfg = auth.default_authcfg(self.service)
            if authcfg and dict(auth.list_configs(self.service)).get(authcfg) == auth.CONFIG_NAMES[self.service]:
                auth.remove_credentials(authcfg)  # the config we made: delete the secret
            else:
                auth.set_default_authcfg(self.service, None)  # the user's own: just stop using it
            self.config_select.blockSignals(True)
            self.config_select.setConfigId("")
            self.config_select.blockSignals(False)
            self.secret_edit.clear()
            self.refresh()
            self.signed_out.emit(self.service)
        except Exception as error:
            LOG.exception("Signing out failed")
            self.failed.emit(self.service, error)

    def busy(self) -> bool:
        return self.task is not None

    def shutdown(self) -> None:
        if self.task is not None:
            try:
                self.task.cancel()
            except RuntimeError:
                pass
            self.task = None

    # Internals
    def _start(self, username: str, secret: str, *, store: bool, authcfg: str | None = None) -> None:
        self.shutdown()
        self.sign_in_button.setEnabled(False)
        self.state.setStyleSheet("")
        show_plain(self.state, tr("Signing in…"))
        task = SignInTask(self.service, username, secret)
        task.add_callbacks(lambda name: self._succeeded(task, name, secret, store, authcfg),
                           lambda error: self._failed(task, error))
        self.task = task
        start_task(task)

    def _succeeded(self, task, username: str, secret: str, store: bool, authcfg: str | None) -> None:
        if task is not self.task:
            return
        self.task = None
        self.sign_in_button.setEnabled(True)
        try:
            if store:
                auth.store_credentials(self.service, username, secret, auth.default_authcfg(self.service))
            elif authcfg:
                auth.set_default_authcfg(self.service, authcfg)
        except AuthError as error:
            self._show_error(error)
            self.failed.emit(self.service, error)
            return
        self.secret_edit.clear()
        self.refresh()
        self.signed_in.emit(self.service, username)

    def _failed(self, task, error: SceneFinderError) -> None:
        if task is not self.task:
            return
        self.task = None
        self.sign_in_button.setEnabled(True)
        self._show_error(error)
        self.failed.emit(self.service, error)

    def _config_chosen(self, authcfg: str) -> None:
        try:
            if not authcfg:
                return
            username, secret = auth.load_credentials(authcfg)
            self._start(username, secret, store=False, authcfg=authcfg)
        except SceneFinderError as error:
            self._show_error(error)
            self.failed.emit(self.service, error)

    def _show_signed_in(self, username: str | None, origin: str = "") -> None:
        self.username = username
        self.state.setStyleSheet("")
        if username:
            shown = tr("an API token") if username == auth.TOKEN_USERNAME else username
            self.state.setTextFormat(Qt.TextFormat.RichText)
            self.state.setText(tr("Signed in as <b>{user}</b>{origin}.").format(user=escape_rich(shown),
                                                                               origin=escape_rich(origin)))
        else:
            show_plain(self.state, tr("Not signed in."))
        self.sign_out_button.setEnabled(bool(username) and not origin)

    def _show_error(self, error: BaseException) -> None:
        self.state.setStyleSheet("color: #b00020;")
        show_plain(self.state, str(error))  # what the service said, never markup or links

    def _mode_changed(self, *_args) -> None:
        if not self.token_sign_in:
            self.user_label.setText(tr("ERS username"))
            self.secret_label.setText(tr("Application token"))
            self.help.setText(tr(
                'No token yet? Sign in to <a href="{ers}">ERS</a>, open your profile and choose '
                '"Create Application Token". Searching and downloading through M2M also needs '
                "M2M access: in ERS, Access Request, \"Access to EE's Machine to Machine interface "
                '(MACHINE)".').format(ers=ERS_URL))
            return
        token = self.token_mode.isChecked()
        self.user_label.setVisible(not token)
        self.user_edit.setVisible(not token)
        self.user_label.setText(tr("Email"))
        self.secret_label.setText(tr("API token") if token else tr("Password"))
        self.help.setText(tr('Create an API token in your <a href="{url}">Carbon Mapper platform</a> account '
                             "settings.").format(url=CARBONMAPPER_URL))


class SignInPanel(QWidget):
    """Both services' boxes, one above the other."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.m2m = ServiceSignIn(auth.SERVICE_M2M, self)
        self.carbonmapper = ServiceSignIn(auth.SERVICE_CARBONMAPPER, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.m2m)
        layout.addWidget(self.carbonmapper)
        layout.addStretch(1)

    def box(self, service: str) -> ServiceSignIn:
        return {box.service: box for box in (self.m2m, self.carbonmapper)}[service]

    def shutdown(self) -> None:
        self.m2m.shutdown()
        self.carbonmapper.shutdown()
