"""The services Scene Finder talks to, and the one place their clients are made.

Each :class:`Service` says what the panel and Processing need to know about a service (its id in
the auth database, its names, its configured URL) and :func:`connect` opens a client for it:
an ``M2MClient`` logged in for the block and logged out after it (also after a cancel), or a
``CarbonMapperClient``. Nothing else outside ``core/`` constructs a service client.

Credentials and the HTTP session travel as an :class:`Access`, read on the main thread by the
caller (reading the auth database may prompt for the master password; the session reads QGIS's
proxy settings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..core.cancel import CancelCheck
from ..core.redact import register_secret
from . import settings
from .auth import SERVICE_CARBONMAPPER, SERVICE_M2M, carbonmapper_auth_kwargs


@dataclass(frozen=True)
class Access:
    """Who signs in and through which session: ``(username, secret)`` as :mod:`.auth` stores them."""

    username: str
    secret: str = field(repr=False)
    session: Any = field(default=None, repr=False)  # requests.Session (None: the client makes one)
    base_url: str | None = None  # None: the configured URL of the service

    @classmethod
    def of(cls, credentials: tuple[str, str], session: Any = None, base_url: str | None = None) -> Access:
        return cls(credentials[0], credentials[1], session, base_url)


def _m2m_client(access: Access, cancel: CancelCheck) -> Any:
    from ..core.m2m.client import M2MClient

    return M2MClient(access.username, access.secret, base_url=access.base_url or settings.m2m_url(),
                     session=access.session, cancel=cancel)


def _carbonmapper_client(access: Access, cancel: CancelCheck) -> Any:
    from ..core.carbonmapper.client import CarbonMapperClient

    return CarbonMapperClient(**carbonmapper_auth_kwargs(access.username, access.secret),
                              base_url=access.base_url or settings.carbonmapper_url(), session=access.session,
                              cancel=cancel)


def _m2m_check(client: Any) -> None:
    """Nothing more to do: :func:`connect` has logged in (AuthError when refused)."""


def _carbonmapper_check(client: Any) -> None:
    """The scenes catalog needs a valid token (plumes do not); limit=0 returns just the empty schema."""
    client.get("catalog/download/scenes.gpkg", {"limit": 0}).close()


@dataclass(frozen=True)
class Service:
    id: str  # as in the auth database and the settings: "m2m", "carbonmapper"
    short_name: str  # "USGS" (untranslated; the panel translates its own sentences)
    title: str  # the sign-in box's title
    url: Callable[[], str]  # the configured base URL (environment, setting, default)
    make_client: Callable[[Access, CancelCheck], Any]
    logs_in: bool  # the client is a context manager that logs in and out
    check: Callable[[Any], None]  # a cheap call that fails with AuthError when the credentials do not work
    token_sign_in: bool  # signs in with an API token alone, or with an email and password


SERVICES: dict[str, Service] = {
    SERVICE_M2M: Service(
        SERVICE_M2M, "USGS", "USGS EarthExplorer (M2M)", settings.m2m_url, _m2m_client, True, _m2m_check, False),
    SERVICE_CARBONMAPPER: Service(
        SERVICE_CARBONMAPPER, "Carbon Mapper", "Carbon Mapper", settings.carbonmapper_url, _carbonmapper_client,
        False, _carbonmapper_check, True),
}


def service(service_id: str) -> Service:
    try:
        return SERVICES[service_id]
    except KeyError:
        raise ValueError(f"Unknown service {service_id!r}") from None


def make_client(service_id: str, access: Access, cancel: CancelCheck = None) -> Any:
    """A client of the service (not logged in yet); prefer :func:`connect`."""
    register_secret(access.secret)
    return service(service_id).make_client(access, cancel)


@contextmanager
def connect(service_id: str, access: Access, cancel: CancelCheck = None) -> Iterator[Any]:
    """A client of the service for the block: logged in on entry and out on exit where the service has sessions."""
    client = make_client(service_id, access, cancel)
    if service(service_id).logs_in:
        with client:
            yield client
    else:
        yield client
