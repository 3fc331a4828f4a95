"""The M2M JSON client: login with an application token, calls with ``X-Auth-Token``, logout.

Behaviour worth knowing:

- The first :meth:`M2MClient.call` logs in when needed; ``with M2MClient(...) as client`` logs in
  on entry and always logs out on exit (also after an error).
- HTTP 429/5xx are retried by the session's urllib3 ``Retry`` (bounded, honouring Retry-After);
  the M2M ``RATE_LIMIT`` envelope is retried here ``rate_limit_retries`` times with exponential
  backoff; then :class:`RateLimitError`.
- A cancel ends a call in flight, and its retry waits, within a fraction of a second
  (:mod:`..inflight`); the logout after a cancel still gets :data:`LOGOUT_GRACE` seconds.
- ``AUTH_EXPIRED`` or ``AUTH_KEY_INVALID`` in the middle of a session: one transparent fresh
  login and one retry of the same call.
- Any body that is not an M2M envelope (HTML maintenance page, empty, proxy page) becomes a
  :class:`ServiceUnavailableError`; never a JSON decoding error.
- The token and the API key are registered with :mod:`..redact`, so they are masked in every
  log line and error message; redirects are followed to the same origin only (:mod:`..redirects`),
  so neither they nor the username reach another host.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from ..cancel import CancelCheck, raise_if_cancelled, with_grace
from ..connection_errors import connection_error
from ..errors import AuthError, BadInputError, MalformedAnswerError, SceneFinderError
from ..gc_pause import collector_paused
from ..http import make_session, response_detail, retry_after_seconds
from ..inflight import interruptible, wait
from ..json_items import decode_with_items
from ..redact import register_secret
from ..redirects import SAME_ORIGIN, with_redirects
from ..urls import check_url_allowed
from .config import m2m_url_from_env
from .errors import RATE_LIMIT_CODES, RELOGIN_CODES, SERVICE, envelope_error, error_for_http

LOG = logging.getLogger(__name__)

# Seconds to connect, and to wait for the answer (a 10,000-scene page takes a while to build).
DEFAULT_TIMEOUT = (20.0, 300.0)
# Seconds a logout may still take once the work was cancelled (the key expires by itself anyway).
LOGOUT_GRACE = 3.0


class M2MClient:
    """One M2M session. Not meant to be shared between threads making calls at the same time."""

    def __init__(
        self,
        username: str,
        token: str,
        base_url: str | None = None,
        session: requests.Session | None = None,
        cancel: CancelCheck = None,
        *,
        rate_limit_retries: int = 3,
        rate_limit_backoff: float = 5.0,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    ):
        if not username or not token:
            raise BadInputError("An ERS username and an M2M application token are needed.")
        register_secret(token)
        self.username = username
        self._token = token
        url = (base_url or m2m_url_from_env()).strip()
        self.base_url = url if url.endswith("/") else url + "/"
        check_url_allowed(self.base_url)
        # same-origin redirects only: the key, the token and the username never reach another host
        self.session = with_redirects(session, SAME_ORIGIN) if session is not None else make_session()
        self._owns_session = session is None  # a caller's session is the caller's to close
        self.cancel = cancel
        self.rate_limit_retries = max(0, int(rate_limit_retries))
        self.rate_limit_backoff = max(0.0, float(rate_limit_backoff))
        self.timeout = timeout
        self._api_key: str | None = None
        self.calls = 0  # HTTP requests sent (not counting the session's own retries)

    def __repr__(self) -> str:
        return f"M2MClient({self.username!r}, base_url={self.base_url!r}, logged_in={self.logged_in})"

    @property
    def logged_in(self) -> bool:
        return self._api_key is not None

    # -- session life cycle ------------------------------------------------------------
    def login(self) -> None:
        """Exchange the username and application token for an API key (``login-token``)."""
        self._api_key = None
        data = self._call_with_rate_limit("login-token", {"username": self.username, "token": self._token},
                                          auth=False)
        if not isinstance(data, str) or not data:
            raise MalformedAnswerError("USGS M2M did not return an API key after sign-in.", field="data",
                                       service=SERVICE)
        register_secret(data)
        self._api_key = data
        LOG.info("Signed in to USGS M2M as %s", self.username)

    def logout(self) -> None:
        """End the session (the API key stops working). Never raises: the key expires anyway."""
        if self._api_key is None:
            return
        try:
            self._post("logout", None, auth=True, cancellable=False)  # also after a cancel
        except SceneFinderError as exc:
            LOG.info("USGS M2M logout failed (the key expires by itself): %s", exc.details())
        finally:
            self._api_key = None

    def __enter__(self) -> M2MClient:
        if self._api_key is None:
            self.login()
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.logout()
        finally:
            if self._owns_session:  # its pooled connections end with the block (a later call reconnects)
                self.session.close()

    # -- calls ---------------------------------------------------------------------------
    def call(self, endpoint: str, payload: dict | None = None, *,
             convert: Callable[[Any], Any] | None = None, each_result: Callable[[Any], Any] | None = None,
             answered: requests.Response | None = None) -> Any:
        """POST ``payload`` to ``endpoint`` and return the envelope's ``data``; typed errors otherwise.

        ``convert(data)``, when given, turns the data into what is returned while the cyclic
        garbage collector is still paused after decoding (see :func:`_decode_json`): for big
        answers that are turned into other objects at once, like scene-search pages.
        ``each_result(item)``, when given, makes each item of ``data.results`` into a record as the
        answer is decoded (:mod:`..json_items`), before ``convert`` sees the data.
        ``answered``: this call's answer, already received by :meth:`answer` (a page asked for
        ahead); when it says to wait or to sign in again, the call is made again the usual way.
        """
        if answered is not None:
            try:
                with collector_paused():
                    return self._data_from(endpoint, answered, convert, each_result)
            except SceneFinderError as exc:
                if exc.code not in RATE_LIMIT_CODES and exc.code not in RELOGIN_CODES:
                    raise
                LOG.info("USGS M2M %s answered ahead with %s: asking again", endpoint, exc.code)
        if self._api_key is None:
            self.login()
        try:
            return self._call_with_rate_limit(endpoint, payload, auth=True, convert=convert, each_result=each_result)
        except AuthError as exc:
            if exc.code not in RELOGIN_CODES:
                raise
            LOG.info("USGS M2M session ended (%s): signing in again once", exc.code)
        self.login()
        return self._call_with_rate_limit(endpoint, payload, auth=True, convert=convert, each_result=each_result)

    def _call_with_rate_limit(self, endpoint: str, payload: dict | None, *, auth: bool,
                              retries: int | None = None, convert: Callable[[Any], Any] | None = None,
                              each_result: Callable[[Any], Any] | None = None) -> Any:
        retries = self.rate_limit_retries if retries is None else retries
        attempt = 0
        while True:
            try:
                return self._post(endpoint, payload, auth=auth, convert=convert, each_result=each_result)
            except SceneFinderError as exc:
                if exc.code not in RATE_LIMIT_CODES or attempt >= retries:
                    raise
                seconds = self.rate_limit_backoff * (2 ** attempt)
                LOG.info("USGS M2M %s: %s; retrying in %.1f s", endpoint, exc.code, seconds)
                wait(seconds, self.cancel)
                attempt += 1

    def answer(self, endpoint: str, payload: dict | None = None) -> requests.Response:
        """Send an authenticated call and receive its answer, not decoded yet: for :meth:`call`'s
        ``answered``. Any thread; one call at a time all the same (the service takes one per user)."""
        if self._api_key is None:
            self.login()
        return self._send(endpoint, payload, auth=True)

    def _post(self, endpoint: str, payload: dict | None, *, auth: bool,
              convert: Callable[[Any], Any] | None = None, each_result: Callable[[Any], Any] | None = None,
              cancellable: bool = True) -> Any:
        response = self._send(endpoint, payload, auth=auth, cancellable=cancellable)
        with collector_paused():  # see _decode_json; resumed once ``convert`` has run
            return self._data_from(endpoint, response, convert, each_result)

    def _send(self, endpoint: str, payload: dict | None, *, auth: bool,
              cancellable: bool = True) -> requests.Response:
        cancel = self.cancel if cancellable else with_grace(self.cancel, LOGOUT_GRACE)
        if cancellable:
            raise_if_cancelled(cancel)
        url = self.base_url + endpoint
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if auth and self._api_key:
            headers["X-Auth-Token"] = self._api_key
        body = json.dumps(payload if payload is not None else {})
        started = time.monotonic()
        self.calls += 1
        try:
            with interruptible(cancel):
                response = self.session.post(url, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise connection_error(exc, SERVICE, url) from None
        LOG.debug("M2M %s -> HTTP %s in %.2f s", endpoint, response.status_code, time.monotonic() - started)
        return response

    def _data_from(self, endpoint: str, response: requests.Response, convert: Callable[[Any], Any] | None,
                   each_result: Callable[[Any], Any] | None = None) -> Any:
        envelope = None
        made = False  # data.results made by each_result while decoding
        content_type = response.headers.get("Content-Type", "")
        if "html" not in content_type.lower():
            envelope, made = _decode_answer(response.content, each_result)
        is_envelope = isinstance(envelope, dict) and ("errorCode" in envelope or "data" in envelope)
        error = envelope_error(envelope, response.status_code) if is_envelope else None
        if error is not None:
            LOG.debug("M2M %s failed: %s", endpoint, error.details())
            raise error
        if response.status_code != 200 or not is_envelope:
            error = error_for_http(response.status_code, response_detail(response), retry_after_seconds(response))
            LOG.debug("M2M %s failed: %s", endpoint, error.details())
            raise error
        data = envelope.pop("data", None)
        del envelope
        if each_result is not None and not made and isinstance(data, dict) and isinstance(data.get("results"), list):
            data["results"] = [each_result(item) for item in data["results"]]  # raises what each_result raises
        return convert(data) if convert is not None else data


def _decode_answer(body: bytes, each_result: Callable[[Any], Any] | None) -> tuple[Any, bool]:
    """The decoded body (None when it is not JSON), and whether ``each_result`` made its ``data.results``
    as they were decoded. An answer that cannot be so decoded (not JSON, an error envelope whose
    results are no scenes...) is decoded the usual way, and its checks report it."""
    if each_result is not None and body and body.lstrip()[:1] == b"{":
        try:
            return decode_with_items(body, ("data", "results"), each_result), True
        except (ValueError, RecursionError) as error:
            LOG.debug("answer decoded again the usual way: %s", error)
    return _decode_json(body), False


def _decode_json(body: bytes) -> Any:
    """The decoded body, or None when it is not JSON.

    The caller pauses the cyclic garbage collector around this: a 10,000-scene page is ~18 MB
    of JSON, millions of new objects that would trigger it again and again (slower the more
    scenes are already held), and that it would scan once more right after the pause unless
    they are freed first. Nothing in a JSON document can form a cycle: reference counting
    frees it all.
    """
    if not body or body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the decoder goes
        return None
