"""One exception hierarchy for both services.

Every error carries the service's own code and message (when there is one) and a message
for the user that says what to do. ``str(error)`` is that user message; it never contains
a token, an API key or a signed URL (see :mod:`.redact`).
"""

from __future__ import annotations

from .redact import redact


class SceneFinderError(Exception):
    """Base of every error the plugin raises on purpose."""

    default_message = "Something went wrong."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        service_message: str | None = None,
        status: int | None = None,
        service: str | None = None,
    ):
        self.code = code
        if service_message is not None and not isinstance(service_message, str):
            service_message = str(service_message)  # what a service said may be any JSON value
        self.service_message = redact(service_message) if service_message else service_message
        self.status = status
        self.service = service
        self.message = redact(message or self.default_message)
        super().__init__(self.message)

    def details(self) -> str:
        """The message with the service's code and text, for the log."""
        parts = [self.message]
        if self.code or self.service_message:
            said = f"{self.code or self.status or ''} {self.service_message or ''}".strip()
            parts.append(f"[{self.service or 'service'} said: {said}]")
        return " ".join(p.strip() for p in parts if p)


class CancelledError(SceneFinderError):
    default_message = "Cancelled."


class BadInputError(SceneFinderError):
    """The request was refused because of what we sent (INPUT_*, 400, 422, an invalid AOI...)."""

    default_message = "The service refused the request's parameters. Check the search settings and try again."


class InsecureUrlError(BadInputError):
    default_message = "Only https:// service URLs are allowed (plain http:// only for this computer)."


class AuthError(SceneFinderError):
    default_message = "Sign-in failed. Check the credentials in the Scene Finder settings."


class AuthInvalidError(AuthError):
    default_message = (
        "The username or token was not accepted. Check them, or create a new application token "
        "on your ERS profile page (https://ers.cr.usgs.gov/)."
    )


class AuthUnauthorizedError(AuthError):
    """AUTH_UNAUTHROIZED (sic): the ERS account has no M2M access yet."""

    default_message = (
        "Your ERS account does not have access to the M2M API yet. Sign in to "
        "https://ers.cr.usgs.gov/, open Access Request, choose \"Access to EE's Machine to Machine "
        "interface (MACHINE)\" and submit the form; USGS usually answers within a few days."
    )


class AuthExpiredError(AuthError):
    default_message = "The session expired. Sign in again."


class AuthRevokedError(AuthError):
    default_message = "The session was revoked by the service. Sign out and sign in again."


class ForbiddenError(AuthError):
    default_message = "Your account is not allowed to do this."


class RateLimitError(SceneFinderError):
    default_message = "The service is limiting requests. Wait a few minutes and try again."

    def __init__(self, message: str | None = None, *, retry_after: float | None = None, **kwargs):
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class NotFoundError(SceneFinderError):
    default_message = "The service did not find what was asked for."


class ServiceUnavailableError(SceneFinderError):
    default_message = "The service is unavailable or answered with something unexpected. Try again later."


class DownloadError(SceneFinderError):
    default_message = "A download failed. Try again; completed files are kept and partial ones resume."


class RedirectRefusedError(SceneFinderError):
    """A redirect (or a ``next`` link) that would take a request, or its credentials, where they must not go."""

    default_message = "The service redirected the request to an address Scene Finder does not follow."


class PagingError(ServiceUnavailableError):
    """A paged answer that does not move on: the same page again, no progress, or more pages than can be."""

    default_message = "The service kept answering the same page. Try again later, or narrow the search."


class MalformedAnswerError(ServiceUnavailableError):
    """An answer that is valid JSON (or valid headers) but not the shape the service documents.

    Raised by the parsers of :mod:`.parsing` with the path of the field that could not be
    read (``field``); the value itself, shortened and redacted, goes to ``service_message`` for
    the log only.
    """

    default_message = (
        "The service answered with data Scene Finder cannot read. Try again later; if it persists, report it."
    )

    def __init__(self, message: str | None = None, *, field: str | None = None, **kwargs):
        self.field = field
        if message is None and field:
            who = kwargs.get("service") or "The service"
            message = (f"{who} answered with data Scene Finder cannot read (field {field}). "
                       "Try again later; if it persists, report it.")
        kwargs.setdefault("code", "MALFORMED_ANSWER")
        super().__init__(message, **kwargs)
