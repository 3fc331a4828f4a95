"""Request and response objects of the emulator, independent of the services it emulates."""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs


@dataclass
class Request:
    method: str
    path: str  # full path, without the query string
    route: str  # path below the service prefix, e.g. "scene-search" or "catalog/plumes/annotated"
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    raw_target: str  # the request line's target, as sent (its length is what a 414 is about)
    service: str = ""

    @classmethod
    def parse_query(cls, query_string: str) -> dict[str, list[str]]:
        return parse_qs(query_string, keep_blank_values=True)

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def args(self, name: str) -> list[str]:
        return self.query.get(name, [])

    def json(self):
        """The JSON body, or None for an empty body. Raises ValueError on malformed JSON."""
        if not self.body.strip():
            return None
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Response:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    # A file to send instead of ``body`` (served with Range support), and the slice to send.
    file: Path | None = None
    file_offset: int = 0
    file_length: int = 0
    # A generator producing the body in pieces (for streamed, unsized bodies).
    stream: Iterator[bytes] | None = None

    @property
    def length(self) -> int:
        return self.file_length if self.file is not None else len(self.body)


def json_response(payload, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return Response(status, {"Content-Type": "application/json", **(headers or {})}, body)


def text_response(text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8") -> Response:
    return Response(status, {"Content-Type": content_type}, text.encode("utf-8"))


def file_etag(path: Path) -> str:
    stat = path.stat()
    digest = hashlib.sha1(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:20]
    return f'"{digest}"'


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def file_response(
    request: Request,
    path: Path,
    filename: str | None = None,
    content_type: str = "application/octet-stream",
    extra_headers: dict[str, str] | None = None,
) -> Response:
    """Serve ``path`` with Content-Length, Content-Disposition, ETag and single-range requests."""
    size = path.stat().st_size
    headers = {
        "Content-Type": content_type,
        "Accept-Ranges": "bytes",
        "ETag": file_etag(path),
        "Last-Modified": email.utils.formatdate(path.stat().st_mtime, usegmt=True),
        "Content-Disposition": f'attachment; filename="{filename or path.name}"',
        **(extra_headers or {}),
    }
    range_header = request.header("range")
    if_range = request.header("if-range")
    if range_header and (if_range is None or if_range == headers["ETag"]):
        match = _RANGE.match(range_header.strip())
        if match and (match.group(1) or match.group(2)):
            first, last = match.group(1), match.group(2)
            if first:
                start = int(first)
                end = min(int(last), size - 1) if last else size - 1
            else:  # suffix range: the last N bytes
                start = max(0, size - int(last))
                end = size - 1
            if start >= size or start > end:
                headers["Content-Range"] = f"bytes */{size}"
                return Response(416, headers, b"")
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
            return Response(206, headers, file=path, file_offset=start, file_length=end - start + 1)
    return Response(200, headers, file=path, file_offset=0, file_length=size)


def ensure_generated_file(path: Path, size: int, seed: int = 7) -> Path:
    """A deterministic file of ``size`` bytes (for throughput benchmarks), made once and kept."""
    if path.exists() and path.stat().st_size == size:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    block = hashlib.shake_256(f"scene-finder-{seed}".encode()).digest(1 << 20)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as out:
        remaining = size
        while remaining > 0:
            piece = block[: min(len(block), remaining)]
            out.write(piece)
            remaining -= len(piece)
    os.replace(tmp, path)
    return path
