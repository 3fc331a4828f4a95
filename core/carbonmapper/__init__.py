"""Carbon Mapper platform API: scenes, plumes and plume rasters.

- :mod:`.config`: the default URL and its environment override.
- :mod:`.client`: :class:`CarbonMapperClient` (bearer token or email/password, typed errors).
- :mod:`.intersects`: the ``intersects`` AOI parameter, kept under the 8,192-byte URL limit.
- :mod:`.scenes`: the scenes GeoPackage, page by page on disk.
- :mod:`.plumes`: annotated plumes as :class:`Plume` records.
- :mod:`.stac`: STAC items and their assets (plume and RGB GeoTIFFs), downloaded with the token.
"""

from __future__ import annotations

from .config import DEFAULT_CARBONMAPPER_URL, ENV_CARBONMAPPER_URL, carbonmapper_url_from_env

__all__ = ["DEFAULT_CARBONMAPPER_URL", "ENV_CARBONMAPPER_URL", "carbonmapper_url_from_env"]
