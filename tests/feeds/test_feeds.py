"""Feeds: every section and format, item content, tag feeds, Atom schema, JSON Feed, 404s."""

import io
import json
import re
from pathlib import Path

import pytest
from django.utils.xmlutils import SimplerXMLGenerator
from lxml import etree

from feeds.formats import absolutize, write_html
from tests.factories import make_note
from tests.feeds.conftest import FORMATS, SECTIONS, SITE, fetch, read, seconds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_thursday")]

ATOM_SCHEMA = etree.RelaxNG(etree.parse(Path(__file__).parents[1] / "data" / "atom.rng"))

EXPECTED = {
    "all": ["post", "note", "learning", "bookmark", "week10", "week9b", "week9a", "old_post"],
    "posts": ["post", "old_post"],
    "notes": ["note"],
    "learnings": ["learning"],
    "bookmarks": ["bookmark", "week10", "week9b", "week9a"],
}


class TestSectionFeeds:
    @pytest.mark.parametrize("fmt", FORMATS)
    @pytest.mark.parametrize("section", [s for s in SECTIONS if s != "weekly"])
    def test_items_newest_first_with_ids_links_dates_and_tags(self, client, site, section, fmt):
        entries = fetch(client, f"/feeds/{section}.{fmt}", fmt)
        expected = [site[key] for key in EXPECTED[section]]
        assert [e.title for e in entries] == [item.title for item in expected]
        for entry, item in zip(entries, expected, strict=True):
            permalink = SITE + item.get_absolute_url()
            assert entry.id == permalink
            assert entry.link == getattr(item, "url", permalink)
            assert entry.published == seconds(item.published_at)
            assert entry.updated == seconds(item.updated_at)
            assert sorted(entry.tags) == sorted(tag.name for tag in item.tags.all())

    @pytest.mark.parametrize("fmt", FORMATS)
    @pytest.mark.parametrize("section", SECTIONS)
    def test_drafts_and_scheduled_items_never_appear(self, client, site, section, fmt):
        response = client.get(f"/feeds/{section}.{fmt}")
        assert response.status_code == 200
        assert b"HIDDEN" not in response.content

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_newest_feed_items_only(self, client, settings, site, fmt):
        settings.FEED_ITEMS = 3
        titles = [e.title for e in fetch(client, f"/feeds/all.{fmt}", fmt)]
        assert titles == ["Post & friends", "A note", "What is a trie?"]

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_an_empty_feed_is_valid(self, client, db, fmt):
        assert fetch(client, f"/feeds/posts.{fmt}", fmt) == []


class TestItemContent:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_full_rendered_html_with_absolute_links(self, client, site, fmt):
        post = next(e for e in fetch(client, f"/feeds/posts.{fmt}", fmt) if "friends" in e.title)
        permalink = SITE + site["post"].get_absolute_url()
        assert '<span class="k">def</span>' in post.content
        assert f'href="{SITE}/notes/elsewhere/"' in post.content
        assert f'src="{SITE}/media/chart.png"' in post.content
        assert f'href="{permalink}#details"' in post.content
        assert 'href="https://example.org/x"' in post.content
        urls = re.findall(r'<(?:a|img) [^>]*?(?:href|src)="([^"]*)"', post.content)
        assert len(urls) == 5
        assert all(url.startswith(("http://", "https://")) for url in urls)

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_markup_shown_as_code_is_untouched(self, client, site, fmt):
        note = fetch(client, f"/feeds/notes.{fmt}", fmt)[0]
        assert 'href="/raw"' in note.content

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_summary_is_the_post_summary_not_the_content(self, client, site, fmt):
        post = fetch(client, f"/feeds/posts.{fmt}", fmt)[0]
        assert post.summary == "The summary."
        assert "The summary." not in post.content

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_learning_sources_follow_the_answer_as_links(self, client, site, fmt):
        learning = fetch(client, f"/feeds/learnings.{fmt}", fmt)[0]
        assert learning.content.endswith(
            '<h2>Sources</h2><ul><li><a href="https://en.wikipedia.org/wiki/Trie">'
            "https://en.wikipedia.org/wiki/Trie</a></li>"
            '<li><a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2'
            "</a></li></ul>"
        )

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_bookmark_links_to_the_page_with_domain_and_commentary(self, client, site, fmt):
        bookmark = fetch(client, f"/feeds/bookmarks.{fmt}", fmt)[0]
        assert bookmark.link == "https://www.example.org/tries"
        assert bookmark.id == SITE + site["bookmark"].get_absolute_url()
        assert bookmark.content.startswith(
            '<p><a href="https://www.example.org/tries">Tries explained</a> (example.org)</p>'
        )
        assert f'<em>reading</em>, see <a href="{SITE}/notes/a-note/">' in bookmark.content

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_control_characters_do_not_break_the_feed(self, client, db, fmt):
        make_note(title="Odd\x0b title", body="A vertical\x0btab.")
        (entry,) = fetch(client, f"/feeds/notes.{fmt}", fmt)
        assert entry.title == "Odd title"
        # XML 1.0 cannot carry it at all: the renderer already replaced it in the body, and
        # the feed drops it from the title.
        assert "vertical\ufffdtab" in entry.content

    def test_html_containing_a_cdata_end_survives(self):
        stream = io.StringIO()
        handler = SimplerXMLGenerator(stream, "utf-8")
        write_html(handler, "content", '<a title="x]]>y">z</a>')
        assert etree.fromstring(stream.getvalue()).text == '<a title="x]]>y">z</a>'

    def test_feed_has_author_title_and_self_link(self, client, site, settings):
        feed, _ = read(client.get("/feeds/posts.atom"), "atom")
        assert feed.title == f"{settings.SITE_NAME}: Posts"
        assert feed.author == settings.SITE_AUTHOR
        assert feed.id == f"{SITE}/feeds/posts.atom"
        assert {link.rel: link.href for link in feed.links} == {
            "alternate": f"{SITE}/posts/",
            "self": f"{SITE}/feeds/posts.atom",
        }


