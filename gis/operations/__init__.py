"""What the user does, once for every entry point: sign in, search to a GeoPackage, look up sizes,
download, sort downloaded files for opening.

Each operation is a plain function of plain parameters, an :class:`..clients.Access` (credentials
and session, read on the main thread by the caller), a cancel check and progress callbacks. It runs
in a worker thread and raises core's errors. The panel's QgsTasks (:mod:`..tasks`) and the
Processing algorithms (:mod:`..processing`) are thin adapters over them, so both decide search
semantics (cloud cover, unknown cloud cover, dates, AOI, limits), progress and the verdict on a
download the same way.
"""
