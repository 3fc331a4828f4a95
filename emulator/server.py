"""The emulator's HTTP server: routing to services, fault injection, request log."""

from __future__ import annotations

import logging
import os
import ssl
import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Protocol

from .faults import FaultPlan
from .handler import EmulatorServer, RequestHandler
from .http import Request, Response, ensure_generated_file, file_response, json_response
from .limits import Transfers
from .link import Link, LinkShape
from .state import Clock, RequestLog

LOG = logging.getLogger(__name__)
OTHER_HOST = "127.0.0.2"  # loopback, but another host: where hostile redirects and next links point
M2M_PREFIX = "/api/api/json/stable/"
CARBONMAPPER_PREFIX = "/api/v1/"
FILES_PREFIX = "/files/"
DEFAULT_CACHE = Path(os.environ.get("SCENE_FINDER_EMULATOR_CACHE", Path.home() / ".cache" / "scene_finder_emulator"))

class Service(Protocol):
    name: str
    prefix: str

    def handle(self, request: Request) -> Response: ...


@dataclass
class EmulatorConfig:
    """What the emulated catalog and protocol look like. Every field has a sensible default."""

    landsat_scenes: int = 50_000
    carbonmapper_scenes: int = 20_000
    carbonmapper_plumes: int = 5_000
    seed: int = 20230326
    # download-retrieve calls before a preparing M2M download becomes available
    prepare_polls: int = 2
    # M2M accounts: username -> token; and users who have no M2M access (AUTH_UNAUTHROIZED)
    m2m_accounts: dict[str, str] = field(default_factory=lambda: {"demo": "demo-application-token"})
    m2m_users_without_access: dict[str, str] = field(default_factory=lambda: {"pending": "pending-token"})
    # Carbon Mapper: scoped API tokens, and email/password accounts for token/pair
    carbonmapper_tokens: set[str] = field(default_factory=lambda: {"demo-carbonmapper-token"})
    carbonmapper_accounts: dict[str, str] = field(default_factory=lambda: {"demo@example.com": "demo-password"})
    carbonmapper_page_limit: int = 1000
    cache_dir: Path = DEFAULT_CACHE
    # a preparing M2M download also needs this many seconds since its request (besides prepare_polls)
    prepare_seconds: float = 0.0
    # latency and bandwidth of the link to the clients (see .link); None: loopback as it is
    shape: LinkShape | None = None


