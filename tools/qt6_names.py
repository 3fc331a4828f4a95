#!/usr/bin/env python3
"""Checks that every Qt name the plugin uses also exists in PyQt6, as QGIS 4 gives it to plugins.

    tools/qt6_names.py              the plugin's files (what tools/package.py puts in the zip)
    tools/qt6_names.py FILE...      those files

Reads the sources with ``ast`` (nothing is imported): every name imported through ``qgis.PyQt``
(``from qgis.PyQt.QtCore import Qt``, ``from qgis.PyQt import sip``) and every attribute chain
used on such a name (``Qt.AlignmentFlag.AlignLeft``, ``QHeaderView.ResizeMode.Stretch``,
``QCoreApplication.translate``). A fresh interpreter that imports PyQt6 (and never PyQt5 or
qgis: the two cannot share a process) then resolves each chain with getattr. ``qgis.PyQt.X`` is
mapped to ``PyQt6.X`` plus the few names QGIS 4's shim modules add at module level
(``python/PyQt/PyQt/*.py.in`` in the QGIS repository: ``QAction`` and ``QShortcut`` in QtWidgets,
``NULL`` in QtCore). The attributes that shim patches onto classes for old code
(``QVariant.String`` and the other QVariant type constants, ``Qt.Alignment`` and the other
flag-type lambdas) are deliberately not counted: they are a porting aid, and plugin code uses
``QMetaType`` types and the scoped enums that PyQt6 itself has.

Some Qt 6 removals cannot be seen from an import: methods called on instances. Calls of the
methods PyQt6 renamed (``exec_``, ``print_``) and of ``QApplication.desktop()`` are flagged
wherever they appear, whatever the object.

Exit status 1 and one line per problem when something is missing. Needs PyQt6 (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

REPO_ROOT = Path(__file__).resolve().parents[1]
SHIM_PREFIX = "qgis.PyQt"
# Methods that PyQt6 renamed or Qt 6 removed, flagged on any object: name -> what to use instead.
REMOVED_METHODS = {
    "exec_": "exec()",
    "print_": "print()",
    "desktop": "QGuiApplication.screens() / QWidget.screen() (QDesktopWidget is gone in Qt 6)",
}


class QtUse(NamedTuple):
    """One Qt name used in a source file: ``module`` is the shim module (``QtCore``, ``sip``)."""

    path: str
    line: int
    module: str
    chain: tuple[str, ...]

    def dotted(self) -> str:
        return ".".join(self.chain) if self.chain else f"{SHIM_PREFIX}.{self.module}"


class Problem(NamedTuple):
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _shim_module(name: str | None) -> str | None:
    """``qgis.PyQt.QtCore`` -> ``QtCore``; None for anything else."""
    if name and name.startswith(SHIM_PREFIX + "."):
        return name[len(SHIM_PREFIX) + 1:]
    return None


def _chain(node: ast.AST) -> tuple[str, list[str]] | None:
    """``A.b.c`` -> ("A", ["b", "c"]); None when the chain does not start at a plain name."""
    attrs = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return node.id, attrs[::-1]


def qt_uses(source: str, path: str = "<source>") -> tuple[list[QtUse], list[Problem]]:
    """The Qt names ``source`` uses through qgis.PyQt, and the removed methods it calls."""
    tree = ast.parse(source, filename=path)
    # Local name -> (shim module, chain of the imported object inside it; empty for a module).
    imported: dict[str, tuple[str, tuple[str, ...]]] = {}
    uses: list[QtUse] = []
    problems: list[Problem] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            module = _shim_module(node.module)
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module == SHIM_PREFIX:  # from qgis.PyQt import QtCore / sip
                    imported[local] = (alias.name, ())
                    uses.append(QtUse(path, node.lineno, alias.name, ()))
                elif module is not None:
                    imported[local] = (module, (alias.name,))
                    uses.append(QtUse(path, node.lineno, module, (alias.name,)))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module = _shim_module(alias.name)
                if module is not None and alias.asname:
                    imported[alias.asname] = (module, ())
                    uses.append(QtUse(path, node.lineno, module, ()))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            found = _chain(node)
            if found and found[0] in imported:
                module, base = imported[found[0]]
                uses.append(QtUse(path, node.lineno, module, base + tuple(found[1])))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            if attr in REMOVED_METHODS and not (attr == "desktop" and node.args):
                problems.append(Problem(path, node.lineno, f".{attr}() is not in Qt 6 / PyQt6: use "
                                                           f"{REMOVED_METHODS[attr]}"))
        if isinstance(node, ast.FunctionDef) and node.name in ("exec_", "print_"):
            problems.append(Problem(path, node.lineno, f"def {node.name}: PyQt6 calls {node.name[:-1]}()"))
    return _outermost(uses), problems


def _outermost(uses: list[QtUse]) -> list[QtUse]:
    """Drops the uses that are a prefix of a longer chain on the same line (``Qt`` of ``Qt.AlignmentFlag``)."""
    longest: dict[tuple[str, int, str], set[tuple[str, ...]]] = {}
    for use in uses:
        longest.setdefault((use.path, use.line, use.module), set()).add(use.chain)
    kept = set()
    for use in uses:
        chains = longest[(use.path, use.line, use.module)]
        if not any(len(other) > len(use.chain) and other[:len(use.chain)] == use.chain for other in chains):
            kept.add(use)
    return sorted(kept)


# Runs in a fresh interpreter that imports PyQt6 only: reads [[module, [chain...]], ...] as JSON on
# stdin and writes the ones that do not resolve, with the reason, as JSON on stdout.
RESOLVER = r"""
import importlib, json, sys

