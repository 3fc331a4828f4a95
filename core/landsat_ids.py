"""Path, row, satellite and acquisition date read from Landsat identifiers.

M2M's summary results carry no path, row or satellite: they are read from the Landsat display id
(``LC09_L2SP_013035_20230326_...``) or, failing that, the entity id (``LC90130352023085LGN00``).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

# LC09_L2SP_013035_20230326_20230328_02_T1 (Collection 1 and 2 product identifiers)
_DISPLAY_ID = re.compile(r"^L[A-Z](?P<sat>\d{2})_[A-Z0-9]{4}_(?P<path>\d{3})(?P<row>\d{3})_(?P<date>\d{8})_")
# LC90130352023085LGN00 (Landsat scene identifier: sensor, satellite, path, row, year, day of year)
_ENTITY_ID = re.compile(r"^L[A-Z](?P<sat>\d)(?P<path>\d{3})(?P<row>\d{3})(?P<year>\d{4})(?P<doy>\d{3})[A-Z]{3}\d{2}$")


def parse_landsat_id(display_id: str | None, entity_id: str | None) -> dict[str, Any]:
    """Path, row, satellite (and acquisition date) read from Landsat identifiers, when they are ones."""
    found = landsat_id(display_id, entity_id)
    if found is None:
        return {}
    satellite, wrs_path, wrs_row, match = found
    return {"satellite": satellite, "wrs_path": wrs_path, "wrs_row": wrs_row, "acquired": landsat_id_date(match)}


def landsat_id(display_id: str | None, entity_id: str | None) -> tuple[int, int, int, re.Match] | None:
    """(satellite, path, row, the id's match) of a Landsat display id, else of a Landsat entity id."""
    match = _DISPLAY_ID.match(display_id or "") or _ENTITY_ID.match(entity_id or "")
    if match is None:
        return None
    satellite, wrs_path, wrs_row = match.group("sat", "path", "row")
    return int(satellite), int(wrs_path), int(wrs_row), match


def landsat_id_date(match: re.Match) -> datetime.date | None:
    """The acquisition date a Landsat id's match carries (YYYYMMDD, or year and day of year)."""
    try:
        if match.re is _DISPLAY_ID:
            date = match["date"]
            return datetime.date(int(date[:4]), int(date[4:6]), int(date[6:]))
        return datetime.date(int(match["year"]), 1, 1) + datetime.timedelta(days=int(match["doy"]) - 1)
    except (ValueError, OverflowError):  # month 13, year 0, or day 999 of year 9999
        return None
