"""make_qgis_session follows the QGIS proxy settings: proxy URL, exclusions, loopback, SOCKS fallback."""

from __future__ import annotations

import base64
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from qgis.core import QgsSettings

from scene_finder.core.redact import redact
from scene_finder.gis import network
from scene_finder.gis.network import make_qgis_session, read_proxy_config

FAKE_HOST = "scene-finder-proxied.test"


class ForwardProxy(ThreadingHTTPServer):
    """A minimal http:// forward proxy on loopback that sends every request to one loopback port."""

    daemon_threads = True

    def __init__(self, target_port: int):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.target_port = target_port
        self.seen: list[tuple[str, str | None]] = []  # (absolute URL, Proxy-Authorization)


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        server: ForwardProxy = self.server
        server.seen.append((self.path, self.headers.get("Proxy-Authorization")))
        path = urlsplit(self.path)
        upstream = http.client.HTTPConnection("127.0.0.1", server.target_port, timeout=10)
        upstream.request("GET", path.path + (f"?{path.query}" if path.query else ""))
        answer = upstream.getresponse()
        body = answer.read()
        self.send_response(answer.status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Via", "1.1 test-proxy")
        self.end_headers()
        self.wfile.write(body)
        upstream.close()


@pytest.fixture()
def proxy_settings(qgis_app):
    settings = QgsSettings()
    settings.remove("proxy")
    yield settings
    settings.remove("proxy")


@pytest.fixture()
def forward_proxy(emulator):
    proxy = ForwardProxy(emulator.port)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


def _set_http_proxy(settings, port, excluded=None, user="", password=""):
    settings.setValue("proxy/proxyEnabled", True)
    settings.setValue("proxy/proxyType", "HttpProxy")
    settings.setValue("proxy/proxyHost", "127.0.0.1")
    settings.setValue("proxy/proxyPort", port)
    settings.setValue("proxy/proxyUser", user)
    settings.setValue("proxy/proxyPassword", password)
    if excluded is not None:
        settings.setValue("proxy/proxyExcludedUrls", excluded)


def test_disabled_proxy_means_direct(proxy_settings):
    session = make_qgis_session()
    assert session.proxies == {}
    assert read_proxy_config().proxies_for("https://m2m.cr.usgs.gov/api/") == {}


def test_http_proxy_with_credentials_is_percent_encoded(proxy_settings, caplog):
    _set_http_proxy(proxy_settings, 3128, user="dom\\ann", password="p@ss:w/rd%1")
    caplog.set_level("DEBUG", logger="scene_finder")
    session = make_qgis_session(retries=1)
    expected = "http://dom%5Cann:p%40ss%3Aw%2Frd%251@127.0.0.1:3128"
    assert session.proxies == {"http": expected, "https": expected}
    assert "p@ss:w/rd%1" not in caplog.text and "p%40ss" not in caplog.text
    assert "p@ss:w/rd%1" not in redact("password is p@ss:w/rd%1")


def test_exclusions_lists_and_pipe_separated_strings(proxy_settings):
    _set_http_proxy(proxy_settings, 3128, excluded=["https://intranet.example.org/", "", "corp.example"])
    proxy_settings.setValue("proxy/noProxyUrls", "https://nope.example.net|*.skip.example")
    config = read_proxy_config()
    proxied = {"http": "http://127.0.0.1:3128", "https": "http://127.0.0.1:3128"}
    assert config.proxies_for("https://m2m.cr.usgs.gov/api/api/json/stable/login-token") == proxied
    assert config.proxies_for("https://intranet.example.org/path") == {}
    assert config.proxies_for("https://intranet.example.org.evil.com/") == proxied
    assert config.proxies_for("https://files.corp.example/x") == {}
    assert config.proxies_for("https://nope.example.net/x") == {}
    assert config.proxies_for("https://a.skip.example/x") == {}
    for loopback in ("http://127.0.0.1:8080/", "http://localhost/x", "http://[::1]:9/"):
        assert config.proxies_for(loopback) == {}


def test_traffic_goes_through_the_proxy_and_loopback_goes_direct(proxy_settings, emulator, forward_proxy):
    _set_http_proxy(proxy_settings, forward_proxy.server_address[1], user="ann", password="secret-pw")
    session = make_qgis_session(retries=0)
    url = emulator.generated_file_url(1000).replace(f"127.0.0.1:{emulator.port}", FAKE_HOST)
    answer = session.get(url, timeout=10)
    assert answer.status_code == 200 and len(answer.content) == 1000
    assert answer.headers["Via"] == "1.1 test-proxy"
    assert forward_proxy.seen[0][0] == url
    assert forward_proxy.seen[0][1] == "Basic " + base64.b64encode(b"ann:secret-pw").decode()

    # The emulator itself is on loopback: straight there, the proxy sees nothing more.
    direct = session.get(emulator.generated_file_url(1000), timeout=10)
    assert direct.status_code == 200 and "Via" not in direct.headers
    assert len(forward_proxy.seen) == 1


def test_excluded_url_bypasses_the_proxy(proxy_settings, forward_proxy):
    _set_http_proxy(proxy_settings, forward_proxy.server_address[1], excluded=[f"http://{FAKE_HOST}/"])
    session = make_qgis_session(retries=0)
    # Going direct, the made-up host does not resolve: a connection error, and the proxy saw nothing.
    with pytest.raises(requests.ConnectionError):
        session.get(f"http://{FAKE_HOST}/files/generated/1000.bin", timeout=5)
    assert forward_proxy.seen == []


def test_environment_proxy_does_not_override_qgis_settings(proxy_settings, emulator, forward_proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    _set_http_proxy(proxy_settings, forward_proxy.server_address[1])
    session = make_qgis_session(retries=0)
    url = emulator.generated_file_url(1000).replace(f"127.0.0.1:{emulator.port}", FAKE_HOST)
    assert session.get(url, timeout=10).status_code == 200
    assert len(forward_proxy.seen) == 1


def test_default_proxy_uses_the_environment(proxy_settings, emulator, forward_proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{forward_proxy.server_address[1]}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    proxy_settings.setValue("proxy/proxyEnabled", True)
    proxy_settings.setValue("proxy/proxyType", "DefaultProxy")
    session = make_qgis_session(retries=0)
    assert session.proxies == {}
    url = emulator.generated_file_url(1000).replace(f"127.0.0.1:{emulator.port}", FAKE_HOST)
    assert session.get(url, timeout=10).status_code == 200
    assert len(forward_proxy.seen) == 1


def test_socks5_without_pysocks_falls_back_to_direct_with_a_warning(proxy_settings, monkeypatch, caplog):
    proxy_settings.setValue("proxy/proxyEnabled", True)
    proxy_settings.setValue("proxy/proxyType", "Socks5Proxy")
    proxy_settings.setValue("proxy/proxyHost", "socks.example")
    proxy_settings.setValue("proxy/proxyPort", 1080)
    monkeypatch.setattr(network, "socks_available", lambda: False)
    session = make_qgis_session()
    assert session.proxies == {}
    assert "PySocks" in caplog.text
    monkeypatch.setattr(network, "socks_available", lambda: True)
    assert make_qgis_session().proxies["https"] == "socks5h://socks.example:1080"


def test_session_keeps_the_core_retry_policy(proxy_settings):
    _set_http_proxy(proxy_settings, 3128)
    session = make_qgis_session(retries=2)
    adapter = session.get_adapter("https://m2m.cr.usgs.gov/")
    assert isinstance(adapter, network.QgisProxyAdapter)
    assert adapter.max_retries.total == 2
