"""Credentials stay with their origin: redirects and ``next`` links to another host, through the real
clients against the emulator's hostile mode (the other host is the emulator on 127.0.0.2)."""

from __future__ import annotations

import pytest

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.carbonmapper.plumes import search_plumes
from scene_finder.core.carbonmapper.stac import STAC_SEARCH, download_assets, plume_items, search_items
from scene_finder.core.download import Downloader, DownloadItem
from scene_finder.core.errors import RedirectRefusedError
from scene_finder.core.http import make_session
from scene_finder.core.m2m.client import M2MClient
from scene_finder.core.redirects import FILES, SAME_ORIGIN, check_redirect, origin, with_redirects
from scene_finder.emulator.http import Request
from scene_finder.emulator.server import OTHER_HOST

USER, M2M_TOKEN = "demo", "demo-application-token"
CM_TOKEN = "demo-carbonmapper-token"
CM_EMAIL, CM_PASSWORD = "demo@example.com", "demo-password"
STATUSES = (301, 302, 303, 307, 308)


@pytest.fixture()
def other(emulator):
    """The other host's base URL (the same emulator on 127.0.0.2)."""
    try:
        return emulator.other_base_url
    except OSError as error:  # pragma: no cover - a system where only 127.0.0.1 is loopback
        pytest.skip(f"127.0.0.2 cannot be bound here: {error}")


def reached_other(emulator) -> list:
    return [e for e in emulator.log.entries() if e.host == OTHER_HOST]


def secrets_in(entries, *secrets: str) -> list[str]:
    """Which of ``secrets`` appear in the headers or bodies of ``entries``."""
    seen = " ".join(f"{e.headers!r} {e.body!r} {e.path} {e.query!r}" for e in entries)
    return [s for s in secrets if s in seen]


# --- USGS M2M ------------------------------------------------------------------------------
@pytest.mark.parametrize("status", STATUSES)
def test_m2m_login_redirected_to_another_host_sends_it_no_username_or_token(emulator, other, status):
    emulator.faults.add("m2m", "login-token", "redirect", status=status,
                        to=other + emulator.m2m_prefix + "login-token")
    client = M2MClient(USER, M2M_TOKEN, base_url=emulator.m2m_url)
    with pytest.raises(RedirectRefusedError, match="another host") as raised:
        client.login()
    assert reached_other(emulator) == []
    assert M2M_TOKEN not in str(raised.value) and "127.0.0.2" in str(raised.value)
    assert not client.logged_in


@pytest.mark.parametrize("status", (302, 307))
def test_m2m_api_call_redirected_to_another_host_sends_it_no_api_key(emulator, other, status):
    client = M2MClient(USER, M2M_TOKEN, base_url=emulator.m2m_url)
    client.login()
    key = client._api_key
    emulator.faults.add("m2m", "dataset-search", "redirect", status=status,
                        to=other + emulator.m2m_prefix + "dataset-search")
    with pytest.raises(RedirectRefusedError):
        client.call("dataset-search", {"datasetName": "landsat_ot_c2_l2"})
    assert reached_other(emulator) == []
    assert secrets_in(emulator.log.entries(), key)  # the key did go to the service itself
    client.logout()


def test_m2m_redirect_on_the_same_origin_is_still_followed_with_its_body(emulator):
    emulator.faults.add("m2m", "login-token", "redirect", status=307, to=emulator.m2m_url + "login-token")
    client = M2MClient(USER, M2M_TOKEN, base_url=emulator.m2m_url)
    client.login()
    assert client.logged_in
    assert emulator.log.count("m2m", "login-token") == 2
    client.logout()


# --- Carbon Mapper ---------------------------------------------------------------------------
@pytest.mark.parametrize("status", (302, 307, 308))
def test_carbonmapper_sign_in_redirected_to_another_host_sends_it_no_email_or_password(emulator, other, status):
    emulator.faults.add("carbonmapper", "token/pair", "redirect", status=status,
                        to=other + emulator.carbonmapper_prefix + "token/pair")
    client = CarbonMapperClient(email=CM_EMAIL, password=CM_PASSWORD, base_url=emulator.carbonmapper_url)
    with pytest.raises(RedirectRefusedError):
        client.auth_headers()
    assert reached_other(emulator) == []


def test_carbonmapper_bearer_token_does_not_follow_a_redirect_to_another_host(emulator, other):
    route = "catalog/plumes/annotated"
    emulator.faults.add("carbonmapper", route, "redirect", status=302,
                        to=other + emulator.carbonmapper_prefix + route + "?limit=5")
    client = CarbonMapperClient(CM_TOKEN, base_url=emulator.carbonmapper_url)
    with pytest.raises(RedirectRefusedError):
        search_plumes(client, limit=5)
    assert reached_other(emulator) == []


def test_stac_next_link_to_another_host_gets_no_token(emulator, other):
    elsewhere = other + emulator.carbonmapper_prefix + STAC_SEARCH
    emulator.faults.add("carbonmapper", STAC_SEARCH, "next_link", href=elsewhere)
    client = CarbonMapperClient(CM_TOKEN, base_url=emulator.carbonmapper_url)
    items = []
    with pytest.raises(RedirectRefusedError, match="another host"):
        for item in search_items(client, collections=["l3a-vis-ch4-mfa-v3a"], limit=5):
            items.append(item)
    assert len(items) == 5  # the first page, from the service itself
    assert reached_other(emulator) == []


