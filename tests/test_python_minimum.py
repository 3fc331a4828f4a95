"""The declared minimum is true: the plugin's code runs on Python 3.9.

metadata.txt says qgisMinimumVersion=3.22, and QGIS 3.22 on Windows ships Python 3.9 (the
Windows builds moved to Python 3.12 in 2024). vermin measures the Python version the plugin's
files (what goes in the zip) need; annotations are not evaluated (every module that writes
``X | None`` in annotations has ``from __future__ import annotations``). vermin finds runtime
``X | Y`` unions only with a heuristic that also flags annotations and Qt flag expressions, so a
small check of our own looks for them where Python evaluates them: ``isinstance``/``issubclass``
arguments, and expressions with ``None``, a builtin type, a class name or a subscripted generic as
an operand (``MetadataField = TextFilter | RangeFilter`` at module level).
"""

from __future__ import annotations

import ast
import builtins
import configparser
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
MINIMUM = (3, 9)
# The Python of the Windows build of each QGIS we may declare as minimum (the oldest Python any of its
# builds ships): raising qgisMinimumVersion means looking the new one up and adding it here.
WINDOWS_PYTHON = {"3.22": (3, 9)}
VERMIN_OPTIONS = ["--no-tips", "--no-eval-annotations", "--violations", f"-t={MINIMUM[0]}.{MINIMUM[1]}-"]
VERMIN_MAIN = "import sys; from vermin.main import main; sys.exit(main())"  # vermin has no __main__
BUILTIN_TYPES = {name for name, value in vars(builtins).items() if isinstance(value, type)}

SAMPLE_NEWER = '''
from __future__ import annotations
from dataclasses import dataclass

@dataclass(slots=True)
class Pair:
    left: int | None = None

def pairs(a: list[int] | None, b: list[int]) -> list[tuple[int, int]] | None:
    return list(zip(a or [], b, strict=True))
'''
SAMPLE_FINE = '''
from __future__ import annotations
from dataclasses import dataclass

@dataclass(frozen=True)
class Pair:
    left: int | None = None

def pairs(a: list[int] | None, b: list[int]) -> list[tuple[int, int]] | None:
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
    return list(zip(a or [], b)) if isinstance(a, (list, tuple)) else None
'''


def plugin_sources() -> list[Path]:
    spec = importlib.util.spec_from_file_location("scene_finder_package_tool", REPO_ROOT / "tools" / "package.py")
    package = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package)
    return [REPO_ROOT / name for name in package.plugin_files(REPO_ROOT) if name.endswith(".py")]


def vermin(paths: list[Path]) -> tuple[tuple[int, int], str]:
    """The minimum Python version vermin reports for ``paths``, and its report."""
    result = subprocess.run([sys.executable, "-c", VERMIN_MAIN, *VERMIN_OPTIONS, *map(str, paths)],
                            capture_output=True, text=True, timeout=300, check=False)
    found = re.search(r"^Minimum required versions:\s*(?:[~!]?2(?:\.\d+)?,\s*)?~?3\.(\d+)", result.stdout, re.MULTILINE)
    assert found, result.stdout + result.stderr
    return (3, int(found.group(1))), result.stdout


def _annotation_nodes(tree: ast.AST) -> set[int]:
    nodes = set()
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            annotations += [arg.annotation for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                                                       args.vararg, args.kwarg) if arg is not None]
            annotations.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        nodes.update(id(part) for annotation in annotations if annotation is not None for part in ast.walk(annotation))
    return nodes


def _type_like(node: ast.AST) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _type_like(node.left) or _type_like(node.right)
    # None, list[int], int, or a class name (CamelCase; Qt flags are attributes, constants UPPER_CASE)
    return (isinstance(node, ast.Constant) and node.value is None) or isinstance(node, ast.Subscript) \
        or (isinstance(node, ast.Name) and (node.id in BUILTIN_TYPES or node.id[0].isupper() and not node.id.isupper()))


def runtime_unions(source: str, path: str = "<source>") -> list[str]:
    """``X | Y`` type unions that Python evaluates (a TypeError before 3.10)."""
    tree = ast.parse(source)
    postponed = any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
                    and any(alias.name == "annotations" for alias in node.names) for node in tree.body)
    skipped = _annotation_nodes(tree) if postponed else set()
    type_arguments = {id(node.args[1]) for node in ast.walk(tree) if isinstance(node, ast.Call)
                      and isinstance(node.func, ast.Name) and node.func.id in ("isinstance", "issubclass")
                      and len(node.args) == 2}
    found, inner = [], set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)) or id(node) in skipped | inner:
            continue
        if id(node) in type_arguments or _type_like(node):
            found.append(f"{path}:{node.lineno}: {ast.unparse(node)}")
            inner.update(id(part) for part in ast.walk(node))
    return found


def test_the_declared_minimum_qgis_ships_the_python_we_measure_against():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO_ROOT / "metadata.txt", encoding="utf-8")
    assert WINDOWS_PYTHON[parser["general"]["qgisMinimumVersion"]] == MINIMUM


def test_vermin_says_the_plugin_runs_on_python_3_9():
    sources = plugin_sources()
    assert len(sources) > 40
    minimum, report = vermin(sources)
    assert minimum <= MINIMUM, report


def test_the_plugin_evaluates_no_type_union():
    found = []
    for path in plugin_sources():
        found += runtime_unions(path.read_text(encoding="utf-8"), path.relative_to(REPO_ROOT).as_posix())
    assert found == []


def test_vermin_catches_newer_python_and_spares_postponed_annotations(tmp_path):
    newer, fine = tmp_path / "newer.py", tmp_path / "fine.py"
    newer.write_text(SAMPLE_NEWER, encoding="utf-8")
    fine.write_text(SAMPLE_FINE, encoding="utf-8")
    minimum, report = vermin([newer])
    assert minimum == (3, 10)
    assert "'zip(strict)' requires !2, 3.10" in report and "'dataclasses.dataclass(slots)'" in report
    assert vermin([fine])[0] <= MINIMUM


def test_type_unions_are_found_where_python_evaluates_them():
    source = '''
from __future__ import annotations
Check = Callable[[], bool] | None
Field = TextFilter | RangeFilter
MASK = READ | WRITE

def f(value: int | None, flags) -> str | None:
    both = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | flags
    if isinstance(value, int | float) or issubclass(type(value), Polygon | MultiPolygon):
        return str | None
'''
    assert sorted(runtime_unions(source)) == [
        "<source>:10: str | None",
        "<source>:3: Callable[[], bool] | None",
        "<source>:4: TextFilter | RangeFilter",
        "<source>:9: Polygon | MultiPolygon",
        "<source>:9: int | float",
    ]
    # without postponed annotations, the annotations are evaluated too
    assert runtime_unions("def f(value: int | None): pass") == ["<source>:1: int | None"]
