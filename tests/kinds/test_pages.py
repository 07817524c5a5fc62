"""Every public page: empty and populated, drafts absent, metadata, grouping by day and week."""

import datetime
import json
import re
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from content.models import Status
from tests.factories import make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/", "/posts/", "/notes/", "/learnings/", "/bookmarks/", "/tags/"]


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.fixture
def hidden(db):
    """A draft and a scheduled item of every kind, titled so a leak is easy to spot."""
    future = timezone.now() + datetime.timedelta(days=3)
    items = []
    for make in (make_post, make_note, make_learning, make_bookmark):
        items.append(make(title="HIDDEN draft", status=Status.DRAFT, tags=["python"]))
        items.append(make(title="HIDDEN scheduled", published_at=future, tags=["python"]))
    return items


class TestEmptySite:
    @pytest.mark.parametrize("url", LIST_PAGES)
    def test_every_list_page_renders_empty(self, client, url):
        html = html_of(client, url)
        assert "<main" in html and "</html>" in html


class TestPopulatedLists:
    def test_home_shows_the_latest_of_each_kind(self, client, hidden):
        make_post(title="A post", summary="Its summary")
        make_note(title="A note", body="The note's first paragraph.")
        make_learning(title="What is a trie?")
        make_bookmark(title="A bookmark", published_at=timezone.now())
        html = html_of(client, "/")
        for text in ("A post", "Its summary", "A note", "What is a trie?", "A bookmark"):
            assert text in html
        assert "HIDDEN" not in html

    def test_home_shows_the_newest_of_a_busy_week_and_links_the_digest(self, client):
        from bookmarks.models import HOME_BOOKMARKS

        noon = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)  # a Wednesday
        with time_machine.travel(noon, tick=False):
            for n in range(HOME_BOOKMARKS + 2):
                make_bookmark(title=f"Link {n:02}", published_at=noon - datetime.timedelta(hours=n))
            html = html_of(client, "/")
        shown = re.findall(r"Link (\d\d)", html)
        assert shown == [f"{n:02}" for n in range(HOME_BOOKMARKS)]  # the newest, newest first
        assert f"All {HOME_BOOKMARKS + 2} bookmarks of this week" in html
        assert 'href="/bookmarks/2026/week/48/">All' in html

    def test_home_links_no_digest_when_it_shows_the_whole_week(self, client):
        make_bookmark(title="The one link", published_at=timezone.now())
        html = html_of(client, "/")
        assert "The one link" in html and "bookmarks of this week" not in html

    def test_posts_list(self, client, hidden):
        make_post(title="Deep dive", summary="All about it", body="word " * 700)
        html = html_of(client, "/posts/")
        assert "Deep dive" in html and "All about it" in html and "4 min read" in html
        assert 'class="section-intro"' in html
        assert "HIDDEN" not in html

    def test_notes_list_shows_excerpt_reading_time_and_year(self, client, hidden):
        note = make_note(title="Small essay", body="Opening thought.\n\nMore.")
        html = html_of(client, "/notes/")
        assert "Opening thought." in html and "1 min" in html
        assert str(note.published_at.year) in html
        assert "HIDDEN" not in html

    def test_bookmarks_list_shows_link_domain_commentary_and_weeks(self, client, hidden):
        make_bookmark(
            title="Tries explained", url="https://www.example.org/tries", body="Good *read*."
        )
        html = html_of(client, "/bookmarks/")
        assert 'href="https://www.example.org/tries"' in html
        assert "example.org" in html and "<em>read</em>" in html
        assert "/week/" in html
        assert "HIDDEN" not in html

    def test_pagination(self, client, settings):
        for n in range(25):
            make_note(title=f"Note {n}")
        assert "Page 1 of 2" in html_of(client, "/notes/")
        assert "Page 2 of 2" in html_of(client, "/notes/?page=2")


