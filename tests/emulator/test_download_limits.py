"""USGS's download limits in the emulator: downloads per user per 15 minutes, file transfers at once."""

from __future__ import annotations

import threading

import requests
from support.m2m_api import BUNDLE, DownloadUser

from scene_finder.emulator.limits import USER_DL_MESSAGE


def test_user_download_limit_answers_rate_limit_user_dl_per_user_and_window(emulator):
    emulator.faults.add("m2m", "download-request", "user_download_limit", times=None, downloads=2, window=900)
    api, other = DownloadUser(emulator), DownloadUser(emulator)
    one, two, three = api.scene_ids(3, preparing=False)
    api.request([one, two], label="first")
    answer = api.answer("download-request", {"downloads": [{"entityId": three, "productId": BUNDLE}]})
    assert answer["errorCode"] == "RATE_LIMIT_USER_DL" and answer["errorMessage"] == USER_DL_MESSAGE
    other.request([three], label="another user")  # counted per user
    emulator.clock.advance(901)
    api.request([three], label="after the window")


def test_concurrent_downloads_are_refused_with_429_and_retry_after(emulator):
    emulator.faults.add("files", "*", "concurrent_downloads", times=None, limit=1, retry_after=7)
    paused = emulator.faults.add("files", "*", "pause_at", byte=1000)
    url = emulator.generated_file_url(100_000)
    first = {}
    worker = threading.Thread(target=lambda: first.update(answer=requests.get(url, timeout=30)))
    worker.start()
    assert paused.reached.wait(10)
    second = requests.get(url, timeout=10)
    paused.release()
    worker.join(30)
    assert second.status_code == 429 and second.headers["Retry-After"] == "7"
    assert second.json()["errorCode"] == "RATE_LIMIT"
    assert first["answer"].status_code == 200 and len(first["answer"].content) == 100_000
    assert emulator.transfers.peak == 1 and emulator.transfers.refused == 1
    assert requests.get(url, timeout=10).status_code == 200  # the slot is free again
