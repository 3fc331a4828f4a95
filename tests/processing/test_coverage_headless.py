"""Headless: `qgis_process run scenefinder:coverage` on the footprints of a headless search."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.headless import QGIS_PROCESS

EXTENT = "-77.5,-75.5,35.0,37.0 [EPSG:4326]"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process is in the Debian package qgis (make setup)"),
]


def _run(env: dict, *args: str) -> dict:
    result = subprocess.run([QGIS_PROCESS, "--json", "run", *args], env=env, capture_output=True, text=True,
                            timeout=240, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout)


def test_qgis_process_picks_a_cover_per_season_from_searched_footprints(headless_env, tmp_path):
    footprints, picked = tmp_path / "footprints.gpkg", tmp_path / "picked.gpkg"
    search = _run(headless_env, "scenefinder:m2msearch", "--", f"EXTENT={EXTENT}", "START_DATE=2023-01-01",
                  "END_DATE=2023-12-31", f"OUTPUT={footprints}")
    found = search["results"]["COUNT"]
    report = _run(headless_env, "scenefinder:coverage", "--", f"INPUT={footprints}", f"EXTENT={EXTENT}",
                  "MIN_COVERAGE=95", "CLOUD_WEIGHT=2", "WINDOW=season", f"OUTPUT={picked}")
    assert report["algorithm_details"]["id"] == "scenefinder:coverage"
    results = report["results"]
    assert 0 < results["COUNT"] < found
    assert results["MIN_SHARE"] >= 95.0 and 0.0 <= results["MEAN_CLOUD"] <= 100.0
    assert Path(results["OUTPUT"]) == picked and picked.is_file()
