"""Django's PostgreSQL backend with the web request limits of `site_project.postgres`."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from django.db.backends.postgresql import base

from site_project.postgres import HEALTH_CHECK_SECONDS, WATCHDOG, Breaker, Limits


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._guard_execute)

    def get_new_connection(self, conn_params):
        if Breaker.is_open():
            raise base.Database.OperationalError("the database timed out moments ago")
        started = time.monotonic()
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            # A connection that failed by timing out (not one refused at once) trips it.
            timeout = float(conn_params.get("connect_timeout") or 0)
            if timeout and time.monotonic() - started >= timeout * 0.9:
                Breaker.trip()
            raise

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        if milliseconds := Limits.statement_ms():
            options = params.get("options", "")
            params["options"] = f"{options} -c statement_timeout={milliseconds}".strip()
        return params

    @contextlib.contextmanager
    def _deadline(self, seconds: float | None) -> Iterator[None]:
        if seconds is None or self.connection is None or self.connection.closed:
            yield
            return
        with WATCHDOG.watch(self.connection.fileno(), seconds):
            yield

    def _guard_execute(self, execute, sql, params, many, context):
        with self._deadline(Limits.deadline()):
            return execute(sql, params, many, context)

    def is_usable(self) -> bool:
        # `SELECT 1` answers in milliseconds from a live server: no need to wait as long, and
        # a connection failing it is only replaced, not an error.
        deadline = Limits.deadline()
        with self._deadline(None if deadline is None else HEALTH_CHECK_SECONDS):
            return super().is_usable()

    def _commit(self):
        with self._deadline(Limits.deadline()):
            return super()._commit()

    def _rollback(self):
        with self._deadline(Limits.deadline()):
            return super()._rollback()
