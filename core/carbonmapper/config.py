"""The Carbon Mapper constants: where the service is.

The service's id, default URL and environment variable live with the other services' in
:mod:`..services`.
"""

from __future__ import annotations

from ..services import DEFAULT_CARBONMAPPER_URL, ENV_CARBONMAPPER_URL, SERVICE_CARBONMAPPER, service_url

__all__ = ["DEFAULT_CARBONMAPPER_URL", "ENV_CARBONMAPPER_URL", "carbonmapper_url_from_env"]


def carbonmapper_url_from_env() -> str:
    """SCENE_FINDER_CARBONMAPPER_URL when set, else the real service; always ends with '/'."""
    return service_url(SERVICE_CARBONMAPPER)
