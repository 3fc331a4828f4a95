"""Messages for the user in the QGIS message bar, with a way to the "Scene Finder" log tab.

Errors are explained in one plain sentence in the bar; the details (service codes, what was being
done) go to the log, and the bar's "Details" button opens the log panel.
"""

from __future__ import annotations

import logging

from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QPushButton

from ..core.errors import CancelledError, SceneFinderError
from ..core.redact import redact
from .plain_text import escape_rich

LOG = logging.getLogger(__name__)

TITLE = "Scene Finder"
_LEVELS = {
    "info": Qgis.MessageLevel.Info,
    "success": Qgis.MessageLevel.Success,
    "warning": Qgis.MessageLevel.Warning,
    "error": Qgis.MessageLevel.Critical,
}


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderMessages", message)


def user_message(error: BaseException) -> str:
    """What to tell the user about ``error``: our own errors carry a plain message, others get a generic one."""
    if isinstance(error, SceneFinderError):
        return str(error)
    return tr("Something unexpected went wrong. The details are in the Scene Finder log.")


class Messages:
    """Pushes messages to ``iface.messageBar()``; keeps the last one for tests and the dock's status line."""

    def __init__(self, iface):
        self.iface = iface
        self.last: tuple[str, str] | None = None

    def show(self, level: str, text: str, *, details: bool = False, duration: int | None = None) -> None:
        text = redact(text)
        self.last = (level, text)
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is None:
            return
        qgis_level = _LEVELS.get(level, Qgis.MessageLevel.Info)
        if duration is None:
            duration = 0 if level == "error" else 6
        widget = bar.createMessage(TITLE, escape_rich(text))  # the bar renders HTML and opens its links
        if details:
            button = QPushButton(tr("Details"), widget)
            button.setObjectName("SceneFinderDetailsButton")
            button.clicked.connect(self.open_log)
            widget.layout().addWidget(button)
        bar.pushWidget(widget, qgis_level, duration)

    def info(self, text: str) -> None:
        self.show("info", text)

    def success(self, text: str) -> None:
        self.show("success", text)

    def warning(self, text: str, *, details: bool = False) -> None:
        self.show("warning", text, details=details)

    def error(self, error: BaseException | str, doing: str | None = None) -> None:
        """Tell the user what failed in plain words and log the details (never a traceback dialog)."""
        if isinstance(error, CancelledError):
            self.show("info", str(error))
            return
        if isinstance(error, BaseException):
            text = user_message(error)
            detail = error.details() if isinstance(error, SceneFinderError) else repr(error)
            LOG.error("%s%s", f"{doing}: " if doing else "", detail,
                      exc_info=None if isinstance(error, SceneFinderError) else error)
        else:
            text = error
            LOG.error("%s%s", f"{doing}: " if doing else "", text)
        if doing:
            text = tr("{doing}: {message}").format(doing=doing, message=text)
        self.show("error", text, details=True)

    def open_log(self) -> None:
        try:
            self.iface.openMessageLog()
        except Exception:
            LOG.debug("The message log could not be opened", exc_info=True)
