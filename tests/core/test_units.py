"""The one byte formatter: decimal units, one decimal, never "1000.0" of a unit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scene_finder.core.units import format_bytes, format_speed


@pytest.mark.parametrize(("count", "text"), [
    (0, "0 B"), (999, "999 B"), (999.6, "1.0 kB"), (1000, "1.0 kB"), (1536, "1.5 kB"),
    (999_949, "999.9 kB"), (999_960, "1.0 MB"), (1_500_000, "1.5 MB"), (2_100_000, "2.1 MB"),
    (4_000_000_000, "4.0 GB"), (3.2e12, "3.2 TB"), (5e15, "5000.0 TB"),
])
def test_decimal_units(count, text):
    assert format_bytes(count) == text


def test_unknown_sizes():
    assert format_bytes(None) == "?"
    assert format_bytes(None, unknown="") == ""
    assert format_bytes(float("nan")) == "?"
    assert format_speed(None) == "?"
    assert format_speed(2_000_000) == "2.0 MB/s"


@given(st.integers(min_value=0, max_value=999 * 10**12))
def test_the_number_shown_is_below_1000_and_close_to_the_count(count):
    number, unit = format_bytes(count).split(" ")
    assert float(number) < 1000
    scale = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}[unit]
    assert abs(float(number) * scale - count) <= 0.05 * scale + 0.5
