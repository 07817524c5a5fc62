"""The production path: settings with DJANGO_ENV=production, gunicorn behind a stand-in for
the proxy (requests carry the X-Forwarded-For and X-Forwarded-Proto headers nginx sets)."""

import http.client
import os
import secrets
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from deploy.serve import start_gunicorn, wait_for
from site_project.localdb import connection_url, free_port

ROOT = Path(__file__).resolve().parents[2]
HOST = "localhost"  # what the proxy passes on as Host, and SITE_URL's host


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    return {
        **env,
        "DJANGO_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
        "SITE_URL": f"https://{HOST}",
        **extra,
    }


class Proxied:
    """Requests to gunicorn as the TLS-terminating proxy forwards them."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        scheme: str = "https",
        client: str = "203.0.113.7",
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {
            "Host": HOST,
            "X-Forwarded-Proto": scheme,
            "X-Forwarded-For": client,
            **(headers or {}),
        }
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory, django_db_setup, collected_static):
    env = production_env(
        STATIC_ROOT=str(collected_static),
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        DATABASE_URL=connection_url(connection.settings_dict),
    )
    port = free_port()
    env |= {"WEB_CONCURRENCY": "1"}
    server = start_gunicorn(f"127.0.0.1:{port}", env)
    live = f"http://127.0.0.1:{port}/livez"
    wait_for(lambda: urllib.request.urlopen(live, timeout=1), "gunicorn", process=server)
    yield Proxied(port), collected_static
    server.terminate()
    server.wait(timeout=10)
