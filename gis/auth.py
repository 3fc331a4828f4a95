"""Credentials in the QGIS authentication database (``QgsApplication.authManager()``).

Each service gets one "Basic" authentication config (QGIS's own username/password method), so
the user can see, edit and back it up in Settings > Options > Authentication like any other:

- USGS M2M, config name "Scene Finder - USGS M2M": username = the ERS username,
  password = the M2M application token (created on the ERS profile page).
- Carbon Mapper, config name "Scene Finder - Carbon Mapper": either an API token, stored with the
  username ``"token"`` (:data:`TOKEN_USERNAME`) and the token as the password; or the account's
  email and password (username = the email). :func:`carbonmapper_auth_kwargs` turns the pair into
  the keyword arguments of ``CarbonMapperClient``.

Only the config *id* is kept in QgsSettings (``scene_finder/authcfg/<service>``), never the
secret. Reading a config may make QGIS ask for the master password, so load credentials on the
main thread and hand the (username, secret) pair to the task. Secrets read are registered with
:mod:`..core.redact` so they are masked should they ever reach a log line.

Environment variables (scripts, CI, the demo) are an alternative: ``SCENE_FINDER_M2M_USERNAME`` +
``SCENE_FINDER_M2M_TOKEN``; ``SCENE_FINDER_CARBONMAPPER_TOKEN`` (or ``SCENE_FINDER_CARBONMAPPER_EMAIL``
+ ``SCENE_FINDER_CARBONMAPPER_PASSWORD``). :func:`resolve_credentials` decides: an explicit auth
config, else the environment, else the service's default auth config.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QObject, QThread, pyqtSignal

from ..core.errors import AuthError
from ..core.redact import register_secret
from ..core.services import (
    ENV_CARBONMAPPER_EMAIL,
    ENV_CARBONMAPPER_PASSWORD,
    ENV_CARBONMAPPER_TOKEN,
    ENV_M2M_TOKEN,
    ENV_M2M_USERNAME,
    SERVICE_CARBONMAPPER,
    SERVICE_M2M,
    SERVICES,
)

LOG = logging.getLogger(__name__)

CONFIG_NAMES = {
    SERVICE_M2M: "Scene Finder - USGS M2M",
    SERVICE_CARBONMAPPER: "Scene Finder - Carbon Mapper",
}
AUTH_METHOD = "Basic"
TOKEN_USERNAME = "token"
SETTINGS_KEY = "scene_finder/authcfg/{service}"


T = TypeVar("T")
# Seconds a worker waits for the main thread to read credentials (the user may be typing the master password).
MAIN_THREAD_WAIT = 600.0


def on_main_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


def _note_auth_read(what: str) -> None:
    """Log every read of the auth database with its thread: off the main thread, QGIS may ask for the
    master password from a background thread, which it cannot do safely."""
    if on_main_thread():
        LOG.debug("Auth database read (%s) on the main thread", what)
    else:
        LOG.warning("Auth database read (%s) on a worker thread (%s): read credentials on the main thread",
                    what, threading.current_thread().name)


class _MainThreadCall(QObject):
    """Runs one callable in the main thread's event loop for a worker that waits for it."""

    requested = pyqtSignal()

    def __init__(self, function: Callable[[], Any]):
        super().__init__()
        self.function = function
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.moveToThread(QCoreApplication.instance().thread())
        self.requested.connect(self._run)  # queued: this object lives in the main thread now

    def _run(self) -> None:
        try:
            self.result = self.function()
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            self.error = error
        finally:
            self.done.set()


def call_on_main_thread(function: Callable[[], T], timeout: float = MAIN_THREAD_WAIT) -> T:
    """``function()`` run on the main thread (at once when already there), its result or its exception.

    A worker (a Processing model runs its children's ``prepareAlgorithm`` there) waits for the main
    thread's event loop to run it; AuthError when that does not happen within ``timeout`` seconds.
    """
    if on_main_thread() or QCoreApplication.instance() is None:
        return function()
    call = _MainThreadCall(function)
    call.requested.emit()
    if not call.done.wait(timeout):
        raise AuthError("The credentials could not be read: QGIS's main thread did not answer in time.")
    if call.error is not None:
        raise call.error
    return call.result


def _check_service(service: str) -> None:
    if service not in SERVICES:
        raise ValueError(f"Unknown service {service!r}; expected one of {SERVICES}")


def _manager():
    manager = QgsApplication.authManager()
    if manager is None or manager.isDisabled():
        raise AuthError(
            "The QGIS authentication system is not available, so credentials cannot be saved or read. "
            "See Settings > Options > Authentication."
        )
    return manager


def auth_available() -> bool:
    """True when the QGIS authentication database can be used."""
    manager = QgsApplication.authManager()
    return manager is not None and not manager.isDisabled()


