"""Loads the plugin's compiled translation (``i18n/scene_finder_<language>.qm``) for the QGIS locale.

The language is QGIS's own (Settings > Options > General > User interface translation), else the
system's. English, the source language, needs no file: when none matches, nothing is installed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

LOG = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parents[1] / "i18n"
BASENAME = "scene_finder"


def user_locale() -> str:
    """The QGIS user interface locale, e.g. "de" or "pt_BR" (QGIS keeps it in locale/userLocale)."""
    return QgsSettings().value("locale/userLocale", "", type=str) or QLocale().name()


def translation_file(locale: str, folder: Path = I18N_DIR) -> Path | None:
    """The best .qm for ``locale``: the full name (pt_BR) first, then the language (pt)."""
    for name in (locale, locale.split("_")[0]):
        path = folder / f"{BASENAME}_{name}.qm"
        if name and path.is_file():
            return path
    return None


def install_translator(locale: str | None = None, folder: Path = I18N_DIR) -> QTranslator | None:
    """Install the translator for ``locale`` (default: the QGIS one); None when there is no translation."""
    path = translation_file(locale or user_locale(), folder)
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        LOG.warning("The translation %s could not be loaded", path.name)
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
