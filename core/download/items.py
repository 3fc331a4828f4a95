"""What the downloader is asked to fetch and what it answers: one item, one result, and the headers
provider that keeps credentials live over a long queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import SceneFinderError
from ..redact import redact_url


class HeaderProvider(Protocol):
    """Headers asked for at each request (so a long queue always sends a live token)."""

    def __call__(self) -> dict[str, str]:
        """The headers for the next request (e.g. Authorization)."""

    def refresh(self, refused: dict[str, str]) -> bool:
        """The server answered 401 to ``refused``: renew them; True when new headers are worth one more
        try. May raise our typed error (the sign-in itself failed)."""


@dataclass
class DownloadItem:
    url: str
    filename: str | None = None  # None: from Content-Disposition, else the URL's last path segment
    size: int | None = None
    checksum: tuple[str, str] | None = None  # (algorithm, hex digest): ("md5", "…"), ("sha256", "…")
    headers: dict = field(default_factory=dict)  # e.g. Authorization; sent, never logged
    key: str | None = None  # the caller's own identifier (scene id, asset key)
    header_provider: HeaderProvider | None = None  # asked per request; its headers win over ``headers``

    def __repr__(self) -> str:
        # Reprs end up in logs and tracebacks: no signed query string, no header (they carry tokens).
        return (f"DownloadItem(url={redact_url(self.url)!r}, filename={self.filename!r}, size={self.size!r}, "
                f"key={self.key!r})")


@dataclass
class DownloadResult:
    item: DownloadItem
    path: Path | None
    status: str  # "done" | "skipped" | "failed"
    bytes_transferred: int
    error: SceneFinderError | None = None
