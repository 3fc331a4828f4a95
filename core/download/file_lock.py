"""A lock on one file, shared by threads and processes: an OS lock on a lock file beside it.

The lock is held with ``flock`` on POSIX and ``msvcrt.locking`` on Windows, both tied to the open
file: when a process ends, crashed or not, the OS lets go of its locks, so a stale lock file never
blocks anyone (it is only a name to lock). ``flock`` locks belong to an open file, not to a process,
so two threads of one process that each open the lock file exclude each other too.

The holder deletes the lock file before it lets go; whoever then gets the lock on the deleted file
sees that the name now points elsewhere (or nowhere) and tries again.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


class FileLock:
    """An exclusive, non-blocking lock on ``path`` (the lock file itself). Not re-entrant."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if no one holds it; True when it is now ours. Raises OSError when the lock
        file cannot be made (folder missing or not writable)."""
        if self._fd is not None:
            return True
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        for _ in range(10):  # the name may be deleted and made again between our open and our lock
            fd = os.open(self.path, flags, 0o600)
            if not _try_lock(fd):
                os.close(fd)
                return False
            if _same_file(fd, self.path):
                self._fd = fd
                return True
            _unlock(fd)  # we locked a file that its holder has just deleted: take the new one
            os.close(fd)
        return False

    def release(self) -> None:
        """Let go (and delete the lock file where the OS allows it while we hold it)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        _unlock(fd)
        os.close(fd)
        if sys.platform == "win32":  # pragma: no cover - another process may hold it open: then it stays
            with contextlib.suppress(OSError):
                os.unlink(self.path)

    def __enter__(self) -> FileLock:
        if not self.try_acquire():
            raise BlockingIOError(f"{self.path.name} is locked")
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _same_file(fd: int, path: Path) -> bool:
    try:
        held, named = os.fstat(fd), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    if sys.platform == "win32":  # pragma: no cover - a locked file cannot be deleted there
        return True
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)
