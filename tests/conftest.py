import os

import pytest
from django.core.cache import cache

from site_project import localdb
from tests.factories import make_bookmark, make_learning, make_note, make_post


def pytest_configure(config):
    # Tests run against real PostgreSQL: the project's own cluster unless DATABASE_URL is set.
    if not os.environ.get("DATABASE_URL"):
        localdb.LocalDatabase().ensure_running()


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
