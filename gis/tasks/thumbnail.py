"""A scene's preview image, fetched in the background like every other request of the plugin.

The URL comes from the service (M2M ``browse``, Carbon Mapper PNGs), so it is checked first: only
https://, or http:// to this computer (:func:`..core.urls.check_url_allowed`); never ``file://``
nor plain http on the network. The request goes through :func:`..network.make_qgis_session` (QGIS
proxy, QGIS's certificate authorities), the final address after redirects is checked again, and at
most :data:`MAX_BYTES` are read.
"""

from __future__ import annotations

from typing import Any

from ...core.cancel import raise_if_cancelled
from ...core.errors import ServiceUnavailableError
from ...core.redact import redact_url
from ...core.units import format_bytes
from ...core.urls import check_url_allowed
from ..network import make_qgis_session
from .base import SceneFinderTask

MAX_BYTES = 8 << 20  # a preview is a few hundred KB
TIMEOUT = (10.0, 30.0)


class ThumbnailTask(SceneFinderTask):
    """Result: the image's bytes. Raises InsecureUrlError at once (main thread) for a refused URL."""

    def __init__(self, url: str, **callbacks: Any):
        check_url_allowed(url)
        super().__init__(f"Scene Finder: preview {redact_url(url)}", **callbacks)
        self.url = url
        self.session = make_qgis_session(retries=1)  # main thread: QGIS settings and CAs

    def work(self) -> bytes:
        try:
            return fetch_preview(self.session, self.url, self.cancel_check)
        finally:
            self.session.close()


def fetch_preview(session, url: str, cancel=None, limit: int = MAX_BYTES, headers: dict | None = None) -> bytes:
    """GET ``url`` and return its body (at most ``limit`` bytes); typed errors otherwise. ``headers``
    (a bearer token for the service's own asset host) go with this request only."""
    import requests

    check_url_allowed(url)
    try:
        response = session.get(url, stream=True, timeout=TIMEOUT, headers=headers)
    except requests.RequestException as error:
        raise ServiceUnavailableError(f"The preview {redact_url(url)} could not be fetched.",
                                      service_message=type(error).__name__) from None
    with response:
        for hop in [*response.history, response]:
            check_url_allowed(hop.url)
        if response.status_code != 200:
            raise ServiceUnavailableError(f"The preview answered HTTP {response.status_code}.",
                                          status=response.status_code)
        data = bytearray()
        try:
            for chunk in response.iter_content(64 << 10):
                raise_if_cancelled(cancel)
                data += chunk
                if len(data) > limit:
                    raise ServiceUnavailableError(f"The preview is larger than {format_bytes(limit)}: not shown.")
        except requests.RequestException as error:
            raise ServiceUnavailableError("The preview could not be read.", service_message=type(error).__name__) \
                from None
    return bytes(data)
