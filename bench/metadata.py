"""What a bench run records about itself: commit, date, interpreter, QGIS, machine."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import time

from .common import REPO_ROOT


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10,
                              check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _qgis_version() -> str:
    try:
        from qgis.core import Qgis

        return Qgis.QGIS_VERSION
    except Exception:  # no QGIS here: the figures that need it fail on their own
        return "unknown"


def run_metadata(modules: list[str]) -> dict:
    commit = _git("rev-parse", "HEAD") or "unknown"
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    return {
        "commit": commit + ("+uncommitted" if dirty else ""),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "started_unix": time.time(),
        "python": platform.python_version(),
        "qgis": _qgis_version(),
        "cores": os.cpu_count(),
        "machine": f"{platform.system()} {platform.machine()} {platform.release()}",
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "modules": modules,
    }