# --- files -----------------------------------------------------------------------------------
def test_file_redirect_to_another_host_is_followed_without_any_credential(emulator, other, tmp_path):
    size = 300_000
    url = emulator.generated_file_url(size)
    emulator.faults.add("files", "generated/*", "redirect", status=302, to=other + f"/files/generated/{size}.bin")
    credentials = {"Authorization": "Bearer secret-bearer-1", "X-Auth-Token": "secret-api-key-2",
                   "Cookie": "session=secret-cookie-3"}
    [result] = Downloader(make_session(), tmp_path).download([DownloadItem(url, headers=credentials)])
    assert result.status == "done", result.error
    assert result.path.stat().st_size == size
    [there] = reached_other(emulator)
    assert secrets_in([there], "secret-bearer-1", "secret-api-key-2", "secret-cookie-3") == []
    assert {"authorization", "x-auth-token", "cookie"}.isdisjoint(there.headers)
    first = [e for e in emulator.log.entries("files") if e.host != OTHER_HOST][0]
    assert first.headers["x-auth-token"] == "secret-api-key-2"  # the origin itself had them


def test_carbonmapper_asset_gateway_redirect_to_a_signed_url_elsewhere_works_without_the_token(
        emulator, other, tmp_path):
    client = CarbonMapperClient(CM_TOKEN, base_url=emulator.carbonmapper_url)
    items = plume_items(client, list(search_plumes(client, gas="CH4", limit=1)))
    href = items[0].assets["plume.tif"].href
    key = href.split("catalog/asset/", 1)[1]
    host = other.split("://", 1)[1]
    there = Request("GET", "", "", {}, {"host": host}, b"", "")
    signed = emulator.service("carbonmapper").signer(there)(key)  # CloudFront-like URL on the other host
    emulator.faults.add("carbonmapper", "catalog/asset/*", "redirect", status=302, to=signed)
    [result] = download_assets(client, items[:1], tmp_path, assets=("plume.tif",))
    assert result.status == "done", result.error
    assert result.path.read_bytes()[:4] in (b"II*\x00", b"MM\x00*")
    [arrived] = reached_other(emulator)
    assert "authorization" not in arrived.headers and secrets_in([arrived], CM_TOKEN) == []


def test_file_redirect_that_would_resend_a_body_elsewhere_is_refused(emulator, other):
    emulator.faults.add("files", "generated/*", "redirect", status=307, to=other + "/files/generated/1000.bin")
    session = with_redirects(make_session(), FILES)
    with pytest.raises(RedirectRefusedError, match="body"):
        session.post(emulator.generated_file_url(1000), data=b"secret-body", timeout=30)
    assert reached_other(emulator) == []


# --- the policy itself -------------------------------------------------------------------------
def test_policy_never_goes_down_to_http_nor_to_other_schemes():
    first = origin("https://m2m.cr.usgs.gov/api/")
    for mode in (SAME_ORIGIN, FILES):
        with pytest.raises(RedirectRefusedError, match="http"):
            check_redirect("https://a.example/x", "http://a.example/x", first, mode, False)
        with pytest.raises(RedirectRefusedError, match="down to"):
            check_redirect("https://a.example/x", "http://127.0.0.1/x", first, mode, False)
        with pytest.raises(RedirectRefusedError):
            check_redirect("https://a.example/x", "file:///etc/passwd", first, mode, False)
        with pytest.raises(RedirectRefusedError, match="this computer"):
            check_redirect("https://a.example/x", "https://localhost:8443/admin", first, mode, False)


def test_policy_same_origin_and_files_modes():
    first = origin("https://m2m.cr.usgs.gov/api/")
    assert check_redirect("https://m2m.cr.usgs.gov/a", "https://m2m.cr.usgs.gov:443/b", first, SAME_ORIGIN, True) \
        is False
    with pytest.raises(RedirectRefusedError, match="another host"):
        check_redirect("https://m2m.cr.usgs.gov/a", "https://m2m.cr.usgs.gov:8443/b", first, SAME_ORIGIN, False)
    assert check_redirect("https://dds.cr.usgs.gov/a", "https://cdn.example/b?Signature=x", first, FILES, False)
    with pytest.raises(RedirectRefusedError, match="body"):
        check_redirect("https://dds.cr.usgs.gov/a", "https://cdn.example/b", first, FILES, True)
    # loopback to loopback over http: the emulator's other host
    assert check_redirect("http://127.0.0.1:1/a", "http://127.0.0.2:2/b", origin("http://127.0.0.1:1/"), FILES,
                          False)


def test_clients_follow_the_same_origin_policy_whatever_session_they_are_given():
    import requests

    plain = requests.Session()
    client = M2MClient(USER, M2M_TOKEN, base_url="https://m2m.example/api/", session=plain)
    assert client.session.redirects == SAME_ORIGIN and client.session.adapters is plain.adapters
    own = make_session()
    assert CarbonMapperClient(CM_TOKEN, base_url="https://cm.example/api/v1/", session=own).session is own
    assert Downloader(own, ".").session.redirects == FILES


def test_a_redirect_loop_is_a_typed_error_for_api_calls_and_downloads(emulator, tmp_path):
    emulator.faults.add("m2m", "login-token", "redirect", status=307, to=emulator.m2m_url + "login-token", times=None)
    with pytest.raises(RedirectRefusedError, match="loop"):
        M2MClient(USER, M2M_TOKEN, base_url=emulator.m2m_url).login()
    emulator.reset()
    url = emulator.generated_file_url(1000)
    emulator.faults.add("files", "generated/*", "redirect", status=302, to=url, times=None)
    [result] = Downloader(make_session(), tmp_path, max_attempts=1).download([DownloadItem(url)])
    assert result.status == "failed" and "loop" in str(result.error)
