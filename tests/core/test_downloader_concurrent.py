"""Two downloads of one file (two runs, two processes, a cancelled worker still busy with its file) and the
checks of what is ON DISK before a file is called done or skipped."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scene_finder.core.download import Downloader, DownloadItem
from scene_finder.core.errors import CancelledError
from scene_finder.core.http import make_session
from scene_finder.emulator.http import ensure_generated_file

MIB = 1 << 20
BIG = 64 * MIB
PKGROOT = Path(__file__).resolve().parents[2] / "build" / "pkgroot"
WAITING = "is being downloaded by another run"


def source_path(emulator, size: int) -> Path:
    return ensure_generated_file(emulator.config.cache_dir / "generated" / f"{size}.bin", size)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(4 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def same_bytes(path: Path, source: Path) -> bool:
    return path.stat().st_size == source.stat().st_size and sha256_of(path) == sha256_of(source)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


@pytest.fixture()
def session():
    with make_session(backoff=0.01) as running:
        yield running


class Run(threading.Thread):
    """One Downloader.download() call in its own thread (a second panel task, a Processing run)."""

    def __init__(self, session, folder: Path, item: DownloadItem, cancel: threading.Event | None = None):
        super().__init__(daemon=True)
        self.downloader = Downloader(session, folder, retry_backoff=0.01, chunk_size=64 << 10)
        self.item = item
        self.cancel = cancel
        self.result = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            [self.result] = self.downloader.download([self.item], cancel=self.cancel)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc

    def outcome(self, timeout: float = 60):
        self.join(timeout)
        assert not self.is_alive(), "the download run did not end"
        if self.error is not None and not isinstance(self.error, CancelledError):
            raise self.error
        return self.result


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from scene_finder.core.download import Downloader, DownloadItem
from scene_finder.core.http import make_session
with make_session(backoff=0.01) as session:
    [result] = Downloader(session, sys.argv[2]).download([DownloadItem(sys.argv[3])])
print(json.dumps({"status": result.status, "name": result.path.name if result.path else None,
                  "error": str(result.error) if result.error else None}))
"""


