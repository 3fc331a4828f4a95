"""What to tell the user when a request never got an answer from the service.

One place turns the transport exceptions of ``requests`` into our typed errors, so every client
says the same thing:

- a proxy that asks for credentials (HTTP 407, as the answer to the CONNECT of an https:// request
  or as a plain answer) -> :class:`ProxyAuthError`, which says where to enter them and what to do
  when the proxy wants Windows sign-in (NTLM/Kerberos), which requests cannot do;
- a certificate that cannot be verified (an organisation that inspects TLS, a self-signed server)
  -> :class:`CertificateError`, which says how to add the organisation's root certificate to QGIS;
- anything else (DNS, refused, timeout, reset) -> :class:`..errors.ServiceUnavailableError`
  "Could not reach ...".
"""

from __future__ import annotations

import re

import requests

from .errors import SceneFinderError, ServiceUnavailableError
from .redact import redact, redact_url

PROXY_AUTH_HELP = (
    "The proxy asks for credentials (HTTP 407 Proxy Authentication Required). Enter the proxy user and "
    "password in QGIS Settings ▸ Options ▸ Network. If the proxy uses Windows sign-in (NTLM or Kerberos), "
    "which Scene Finder cannot do, ask IT for a proxy exception for the service hosts, or run a local proxy "
    "helper (such as cntlm or px) and point QGIS at it."
)
CERTIFICATE_HELP = (
    "If your organisation inspects encrypted traffic, add its root certificate in QGIS Settings ▸ Options ▸ "
    "Authentication ▸ Certificate Manager ▸ Authorities: Scene Finder trusts those as well as the usual ones."
)

_PROXY_407 = re.compile(r"\b407\b|proxy authentication required", re.IGNORECASE)
_CERTIFICATE = re.compile(r"certificate verify failed|certificate_verify_failed|self[- ]signed certificate|"
                          r"unable to get local issuer|hostname mismatch|doesn't match|CertificateError",
                          re.IGNORECASE)


class ProxyAuthError(SceneFinderError):
    """The proxy in QGIS's network settings refused the request: it wants credentials (HTTP 407)."""

    default_message = PROXY_AUTH_HELP


class CertificateError(SceneFinderError):
    """The service's certificate could not be verified against the trusted authorities."""

    default_message = "The secure connection could not be verified. " + CERTIFICATE_HELP


def _chain(error: BaseException) -> list[BaseException]:
    """``error``, its causes and the exceptions carried in its arguments (urllib3 nests them there)."""
    seen: list[BaseException] = []
    todo = [error]
    while todo and len(seen) < 20:
        current = todo.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        for name in ("reason", "original_error", "__cause__", "__context__"):
            inner = getattr(current, name, None)
            if isinstance(inner, BaseException):
                todo.append(inner)
    return seen


def is_proxy_auth_failure(error: BaseException) -> bool:
    """True when ``error`` is a proxy's 407 (a failed CONNECT tunnel, or a 407 answer turned into ProxyError)."""
    chain = _chain(error)
    if not any(isinstance(e, requests.exceptions.ProxyError) or type(e).__name__ == "ProxyError" for e in chain):
        return False
    return any(_PROXY_407.search(str(e)) for e in chain)


def is_certificate_failure(error: BaseException) -> bool:
    """True when ``error`` is a TLS certificate verification failure."""
    chain = _chain(error)
    if not any(isinstance(e, requests.exceptions.SSLError) or "SSL" in type(e).__name__ for e in chain):
        return False
    return any(_CERTIFICATE.search(str(e)) or type(e).__name__ == "SSLCertVerificationError" for e in chain)


def connection_error(error: BaseException, service: str, url: str | None = None,
                     doing: str | None = None) -> SceneFinderError:
    """The typed error for a request to ``service`` (at ``url``) that got no answer because of ``error``.

    ``doing`` names what was being done ("to sign in"); the service's words are never in it: only
    ``service_message`` (for the log) carries the redacted exception text.
    """
    said = redact(str(error))[:500]
    common = dict(service_message=said, service=service)
    if is_proxy_auth_failure(error):
        return ProxyAuthError(
            f"Could not reach {service}: {PROXY_AUTH_HELP}", code="PROXY_AUTH", status=407, **common
        )
    if is_certificate_failure(error):
        where = f" to {redact_url(url)}" if url else ""
        return CertificateError(
            f"The secure connection{where} ({service}) could not be verified: its certificate is not issued by "
            f"an authority Scene Finder trusts. {CERTIFICATE_HELP}", code="CERTIFICATE", **common
        )
    where = f" at {redact_url(url)}" if url else ""
    what = f" {doing}" if doing else ""
    return ServiceUnavailableError(
        f"Could not reach {service}{where}{what}. Check the network and try again.", code="CONNECTION", **common
    )
