"""Background tasks (QgsTask subclasses): see :mod:`.base` for the contract every task follows."""

from __future__ import annotations

from .base import SceneFinderTask, cancel_all, running_tasks, start_task

__all__ = ["SceneFinderTask", "cancel_all", "running_tasks", "start_task"]
