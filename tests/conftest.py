"""Test set-up shared by every test.

The repository root is the plugin package. Tests import it as ``scene_finder`` through a
link in ``build/pkgroot``, whatever the folder the repository was cloned into is called.
QGIS itself is started by pytest-qgis (offscreen); the support modules add what its stub
interface lacks.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PKGROOT = REPO_ROOT / "build" / "pkgroot"


def _link_package() -> None:
    link = PKGROOT / "scene_finder"
    PKGROOT.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(REPO_ROOT, target_is_directory=True)
    if str(PKGROOT) not in sys.path:
        sys.path.insert(0, str(PKGROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))


def _throwaway_home() -> None:
    """QGIS, Qt and qgis_process keep settings and caches under the home folder; the tests give them
    a throwaway one, so a run leaves nothing behind in the user's own folders."""
    home = Path(tempfile.mkdtemp(prefix="scene-finder-tests-"))
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        os.environ[name] = str(home / name.lower())
    os.environ["HOME"] = str(home / "home")  # qgis_process puts its network cache under $HOME/.cache
    atexit.register(shutil.rmtree, home, ignore_errors=True)


os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_throwaway_home()
_link_package()

pytest_plugins = ["support.fixtures"]
