"""Emulation of the USGS M2M API (``service.M2MService``) over a synthetic Landsat 8-9 C2 L2 catalog.

Modules: ``wrs`` (WRS-2-like grid), ``catalog`` (seeded scenes, index, search), ``filters``
(sceneFilter), ``datasets`` (datasets, filters, products), ``render`` (scene JSON), ``products``
(download-options), ``downloads`` (download queue), ``bundles`` and ``texture`` (GeoTIFF bands,
MTL, tar bundles, browse PNGs), ``ims`` and ``overlays`` (the image server behind the browse overlays:
browse JPEGs and a per-scene WMS), ``api_catalog`` and ``api_downloads`` (endpoints), ``service``
(dispatch, envelope, auth, download hosts).
"""
