"""The download queue's store: one SQLite file (WAL), schema versioned, never a secret in it.

An item is what a user asked for, in words that stay true across sessions: the source, the dataset,
the entity id, the product (``"bundle"`` or a band name such as ``"SR_B4"``), the folder and, once
known, the file name. URLs are not stored: USGS signs them (and they expire), so the queue asks
again for every run. No API key, token, password or signed query string goes in.

States: ``queued`` (waits for its turn), ``running``, ``paused`` (by the user, or by the end of a
session: it resumes from its ``.part`` file), ``failed`` (with the error message), ``done``.
A store opened after a session that ended with items ``running`` turns them ``paused``
(:meth:`QueueStore.recover`), so the next session can offer to resume them.

Every change sets ``version`` from a counter, so a view asks only for what changed since the last
version it saw committed (:attr:`QueueStore.committed`, :meth:`QueueStore.changed_since`).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1
STATES = ("queued", "running", "paused", "failed", "done")
UNFINISHED = ("queued", "running", "paused")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    dataset TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    product TEXT NOT NULL,
    file_name TEXT,
    folder TEXT NOT NULL,
    batch TEXT,
    bytes_done INTEGER NOT NULL DEFAULT 0,
    bytes_total INTEGER,
    speed REAL NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'queued',
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS items_state ON items (state, id);
CREATE INDEX IF NOT EXISTS items_version ON items (version);
CREATE INDEX IF NOT EXISTS items_batch ON items (batch);
"""
_COLUMNS = ("id", "source", "dataset", "entity_id", "product", "file_name", "folder", "batch", "bytes_done",
            "bytes_total", "speed", "state", "error", "attempts", "created", "started", "finished", "version")


class QueueStoreError(Exception):
    """The queue file cannot be used (written by a newer version, damaged, not writable)."""


@dataclass(frozen=True)
class NewItem:
    """What is asked for: enough to ask USGS again in any later session."""

    dataset: str
    entity_id: str
    product: str  # "bundle" or a band name ("SR_B4")
    folder: str
    source: str = "m2m"
    batch: str | None = None  # the caller's group (a download started from the results table)


@dataclass(frozen=True)
class QueueItem:
    id: int
    source: str
    dataset: str
    entity_id: str
    product: str
    file_name: str | None
    folder: str
    batch: str | None
    bytes_done: int
    bytes_total: int | None
    speed: float
    state: str
    error: str | None
    attempts: int
    created: float
    started: float | None
    finished: float | None
    version: int

    @property
    def key(self) -> str:
        """The downloader's key: the entity id (bundles) or ``"<entity id>/<band>"``."""
        return self.entity_id if self.product == "bundle" else f"{self.entity_id}/{self.product}"

    @property
    def path(self) -> Path | None:
        return Path(self.folder) / self.file_name if self.file_name else None