def store_credentials(service: str, username: str, secret: str, authcfg: str | None = None) -> str:
    """Save (username, secret) in a Basic auth config and make it the service's default.

    Updates ``authcfg`` when it names an existing config, else creates a new one. Returns its id.
    """
    _check_service(service)
    if not username or not secret:
        raise AuthError("Both the username and the token or password are needed.")
    manager = _manager()
    config = QgsAuthMethodConfig(AUTH_METHOD)
    existing = authcfg and authcfg in manager.configIds()
    if existing:
        config.setId(authcfg)
    config.setName(CONFIG_NAMES[service])
    config.setConfig("username", username)
    config.setConfig("password", secret)
    register_secret(secret)
    if existing:
        ok = manager.updateAuthenticationConfig(config)
    else:
        ok, config = manager.storeAuthenticationConfig(config)
    if not ok or not config.id():
        raise AuthError(
            "The credentials could not be saved in the QGIS authentication database "
            "(is the master password set?)."
        )
    set_default_authcfg(service, config.id())
    LOG.info("Saved %s credentials for %s in auth config %s", CONFIG_NAMES[service], username, config.id())
    return config.id()


def load_credentials(authcfg: str) -> tuple[str, str]:
    """(username, secret) of a Basic auth config; AuthError when it cannot be read."""
    manager = _manager()
    _note_auth_read(f"config {authcfg}")
    if not authcfg or authcfg not in manager.configIds():
        raise AuthError(f"The authentication config {authcfg!r} does not exist. Choose or save credentials again.")
    ok, config = manager.loadAuthenticationConfig(authcfg, QgsAuthMethodConfig(), True)
    if not ok or not config.isValid(True):
        raise AuthError(
            f"The authentication config {authcfg} could not be read (wrong or missing master password?)."
        )
    username = config.config("username", "")
    secret = config.config("password", "")
    if not username or not secret:
        raise AuthError(f"The authentication config {authcfg} has no username or password.")
    register_secret(secret)
    return username, secret


def default_authcfg(service: str) -> str | None:
    """The id of the service's default auth config (kept in QgsSettings), if it still exists."""
    _check_service(service)
    authcfg = QgsSettings().value(SETTINGS_KEY.format(service=service), "") or ""
    if not authcfg:
        return None
    if auth_available() and authcfg not in QgsApplication.authManager().configIds():
        return None
    return str(authcfg)


def set_default_authcfg(service: str, authcfg: str | None) -> None:
    _check_service(service)
    if authcfg:
        QgsSettings().setValue(SETTINGS_KEY.format(service=service), authcfg)
    else:
        QgsSettings().remove(SETTINGS_KEY.format(service=service))


def list_configs(service: str | None = None) -> list[tuple[str, str]]:
    """(id, name) of the Basic auth configs a selector can offer; the service's own first.

    With ``service``, configs named for the other service are left out.
    """
    if not auth_available():
        return []
    configs = QgsApplication.authManager().availableAuthMethodConfigs()
    others = {name for key, name in CONFIG_NAMES.items() if key != service} if service else set()
    own = CONFIG_NAMES.get(service or "", None)
    rows = [
        (authcfg, config.name())
        for authcfg, config in configs.items()
        if config.method() == AUTH_METHOD and config.name() not in others
    ]
    rows.sort(key=lambda row: (row[1] != own, row[1].lower(), row[0]))
    return rows


def remove_credentials(service_or_authcfg: str) -> bool:
    """Delete an auth config: the service's default one (by service name) or the given id.

    Clears the default setting that pointed at it. Returns True when a config was removed.
    """
    if service_or_authcfg in SERVICES:
        authcfg = default_authcfg(service_or_authcfg)
        set_default_authcfg(service_or_authcfg, None)
    else:
        authcfg = service_or_authcfg
        for service in SERVICES:
            if QgsSettings().value(SETTINGS_KEY.format(service=service), "") == authcfg:
                set_default_authcfg(service, None)
    if not authcfg or not auth_available():
        return False
    manager = QgsApplication.authManager()
    if authcfg not in manager.configIds():
        return False
    return bool(manager.removeAuthenticationConfig(authcfg))


def credentials_from_env(service: str) -> tuple[str, str] | None:
    """(username, secret) from the environment, or None when not set there."""
    _check_service(service)
    if service == SERVICE_M2M:
        username = os.environ.get(ENV_M2M_USERNAME, "").strip()
        token = os.environ.get(ENV_M2M_TOKEN, "").strip()
        pair = (username, token) if username and token else None
    else:
        token = os.environ.get(ENV_CARBONMAPPER_TOKEN, "").strip()
        email = os.environ.get(ENV_CARBONMAPPER_EMAIL, "").strip()
        password = os.environ.get(ENV_CARBONMAPPER_PASSWORD, "")
        if token:
            pair = (TOKEN_USERNAME, token)
        elif email and password:
            pair = (email, password)
        else:
            pair = None
    if pair:
        register_secret(pair[1])
    return pair


def resolve_credentials(service: str, authcfg: str | None = None) -> tuple[str, str] | None:
    """The credentials to use: ``authcfg`` if given, else the environment, else the default config."""
    if authcfg:
        return load_credentials(authcfg)
    from_env = credentials_from_env(service)
    if from_env:
        return from_env
    default = default_authcfg(service)
    return load_credentials(default) if default else None


def carbonmapper_auth_kwargs(username: str, secret: str) -> dict[str, str]:
    """``CarbonMapperClient`` keyword arguments for a stored pair: a token, or email + password."""
    if not username or username == TOKEN_USERNAME:
        return {"token": secret}
    return {"email": username, "password": secret}
