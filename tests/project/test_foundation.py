"""Settings, health checks, error pages and the production refusal without a secret."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from site_project import localdb

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Import settings in a fresh interpreter with exactly `env` on top of a clean base."""
    prefixes = ("DJANGO", "SECRET", "DEBUG")
    base = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    base.pop("DATABASE_URL", None)
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: str(getattr(settings, n)) for n in {list(names)!r}}}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "site_project.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


class TestSettingsFromEnvironment:
    def test_values_come_from_the_environment(self):
        result = settings_in_subprocess(
            {
                "DEBUG": "1",
                "SECRET_KEY": "s3cret",
                "ALLOWED_HOSTS": "a.example, b.example",
                "CSRF_TRUSTED_ORIGINS": "https://a.example",
                "SITE_NAME": "My Notes",
                "TIME_ZONE": "Asia/Tokyo",
            },
            *("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"),
            *("SITE_NAME", "TIME_ZONE"),
        )
        assert result.returncode == 0, result.stderr
        values = json.loads(result.stdout)
        assert values == {
            "DEBUG": "True",
            "SECRET_KEY": "s3cret",
            "ALLOWED_HOSTS": "['a.example', 'b.example']",
            "CSRF_TRUSTED_ORIGINS": "['https://a.example']",
            "SITE_NAME": "My Notes",
            "TIME_ZONE": "Asia/Tokyo",
        }

    def test_local_mode_defaults_are_safe(self):
        values = json.loads(settings_in_subprocess({}, "DEBUG", "ALLOWED_HOSTS").stdout)
        assert values["DEBUG"] == "False"
        assert "localhost" in values["ALLOWED_HOSTS"]

    def test_database_url_overrides_the_local_cluster(self):
        result = settings_in_subprocess(
            {"DATABASE_URL": "postgres://u:p@db.example:6543/blog"}, "DATABASES"
        )
        databases = json.loads(result.stdout)["DATABASES"]
        assert "'HOST': 'db.example'" in databases
        assert "'NAME': 'blog'" in databases
        assert "'PORT': 6543" in databases

    def test_without_database_url_the_local_cluster_is_used(self):
        databases = json.loads(settings_in_subprocess({}, "DATABASES").stdout)["DATABASES"]
        assert f"'PORT': {localdb.LocalDatabase().port}" in databases
        assert "'NAME': 'site'" in databases

    def test_production_refuses_to_start_without_a_secret_key(self):
        result = settings_in_subprocess({"DJANGO_ENV": "production"}, "DEBUG")
        assert result.returncode != 0
        assert "SECRET_KEY is not set" in result.stderr

    def test_production_with_a_secret_starts(self):
        result = settings_in_subprocess(
            {
                "DJANGO_ENV": "production",
                "SECRET_KEY": "x" * 50,
                "ALLOWED_HOSTS": "example.com",
                "SITE_URL": "https://example.com",
            },
            "ALLOWED_HOSTS",
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["ALLOWED_HOSTS"] == "['example.com']"

    def test_unknown_mode_is_refused(self):
        result = settings_in_subprocess({"DJANGO_ENV": "staging"}, "DEBUG")
        assert "DJANGO_ENV must be" in result.stderr


# transaction=True: these tests close the connection, which a wrapping transaction forbids.
@pytest.mark.django_db(transaction=True)
class TestHealth:
    def test_livez(self, client):
        response = client.get("/livez")
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("max-age=0")

    def test_healthz_ok(self, client):
        assert client.get("/healthz").status_code == 200

    def test_healthz_503_when_the_database_is_unreachable(self, client):
        # A real connection attempt to a port where nothing listens.
        original = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=1)
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)
        assert response.status_code == 503
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
class TestErrorPages:
    def test_404_looks_like_the_site_and_offers_search(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert '<a class="skip-link"' in html
        assert 'role="search"' in html
        assert "Page not found" in html
        assert "Traceback" not in html

    @override_settings(DEBUG=False)
    def test_500_renders_without_a_database(self, client, settings):
        from site_project.errors import server_error

        connection.close()
        original = dict(connection.settings_dict)
        connection.settings_dict.update(HOST="127.0.0.1", PORT=1)
        try:
            response = server_error(client.get("/livez").wsgi_request)
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)
        assert response.status_code == 500
        assert "Something went wrong" in response.content.decode()
        assert settings.SITE_NAME in response.content.decode()

    @pytest.mark.parametrize("code,text", [(400, "Bad request"), (403, "Forbidden")])
    def test_400_and_403_templates(self, client, code, text):
        from django.template.loader import render_to_string

        html = render_to_string(f"{code}.html")
        assert text in html
        assert 'class="site-header"' in html
