"""The one place where core code picks, at run time, between versions of the libraries QGIS ships.

Only what has no form common to every supported version lives here. QGIS ships shapely 1.8
(Debian 12, QGIS 3.22) as well as 2.x (OSGeo4W, newer distributions), and Python 3.9 (QGIS 3.22
on Windows) to 3.14 (Debian sid); plain Python, no qgis.
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable

import shapely

# shapely 2 has the vectorised top-level functions; 1.8 has the ctypes GEOS bindings in shapely.geos
# (kept in 2.x only as a deprecated stub, so it is imported only where it is the real thing).
SHAPELY_2 = hasattr(shapely, "to_wkb")

# dataclass(slots=True) came with Python 3.10; on 3.9 (QGIS 3.22 on Windows) the classes go without.
DATACLASS_SLOTS: dict = {"slots": True} if sys.version_info >= (3, 10) else {}


def wkb_writer() -> Callable[[object], bytes]:
    """shapely geometry -> WKB; with shapely 1.8 one GEOS writer for all (``.wkb`` makes one per call)."""
    if SHAPELY_2:
        return operator.attrgetter("wkb")
    from shapely.geos import WKBWriter, lgeos

    return WKBWriter(lgeos).write
