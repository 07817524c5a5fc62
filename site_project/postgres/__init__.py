"""PostgreSQL as web requests see it: every wait on the server is bounded.

- `connect_timeout` (settings, every process): a server that accepts connections but does
  not answer fails the connection after a few seconds.
- `statement_timeout` (web requests only): PostgreSQL cancels a statement that runs longer.
- a client-side deadline (web requests only): a frozen server (stopped process, paused VM)
  can neither answer nor enforce its own timeout, so a watchdog thread shuts the socket of a
  call that waited past the deadline; the call fails at once instead of holding the worker.
  The health check of a kept connection (`SELECT 1`) gets HEALTH_CHECK_SECONDS.
- a breaker (web requests only): once a wait has run into one of these timeouts, the
  process answers "unavailable" at once for BREAKER_SECONDS instead of making every request
  wait out the same timeout (a refused connection fails fast anyway and does not trip it).

"Web requests only": `WebRequestLimits` is a middleware, so only request handlers (gunicorn,
runserver, the test client) load it, never `migrate` or another management command, whose
long statements are legitimate. It switches the limits on for the process's connections and
removes itself from the chain (MiddlewareNotUsed), so it costs nothing per request. Errors
then reach `site_project.errors.server_error`, which answers 503 with Retry-After.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
import threading
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

# Past the server's own statement_timeout, which normally answers first.
GRACE_SECONDS = 0.5
HEALTH_CHECK_SECONDS = 1.0
BREAKER_SECONDS = 1.0
TICK_SECONDS = 0.1


class Limits:
    """Process-wide: off until a request handler loads `WebRequestLimits`."""

    web = False

    @classmethod
    def statement_ms(cls) -> int:
        return int(settings.DB_STATEMENT_TIMEOUT * 1000) if cls.web else 0

    @classmethod
    def deadline(cls) -> float | None:
        if not cls.web or not settings.DB_STATEMENT_TIMEOUT:
            return None
        return settings.DB_STATEMENT_TIMEOUT + GRACE_SECONDS


class Breaker:
    """Process-wide: when did a wait last run into a timeout."""

    open_until = 0.0

    @classmethod
    def trip(cls) -> None:
        cls.open_until = time.monotonic() + BREAKER_SECONDS

    @classmethod
    def is_open(cls) -> bool:
        return Limits.web and time.monotonic() < cls.open_until


class WebRequestLimits:
    def __init__(self, get_response) -> None:
        Limits.web = True
        raise MiddlewareNotUsed


class Watch:
    fired = False


class Watchdog:
    """One thread per process; database calls register their socket and deadline."""

    def __init__(self) -> None:
        self._calls: dict[int, tuple[float, int, Watch]] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    @contextlib.contextmanager
    def watch(self, fd: int, seconds: float) -> Iterator[Watch]:
        key, watch = next(self._ids), Watch()
        with self._lock:
            self._calls[key] = (time.monotonic() + seconds, fd, watch)
            self._start()
        try:
            yield watch
        finally:
            with self._lock:
                self._calls.pop(key, None)

    def _start(self) -> None:
        # Started lazily, and again in a forked worker (threads do not survive a fork).
        if self._thread is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            with self._lock:
                expired = [key for key, (deadline, *_) in self._calls.items() if deadline < now]
                calls = [self._calls.pop(key) for key in expired]
            for _, fd, watch in calls:
                watch.fired = True
                Breaker.trip()
                shut(fd)


def shut(fd: int) -> None:
    """Shut the connection down under the waiting call (which then fails with an
    OperationalError); the descriptor itself stays the driver's to close."""
    with contextlib.suppress(OSError):
        duplicate = socket.socket(fileno=os.dup(fd))
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        finally:
            duplicate.close()


WATCHDOG = Watchdog()
