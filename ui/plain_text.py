"""Text from services and errors is shown as text: never as markup, never as a link.

Qt renders a label's text as HTML when it looks like HTML, and QGIS's message bar always does (and
opens the links in it). A service's ``detail`` or ``errorMessage`` (carried into our error messages)
must not become a clickable ``file://`` link or styled text. So:

- labels that show such text are made plain once (:func:`plain_label`) and show it with
  :func:`show_plain`;
- where only rich text is possible (the message bar, item tooltips), the text is escaped with
  :func:`escape_rich` / :func:`rich_tooltip`.
"""

from __future__ import annotations

import html

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QLabel


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text literally, with no link to open (returns it)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def new_plain_label(text: str, parent=None) -> QLabel:
    """A new label showing ``text`` literally (e.g. a form row named by the service)."""
    return plain_label(QLabel(text, parent))


def show_plain(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` literally (the label is made plain first)."""
    plain_label(label)
    label.setText(text)


def escape_rich(text: str) -> str:
    """``text`` as a piece of HTML that shows it literally (line breaks kept)."""
    return html.escape(str(text), quote=True).replace("\n", "<br>")


def rich_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally (marked as rich text so that the escapes are decoded)."""
    return f"<qt>{escape_rich(text)}</qt>"
