"""Qt 6 readiness: every Qt name our code uses through qgis.PyQt exists in PyQt6 (QGIS 4).

The check itself is ``tools/qt6_names.py``; PyQt6 comes from requirements-dev.txt and is only
imported in a subprocess (PyQt5, which QGIS 3 runs on, cannot share a process with it).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TOOL = REPO_ROOT / "tools" / "qt6_names.py"

SAMPLE = '''
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QRegExp, Qt, QVariant
from qgis.PyQt.QtWidgets import QAction, QDesktopWidget, QDialog, QHeaderView
import qgis.PyQt.QtCore as QtCore

def fine(label, header):
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return QAction("x"), sip.isdeleted(label), QDialog().exec()

def wrong(label, header, dialog):
    label.setAlignment(Qt.AlignLeft)
    header.setSectionResizeMode(QHeaderView.Stretch)
    kinds = (QVariant.String, QtCore.QVariant.Double)
    return dialog.exec_(), kinds
'''


def load_tool():
    spec = importlib.util.spec_from_file_location("scene_finder_qt6_names", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_the_plugin_uses_only_qt_names_that_pyqt6_has():
    tool = load_tool()
    sources = tool.plugin_sources()
    assert len(sources) > 40 and REPO_ROOT / "plugin.py" in sources
    problems, version = tool.check_files(sources)
    assert [str(p) for p in problems] == [], version


def test_tests_tools_and_benchmarks_use_only_qt_names_that_pyqt6_has():
    tool = load_tool()
    dev = sorted(path for folder in ("tests", "tools", "bench", "emulator")
                 for path in (REPO_ROOT / folder).rglob("*.py") if "__pycache__" not in path.parts)
    assert any(path.name == "test_qt6_names.py" for path in dev)
    problems, version = tool.check_files(dev)
    assert [str(p) for p in problems] == [], version


def test_the_check_flags_unscoped_enums_qvariant_types_and_names_qt6_removed(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(SAMPLE, encoding="utf-8")
    problems, _ = load_tool().check_files([sample], root=tmp_path)
    assert sorted((p.line, p.message.split(":")[0]) for p in problems) == [
        (3, "QRegExp"),
        (4, "QDesktopWidget"),
        (13, "Qt.AlignLeft"),
        (14, "QHeaderView.Stretch"),
        (15, "QVariant.Double"),
        (15, "QVariant.String"),
        (16, ".exec_() is not in Qt 6 / PyQt6"),
    ]


def test_the_command_line_reports_and_fails(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(SAMPLE, encoding="utf-8")
    result = subprocess.run([sys.executable, str(TOOL), str(sample)], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 1
    assert "sample.py:13: Qt.AlignLeft: PyQt6.QtCore.Qt has no AlignLeft" in result.stdout
    assert "1 files checked against PyQt6" in result.stderr
