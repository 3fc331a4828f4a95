"""Test set-up shared by every test.

The repository root is the plugin package. Tests import it as ``scene_finder`` through a
link in ``build/pkgroot``, whatever the folder the repository was cloned into is called.
QGIS itself is started by pytest-qgis (offscreen); the support modules add what its stub
interface lacks.
"""

from __future__ import annotations

import os
import sys
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


os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_link_package()

pytest_plugins = ["support.fixtures"]
