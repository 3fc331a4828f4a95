"""The downloader against the emulator's /files/ service: names, skips, checksums, parallel, errors."""

from __future__ import annotations

import functools
import hashlib
import http.server
import logging
import threading
import time

import pytest

from scene_finder.core.download import Downloader, DownloadItem, DownloadProgress
from scene_finder.core.errors import DownloadError
from scene_finder.core.http import make_session
from scene_finder.emulator.http import ensure_generated_file

MIB = 1 << 20


def generated_bytes(emulator, size: int) -> bytes:
    return ensure_generated_file(emulator.config.cache_dir / "generated" / f"{size}.bin", size).read_bytes()


def digest(emulator, size: int, algorithm: str = "sha256") -> str:
    return hashlib.new(algorithm, generated_bytes(emulator, size)).hexdigest()


@pytest.fixture()
def session():
    with make_session(backoff=0.01) as running:
        yield running


@pytest.fixture()
def downloader(session, tmp_path):
    return Downloader(session, tmp_path / "downloads", retry_backoff=0.01)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".part", ".part.json", ".tmp")))


def test_plain_download(emulator, downloader):
    size = 3 * MIB + 17
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(size), filename="scene.bin")])
    assert result.status == "done", result.error
    assert result.path == downloader.folder / "scene.bin"
    assert result.bytes_transferred == size
    assert result.path.read_bytes() == generated_bytes(emulator, size)
    assert leftovers(downloader.folder) == []
    [entry] = emulator.log.entries("files")
    assert entry.headers["accept-encoding"] == "identity"


def test_name_from_content_disposition(emulator, downloader):
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(4096))])
    assert result.status == "done"
    assert result.path.name == "generated-4096.bin"


def test_signed_url_query_is_not_part_of_the_name(emulator, downloader):
    url = emulator.generated_file_url(1000) + "?Signature=secret-signature-1234"
    [result] = downloader.download([DownloadItem(url)])
    assert result.path.name == "generated-1000.bin"