def test_two_processes_download_one_64_mib_file_byte_identical(emulator, tmp_path):
    source = source_path(emulator, BIG)
    folder = tmp_path / "downloads"
    # Both answers are slowed down so that the two runs overlap whatever the machine's load.
    emulator.faults.add("files", "*", "throttle", times=2, bytes_per_second=48 * MIB)
    url = emulator.generated_file_url(BIG)  # named by the server: both runs ask before they know the name
    children = [subprocess.Popen([sys.executable, "-c", _CHILD, str(PKGROOT), str(folder), url],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(o["status"] for o in outcomes) == ["done", "skipped"], outcomes
    assert {o["name"] for o in outcomes} == {f"generated-{BIG}.bin"}
    assert same_bytes(folder / f"generated-{BIG}.bin", source)
    assert leftovers(folder) == []


def test_a_second_run_waits_instead_of_truncating_the_part(emulator, session, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="scene_finder")
    source = source_path(emulator, BIG)
    folder = tmp_path / "downloads"
    item = DownloadItem(emulator.generated_file_url(BIG), filename="big.bin", size=BIG)
    first_pause = emulator.faults.add("files", "*", "pause_at", byte=40 * MIB)
    first = Run(session, folder, item)
    first.start()
    assert first_pause.reached.wait(30)
    # What the second run would meet, were it to send a request: a server that ignores its Range, and a
    # pause, so that it is still writing when the first run ends.
    emulator.faults.add("files", "*", "ignore_range")
    second_pause = emulator.faults.add("files", "*", "pause_at", byte=MIB)
    second = Run(session, folder, DownloadItem(item.url, filename="big.bin", size=BIG))
    second.start()
    wait_for(lambda: second_pause.reached.is_set() or WAITING in caplog.text)
    first_pause.release()
    result = first.outcome()
    assert result.status == "done", result.error
    assert same_bytes(result.path, source)  # what the first run calls done is the file, whole
    second_pause.release()
    again = second.outcome()
    assert again.status == "skipped"
    assert same_bytes(folder / "big.bin", source)
    assert leftovers(folder) == []
    assert emulator.log.count("files") == 1  # the second run looked at the file on disk, not at the server


def test_a_run_started_while_a_cancelled_worker_still_hashes_the_part(emulator, session, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="scene_finder")
    source = source_path(emulator, BIG)
    folder = tmp_path / "downloads"
    checksum = ("md5", hashlib.md5(source.read_bytes()).hexdigest())
    url = emulator.generated_file_url(BIG)
    emulator.faults.add("files", "*", "drop_at", byte=60 * MIB)
    [dropped] = Downloader(session, folder, max_attempts=1).download(
        [DownloadItem(url, filename="big.bin", checksum=checksum)])
    assert dropped.status == "failed" and (folder / "big.bin.part").stat().st_size == 60 * MIB
    emulator.log.clear()

    # The first run resumes with a checksum to check (60 MiB of md5 to read), and is cancelled as soon as
    # it has asked for the rest; a second run starts at that moment and is held after its first MiB.
    emulator.faults.add("files", "*", "throttle", bytes_per_second=1 << 40)  # the first run's: unchanged
    pause = emulator.faults.add("files", "*", "pause_at", byte=MIB)  # the second run's
    cancel = threading.Event()
    first = Run(session, folder, DownloadItem(url, filename="big.bin", checksum=checksum), cancel)
    first.start()
    wait_for(lambda: emulator.log.count("files") >= 1)
    cancel.set()
    second = Run(session, folder, DownloadItem(url, filename="big.bin", size=BIG))
    second.start()
    wait_for(lambda: pause.reached.is_set() or WAITING in caplog.text)
    earlier = first.outcome()  # the cancelled worker has let go of the file
    pause.release()
    result = second.outcome()
    # On a busy machine the first run may finish (and verify) the file before it sees the cancel (its
    # download() then still ends in CancelledError): the second then finds it complete on disk. Either
    # way exactly one run wrote the file, and the file is whole.
    assert result.status in ("done", "skipped"), result.error
    if getattr(earlier, "status", None) == "done":
        assert result.status == "skipped"
    written = [r for r in caplog.records if r.getMessage().startswith("Downloaded big.bin")]
    assert len(written) == 1
    assert same_bytes(folder / "big.bin", source)
    assert leftovers(folder) == []


def test_a_part_changed_on_disk_during_the_download_is_not_renamed(emulator, session, tmp_path):
    source = source_path(emulator, 8 * MIB)
    folder = tmp_path / "downloads"
    checksum = ("sha256", sha256_of(source))
    pause = emulator.faults.add("files", "*", "pause_at", byte=4 * MIB)
    run = Run(session, folder, DownloadItem(emulator.generated_file_url(8 * MIB), filename="a.bin",
                                            checksum=checksum))
    run.start()
    assert pause.reached.wait(30)
    wait_for(lambda: (folder / "a.bin.part").exists() and (folder / "a.bin.part").stat().st_size == 4 * MIB)
    with open(folder / "a.bin.part", "r+b") as part:  # another program writes into it
        part.write(bytes(MIB))
    pause.release()
    result = run.outcome()
    assert result.status == "failed"
    assert "checksum" in str(result.error)
    assert not (folder / "a.bin").exists()


def test_a_complete_looking_file_with_a_hole_is_not_skipped(emulator, session, tmp_path):
    source = source_path(emulator, 4 * MIB)
    folder = tmp_path / "downloads"
    folder.mkdir()
    damaged = bytearray(source.read_bytes())
    damaged[MIB:MIB + 138_745] = bytes(138_745)  # right size, a hole of zeros
    (folder / "a.bin").write_bytes(damaged)
    item = DownloadItem(emulator.generated_file_url(4 * MIB), filename="a.bin", size=4 * MIB,
                        checksum=("sha256", sha256_of(source)))
    [result] = Downloader(session, folder).download([item])
    assert result.status == "done"
    assert same_bytes(folder / "a.bin", source)
    emulator.log.clear()
    [again] = Downloader(session, folder).download([item])
    assert again.status == "skipped" and emulator.log.count("files") == 0


def test_server_ignoring_range_on_resume_rewrites_from_zero(emulator, session, tmp_path):
    source = source_path(emulator, 8 * MIB)
    folder = tmp_path / "downloads"
    item = DownloadItem(emulator.generated_file_url(8 * MIB), filename="a.bin", size=8 * MIB)
    emulator.faults.add("files", "*", "drop_at", byte=5 * MIB)
    Downloader(session, folder, max_attempts=1).download([item])
    (folder / "a.bin.part").write_bytes(b"\xff" * (5 * MIB))  # what is kept must not survive a 200
    emulator.faults.add("files", "*", "ignore_range")
    [result] = Downloader(session, folder).download([item])
    assert result.status == "done"
    assert same_bytes(folder / "a.bin", source)
    [entry] = emulator.log.entries("files")[1:]
    assert entry.status == 200


def test_waiting_for_another_run_can_be_cancelled(emulator, session, tmp_path, caplog):
    from scene_finder.core.download.file_lock import FileLock

    caplog.set_level(logging.INFO, logger="scene_finder")
    folder = tmp_path / "downloads"
    folder.mkdir()
    other = FileLock(folder / "a.bin.part.lock")  # another process is writing a.bin
    assert other.try_acquire()
    try:
        cancel = threading.Event()
        run = Run(session, folder, DownloadItem(emulator.generated_file_url(MIB), filename="a.bin"), cancel)
        run.start()
        wait_for(lambda: WAITING in caplog.text)
        cancel.set()
        run.outcome(timeout=10)
        assert isinstance(run.error, CancelledError)
        assert emulator.log.count("files") == 0 and not (folder / "a.bin.part").exists()
    finally:
        other.release()
