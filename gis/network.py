"""A requests session that goes through the proxy configured in QGIS (Settings > Options > Network).

The QGIS settings read (as QGIS 3.22 stores them):

- ``proxy/proxyEnabled`` (bool), ``proxy/proxyType``: ``HttpProxy``, ``HttpCachingProxy`` (both
  used as an HTTP proxy for http:// and https://, the latter through CONNECT), ``Socks5Proxy``
  (needs PySocks; without it every request that would go through the proxy fails with
  :class:`SocksUnavailableError`, which says what to do: never silently direct), ``DefaultProxy``
  (the system's proxy: for requests that is the environment, ``HTTP(S)_PROXY``/``NO_PROXY``),
  ``FtpCachingProxy`` (FTP only: ignored here);
- ``proxy/proxyHost``, ``proxy/proxyPort``, ``proxy/proxyUser``, ``proxy/proxyPassword``: user and
  password go percent-encoded into the proxy URL, which is never logged (the password is
  registered with :mod:`..core.redact`);
- ``proxy/proxyExcludedUrls`` and ``proxy/noProxyUrls``: lists (older versions: one string
  separated by ``|``). As in QGIS, a request whose URL starts with one of them goes direct.
  An entry without a scheme (``example.com``, ``.example.com``) also matches by host name.

Loopback addresses (the emulator, local services) always go direct. When the proxy is not
enabled the session goes direct, as QGIS does. The decision is made for every request
(redirects included) by an adapter wrapped around the one :func:`..core.http.make_session`
mounted; the session's ``proxies`` mapping shows the proxy too, for information. The same adapter
turns a plain HTTP 407 answer into requests' ``ProxyError``, as requests does for a 407 to CONNECT,
so :mod:`..core.connection_errors` explains both in one place.

The session trusts certifi's certificate authorities plus QGIS's (``session.verify``, see
:mod:`.ca_bundle`); the adapter applies it to every request, since requests would otherwise let
``REQUESTS_CA_BUNDLE`` replace it (that file's authorities are in the bundle too). Make sessions
on the main thread: QGIS settings and its CA cache are read.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from qgis.core import QgsSettings
from requests.adapters import BaseAdapter

from ..core.errors import SceneFinderError
from ..core.http import make_session
from ..core.redact import register_secret
from ..core.urls import is_loopback_host
from .ca_bundle import ca_bundle_path

LOG = logging.getLogger(__name__)

MODE_DIRECT = "direct"
MODE_PROXY = "proxy"
MODE_SYSTEM = "system"


class SocksUnavailableError(SceneFinderError):
    """QGIS is set to a SOCKS proxy, and requests cannot use one without PySocks."""

    default_message = (
        "QGIS is set to use a SOCKS5 proxy (Settings ▸ Options ▸ Network), but the Python module PySocks, "
        "which Scene Finder needs to use it, is not installed. Install it (on Debian or Ubuntu the package "
        "python3-socks; on Windows, in the OSGeo4W shell, python -m pip install PySocks) and restart QGIS, "
        "or switch QGIS to an HTTP proxy."
    )


@dataclass
class ProxyConfig:
    """What the QGIS settings say; ``proxies`` holds the proxy URL (with credentials) per scheme.

    ``error``, when set, is raised for every request that would need the proxy (it cannot be used).
    """

    mode: str = MODE_DIRECT
    proxies: dict[str, str] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)
    description: str = "direct"  # for the log: no credentials
    error: SceneFinderError | None = None

    def bypasses(self, url: str) -> bool:
        """True when a request to ``url`` must not use the proxy (loopback, or excluded in QGIS)."""
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        if is_loopback_host(host):
            return True
        for entry in self.excluded:
            if "://" in entry:
                if url.startswith(entry):
                    return True
            elif _host_matches(host, entry.lower()):
                return True
        return False

    def proxies_for(self, url: str, system_proxies: dict[str, str] | None = None) -> dict[str, str]:
        """The proxies mapping a request to ``url`` is sent with ({} = direct)."""
        if self.bypasses(url):
            return {}
        if self.error is not None:
            raise self.error
        if self.mode == MODE_PROXY:
            return dict(self.proxies)
        if self.mode == MODE_SYSTEM:
            return dict(system_proxies or {})
        return {}


def _host_matches(host: str, entry: str) -> bool:
    entry = entry.strip().rstrip("/")
    if entry.startswith("*."):
        entry = entry[1:]
    if not entry or not host:
        return False
    if entry.startswith("."):
        return host.endswith(entry) or host == entry[1:]
    return host == entry or host.endswith("." + entry)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split("|")
    else:
        items = [str(v) for v in value]
    return [item.strip() for item in items if item and item.strip()]


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def socks_available() -> bool:
    return importlib.util.find_spec("socks") is not None


def read_proxy_config(settings: QgsSettings | None = None, *, have_socks: bool | None = None) -> ProxyConfig:
    """The proxy configuration from the QGIS settings (``have_socks``: whether PySocks can be
    imported; None: look)."""
    settings = settings or QgsSettings()
    if not _as_bool(settings.value("proxy/proxyEnabled", False)):
        return ProxyConfig()
    excluded = _as_list(settings.value("proxy/proxyExcludedUrls", [])) + _as_list(
        settings.value("proxy/noProxyUrls", [])
    )
    proxy_type = str(settings.value("proxy/proxyType", "") or "DefaultProxy")
    if proxy_type == "DefaultProxy":
        return ProxyConfig(MODE_SYSTEM, {}, excluded, "system proxy (environment)")
    if proxy_type not in ("HttpProxy", "HttpCachingProxy", "Socks5Proxy"):
        return ProxyConfig(MODE_DIRECT, {}, excluded, f"direct ({proxy_type} not used for HTTP)")
    host = str(settings.value("proxy/proxyHost", "") or "").strip()
    if not host:
        return ProxyConfig(MODE_DIRECT, {}, excluded, "direct (proxy enabled without a host)")
    try:
        port = int(settings.value("proxy/proxyPort", 0) or 0)
    except (TypeError, ValueError):
        port = 0
    scheme = "http"
    if proxy_type == "Socks5Proxy":
        if not (socks_available() if have_socks is None else have_socks):
            error = SocksUnavailableError()
            LOG.warning("QGIS is set to use the SOCKS5 proxy %s:%s: %s", host, port, error.message)
            return ProxyConfig(MODE_PROXY, {}, excluded, "SOCKS5 proxy unusable (PySocks missing)", error)
        scheme = "socks5h"  # let the proxy resolve names, as Qt does
        port = port or 1080
    port = port or 8080
    user = str(settings.value("proxy/proxyUser", "") or "")
    password = str(settings.value("proxy/proxyPassword", "") or "")
    register_secret(password)
    credentials = ""
    if user or password:
        credentials = quote(user, safe="") + (":" + quote(password, safe="") if password else "") + "@"
    shown_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"{scheme}://{credentials}{shown_host}:{port}"
    return ProxyConfig(MODE_PROXY, {"http": url, "https": url}, excluded, f"{scheme} proxy {shown_host}:{port}")


class QgisProxyAdapter(BaseAdapter):
    """Wraps a transport adapter and decides the proxy of every request from a :class:`ProxyConfig`.

    requests itself lets environment proxies override ``session.proxies`` and has no per-URL
    exclusions for explicit proxies; deciding here makes the QGIS settings authoritative.
    """

    def __init__(self, inner: BaseAdapter, config: ProxyConfig, ca_bundle: str | None = None):
        super().__init__()
        self.inner = inner
        self.config = config
        self.ca_bundle = ca_bundle

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        chosen = self.config.proxies_for(request.url, proxies)
        if self.ca_bundle and verify is not False:  # REQUESTS_CA_BUNDLE would override session.verify
            verify = self.ca_bundle
        response = self.inner.send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=chosen)
        if response.status_code == 407:  # only a proxy says this: the same error as a refused CONNECT
            response.close()
            raise requests.exceptions.ProxyError(
                f"407 Proxy Authentication Required ({response.headers.get('Proxy-Authenticate') or 'no scheme'})",
                request=request, response=response,
            )
        return response

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Any:  # max_retries, pool settings... of the wrapped adapter
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


def apply_proxy_config(session: requests.Session, config: ProxyConfig,
                       ca_bundle: str | None = None) -> requests.Session:
    """Route ``session``'s requests according to ``config`` (wraps every mounted adapter); with
    ``ca_bundle``, verify every https:// server against it."""
    for prefix, adapter in list(session.adapters.items()):
        inner = adapter.inner if isinstance(adapter, QgisProxyAdapter) else adapter
        session.mount(prefix, QgisProxyAdapter(inner, config, ca_bundle))
    session.proxies.clear()
    session.proxies.update(config.proxies)
    return session


def make_qgis_session(**kw: Any) -> requests.Session:
    """:func:`..core.http.make_session` (same keyword arguments) with the QGIS proxy settings applied
    and the certificate authorities QGIS trusts added to certifi's (call it on the main thread)."""
    config = read_proxy_config()
    kw.pop("proxies", None)
    session = make_session(proxies=config.proxies or None, **kw)
    bundle = ca_bundle_path()
    if bundle:
        session.verify = bundle
    LOG.debug("Network: %s", config.description)
    return apply_proxy_config(session, config, bundle)
