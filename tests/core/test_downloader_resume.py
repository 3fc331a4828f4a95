"""Resume, restart, stalls and cancel against the emulator's transfer faults."""

from __future__ import annotations

import hashlib
import json
import threading
import time

import pytest

from scene_finder.core.download import Downloader, DownloadItem
from scene_finder.core.errors import CancelledError
from scene_finder.core.http import make_session
from scene_finder.emulator.http import ensure_generated_file

MIB = 1 << 20
SIZE = 8 * MIB


def generated_bytes(emulator, size: int) -> bytes:
    return ensure_generated_file(emulator.config.cache_dir / "generated" / f"{size}.bin", size).read_bytes()


@pytest.fixture()
def session():
    with make_session(backoff=0.01) as running:
        yield running


def make_downloader(session, tmp_path, **kw) -> Downloader:
    kw.setdefault("retry_backoff", 0.01)
    return Downloader(session, tmp_path / "downloads", **kw)


def sent(emulator) -> int:
    return sum(e.bytes_sent for e in emulator.log.entries("files"))


def check_complete(emulator, result, size=SIZE):
    assert result.status == "done", result.error
    assert result.path.read_bytes() == generated_bytes(emulator, size)
    folder = result.path.parent
    assert not [p for p in folder.iterdir() if p.name.endswith((".part", ".part.json"))]


@pytest.mark.parametrize("fault", ["drop_at", "short_body"])
def test_resumes_within_one_call(emulator, session, tmp_path, fault):
    emulator.faults.add("files", "*", fault, byte=5 * MIB)
    item = DownloadItem(emulator.generated_file_url(SIZE), filename="a.bin",
                        checksum=("sha256", hashlib.sha256(generated_bytes(emulator, SIZE)).hexdigest()))
    [result] = make_downloader(session, tmp_path).download([item])
    check_complete(emulator, result)
    first, second = emulator.log.entries("files")
    assert "range" not in first.headers
    assert second.headers["range"] == f"bytes={5 * MIB}-"
    assert second.headers["if-range"].startswith('"')  # the ETag of the first answer
    assert second.status == 206
    assert sent(emulator) - SIZE <= 64 << 10  # almost nothing sent twice


def test_resumes_across_calls(emulator, session, tmp_path):
    emulator.faults.add("files", "*", "drop_at", byte=3 * MIB)
    item = DownloadItem(emulator.generated_file_url(SIZE))  # named by the server
    [failed] = make_downloader(session, tmp_path, max_attempts=1).download([item])
    assert failed.status == "failed"
    assert "partial file is kept" in str(failed.error)
    folder = tmp_path / "downloads"
    name = f"generated-{SIZE}.bin"
    assert (folder / (name + ".part")).stat().st_size == 3 * MIB
    assert json.loads((folder / (name + ".part.json")).read_text())["total"] == SIZE
    assert not (folder / name).exists()

    emulator.log.clear()
    [result] = make_downloader(session, tmp_path).download([item])
    check_complete(emulator, result)
    probe, rest = emulator.log.entries("files")
    assert (probe.headers["range"], probe.status, probe.bytes_sent) == ("bytes=0-0", 206, 1)  # learns the name
    assert (rest.headers["range"], rest.status) == (f"bytes={3 * MIB}-", 206)
    assert sent(emulator) - (SIZE - 3 * MIB) == 1


def test_server_named_file_is_skipped_with_one_tiny_request_when_parts_lie_around(emulator, session, tmp_path):
    downloader = make_downloader(session, tmp_path)
    item = DownloadItem(emulator.generated_file_url(MIB))
    downloader.download([item])
    (tmp_path / "downloads" / "other.bin.part").write_bytes(b"x")
    emulator.log.clear()
    [result] = downloader.download([item])
    assert result.status == "skipped"
    [entry] = emulator.log.entries("files")
    assert entry.bytes_sent == 1


def test_resume_with_known_name_sends_only_the_rest(emulator, session, tmp_path):
    emulator.faults.add("files", "*", "drop_at", byte=3 * MIB)
    item = DownloadItem(emulator.generated_file_url(SIZE), filename="a.bin", size=SIZE)
    make_downloader(session, tmp_path, max_attempts=1).download([item])
    emulator.log.clear()
    [result] = make_downloader(session, tmp_path).download([item])
    check_complete(emulator, result)
    [entry] = emulator.log.entries("files")
    assert entry.status == 206
    assert entry.bytes_sent == SIZE - 3 * MIB
    assert result.bytes_transferred == SIZE - 3 * MIB


