"""What lists and pages show a reader: the archive index, learnings folded by day, bookmark
and note cards, sources, excerpts. (tests/browser/ checks the same pages in Chromium.)"""

import datetime
import re

import lxml.html
import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Status, Tag
from content.templatetags.site_tags import excerpt, url_parts
from tests.factories import local, make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db


def page(client, url: str) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content)


class TestArchiveIndex:
    def test_lists_years_and_months_with_counts_newest_first(self, client):
        make_post(published_at=local(2025, 3, 10, 9))
        make_note(published_at=local(2025, 3, 20, 9))
        make_bookmark(published_at=local(2025, 11, 2, 9))
        make_learning(published_at=local(2026, 1, 5, 9))
        make_note(title="Draft", status=Status.DRAFT)
        make_note(published_at=timezone.now() + datetime.timedelta(days=30))  # scheduled
        doc = page(client, "/archive/")
        years = [h.text_content().split() for h in doc.cssselect(".archive-year h2")]
        assert years == [["2026", "1", "item"], ["2025", "3", "items"]]
        months = [(a.get("href"), a.getnext().text) for a in doc.cssselect(".archive-months a")]
        assert months == [
            ("/archive/2026/1/", "1"),
            ("/archive/2025/11/", "1"),
            ("/archive/2025/3/", "2"),
        ]
        for href, _ in months:
            assert client.get(href).status_code == 200

    def test_months_begin_in_the_authors_time_zone(self, client, settings):
        settings.TIME_ZONE = "America/New_York"
        # 03:00 UTC on March 1st is still February in New York.
        make_note(published_at=datetime.datetime(2025, 3, 1, 3, tzinfo=datetime.UTC))
        doc = page(client, "/archive/")
        assert [a.get("href") for a in doc.cssselect(".archive-months a")] == ["/archive/2025/2/"]

    def test_empty(self, client):
        assert "Nothing published yet." in page(client, "/archive/").text_content()

    def test_one_query_whatever_the_amount(self, client):
        for n in range(12):
            make_note(published_at=local(2020 + n % 4, 1 + n, 1, 9))
        # The content version (the page cache's key), then every month's count, kept for
        # the other archive pages of this version.
        with CaptureQueriesContext(connection) as queries:
            client.get("/archive/")
        assert len(queries) == 2

    def test_every_page_links_it_from_the_footer(self, client):
        make_post()
        for url in ["/", "/posts/", "/tags/", "/search/"]:
            assert page(client, url).cssselect('.site-footer a[href="/archive/"]'), url


class TestLearnings:
    def test_the_list_folds_answers_under_questions(self, client):
        make_learning(title="Why?", body="Because.", sources=["https://www.example.org/docs/page/"])
        doc = page(client, "/learnings/")
        details = doc.cssselect("details.learning")
        assert len(details) == 1 and details[0].get("open") is None
        assert details[0].cssselect("summary")[0].text_content().strip() == "Why?"
        assert "Because." in details[0].cssselect(".learning-answer")[0].text_content()

    def test_the_home_page_folds_them_too_under_an_h3_day(self, client):
        make_learning(title="Why?")
        doc = page(client, "/")
        assert doc.cssselect("section h3.day-heading") and doc.cssselect("details.learning")

    def test_a_day_page_has_an_h1_and_the_answers_open(self, client):
        learning = make_learning(title="Why?", body="Because.")
        day = learning.published_day
        doc = page(client, f"/learnings/{day:%Y/%m/%d}/")
        assert [h.text_content() for h in doc.cssselect("h1")] == [f"Learned on {day:%B %-d, %Y}"]
        assert not doc.cssselect("details")
        assert doc.cssselect("article.learning h2.learning-question a")[0].text == "Why?"

    def test_sources_show_domain_and_path_and_are_no_landmarks(self, client):
        learning = make_learning(
            sources=["https://www.example.org/docs/page/", "https://example.com/a?b=1#c"]
        )
        doc = page(client, learning.get_absolute_url())
        links = doc.cssselect(".sources a.url")
        assert [a.text_content() for a in links] == ["example.org/docs/page", "example.com/a?b=1#c"]
        assert links[0].get("href") == "https://www.example.org/docs/page/"
        assert not doc.cssselect("section.sources, [aria-label=Sources]")


