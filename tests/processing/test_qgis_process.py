"""Headless use: `qgis_process run scenefinder:m2msearch` finds the plugin through QGIS_PLUGINPATH."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.headless import QGIS_PROCESS

EXTENT = "-76.9,-76.3,35.8,36.2 [EPSG:4326]"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process is in the Debian package qgis (make setup)"),
]


def _qgis_process(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=240, check=False)


def test_qgis_process_runs_the_search_and_writes_footprints(headless_env, tmp_path):
    output = tmp_path / "footprints.gpkg"
    result = _qgis_process(
        headless_env, "--json", "run", "scenefinder:m2msearch", "--",
        f"EXTENT={EXTENT}", "START_DATE=2023-03-01", "END_DATE=2023-03-31", "CLOUD_MAX=60", f"OUTPUT={output}",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["algorithm_details"]["id"] == "scenefinder:m2msearch"
    assert report["results"]["COUNT"] > 0
    assert Path(report["results"]["OUTPUT"]) == output and output.is_file()
    assert "demo-application-token" not in result.stdout + result.stderr


def test_qgis_process_reports_a_bad_date_and_fails(headless_env, tmp_path):
    result = _qgis_process(
        headless_env, "run", "scenefinder:m2msearch", "--",
        f"EXTENT={EXTENT}", "START_DATE=2023-31-03", f"OUTPUT={tmp_path / 'x.gpkg'}",
    )
    assert result.returncode != 0
    assert "The start date “2023-31-03” is not a date" in result.stdout + result.stderr
