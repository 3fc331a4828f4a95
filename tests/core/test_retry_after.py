"""Retry-After as servers really send it: garbage, negative and fractional values mean "retry", never a crash."""

from __future__ import annotations

import datetime
import email.utils

import pytest

from scene_finder.core.download import Downloader, DownloadItem
from scene_finder.core.errors import RateLimitError, ServiceUnavailableError
from scene_finder.core.http import make_session, parse_retry_after
from scene_finder.core.m2m import M2MClient

DEMO = ("demo", "demo-application-token")
BAD_VALUES = ["soon", "-5", "1.5", "", "1e999", "Infinity", "Mon, 99 Foo 2020 25:61:61 GMT", "⏳"]


def http_date(seconds_from_now: float) -> str:
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return email.utils.format_datetime(when, usegmt=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7.0), (" 3 ", 3.0), ("1.5", 1.5), ("0", 0.0), ("soon", None), ("-5", None), ("", None), (None, None),
     ("1e999", None), ("Infinity", None), ("NaN", None), ("٣", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
     ("9" * 400, 1e6)],
)
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value) == expected


def test_parse_retry_after_reads_a_future_http_date():
    assert 50 < parse_retry_after(http_date(60)) <= 60


def m2m_client(emulator, retries: int = 4) -> M2MClient:
    return M2MClient(*DEMO, base_url=emulator.m2m_url, session=make_session(retries=retries, backoff=0.01),
                     rate_limit_backoff=0.01)


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("value", ["soon", "-5", "1.5"])
def test_m2m_call_with_a_bad_retry_after_is_retried(emulator, status, value):
    with m2m_client(emulator) as client:
        emulator.faults.add("m2m", "dataset-search", "status", status=status, retry_after=value)
        data = client.call("dataset-search", {"datasetName": "landsat_ot_c2_l2"})
    assert isinstance(data, list) and data
    assert [e.status for e in emulator.log.entries("m2m", "dataset-search")] == [status, 200]


@pytest.mark.parametrize(("status", "error"), [(429, RateLimitError), (503, ServiceUnavailableError)])
def test_m2m_call_with_bad_retry_afters_until_retries_run_out_gives_a_typed_error(emulator, status, error):
    with m2m_client(emulator, retries=2) as client:
        emulator.faults.add("m2m", "dataset-search", "status", status=status, retry_after="soon", times=None)
        with pytest.raises(error):
            client.call("dataset-search", {"datasetName": "landsat_ot_c2_l2"})
        emulator.faults.clear()
    assert emulator.log.count("m2m", "dataset-search") == 3


def test_m2m_sign_in_with_a_bad_retry_after_is_retried(emulator):
    emulator.faults.add("m2m", "login-token", "status", status=503, retry_after="-5")
    with m2m_client(emulator) as client:
        assert client.logged_in
    assert [e.status for e in emulator.log.entries("m2m", "login-token")] == [503, 200]


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("value", [*BAD_VALUES, http_date(-60)])
def test_file_download_with_a_bad_retry_after_is_retried(emulator, tmp_path, status, value):
    emulator.faults.add("files", "*", "status", status=status, retry_after=value)
    downloader = Downloader(make_session(backoff=0.01), tmp_path, retry_backoff=0.01)
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(1000), filename="a.bin")])
    assert result.status == "done", result.error
    assert (tmp_path / "a.bin").stat().st_size == 1000
    assert [e.status for e in emulator.log.entries("files")] == [status, 200]


def test_file_download_with_bad_retry_afters_until_retries_run_out_fails_typed_and_resumes(emulator, tmp_path):
    emulator.faults.add("files", "*", "status", status=503, retry_after="soon", times=None)
    downloader = Downloader(make_session(retries=2, backoff=0.01), tmp_path, retry_backoff=0.01)
    item = DownloadItem(emulator.generated_file_url(1000), filename="a.bin")
    [result] = downloader.download([item])
    assert result.status == "failed"
    assert "HTTP 503" in str(result.error) and "unexpected" not in str(result.error)
    emulator.faults.clear()
    [again] = downloader.download([item])
    assert again.status == "done"
