"""The M2M constants: where the service is and what is searched by default.

The service's id, default URL and environment variable live with the other services' in
:mod:`..services`; this module adds what only M2M has.
"""

from __future__ import annotations

from ..services import DEFAULT_M2M_URL, ENV_M2M_URL, SERVICE_M2M, service_url

DEFAULT_DATASET = "landsat_ot_c2_l2"
SERVICE_MAX_RESULTS = 50_000  # scene-search answers at most this many results, whatever is asked

__all__ = ["DEFAULT_DATASET", "DEFAULT_M2M_URL", "ENV_M2M_URL", "SERVICE_MAX_RESULTS", "m2m_url_from_env"]


def m2m_url_from_env() -> str:
    """The M2M base URL: ``SCENE_FINDER_M2M_URL`` when set, else the USGS service."""
    return service_url(SERVICE_M2M)
