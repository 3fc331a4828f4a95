"""The ``malformed_json`` fault: a real answer, still valid JSON (or valid headers), made wrong in one way.

The service answers normally; its JSON is then changed according to ``variant``:

- ``error_message``: an error whose message is not text. M2M: an error envelope
  (``code``, default SERVER_ERROR) whose ``errorMessage`` is an object; Carbon Mapper: HTTP
  ``status`` (default 400) with a ``detail`` object. ``message`` replaces the value.
- ``huge_number`` / ``infinity`` / ``nan``: the sizes and counts (``filesize``, ``totalHits``,
  ``recordsReturned``, ``sceneCount``, ``bbox_count``, ``total_count``, ``count``,
  ``emission_auto``, ``bbox``...; ``fields`` to choose) become ``1e999``, ``Infinity`` or
  ``NaN`` in the JSON text; a GeoPackage page gets the value in its ``pagination-count`` header.
- ``secondary_int``: every ``secondaryDownloads`` becomes the integer 7.
- ``plume_geometry``: every ``geometry_json`` becomes a Point with text coordinates, or
  ``geometry`` when given (e.g. a list, or a Point at latitude 200).
- ``containers``: the objects of the answer's main list (M2M ``data`` or its ``results``,
  ``availableDownloads``, ``preparingDownloads``, ``available``, ``requested``; Carbon Mapper
  ``items``, ``features``) become lists of their values.
"""

from __future__ import annotations

import json
from typing import Any

from .http import Response

VARIANTS = frozenset({"error_message", "huge_number", "infinity", "nan", "secondary_int", "plume_geometry",
                      "containers"})
NUMBER_LITERALS = {"huge_number": "1e999", "infinity": "Infinity", "nan": "NaN"}
NUMBER_FIELDS = ("filesize", "totalHits", "recordsReturned", "sceneCount", "bbox_count", "total_count", "count",
                 "emission_auto", "bbox")
MAIN_LISTS = ("results", "availableDownloads", "preparingDownloads", "available", "requested", "items", "features")
BAD_POINT = {"type": "Point", "coordinates": ["-119.44", "north"]}
_PLACEHOLDER = "\x00malformed-number\x00"


def check_variant(params: dict) -> None:
    """Refuse an unknown variant when the fault is added, not when a request meets it."""
    if params.get("variant") not in VARIANTS:
        raise ValueError(f"malformed_json needs variant= one of {sorted(VARIANTS)}, not {params.get('variant')!r}")


def malform(response: Response, service: str, params: dict) -> Response:
    """``response`` changed as the fault's ``variant`` says (answers that are not JSON: headers only)."""
    variant = params["variant"]
    is_json = response.file is None and response.stream is None and \
        "json" in response.headers.get("Content-Type", "").lower()
    if not is_json:
        if variant in NUMBER_LITERALS and "pagination-count" in response.headers:
            response.headers["pagination-count"] = NUMBER_LITERALS[variant]
        return response
    payload = json.loads(response.body.decode("utf-8"))
    status = response.status
    if variant == "error_message":
        message = params.get("message", {"text": "An unexpected error occurred", "lines": [1, 2]})
        if service == "m2m":
            payload = {"requestId": 0, "version": "stable", "sessionId": None, "data": None,
                       "errorCode": params.get("code", "SERVER_ERROR"), "errorMessage": message}
        else:
            payload, status = {"detail": message}, int(params.get("status", 400))
    elif variant in NUMBER_LITERALS:
        fields = tuple(params.get("fields", NUMBER_FIELDS))
        _replace(payload, fields, lambda value: [_PLACEHOLDER] * len(value) if isinstance(value, list) and value
                 else _PLACEHOLDER)
    elif variant == "secondary_int":
        _replace(payload, ("secondaryDownloads",), lambda value: 7)
    elif variant == "plume_geometry":
        geometry = params.get("geometry", BAD_POINT)
        _replace(payload, ("geometry_json",), lambda value: geometry)
    elif variant == "containers":
        for items in _main_lists(payload):
            items[:] = [list(item.values()) if isinstance(item, dict) else item for item in items]
    text = json.dumps(payload, separators=(",", ":"))
    if variant in NUMBER_LITERALS:
        text = text.replace(json.dumps(_PLACEHOLDER), NUMBER_LITERALS[variant])
    headers = {**response.headers, "Content-Type": "application/json"}
    return Response(status, headers, text.encode("utf-8"))


def _replace(tree: Any, keys: tuple[str, ...], new_value) -> None:
    """Replace, in place, the value of every ``keys`` member anywhere in ``tree``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys and value is not None:
                    node[key] = new_value(value)
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def _main_lists(payload: Any) -> list[list]:
    body = payload.get("data", payload) if isinstance(payload, dict) and "errorCode" in payload else payload
    if isinstance(body, list):
        return [body]
    if isinstance(body, dict):
        return [body[key] for key in MAIN_LISTS if isinstance(body.get(key), list)]
    return []
