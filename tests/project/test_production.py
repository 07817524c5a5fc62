"""The production path shared by the Dockerfile and `make serve`: static files, gunicorn,
and the HTTPS-only behaviour behind the proxy."""

import gzip
import re
import urllib.request

from tests.project.conftest import HOST


def test_gunicorn_serves_with_debug_off(gunicorn):
    proxied, _ = gunicorn
    # The container's health check asks over plain http, with no proxy in between.
    with urllib.request.urlopen(f"{proxied.base}/livez") as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{proxied.base}/healthz") as response:
        assert response.status == 200  # the database answers through gunicorn
    status, _, body = proxied.request("/no-such-page/")
    assert status == 404
    assert b"Page not found" in body and b"Traceback" not in body


def test_plain_http_is_redirected_to_https(gunicorn):
    proxied, _ = gunicorn
    status, headers, _ = proxied.request("/posts/?page=2", scheme="http")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/posts/?page=2"


def test_whitenoise_serves_hashed_compressed_static_files(gunicorn):
    proxied, static_root = gunicorn
    manifest = (static_root / "staticfiles.json").read_text()
    hashed = next(p for p in static_root.glob("css/site.*.css"))
    assert hashed.name in manifest
    assert hashed.with_name(hashed.name + ".gz").exists()
    status, headers, body = proxied.request(
        f"/static/css/{hashed.name}", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert gzip.decompress(body) == hashed.read_bytes()


def test_a_page_loads_one_hashed_stylesheet_and_one_hashed_script(gunicorn):
    proxied, _ = gunicorn
    status, _, body = proxied.request("/")
    assert status == 200
    html = body.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)" defer>', html)
    assert len(stylesheets) == 1 and re.fullmatch(
        r"/static/css/site\.[0-9a-f]{12}\.css", stylesheets[0]
    )
    assert len(scripts) == 1 and re.fullmatch(r"/static/js/site\.[0-9a-f]{12}\.js", scripts[0])
    status, headers, css = proxied.request(stylesheets[0])
    assert status == 200 and "immutable" in headers["Cache-Control"]
    # Both code themes are inside it, the dark one for screens only.
    text = css.decode()
    assert "@media screen and (prefers-color-scheme: dark)" in text and ".codeblock .k" in text
