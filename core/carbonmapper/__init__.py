"""Carbon Mapper platform API: scenes, plumes and plume rasters.

- :mod:`.client`: :class:`CarbonMapperClient` (bearer token or email/password, typed errors).
- :mod:`.intersects`: the ``intersects`` AOI parameter, kept under the 8,192-byte URL limit.
- :mod:`.scenes`: the scenes GeoPackage, page by page on disk.
- :mod:`.plumes`: annotated plumes as :class:`Plume` records.
- :mod:`.stac`: STAC items and their assets (plume and RGB GeoTIFFs), downloaded with the token.
"""

from __future__ import annotations

import os

DEFAULT_CARBONMAPPER_URL = "https://api.carbonmapper.org/api/v1/"
ENV_CARBONMAPPER_URL = "SCENE_FINDER_CARBONMAPPER_URL"


def carbonmapper_url_from_env() -> str:
    """SCENE_FINDER_CARBONMAPPER_URL when set, else the real service; always ends with '/'."""
    url = os.environ.get(ENV_CARBONMAPPER_URL, "").strip() or DEFAULT_CARBONMAPPER_URL
    return url if url.endswith("/") else url + "/"
