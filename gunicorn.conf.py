"""gunicorn settings, read by `make serve` (behind nginx) and by the Docker image.

Sync workers suit a buffering proxy in front: nginx holds slow clients, a worker only renders.
"""

import contextlib
import multiprocessing
import os

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# The app is imported (and warmed, below) once, in the master: a recycled worker is a fork,
# ready in milliseconds, instead of a fresh import that left the site a worker short for a
# second or more.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Recycle workers now and then so a slow leak cannot grow; the jitter spreads the restarts,
# so the workers never all restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 2)))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicornc's control socket has one default path per user: several instances (tests,
# benchmarks) on one machine would fight over it, and nothing here uses it.
control_socket_disable = True


def when_ready(server) -> None:
    """In the master, before the first fork: what every worker would otherwise do first."""
    if preload_app:
        from site_project.wsgi import warm

        warm()


def post_fork(server, worker) -> None:
    """In each new worker, before it accepts: its own database connection, and the proxy's
    page cache told which content and code it serves (a deploy must not serve old pages)."""
    if preload_app:
        from django.db import DatabaseError, connection

        from content.models import ContentVersion
        from pagecache import proxy

        # If the database is away, the first request will say so (and try again).
        with contextlib.suppress(DatabaseError):
            connection.ensure_connection()
            proxy.follow(ContentVersion.current())
