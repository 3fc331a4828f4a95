"""make_qgis_session follows the QGIS proxy settings: proxy URL, exclusions, loopback, SOCKS, a proxy
asking for credentials (407)."""

from __future__ import annotations

import base64
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from qgis.core import QgsSettings

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.connection_errors import ProxyAuthError
from scene_finder.core.download import Downloader, DownloadItem
from scene_finder.core.errors import SceneFinderError
from scene_finder.core.m2m.client import M2MClient
from scene_finder.core.redact import redact
from scene_finder.emulator.proxy import AuthRequiredProxy
from scene_finder.gis import network
from scene_finder.gis.network import SocksUnavailableError, make_qgis_session, read_proxy_config

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


def _set_socks_proxy(settings):
    settings.setValue("proxy/proxyEnabled", True)
    settings.setValue("proxy/proxyType", "Socks5Proxy")
    settings.setValue("proxy/proxyHost", "socks.example")
    settings.setValue("proxy/proxyPort", 1080)


def test_socks5_without_pysocks_is_a_clear_error_never_a_direct_connection(proxy_settings, emulator, caplog):
    _set_socks_proxy(proxy_settings)
    have_socks = network.socks_available()
    config = read_proxy_config(have_socks=False)
    with pytest.raises(SocksUnavailableError) as raised:
        config.proxies_for("https://m2m.cr.usgs.gov/api/")
    message = str(raised.value)
    assert "PySocks" in message and "python3-socks" in message and "HTTP proxy" in message
    assert "PySocks" in caplog.text
    assert config.proxies_for(emulator.m2m_url) == {}  # loopback needs no proxy
    if have_socks:
        return
    # PySocks is really missing here: the session made from the QGIS settings refuses to go direct.
    session = make_qgis_session(retries=0)
    with pytest.raises(SocksUnavailableError):
        session.get("https://scene-finder-proxied.test/", timeout=5)
    with pytest.raises(SocksUnavailableError), M2MClient("demo", "demo-application-token",
                                                         base_url=f"https://{FAKE_HOST}/api/", session=session):
        pass
    assert session.get(emulator.generated_file_url(1000), timeout=10).status_code == 200


def test_socks5_with_pysocks_goes_through_the_proxy_and_lets_it_resolve_names(proxy_settings):
    _set_socks_proxy(proxy_settings)
    config = read_proxy_config(have_socks=True)
    assert config.error is None
    assert config.proxies_for("https://m2m.cr.usgs.gov/")["https"] == "socks5h://socks.example:1080"


def _assert_says_what_to_do_about_407(error):
    message = str(error)
    assert isinstance(error, ProxyAuthError)
    assert "Settings ▸ Options ▸ Network" in message and "proxy user and password" in message
    assert "NTLM" in message and "proxy exception" in message and "cntlm" in message
    assert "Check the network" not in message


def test_m2m_sign_in_through_a_proxy_that_wants_windows_sign_in_says_what_to_do(proxy_settings):
    with AuthRequiredProxy() as proxy:
        _set_http_proxy(proxy_settings, proxy.port, user="ann", password="pw-407")
        client = M2MClient("demo", "demo-application-token", base_url=f"https://{FAKE_HOST}/api/api/json/stable/",
                           session=make_qgis_session(retries=0))
        with pytest.raises(SceneFinderError) as raised:
            client.login()
        assert proxy.seen[0] == ("CONNECT", f"{FAKE_HOST}:443")
    _assert_says_what_to_do_about_407(raised.value)
    assert "pw-407" not in raised.value.details()


def test_carbonmapper_sign_in_through_a_407_proxy_says_what_to_do(proxy_settings):
    with AuthRequiredProxy() as proxy:
        _set_http_proxy(proxy_settings, proxy.port)
        client = CarbonMapperClient(email="demo@example.com", password="demo-password",
                                    base_url=f"https://{FAKE_HOST}/api/v1/", session=make_qgis_session(retries=0))
        with pytest.raises(SceneFinderError) as raised:
            client.get_json("catalog/plumes/annotated")
        assert proxy.seen
    _assert_says_what_to_do_about_407(raised.value)


def test_a_plain_407_answer_is_the_same_error(proxy_settings, emulator):
    emulator.faults.add("m2m", "login-token", "proxy_auth")
    client = M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url,
                       session=make_qgis_session(retries=0))
    with pytest.raises(SceneFinderError) as raised:
        client.login()
    _assert_says_what_to_do_about_407(raised.value)
    emulator.faults.add("carbonmapper", "*", "proxy_auth")
    cm = CarbonMapperClient("demo-carbonmapper-token", base_url=emulator.carbonmapper_url,
                            session=make_qgis_session(retries=0))
    with pytest.raises(SceneFinderError) as raised:
        cm.get_json("catalog/plumes/annotated")
    _assert_says_what_to_do_about_407(raised.value)


def test_a_download_through_a_407_proxy_fails_at_once_with_the_advice(proxy_settings, tmp_path):
    with AuthRequiredProxy() as proxy:
        _set_http_proxy(proxy_settings, proxy.port)
        downloader = Downloader(make_qgis_session(retries=0), tmp_path)
        results = downloader.download([DownloadItem(url=f"https://{FAKE_HOST}/files/x.bin", filename="x.bin")])
        assert len(proxy.seen) == 1  # not retried: another try cannot help
    assert results[0].status == "failed"
    assert "proxy asks for credentials" in str(results[0].error) and "NTLM" in str(results[0].error)


def test_session_keeps_the_core_retry_policy(proxy_settings):
    _set_http_proxy(proxy_settings, 3128)
    session = make_qgis_session(retries=2)
    adapter = session.get_adapter("https://m2m.cr.usgs.gov/")
    assert isinstance(adapter, network.QgisProxyAdapter)
    assert adapter.max_retries.total == 2


def test_a_407_proxy_is_asked_once_not_retried_with_the_default_retries(proxy_settings):
    # Retrying cannot change a proxy's demand for credentials: the user gets the advice at once.
    with AuthRequiredProxy() as proxy:
        _set_http_proxy(proxy_settings, proxy.port)
        client = M2MClient("demo", "demo-application-token", base_url=f"https://{FAKE_HOST}/api/api/json/stable/",
                           session=make_qgis_session())
        with pytest.raises(SceneFinderError) as raised:
            client.login()
        assert proxy.seen == [("CONNECT", f"{FAKE_HOST}:443")]
    _assert_says_what_to_do_about_407(raised.value)
