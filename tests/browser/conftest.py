"""The browser suite's fixtures: one Chromium, and the demo site served by `live_server`.

Chromium is the system one (`make browser-deps` installs it with Java for the HTML checker);
Playwright never downloads a browser. Without them the suite is skipped locally, and fails
under CI (`CI=true`), where a skip would hide a missing install step.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {375: 812, 1280: 900}  # viewport width -> height
SCHEMES = ("light", "dark")
# A tab's init script: records what the page's policy blocked, before the page's own scripts
# run (injected by the browser, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last, after pytest-django has ordered the others: the demo site they
    share is committed to the test database, where no other test may find it. Tests using
    `live_server` (the editor's) come first among them: it empties the database after each,
    and they start a Playwright of their own, which cannot run beside the shared one."""
    browser = [item for item in items if item.get_closest_marker("browser")]
    browser.sort(key=lambda item: "live_server" not in getattr(item, "fixturenames", ()))
    items[:] = [item for item in items if not item.get_closest_marker("browser")] + browser


def require(found: bool, what: str) -> None:
    """Skip without `what` on a laptop; fail under CI, where the Makefile installs it."""
    if found:
        return
    message = f"{what} is not installed (make browser-deps installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    require(os.path.exists(CHROMIUM), "chromium")
    # Playwright's sync API runs an event loop; Django refuses ORM calls inside one unless told.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@dataclass(frozen=True)
class Page:
    name: str  # the page type, for messages and file names
    path: str
    status: int = 200


def page_types() -> list[Page]:
    """One page of every type the site serves, from the demo content."""
    from bookmarks.models import Bookmark
    from content.models import Status, Tag
    from content.preview import preview_url
    from learnings.models import Learning
    from notes.models import Note
    from posts.models import Post

    # The post with the most of what a post can hold: code, display maths, a table with maths.
    features = ('class="codeblock"', 'class="math-display"', "<table", "<th><math")
    post = max(Post.objects.published(), key=lambda p: sum(f in p.body_html for f in features))
    note = Note.objects.published().first()
    learning = Learning.objects.published().first()
    day = learning.published_day
    bookmark = Bookmark.objects.published().first()
    year, week = bookmark.published_week
    tag = Tag.objects.published_counts()[0]
    draft = Note.objects.filter(status=Status.DRAFT).first()
    month = post.published_day
    return [
        Page("home", "/"),
        Page("posts", "/posts/"),
        Page("post", post.get_absolute_url()),
        Page("notes", "/notes/"),
        Page("note", note.get_absolute_url()),
        Page("learnings", "/learnings/"),
        Page("learning-day", f"/learnings/{day:%Y/%m/%d}/"),
        Page("learning", learning.get_absolute_url()),
        Page("bookmarks", "/bookmarks/"),
        Page("bookmark-week", f"/bookmarks/{year}/week/{week}/"),
        Page("bookmark", bookmark.get_absolute_url()),
        Page("tags", "/tags/"),
        Page("tag", tag.get_absolute_url()),
        Page("archive", "/archive/"),
        Page("archive-year", f"/archive/{month.year}/"),
        Page("archive-month", f"/archive/{month.year}/{month.month}/"),
        Page("search", "/search/"),
        Page("search-results", "/search/?q=postgresql+index"),
        Page("search-filtered", "/search/?q=python&kind=learnings"),
        Page("search-nothing", "/search/?q=postgrse+indxe"),
        Page("feeds", "/feeds/"),
        Page("preview", preview_url(draft)),
        Page("not-found", "/no-such-page/", 404),
        Page("bad-request", "/search/?year=abc", 400),
    ]


@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker) -> Iterator[tuple[str, list[Page]]]:
    """The demo content, served on loopback, for every test that reads the site.

    It is committed to the test database and served by a server of its own, not by
    pytest-django's `live_server`, whose tests empty the database after each one: the demo is
    loaded once (about 15 s), and emptied again when the session ends.
    """
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        # pytest-django creates the test database only when a collected test is marked
        # django_db (the browser modules are); never load, let alone flush, another one.
        name, test_name = connection.settings_dict["NAME"], connection.settings_dict["TEST"]["NAME"]
        if name != test_name if test_name else not name.startswith("test_"):
            pytest.fail(f"Not a test database ({name}): are the browser tests marked django_db?")
        call_command("seed_demo", stdout=io.StringIO())
        server = LiveServer("localhost")
        try:
            yield server.url, page_types()
        finally:
            server.stop()
            # The server's threads may still hold connections for a browser's open keep-alive
            # sockets: end them, or the test database could not be dropped at the end.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            call_command("flush", interactive=False, verbosity=0)
