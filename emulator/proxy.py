"""A hostile corporate proxy on loopback: it answers every request with 407 and asks for Windows
sign-in (``Proxy-Authenticate: NTLM`` and ``Negotiate``), as an NTLM proxy does to a client that
cannot do it. CONNECT (https://) and plain requests alike; it never forwards anything.

    with AuthRequiredProxy() as proxy:        # http://127.0.0.1:<proxy.port>
        ...point QGIS's proxy settings at it...
        proxy.seen                           # [(method, target), ...]

:func:`proxy_auth_response` is the same answer as an emulator response (fault kind ``proxy_auth``).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .http import Response

BODY = (b"<html><head><title>407 Proxy Authentication Required</title></head><body><h1>Proxy Authentication "
        b"Required</h1><p>Sign in with your Windows account.</p></body></html>")
CHALLENGES = ("NTLM", "Negotiate")


def proxy_auth_response() -> Response:
    """407 with the NTLM/Negotiate challenges and an HTML page (fault kind ``proxy_auth``)."""
    return Response(407, {"Content-Type": "text/html", "Proxy-Authenticate": ", ".join(CHALLENGES),
                          "Proxy-Connection": "close"}, BODY)


class AuthRequiredProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        super().__init__((host, port), _Handler)
        self.seen: list[tuple[str, str]] = []
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> AuthRequiredProxy:
        self._thread = threading.Thread(target=self.serve_forever, name="proxy-407", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> AuthRequiredProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: AuthRequiredProxy

    def log_message(self, format, *args) -> None:  # noqa: A002
        pass

    def _refuse(self) -> None:
        self.server.seen.append((self.command, self.path))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(407)
        for challenge in CHALLENGES:
            self.send_header("Proxy-Authenticate", challenge)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(BODY)
        self.close_connection = True

    do_CONNECT = do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _refuse  # noqa: N815
