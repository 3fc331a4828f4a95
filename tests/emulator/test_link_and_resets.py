"""The emulator's shaped link (latency, one bandwidth cap) and what it counts as sent on torn connections."""

from __future__ import annotations

import hashlib
import http.client
import socket
import struct
import threading

import pytest

from scene_finder.emulator import Emulator
from scene_finder.emulator.link import Link, LinkShape

MIB = 1 << 20
SIZE = 8 * MIB
FILE = f"/files/generated/{SIZE}.bin"


def _get(emulator, path: str = FILE) -> bytes:
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=60)
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return body


def test_a_shaped_link_delivers_the_same_bytes(emulator, tmp_path):
    plain = _get(emulator)
    with Emulator(cache_dir=emulator.config.cache_dir, shape=LinkShape(latency_ms=5, bandwidth_mbit=2000)) as shaped:
        bodies = []
        threads = [threading.Thread(target=lambda: bodies.append(_get(shaped))) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        search = _get(shaped, "/api/api/json/stable/login-token")  # JSON answers pass through the link too
        assert [e.bytes_sent for e in shaped.log.entries("files")] == [SIZE, SIZE]
    assert len(bodies) == 2 and all(hashlib.sha256(b).digest() == hashlib.sha256(plain).digest() for b in bodies)
    assert b"errorCode" in search


def test_link_shape_can_be_changed_and_turned_off(emulator):
    emulator.set_shape(latency_ms=1, bandwidth_mbit=4000)
    try:
        assert emulator.link.limited and len(_get(emulator)) == SIZE
    finally:
        emulator.set_shape()
    assert not emulator.link.limited and emulator.config.shape == LinkShape()


def test_pacing_an_unlimited_link_does_nothing():
    link = Link()
    link.pace(1 << 40)  # would take hours if it paced
    assert not link.limited


def test_reset_at_aborts_mid_stream_and_counts_what_was_sent(emulator):
    emulator.faults.add("files", "*", "reset_at", byte=3 * MIB)
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=60)
    connection.request("GET", FILE)
    response = connection.getresponse()
    assert response.status == 200
    with pytest.raises((http.client.IncompleteRead, ConnectionResetError)):
        response.read()
    connection.close()
    [entry] = emulator.log.entries("files")
    assert entry.bytes_sent == 3 * MIB


def test_bytes_sent_counts_a_transfer_the_client_reset(emulator):
    """A client that reads a little and resets: the log still says what the server wrote to the socket."""
    emulator.faults.add("files", "*", "throttle", bytes_per_second=4 * MIB)  # the server is mid-write for a while
    with socket.create_connection((emulator.host, emulator.port), timeout=30) as client:
        client.sendall(f"GET {FILE} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        received = 0
        while received < MIB:
            received += len(client.recv(256 << 10))
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
    [entry] = emulator.log.entries("files", settle_seconds=10)
    assert entry.completed.is_set()
    assert MIB <= entry.bytes_sent < SIZE  # not 0, as when only a finished answer was counted


def test_prepare_fault_and_prepare_seconds_hold_a_download(emulator):
    """``prepare`` queues the next download as preparing; it needs its polls and its seconds."""
    from scene_finder.core.m2m import M2MClient, download_options, search_scenes

    saved = emulator.config.prepare_polls, emulator.config.prepare_seconds
    emulator.config.prepare_polls, emulator.config.prepare_seconds = 1, 3600.0
    try:
        with M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url) as client:
            scene = next(iter(search_scenes(client, start="2024-05-01", end="2024-05-03", limit=5)))
            option = next(o for o in download_options(client, "landsat_ot_c2_l2", [scene.entity_id])
                          if o.download_system == "ls_zip")
            emulator.faults.add("m2m", "download-request", "prepare")
            answer = client.call("download-request", {"downloads": [{"entityId": scene.entity_id,
                                                                     "productId": option.product_id}],
                                                      "label": "bench-prepare"})
            assert answer["preparingDownloads"] and not answer["availableDownloads"]
            retrieved = client.call("download-retrieve", {"label": "bench-prepare"})
            assert retrieved["queueSize"] == 1 and not retrieved["available"]  # its polls done, not its time
            emulator.config.prepare_seconds = 0.0  # as if its time had passed
            assert client.call("download-retrieve", {"label": "bench-prepare"})["available"]
    finally:
        emulator.config.prepare_polls, emulator.config.prepare_seconds = saved