class TestAbsolutize:
    BASE = "https://site.example/posts/p/"

    def test_paths_fragments_and_relative_references(self):
        html = '<p><a href="/x">a</a> <a href="#f">b</a> <img src="i.png" alt="c"></p>'
        assert absolutize(html, self.BASE) == (
            '<p><a href="https://site.example/x">a</a> '
            '<a href="https://site.example/posts/p/#f">b</a> '
            '<img src="https://site.example/posts/p/i.png" alt="c"></p>'
        )

    def test_absolute_and_mailto_links_are_kept(self):
        html = '<a href="https://o.example/?a=1&amp;b=2">x</a><a href="mailto:a@b.c">y</a>'
        assert absolutize(html, self.BASE) == html

    def test_attribute_values_and_text_that_look_like_links_are_kept(self):
        html = '<a title="see href=&quot;/y&quot;" href="/x">x</a><code>src="/z"</code>'
        assert absolutize(html, self.BASE) == (
            '<a title="see href=&quot;/y&quot;" href="https://site.example/x">x</a>'
            '<code>src="/z"</code>'
        )


class TestTagFeeds:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_everything_with_the_tag_and_nothing_else(self, client, site, fmt):
        entries = fetch(client, f"/tags/python/feed.{fmt}", fmt)
        assert [e.title for e in entries] == ["Post & friends", "A note", "Tries explained"]
        assert all("Python" in e.tags for e in entries)
        assert entries[0].id == SITE + site["post"].get_absolute_url()
        assert '<span class="k">def</span>' in entries[0].content

    def test_feed_names_the_tag_and_links_its_page(self, client, site, settings):
        feed, _ = read(client.get("/tags/python/feed.atom"), "atom")
        assert feed.title == f"{settings.SITE_NAME}: #Python"
        assert feed.link == f"{SITE}/tags/python/"


class TestAtomSchema:
    URLS = [f"/feeds/{section}.atom" for section in SECTIONS] + ["/tags/python/feed.atom"]

    @pytest.mark.parametrize("url", URLS)
    def test_valid_against_rfc_4287_relax_ng(self, client, site, url):
        document = etree.fromstring(client.get(url).content)
        assert ATOM_SCHEMA.validate(document), ATOM_SCHEMA.error_log

    def test_the_schema_rejects_an_entry_without_an_id(self, client, site):
        content = client.get("/feeds/posts.atom").content
        broken = re.sub(rb"<id>http://testserver/posts/[^<]*</id>", b"", content, count=1)
        assert not ATOM_SCHEMA.validate(etree.fromstring(broken))


class TestJsonFeed:
    @pytest.mark.parametrize("section", SECTIONS)
    def test_required_fields_and_types(self, client, site, section, settings):
        data = json.loads(client.get(f"/feeds/{section}.json").content)
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(data["title"], str) and data["title"]
        assert data["feed_url"] == f"{SITE}/feeds/{section}.json"
        assert data["home_page_url"].startswith(SITE)
        assert data["authors"] == [{"name": settings.SITE_AUTHOR, "url": f"{SITE}/"}]
        assert data["items"]
        for item in data["items"]:
            assert isinstance(item["id"], str) and item["id"].startswith(SITE)
            assert item["url"] == item["id"]
            assert isinstance(item.get("content_html") or item.get("content_text"), str)
            for key in ("date_published", "date_modified"):
                assert re.fullmatch(
                    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", item[key]
                )
            assert item["authors"] == [{"name": settings.SITE_AUTHOR}]
            assert isinstance(item["tags"], list)
            assert all(isinstance(tag, str) for tag in item["tags"])

    def test_a_bookmark_points_outside_with_external_url(self, client, site):
        item = json.loads(client.get("/feeds/bookmarks.json").content)["items"][0]
        assert item["external_url"] == "https://www.example.org/tries"
        assert item["url"] == SITE + site["bookmark"].get_absolute_url()


class TestNotFound:
    @pytest.mark.parametrize(
        "url",
        [
            "/feeds/everything.rss",
            "/feeds/all.xml",
            "/feeds/ALL.rss",
            "/feeds/all.rss.gz",
            "/feeds/all",
            "/tags/no-such-tag/feed.atom",
            "/tags/python/feed.xml",
        ],
    )
    def test_unknown_section_format_or_tag(self, client, site, url):
        assert client.get(url).status_code == 404
