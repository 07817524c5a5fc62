"""Through the production topology: nginx (deploy/nginx.conf) in front of gunicorn, both
started here on loopback ports, on the test database. Data is committed (transactional tests)
so that the server processes see it."""

from __future__ import annotations

import datetime
import gzip
import http.client
import re
import socket
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import brotli
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from content.models import Status
from deploy.nginx import TopologyError, modules, nginx_binary
from deploy.serve import Topology
from posts.models import Post
from site_project.localdb import connection_url, free_port
from tests.factories import make_post

try:
    nginx_binary(), modules()
except TopologyError as missing:
    pytest.skip(f"{missing}", allow_module_level=True)

# Each test's data is flushed after it, and the content types are made again. The servers,
# started once for the module, cache their ids (the admin's revisions and log entries use
# them): with every sequence restarted (here and in `proxy`), they are made with the same ids.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory, django_db_setup, django_db_blocker, collected_static):
    work = tmp_path_factory.mktemp("topology")
    with django_db_blocker.unblock():
        # Earlier transactional tests left the content types with later ids (see pytestmark).
        call_command("flush", interactive=False, verbosity=0)
    env = {
        "DATABASE_URL": connection_url(connection.settings_dict),
        "STATIC_ROOT": str(collected_static),
        "MEDIA_ROOT": str(work / "media"),
        "CACHE_DIR": str(work / "cache"),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "",
        "DEBUG": "0",
    }
    (work / "media" / "uploads").mkdir(parents=True)
    (work / "media" / "uploads" / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    with Topology(free_port(), work / "run", env=env) as topology:
        yield topology


@pytest.fixture(autouse=True)
def _follow_the_proxy(proxy, settings):
    # Content made here must reach the proxy's cache as the admin's would.
    settings.PROXY_GENERATION_FILE = proxy.app_env["PROXY_GENERATION_FILE"]


class FormFields(HTMLParser):
    """Inputs, textareas and selects of a page's form with enctype multipart or a POST."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.fields[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea, self.fields[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


class Browser:
    """A few HTTP requests, with cookies, through the proxy; redirects are not followed."""

    def __init__(self, proxy: Topology) -> None:
        self.port = proxy.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {k.replace("_", "-"): v for k, v in headers.items()}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        conn.close()
        return response.status, response.headers, content

    def get(self, path: str, **headers: str):
        return self.request("GET", path, **headers)

    def post(self, path: str, data: dict, **headers: str):
        body = urlencode(data, doseq=True).encode()
        kind = "application/x-www-form-urlencoded"
        return self.request("POST", path, body, content_type=kind, **headers)

    def form(self, path: str) -> dict[str, str]:
        """The fields of the page's main form, as a browser would send them untouched."""
        _, _, body = self.get(path)
        parser = FormFields()
        parser.feed(body.decode())
        return parser.fields

    def csrf(self, path: str) -> str:
        _, _, body = self.get(path)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def sign_in(self, username: str, password: str) -> None:
        token = self.csrf("/admin/login/")
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        status, _, _ = self.post("/admin/login/?next=/admin/", form)
        assert status == 302


def server_log(proxy: Topology) -> str:
    """The end of what gunicorn and nginx wrote: why a request failed."""
    return (proxy.run_dir / "server.log").read_text(errors="replace")[-4000:]


@pytest.fixture
def reader(proxy) -> Browser:
    return Browser(proxy)


@pytest.fixture
def editor(proxy, django_user_model) -> Browser:
    user = django_user_model.objects.create_superuser("editor", "editor@example.com")
    # Hashed as the server checks it (the test settings use a fast hasher it does not know).
    user.password = PBKDF2PasswordHasher().encode("pw", PBKDF2PasswordHasher().salt())
    user.save()
    browser = Browser(proxy)
    browser.sign_in("editor", "pw")
    return browser


def test_nginx_accepts_the_shipped_configuration(proxy):
    config = proxy.run_dir / "nginx.conf"
    result = subprocess.run(
        [nginx_binary(), "-t", "-c", str(config), "-p", str(proxy.run_dir)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


class TestCachedByNginx:
    def test_a_public_page_is_kept_and_revalidated(self, reader):
        make_post(title="Kept by nginx")
        statuses = [reader.get("/")[1]["X-Cache"] for _ in range(3)]
        assert statuses[-1] == "HIT"
        status, headers, body = reader.get("/")
        assert b"Kept by nginx" in body
        assert "public" in headers["Cache-Control"] and "X-Accel-Expires" not in headers
        status, _, body = reader.get("/", if_none_match=headers["ETag"])
        assert status == 304 and body == b""

    @pytest.mark.parametrize("encoding", ["br", "gzip"])
    def test_pages_and_feeds_come_compressed(self, reader, encoding):
        make_post(title="Compressed")
        unpack = brotli.decompress if encoding == "br" else gzip.decompress
        for path in ("/", "/feeds/all.atom", "/feeds/posts.json"):
            _, _, plain = reader.get(path)
            for _ in range(2):  # from gunicorn, then from nginx's cache
                _, headers, body = reader.get(path, accept_encoding=f"{encoding}, deflate")
                assert headers["Content-Encoding"] == encoding, path
                assert unpack(body) == plain, path
            assert headers["X-Cache"] == "HIT"

    def test_what_is_not_kept_is_compressed_by_nginx(self, reader, editor):
        _, headers, body = editor.get("/admin/", accept_encoding="gzip")
        assert headers["Content-Encoding"] == "gzip"
        assert b"<title>Dashboard | " in gzip.decompress(body)

    def test_signed_in_readers_reach_django(self, reader, editor):
        make_post()
        reader.get("/")
        _, headers, _ = editor.get("/")
        assert headers["X-Cache"] == "BYPASS"
        assert "private" in headers["Cache-Control"]


class TestFilesServedByNginx:
    def test_static_files_are_precompressed_and_immutable(self, reader, proxy):
        static = Path(proxy.app_env["STATIC_ROOT"])
        hashed = next(static.glob("css/site.*.css"))
        path = f"/static/css/{hashed.name}"
        _, headers, body = reader.get(path, accept_encoding="br, gzip")
        assert headers["Content-Encoding"] == "br"
        assert brotli.decompress(body) == hashed.read_bytes()
        assert "immutable" in headers["Cache-Control"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "X-Frame-Options" not in headers  # Django never saw it

    def test_media_files(self, reader):
        status, headers, body = reader.get("/media/uploads/pixel.png")
        assert status == 200 and body.startswith(b"\x89PNG")
        assert headers["Content-Type"] == "image/png"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "X-Frame-Options" not in headers


class TestChangesReachReadersAtOnce:
    """An edit or a publication through the admin: every page that shows it, on the next
    request, although nginx had kept them all."""

    PAGES = ["/", "/posts/", "/tags/caching/", "/feeds/all.atom", "/feeds/posts.rss"]

    def warm(self, reader, pages) -> None:
        for page in pages:
            for _ in range(2):
                reader.get(page)
            assert reader.get(page)[1]["X-Cache"] == "HIT", page

    def test_an_edit_through_the_admin(self, reader, editor, proxy):
        post = make_post(title="Before the edit", tags=["Caching"])
        pages = [*self.PAGES, post.get_absolute_url(), f"/archive/{post.published_at.year}/"]
        self.warm(reader, pages)
        change = f"/admin/posts/post/{post.pk}/change/"
        form = editor.form(change) | {"title": "After the edit", "_save": "Save"}
        status, _, _ = editor.post(change, form)
        assert status == 302, server_log(proxy)
        for page in pages:
            _, _, body = reader.get(page)
            assert b"After the edit" in body, page

    def test_a_publication_through_the_admin(self, reader, editor, proxy):
        make_post(title="Already there", tags=["Caching"])
        draft = make_post(title="Just published", status=Status.DRAFT, tags=["Caching"])
        self.warm(reader, self.PAGES)
        changelist = "/admin/posts/post/"
        form = {
            "csrfmiddlewaretoken": editor.csrf(changelist),
            "action": "publish_now",
            "_selected_action": [draft.pk],
        }
        assert editor.post(changelist, form)[0] == 302, server_log(proxy)
        published = Post.objects.get(pk=draft.pk)
        for page in [*self.PAGES, published.get_absolute_url()]:
            status, _, body = reader.get(page)
            assert status == 200 and b"Just published" in body, page

    def test_a_scheduled_post_appears_when_due(self, reader):
        make_post(title="Already there")
        # Far enough ahead that warming the page on a loaded machine ends before it.
        due = timezone.now() + datetime.timedelta(seconds=5)
        make_post(title="Scheduled for now", published_at=due)
        self.warm(reader, ["/"])
        assert b"Scheduled for now" not in reader.get("/")[2]
        time.sleep(max(0, (due - timezone.now()).total_seconds()) + 1.1)
        assert b"Scheduled for now" in reader.get("/")[2]


def test_slow_clients_do_not_take_the_site_down(proxy, reader):
    """gunicorn has 2 workers here; 100 clients that never finish their headers would hold
    them all if they reached it. nginx holds them instead."""
    make_post(title="Still answering")
    slow = []
    for _ in range(100):
        conn = socket.create_connection(("127.0.0.1", proxy.port))
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
        slow.append(conn)
    try:
        time.sleep(1)
        for path in ("/", "/posts/", "/no-such-page/"):
            assert reader.get(path)[0] in (200, 404), path
        assert b"Still answering" in reader.get("/")[2]
    finally:
        for conn in slow:
            conn.close()


def test_a_sign_in_flood_is_answered_by_nginx(proxy, reader):
    """Past a burst of 10, sign-in posts from one address get nginx's 429 without reaching
    gunicorn; other addresses and other pages are untouched. (From 127.0.0.9, so that the
    editor's sign-ins from 127.0.0.1 keep their own allowance.)"""

    def post_from(address: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, source_address=(address, 0))
        conn.request("POST", "/admin/login/", body=b"username=admin&password=guess",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        response = conn.getresponse()
        answer = response.status, response.read()
        conn.close()
        return answer

    started = time.monotonic()
    answers = [post_from("127.0.0.9") for _ in range(25)]
    # 1 + a burst of 10, and one more for every 6 s the flood took (10 a minute): on a
    # loaded machine the 25 posts can take that long.
    allowed = 11 + int((time.monotonic() - started) / 6)
    by_django = [status for status, body in answers if b"nginx" not in body]
    by_nginx = [status for status, body in answers if b"nginx" in body]
    # Django refuses these guesses (no CSRF cookie): what matters is who answered.
    assert len(by_django) <= allowed and set(by_django) == {403}
    assert len(by_nginx) >= 25 - allowed and set(by_nginx) == {429}
    assert post_from("127.0.0.10")[0] == 403  # another address: Django answers
    assert reader.get("/")[0] == 200
