"""The per-file lock: exclusive across threads and processes, never stale after a crash, no symlinks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from scene_finder.core.download.file_lock import FileLock
from scene_finder.core.download.files import file_matches
from scene_finder.core.errors import CancelledError

PKGROOT = Path(__file__).resolve().parents[2] / "build" / "pkgroot"
_HOLD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from scene_finder.core.download.file_lock import FileLock
lock = FileLock(sys.argv[2])
assert lock.try_acquire()
print("held", flush=True)
time.sleep(120)
"""


def test_one_holder_at_a_time_within_one_process(tmp_path):
    path = tmp_path / "a.bin.part.lock"
    first, second = FileLock(path), FileLock(path)
    assert first.try_acquire()
    assert not second.try_acquire()  # another open file: two runs in one process exclude each other
    first.release()
    assert not path.exists()  # the holder tidies up
    assert second.try_acquire()
    second.release()


def test_a_lock_held_by_another_process_and_left_by_a_killed_one(tmp_path):
    path = tmp_path / "a.bin.part.lock"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(PKGROOT), str(path)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        lock = FileLock(path)
        assert not lock.try_acquire()
        holder.send_signal(signal.SIGKILL)  # a crash: the lock file stays behind
        holder.wait(30)
        assert path.exists()
        assert lock.try_acquire()  # ... and blocks no one
        lock.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(30)


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="POSIX only")
def test_a_planted_symlink_is_not_followed(tmp_path):
    target = tmp_path / "victim.txt"
    target.write_text("keep me")
    path = tmp_path / "a.bin.part.lock"
    path.symlink_to(target)
    with pytest.raises(OSError):
        FileLock(path).try_acquire()
    assert target.read_text() == "keep me"


def test_checking_a_checksum_on_disk_stops_on_cancel(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"x" * (9 << 20))
    with pytest.raises(CancelledError):
        file_matches(path, ("sha256", "0" * 64), stopped=lambda: True)