# What QGIS 4's qgis.PyQt shim modules add at module level to PyQt6's (python/PyQt/PyQt/*.py.in).
SHIM_EXTRAS = {"QtWidgets": {"QAction": ("PyQt6.QtGui", "QAction"), "QShortcut": ("PyQt6.QtGui", "QShortcut")},
               "QtCore": {"NULL": None}}

def resolve(module, chain):
    extras = SHIM_EXTRAS.get(module, {})
    if chain and chain[0] in extras:
        target = extras[chain[0]]
        if target is None:
            return None if len(chain) == 1 else f"{chain[0]} is None in QGIS 4"
        obj, rest, where = getattr(importlib.import_module(target[0]), target[1]), chain[1:], target[0]
    else:
        try:
            obj = importlib.import_module("PyQt6." + module)
        except ImportError as error:
            return f"no module PyQt6.{module} ({error})"
        rest, where = chain, "PyQt6." + module
    for name in rest:
        try:
            obj = getattr(obj, name)
        except AttributeError:
            return f"{where} has no {name}"
        where += "." + name
    return None

import PyQt6.QtCore  # fails loudly when PyQt6 is missing
failures = []
for module, chain in json.load(sys.stdin):
    reason = resolve(module, chain)
    if reason:
        failures.append([module, chain, reason])
json.dump({"pyqt": PyQt6.QtCore.PYQT_VERSION_STR, "qt": PyQt6.QtCore.QT_VERSION_STR, "failures": failures},
          sys.stdout)
"""


def resolve_in_pyqt6(uses: list[QtUse], python: str = sys.executable) -> tuple[list[Problem], str]:
    """The uses that PyQt6 lacks, and the PyQt6/Qt versions checked against."""
    wanted = sorted({(use.module, use.chain) for use in uses})
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")  # only PyQt6 is imported there: no qgis, no PyQt5
    result = subprocess.run([python, "-c", RESOLVER], input=json.dumps(wanted), capture_output=True, text=True,
                            env=env, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError("PyQt6 could not be imported (pip install -r requirements-dev.txt):\n" + result.stderr)
    answer = json.loads(result.stdout)
    reasons = {(module, tuple(chain)): reason for module, chain, reason in answer["failures"]}
    problems = [Problem(use.path, use.line, f"{use.dotted()}: {reasons[(use.module, use.chain)]}")
                for use in uses if (use.module, use.chain) in reasons]
    return problems, f"PyQt6 {answer['pyqt']} (Qt {answer['qt']})"


def check_files(paths: list[Path], root: Path = REPO_ROOT, python: str = sys.executable) -> tuple[list[Problem], str]:
    """Every problem in ``paths`` (Python files), and the PyQt6 version they were checked against."""
    uses, problems = [], []
    for path in paths:
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        found_uses, found_problems = qt_uses(path.read_text(encoding="utf-8"), shown)
        uses += found_uses
        problems += found_problems
    missing, version = resolve_in_pyqt6(uses, python)
    return sorted(problems + missing), version


def plugin_sources(root: Path = REPO_ROOT) -> list[Path]:
    """The Python files that go into the plugin zip."""
    spec = importlib.util.spec_from_file_location("scene_finder_package_tool", REPO_ROOT / "tools" / "package.py")
    package = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package)
    return [root / name for name in package.plugin_files(root) if name.endswith(".py")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="Python files (default: the plugin's)")
    args = parser.parse_args(argv)
    paths = [path.resolve() for path in args.files] or plugin_sources()
    problems, version = check_files(paths)
    for problem in problems:
        print(problem, flush=True)
    print(f"{len(paths)} files checked against {version}: {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
