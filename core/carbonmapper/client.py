"""The Carbon Mapper platform API client: authentication, requests, typed errors.

Two ways to sign in:

- a scoped API token (the normal path): sent as ``Authorization: Bearer <token>``;
- email and password: ``token/pair`` gives an access and a refresh token; when the access
  token expires (401 ``token_not_valid``) the client calls ``token/refresh`` once and retries;
  when the refresh token is refused too, it pairs again (the password is known) or raises
  :class:`AuthExpiredError` (built from a refresh token alone).

Every token is registered with :func:`register_secret` so it never reaches a log or an error
message, and goes only to the API's origin: requests to absolute URLs elsewhere are refused, and
redirects are followed to the same origin only (:mod:`..redirects`). Errors come out as the typed
exceptions of :mod:`core.errors`, carrying the service's ``detail``. A cancel ends a request in
flight (and its streamed body) at once (:mod:`..inflight`).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import requests

from ..cancel import CancelCheck, raise_if_cancelled
from ..connection_errors import connection_error
from ..errors import (
    AuthExpiredError,
    AuthInvalidError,
    ForbiddenError,
    MalformedAnswerError,
    RedirectRefusedError,
    SceneFinderError,
    ServiceUnavailableError,
)
from ..http import error_for_status, make_session, response_detail
from ..inflight import interruptible
from ..parsing import as_dict, as_opt_str
from ..redact import redact, redact_url, register_secret
from ..redirects import SAME_ORIGIN, same_origin, with_redirects
from ..urls import check_url_allowed
from .config import carbonmapper_url_from_env

LOG = logging.getLogger(__name__)

SERVICE = "Carbon Mapper"
TOKEN_HELP = (
    "Create an API token in your Carbon Mapper platform account settings "
    "(https://platform.carbonmapper.org, API tokens), or follow the scoped token tutorial "
    "(https://github.com/carbon-mapper/platform-public/blob/main/tutorials/scoped_token.ipynb), "
    "and enter it in the Scene Finder settings."
)


class CarbonMapperClient:
    """Authenticated access to ``base_url`` (default: SCENE_FINDER_CARBONMAPPER_URL or the real API)."""

    def __init__(
        self,
        token: str | None = None,
        *,
        email: str | None = None,
        password: str | None = None,
        refresh_token: str | None = None,
        base_url: str | None = None,
        session: requests.Session | None = None,
        cancel: CancelCheck = None,
    ):
        self.base_url = (base_url or carbonmapper_url_from_env()).rstrip("/") + "/"
        check_url_allowed(self.base_url)
        if not (token or (email and password) or refresh_token):
            raise AuthInvalidError("A Carbon Mapper API token (or email and password) is needed. " + TOKEN_HELP)
        for secret in (token, password, refresh_token):
            register_secret(secret)
        # same-origin redirects only: tokens, the password and the email never reach another host
        self.session = with_redirects(session, SAME_ORIGIN) if session is not None else make_session()
        self.cancel = cancel
        self.email = email
        self._token = token  # scoped API token: used as is
        self._password = password
        self._access: str | None = None
        self._refresh = refresh_token
        self._renew_lock = threading.RLock()  # download workers may all find the token expired at once

    # --- addresses and headers ------------------------------------------------------------
    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (relative to the API root, or already absolute)."""
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url + path.lstrip("/")

    def auth_headers(self) -> dict[str, str]:
        """The Authorization header (signs in first when email/password is used)."""
        if self._token:
            return {"Authorization": f"Bearer {self._token}"}
        with self._renew_lock:
            if self._access is None:
                self._renew()
            return {"Authorization": f"Bearer {self._access}"}

    def header_provider(self) -> BearerHeaders:
        """Headers for downloads that may outlive the access token: asked at each request, renewed on 401."""
        return BearerHeaders(self)

    def renew_refused(self, refused: dict[str, str]) -> bool:
        """The service answered 401 to the headers ``refused``: renew the access token (once, however many
        downloads were refused it) and say whether new headers are worth a try. A scoped API token cannot
        be renewed: False."""
        if not self.uses_password:
            return False
        with self._renew_lock:
            if self._access is not None and refused.get("Authorization") != f"Bearer {self._access}":
                return True  # another download renewed it meanwhile
            LOG.info("Carbon Mapper access token refused during a download: renewing it")
            self._renew()
            return True

    @property
    def uses_password(self) -> bool:
        return self._token is None

    # --- requests -------------------------------------------------------------------------
    def request(self, method: str, path: str, *, stream: bool = False, **kwargs) -> requests.Response:
        """Send an authenticated request; return the successful response or raise a typed error.

        A 401 on an expired access token (email/password sign-in) is handled by refreshing once.
        """
        url = self.url(path)
        check_url_allowed(url)
        if not same_origin(url, self.base_url):  # an absolute URL from an answer (a STAC next link)
            raise RedirectRefusedError(
                f"{SERVICE} pointed to an address on another host ({redact_url(url).split('?', 1)[0]}). "
                f"Scene Finder sends the Carbon Mapper token only to {redact_url(self.base_url)}.",
                service=SERVICE,
            )
        response = self._send(method, url, stream=stream, **kwargs)
        if response.status_code == 401 and self.uses_password:
            LOG.info("Carbon Mapper access token refused (%s): renewing it", _code(response))
            response.close()
            self._renew()
            response = self._send(method, url, stream=stream, **kwargs)
        if response.status_code >= 400:
            try:
                raise self._error(response)
            finally:
                response.close()
        return response

    def get(self, path: str, params: dict | list | None = None, *, stream: bool = False) -> requests.Response:
        return self.request("GET", path, params=params, stream=stream)

    def get_json(self, path: str, params: dict | list | None = None) -> Any:
        return _json(self.get(path, params))

    def post_json(self, path: str, body: Any) -> Any:
        return _json(self.request("POST", path, json=body))

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        raise_if_cancelled(self.cancel)
        headers = {**kwargs.pop("headers", {}), **self.auth_headers()}
        try:
            with interruptible(self.cancel):
                return self.session.request(method, url, headers=headers, **kwargs)
        except requests.exceptions.RetryError as error:
            raise ServiceUnavailableError(
                f"{SERVICE} kept refusing the request (too many retries). Try again later.",
                service_message=redact(str(error)), service=SERVICE,
            ) from None
        except requests.exceptions.RequestException as error:
            raise connection_error(error, SERVICE, self.base_url) from None

    # --- email/password tokens --------------------------------------------------------------
    def _sign_in(self) -> None:
        if not (self.email and self._password):
            raise AuthExpiredError(
                "The Carbon Mapper session expired and no password is known to sign in again. " + TOKEN_HELP,
                service=SERVICE,
            )
        data = self._token_call("token/pair", {"email": self.email, "password": self._password})
        if data is None:
            raise AuthInvalidError(
                "Carbon Mapper did not accept the email and password. Check them, or use an API token: "
                + TOKEN_HELP, service=SERVICE, status=401,
            )
        self._take_tokens(data)

    def _renew(self) -> None:
        """New access token: refresh once, else pair again when the password is known."""
        self._access = None
        if self._refresh:
            data = self._token_call("token/refresh", {"refresh": self._refresh})
            if isinstance(data, dict) and data.get("access"):
                self._take_tokens(data)
                return
            self._refresh = None
        self._sign_in()

    def _token_call(self, path: str, body: dict) -> dict | None:
        """POST a token endpoint (no bearer); None when the credentials were refused (401)."""
        url = self.url(path)
        raise_if_cancelled(self.cancel)
        try:
            with interruptible(self.cancel):
                response = self.session.post(url, json=body)
        except requests.exceptions.RequestException as error:
            raise connection_error(error, SERVICE, self.base_url, "to sign in") from None
        if response.status_code in (400, 401, 403):
            LOG.info("Carbon Mapper %s refused: %s", path, response_detail(response))
            return None
        if response.status_code >= 400:
            raise self._error(response)
        return _json(response)

    def _take_tokens(self, data: Any) -> None:
        data = as_dict(data, "token", SERVICE, optional=False)
        access = as_opt_str(data.get("access"), "access", SERVICE)
        refresh = as_opt_str(data.get("refresh"), "refresh", SERVICE)
        if not access:
            raise MalformedAnswerError(f"{SERVICE} answered the sign-in without an access token.", field="access",
                                       service=SERVICE)
        register_secret(access)
        register_secret(refresh)
        self._access = access
        self._refresh = refresh or self._refresh

    # --- errors -----------------------------------------------------------------------------
    def _error(self, response: requests.Response) -> SceneFinderError:
        error = error_for_status(response, SERVICE) or SceneFinderError(service=SERVICE)
        said = error.service_message
        common = dict(service_message=said, status=response.status_code, service=SERVICE, code=_code(response))
        if response.status_code == 401:
            if self.uses_password:
                error = AuthExpiredError(
                    "Carbon Mapper refused the sign-in even after renewing it. Sign in again.", **common
                )
            else:
                error = AuthInvalidError(
                    "Carbon Mapper did not accept the API token (wrong, expired or revoked).", **common
                )
        elif response.status_code == 403:
            error = ForbiddenError(
                "Carbon Mapper refused access (HTTP 403): the token's scope or your account does not allow this.",
                **common,
            )
        else:
            error.code = common["code"]
        message = error.message
        if said:
            message += f" Carbon Mapper said: {said}"
        if response.status_code in (401, 403):
            message += " " + TOKEN_HELP
        error.message = redact(message)
        error.args = (error.message,)
        return error


class BearerHeaders:
    """The :class:`~..download.HeaderProvider` of a client: its current bearer header."""

    def __init__(self, client: CarbonMapperClient):
        self.client = client

    def __call__(self) -> dict[str, str]:
        return self.client.auth_headers()

    def refresh(self, refused: dict[str, str]) -> bool:
        return self.client.renew_refused(refused)

    def __repr__(self) -> str:  # no token in a repr
        return f"BearerHeaders({redact_url(self.client.base_url)})"


def _code(response: requests.Response) -> str:
    """The service's error code (ninja-jwt ``code``, e.g. token_not_valid), else the status."""
    try:
        data = response.json()
    except (ValueError, RecursionError):
        return str(response.status_code)
    if isinstance(data, dict) and isinstance(data.get("code"), str):
        return data["code"]
    return str(response.status_code)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the decoder goes
        raise ServiceUnavailableError(
            f"{SERVICE} answered with something that is not JSON.",
            service_message=response_detail(response), status=response.status_code, service=SERVICE,
        ) from None
