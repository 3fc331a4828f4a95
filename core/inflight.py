"""Cancel reaches HTTP calls in flight, not only the moment before a request.

A client sends its request inside ``with interruptible(cancel):``. Within that block, on that thread:

- the session's retry waits (backoff and Retry-After, see :mod:`.http`) are :func:`.cancel.sleep`
  on ``cancel``: they end within 0.1 s of a cancel with :class:`CancelledError`;
- every connection the request takes from the pool is watched until it goes back to the pool
  (after a streamed body too): once ``cancel`` says stop, one watcher thread shuts its socket,
  so a read blocked on a stalled server (or a TLS handshake) returns at once;
- once cancelled, the block ends with :class:`CancelledError`, whatever the request raised or
  returned (an answer cut short by the shut socket may look complete).

``cancel`` is a :data:`.cancel.CancelCheck`; a callable is polled from the watcher thread every
:data:`WATCH_SECONDS` while a request is in flight (``QgsTask.isCanceled`` is safe to poll so).
Pools take part through :func:`watch_pools`, which :func:`.http.make_session`'s adapter applies.
A TLS handshake is shut too; a TCP connect or name lookup in progress cannot be: the connect
timeout bounds it.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import weakref
from collections.abc import Iterator

from .cancel import CancelCheck, is_cancelled, sleep
from .errors import CancelledError

LOG = logging.getLogger(__name__)

WATCH_SECONDS = 0.05  # how often the watcher polls the cancel checks of connections in use
_IDLE_ROUNDS = 40  # the watcher thread ends after this many polls with nothing to watch

_local = threading.local()


def bound_cancel() -> CancelCheck:
    """The cancel check bound to this thread's requests by :func:`interruptible` (None: none)."""
    return getattr(_local, "cancel", None)


@contextlib.contextmanager
def interruptible(cancel: CancelCheck) -> Iterator[None]:
    """Bind ``cancel`` to the requests this thread sends inside the block (see the module).

    Blocks nest: inside, either check stops the requests (a function given its own cancel can
    wrap its calls of a client that has another).
    """
    previous = bound_cancel()
    cancel = _either(previous, cancel)
    _local.cancel = cancel
    try:
        yield
    except CancelledError:
        raise
    except Exception:
        if _stopped(cancel):
            raise CancelledError() from None
        raise
    finally:
        _local.cancel = previous
    if _stopped(cancel):  # the answer may have been cut short by the cancel: not to be trusted
        raise CancelledError()


def _either(first: CancelCheck, second: CancelCheck) -> CancelCheck:
    if first is None or first is second:
        return second
    if second is None:
        return first
    return lambda: is_cancelled(first) or is_cancelled(second)


def wait(seconds: float, cancel: CancelCheck = None) -> None:
    """The retry wait: :func:`.cancel.sleep` for ``seconds``, ended (CancelledError) by ``cancel`` or
    by the cancel bound to this thread."""
    sleep(seconds, _either(bound_cancel(), cancel))


def _stopped(cancel: CancelCheck) -> bool:
    try:
        return is_cancelled(cancel)
    except Exception:  # a check that broke (its task is gone): nothing to cancel any more
        return False


# -- the watcher ---------------------------------------------------------------------------------
class _Watcher:
    """Shuts the sockets of connections in use whose cancel check says stop."""

    def __init__(self):
        # Reentrant: garbage collection may run while this thread holds it (a new thread in watch()
        # allocates) and urllib3's finalizer of a dropped pool then closes connections here, which
        # takes the lock again (_drop_shadow).
        self._lock = threading.RLock()
        self._watched: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection -> cancel
        self._thread: threading.Thread | None = None

    def watch(self, connection, cancel: CancelCheck) -> None:
        if connection is None or cancel is None:
            return
        with self._lock:
            self._watched[connection] = cancel
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="scene-finder-cancel", daemon=True)
                self._thread.start()

    def forget(self, connection) -> None:
        if connection is None:
            return
        with self._lock:
            self._watched.pop(connection, None)

    def _run(self) -> None:
        idle = 0
        pause = threading.Event()  # never set: a pause between two polls
        while True:
            idle = 0 if self._poll() else idle + 1
            if idle >= _IDLE_ROUNDS:
                with self._lock:
                    if len(self._watched) == 0:
                        self._thread = None
                        return
                idle = 0
            pause.wait(WATCH_SECONDS)

    def _poll(self) -> bool:
        """Shut what was cancelled; True when something is watched."""
        with self._lock:
            watched = list(self._watched.items())
        for connection, cancel in watched:
            if _stopped(cancel):
                with self._lock:  # still in the same request's hands (not back in the pool meanwhile)
                    if self._watched.get(connection) is cancel and _shut(connection):
                        self._watched.pop(connection, None)
        return bool(watched)


