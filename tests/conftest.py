import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections
from hypothesis import settings as hypothesis_settings

from site_project import localdb
from site_project.postgres import Limits
from tests.factories import make_bookmark, make_learning, make_note, make_post
from tests.pages import PageServer

# Property tests explore new examples on every local run; in CI (CI=true) they replay the
# same ones, so that a landing is never refused for a case nobody can reproduce. A failure
# found locally is printed with the @reproduce_failure line to turn it into a test.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_configure(config):
    # Tests run against real PostgreSQL: the project's own cluster unless DATABASE_URL is set.
    if not os.environ.get("DATABASE_URL"):
        localdb.LocalDatabase().ensure_running()


@pytest.fixture(scope="session", autouse=True)
def _web_limits_end_with_the_requests(django_db_setup, django_db_blocker):
    """Once a test request loads the middleware, this process's new connections carry the
    web statement timeout (site_project/postgres/). Dropping the test database afterwards is
    not a web request: it gets a connection without."""
    yield
    Limits.web = False  # (which also keeps the breaker closed)
    with django_db_blocker.unblock():
        connections.close_all()


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """The static files as production collects them (hashed and compressed, DEBUG off), once
    for every test that runs a real server: collecting takes half a minute here."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=Path(__file__).resolve().parents[1], check=True,
        env={**os.environ, "DEBUG": "0", "STATIC_ROOT": str(root)},
    )  # fmt: skip
    return root


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test starts with nothing cached, as a freshly started site would.
    cache.clear()


@pytest.fixture(autouse=True)
def _site_settings(settings, tmp_path):
    settings.SITE_URL = "http://testserver"
    settings.MEDIA_ROOT = tmp_path / "media"
    # No proxy in front of the test client (the proxy tests set theirs).
    settings.PROXY_GENERATION_FILE = ""
    # A busy CI machine can hold one of a test's statements for seconds; the web deadline
    # (site_project/postgres/) would cut it. The fault tests set their own short timeout.
    settings.DB_STATEMENT_TIMEOUT = 60
    # Users are made in many tests: a slow password hash is not what they test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No test reaches the network: the link fetcher's tests turn it on for loopback servers.
    settings.LINK_FETCH = False
    # Tests do not need hashed static files (there is no collectstatic in them).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def one_of_each(db):
    return [make_post(), make_note(), make_learning(), make_bookmark()]


@pytest.fixture
def page_server(settings):
    """A web server on 127.0.0.1 and the link fetcher turned on, allowed to reach it."""
    settings.LINK_FETCH = True
    settings.LINK_FETCH_ALLOW_PRIVATE = True
    with PageServer() as server:
        yield server
