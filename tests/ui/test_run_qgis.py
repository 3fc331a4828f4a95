"""make run / make demo: the profile, environment and command tools/run_qgis.py prepares; a real start."""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import signal
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
    result = subprocess.run(["xvfb-run", "-a", sys.executable, str(SCRIPT), "--demo", "--smoke", "60", "--walkthrough",
                             "--report", str(report), "--profiles-path", str(tmp_path / "profile")],
                            capture_output=True, text=True, timeout=240, env=env, cwd=REPO)
    assert report.exists(), result.stdout[-2000:] + result.stderr[-2000:]
    state = json.loads(report.read_text())
    assert state["active"] and state["dock_visible"]
    assert "Signed in as <b>demo</b>" in state["signed_in"]
    assert state["m2m_url"].startswith("http://127.0.0.1:")
    assert state["found"] > 0
    assert len(state["opened"]) == 1 and state["opened"][0].endswith("true colour")
    assert len(state.get("previews", [])) == 4 and all(name.endswith(" preview") for name in state["previews"])


def test_qgis_environment_leaves_out_other_pythons(tmp_path):
    """A version manager's or venv's python3 first on PATH, and its variables, do not reach QGIS."""
    tool = _tool()
    pyenv_bin = tmp_path / "pyenv" / "versions" / "3.11.7" / "bin"
    venv = tmp_path / "venv"
    for folder in (pyenv_bin, venv / "bin"):
        folder.mkdir(parents=True)
        (folder / "python3").write_text("#!/bin/sh\n")
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    tools = tmp_path / "tools"
    tools.mkdir()
    env = tool.without_other_pythons({
        "PATH": os.pathsep.join([str(pyenv_bin), str(venv / "bin"), str(tools), "/usr/bin", "/bin"]),
        "PYTHONHOME": "/opt/conda", "VIRTUAL_ENV": str(venv), "CONDA_PREFIX": "/opt/conda", "PYENV_VERSION": "3.11.7",
        "PYTHONPATH": os.pathsep.join(["/opt/conda/lib/python3.11/site-packages", "/repo/build/pkgroot"]),
        "QGIS_PLUGINPATH": "/repo/build/pkgroot", "HOME": "/home/analyst"})
    assert env["PATH"].split(os.pathsep) == [str(tools), "/usr/bin", "/bin"]
    assert env["PYTHONPATH"] == "/repo/build/pkgroot"
    assert env["QGIS_PLUGINPATH"] == "/repo/build/pkgroot" and env["HOME"] == "/home/analyst"
    assert not {"PYTHONHOME", "VIRTUAL_ENV", "CONDA_PREFIX", "PYENV_VERSION"} & set(env)


def _another_python() -> Path | None:
    """A real interpreter that is not the system's (pyenv's, preferably of the system's version), or None."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found = sorted(root.glob("versions/*/bin/python3"))
    same = [p for p in found if p.parent.parent.name.startswith("{}.{}.".format(*sys.version_info[:2]))]
    for candidate in same + found:
        if candidate.resolve() != Path("/usr/bin/python3").resolve():
            return candidate
    return None


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("qgis") and shutil.which("xvfb-run")), reason="needs qgis and xvfb-run")
def test_demo_starts_with_a_version_managers_python_first_on_path(tmp_path):
    """With pyenv's python3 first on PATH, QGIS's embedded Python used to load that Python's library and
    stop on a modal "Couldn't load SIP module" dialog; the smoke demo must start and quit by itself."""
    other = _another_python()
    if other is None:
        pytest.skip("no Python other than the system's on this machine (pyenv)")
    first = tmp_path / "first-on-path"
    first.mkdir()
    (first / "python3").symlink_to(other)
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["PATH"] = os.pathsep.join([str(first), env.get("PATH", "")])
    # A new session, so that on a hang the whole group (xvfb-run, Xvfb, QGIS) is killed, not only xvfb-run.
    process = subprocess.Popen(["xvfb-run", "-a", sys.executable, str(SCRIPT), "--demo", "--smoke", "10",
                                "--report", str(report), "--profiles-path", str(tmp_path / "profile")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=REPO,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    assert report.exists(), output[-3000:]
    state = json.loads(report.read_text())
    assert state["active"] and state["dock_visible"]
    assert "Couldn't load SIP" not in output
