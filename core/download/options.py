"""How one download run transfers its files: a frozen snapshot of the downloader's settings.

:class:`~.downloader.Downloader` makes one :class:`TransferOptions` per ``download()`` call and
hands it to :class:`~.transfer.TransferRun`; the transfer step never sees the downloader itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import requests


@dataclass(frozen=True)
class TransferOptions:
    """``session`` (already following the file hosts' redirect policy) fetches into ``folder``;
    ``chunk_size`` bytes at most per read; a dropped connection or short body is resumed up to
    ``max_attempts`` times, waiting ``retry_backoff`` × (attempt − 1) seconds in between;
    ``timeout`` is (connect, read) in seconds."""

    session: requests.Session
    folder: Path
    chunk_size: int = 4 << 20
    max_attempts: int = 5
    retry_backoff: float = 1.0
    timeout: tuple[float, float] = (15.0, 30.0)
