"""The index follows the content through signals: saves, tag changes from either side, tag
renames and deletes, bulk inserts. Nothing outside the search app reindexes by hand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import Tag
from content.signals import bulk_saved
from notes.models import Note
from tests.factories import make_bookmark, make_note, make_post
from tests.search.conftest import found

pytestmark = pytest.mark.django_db


def words() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM site_project_searchword")
        return {row[0] for row in cursor.fetchall()}


class TestTagChanges:
    def test_setting_tags_on_an_item(self):
        note = make_note(title="Ownership")
        note.tags.set(Tag.objects.resolve(["rustlang"]))
        assert found("rustlang") == ["Ownership"]
        note.tags.clear()
        assert found("rustlang") == []

    def test_adding_and_removing_items_from_the_tag_side(self):
        post = make_post(title="Lifetimes")
        tag = Tag.objects.create(name="borrowck", slug="borrowck")
        tag.posts.add(post)
        assert found("borrowck") == ["Lifetimes"]
        tag.posts.remove(post)
        assert found("borrowck") == []
        tag.posts.add(post)
        tag.posts.clear()
        assert found("borrowck") == []

    def test_renaming_a_tag(self):
        make_post(title="Ownership explained", tags=["rustlang"])
        tag = Tag.objects.get(name="rustlang")
        tag.name = "ferrous"
        tag.save()
        assert found("ferrous") == ["Ownership explained"]
        assert found("rustlang") == []

    def test_renaming_a_tag_in_the_admin(self, staff_client):
        make_bookmark(title="Rust book", tags=["rustlang"])
        tag = Tag.objects.get(name="rustlang")
        staff_client.post(
            reverse("admin:site_project_tag_change", args=[tag.pk]),
            # As the change form sends it, with the version it was opened at.
            {"name": "ferrous", "slug": "ferrous", "description": "", "version": tag.version},
        )
        assert found("ferrous") == ["Rust book"]

    def test_deleting_a_tag_takes_its_name_out_of_the_index(self):
        make_note(title="Ownership", tags=["rustlang", "systems"])
        make_post(title="Borrowing", tags=["rustlang"])
        Tag.objects.get(name="rustlang").delete()
        assert found("rustlang") == []
        assert found("systems") == ["Ownership"]

    def test_saving_a_tag_unchanged_costs_no_reindex(self):
        make_note(title="Ownership", tags=["rustlang"])
        tag = Tag.objects.get(name="rustlang")
        with CaptureQueriesContext(connection) as queries:
            tag.save()  # the old name, the UPDATE, and its revision (content/history)
        assert not [query for query in queries if "notes_note" in query["sql"]]


class TestSaves:
    def test_an_edit_is_found_at_once(self):
        post = make_post(title="Queues")
        post.title = "Backpressure"
        post.save()
        assert found("backpressure") == ["Backpressure"]
        assert found("queues") == []

    def test_published_words_feed_the_suggestions(self):
        make_note(title="Quixotic", status="published")
        make_note(title="Zanzibar", status="draft")
        assert "quixotic" in words()
        assert "zanzibar" not in words()

    def test_bulk_inserts_are_indexed_through_the_signal(self):
        created = Note.objects.bulk_create(
            [Note(title=f"Bulk {n}", slug=f"bulk-{n}", body="x") for n in range(3)]
        )
        assert Note.objects.filter(search_vector__isnull=True).count() == 3
        bulk_saved.send(sender=Note, pks=[note.pk for note in created])
        assert Note.objects.filter(search_vector__isnull=True).count() == 0
