"""Discovery: /sitemap.xml, /robots.txt, the /feeds/ page and the feed links in every head."""

import datetime

import lxml.html
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.safestring import mark_safe
from lxml import etree

from content.models import Status
from feeds.templatetags.feed_tags import feed_links as feed_links_tag
from tests.factories import local, make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SECTIONS = ["all", "posts", "notes", "learnings", "bookmarks", "weekly"]
TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


@pytest.fixture
def content(db):
    published = [
        make_post(title="A post", tags=["Python"], published_at=local(2025, 11, 3, 9)),
        make_note(title="A note", published_at=local(2026, 1, 15, 9)),
        make_learning(title="A learning", tags=["Python"], published_at=local(2026, 1, 20, 9)),
        make_bookmark(title="A bookmark", published_at=local(2026, 2, 2, 9)),
    ]
    future = timezone.now() + datetime.timedelta(days=400)
    hidden = [
        make_post(title="Draft", status=Status.DRAFT, tags=["Secret"]),
        make_note(title="Scheduled", published_at=future, tags=["Secret"]),
        make_learning(title="Scheduled learning", published_at=future),
        make_bookmark(title="Draft bookmark", status=Status.DRAFT),
    ]
    return published, hidden


def sitemap_entries(client) -> dict[str, list[str | None]]:
    """loc -> the lastmod of each <url> with that loc (a list, so duplicates show)."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    entries: dict[str, list[str | None]] = {}
    for url in root.findall("sm:url", SITEMAP_NS):
        lastmod = url.find("sm:lastmod", SITEMAP_NS)
        loc = url.find("sm:loc", SITEMAP_NS).text
        entries.setdefault(loc, []).append(None if lastmod is None else lastmod.text)
    return entries


def feed_links(client, url: str) -> list[tuple[str, str, str]]:
    """(type, href, title) of every <link rel="alternate"> in the page's head."""
    response = client.get(url)
    assert response.status_code == 200, url
    head = lxml.html.fromstring(response.content).find("head")
    return [
        (link.get("type"), link.get("href"), link.get("title"))
        for link in head.iterfind("link")
        if link.get("rel") == "alternate"
    ]


def feed_urls(path: str) -> list[tuple[str, str]]:
    return [(TYPES[fmt], f"{SITE}{path}{fmt}") for fmt in ("rss", "atom", "json")]


class TestSitemap:
    def test_every_published_item_once_with_its_lastmod(self, client, content):
        entries = sitemap_entries(client)
        published, _ = content
        for item in published:
            lastmod = timezone.localdate(item.updated_at).isoformat()
            assert entries[SITE + item.get_absolute_url()] == [lastmod]

    def test_drafts_and_scheduled_items_are_absent(self, client, content):
        entries = sitemap_entries(client)
        _, hidden = content
        for item in hidden:
            assert SITE + item.get_absolute_url() not in entries
        assert f"{SITE}/tags/secret/" not in entries

    def test_sections_tags_and_archive_periods(self, client, content):
        pages = {
            "/",
            "/posts/",
            "/notes/",
            "/learnings/",
            "/bookmarks/",
            "/tags/",
            "/feeds/",
            "/tags/python/",
            "/archive/",
            "/archive/2025/",
            "/archive/2025/11/",
            "/archive/2026/",
            "/archive/2026/1/",
            "/archive/2026/2/",
        }
        entries = sitemap_entries(client)
        assert {SITE + page for page in pages} <= entries.keys()
        assert all(len(lastmods) == 1 for lastmods in entries.values())
        archives = {loc for loc in entries if "/archive/" in loc}
        assert archives == {SITE + page for page in pages if page.startswith("/archive/")}

    def test_every_listed_page_exists(self, client, content):
        for loc in sitemap_entries(client):
            assert client.get(loc.removeprefix(SITE)).status_code == 200, loc

    def test_query_count_does_not_grow(self, client, content):
        client.get("/sitemap.xml")  # the sites framework caches the current Site
        cache.clear()
        with CaptureQueriesContext(connection) as few:
            client.get("/sitemap.xml")
        for n in range(30):
            make_note(title=f"Note {n}", tags=[f"tag {n}"], published_at=local(2024, 1 + n % 12, 1))
        cache.clear()
        with CaptureQueriesContext(connection) as many:
            client.get("/sitemap.xml")
        # Per kind a count and a page, then the months; tags (not yet cached): the content's
        # version, one grouped count per kind and the tags themselves.
        assert len(many) == len(few) <= 17

    def test_empty_site(self, client, db):
        assert set(sitemap_entries(client)) == {
            SITE + page
            for page in (
                "/",
                "/posts/",
                "/notes/",
                "/learnings/",
                "/bookmarks/",
                "/tags/",
                "/archive/",
                "/feeds/",
            )
        }


