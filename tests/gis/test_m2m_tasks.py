"""The task base (never raises, signals and callbacks on the main thread, cancel) and the M2M tasks."""

from __future__ import annotations

import threading
import time

import pytest
from qgis.core import QgsTask
from qgis.PyQt.QtCore import QThread

from scene_finder.core.errors import AuthError, CancelledError, SceneFinderError
from scene_finder.gis.tasks import base
from scene_finder.gis.tasks.base import SceneFinderTask, cancel_all, describe_progress, running_tasks, start_task

DEMO = ("demo", "demo-application-token")


def run_sync(task: SceneFinderTask):
    """Run a task in this thread the way the task manager would, then return it."""
    task.finished(task.run())
    return task


class Recorder:
    def __init__(self, task: SceneFinderTask):
        self.results, self.errors, self.details, self.threads = [], [], [], []
        task.succeeded.connect(self.results.append)
        task.failed.connect(self.errors.append)
        task.detailChanged.connect(self.on_detail)

    def on_detail(self, detail):
        self.details.append(detail)
        self.threads.append(QThread.currentThread())


# --- the base ---------------------------------------------------------------------------
class Answer(SceneFinderTask):
    def work(self):
        for percent in range(0, 101, 1):
            self.report_progress(percent)
        self.report_detail("half way")
        return 42


class Broken(SceneFinderTask):
    def __init__(self, error, **kw):
        super().__init__("broken", **kw)
        self.to_raise = error

    def work(self):
        raise self.to_raise


class UntilCancelled(SceneFinderTask):
    def __init__(self, **kw):
        super().__init__("waits for cancel", **kw)
        self.started = threading.Event()

    def work(self):
        self.started.set()
        while not self.isCanceled():
            self.report_detail(time.monotonic())
            time.sleep(0.01)
        return "stopped"


def test_success_reaches_signal_and_callbacks(qgis_app):
    seen = []
    task = Answer("answer", on_success=seen.append, on_error=pytest.fail)
    recorder = Recorder(task)
    run_sync(task)
    assert task.result == 42 and task.error is None
    assert seen == [42] and recorder.results == [42] and recorder.errors == []
    assert task.progress() == 100 and recorder.details == ["half way"]
    assert bool(task.flags() & QgsTask.Flag.CanCancel)
    assert task not in running_tasks()


def test_errors_are_stored_logged_and_reported_never_raised(qgis_app, caplog):
    errors = []
    task = run_sync(Broken(AuthError(service_message="AUTH_INVALID bad token"), on_error=errors.append))
    assert isinstance(task.error, AuthError) and errors == [task.error]
    assert "AUTH_INVALID bad token" in caplog.text

    task = run_sync(Broken(KeyError("token=s3cr3t-value")))
    assert type(task.error) is SceneFinderError and "KeyError" in str(task.error)
    assert "s3cr3t-value" not in str(task.error)
    assert isinstance(task.error.__cause__, KeyError)


def test_a_failing_callback_does_not_stop_the_others(qgis_app):
    seen = []
    task = Answer("answer", on_success=lambda _: 1 / 0)
    task.add_callbacks(on_success=seen.append)
    run_sync(task)
    assert seen == [42]


def test_progress_is_throttled(qgis_app):
    task = Answer("answer")
    emitted = []
    task.progressChanged.connect(emitted.append)
    task.report_progress(10.0)
    for step in range(1000):
        task.report_progress(10.0 + step / 10_000)  # within the same whole percent
    assert len(emitted) <= 3
    task.report_progress(11.0)
    assert emitted[-1] == 11.0


def test_through_the_task_manager_and_cancel_all(qgis_app, qtbot):
    task = UntilCancelled()
    recorder = Recorder(task)
    start_task(task)
    assert task in running_tasks()
    assert task.started.wait(10)
    qtbot.waitUntil(lambda: len(recorder.details) > 0)
    assert all(thread is QThread.currentThread() for thread in recorder.threads)  # delivered on main thread
    assert cancel_all(wait_ms=5000) >= 1
    qtbot.waitUntil(lambda: bool(recorder.errors), timeout=10_000)
    assert isinstance(recorder.errors[0], CancelledError) and task.cancelled
    assert recorder.results == []
    qtbot.waitUntil(lambda: task not in running_tasks())


def test_cancelled_before_it_started(qgis_app):
    task = UntilCancelled()
    base._register(task)
    task.cancel()
    task.finished(False)
    assert isinstance(task.error, CancelledError) and task not in running_tasks()


def test_describe_progress():
    class Progress:
        bytes_done, bytes_total, files_done, files_total, speed_bps, eta_seconds = (
            1_500_000, 4_000_000_000, 1, 3, 2_000_000, 125
        )

    assert describe_progress(Progress()) == "1 of 3 file(s), 1.5 MB of 4.0 GB, 2.0 MB/s, 2 min 05 s left"