class Emulator:
    """Both services on one loopback server. Use as a context manager, or start()/stop()."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        m2m_prefix: str = M2M_PREFIX,
        carbonmapper_prefix: str = CARBONMAPPER_PREFIX,
        config: EmulatorConfig | None = None,
        tls: ssl.SSLContext | None = None,
        **config_overrides,
    ):
        self.config = config or EmulatorConfig()
        for key, value in config_overrides.items():
            if not hasattr(self.config, key):
                raise TypeError(f"unknown emulator setting {key!r}")
            setattr(self.config, key, value)
        self.config.cache_dir = Path(self.config.cache_dir)
        self.host = host
        self.tls = tls  # an ssl server context: serve https:// (see .tls)
        self.requested_port = port
        self.m2m_prefix = m2m_prefix
        self.carbonmapper_prefix = carbonmapper_prefix
        self.clock = Clock()
        self.faults = FaultPlan()
        self.log = RequestLog()
        self.transfers = Transfers()  # file transfers in flight (fault kind concurrent_downloads)
        self.link = Link(self.config.shape)
        self.services: list[Service] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._other: ThreadingHTTPServer | None = None

    # -- life cycle -------------------------------------------------------------------
    def start(self) -> Emulator:
        server_class = EmulatorServer
        if self.tls is not None:
            from .tls import tls_server_class

            server_class = tls_server_class(EmulatorServer, self.tls)
        self._server = server_class((self.host, self.requested_port), RequestHandler)
        self._server.emulator = self
        self._server.stopping = threading.Event()  # ends stalled answers at once
        self.services = self._make_services()
        self._thread = threading.Thread(target=self._server.serve_forever, name="emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._other is not None:
            self._other.shutdown()
            self._other.server_close()
            self._other = None
        if self._server is not None:
            self._server.stopping.set()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def serve_forever(self) -> None:
        """Run in the foreground until interrupted (used by ``make emulator``)."""
        if self._server is None:
            self.start()
        try:
            while self._thread and self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def set_shape(self, latency_ms: float = 0.0, bandwidth_mbit: float = 0.0) -> None:
        """Shape the link from now on (see .link); zeros: loopback as it is."""
        self.config.shape = LinkShape(latency_ms, bandwidth_mbit)
        self.link.set(self.config.shape)

    def reset(self) -> None:
        """Forget faults and the request log (the catalog and sessions stay)."""
        self.faults.clear()
        self.log.clear()
        self.transfers.reset()

    # -- addresses --------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._server is not None, "emulator not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls is not None else 'http'}://{self.host}:{self.port}"

    @property
    def other_base_url(self) -> str:
        """The same emulator on another loopback host (127.0.0.2), listening from the first use on.

        Requests that arrive there are logged with ``host`` 127.0.0.2: a test of a hostile redirect
        or ``next`` link reads what reached the other host. OSError where 127.0.0.2 cannot be bound.
        """
        if self._other is None:
            other = EmulatorServer((OTHER_HOST, 0), RequestHandler)
            other.emulator = self
            other.stopping = self._server.stopping
            threading.Thread(target=other.serve_forever, name="emulator-other-host", daemon=True).start()
            self._other = other
        return f"http://{OTHER_HOST}:{self._other.server_address[1]}"

    @property
    def m2m_url(self) -> str:
        return self.base_url + self.m2m_prefix

    @property
    def carbonmapper_url(self) -> str:
        return self.base_url + self.carbonmapper_prefix

    @property
    def files_url(self) -> str:
        return self.base_url + FILES_PREFIX

    def generated_file_url(self, size: int) -> str:
        """URL of a deterministic file of ``size`` bytes (made on first use, then cached)."""
        return f"{self.files_url}generated/{size}.bin"

    # -- services ---------------------------------------------------------------------
    def _make_services(self) -> list[Service]:
        services: list[Service] = [_FilesService(self)]
        try:
            from .m2m.service import M2MService
        except ImportError:  # pragma: no cover - while the M2M emulation is being built
            LOG.debug("M2M emulation not available")
        else:
            m2m = M2MService(self)
            services.append(m2m)
            services.extend(m2m.extra_services())  # its download and browse hosts
        try:
            from .carbonmapper.service import CarbonMapperService
        except ImportError:  # pragma: no cover
            LOG.debug("Carbon Mapper emulation not available")
        else:
            services.append(CarbonMapperService(self))
        return sorted(services, key=lambda s: len(s.prefix), reverse=True)

    def service_for(self, path: str) -> Service | None:
        return next((s for s in self.services if path.startswith(s.prefix)), None)

    def service(self, name: str):
        return next(s for s in self.services if s.name == name)


class _FilesService:
    """Generated files for throughput benchmarks: ``/files/generated/<size>.bin``."""

    name = "files"
    prefix = FILES_PREFIX

    def __init__(self, emulator: Emulator):
        self.emulator = emulator

    def handle(self, request: Request) -> Response:
        parts = request.route.split("/")
        if request.method in ("GET", "HEAD") and len(parts) == 2 and parts[0] == "generated":
            stem = parts[1].removesuffix(".bin")
            if stem.isdigit() and 0 < int(stem) <= 16 << 30:
                path = self.emulator.config.cache_dir / "generated" / f"{stem}.bin"
                ensure_generated_file(path, int(stem))
                return file_response(request, path, filename=f"generated-{stem}.bin")
        return json_response({"detail": "Not found."}, status=404)
