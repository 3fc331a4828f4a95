"""Which bands make the colour composite of each sensor: one small table, and how a product names its sensor.

A composite is (red, green, blue) band names: Landsat band file names (``B4`` matches ``SR_B4``
and ``B4``), Sentinel-2 band names as GDAL's SENTINEL2 driver describes its bands (``B4, central
wavelength 665 nm``), or band numbers of a multi-band image (``1``). MSS has no blue band: its
composite is the usual colour infrared (near-infrared, red, green).
"""

from __future__ import annotations

import re

COMPOSITES: dict[str, tuple[str, str, str]] = {
    "Landsat OLI": ("B4", "B3", "B2"),  # Landsat 8-9 (OLI/TIRS): red, green, blue
    "Landsat ETM+": ("B3", "B2", "B1"),  # Landsat 7
    "Landsat TM": ("B3", "B2", "B1"),  # Landsat 4-5
    "Landsat MSS": ("B4", "B2", "B1"),  # Landsat 4-5 MSS: near-infrared, red, green
    "Landsat 1-3 MSS": ("B7", "B5", "B4"),  # Landsat 1-3 MSS: near-infrared, red, green
    "Sentinel-2 MSI": ("B4", "B3", "B2"),
    "NAIP": ("1", "2", "3"),  # 4-band NAIP: red, green, blue, near-infrared
}
DEFAULT = "Landsat OLI"
# Landsat product ids: sensor letter and satellite number (LC09_..., LE07_..., LT05_..., LM01_...)
_LANDSAT = re.compile(r"^L([COTEM])(\d{2})_", re.IGNORECASE)
_NAIP = re.compile(r"^m_\d{7}_(?:ne|nw|se|sw)_\d{2}_\d{3}", re.IGNORECASE)
_SENTINEL2 = re.compile(r"^(?:S2[ABCD]_MSIL[12][AC]_|L[12][AC]_T\d{2}[A-Z]{3}_)", re.IGNORECASE)


def sensor_of(name: str) -> str | None:
    """The sensor (a key of :data:`COMPOSITES`) of a product named ``name``, or None."""
    landsat = _LANDSAT.match(name)
    if landsat:
        letter, satellite = landsat.group(1).upper(), int(landsat.group(2))
        if letter in "CO":
            return "Landsat OLI"
        if letter == "E":
            return "Landsat ETM+"
        if letter == "T":
            return "Landsat TM"
        return "Landsat 1-3 MSS" if satellite <= 3 else "Landsat MSS"
    if _SENTINEL2.match(name):
        return "Sentinel-2 MSI"
    if _NAIP.match(name):
        return "NAIP"
    return None


def composite_of(name: str) -> tuple[str, str, str]:
    """The (red, green, blue) bands for the product ``name`` (Landsat OLI's when it is not known)."""
    return COMPOSITES[sensor_of(name) or DEFAULT]


def band_numbers(descriptions: list[str], bands: tuple[str, str, str]) -> list[int] | None:
    """1-based numbers of ``bands`` among band ``descriptions`` (``"B4, central wavelength 665 nm"``
    or ``"B4"``), or of band numbers (``"1"``); None when one is missing."""
    found = []
    for wanted in bands:
        if wanted.isdigit():
            number = int(wanted)
            if number > len(descriptions):
                return None
            found.append(number)
            continue
        match = next((i + 1 for i, text in enumerate(descriptions)
                      if re.split(r"[,\s]", text.strip(), maxsplit=1)[0].upper() == wanted.upper()), None)
        if match is None:
            return None
        found.append(match)
    return found