def test_restarts_when_server_ignores_range(emulator, session, tmp_path):
    emulator.faults.add("files", "*", "drop_at", byte=3 * MIB)
    emulator.faults.add("files", "*", "ignore_range", times=2)  # the first request takes one
    [result] = make_downloader(session, tmp_path).download([DownloadItem(emulator.generated_file_url(SIZE),
                                                                         filename="a.bin")])
    check_complete(emulator, result)
    # Asked for the rest, got everything (the emulator drops the Range it ignores from its log): rewritten.
    assert [(e.status, e.bytes_sent) for e in emulator.log.entries("files")] == [(200, 3 * MIB), (200, SIZE)]
    assert result.bytes_transferred == 3 * MIB + SIZE


def test_changed_file_restarts(emulator, session, tmp_path):
    emulator.faults.add("files", "*", "drop_at", byte=3 * MIB)
    item = DownloadItem(emulator.generated_file_url(SIZE), filename="a.bin")
    make_downloader(session, tmp_path, max_attempts=1).download([item])
    sidecar = tmp_path / "downloads" / "a.bin.part.json"
    sidecar.write_text(json.dumps({"etag": '"another-version"', "last_modified": None, "total": SIZE}))
    emulator.log.clear()
    [result] = make_downloader(session, tmp_path).download([item])
    check_complete(emulator, result)
    [entry] = emulator.log.entries("files")
    assert entry.headers["if-range"] == '"another-version"'
    assert entry.status == 200


def test_complete_part_is_finished_without_body(emulator, session, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "a.bin.part").write_bytes(generated_bytes(emulator, MIB))
    [result] = make_downloader(session, tmp_path).download([DownloadItem(emulator.generated_file_url(MIB),
                                                                         filename="a.bin")])
    check_complete(emulator, result, MIB)
    assert [e.status for e in emulator.log.entries("files")] == [416]


def test_gives_up_after_max_attempts(emulator, session, tmp_path):
    emulator.faults.add("files", "*", "short_body", byte=MIB, times=None)
    [result] = make_downloader(session, tmp_path, max_attempts=3).download(
        [DownloadItem(emulator.generated_file_url(SIZE), filename="a.bin")]
    )
    assert result.status == "failed"
    assert "3 attempts" in str(result.error)
    assert emulator.log.count("files") == 3
    assert not (tmp_path / "downloads" / "a.bin").exists()
    assert (tmp_path / "downloads" / "a.bin.part").exists()


def test_stalled_server_is_asked_again_after_read_timeout(emulator, session, tmp_path):
    emulator.faults.add("files", "*", "throttle", bytes_per_second=200)  # 1 KiB, then 5 s of silence
    downloader = make_downloader(session, tmp_path, timeout=(5.0, 0.5))
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(MIB), filename="a.bin")])
    check_complete(emulator, result, MIB)
    assert emulator.log.count("files") == 2


def test_cancel_stops_a_throttled_download_and_keeps_the_part(emulator, session, tmp_path):
    emulator.faults.add("files", "*", "throttle", bytes_per_second=MIB)
    cancel = threading.Event()
    reports = []

    def on_progress(report):
        reports.append(report)
        if report.bytes_done > 0:
            cancel.set()

    downloader = make_downloader(session, tmp_path)
    started = time.monotonic()
    with pytest.raises(CancelledError):
        downloader.download([DownloadItem(emulator.generated_file_url(SIZE), filename="a.bin")], cancel, on_progress)
    assert cancel.is_set()
    assert time.monotonic() - started < 5  # generous: the throttled transfer alone would take 8 s
    folder = tmp_path / "downloads"
    assert not (folder / "a.bin").exists()
    kept = (folder / "a.bin.part").stat().st_size
    assert 0 < kept < SIZE

    emulator.log.clear()
    [result] = downloader.download([DownloadItem(emulator.generated_file_url(SIZE), filename="a.bin")])
    check_complete(emulator, result)
    assert emulator.log.entries("files")[0].headers["range"] == f"bytes={kept}-"


def test_cancel_interrupts_a_stalled_read(emulator, session, tmp_path):
    emulator.faults.add("files", "*", "throttle", bytes_per_second=100)  # silent after the first KiB
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(CancelledError):
        make_downloader(session, tmp_path).download(  # default read timeout: 30 s
            [DownloadItem(emulator.generated_file_url(MIB), filename="a.bin")], cancel=cancel.is_set
        )
    assert time.monotonic() - started < 10


def test_cancel_before_start(emulator, session, tmp_path):
    with pytest.raises(CancelledError):
        make_downloader(session, tmp_path).download(
            [DownloadItem(emulator.generated_file_url(SIZE), filename=f"{i}.bin") for i in range(4)],
            cancel=lambda: True,
        )
    assert emulator.log.count("files") == 0
