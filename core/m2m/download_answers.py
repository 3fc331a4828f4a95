"""Typed answers of the M2M download endpoints: ``download-options``, ``download-request``, ``download-retrieve``.

Each parser returns a model or raises :class:`..errors.MalformedAnswerError` naming the field
(see :mod:`..parsing`). The service's known quirks stay accepted: ``newRecords`` and
``duplicateProducts`` are ``[]`` when empty (PHP's empty map), ids come as numbers or text, a
null list is an empty one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import DownloadOption, download_option_from_json, parse_checksum
from ..parsing import as_dict, as_int, as_list_of_dicts, as_str, as_url, malformed
from .errors import SERVICE


@dataclass(frozen=True)
class DownloadEntry:
    """One download listed by download-request or download-retrieve."""

    download_id: str  # "" when the answer does not say
    entity_id: str
    display_id: str
    url: str | None
    status_code: str
    status_text: str
    filesize: int | None
    checksum: tuple[str, str] | None
    message: str  # why it failed, in the service's words (failed downloads)

    def __repr__(self) -> str:  # the URL may be signed: never in a repr
        return f"DownloadEntry({self.download_id!r}, {self.entity_id!r}, status={self.status_code!r})"


@dataclass(frozen=True)
class RequestAnswer:
    """What ``download-request`` answered."""

    available: list[DownloadEntry]
    preparing: list[DownloadEntry]
    failed: list[DownloadEntry]
    new_records: dict[str, str]  # download id -> label
    duplicates: dict[str, str]  # download id -> label of the earlier request that has it


@dataclass(frozen=True)
class RetrieveAnswer:
    """What ``download-retrieve`` answered for one label."""

    available: list[DownloadEntry]
    requested: list[DownloadEntry]


def options_from_json(data: Any) -> list[DownloadOption]:
    """Every product of a ``download-options`` answer (null: none)."""
    return [download_option_from_json(item, f"download-options[{index}]")
            for index, item in enumerate(as_list_of_dicts(data, "data", SERVICE))]


def entry_from_json(item: Any, field: str) -> DownloadEntry:
    if not isinstance(item, dict):
        raise malformed(field, item, SERVICE)
    said = next((item[key] for key in ("errorMessage", "message", "statusText")
                 if isinstance(item.get(key), str) and item[key]), "")
    return DownloadEntry(
        download_id=as_str(item.get("downloadId"), f"{field}.downloadId", SERVICE),
        entity_id=as_str(item.get("entityId"), f"{field}.entityId", SERVICE),
        display_id=as_str(item.get("displayId"), f"{field}.displayId", SERVICE),
        url=as_url(item.get("url"), f"{field}.url", SERVICE),
        status_code=as_str(item.get("statusCode"), f"{field}.statusCode", SERVICE),
        status_text=as_str(item.get("statusText"), f"{field}.statusText", SERVICE),
        filesize=as_int(item.get("filesize"), f"{field}.filesize", SERVICE, minimum=0) or None,
        checksum=parse_checksum(item.get("checksum"), f"{field}.checksum"),
        message=said,
    )


def _entries(data: dict, key: str) -> list[DownloadEntry]:
    return [entry_from_json(item, f"{key}[{index}]")
            for index, item in enumerate(as_list_of_dicts(data.get(key), key, SERVICE))]


def _id_map(value: Any, field: str) -> dict[str, str]:
    """newRecords / duplicateProducts: {downloadId: label}, or [] when empty (the service's quirk)."""
    if isinstance(value, list) and not value:
        return {}
    return {key: as_str(label, f"{field}.{key}", SERVICE) for key, label in as_dict(value, field, SERVICE).items()}


def request_answer_from_json(data: Any) -> RequestAnswer:
    """A ``download-request`` answer (null: nothing listed)."""
    page = as_dict(data, "data", SERVICE)
    return RequestAnswer(
        available=_entries(page, "availableDownloads"),
        preparing=_entries(page, "preparingDownloads"),
        failed=_entries(page, "failed"),
        new_records=_id_map(page.get("newRecords"), "newRecords"),
        duplicates=_id_map(page.get("duplicateProducts"), "duplicateProducts"),
    )


def retrieve_answer_from_json(data: Any) -> RetrieveAnswer:
    """A ``download-retrieve`` answer (null: nothing listed)."""
    page = as_dict(data, "data", SERVICE)
    return RetrieveAnswer(available=_entries(page, "available"), requested=_entries(page, "requested"))
