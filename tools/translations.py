#!/usr/bin/env python3
"""Updates the Qt translation source ``i18n/scene_finder_en.ts`` from the plugin's sources.

    tools/translations.py               # the built-in extractor (default)
    tools/translations.py --pylupdate5  # PyQt's pylupdate5 (Debian package pyqt5-dev-tools)
    tools/translations.py --check       # exit 1 when the .ts file is out of date (no write)

The built-in extractor follows pylupdate5's rules and goes one step further, which is why it
is the default: ``self.tr("text")`` takes the name of the class it is written in (what
QObject.tr uses at run time), ``translate("Context", "text")`` its explicit context, and a
bare ``tr("text")`` the fixed context of the module's ``tr`` helper (its own, or the one it
imports), where pylupdate5 files it under ``@default`` and the translation would never be
found at run time. Existing translations are kept; messages that left the sources are marked
obsolete. Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TS_FILE = REPO_ROOT / "i18n" / "scene_finder_en.ts"
SOURCE_FILES = ("plugin.py", "__init__.py")
SOURCE_FOLDERS = ("gis", "ui")
DEFAULT_CONTEXT = "@default"


@dataclass
class Message:
    source: str
    locations: list[tuple[str, int]] = field(default_factory=list)
    comment: str | None = None


def source_files(root: Path = REPO_ROOT) -> list[Path]:
    """The Python and Designer files whose strings the user sees."""
    files = [root / name for name in SOURCE_FILES if (root / name).is_file()]
    for folder in SOURCE_FOLDERS:
        files += sorted(
            p for p in (root / folder).rglob("*") if p.suffix in (".py", ".ui") and "__pycache__" not in p.parts
        )
    return files


def _literal(node: ast.expr | None, constants: dict[str, str] | None = None) -> str | None:
    """The value of a string literal, or of a module constant holding one; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and constants:
        return constants.get(node.id)
    return None


def _string_constants(tree: ast.Module) -> dict[str, str]:
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _literal(node.value)
            if value is not None:
                constants[node.targets[0].id] = value
    return constants


def _fixed_context(function: ast.FunctionDef, constants: dict[str, str]) -> str | None:
    """The context of a ``tr`` helper that calls ``translate("Context", text)``; None otherwise."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and _call_name(node) in ("translate", "_translate") and node.args:
            return _literal(node.args[0], constants)
    return None


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class _Extractor(ast.NodeVisitor):
    """Collects the messages of one module.

    Contexts: ``translate("Context", text)`` -> Context; ``tr(text)`` -> the context of the
    module's own or imported ``tr`` helper when that helper calls translate with a fixed
    context (else ``@default``, as pylupdate5); ``self.tr(text)`` -> the fixed context of the
    class's own ``tr`` method, else the class name (what QObject.tr and pylupdate5 use).
    """

    def __init__(self, filename: str, found: dict[str, dict[str, Message]], constants: dict[str, str],
                 module_context: str | None):
        self.filename = filename
        self.found = found
        self.constants = constants
        self.module_context = module_context
        self.classes: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:  # noqa: N802 - ast API
        own_tr = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "tr"), None)
        fixed = _fixed_context(own_tr, self.constants) if own_tr is not None else None
        self.classes.append(fixed or node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802 - ast API
        name = _call_name(node)
        if name == "tr" and node.args:
            if isinstance(node.func, ast.Attribute):
                context = self.classes[-1] if self.classes else DEFAULT_CONTEXT
            else:
                context = self.module_context or DEFAULT_CONTEXT
            comment = _literal(node.args[1]) if len(node.args) > 1 else None
            self._add(context, _literal(node.args[0]), node.lineno, comment)
        elif name in ("translate", "_translate") and len(node.args) >= 2:
            context = _literal(node.args[0], self.constants)
            comment = _literal(node.args[2]) if len(node.args) > 2 else None
            if context is not None:
                self._add(context, _literal(node.args[1]), node.lineno, comment)
        self.generic_visit(node)

    def _add(self, context: str, text: str | None, line: int, comment: str | None) -> None:
        if not text:
            return
        message = self.found.setdefault(context, {}).setdefault(text, Message(text, comment=comment))
        message.locations.append((self.filename, line))


def _ui_messages(path: Path, relative: str, found: dict[str, dict[str, Message]]) -> None:
    """Designer files: every <string> not marked notr, in the form's class context."""
    tree = ET.parse(path)
    context = tree.findtext("class") or DEFAULT_CONTEXT
    for element in tree.iter("string"):
        if element.text and element.get("notr") != "true":
            message = found.setdefault(context, {}).setdefault(element.text, Message(element.text))
            message.locations.append((relative, 0))


