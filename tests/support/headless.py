"""Running QGIS headless in the tests: the ``qgis_process`` binary and the package's folder for QGIS_PLUGINPATH."""

from __future__ import annotations

import shutil
from pathlib import Path

PKGROOT = Path(__file__).resolve().parents[2] / "build" / "pkgroot"
# Debian's `qgis_process` wrapper adds $QGIS_OPTS, which the binary may reject: call the binary.
QGIS_PROCESS = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
