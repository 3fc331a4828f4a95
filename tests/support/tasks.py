"""Helpers for tests of the background tasks: run one in this thread, record what it reports."""

from __future__ import annotations

from qgis.PyQt.QtCore import QThread


def run_sync(task):
    """Run a task in this thread the way the task manager would, then return it."""
    task.finished(task.run())
    return task


class Recorder:
    """What a task emitted: results, errors, details and the thread each detail arrived in."""

    def __init__(self, task):
        self.results, self.errors, self.details, self.threads = [], [], [], []
        task.add_callbacks(self.results.append, self.errors.append)
        task.detailChanged.connect(self.on_detail)

    def on_detail(self, detail):
        self.details.append(detail)
        self.threads.append(QThread.currentThread())
