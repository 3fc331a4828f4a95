"""Emulation of the Carbon Mapper platform API (``/api/v1/``): tokens, catalog, STAC, assets.

- :mod:`.catalog` builds the seeded synthetic catalog of scenes, plumes and sources.
- :mod:`.query` turns query parameters into selections of that catalog.
- :mod:`.records` renders catalog rows as the service's JSON / CSV records.
- :mod:`.gpkg`, :mod:`.stac`, :mod:`.rasters` produce the GeoPackage pages, the STAC API and the
  GeoTIFF / PNG assets; :mod:`.auth` issues and checks tokens; :mod:`.service` routes requests.
"""