@pytest.fixture()
def plain_server(tmp_path):
    """A bare static file server (no Content-Disposition, no Range support) on loopback."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_name_from_url_path_without_content_disposition(plain_server, downloader):
    served, base = plain_server
    (served / "LC09 scene.tar").write_bytes(b"x" * 5000)
    [result] = downloader.download([DownloadItem(base + "LC09%20scene.tar?token=abc")])
    assert result.status == "done"
    assert result.path.name == "LC09 scene.tar"
    assert result.path.read_bytes() == b"x" * 5000


def test_server_without_range_support_restarts_a_part(plain_server, downloader):
    served, base = plain_server
    (served / "f.bin").write_bytes(b"y" * 5000)
    downloader.folder.mkdir(parents=True)
    (downloader.folder / "f.bin.part").write_bytes(b"z" * 3000)  # left behind, and not even the same bytes
    [result] = downloader.download([DownloadItem(base + "f.bin", filename="f.bin")])
    assert result.status == "done"
    assert result.path.read_bytes() == b"y" * 5000
    assert leftovers(downloader.folder) == []


def test_checksums_are_verified(emulator, downloader):
    size = MIB
    items = [
        DownloadItem(emulator.generated_file_url(size), filename="md5.bin",
                     checksum=("md5", digest(emulator, size, "md5"))),
        DownloadItem(emulator.generated_file_url(size), filename="sha.bin",
                     checksum=("SHA-256", digest(emulator, size).upper())),
        DownloadItem(emulator.generated_file_url(size), filename="sha1.bin",
                     checksum=("sha1", digest(emulator, size, "sha1"))),
    ]
    results = downloader.download(items)
    assert [r.status for r in results] == ["done", "done", "done"]


def test_checksum_mismatch_fails_without_final_file(emulator, downloader):
    item = DownloadItem(emulator.generated_file_url(MIB), filename="bad.bin", checksum=("sha256", "0" * 64))
    [result] = downloader.download([item])
    assert result.status == "failed"
    assert isinstance(result.error, DownloadError)
    assert "checksum" in str(result.error)
    assert not (downloader.folder / "bad.bin").exists()
    assert leftovers(downloader.folder) == []  # damaged data is not kept for resuming


def test_skip_complete_file_with_known_size_costs_no_request(emulator, downloader):
    item = DownloadItem(emulator.generated_file_url(MIB), filename="a.bin", size=MIB)
    assert downloader.download([item])[0].status == "done"
    emulator.log.clear()
    [result] = downloader.download([item])
    assert result.status == "skipped"
    assert result.path == downloader.folder / "a.bin"
    assert result.bytes_transferred == 0
    assert emulator.log.count("files") == 0


def test_skip_complete_file_with_unknown_size_costs_one_request(emulator, downloader):
    item = DownloadItem(emulator.generated_file_url(MIB), filename="a.bin")
    downloader.download([item])
    emulator.log.clear()
    [result] = downloader.download([item])
    assert result.status == "skipped"
    assert emulator.log.count("files") <= 1


def test_skip_complete_file_named_by_the_server(emulator, downloader):
    item = DownloadItem(emulator.generated_file_url(MIB))
    downloader.download([item])
    emulator.log.clear()
    [result] = downloader.download([item])
    assert result.status == "skipped"
    assert emulator.log.count("files") <= 1


def test_file_of_other_size_is_downloaded_again(emulator, downloader):
    downloader.folder.mkdir(parents=True)
    (downloader.folder / "a.bin").write_bytes(b"old content")
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(MIB), filename="a.bin", size=MIB)])
    assert result.status == "done"
    assert result.path.read_bytes() == generated_bytes(emulator, MIB)


def test_parallel_downloads_and_progress(emulator, session, tmp_path):
    downloader = Downloader(session, tmp_path, parallel=3, chunk_size=64 << 10)
    sizes = [MIB + i for i in range(6)]
    reports: list[DownloadProgress] = []
    results = downloader.download(
        [DownloadItem(emulator.generated_file_url(s), filename=f"f{i}.bin", key=f"k{i}") for i, s in enumerate(sizes)],
        progress=reports.append,
    )
    assert [r.status for r in results] == ["done"] * 6
    assert [r.item.key for r in results] == [f"k{i}" for i in range(6)]  # results in the items' order
    assert all(r.path.stat().st_size == s for r, s in zip(results, sizes, strict=True))
    final = reports[-1]
    assert final.files_done == final.files_total == 6
    assert final.bytes_done == final.bytes_total == sum(sizes)
    assert all(a.files_done <= b.files_done for a, b in zip(reports, reports[1:], strict=False))


def test_one_failure_does_not_stop_the_others(emulator, downloader):
    items = [
        DownloadItem(emulator.base_url + "/files/missing/nothing.bin", filename="missing.bin"),
        DownloadItem("http://example.com/insecure.bin", filename="insecure.bin"),
        DownloadItem(emulator.generated_file_url(MIB), filename="ok.bin"),
    ]
    missing, insecure, ok = downloader.download(items)
    assert missing.status == "failed" and missing.error.status == 404
    assert isinstance(missing.error, DownloadError)
    assert insecure.status == "failed" and "https://" in str(insecure.error)
    assert ok.status == "done"
    assert not (downloader.folder / "missing.bin").exists()
    assert emulator.log.count("files") == 2  # the insecure URL was never requested


def test_announced_size_must_match_expected_size(emulator, downloader):
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(MIB), filename="a.bin", size=MIB + 1)])
    assert result.status == "failed"
    assert "expected" in str(result.error)
    assert not (downloader.folder / "a.bin").exists()


def test_two_items_with_one_name(emulator, downloader):
    url = emulator.generated_file_url(1000)
    first, second = downloader.download([DownloadItem(url, filename="same.bin")] * 2)
    assert {first.status, second.status} == {"done", "failed"}


def test_retry_after_429_then_success(emulator, downloader):
    emulator.faults.add("files", "*", "status", status=429, retry_after=1)
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(MIB), filename="a.bin")])
    assert result.status == "done"
    assert [e.status for e in emulator.log.entries("files")] == [429, 200]


def test_503_burst_then_success(emulator, downloader):
    emulator.faults.add("files", "*", "status", status=503, times=3)
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(MIB), filename="a.bin")])
    assert result.status == "done"
    assert [e.status for e in emulator.log.entries("files")] == [503, 503, 503, 200]


def test_persistent_503_fails_with_service_message(emulator, session, tmp_path):
    emulator.faults.add("files", "*", "html", status=503, times=None)
    downloader = Downloader(make_session(retries=1, backoff=0.01), tmp_path)
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(MIB), filename="a.bin")])
    assert result.status == "failed"
    assert result.error.status == 503
    assert "maintenance" in result.error.details()


def test_insecure_url_is_refused(downloader):
    [result] = downloader.download([DownloadItem("http://downloads.example.com/file.tar")])
    assert result.status == "failed"
    assert "https://" in str(result.error)


def test_secrets_never_logged(emulator, downloader, caplog):
    caplog.set_level(logging.DEBUG, logger="scene_finder")
    token = "cm-bearer-token-0123456789"
    signature = "Signature=very-secret-signature-abcdef&Key-Pair-Id=K2ABCDEFG&c=opaque-credential-xyz"
    headers = {"Authorization": f"Bearer {token}"}
    emulator.faults.add("files", "*", "drop_at", byte=1000)
    items = [
        DownloadItem(emulator.generated_file_url(MIB) + "?" + signature, filename="ok.bin", headers=headers),
        DownloadItem(emulator.base_url + "/files/missing.bin?" + signature, headers=headers),
    ]
    ok, missing = downloader.download(items)
    assert ok.status == "done" and missing.status == "failed"
    assert emulator.log.entries("files")[0].headers["authorization"] == f"Bearer {token}"
    texts = [record.getMessage() for record in caplog.records] + [missing.error.details(), str(missing.error)]
    texts += [repr(ok), repr(missing), repr(items)]  # results are printed and logged by scripts
    assert any("ok.bin" in text for text in texts)
    for text in texts:
        assert token not in text
        assert "very-secret-signature" not in text
        assert "opaque-credential-xyz" not in text


def test_empty_list(downloader):
    reports = []
    assert downloader.download([], progress=reports.append) == []


def test_unwritable_part_fails_that_file_only(emulator, downloader):
    downloader.folder.mkdir(parents=True)
    (downloader.folder / "blocked.bin.part").mkdir()  # a folder where the part file should go
    blocked, ok = downloader.download([DownloadItem(emulator.generated_file_url(1000), filename="blocked.bin"),
                                       DownloadItem(emulator.generated_file_url(1000), filename="ok.bin")])
    assert blocked.status == "failed" and "Could not write" in str(blocked.error)
    assert ok.status == "done"


def test_folder_that_cannot_be_made(session, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(DownloadError, match="Could not write"):
        Downloader(session, tmp_path / "file" / "downloads").download([DownloadItem("https://example.com/a")])


def test_progress_total_known_despite_a_failure(emulator, downloader):
    reports = []
    downloader.download([DownloadItem(emulator.base_url + "/files/missing.bin"),
                         DownloadItem(emulator.generated_file_url(MIB), filename="ok.bin")], progress=reports.append)
    assert reports[-1].bytes_total == reports[-1].bytes_done == MIB
    assert reports[-1].files_done == 2


def test_progress_is_reported_at_most_ten_times_a_second(emulator, downloader):
    emulator.faults.add("files", "*", "throttle", bytes_per_second=4 * MIB)
    reports = []
    started = time.monotonic()
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(2 * MIB), filename="a.bin")],
                                   progress=reports.append)
    elapsed = time.monotonic() - started
    assert result.status == "done"
    assert 2 <= len(reports) <= elapsed / 0.1 + 2
    assert [r.bytes_done for r in reports] == sorted(r.bytes_done for r in reports)
    assert any(r.speed_bps > 0 and r.eta_seconds is not None for r in reports[:-1])


def test_unknown_checksum_algorithm_fails_before_downloading(emulator, downloader):
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(MIB), filename="a.bin",
                                                 checksum=("crc99", "abc"))])
    assert result.status == "failed"
    assert "crc99" in str(result.error)
    assert emulator.log.count("files") == 0


def test_a_server_chosen_name_never_replaces_an_unrelated_file(emulator, downloader):
    downloader.folder.mkdir(parents=True)
    mine = downloader.folder / f"generated-{MIB}.bin"
    mine.write_bytes(b"the analyst's own file")
    item = DownloadItem(emulator.generated_file_url(MIB))  # named by Content-Disposition
    [result] = downloader.download([item])
    assert result.status == "done", result.error
    assert result.path.name == f"generated-{MIB} (1).bin"
    assert result.path.read_bytes() == generated_bytes(emulator, MIB)
    assert mine.read_bytes() == b"the analyst's own file"
    [again] = downloader.download([item])
    assert again.status == "skipped" and again.path == result.path
    assert leftovers(downloader.folder) == []


def test_two_items_named_alike_by_the_server_in_one_run(emulator, downloader):
    url = emulator.generated_file_url(1000)
    first, second = downloader.download([DownloadItem(url)] * 2)
    assert {first.status, second.status} == {"done", "failed"}
    assert sorted(p.name for p in downloader.folder.iterdir()) == ["generated-1000.bin"]
