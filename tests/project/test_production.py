"""The production path shared by the Dockerfile and `make serve`: static files, gunicorn."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    return {
        **env,
        "DJANGO_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": "test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        **extra,
    }


def test_check_deploy_reports_no_errors():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ERRORS" not in result.stderr


def subprocess_database_url() -> str:
    """The test database as a URL, for servers started in a subprocess."""
    db = connection.settings_dict
    host = "127.0.0.1" if db["HOST"].startswith("/") else db["HOST"]  # the cluster does both
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory, django_db_setup):
    static_root = tmp_path_factory.mktemp("static")
    env = production_env(STATIC_ROOT=str(static_root), DATABASE_URL=subprocess_database_url())
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env |= {"BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "site_project.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/livez", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base, static_root
    server.terminate()
    server.wait(timeout=10)


def test_gunicorn_serves_with_debug_off(gunicorn):
    base, _ = gunicorn
    with urllib.request.urlopen(f"{base}/livez") as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{base}/healthz") as response:
        assert response.status == 200  # the database answers through gunicorn
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{base}/no-such-page/")
    assert error.value.code == 404
    body = error.value.read().decode()
    assert "Page not found" in body and "Traceback" not in body


def test_whitenoise_serves_hashed_compressed_static_files(gunicorn):
    base, static_root = gunicorn
    manifest = (static_root / "staticfiles.json").read_text()
    hashed = next(p for p in static_root.glob("css/site.*.css"))
    assert hashed.name in manifest
    assert hashed.with_name(hashed.name + ".gz").exists()
    request = urllib.request.Request(
        f"{base}/static/css/{hashed.name}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]


def test_a_page_loads_one_hashed_stylesheet_and_one_hashed_script(gunicorn):
    base, _ = gunicorn
    html = urllib.request.urlopen(f"{base}/").read().decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)" defer>', html)
    assert len(stylesheets) == 1 and re.fullmatch(
        r"/static/css/site\.[0-9a-f]{12}\.css", stylesheets[0]
    )
    assert len(scripts) == 1 and re.fullmatch(r"/static/js/site\.[0-9a-f]{12}\.js", scripts[0])
    with urllib.request.urlopen(base + stylesheets[0]) as response:
        assert "immutable" in response.headers["Cache-Control"]
        css = response.read().decode()
    # Both code themes are inside it, the dark one for screens only.
    assert "@media screen and (prefers-color-scheme: dark)" in css and ".codeblock .k" in css
