"""make run / make demo: the profile, environment and command tools/run_qgis.py prepares; a real start."""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tools" / "run_qgis.py"


def _tool():
    spec = importlib.util.spec_from_file_location("run_qgis", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_profile_enables_the_plugin_and_the_seed_search(tmp_path):
    tool = _tool()
    profile = tool.prepare_profile(tmp_path, demo=True, download_folder=tmp_path / "downloads")
    ini = configparser.ConfigParser()
    ini.optionxform = str
    ini.read(profile / "QGIS" / "QGIS3.ini")
    assert profile == tmp_path / "profiles" / "scenefinder"
    assert ini["PythonPlugins"]["scene_finder"] == "true"
    assert ini["scene_finder"]["dataset"] == "landsat_ot_c2_l2"
    assert ini["scene_finder"]["start_date"] == "2023-03-01"
    assert ini["scene_finder"]["download_folder"] == str(tmp_path / "downloads")
    assert "token" not in (profile / "QGIS" / "QGIS3.ini").read_text().lower()


def test_demo_environment_signs_in_with_what_the_emulator_accepts(emulator):
    tool = _tool()
    config = emulator.config
    env = tool.demo_environment(emulator.m2m_url, emulator.carbonmapper_url,
                                {"m2m": config.m2m_accounts, "carbonmapper": config.carbonmapper_tokens})
    assert env["SCENE_FINDER_M2M_URL"] == emulator.m2m_url
    assert env["SCENE_FINDER_CARBONMAPPER_URL"] == emulator.carbonmapper_url
    assert config.m2m_accounts[env["SCENE_FINDER_M2M_USERNAME"]] == env["SCENE_FINDER_M2M_TOKEN"]
    assert env["SCENE_FINDER_CARBONMAPPER_TOKEN"] in config.carbonmapper_tokens


def test_dry_run_prints_the_qgis_command_with_a_throwaway_profile(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--demo", "--dry-run", "--qgis", "qgis",
                             "--profiles-path", str(tmp_path)], capture_output=True, text=True, timeout=120,
                            cwd=REPO)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout[result.stdout.index("{"):])
    command = plan["command"]
    assert command[:5] == ["qgis", "--profiles-path", str(tmp_path), "--profile", "scenefinder"]
    assert command[-1].endswith("scene_finder_demo.qgz") and Path(command[-1]).exists()
    assert plan["env"]["QGIS_PLUGINPATH"].split(os.pathsep)[0].endswith("build/pkgroot")
    assert plan["env"]["SCENE_FINDER_M2M_USERNAME"] == "demo"


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("qgis") and shutil.which("xvfb-run")), reason="needs qgis and xvfb-run")
def test_demo_in_real_qgis_searches_downloads_and_opens_a_scene(tmp_path):
    """``make demo``'s walk-through, in the real QGIS desktop under Xvfb: Search, select, Download."""
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(["xvfb-run", "-a", sys.executable, str(SCRIPT), "--demo", "--smoke", "30", "--walkthrough",
                             "--report", str(report), "--profiles-path", str(tmp_path / "profile")],
                            capture_output=True, text=True, timeout=240, env=env, cwd=REPO)
    assert report.exists(), result.stdout[-2000:] + result.stderr[-2000:]
    state = json.loads(report.read_text())
    assert state["active"] and state["dock_visible"]
    assert "Signed in as <b>demo</b>" in state["signed_in"]
    assert state["m2m_url"].startswith("http://127.0.0.1:")
    assert state["found"] > 0
    assert len(state["opened"]) == 1 and state["opened"][0].endswith("true colour")
