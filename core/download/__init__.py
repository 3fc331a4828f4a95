"""The one downloader: parallel, resumable, verified downloads of large files (M2M bundles and
bands, Carbon Mapper assets).

- :mod:`.downloader`: :class:`Downloader`, the files in parallel, progress and cancel.
- :mod:`.transfer`: one file's transfer (stream to ``.part``, resume with Range, verify, rename),
  configured by a frozen :class:`TransferOptions` (:mod:`.options`), never by the downloader.
- :mod:`.claim`: which name a file takes and the lock that keeps other runs off it
  (:mod:`.file_lock`).
- :mod:`.files`: safe file names, ``.part`` files and their sidecar, checksums.
- :mod:`.items`: what is asked (:class:`DownloadItem`) and answered (:class:`DownloadResult`).
- :mod:`.progress`: bytes, files, speed and time left across a run.

Modules import downwards only (downloader -> transfer -> claim -> files); this ``__init__`` only
re-exports.
"""

from __future__ import annotations

from .downloader import Downloader
from .files import filename_from_content_disposition, sanitize_filename
from .items import DownloadItem, DownloadResult, HeaderProvider
from .options import TransferOptions
from .progress import DownloadProgress

__all__ = [
    "DownloadItem", "DownloadProgress", "DownloadResult", "Downloader", "HeaderProvider", "TransferOptions",
    "filename_from_content_disposition", "sanitize_filename",
]
