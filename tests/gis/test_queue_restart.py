"""The queue survives a real restart: a second QGIS process (its own QgsApplication, a throwaway profile)
starts a download and is killed mid-transfer; a third one, in the same profile, offers the unfinished item,
resumes it from the ``.part`` file and finishes it, re-sending nothing the first one had received."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = Path(__file__).resolve().parents[1] / "support" / "queue_child.py"
PKGROOT = Path(__file__).resolve().parents[2] / "build" / "pkgroot"
SCENE = "LC90150352023067LGN00"
QGIS_PYTHON = "/usr/bin/python3"


def _env(emulator, profile: Path) -> dict:
    env = dict(os.environ)
    env.update(PYTHONPATH=str(PKGROOT), QT_QPA_PLATFORM="offscreen", SCENE_FINDER_M2M_URL=emulator.m2m_url,
               QGIS_CUSTOM_CONFIG_PATH=str(profile))
    return env


def _bytes_done(queue: Path) -> int:
    if not queue.exists():
        return 0
    with sqlite3.connect(f"file:{queue}?mode=ro", uri=True, timeout=5) as db:
        row = db.execute("SELECT bytes_done FROM items").fetchone()
    return row[0] if row else 0


@pytest.mark.skipif(not os.path.exists(QGIS_PYTHON) or sys.platform == "win32", reason="needs the QGIS Python")
def test_a_killed_qgis_resumes_its_queue_from_the_part_file(emulator, tmp_path):
    profile, folder = tmp_path / "profile", tmp_path / "downloads"
    emulator.faults.add("landsatlook", "gen-bundle", "throttle", bytes_per_second=40_000, times=1)
    first = subprocess.Popen([QGIS_PYTHON, str(CHILD), str(profile), "start", str(folder), SCENE],
                             env=_env(emulator, profile), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # where the queue is: the profile's folder as this QGIS lays it out (3.22 takes the folder given
        # to QgsApplication; newer ones the custom configuration path, with profiles/default below it)
        queue = Path(json.loads(first.stdout.readline())["queue"])
        assert profile in queue.parents
        deadline = time.monotonic() + 90
        while _bytes_done(queue) < 80_000:
            assert first.poll() is None, first.stderr.read()
            if time.monotonic() > deadline:
                first.kill()
                pytest.fail(f"the first process never got going: {first.communicate()[1][-3000:]}")
            time.sleep(0.1)
    finally:
        first.send_signal(signal.SIGKILL)  # no unload, no clean-up: a crash
        first.wait(30)
    part = next(folder.glob("*.part"))
    kept = part.stat().st_size
    assert kept >= 80_000
    sent_before = sum(e.bytes_sent for e in emulator.log.entries() if e.service == "landsatlook")
    emulator.log.clear()

    second = subprocess.run([QGIS_PYTHON, str(CHILD), str(profile), "resume"], env=_env(emulator, profile),
                            capture_output=True, text=True, timeout=180)
    assert second.returncode == 0, second.stderr
    said = json.loads(second.stdout.strip().splitlines()[-1])
    assert said["queue"] == str(queue) and said["unfinished"] == 1
    (item,) = said["items"]
    assert item["state"] == "done", item
    bundle = folder / item["file_name"]
    assert bundle.stat().st_size == item["bytes_total"] and not list(folder.glob("*.part"))
    sent_after = sum(e.bytes_sent for e in emulator.log.entries() if e.service == "landsatlook")
    resent = sent_before + sent_after - item["bytes_total"]
    assert resent <= 1 << 20  # the must-show: bytes re-sent at most 1 MiB
    assert sent_after <= item["bytes_total"] - kept + 1  # in fact only what the .part lacked (and a probe byte)
    raw = b"".join(p.read_bytes() for p in queue.parent.iterdir() if p.is_file())
    assert b"http" not in raw and b"demo-application-token" not in raw and b"Signature" not in raw
