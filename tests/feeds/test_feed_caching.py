"""Feeds over time: the weekly digest, conditional GET, a bounded number of queries."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date

from content.models import ContentVersion
from tests.factories import local, make_bookmark, make_learning, make_note, make_post
from tests.feeds.conftest import FORMATS, SITE, fetch, seconds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_thursday")]


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


class TestConditionalGet:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_the_same_etag_gives_304_with_no_body(self, client, site, fmt):
        first = client.get(f"/feeds/posts.{fmt}")
        assert first["ETag"] and first["Last-Modified"]
        again = client.get(f"/feeds/posts.{fmt}", headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304
        assert again.content == b""

    def test_an_empty_feed_is_dated_by_the_last_change_not_the_clock(self, client, db):
        first = client.get("/feeds/notes.rss")
        changed = ContentVersion.current().changed_at
        assert first["Last-Modified"] == http_date(changed.timestamp())
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
