"""The home page's sections (`content.home`, `content.mixed.load_sections`): what each kind
shows, all of it in one query."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookmarks.models import HOME_BOOKMARKS
from content.home import HOME_ITEMS, Section
from content.mixed import load_sections
from content.models import Status, content_models
from posts.models import Post
from tests.factories import ago, local, make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db


def loaded() -> dict[str, Section]:
    sections = [model.home_section() for model in content_models()]
    load_sections(sections)
    return {section.queryset.model._meta.app_label: section for section in sections}


def titles(section: Section) -> list[str]:
    return [item.title for item in section.items]


class TestSections:
    def test_every_section_comes_from_one_query(self):
        make_post(tags=["python"])
        make_note()
        make_learning(tags=["python"])
        make_bookmark(published_at=timezone.now())
        with CaptureQueriesContext(connection) as captured:
            sections = loaded()
        assert len(captured) == 1
        assert {label: len(section.items) for label, section in sections.items()} == {
            "posts": 1,
            "notes": 1,
            "learnings": 1,
            "bookmarks": 1,
        }

    def test_the_newest_published_items_newest_first(self):
        for n in range(HOME_ITEMS + 2):
            make_post(title=f"Post {n}", published_at=ago(days=n))
        make_post(title="Draft", status=Status.DRAFT)
        make_post(title="Scheduled", published_at=timezone.now() + datetime.timedelta(hours=1))
        assert titles(loaded()["posts"]) == [f"Post {n}" for n in range(HOME_ITEMS)]

    def test_items_carry_what_their_section_shows(self):
        make_post(title="A post", summary="Its summary", body="word " * 700)
        make_note(title="A note", body="The note's first paragraph.")
        sections = loaded()
        (post,) = sections["posts"].items
        assert isinstance(post, Post)
        assert (post.summary, post.reading_time, post.get_absolute_url()) == (
            "Its summary",
            4,
            Post.objects.get().get_absolute_url(),
        )
        assert sections["notes"].items[0].excerpt == "The note's first paragraph."

    def test_the_latest_day_of_learnings_oldest_first_with_tags_and_sources(self):
        make_learning(title="The day before", published_at=local(2026, 3, 9, 23, 50))
        make_learning(title="Late", published_at=local(2026, 3, 10, 18), tags=["sql", "Django"])
        make_learning(
            title="Early", published_at=local(2026, 3, 10, 0, 10), sources=["https://a.example/"]
        )
        with time_machine.travel(local(2026, 3, 11, 9)):
            learnings = loaded()["learnings"]
        assert titles(learnings) == ["Early", "Late"]
        early, late = learnings.items
        assert early.sources == ["https://a.example/"] and early.tag_list == []
        assert [tag.name for tag in late.tag_list] == ["Django", "sql"]
        assert "<pre" in early.body_html  # the stored rendering, code highlighted

    def test_the_newest_of_this_weeks_bookmarks_and_how_many_the_week_has(self):
        wednesday = local(2026, 11, 25, 12)
        with time_machine.travel(wednesday, tick=False):
            make_bookmark(title="Last week", published_at=local(2026, 11, 22, 23))
            for n in range(HOME_BOOKMARKS + 2):
                make_bookmark(
                    title=f"Link {n:02}",
                    published_at=wednesday - datetime.timedelta(hours=n),
                    tags=["web"],
                )
            sections = loaded()
        bookmarks = sections["bookmarks"]
        assert titles(bookmarks) == [f"Link {n:02}" for n in range(HOME_BOOKMARKS)]
        assert bookmarks.total == HOME_BOOKMARKS + 2
        assert (bookmarks.context["week"].year, bookmarks.context["week"].number) == (2026, 48)
        assert bookmarks.items[0].domain == "example.com"
        assert [tag.name for tag in bookmarks.items[0].tag_list] == ["web"]
        assert sections["posts"].total is None  # counted only where the section asks

    def test_empty_sections(self):
        make_bookmark(title="Last month", published_at=ago(days=40))
        sections = loaded()
        assert all(section.items == [] for section in sections.values())
        assert sections["bookmarks"].total == 0
