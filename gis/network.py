"""A requests session that goes through the proxy configured in QGIS (Settings > Options > Network).

The QGIS settings read (as QGIS 3.22 stores them):

- ``proxy/proxyEnabled`` (bool), ``proxy/proxyType``: ``HttpProxy``, ``HttpCachingProxy`` (both
  used as an HTTP proxy for http:// and https://, the latter through CONNECT), ``Socks5Proxy``
  (needs PySocks; without it the session goes direct and a warning is logged), ``DefaultProxy``
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
mounted; the session's ``proxies`` mapping shows the proxy too, for information.
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

from ..core.http import is_loopback_host, make_session
from ..core.redact import register_secret

LOG = logging.getLogger(__name__)

MODE_DIRECT = "direct"
MODE_PROXY = "proxy"
MODE_SYSTEM = "system"


@dataclass
class ProxyConfig:
    """What the QGIS settings say; ``proxies`` holds the proxy URL (with credentials) per scheme."""

    mode: str = MODE_DIRECT
    proxies: dict[str, str] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)
    description: str = "direct"  # for the log: no credentials

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


def read_proxy_config(settings: QgsSettings | None = None) -> ProxyConfig:
    """The proxy configuration from the QGIS settings."""
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
        if not socks_available():
            LOG.warning(
                "QGIS is set to use the SOCKS5 proxy %s:%s, but the PySocks module is not installed: "
                "Scene Finder connects directly. Install PySocks (python3-socks) to use the proxy.", host, port
            )
            return ProxyConfig(MODE_DIRECT, {}, excluded, "direct (PySocks missing for SOCKS5)")
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

    def __init__(self, inner: BaseAdapter, config: ProxyConfig):
        super().__init__()
        self.inner = inner
        self.config = config

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        chosen = self.config.proxies_for(request.url, proxies)
        return self.inner.send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=chosen)

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Any:  # max_retries, pool settings... of the wrapped adapter
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


def apply_proxy_config(session: requests.Session, config: ProxyConfig) -> requests.Session:
    """Route ``session``'s requests according to ``config`` (wraps every mounted adapter)."""
    for prefix, adapter in list(session.adapters.items()):
        inner = adapter.inner if isinstance(adapter, QgisProxyAdapter) else adapter
        session.mount(prefix, QgisProxyAdapter(inner, config))
    session.proxies.clear()
    session.proxies.update(config.proxies)
    return session


def make_qgis_session(**kw: Any) -> requests.Session:
    """:func:`..core.http.make_session` (same keyword arguments) with the QGIS proxy settings applied."""
    config = read_proxy_config()
    kw.pop("proxies", None)
    session = make_session(proxies=config.proxies or None, **kw)
    LOG.debug("Network: %s", config.description)
    return apply_proxy_config(session, config)