class TestDetailPages:
    def test_post_detail_has_toc_tags_neighbours_and_related(self, client, hidden):
        older = make_post(
            title="Older", tags=["python"], published_at=timezone.now() - datetime.timedelta(days=2)
        )
        post = make_post(
            title="The post", tags=["python"], body="## One\n\n## Two\n\n## Three\n\ntext",
            published_at=timezone.now() - datetime.timedelta(days=1),
        )  # fmt: skip
        newer = make_post(title="Newer", published_at=timezone.now())
        note = make_note(title="Related note", tags=["python"])
        html = html_of(client, post.get_absolute_url())
        assert 'class="toc"' in html and 'href="#two"' in html
        assert 'rel="tag"' in html and "/tags/python/" in html
        assert f'href="{older.get_absolute_url()}" rel="prev"' in html
        assert f'href="{newer.get_absolute_url()}" rel="next"' in html
        assert note.get_absolute_url() in html
        assert "HIDDEN" not in html

    def test_a_short_post_has_no_toc(self, client):
        post = make_post(body="## Only one\n\ntext")
        assert 'class="toc"' not in html_of(client, post.get_absolute_url())

    def test_learning_shows_its_sources(self, client):
        learning = make_learning(sources=["https://docs.python.org/3/library/asyncio.html"])
        html = html_of(client, learning.get_absolute_url())
        assert 'href="https://docs.python.org/3/library/asyncio.html"' in html

    def test_bookmark_shows_the_link_via_and_commentary(self, client):
        bookmark = make_bookmark(
            url="https://example.com/x", via_url="https://news.example/", body="Why it matters."
        )
        html = html_of(client, bookmark.get_absolute_url())
        assert 'class="u-bookmark-of" href="https://example.com/x"' in html
        assert "https://news.example/" in html and "Why it matters." in html

    def test_a_bookmark_id_redirects_to_its_slug(self, client):
        bookmark = make_bookmark(title="By id")
        response = client.get(f"/bookmarks/{bookmark.pk}/")
        assert response.status_code == 301
        assert response["Location"] == bookmark.get_absolute_url()

    def test_drafts_and_scheduled_items_have_no_public_page(self, client, hidden):
        for item in hidden:
            assert client.get(item.get_absolute_url()).status_code == 404


class TestMetadata:
    @pytest.mark.parametrize(
        "make,schema_type",
        [(make_post, "BlogPosting"), (make_note, "BlogPosting"), (make_learning, "TechArticle"),
         (make_bookmark, "CreativeWork")],
    )  # fmt: skip
    def test_canonical_open_graph_and_json_ld(self, client, make, schema_type):
        item = make(title="Meta & more")
        html = html_of(client, item.get_absolute_url())
        url = f"http://testserver{item.get_absolute_url()}"
        assert f'<link rel="canonical" href="{url}">' in html
        assert '<meta property="og:title" content="Meta &amp; more">' in html
        assert '<meta property="og:type" content="article">' in html
        assert '<meta name="twitter:card" content="summary_large_image">' in html
        kind = item._meta.app_label
        assert re.search(
            rf'<meta property="og:image" content="http://testserver/cards/{kind}/', html
        )
        assert '<meta property="og:image:width" content="1200">' in html
        assert "<title>Meta &amp; more" in html
        raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        data = json.loads(raw)
        assert data["@type"] == schema_type and data["headline"] == "Meta & more"
        assert data["url"] == url
        if make is make_bookmark:
            assert data["citation"] == item.url

    def test_titles_are_unique_across_pages(self, client):
        post, note = make_post(), make_note()
        urls = [*LIST_PAGES, post.get_absolute_url(), note.get_absolute_url()]
        titles = [re.search(r"<title>(.*?)</title>", html_of(client, u)).group(1) for u in urls]
        assert len(set(titles)) == len(titles)


