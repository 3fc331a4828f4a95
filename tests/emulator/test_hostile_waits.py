"""The emulator's hostile faults for waits: stalled answers and Retry-After of any text."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from pathlib import Path

import pytest

from scene_finder.emulator import Emulator
from scene_finder.emulator.faults import MAX_STALL

GUARD = 10.0  # seconds: a generous bound for what should take a fraction of one
FILE = "/files/generated/1000.bin"


def connect(emulator) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(emulator.host, emulator.port, timeout=GUARD + 20)


def test_stall_sends_nothing_for_its_time_then_closes(emulator):
    emulator.faults.add("files", "*", "stall", seconds=0.5)
    connection = connect(emulator)
    connection.request("GET", FILE)
    with pytest.raises(http.client.RemoteDisconnected):
        connection.getresponse()
    [entry] = emulator.log.entries("files")
    assert entry.completed.is_set() and entry.bytes_sent == 0
    connection.close()
    again = connect(emulator)  # the next request is answered as usual
    again.request("GET", FILE)
    assert again.getresponse().status == 200
    again.close()


def test_stall_after_headers_sends_the_headers_then_no_body(emulator):
    emulator.faults.add("files", "*", "stall", seconds=0.5, after="headers")
    connection = connect(emulator)
    connection.request("GET", FILE)
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Length") == "1000"
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    connection.close()


def test_stall_ends_when_the_client_goes_away(emulator):
    emulator.faults.add("files", "*", "stall", seconds=MAX_STALL)
    with socket.create_connection((emulator.host, emulator.port)) as client:
        client.sendall(f"GET {FILE} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        while not emulator.log.count("files"):
            time.sleep(0.01)
    [entry] = emulator.log.entries("files", settle_seconds=0)
    assert entry.completed.wait(GUARD)


def test_stopping_the_emulator_ends_a_stall(tmp_path):
    running = Emulator(cache_dir=Path(__file__).resolve().parents[2] / "build" / "emulator-cache").start()
    running.faults.add("files", "*", "stall", seconds=MAX_STALL)
    got = []

    def ask() -> None:
        connection = http.client.HTTPConnection(running.host, running.port, timeout=GUARD + 20)
        try:
            connection.request("GET", FILE)
            connection.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            got.append(exc)

    asking = threading.Thread(target=ask)
    asking.start()
    while not running.log.count("files"):
        time.sleep(0.01)
    started = time.monotonic()
    running.stop()
    asking.join(GUARD)
    assert time.monotonic() - started < GUARD and not asking.is_alive()
    assert got and isinstance(got[0], ConnectionError)  # RemoteDisconnected is one


@pytest.mark.parametrize("value", ["soon", "-5", "1.5", "Thu, 99 Foo", "⏳ bientôt"])
def test_retry_after_can_be_any_text(emulator, value):
    emulator.faults.add("files", "*", "status", status=503, retry_after=value)
    connection = connect(emulator)
    connection.request("GET", FILE)
    response = connection.getresponse()
    assert response.status == 503
    assert response.getheader("Retry-After").encode("latin-1") == value.encode("utf-8")
    connection.close()
