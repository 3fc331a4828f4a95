"""Routes the plugin's Python loggers to the "Scene Finder" tab of the QGIS message log.

``core/`` logs through the standard :mod:`logging` module (it must not import QGIS); this
handler is what makes those records visible to the user. Messages are redacted once more
on the way out, as a last line of defence against a secret reaching the log.
"""

from __future__ import annotations

import logging

from qgis.core import Qgis, QgsMessageLog

from ..core.redact import redact

LOG_TAG = "Scene Finder"
ROOT_LOGGER_NAME = __name__.split(".")[0]

_LEVELS = (
    (logging.ERROR, Qgis.MessageLevel.Critical),
    (logging.WARNING, Qgis.MessageLevel.Warning),
    (logging.DEBUG, Qgis.MessageLevel.Info),
)


class QgisMessageLogHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = redact(self.format(record))
        except Exception:  # a log call must never break the caller
            return
        level = next(qgis_level for threshold, qgis_level in _LEVELS if record.levelno >= threshold)
        QgsMessageLog.logMessage(message, LOG_TAG, level, notifyUser=False)


_handler: QgisMessageLogHandler | None = None


def install_log_handler(level: int = logging.INFO) -> None:
    """Attach the handler to the plugin's root logger (idempotent)."""
    global _handler
    logger = logging.getLogger(ROOT_LOGGER_NAME)
    if _handler is None:
        _handler = QgisMessageLogHandler()
        _handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        logger.addHandler(_handler)
    logger.setLevel(level)


def remove_log_handler() -> None:
    global _handler
    if _handler is not None:
        logging.getLogger(ROOT_LOGGER_NAME).removeHandler(_handler)
        _handler = None


def log_message(message: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info) -> None:
    """Write one (redacted) line to the Scene Finder log tab."""
    QgsMessageLog.logMessage(redact(message), LOG_TAG, level, notifyUser=False)