class TestLearningsByDay:
    def test_grouped_by_local_day_across_midnight(self, client, settings):
        settings.TIME_ZONE = "America/New_York"
        zone = zoneinfo.ZoneInfo("America/New_York")
        late = datetime.datetime(2026, 2, 24, 23, 30, tzinfo=zone)  # 04:30 UTC on the 25th
        make_learning(title="Late question?", published_at=late)
        make_learning(title="Next morning?", published_at=late + datetime.timedelta(hours=9))
        html = html_of(client, "/learnings/")
        assert "February 24, 2026" in html and "February 25, 2026" in html
        assert (
            html.index("Next morning?")
            < html.index("February 24, 2026")
            < html.index("Late question?")
        )
        day = html_of(client, "/learnings/2026/2/24/")
        assert "Late question?" in day and "Next morning?" not in day
        assert 'href="/learnings/2026/2/25/" rel="next"' in day

    def test_the_home_page_shows_the_whole_local_day_in_summer_time(self, client, settings):
        settings.TIME_ZONE = "Europe/London"
        zone = zoneinfo.ZoneInfo("Europe/London")
        # 00:30 on 10 June in London is 23:30 UTC on the 9th.
        make_learning(
            title="Yesterday's?", published_at=datetime.datetime(2026, 6, 9, 22, tzinfo=zone)
        )
        make_learning(
            title="Just after midnight?",
            published_at=datetime.datetime(2026, 6, 10, 0, 30, tzinfo=zone),
        )
        make_learning(
            title="Mid-morning?", published_at=datetime.datetime(2026, 6, 10, 10, tzinfo=zone)
        )
        html = html_of(client, "/")
        assert "June 10, 2026" in html
        assert "Just after midnight?" in html and "Mid-morning?" in html
        assert "Yesterday's?" not in html

    def test_the_index_pages_through_days_not_items(self, client):
        start = timezone.now() - datetime.timedelta(days=30)
        for day in range(9):
            for n in range(3):
                make_learning(published_at=start + datetime.timedelta(days=day, minutes=n))
        first = html_of(client, "/learnings/")
        assert first.count('class="day-heading"') == 7
        assert html_of(client, "/learnings/?page=2").count('class="day-heading"') == 2

    def test_an_empty_day_is_404(self, client):
        assert client.get("/learnings/2020/1/1/").status_code == 404


class TestWeeklyBookmarks:
    @pytest.mark.parametrize(
        "moment,year,week",
        [((2026, 1, 1), 2026, 1), ((2021, 1, 1), 2020, 53), ((2025, 12, 29), 2026, 1),
         ((2024, 12, 29), 2024, 52)],
    )  # fmt: skip
    def test_iso_weeks_at_year_boundaries(self, client, moment, year, week):
        when = timezone.make_aware(datetime.datetime(*moment, 12, 0))
        bookmark = make_bookmark(title="Boundary link", published_at=when)
        assert tuple(bookmark.published_week) == (year, week)
        html = html_of(client, f"/bookmarks/{year}/week/{week}/")
        assert "Boundary link" in html and f"week {week}, {year}" in html

    def test_week_page_has_range_and_neighbours(self, client):
        base = timezone.make_aware(datetime.datetime(2026, 3, 4, 12))
        make_bookmark(title="Before", published_at=base - datetime.timedelta(days=14))
        make_bookmark(title="During", published_at=base, body="Commentary here.")
        make_bookmark(title="After", published_at=base + datetime.timedelta(days=7))
        html = html_of(client, "/bookmarks/2026/week/10/")
        assert "March 2" in html and "March 8, 2026" in html and "Commentary here." in html
        assert 'href="/bookmarks/2026/week/8/" rel="prev"' in html
        assert 'href="/bookmarks/2026/week/11/" rel="next"' in html


class TestTagsAndArchives:
    def test_tag_index_and_detail_mix_kinds_by_date(self, client, hidden):
        make_post(
            title="Tagged post",
            tags=["python"],
            published_at=timezone.now() - datetime.timedelta(days=1),
        )
        make_bookmark(title="Tagged bookmark", tags=["Python"], published_at=timezone.now())
        index = html_of(client, "/tags/")
        assert '<a href="/tags/python/">python</a> <span class="meta">2</span>' in index
        html = html_of(client, "/tags/python/")
        assert html.index("Tagged bookmark") < html.index("Tagged post")
        assert "HIDDEN" not in html

    def test_archive_year_and_month_group_by_kind_with_neighbours(self, client, hidden):
        make_post(
            title="In March", published_at=timezone.make_aware(datetime.datetime(2025, 3, 10, 9))
        )
        make_note(
            title="In May", published_at=timezone.make_aware(datetime.datetime(2025, 5, 1, 9))
        )
        make_note(
            title="Next year", published_at=timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
        )
        year = html_of(client, "/archive/2025/")
        assert "In March" in year and "In May" in year and "Posts" in year and "Notes" in year
        assert 'href="/archive/2026/" rel="next"' in year
        month = html_of(client, "/archive/2025/3/")
        assert "In March" in month and "In May" not in month
        assert 'href="/archive/2025/5/" rel="next"' in month
        assert "HIDDEN" not in year
