"""The persistent download queue (pure Python): the SQLite store (:mod:`.store`), the pacing to USGS's
limits (:mod:`.pacing`) and the engine that plans and runs the items (:mod:`.engine`)."""

from __future__ import annotations

from .engine import QueueEngine
from .pacing import Limits, Pacer
from .store import NewItem, QueueItem, QueueStore, QueueStoreError

__all__ = ["Limits", "NewItem", "Pacer", "QueueEngine", "QueueItem", "QueueStore", "QueueStoreError"]
