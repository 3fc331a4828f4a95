"""Headless use: `qgis_process run scenefinder:m2msearch` finds the plugin through QGIS_PLUGINPATH."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PKGROOT = REPO_ROOT / "build" / "pkgroot"
# Debian's `qgis_process` wrapper adds $QGIS_OPTS, which the binary may reject: call the binary.
QGIS_PROCESS = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
EXTENT = "-76.9,-76.3,35.8,36.2 [EPSG:4326]"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process is in the Debian package qgis (make setup)"),
]


@pytest.fixture()
def headless_env(services, tmp_path) -> dict:
    """A throwaway QGIS profile with the plugin enabled, the emulator and credentials in the environment."""
    config = tmp_path / "qgis-config"
    ini = config / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nscene_finder=true\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "QGIS_OPTS"}
    env.update(QGIS_CUSTOM_CONFIG_PATH=str(config), QGIS_PLUGINPATH=str(PKGROOT), QT_QPA_PLATFORM="offscreen",
               HOME=str(tmp_path))
    return env


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