def _blocks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    """``ids`` a few hundred at a time (SQLite's limit of parameters in one statement)."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


class QueueStore:
    """The queue in ``path`` (made on first use). Safe to share between threads of one process; a
    second process may read it at the same time (WAL)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=10.0,
                                      isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            found = self.db.execute("PRAGMA user_version").fetchone()[0]
            if found > SCHEMA_VERSION:
                self.db.close()
                raise QueueStoreError(f"The download queue {self.path} was written by a newer Scene Finder "
                                      f"(schema {found}); update the plugin to use it.")
            self.db.executescript(_SCHEMA)
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self.version = self.db.execute("SELECT COALESCE(MAX(version), 0) FROM items").fetchone()[0]
            self.committed = self.version  # every change up to this one is visible to readers
            # reads (a view refreshing on the main thread) take their own connection: with WAL they never
            # wait for the runner's writes
            self.reader = sqlite3.connect(str(self.path), check_same_thread=False, timeout=10.0,
                                          isolation_level=None)
            self.read_lock = threading.Lock()
        except sqlite3.Error as exc:
            raise QueueStoreError(f"The download queue {self.path} cannot be opened ({exc}). Move the file "
                                  "away to start an empty queue.") from None

    def close(self) -> None:
        with self.lock, self.read_lock:
            self.reader.close()
            self.db.close()

    # -- helpers ------------------------------------------------------------------------
    @contextlib.contextmanager
    def _writing(self) -> Iterator[int]:
        """One write transaction, under the lock; yields its version (readers see it once committed)."""
        with self.lock:
            self.version += 1
            self.db.execute("BEGIN")
            try:
                yield self.version
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.committed = self.version

    def _rows(self, sql: str, args: Iterable = ()) -> list[QueueItem]:
        with self.read_lock:
            rows = self.reader.execute(f"SELECT {', '.join(_COLUMNS)} FROM items {sql}", tuple(args)).fetchall()
        return [QueueItem(*row) for row in rows]

    def _update(self, ids: Iterable[int], assignments: str, args: tuple = (), where: str = "") -> int:
        ids = [int(i) for i in ids]
        if not ids:
            return 0
        changed = 0
        with self._writing() as version:
            for block in _blocks(ids):
                marks = ",".join("?" * len(block))
                cursor = self.db.execute(f"UPDATE items SET {assignments}, version=? WHERE id IN ({marks}) {where}",
                                         (*args, version, *block))
                changed += cursor.rowcount
        return changed

    # -- adding and reading ---------------------------------------------------------------
    def add(self, entries: Iterable[NewItem]) -> list[int]:
        """Queue ``entries``; an item already in the queue unfinished or failed (same dataset, entity,
        product and folder) is queued again rather than twice. The ids, in order."""
        ids: list[int] = []
        now = time.time()
        with self._writing() as version:
            for entry in entries:
                found = self.db.execute(
                    "SELECT id, state FROM items WHERE dataset=? AND entity_id=? AND product=? AND folder=? "
                    "AND state != 'done' ORDER BY id DESC LIMIT 1",
                    (entry.dataset, entry.entity_id, entry.product, entry.folder)).fetchone()
                if found is not None:
                    if found[1] != "running":
                        self.db.execute("UPDATE items SET state='queued', error=NULL, batch=?, version=? "
                                        "WHERE id=?", (entry.batch, version, found[0]))
                    ids.append(found[0])
                    continue
                cursor = self.db.execute(
                    "INSERT INTO items (source, dataset, entity_id, product, folder, batch, created, version) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (entry.source, entry.dataset, entry.entity_id, entry.product, entry.folder, entry.batch,
                     now, version))
                ids.append(cursor.lastrowid)
        return ids

    def item(self, item_id: int) -> QueueItem | None:
        found = self._rows("WHERE id=?", (int(item_id),))
        return found[0] if found else None

    def items(self, states: Iterable[str] | None = None) -> list[QueueItem]:
        if states is None:
            return self._rows("ORDER BY id")
        states = list(states)
        return self._rows(f"WHERE state IN ({','.join('?' * len(states))}) ORDER BY id", states)

    def batch(self, batch: str) -> list[QueueItem]:
        return self._rows("WHERE batch=? ORDER BY id", (batch,))

    def changed_since(self, version: int) -> list[QueueItem]:
        return self._rows("WHERE version > ? ORDER BY id", (int(version),))

    def ids(self) -> list[int]:
        with self.read_lock:
            return [row[0] for row in self.reader.execute("SELECT id FROM items ORDER BY id")]

    def counts(self) -> dict[str, int]:
        with self.read_lock:
            found = dict(self.reader.execute("SELECT state, COUNT(*) FROM items GROUP BY state").fetchall())
        return {state: found.get(state, 0) for state in STATES}

    # -- the runner's side ----------------------------------------------------------------
    def take(self, limit: int) -> list[QueueItem]:
        """Up to ``limit`` queued items of one kind (the first queued item's source, dataset and
        product, so they go in one request), now ``running``."""
        with self.lock:
            first = self.db.execute("SELECT source, dataset, product FROM items WHERE state='queued' "
                                    "ORDER BY id LIMIT 1").fetchone()
            if first is None or limit <= 0:
                return []
            ids = [row[0] for row in self.db.execute(
                "SELECT id FROM items WHERE state='queued' AND source=? AND dataset=? AND product=? ORDER BY id "
                "LIMIT ?", (*first, int(limit)))]
            self._update(ids, "state='running', error=NULL, speed=0, started=?, attempts=attempts+1",
                         (time.time(),), "AND state='queued'")
            return self._rows(f"WHERE id IN ({','.join('?' * len(ids))}) ORDER BY id", ids)

    def requeue(self, ids: Iterable[int]) -> int:
        """Back to ``queued`` (a rate limit, a run stopped before their turn): not counted as an attempt."""
        return self._update(ids, "state='queued', speed=0, attempts=MAX(attempts-1, 0)", (),
                            "AND state='running'")

    def progress(self, updates: dict[int, tuple[int, int | None, float]]) -> None:
        """Bytes done, total and speed of running items, all in one transaction."""
        if not updates:
            return
        with self._writing() as version:
            self.db.executemany(
                "UPDATE items SET bytes_done=?, bytes_total=COALESCE(?, bytes_total), speed=?, version=? "
                "WHERE id=? AND state='running'",
                [(done, total, speed, version, item_id) for item_id, (done, total, speed) in updates.items()])

    def finish(self, item_id: int, file_name: str | None, size: int | None) -> None:
        self._update([item_id], "state='done', error=NULL, file_name=COALESCE(?, file_name), "
                     "bytes_done=COALESCE(?, bytes_done), bytes_total=COALESCE(?, bytes_total), speed=0, finished=?",
                     (file_name, size, size, time.time()), "AND state='running'")

    def fail(self, item_id: int, message: str) -> None:
        self._update([item_id], "state='failed', error=?, speed=0, finished=?", (message, time.time()),
                     "AND state='running'")

    def set_file_name(self, item_id: int, file_name: str) -> None:
        self._update([item_id], "file_name=?", (file_name,))

    def stop_running(self) -> int:
        """The session ends: what was running is ``paused`` (it resumes from its ``.part`` next time)."""
        with self.lock:
            ids = [row[0] for row in self.db.execute("SELECT id FROM items WHERE state='running'")]
        return self._update(ids, "state='paused', speed=0", (), "AND state='running'")

    def recover(self) -> int:
        """At start: items left ``running`` by a session that ended without stopping them are ``paused``."""
        return self.stop_running()

    # -- the user's side -----------------------------------------------------------------
    def pause(self, ids: Iterable[int]) -> int:
        return self._update(ids, "state='paused', speed=0", (), "AND state IN ('queued', 'running')")

    def resume(self, ids: Iterable[int]) -> int:
        """Paused or failed items go back in the queue (a failed one keeps its ``.part`` and resumes)."""
        return self._update(ids, "state='queued', error=NULL", (), "AND state IN ('paused', 'failed')")

    def retry(self, ids: Iterable[int]) -> int:
        return self.resume(ids)

    def remove(self, ids: Iterable[int]) -> int:
        ids = [int(i) for i in ids]
        removed = 0
        with self._writing():
            for block in _blocks(ids):
                removed += self.db.execute(f"DELETE FROM items WHERE id IN ({','.join('?' * len(block))})",
                                           block).rowcount
        return removed
