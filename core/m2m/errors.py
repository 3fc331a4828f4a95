"""M2M error codes (envelope ``errorCode``) mapped onto the plugin's one error hierarchy.

Codes from https://m2m.cr.usgs.gov/api/docs/exceptioncodes/ plus those seen in the wild
(AUTH_EXPIRED, AUTH_REVOKED, UNAUTHORIZED_USER; AUTH_UNAUTHROIZED is spelled so by the service).
"""

from __future__ import annotations

from ..errors import (
    AuthExpiredError,
    AuthInvalidError,
    AuthRevokedError,
    AuthUnauthorizedError,
    BadInputError,
    ForbiddenError,
    NotFoundError,
    RateLimitError,
    SceneFinderError,
    ServiceUnavailableError,
)
from ..parsing import as_str

SERVICE = "USGS M2M"

# Codes after which one fresh login and a retry of the same call can succeed.
RELOGIN_CODES = frozenset({"AUTH_EXPIRED", "AUTH_KEY_INVALID"})
RATE_LIMIT_CODES = frozenset({"RATE_LIMIT", "RATE_LIMIT_USER_DL"})

_NO_ACCESS = AuthUnauthorizedError.default_message
_BY_CODE: dict[str, tuple[type[SceneFinderError], str | None]] = {
    "AUTH_INVALID": (AuthInvalidError, None),
    "AUTH_UNAUTHROIZED": (AuthUnauthorizedError, _NO_ACCESS),
    "AUTH_UNAUTHORIZED": (AuthUnauthorizedError, _NO_ACCESS),
    "UNAUTHORIZED_USER": (AuthUnauthorizedError, _NO_ACCESS),
    "AUTH_EXPIRED": (AuthExpiredError, "The USGS session expired and signing in again did not help. Sign in again."),
    "AUTH_KEY_INVALID": (AuthExpiredError, "The USGS session key is no longer valid. Sign in again."),
    "AUTH_REVOKED": (AuthRevokedError, None),
    "RATE_LIMIT": (RateLimitError, "USGS M2M is limiting requests. Wait a few minutes and try again."),
    "RATE_LIMIT_USER_DL": (
        RateLimitError,
        "USGS download limit reached for this account (too many recent or pending downloads). "
        "Wait about 15 minutes and try again, or request fewer scenes at once.",
    ),
    "NOT_FOUND": (NotFoundError, "USGS M2M did not find what was asked for"),
    "VERSION_UNKNOWN": (BadInputError, "The M2M service URL names an API version the service does not know"),
    "DATASET_INVALID": (BadInputError, "USGS M2M does not know this dataset"),
    "DATASET_UNAUTHORIZED": (ForbiddenError, "Your ERS account may not use this dataset"),
    "DATASET_AUTH": (ForbiddenError, "Your ERS account may not use this dataset"),
    "ORDER_AUTH": (ForbiddenError, "Your ERS account may not order these products"),
    "DOWNLOAD_ERROR": (ServiceUnavailableError, "USGS could not prepare the download. Try again later."),
}


def error_for_code(code: str, service_message: str | None, status: int | None = None) -> SceneFinderError:
    """The typed error for an M2M ``errorCode`` (with the service's own message kept aside)."""
    code = (code or "UNKNOWN").strip()
    cls, message = _BY_CODE.get(code, (None, None))
    if cls is None:
        if code.startswith("INPUT_"):
            cls, message = BadInputError, "USGS M2M refused the request's parameters"
        else:  # SERVER_ERROR, UNKNOWN, ENDPOINT_UNAVAILABLE, SEARCH_*, EXPORT_ERROR, ...
            cls, message = ServiceUnavailableError, "USGS M2M is unavailable or failed. Try again later."
    if cls in (BadInputError, NotFoundError, ForbiddenError) and service_message:
        message = f"{message}: {service_message}"
    elif message and not message.endswith("."):
        message += "."
    return cls(message, code=code, service_message=service_message, status=status, service=SERVICE)


def envelope_error(envelope: dict, status: int | None = None) -> SceneFinderError | None:
    """The typed error an M2M envelope reports (``errorCode``), or None when it reports none.

    ``errorCode`` must be text (a number is taken as its digits); anything else is a
    :class:`MalformedAnswerError`. ``errorMessage`` is the service's own words: only text is
    kept (a number, list or object there is dropped, the code still says what happened).
    """
    code = envelope.get("errorCode")
    if code is None or code == "":
        return None
    code = as_str(code, "errorCode", SERVICE)
    if not code.strip():
        return None
    message = envelope.get("errorMessage")
    if message is not None and not isinstance(message, str):
        message = None
    return error_for_code(code, message, status)


def error_for_http(status: int, said: str | None, retry_after: float | None = None) -> SceneFinderError:
    """The typed error for an answer that is not an M2M envelope (HTML page, empty body, proxy error)."""
    common = dict(code=f"HTTP_{status}", service_message=said, status=status, service=SERVICE)
    if status == 429:
        return RateLimitError(f"USGS M2M is limiting requests (HTTP 429). Wait {int(retry_after or 60)} s "
                              "and try again.", retry_after=retry_after, **common)
    if status in (401, 403):
        return AuthInvalidError(f"USGS M2M refused access (HTTP {status}).", **common)
    if status == 404:
        return NotFoundError("USGS M2M has no such endpoint (HTTP 404): check the M2M service URL.", **common)
    if status >= 500 or status == 200:
        what = f"HTTP {status}" if status != 200 else "not an M2M answer"
        return ServiceUnavailableError(f"USGS M2M is unavailable ({what}); it may be down for maintenance. "
                                       "Try again later.", **common)
    return ServiceUnavailableError(f"USGS M2M answered HTTP {status}.", **common)
