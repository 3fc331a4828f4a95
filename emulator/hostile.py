"""Hostile-service faults: redirects, ``next`` links to another host, ignored paging, missing headers.

The kinds are documented in :mod:`.faults`. The server calls :func:`before_service` once a request
is read (it may answer in place of the service) and :func:`after_service` on the answer.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from .faults import FaultPlan
from .http import Request, Response, json_response

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


def before_service(faults: FaultPlan, request: Request) -> Response | None:
    """Apply ``ignore_offset`` to ``request``; a ``redirect`` answer, or None."""
    ignored = faults.take(request.service, request.route, "ignore_offset")
    if ignored is not None:
        _drop_param(request, str(ignored.params.get("param", "offset")))
    fault = faults.take(request.service, request.route, "redirect")
    if fault is None:
        return None
    status = int(fault.params.get("status", 302))
    if status not in REDIRECT_STATUSES:  # a mistake in the test: reported as the emulator's own error
        return json_response({"detail": f"Emulator: a redirect fault's status is one of {REDIRECT_STATUSES}."},
                             status=500)
    body = json.dumps({"detail": "Moved."}).encode()
    return Response(status, {"Location": str(fault.params["to"]), "Content-Type": "application/json"}, body)


def after_service(faults: FaultPlan, request: Request, response: Response) -> Response:
    """Apply ``next_link``, ``drop_key`` and ``drop_header`` to ``response``."""
    fault = faults.take(request.service, request.route, "next_link")
    page = _json_object(response) if fault is not None else None
    if page is not None:
        for link in page.get("links") or ():
            if isinstance(link, dict) and link.get("rel") == "next":
                link["href"] = str(fault.params["href"])
                if "body" in fault.params:
                    link["body"] = fault.params["body"]
        response.body = json.dumps(page, separators=(",", ":")).encode()
    fault = faults.take(request.service, request.route, "drop_key")
    page = _json_object(response) if fault is not None else None
    if page is not None:
        keys = fault.params.get("keys", ())
        for key in [keys] if isinstance(keys, str) else keys:
            page.pop(key, None)
        response.body = json.dumps(page, separators=(",", ":")).encode()
    fault = faults.take(request.service, request.route, "drop_header")
    if fault is not None:
        name = str(fault.params.get("header", "")).lower()
        response.headers = {k: v for k, v in response.headers.items() if k.lower() != name}
    return response


def _json_object(response: Response) -> dict | None:
    if response.file is not None or response.stream is not None:
        return None
    try:
        page = json.loads(response.body)
    except ValueError:
        return None
    return page if isinstance(page, dict) else None


def _drop_param(request: Request, name: str) -> None:
    if name in request.query:
        del request.query[name]
        pairs = [(key, value) for key, values in request.query.items() for value in values]
        path = request.raw_target.split("?", 1)[0]
        request.raw_target = f"{path}?{urlencode(pairs)}" if pairs else path
    try:
        body = request.json()
    except ValueError:
        return
    if isinstance(body, dict) and name in body:
        del body[name]
        request.body = json.dumps(body).encode()
