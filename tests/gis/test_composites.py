"""The composite of each sensor comes from one table, keyed by what the product's name says."""

from __future__ import annotations

import pytest

from scene_finder.gis import composites
from scene_finder.gis.loaders import SceneBands


@pytest.mark.parametrize(("name", "sensor", "bands"), [
    ("LC09_L2SP_013035_20230326_20230328_02_T1", "Landsat OLI", ("B4", "B3", "B2")),
    ("LO08_L1TP_013035_20230326_20230328_02_T1", "Landsat OLI", ("B4", "B3", "B2")),
    ("LE07_L2SP_015035_20020612_20200916_02_T1", "Landsat ETM+", ("B3", "B2", "B1")),
    ("LT05_L2SP_015035_19990722_20200907_02_T1", "Landsat TM", ("B3", "B2", "B1")),
    ("LM05_L1TP_015035_19920722_20200907_02_T2", "Landsat MSS", ("B4", "B2", "B1")),
    ("LM02_L1GS_016035_19790722_20200907_02_T2", "Landsat 1-3 MSS", ("B7", "B5", "B4")),
    ("S2B_MSIL1C_20230326T155509_N0509_R011_T18SUE_20230326T193802", "Sentinel-2 MSI", ("B4", "B3", "B2")),
    ("L1C_T18SUE_A031681_20230326T155503", "Sentinel-2 MSI", ("B4", "B3", "B2")),
    ("m_3607601_ne_18_060_20220612", "NAIP", ("1", "2", "3")),
    ("n35_w077_1arc_v3", None, ("B4", "B3", "B2")),
])
def test_sensor_and_composite_of_a_product_name(name, sensor, bands):
    assert composites.sensor_of(name) == sensor
    assert composites.composite_of(name) == bands


def test_landsat_7_and_5_bundles_show_red_green_blue_not_near_infrared():
    bands = {f"SR_B{i}": f"/vsitar/x.tar/{i}" for i in (1, 2, 3, 4, 5, 7)}
    assert SceneBands("LE07_L2SP_015035_20020612_20200916_02_T1", bands).true_colour() == [
        bands["SR_B3"], bands["SR_B2"], bands["SR_B1"]]
    assert SceneBands("LT05_L2SP_015035_19990722_20200907_02_T1", bands).true_colour() == [
        bands["SR_B3"], bands["SR_B2"], bands["SR_B1"]]
    assert SceneBands("LC09_L2SP_013035_20230326_20230328_02_T1", bands).true_colour() == [
        bands["SR_B4"], bands["SR_B3"], bands["SR_B2"]]


def test_band_numbers_by_description_or_number():
    s2 = ["B4, central wavelength 665 nm", "B3, central wavelength 560 nm", "B2, central wavelength 490 nm", "B8"]
    assert composites.band_numbers(s2, ("B4", "B3", "B2")) == [1, 2, 3]
    assert composites.band_numbers(["B2", "B3", "B4"], ("B4", "B3", "B2")) == [3, 2, 1]
    assert composites.band_numbers(["B4", "B3"], ("B4", "B3", "B2")) is None
    assert composites.band_numbers(["a", "b", "c", "d"], ("1", "2", "3")) == [1, 2, 3]
    assert composites.band_numbers(["a", "b"], ("1", "2", "3")) is None
