"""A database fault readers barely notice: bounded waits for web requests (and only for
them), and a styled 503 with Retry-After, never a 500, when the database is down or hung."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from site_project import localdb
from site_project.postgres import BREAKER_SECONDS, Breaker
from tests.factories import make_post
from tests.project.test_foundation import ROOT

pytestmark = pytest.mark.django_db(transaction=True)
FAULT_URLS = "tests.project.fault_urls"


@pytest.fixture
def reader():
    # As a reader's browser sees it: errors become the site's error pages.
    return Client(raise_request_exception=False)


@pytest.fixture
def fresh_connection():
    """Each test gets a new connection (made with the settings it overrides) and leaves none
    behind with its odd settings."""
    original = {**connection.settings_dict, "OPTIONS": {**connection.settings_dict["OPTIONS"]}}
    connection.close()
    yield connection.settings_dict
    Breaker.open_until = 0.0
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(original)


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Back in a moment" in html
    assert 'class="site-header"' in html and "css/site.css" in html


class TestStatementTimeout:
    @pytest.fixture(autouse=True)
    def _short_timeout(self, settings):
        settings.ROOT_URLCONF = FAULT_URLS
        settings.DB_STATEMENT_TIMEOUT = 0.5

    def test_web_requests_run_under_the_statement_timeout(self, reader, fresh_connection):
        response = reader.get("/test-only/statement-timeout/")
        assert response.content.decode() == "500ms"

    def test_a_statement_over_the_timeout_is_cancelled_and_answered_503(
        self, reader, fresh_connection
    ):
        make_post(title="Still here")
        response = reader.get("/test-only/sleep/", {"seconds": "30"})
        assert_unavailable_page(response)
        # The connection recovers by itself: the next request is served.
        assert reader.get("/test-only/sleep/", {"seconds": "0"}).content == b"slept"
        assert reader.get("/").status_code == 200


def test_management_commands_run_without_the_statement_timeout():
    code = (
        "from django.db import close_old_connections, connection; c = connection.cursor(); "
        "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DB_STATEMENT_TIMEOUT": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0"


class TestDatabaseDown:
    def test_readers_get_a_styled_503_not_a_500(self, reader, fresh_connection):
        fresh_connection.update(HOST="127.0.0.1", PORT=1)  # nothing listens there
        for path in ["/", "/posts/", "/tags/", "/search/?q=x", "/no-such-page/"]:
            assert_unavailable_page(reader.get(path))
        assert reader.get("/livez").status_code == 200
        health = reader.get("/healthz")
        assert health.status_code == 503 and int(health["Retry-After"]) > 0

    def test_a_server_that_accepts_but_never_answers_times_out_at_connect(
        self, reader, fresh_connection
    ):
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(16)  # connections queue; nothing ever answers them
            fresh_connection.update(HOST="127.0.0.1", PORT=silent.getsockname()[1])
            fresh_connection["OPTIONS"]["connect_timeout"] = 1
            assert_unavailable_page(reader.get("/"))
            # A connection that timed out trips the breaker: the next requests are answered
            # at once instead of each waiting out the timeout again.
            assert Breaker.is_open()
            assert reader.get("/healthz").status_code == 503

    def test_other_errors_still_get_the_500_page(self, reader):
        from site_project.errors import server_error

        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(reader.get("/livez").wsgi_request)
        assert response.status_code == 500
        assert "Something went wrong" in response.content.decode()


def postmaster_pid() -> int | None:
    if os.environ.get("DATABASE_URL"):
        return None
    pid_file = localdb.LocalDatabase().cluster_dir / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(pid_file.read_text().splitlines()[0])
    return None


def test_a_frozen_server_costs_readers_a_503_and_recovers_by_itself(
    reader, fresh_connection, settings
):
    """The whole server stopped (SIGSTOP), the web connection already open: its health
    check is cut by the deadline watchdog, the reconnection by the connect timeout."""
    settings.DB_STATEMENT_TIMEOUT = 1
    postmaster = postmaster_pid()
    if postmaster is None:
        pytest.skip("needs the local cluster's processes")
    make_post()
    assert reader.get("/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    fresh_connection["OPTIONS"]["connect_timeout"] = 1
    frozen = [postmaster, backend]
    try:
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        assert_unavailable_page(reader.get("/"))
        assert reader.get("/livez").status_code == 200
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
    assert Breaker.is_open()  # the watchdog cut a wait
    time.sleep(BREAKER_SECONDS)  # then a new connection is tried again
    # What a real request handler does at each request's start and end (the test client
    # turns it off): drop the connection that failed. The fault script shows it in gunicorn.
    close_old_connections()
    assert reader.get("/").status_code == 200
