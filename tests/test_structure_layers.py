"""The layering, read from the source tree with ``ast``: one module makes the service clients, no
background task lives in ``ui/``, and the panel's code asks the source registry instead of
branching on a source's name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_DIRS = ("core", "gis", "ui")
CLIENTS = ("M2MClient", "CarbonMapperClient")


def _modules() -> dict[str, ast.Module]:
    files = [ROOT / "plugin.py", ROOT / "__init__.py"]
    for folder in PLUGIN_DIRS:
        files += sorted((ROOT / folder).rglob("*.py"))
    return {path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8")) for path in files}


def _called_name(node: ast.Call) -> str | None:
    function = node.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


@pytest.mark.parametrize("client", CLIENTS)
def test_each_service_client_is_constructed_in_exactly_one_module(client):
    makers = sorted(name for name, tree in _modules().items()
                    if any(isinstance(node, ast.Call) and _called_name(node) == client for node in ast.walk(tree)))
    assert makers == ["gis/clients.py"], makers


def _base_names(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        if isinstance(base, ast.Name):
            names.add(base.id)
        elif isinstance(base, ast.Attribute):
            names.add(base.attr)
    return names


def test_no_qgstask_subclass_under_ui():
    classes = [(name, node) for name, tree in _modules().items() for node in ast.walk(tree)
               if isinstance(node, ast.ClassDef)]
    tasks = {"QgsTask"}
    grew = True
    while grew:  # every class deriving from a task class, across modules
        found = {node.name for _, node in classes if _base_names(node) & tasks}
        grew = not found <= tasks
        tasks |= found
    assert len(tasks) > 5  # the walk found the task classes of gis/
    in_ui = sorted(f"{name}:{node.name}" for name, node in classes if name.startswith("ui/") and node.name in tasks)
    assert in_ui == []


def test_the_panel_asks_the_registry_rather_than_comparing_source_names():
    """No ``x == "landsat"`` / ``== SOURCE_LANDSAT`` / ``== auth.SERVICE_M2M`` in ui/: the registry says it."""
    names = {"landsat", "cm_scenes", "cm_plumes", "m2m", "carbonmapper"}
    constants = {"SOURCE_LANDSAT", "SOURCE_CM_SCENES", "SOURCE_CM_PLUMES", "SERVICE_M2M", "SERVICE_CARBONMAPPER",
                 "KIND_LANDSAT", "KIND_CM_SCENE", "KIND_PLUME"}
    branches = []
    for name, tree in _modules().items():
        if not name.startswith("ui/"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
                for side in [node.left, *node.comparators]:
                    value = side.value if isinstance(side, ast.Constant) else None
                    constant = side.id if isinstance(side, ast.Name) else side.attr if isinstance(
                        side, ast.Attribute) else None
                    if value in names or constant in constants:
                        branches.append(f"{name}:{node.lineno}")
    assert branches == []