def _shut(connection) -> bool:
    """Shut the connection's socket both ways; False while it has none yet (connecting)."""
    sockets = [getattr(connection, "_shadow", None), getattr(connection, "sock", None)]
    sockets = [sock if isinstance(sock, socket.socket) else getattr(sock, "socket", None)  # pyOpenSSL's wrapper
               for sock in sockets if sock is not None]
    if not sockets:
        return False
    for sock in sockets:
        try:  # the plain socket's shutdown: an SSL socket's own would also drop its SSL state under the reader
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except (OSError, TypeError, ValueError):
            pass
    LOG.debug("Cancelled: closed a connection in use")
    return True


_WATCHER = _Watcher()


# -- pools ----------------------------------------------------------------------------------------
class _WatchedPool:
    """Mixed into urllib3 connection pools: connections in use are watched with the bound cancel."""

    def _get_conn(self, *args, **kwargs):
        connection = super()._get_conn(*args, **kwargs)
        _WATCHER.watch(connection, bound_cancel())
        return connection

    def _put_conn(self, connection):
        _WATCHER.forget(connection)
        return super()._put_conn(connection)


class _WatchedConnection:
    """Mixed into urllib3 connections: while it connects, a duplicate of the socket's descriptor
    (``_shadow``) lets a cancel shut it during the TLS handshake, when the socket being set up is
    out of ``sock``'s reach (ssl takes it over from the plain socket)."""

    _shadow: socket.socket | None = None

    def _new_conn(self):
        sock = super()._new_conn()
        self._drop_shadow()
        try:
            self._shadow = socket.fromfd(sock.fileno(), sock.family, sock.type)
        except (OSError, ValueError, AttributeError):
            self._shadow = None
        return sock

    def connect(self):
        try:
            return super().connect()
        finally:  # connected (``sock`` is the one to shut now) or failed
            self._drop_shadow()

    def close(self):
        self._drop_shadow()
        return super().close()

    def _drop_shadow(self) -> None:
        with _WATCHER._lock:  # never while the watcher shuts it
            shadow, self._shadow = self._shadow, None
            if shadow is not None:
                shadow.close()


_watched_classes: dict[type, type] = {}


def _watched_class(pool_class: type) -> type:
    if issubclass(pool_class, _WatchedPool):
        return pool_class
    if pool_class not in _watched_classes:
        namespace = {}
        connection_class = getattr(pool_class, "ConnectionCls", None)
        if isinstance(connection_class, type) and not issubclass(connection_class, _WatchedConnection):
            namespace["ConnectionCls"] = type("Watched" + connection_class.__name__,
                                              (_WatchedConnection, connection_class), {})
        _watched_classes[pool_class] = type("Watched" + pool_class.__name__, (_WatchedPool, pool_class), namespace)
    return _watched_classes[pool_class]


def watch_pools(manager) -> None:
    """Make the pools ``manager`` (a urllib3 PoolManager, ProxyManager or SOCKSProxyManager) creates
    from now on watch their connections in use."""
    classes = getattr(manager, "pool_classes_by_scheme", None)
    if isinstance(classes, dict):
        manager.pool_classes_by_scheme = {scheme: _watched_class(cls) for scheme, cls in classes.items()}
