"""Feeds: every section and format, tag feeds, Atom schema, JSON Feed, conditional GET, 404s."""

import calendar
import datetime
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator
from lxml import etree

from site_project.feedgen import absolutize, write_html
from site_project.models import Status
from tests.factories import make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db

SECTIONS = ["all", "posts", "notes", "learnings", "bookmarks", "weekly"]
FORMATS = ["rss", "atom", "json"]
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
ATOM_SCHEMA = etree.RelaxNG(etree.parse(Path(__file__).parent / "data" / "atom.rng"))
SITE = "http://testserver"

BODY = """Intro with a [relative link](/notes/elsewhere/), an ![chart](/media/chart.png),
a [jump](#details) and an [outside link](https://example.org/x).

```python
def answer():
    return 42
```

Markup shown as code stays as written: `<a href="/raw">`.

## Details

The end.
"""


def local(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


# A Thursday in ISO week 11 of 2026: week 10 is the last completed week.
NOW = (2026, 3, 12, 12, 0)


@pytest.fixture(autouse=True)
def _thursday(time_machine):
    time_machine.move_to(local(*NOW), tick=True)


@pytest.fixture
def site(db):
    """Published items of every kind across three ISO weeks, plus hidden ones."""
    items = {
        "post": make_post(
            title="Post & friends",
            summary="The summary.",
            body=BODY,
            tags=["Python", "PostgreSQL"],
            published_at=local(2026, 3, 12, 11),
        ),
        "note": make_note(
            title="A note", body=BODY, tags=["Python"], published_at=local(2026, 3, 12, 10)
        ),
        "learning": make_learning(
            title="What is a trie?",
            sources=["https://en.wikipedia.org/wiki/Trie", "https://example.com/a?b=1&c=2"],
            published_at=local(2026, 3, 12, 9),
        ),
        "bookmark": make_bookmark(
            title="Tries explained",
            url="https://www.example.org/tries",
            body="Worth *reading*, see [my note](/notes/a-note/).",
            tags=["Python"],
            published_at=local(2026, 3, 12, 8),
        ),
        "week10": make_bookmark(title="Week ten link", published_at=local(2026, 3, 4, 10)),
        "week9a": make_bookmark(title="Week nine first", published_at=local(2026, 2, 24, 9)),
        "week9b": make_bookmark(
            title="Week nine second", tags=["Rust"], published_at=local(2026, 2, 26, 9)
        ),
        "old_post": make_post(title="Older post", published_at=local(2026, 2, 10, 9)),
    }
    future = timezone.now() + datetime.timedelta(days=3)
    for make in (make_post, make_note, make_learning, make_bookmark):
        make(title="HIDDEN draft", status=Status.DRAFT, tags=["Python"])
        make(title="HIDDEN scheduled", published_at=future, tags=["Python"])
    make_bookmark(title="HIDDEN week ten draft", status=Status.DRAFT)
    return items


EXPECTED = {
    "all": ["post", "note", "learning", "bookmark", "week10", "week9b", "week9a", "old_post"],
    "posts": ["post", "old_post"],
    "notes": ["note"],
    "learnings": ["learning"],
    "bookmarks": ["bookmark", "week10", "week9b", "week9a"],
}


@dataclass
class Entry:
    id: str
    title: str
    link: str
    published: int  # Unix seconds: RSS dates carry no fractions
    updated: int
    tags: list[str]
    content: str
    summary: str


def seconds(moment: datetime.datetime) -> int:
    return int(moment.timestamp())


def read(response, fmt: str) -> tuple[dict, list[Entry]]:
    """The feed and its entries, whatever the format, exactly as served (no URL fixing)."""
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    if fmt == "json":
        data = json.loads(response.content)
        entries = [
            Entry(
                id=item["id"],
                title=item["title"],
                link=item.get("external_url", item["url"]),
                published=seconds(datetime.datetime.fromisoformat(item["date_published"])),
                updated=seconds(datetime.datetime.fromisoformat(item["date_modified"])),
                tags=item["tags"],
                content=item["content_html"],
                summary=item.get("summary", ""),
            )
            for item in data["items"]
        ]
        return data, entries
    parsed = feedparser.parse(response.content, resolve_relative_uris=False, sanitize_html=False)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    entries = [
        Entry(
            id=entry.id,
            title=entry.title,
            link=entry.link,
            published=calendar.timegm(entry.published_parsed),
            updated=calendar.timegm(entry.updated_parsed),
            tags=[tag.term for tag in entry.get("tags", [])],
            content=entry.content[0].value,
            summary=entry.get("summary", ""),
        )
        for entry in parsed.entries
    ]
    return parsed.feed, entries


def fetch(client, url: str, fmt: str) -> list[Entry]:
    return read(client.get(url), fmt)[1]


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


class TestWeeklyFeed:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_one_digest_per_completed_week_newest_first(self, client, site, fmt):
        entries = fetch(client, f"/feeds/weekly.{fmt}", fmt)
        assert [e.title for e in entries] == [
            "Weekly notes: week 10, 2026",
            "Weekly notes: week 9, 2026",
        ]
        week10, week9 = entries
        assert week10.id == week10.link == f"{SITE}/bookmarks/2026/week/10/"
        assert week9.link == f"{SITE}/bookmarks/2026/week/9/"
        assert week10.published == seconds(local(2026, 3, 8, 23, 59, 59))
        assert week9.published == seconds(local(2026, 3, 1, 23, 59, 59))
        latest = max(site["week9a"].updated_at, site["week9b"].updated_at)
        assert week9.updated == seconds(latest)
        assert week9.tags == ["Rust"]

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_digest_links_each_bookmark_oldest_first(self, client, site, fmt):
        week9 = fetch(client, f"/feeds/weekly.{fmt}", fmt)[1]
        first, second = site["week9a"], site["week9b"]
        expected = (
            f'<p><a href="{first.url}">Week nine first</a> (example.com)</p>{first.body_html}'
            f'<p><a href="{second.url}">Week nine second</a> (example.com)</p>{second.body_html}'
        )
        # XML parsers drop the final newline; nothing else may differ.
        assert week9.content.strip() == expected.strip()

    def test_empty_while_only_the_current_week_has_bookmarks(self, client, db):
        make_bookmark(title="This week", published_at=local(2026, 3, 10, 9))
        assert fetch(client, "/feeds/weekly.json", "json") == []

    def test_the_current_week_is_left_out_until_it_is_over(self, client, site, time_machine):
        assert "week 11" not in client.get("/feeds/weekly.atom").content.decode()
        time_machine.move_to(local(2026, 3, 16, 0, 0, 1), tick=True)
        titles = [e.title for e in fetch(client, "/feeds/weekly.atom", "atom")]
        assert titles[0] == "Weekly notes: week 11, 2026"


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


class TestConditionalGet:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_the_same_etag_gives_304_with_no_body(self, client, site, fmt):
        first = client.get(f"/feeds/posts.{fmt}")
        assert first["ETag"] and first["Last-Modified"]
        again = client.get(f"/feeds/posts.{fmt}", headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304
        assert again.content == b""

    def test_an_empty_feed_has_an_etag_but_no_date(self, client, db):
        first = client.get("/feeds/notes.rss")
        assert not first.has_header("Last-Modified")
        again = client.get("/feeds/notes.rss", headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304

    def test_if_modified_since(self, client, site):
        first = client.get("/feeds/all.atom")
        modified = first["Last-Modified"]
        again = client.get("/feeds/all.atom", headers={"if-modified-since": modified})
        assert again.status_code == 304 and again.content == b""
        stale = "Mon, 02 Mar 2026 00:00:00 GMT"
        assert (
            client.get("/feeds/all.atom", headers={"if-modified-since": stale}).status_code == 200
        )

    def test_publishing_changes_that_section_and_all_but_not_the_others(self, client, site):
        urls = ["/feeds/posts.atom", "/feeds/all.atom", "/feeds/notes.atom", "/feeds/weekly.atom"]
        before = {url: client.get(url)["ETag"] for url in urls}
        make_post(title="Fresh post", published_at=timezone.now())
        for url in urls[:2]:
            response = client.get(url, headers={"if-none-match": before[url]})
            assert response.status_code == 200
            assert response["ETag"] != before[url]
            assert b"Fresh post" in response.content
        for url in urls[2:]:
            response = client.get(url, headers={"if-none-match": before[url]})
            assert response.status_code == 304

    def test_editing_an_item_changes_the_etag(self, client, site):
        before = client.get("/feeds/notes.json")["ETag"]
        note = site["note"]
        note.title = "A renamed note"
        note.save()
        response = client.get("/feeds/notes.json", headers={"if-none-match": before})
        assert response.status_code == 200 and response["ETag"] != before

    def test_formats_have_their_own_etags(self, client, site):
        etags = {client.get(f"/feeds/posts.{fmt}")["ETag"] for fmt in FORMATS}
        assert len(etags) == 3

    def test_tag_feed_changes_when_an_item_gets_the_tag(self, client, site):
        before = client.get("/tags/rust/feed.rss")["ETag"]
        site["post"].tags.add(site["week9b"].tags.get())
        response = client.get("/tags/rust/feed.rss", headers={"if-none-match": before})
        assert response.status_code == 200


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


class TestQueryCount:
    # aggregate + union + (items + their tags) per kind; a tag feed first looks up its tag.
    @pytest.mark.parametrize(
        ("url", "bound"), [("/feeds/all.atom", 10), ("/tags/python/feed.json", 11)]
    )
    def test_bounded_whatever_the_number_of_items(
        self, client, db, url, bound, django_assert_max_num_queries
    ):
        makers = (make_post, make_note, make_learning, make_bookmark)
        for n in range(36):
            makers[n % 4](title=f"Item {n}", tags=["Python", f"t{n % 3}"])
        client.get("/feeds/posts.rss")  # the sites framework caches the current Site
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.content.count(b"Item ") >= 30

    def test_weekly_feed_does_not_query_per_week(self, client, db, django_assert_max_num_queries):
        for week in range(10):
            make_bookmark(published_at=local(2026, 3, 4) - datetime.timedelta(weeks=week))
        client.get("/feeds/posts.rss")
        # aggregate, weeks, their bookmarks, the bookmarks' tags
        with django_assert_max_num_queries(4):
            entries = fetch(client, "/feeds/weekly.json", "json")
        assert len(entries) == 10
