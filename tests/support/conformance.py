"""Recursive comparison of JSON shapes: same keys and same value types, item by item."""

from __future__ import annotations

import os
from pathlib import Path

# ../shared/fixtures beside the clone (present in CI and developer sessions, absent elsewhere)
_DEFAULT_FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
FIXTURES = Path(os.environ.get("SCENE_FINDER_FIXTURES", _DEFAULT_FIXTURES))

_NUMBER = (int, float)


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, _NUMBER):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def shape_differences(recorded, emulated, skip: set[str] | frozenset = frozenset(), path: str = "") -> list[str]:
    """Where ``emulated`` differs in keys or value types from ``recorded``.

    A recorded ``null`` accepts any emulated type (the real service sends nulls where values
    are missing), and an emulated ``null`` is accepted where the recording has a value only
    if the path is listed in ``skip``. Lists are compared item by item against the first
    recorded item; an empty recorded list accepts any emulated list.
    """
    if path in skip:
        return []
    differences: list[str] = []
    if recorded is None:
        return differences
    recorded_type, emulated_type = _type_name(recorded), _type_name(emulated)
    if recorded_type != emulated_type:
        return [f"{path or '<root>'}: recorded {recorded_type}, emulator {emulated_type}"]
    if isinstance(recorded, dict):
        for key, value in recorded.items():
            child = f"{path}.{key}" if path else key
            if child in skip:
                continue
            if key not in emulated:
                differences.append(f"{child}: missing in emulator")
                continue
            differences.extend(shape_differences(value, emulated[key], skip, child))
    elif isinstance(recorded, list) and recorded:
        for item in emulated:
            differences.extend(shape_differences(recorded[0], item, skip, f"{path}[]"))
    return differences
