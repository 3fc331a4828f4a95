"""The emulator's request handler: one HTTP exchange, with the faults that apply to it (statuses,
error envelopes, maintenance pages, stalls, drops, resets, pacing), logged in the request log."""

from __future__ import annotations

import json
import logging
import select
import socket
import struct
import sys
import threading
import time
import traceback
from contextlib import nullcontext as _kept
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .faults import MAX_STALL, RESPONSE_FAULTS, STALL_FAULTS, Fault
from .hostile import after_service, before_service
from .http import Request, Response, json_response
from .link import CHUNK, drain
from .malformed import malform
from .state import LoggedRequest

if TYPE_CHECKING:
    from .server import Emulator

LOG = logging.getLogger(__name__)

# The M2M error envelope, as recorded from the real service.
M2M_ERROR_MESSAGES = {
    "RATE_LIMIT": "Rate limit exceeded",
    "RATE_LIMIT_USER_DL": "You have exceeded the download rate limit; wait before making new requests",
    "AUTH_EXPIRED": "API key has expired due to inactivity",
    "SERVER_ERROR": "An unexpected error occurred",
}
MAINTENANCE_PAGE = (
    "<!DOCTYPE html><html><head><title>Scheduled Maintenance</title></head><body>"
    "<h1>EarthExplorer is down for scheduled maintenance</h1>"
    "<p>We apologize for the inconvenience. Please try again later.</p></body></html>"
)


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    emulator: Emulator
    stopping: threading.Event

    def handle_error(self, request, client_address) -> None:
        # A client closing its connection early (a cancelled download) is normal, not an error.
        if isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError | TimeoutError):
            return
        super().handle_error(request, client_address)


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args) -> None:  # noqa: A002 - silence the default stderr log
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET  # noqa: N815

    def _dispatch(self) -> None:
        emulator = self.server.emulator
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        service = emulator.service_for(split.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request(
            method=self.command,
            path=split.path,
            route=split.path[len(service.prefix):] if service else split.path,
            query=Request.parse_query(split.query),
            headers=headers,
            body=body,
            raw_target=self.path,
            service=service.name if service else "",
        )
        entry = LoggedRequest(
            request.service, request.method, request.route, request.path, request.query, headers, body,
            host=self.server.server_address[0],
        )
        emulator.log.append(entry)

        faults = emulator.faults
        delay = faults.take(request.service, request.route, "delay")
        if delay:
            time.sleep(float(delay.params.get("seconds", 1.0)))
        stall = faults.take(request.service, request.route, STALL_FAULTS)
        if stall is not None and stall.params.get("after", "request") != "headers":
            try:
                self._stall(stall)
            finally:
                entry.completed.set()
            return
        if faults.take(request.service, request.route, "ignore_range"):
            request.headers.pop("range", None)
        hostile = before_service(faults, request)
        response_fault = None if hostile is not None else faults.take(request.service, request.route, RESPONSE_FAULTS)
        client = self.client_address[0]
        refused = emulator.transfers.enter(emulator, request.service, request.route, client)
        counted = refused is None
        if refused is not None:
            response = refused
        elif hostile is not None:
            response = hostile
        elif response_fault is not None:
            response = _fault_response(response_fault)
        elif service is None:
            response = json_response({"detail": "Not found."}, status=404)
        else:
            try:
                response = service.handle(request)
            except Exception:  # the emulator reports its own bugs as a 500, like a real server
                LOG.error("emulator error on %s\n%s", request.path, traceback.format_exc())
                response = json_response({"detail": "Internal server error (emulator)."}, status=500)
        response = after_service(faults, request, response)
        malformed = faults.take(request.service, request.route, "malformed_json")
        if malformed is not None:
            response = malform(response, request.service, malformed.params)
        transfer = faults.take(request.service, request.route,
                               {"drop_at", "short_body", "throttle", "pause_at", "reset_at"})
        entry.status = response.status
        emulator.link.wait_latency(self.server.stopping)
        self._entry = entry  # bytes are counted into it as they are handed to the socket
        try:
            self._send(response, transfer, head_only=request.method == "HEAD", stall=stall)
        finally:
            if counted:
                emulator.transfers.leave(request.service, client)
            entry.completed.set()

    def _stall(self, fault: Fault) -> None:
        """Send nothing until ``seconds`` passed, the client went away or the emulator stops; then close."""
        deadline = time.monotonic() + min(float(fault.params.get("seconds", 60.0)), MAX_STALL)
        stopping = self.server.stopping
        while not stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            readable, _, _ = select.select([self.connection], [], [], min(0.05, left))
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        break  # the client closed its side
                except OSError:
                    break
                stopping.wait(min(0.05, left))  # it sent more (a next request): keep stalling
        self.close_connection = True
        self._hard_close()

    def _send(self, response: Response, transfer: Fault | None, head_only: bool, stall: Fault | None = None) -> int:
        self.send_response(response.status)
        streamed = response.stream is not None
        for name, value in response.headers.items():
            self.send_header(name, value)
        if streamed:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(response.length))
        if transfer is not None and transfer.kind in ("drop_at", "short_body"):
            self.send_header("Connection", "close")
        self.end_headers()
        if stall is not None:  # after="headers": the body never comes
            self._stall(stall)
            return 0
        if head_only:
            return 0
        limit = None
        rate = None
        if transfer is not None:
            if transfer.kind in ("drop_at", "short_body", "reset_at"):
                limit = int(transfer.params.get("byte", 0))
                self.close_connection = True
            elif transfer.kind == "throttle":
                rate = float(transfer.params.get("bytes_per_second", 1 << 20))
        try:
            if transfer is not None and transfer.kind == "pause_at":
                return self._write_paused(response, transfer)
            return self._write_body(response, limit, rate)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return self._entry.bytes_sent  # what reached the socket before the client went away
        finally:
            if transfer is not None and transfer.kind == "reset_at":
                self._reset()
            elif limit is not None:
                self._hard_close()

    def _write_body(self, response: Response, limit: int | None, rate: float | None) -> int:
        if response.stream is not None:
            sent = 0
            for piece in response.stream:
                sent += self._write_paced(piece, None)
            return sent
        if response.file is None:
            body = response.body if limit is None else response.body[:limit]
            return self._write_paced(body, rate)
        to_send = response.file_length if limit is None else min(limit, response.file_length)
        with open(response.file, "rb") as handle:
            if rate is None:
                return self._send_file(response.file, response.file_offset, to_send, handle)
            handle.seek(response.file_offset)
            sent = 0
            while sent < to_send:
                piece = handle.read(min(64 << 10, to_send - sent))
                if not piece:
                    break
                sent += self._write_paced(piece, rate)
            return sent

    def _write_paused(self, response: Response, fault: Fault) -> int:
        """``pause_at``: the body up to ``byte``, a pause until the test releases it, then the rest."""
        pause = int(fault.params.get("byte", 0))
        if response.file is None:
            body = response.body
            self._write_paced(body[:pause], None)
            self.wfile.flush()
            fault.reached.set()
            fault.resume.wait(float(fault.params.get("timeout", 60.0)))
            self._write_paced(body[pause:], None)
            return len(body)
        first = min(pause, response.file_length)
        sent = self._send_file(response.file, response.file_offset, first)
        fault.reached.set()
        fault.resume.wait(float(fault.params.get("timeout", 60.0)))
        return sent + self._send_file(response.file, response.file_offset + first, response.file_length - first)

    def _send_file(self, path, offset: int, count: int, handle=None) -> int:
        link = self.server.emulator.link
        sent = 0
        with (open(path, "rb") if handle is None else _kept(handle)) as source:
            while sent < count:
                piece = count - sent
                if link.limited:
                    piece = min(piece, CHUNK)
                    link.pace(piece)
                done = self.connection.sendfile(source, offset + sent, piece)
                if done == 0:
                    break
                sent += done
                self._entry.bytes_sent += done
        return sent

    def _write_paced(self, data: bytes, rate: float | None) -> int:
        """Write ``data`` (at ``rate`` bytes/s when throttled, through the shaped link), counting it as sent."""
        link = self.server.emulator.link
        if rate is None and not link.limited:
            self.wfile.write(data)
            self._entry.bytes_sent += len(data)
            return len(data)
        chunk = CHUNK if rate is None else max(1024, int(rate / 20))
        view = memoryview(data)
        for start in range(0, len(data), chunk):
            piece = view[start:start + chunk]
            link.pace(len(piece))
            self.wfile.write(piece)
            self._entry.bytes_sent += len(piece)
            if rate is not None:
                time.sleep(len(piece) / rate)
        return len(data)

    def _reset(self) -> None:
        """Abort the connection with a TCP reset (SO_LINGER 0), as a crashing proxy or server does.

        What was written is let out first (Linux: the send queue drains, at most 2 s), so the reset
        loses only what the client had not read yet, not bytes that never left this side.
        """
        try:
            self.wfile.flush()
            drain(self.connection, 2.0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _hard_close(self) -> None:
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _fault_response(fault: Fault) -> Response:
    params = fault.params
    if fault.kind == "proxy_auth":
        from .proxy import proxy_auth_response

        return proxy_auth_response()
    if fault.kind == "status":
        status = int(params.get("status", 503))
        headers = {}
        if "retry_after" in params:  # any text: its UTF-8 bytes go out as they are
            headers["Retry-After"] = str(params["retry_after"]).encode("utf-8").decode("latin-1")
        body = params.get("body")
        if body is None:
            return json_response({"detail": f"Emulated HTTP {status}."}, status=status, headers=headers)
        raw = body.encode() if isinstance(body, str) else body
        return Response(status, {"Content-Type": "text/plain", **headers}, raw)
    if fault.kind == "html":
        return Response(int(params.get("status", 503)), {"Content-Type": "text/html; charset=utf-8"},
                        MAINTENANCE_PAGE.encode())
    code = params.get("code", "SERVER_ERROR")
    envelope = {
        "requestId": 0, "version": "stable", "sessionId": None, "data": None,
        "errorCode": code, "errorMessage": params.get("message", M2M_ERROR_MESSAGES.get(code, code)),
    }
    return Response(int(params.get("status", 200)), {"Content-Type": "application/json"},
                    json.dumps(envelope).encode())
