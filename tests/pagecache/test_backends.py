"""The same page cache on each backend the settings choose: diskcache on one machine (the
default), Redis when REDIS_URL names one. Nothing else changes between them."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from deploy.serve import wait_for
from site_project.localdb import free_port
from tests.factories import make_post
from tests.pagecache.conftest import fetch, html

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed (make http-deps installs it)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    import redis

    wait_for(lambda: redis.Redis(port=port).ping(), "redis-server", process=server)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def configured_caches(**env: str) -> dict:
    """settings.CACHES as a fresh process reads it from `env`."""
    script = "from django.conf import settings; import json; print(json.dumps(settings.CACHES))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "site_project.settings", **env},
    )  # fmt: skip
    return json.loads(result.stdout)["default"]


class TestChoice:
    def test_one_machine_shares_files_between_its_workers(self, tmp_path):
        default = configured_caches(CACHE_DIR=str(tmp_path), REDIS_URL="")
        assert default["BACKEND"] == "pagecache.backends.DiskCache"
        assert default["LOCATION"] == str(tmp_path)

    def test_redis_url_chooses_redis(self):
        default = configured_caches(REDIS_URL="redis://cache.internal:6379/1")
        assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert default["LOCATION"] == "redis://cache.internal:6379/1"


@pytest.fixture(params=["diskcache", "redis"])
def backend(request, settings, tmp_path):
    if request.param == "redis":
        location = request.getfixturevalue("redis_url")
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": location}
        }  # fmt: skip
    else:
        location = str(tmp_path / "cache")
        settings.CACHES = {
            "default": {"BACKEND": "pagecache.backends.DiskCache", "LOCATION": location}
        }
    cache.clear()
    return request.param


@pytest.mark.django_db
class TestEachBackend:
    def test_pages_are_kept_and_follow_changes(self, client, backend):
        post = make_post(title="Kept", tags=["Caching"])
        for url in ("/", post.get_absolute_url(), "/tags/caching/", "/feeds/all.atom"):
            client.get(url)
            response, queries = fetch(client, url, accept_encoding="br")
            assert response.status_code == 200 and queries == 1, url
        post.title = "Changed"
        post.save()
        for url in ("/", post.get_absolute_url(), "/tags/caching/", "/feeds/all.atom"):
            assert "Changed" in html(client, url), url

    def test_counts_are_kept_for_every_page_that_shows_them(
        self, client, backend, settings, django_assert_num_queries
    ):
        settings.PAGE_CACHE_BYPASS_TOKEN = "t"
        fresh = {"x-cache-bypass": "t"}
        post = make_post(tags=["Caching"])
        archive = f"/archive/{post.published_at.year}/"
        client.get(archive, headers=fresh)  # counts every month once
        with django_assert_num_queries(2):  # the version, then the page's titles
            assert client.get(archive, headers=fresh).status_code == 200