def _imported_tr(tree: ast.Module, module: str, is_package: bool) -> str | None:
    """The absolute module a relative ``from .x import tr`` brings the helper from."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any(a.name == "tr" and a.asname is None for a in node.names):
            base = module.split(".") if is_package else module.split(".")[:-1]
            if node.level > 1:
                base = base[: len(base) - (node.level - 1)]
            return ".".join([*base, *([node.module] if node.module else [])])
    return None


def extract(files: list[Path], relative_to: Path) -> dict[str, dict[str, Message]]:
    """context -> source text -> Message, from the given files."""
    found: dict[str, dict[str, Message]] = {}
    modules = {}
    for path in files:
        if path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            modules[path] = (tree, _string_constants(tree))
    # A module's own fixed-context tr helper first; imported ones are resolved in a second step.
    own_context = {}
    for path, (tree, constants) in modules.items():
        helper = next((f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "tr"), None)
        if helper is not None:
            own_context[_module_name(path, relative_to)] = _fixed_context(helper, constants)
    for path in files:
        relative = path.relative_to(relative_to).as_posix()
        if path.suffix == ".ui":
            _ui_messages(path, relative, found)
            continue
        tree, constants = modules[path]
        module = _module_name(path, relative_to)
        context = own_context.get(module)
        if context is None:
            source = _imported_tr(tree, module, path.name == "__init__.py")
            context = own_context.get(source) if source else None
        _Extractor(relative, found, constants, context).visit(tree)
    return found


def _existing_translations(ts_file: Path) -> dict[tuple[str, str], ET.Element]:
    if not ts_file.is_file():
        return {}
    kept = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and (translation.text or len(translation)):
                kept[(name, message.findtext("source") or "")] = translation
    return kept


def _escape(text: str) -> str:
    """XML escaping as Qt's lupdate writes it."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&apos;")):
        text = text.replace(char, entity)
    return text


def _message_xml(filename_line: list[tuple[str, int]], source: str, comment: str | None, translation: str) -> str:
    lines = ["    <message>"]
    lines += [f'        <location filename="../{_escape(f)}" line="{n}"/>' for f, n in filename_line]
    lines.append(f"        <source>{_escape(source)}</source>")
    if comment:
        lines.append(f"        <comment>{_escape(comment)}</comment>")
    lines.append(f"        {translation}")
    lines.append("    </message>")
    return "\n".join(lines)


def _translation_xml(element: ET.Element | None, obsolete: bool = False) -> str:
    if element is None:
        return '<translation type="unfinished"></translation>'
    kind = "obsolete" if obsolete else element.get("type")
    attribute = f' type="{kind}"' if kind else ""
    return f"<translation{attribute}>{_escape(element.text or '')}</translation>"


def render_ts(found: dict[str, dict[str, Message]], ts_file: Path) -> str:
    """The .ts XML for ``found`` in lupdate's layout, keeping translations already in ``ts_file``."""
    kept = _existing_translations(ts_file)
    parts = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", '<TS version="2.1">']
    for context_name in sorted({name for name, _ in kept} | set(found)):
        messages = found.get(context_name, {})
        blocks = [
            _message_xml(messages[text].locations, text, messages[text].comment,
                         _translation_xml(kept.get((context_name, text))))
            for text in sorted(messages, key=lambda t: messages[t].locations[0])
        ]
        blocks += [
            _message_xml([], text, None, _translation_xml(translation, obsolete=True))
            for (name, text), translation in sorted(kept.items(), key=lambda item: item[0])
            if name == context_name and text not in messages
        ]
        if blocks:
            parts += ["<context>", f"    <name>{_escape(context_name)}</name>", *blocks, "</context>"]
    parts.append("</TS>")
    return "\n".join(parts) + "\n"


def run_pylupdate(files: list[Path], ts_file: Path) -> bool:
    """Update ``ts_file`` with pylupdate5; False when pylupdate5 is not installed."""
    tool = shutil.which("pylupdate5")
    if tool is None:
        return False
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    # Paths relative to the .ts file's folder, as Qt's tools write them (i18n/ is one level down).
    relative = [(Path("..") / p.relative_to(REPO_ROOT)).as_posix() for p in files]
    subprocess.run([tool, *relative, "-ts", ts_file.name], cwd=ts_file.parent, check=True, capture_output=True)
    return True


def update(ts_file: Path = TS_FILE, *, pylupdate5: bool = False) -> str:
    """Write ``ts_file`` from the sources; returns the tool used ("pylupdate5" or "builtin")."""
    files = source_files()
    if pylupdate5:
        if not run_pylupdate(files, ts_file):
            raise SystemExit("pylupdate5 is not installed (Debian package pyqt5-dev-tools)")
        return "pylupdate5"
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    ts_file.write_text(render_ts(extract(files, REPO_ROOT), ts_file), encoding="utf-8")
    return "builtin"


def sources_in_ts(ts_file: Path) -> set[tuple[str, str]]:
    """(context, source) pairs of the messages that are not obsolete."""
    pairs = set()
    for context in ET.parse(ts_file).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") not in ("obsolete", "vanished"):
                pairs.add((context.findtext("name") or "", message.findtext("source") or ""))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pylupdate5", action="store_true", help="use pylupdate5, not the built-in extractor")
    parser.add_argument("--check", action="store_true", help="only tell whether the .ts file is up to date")
    args = parser.parse_args(argv)
    if args.check:
        found = extract(source_files(), REPO_ROOT)
        wanted = {(context, text) for context, messages in found.items() for text in messages}
        current = sources_in_ts(TS_FILE) if TS_FILE.is_file() else set()
        if wanted != current:
            print(f"{TS_FILE.name} is out of date: run `make translations`", file=sys.stderr)
            return 1
        return 0
    tool = update(pylupdate5=args.pylupdate5)
    count = len(sources_in_ts(TS_FILE))
    print(f"{TS_FILE.relative_to(REPO_ROOT)}: {count} messages ({tool})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
