"""The translation extractor finds the strings with the contexts QGIS looks them up under."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def translations():
    spec = importlib.util.spec_from_file_location("scene_finder_translations", REPO_ROOT / "tools" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


SAMPLE_HELPERS = '''
from qgis.PyQt.QtCore import QCoreApplication
CONTEXT = "SampleHelpers"

def tr(message):
    return QCoreApplication.translate(CONTEXT, message)
'''

SAMPLE_MODULE = '''
from qgis.PyQt.QtCore import QCoreApplication
from .helpers import tr

class Panel(QWidget):
    def title(self):
        return self.tr("Panel title")

class Fixed:
    def tr(self, text):
        return QCoreApplication.translate("FixedContext", text)

    def label(self):
        return self.tr("Fixed label")

def message(count):
    return tr("Found {count} scenes & more").format(count=count) + QCoreApplication.translate("Other", "Explicit")

def not_a_literal(name):
    return tr(name)
'''


def _sample_tree(tmp_path: Path) -> list[Path]:
    package = tmp_path / "gis"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text(SAMPLE_HELPERS)
    (package / "panel.py").write_text(SAMPLE_MODULE)
    return sorted(package.glob("*.py"))


def test_contexts_follow_the_runtime_lookup(translations, tmp_path):
    found = translations.extract(_sample_tree(tmp_path), tmp_path)
    contexts = {context: set(messages) for context, messages in found.items()}
    assert contexts == {
        "Panel": {"Panel title"},
        "FixedContext": {"Fixed label"},
        "SampleHelpers": {"Found {count} scenes & more"},
        "Other": {"Explicit"},
    }
    assert found["Panel"]["Panel title"].locations == [("gis/panel.py", 7)]


def test_rendered_ts_is_valid_and_keeps_existing_translations(translations, tmp_path):
    files = _sample_tree(tmp_path)
    ts_file = tmp_path / "sample_de.ts"
    ts_file.write_text(translations.render_ts(translations.extract(files, tmp_path), ts_file))
    root = ET.parse(ts_file).getroot()
    assert root.tag == "TS" and root.get("version") == "2.1"
    # A translator fills one message in; a re-run keeps it and marks a vanished one obsolete.
    text = ts_file.read_text().replace(
        '<source>Panel title</source>\n        <translation type="unfinished"></translation>',
        "<source>Panel title</source>\n        <translation>Paneltitel</translation>",
    )
    ts_file.write_text(text)
    (tmp_path / "gis" / "panel.py").write_text(SAMPLE_MODULE.replace('"Panel title"', '"New title"'))
    ts_file.write_text(translations.render_ts(translations.extract(files, tmp_path), ts_file))
    messages = {m.findtext("source"): m.find("translation") for m in ET.parse(ts_file).getroot().iter("message")}
    assert messages["Panel title"].get("type") == "obsolete" and messages["Panel title"].text == "Paneltitel"
    assert messages["New title"].get("type") == "unfinished"
    if shutil.which("lrelease"):
        result = subprocess.run(["lrelease", str(ts_file), "-qm", str(tmp_path / "sample.qm")],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


def test_committed_ts_file_is_a_qt_translation_source(translations):
    ts_file = REPO_ROOT / "i18n" / "scene_finder_en.ts"
    assert ET.parse(ts_file).getroot().tag == "TS"
    assert ("SceneFinderPlugin", "Scene Finder") in translations.sources_in_ts(ts_file)


def test_committed_ts_file_lists_every_message_of_the_sources(translations):
    # Line numbers may drift; a message added, changed or removed without `make translations` may not.
    found = translations.extract(translations.source_files(), REPO_ROOT)
    wanted = {(context, text) for context, messages in found.items() for text in messages}
    current = translations.sources_in_ts(REPO_ROOT / "i18n" / "scene_finder_en.ts")
    assert not wanted - current, f"run `make translations`: missing {sorted(wanted - current)[:5]}"
    assert not current - wanted, f"run `make translations`: stale {sorted(current - wanted)[:5]}"


def test_plugin_installs_the_translation_of_the_qgis_locale(translations, tmp_path, qgis_app):
    from qgis.PyQt.QtCore import QCoreApplication

    from scene_finder.gis.translation import install_translator, remove_translator, translation_file

    lrelease = shutil.which("lrelease")
    if lrelease is None:
        pytest.skip("lrelease (Debian package qttools5-dev-tools) compiles .ts files")
    ts_file = tmp_path / "scene_finder_de.ts"
    ts_file.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="de">\n<context>\n'
        "    <name>SceneFinderProcessing</name>\n    <message>\n        <source>Cancelled.</source>\n"
        "        <translation>Abgebrochen.</translation>\n    </message>\n</context>\n</TS>\n"
    )
    subprocess.run([lrelease, str(ts_file), "-qm", str(tmp_path / "scene_finder_de.qm")], check=True,
                   capture_output=True)
    assert translation_file("de_AT", tmp_path) == tmp_path / "scene_finder_de.qm"
    assert translation_file("fr_FR", tmp_path) is None
    translator = install_translator("de_DE", tmp_path)
    try:
        assert QCoreApplication.translate("SceneFinderProcessing", "Cancelled.") == "Abgebrochen."
    finally:
        remove_translator(translator)
    assert QCoreApplication.translate("SceneFinderProcessing", "Cancelled.") == "Cancelled."