class TestRobots:
    def test_points_to_the_sitemap_and_keeps_robots_out_of_private_paths(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode() == (
            "User-agent: *\n"
            "Disallow: /admin/\n"
            "Disallow: /search/\n"
            "Disallow: /preview/\n"
            "\n"
            f"Sitemap: {SITE}/sitemap.xml\n"
        )


class TestFeedsPage:
    def test_lists_every_feed_in_every_format(self, client, content):
        response = client.get("/feeds/")
        assert response.status_code == 200
        html = response.content.decode()
        for section in SECTIONS:
            for fmt, mime in TYPES.items():
                assert f'href="/feeds/{section}.{fmt}" type="{mime}"' in html
        assert "<title>Feeds · " in html
        assert '<meta property="og:title" content="Feeds">' in html

    def test_explains_tag_feeds_with_a_real_tag(self, client, content):
        html = client.get("/feeds/").content.decode()
        assert "Tag feeds" in html
        for fmt in TYPES:
            assert f'href="/tags/python/feed.{fmt}"' in html
        assert "Secret" not in html

    def test_without_tags(self, client, db):
        html = client.get("/feeds/").content.decode()
        assert "Tag feeds" in html and "/tags/" in html and "feed.atom" in html

    def test_no_inline_script_or_style(self, client, content):
        html = client.get("/feeds/").content.decode()
        assert "<script>" not in html and "style=" not in html


class TestAutodiscovery:
    def test_home_links_the_site_feeds(self, client, content, settings):
        links = feed_links(client, "/")
        assert [(mime, href) for mime, href, _ in links] == feed_urls("/feeds/all.")
        assert [title for _, _, title in links] == [
            f"{settings.SITE_NAME} (RSS)",
            f"{settings.SITE_NAME} (Atom)",
            f"{settings.SITE_NAME} (JSON Feed)",
        ]

    def test_a_section_page_adds_its_own_feeds(self, client, content, settings):
        links = feed_links(client, "/posts/")
        assert [(mime, href) for mime, href, _ in links] == (
            feed_urls("/feeds/all.") + feed_urls("/feeds/posts.")
        )
        assert links[3][2] == f"{settings.SITE_NAME}: Posts (RSS)"

    def test_an_item_page_links_its_section_feeds(self, client, content):
        note = content[0][1]
        hrefs = [href for _, href, _ in feed_links(client, note.get_absolute_url())]
        assert f"{SITE}/feeds/notes.atom" in hrefs
        assert f"{SITE}/feeds/posts.atom" not in hrefs

    def test_bookmarks_add_the_weekly_notes(self, client, content):
        hrefs = [href for _, href, _ in feed_links(client, "/bookmarks/")]
        assert hrefs[3:] == [href for _, href in feed_urls("/feeds/bookmarks.")] + [
            href for _, href in feed_urls("/feeds/weekly.")
        ]

    def test_a_tag_page_adds_the_tag_feeds(self, client, content, settings):
        links = feed_links(client, "/tags/python/")
        assert [(mime, href) for mime, href, _ in links] == (
            feed_urls("/feeds/all.") + feed_urls("/tags/python/feed.")
        )
        assert links[4][2] == f"{settings.SITE_NAME}: #Python (Atom)"

    def test_every_linked_feed_answers(self, client, content):
        for url in ("/", "/posts/", "/bookmarks/", "/tags/python/"):
            for mime, href, _ in feed_links(client, url):
                response = client.get(href.removeprefix(SITE))
                assert response.status_code == 200
                assert response["Content-Type"].startswith(mime)


class TestFeedLinksTag:
    """`{% feed_links %}` keeps its output: kept or not, a title is escaped exactly once, and
    the links follow the site's address."""

    def test_a_title_is_escaped_once_whether_it_comes_plain_or_safe(self):
        plain = feed_links_tag("Rust & C++", "feed", "all")
        assert 'title="Rust &amp; C++ (RSS)"' in plain
        assert feed_links_tag("Rust & C++", "feed", "all") == plain
        assert feed_links_tag(mark_safe("Rust &amp; C++"), "feed", "all") == plain

    def test_the_links_follow_the_site_address(self, settings):
        settings.SITE_URL = "https://one.example"
        assert 'href="https://one.example/feeds/all.rss"' in feed_links_tag("X", "feed", "all")
        settings.SITE_URL = "https://two.example"
        assert 'href="https://two.example/feeds/all.rss"' in feed_links_tag("X", "feed", "all")
