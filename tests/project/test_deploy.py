"""Production configuration: what refuses to start, and `check --deploy` with the README's
production example and docker-compose.yml's defaults."""

import json
import re
import secrets
import subprocess
import sys

import pytest

from tests.project.conftest import ROOT, production_env
from tests.project.test_foundation import settings_in_subprocess


def readme_production_example() -> dict[str, str]:
    """The `.env` block in the README's Deploying section; placeholders get real values."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n# \.env[^\n]*\n(.*?)```", readme, re.DOTALL).group(1)
    values = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
    return {k: secrets.token_urlsafe(50) if v.startswith("<") else v for k, v in values.items()}


def compose_defaults(given: dict[str, str]) -> dict[str, str]:
    """The web service's environment as docker compose fills it in from `given`."""
    compose = (ROOT / "docker-compose.yml").read_text()
    section = compose[compose.index("  web:") :].split("    environment:\n", 1)[1]
    env = {}
    for line in section.splitlines():
        if not line.startswith("      ") or ":" not in line:
            break
        name, value = (part.strip() for part in line.split(":", 1))

        def fill(match: re.Match) -> str:
            variable, op, default = match.groups()
            if variable in given:
                return given[variable]
            if op == ":?":
                raise KeyError(f"docker compose refuses to start without {variable}")
            return default

        env[name] = re.sub(r"\$\{(\w+)(:-|:\?)([^}]*)\}", fill, value)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(**env), capture_output=True, text=True,
    )  # fmt: skip


def test_the_production_example_with_compose_defaults_passes_check_deploy():
    example = readme_production_example()
    env = compose_defaults(example)
    assert env["SITE_URL"] == "https://example.com" and env["ADMIN_REQUIRE_2FA"] == "1"
    result = check_deploy(env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_still_warns_when_a_protection_is_turned_off():
    """The check is not silenced wholesale: turning HSTS or the redirect off is reported."""
    env = compose_defaults(readme_production_example())
    result = check_deploy({**env, "SECURE_HSTS_SECONDS": "0", "SECURE_SSL_REDIRECT": "0"})
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_compose_refuses_to_start_without_site_url():
    with pytest.raises(KeyError, match="SITE_URL"):
        compose_defaults({"SECRET_KEY": "x" * 50})


@pytest.mark.parametrize("site_url", [None, "http://example.com", "example.com"])
def test_production_refuses_to_start_without_an_https_site_url(site_url):
    env = {"DJANGO_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.com"}
    if site_url:
        env["SITE_URL"] = site_url
    result = settings_in_subprocess(env, "SITE_URL")
    assert result.returncode != 0
    assert "SITE_URL must be the site's https address" in result.stderr


def test_production_defaults():
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.com",
        "SITE_URL": "https://example.com/",
    }
    names = ["SITE_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"]
    names += ["SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE"]
    names += ["CSRF_COOKIE_SECURE", "ADMIN_REQUIRE_2FA", "TRUSTED_PROXY_COUNT"]
    result = settings_in_subprocess(env, *names)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SITE_URL": "https://example.com",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "False",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "ADMIN_REQUIRE_2FA": "True",
        "TRUSTED_PROXY_COUNT": "1",
    }


def test_hsts_preload_is_an_opt_in_that_check_deploy_then_holds_to():
    env = {**compose_defaults(readme_production_example()), "SECURE_HSTS_PRELOAD": "1"}
    result = settings_in_subprocess(
        {**env, "DJANGO_ENV": "production"}, "SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS"
    )
    assert json.loads(result.stdout) == {
        "SECURE_HSTS_PRELOAD": "True",
        "SILENCED_SYSTEM_CHECKS": "[]",  # no longer silenced: W021 would be reported
    }
    assert check_deploy(env).returncode == 0  # and with it set, nothing is


def test_local_defaults_keep_make_run_signing_in_with_a_password():
    result = settings_in_subprocess({}, "ADMIN_REQUIRE_2FA", "SITE_URL", "TRUSTED_PROXY_COUNT")
    assert json.loads(result.stdout) == {
        "ADMIN_REQUIRE_2FA": "False",
        "SITE_URL": "http://127.0.0.1:8000",
        "TRUSTED_PROXY_COUNT": "0",
    }


def test_the_image_build_can_import_the_settings():
    """The Dockerfile's collectstatic step runs in production mode with only what it sets."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    step = re.search(
        r"^RUN ((?:\w+=\S+\s+(?:\\\n\s*)?)+)python manage\.py collectstatic", dockerfile, re.M
    )
    assignments = dict(pair.split("=", 1) for pair in re.findall(r"\w+=\S+", step.group(1)))
    result = settings_in_subprocess({"DJANGO_ENV": "production", **assignments}, "SITE_URL")
    assert result.returncode == 0, result.stderr
