"""The emulated USGS M2M JSON API (``/api/api/json/stable/``) and the download hosts it hands out.

Every endpoint answers POST (or GET) with JSON in the recorded envelope
``{requestId, version, sessionId, data, errorCode, errorMessage}``, errors included. HTTP status:
200 for errors reported in the envelope, except NOT_FOUND "Invalid Endpoint" (404) and
INPUT_FORMAT for a body that is not JSON (400), like the real service's mix.

Auth: ``login-token {username, token}`` against ``config.m2m_accounts``; users in
``config.m2m_users_without_access`` get AUTH_UNAUTHROIZED (sic). Every other endpoint needs the
``X-Auth-Token`` header: missing -> AUTH_INVALID, unknown or logged out -> AUTH_KEY_INVALID,
unused for 2 h of ``emulator.clock`` -> AUTH_EXPIRED (envelope as recorded: requestId 0,
version null). The fault ``expire_key`` expires the key used by the matching request.

Download hosts (own services, so faults can target them): ``dds`` at ``/dds/download/<token>``
and ``/dds/download-staging/<token>`` (404 until prepared), ``landsatlook`` at
``/landsatlook/gen-bundle?landsat_product_id=..&requestSignature=..`` (signed; 403 if the signature
is wrong) and ``/landsatlook/gen-browse?type=refl|therm&size=thumb|rrb|full&product_id=..`` (PNG);
``ims`` at ``/ims/browse/..`` (browse JPEGs) and ``/ims/wms/..`` (a per-scene WMS; see :mod:`.ims`).
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass

from ..http import Request, Response, file_response, json_response
from . import api_catalog, api_downloads, bundles
from .catalog import Catalog
from .common import M2MError, RawJson
from .downloads import DownloadStore
from .ims import ImsService
from .render import SceneRenderer

KEY_LIFETIME = 2 * 3600.0
AUTH_EXPIRED_MESSAGE = "API key has expired due to inactivity"


@dataclass
class ApiSession:
    api_key: str
    username: str
    session_id: int
    last_used: float
    expired: bool = False
    logged_out: bool = False


@dataclass
class Call:
    """What an endpoint handler gets."""

    service: M2MService
    request: Request
    payload: dict
    session: ApiSession | None
    request_id: int

    def require(self, name: str):
        value = self.payload.get(name)
        if value in (None, "", []):
            raise M2MError("INPUT_PARAMETER_INVALID", f"{name} is required")
        return value


ENDPOINTS = {**api_catalog.ENDPOINTS, **api_downloads.ENDPOINTS}
NO_AUTH = {"login-token"}


class M2MService:
    name = "m2m"

    def __init__(self, emulator):
        self.emulator = emulator
        self.prefix = emulator.m2m_prefix
        config = emulator.config
        self.catalog = Catalog(config.landsat_scenes, config.seed)
        self.renderer = SceneRenderer(emulator.base_url)
        self.downloads = DownloadStore(secrets.token_bytes(16), emulator.base_url)
        self.sessions: dict[str, ApiSession] = {}
        self.scene_lists: dict[tuple[str, str], dict[str, str]] = {}
        self._lock = threading.Lock()
        self._request_id = 725_000_000
        self._session_id = 48_213_000
        threading.Thread(target=self.catalog.ensure, name="m2m-catalog", daemon=True).start()

    def extra_services(self) -> list:
        return [DdsService(self), LandsatLookService(self), ImsService(self)]

    @property
    def cache_dir(self):
        return self.emulator.config.cache_dir

    # -- envelope -----------------------------------------------------------------------
    def _next_request_id(self) -> int:
        with self._lock:
            self._request_id += 1
            return self._request_id

    @staticmethod
    def envelope(request_id: int, session: ApiSession | None, data_json: str) -> Response:
        session_id = "null" if session is None else str(session.session_id)
        body = (f'{{"requestId":{request_id},"version":"stable","sessionId":{session_id},"data":{data_json},'
                f'"errorCode":null,"errorMessage":null}}')
        return Response(200, {"Content-Type": "application/json"}, body.encode("utf-8"))

    @staticmethod
    def error(request_id: int, session: ApiSession | None, code: str, message: str, status: int = 200) -> Response:
        if code == "AUTH_EXPIRED":
            payload = {"errorCode": code, "errorMessage": message, "data": None, "requestId": 0,
                       "sessionId": None, "version": None}
        else:
            payload = {"requestId": request_id, "version": "stable",
                       "sessionId": session.session_id if session else None, "data": None,
                       "errorCode": code, "errorMessage": message}
        return json_response(payload, status=status)

    # -- dispatch -----------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        request_id = self._next_request_id()
        endpoint = request.route.strip("/")
        handler = ENDPOINTS.get(endpoint)
        if handler is None:
            return self.error(request_id, None, "NOT_FOUND", "Invalid Endpoint", 404)
        try:
            payload = request.json()
        except (ValueError, UnicodeDecodeError):
            return self.error(request_id, None, "INPUT_FORMAT", "Invalid JSON format in request body", 400)
        if payload is None:
            payload = {}
        if not isinstance(payload, dict):
            return self.error(request_id, None, "INPUT_FORMAT", "The request body must be a JSON object", 400)
        call = Call(self, request, payload, None, request_id)
        try:
            if endpoint not in NO_AUTH:
                call.session = self._authenticate(request)
            data = handler(call)
        except M2MError as exc:
            return self.error(request_id, call.session, exc.code, exc.message, exc.status)
        if isinstance(data, RawJson):
            return self.envelope(request_id, call.session, data.text)
        return self.envelope(request_id, call.session, json.dumps(data, separators=(",", ":")))

    def _authenticate(self, request: Request) -> ApiSession:
        key = request.header("x-auth-token")
        if not key:
            raise M2MError("AUTH_INVALID", "User credential verification failed")
        now = self.emulator.clock.now()
        with self._lock:
            session = self.sessions.get(key)
            if session is None or session.logged_out:
                raise M2MError("AUTH_KEY_INVALID", "Invalid API key")
            if self.emulator.faults.take(request.service, request.route, "expire_key"):
                session.expired = True
            if session.expired or now - session.last_used > KEY_LIFETIME:
                session.expired = True
                raise M2MError("AUTH_EXPIRED", AUTH_EXPIRED_MESSAGE)
            session.last_used = now
            return session

    def login(self, username, token) -> str:
        config = self.emulator.config
        if not isinstance(username, str) or not isinstance(token, str) or not username or not token:
            raise M2MError("AUTH_INVALID", "User credential verification failed")
        if config.m2m_users_without_access.get(username) == token:
            raise M2MError("AUTH_UNAUTHROIZED", "Your account does not have access to this endpoint")
        if config.m2m_accounts.get(username) != token:
            raise M2MError("AUTH_INVALID", "User credential verification failed")
        key = secrets.token_urlsafe(48)
        with self._lock:
            self._session_id += 1
            self.sessions[key] = ApiSession(key, username, self._session_id, self.emulator.clock.now())
        return key


def _not_found(message: str = "Not found") -> Response:
    return json_response({"detail": message}, status=404)


class DdsService:
    """``/dds/download/<token>`` and ``/dds/download-staging/<token>``."""

    name = "dds"
    prefix = "/dds/"

    def __init__(self, m2m: M2MService):
        self.m2m = m2m

    def handle(self, request: Request) -> Response:
        kind, _, token = request.route.partition("/")
        if request.method not in ("GET", "HEAD") or kind not in ("download", "download-staging"):
            return _not_found()
        download = self.m2m.downloads.from_token(token)
        if download is None or download.state == "removed":
            return _not_found("Download not found")
        if download.state != "available":
            return _not_found("Download is not ready yet" if download.state == "preparing" else "Download failed")
        return serve_download(self.m2m, request, download)


def serve_download(m2m: M2MService, request: Request, download) -> Response:
    download.attempts += 1
    scene = download.scene
    other = download.product.get("source")
    if other is not None:  # a dataset beyond Landsat: its product file, named as that product names it
        product = other[1]
        path = product.make(m2m.cache_dir, scene)
        return file_response(request, path, filename=product.file_name(scene), content_type=product.content_type)
    if download.file_name is None:
        path = bundles.bundle(m2m.cache_dir, scene)
        return file_response(request, path, filename=f"{scene.display_id}.tar", content_type="application/x-tar")
    path = bundles.band_file(m2m.cache_dir, scene, download.file_name)
    content_type = "image/tiff" if path.suffix == ".TIF" else "text/plain"
    return file_response(request, path, filename=path.name, content_type=content_type)


class LandsatLookService:
    """Signed bundle downloads and browse images."""

    name = "landsatlook"
    prefix = "/landsatlook/"

    def __init__(self, m2m: M2MService):
        self.m2m = m2m

    def handle(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _not_found()
        if request.route == "gen-bundle":
            display_id = request.arg("landsat_product_id") or ""
            download = self.m2m.downloads.check_signature(display_id, request.arg("requestSignature") or "")
            if download is None or download.scene.display_id != display_id:
                return json_response({"detail": "Invalid or expired request signature."}, status=403)
            if download.state != "available":
                return _not_found("Download is not available")
            return serve_download(self.m2m, request, download)
        if request.route == "gen-browse":
            scene = self.m2m.catalog.by_display_id(request.arg("product_id") or "")
            if scene is None:
                return _not_found("Unknown product")
            path = bundles.browse_image(self.m2m.cache_dir, scene, request.arg("type") or "refl",
                                        request.arg("size") or "rrb")
            return file_response(request, path, filename=path.name, content_type="image/png")
        return _not_found()