class TestCards:
    def test_bookmark_tags_sit_outside_any_paragraph(self, client):
        make_bookmark(title="Link", tags=["python", "sql"], published_at=timezone.now())
        html = client.get("/").content.decode()
        footer = re.search(r'<footer class="item-footer">.*?</footer>', html, re.S).group()
        assert '<ul class="tag-list"' in footer and "<p" not in footer
        assert " · <ul" not in html

    def test_headings_follow_the_page_outline(self, client):
        make_bookmark(title="Link", tags=["python"])
        make_note(title="Note", tags=["python"])
        for url, level in [("/bookmarks/", "h2"), ("/tags/python/", "h2"), ("/", "h3")]:
            doc = page(client, url)
            titles = doc.cssselect(f".bookmark-title, .card {level}, .item-list {level}")
            assert titles and all(t.tag == level for t in titles), url

    def test_note_cards_show_the_full_date_and_an_excerpt_cut_at_a_word(self, client):
        when = local(2026, 2, 24, 9)
        make_note(title="Essay", published_at=when, body="Lorem ipsum dolor " * 40)
        doc = page(client, "/notes/")
        card = doc.cssselect(".item-list article")[0]
        assert card.cssselect("time")[0].text == "February 24, 2026"
        text = card.cssselect("p")[0].text
        assert text.endswith("…") and text[:-1].split()[-1] in ("Lorem", "ipsum", "dolor")
        assert len(text) <= 281


class TestFilters:
    @pytest.mark.parametrize(
        "text,limit,expected",
        [
            ("short", 10, "short"),
            ("one two three four", 12, "one two…"),
            ("one two, three four", 9, "one two…"),
            ("  spaced   out  ", 20, "spaced out"),
            ("x" * 30, 10, "x" * 9 + "…"),
            ("", 10, ""),
        ],
    )
    def test_excerpt_ends_at_a_word_with_an_ellipsis(self, text, limit, expected):
        assert excerpt(text, limit) == expected
        assert len(excerpt(text, limit)) <= limit

    @pytest.mark.parametrize(
        "url,expected",
        [
            ("https://www.example.org/", ("example.org", "")),
            (
                "https://docs.python.org/3/library/x.html#y",
                ("docs.python.org", "/3/library/x.html#y"),
            ),
            ("http://localhost:8000/a/?q=1", ("localhost:8000", "/a?q=1")),
        ],
    )
    def test_url_parts(self, url, expected):
        assert url_parts(url) == expected

    @pytest.mark.parametrize(
        "value,fmt",
        [
            (value, fmt)
            for value in (
                datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC),  # July 2 in London
                datetime.datetime(2026, 1, 5, 8, 0, 0, 250, tzinfo=datetime.UTC),
                datetime.date(2026, 3, 29),
            )
            for fmt in ("F j, Y", "M j", "F Y", "D jS F", "F j, Y, H:i T")
            if isinstance(value, datetime.datetime) or "H" not in fmt  # a date has no time
        ],
    )
    def test_time_tag_writes_what_the_date_filters_wrote(self, value, fmt):
        """The same element as `<time datetime="{{ v|date:'c' }}">{{ v|date:fmt }}</time>`,
        in the author's time zone, whether its text is kept per day or not (a time in fmt)."""
        context = Context({"v": value, "fmt": fmt})
        ours = Template("{% load site_tags %}{{ v|time_tag:fmt }}").render(context)
        djangos = Template("""<time datetime="{{ v|date:'c' }}">{{ v|date:fmt }}</time>""").render(
            context
        )
        assert ours == djangos
        assert ours == Template("{% load site_tags %}{{ v|time_tag:fmt }}").render(context)

    def test_time_tag_of_nothing_is_empty(self):
        assert Template("{% load site_tags %}{{ v|time_tag }}").render(Context({"v": None})) == ""

    def test_tag_links(self):
        tags = Tag.objects.resolve(["C++ & Rust", "python"])
        html = Template("{% load site_tags %}{{ tags|tag_links }}").render(Context({"tags": tags}))
        assert html == (
            '<ul class="tag-list" aria-label="Tags">'
            f'<li><a href="/tags/{tags[0].slug}/" rel="tag">#C++ &amp; Rust</a></li>'
            '<li><a href="/tags/python/" rel="tag">#python</a></li></ul>'
        )
        assert (
            Template("{% load site_tags %}{{ tags|tag_links }}").render(Context({"tags": []})) == ""
        )
