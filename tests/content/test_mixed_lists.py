"""Lists across the kinds: mixed lists, related items, and the SQL helpers they are built with."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookmarks.models import Bookmark
from content.mixed import MixedList
from content.models import Tag
from content.querysets import Status
from content.related import related_items
from content.sql import Table, rows, where_of
from learnings.models import Learning
from notes.models import Note
from posts.models import Post
from tests.factories import ago, make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db

# The columns an index holds, as keys or INCLUDEd.
INDEXED_COLUMNS = """
    SELECT array_agg(attribute.attname::text) FROM pg_attribute AS attribute
    JOIN pg_class AS index ON index.oid = attribute.attrelid WHERE index.relname = %s
"""


def shown(items) -> list[tuple[str, str, int]]:
    return [(item._meta.app_label, item.title, item.shared) for item in items]


class TestRelatedItems:
    def test_ranked_by_shared_tags_then_newest_across_kinds(self):
        post = make_post(title="Subject", tags=["python", "django", "orm"])
        make_note(title="One tag, newest", tags=["python"], published_at=ago(hours=1))
        make_learning(
            title="Three tags", tags=["python", "django", "orm"], published_at=ago(days=9)
        )
        make_bookmark(title="Two tags", tags=["django", "orm"], published_at=ago(days=5))
        make_post(title="One tag, older", tags=["orm"], published_at=ago(days=20))
        make_note(title="Unrelated", tags=["rust"])
        assert shown(related_items(post)) == [
            ("learnings", "Three tags", 3),
            ("bookmarks", "Two tags", 2),
            ("notes", "One tag, newest", 1),
            ("posts", "One tag, older", 1),
        ]

    def test_never_the_item_itself_a_draft_or_a_scheduled_item(self):
        post = make_post(title="Subject", tags=["python"])
        make_note(title="Draft", tags=["python"], status=Status.DRAFT)
        make_bookmark(
            title="Scheduled",
            tags=["python"],
            published_at=timezone.now() + datetime.timedelta(days=1),
        )
        make_learning(title="Published", tags=["python"])
        assert shown(related_items(post)) == [("learnings", "Published", 1)]

    def test_at_most_five_and_none_without_tags(self):
        post = make_post(tags=["python"])
        for n in range(7):
            make_note(title=f"Note {n}", tags=["python"], published_at=ago(days=n + 1))
        assert [title for _, title, _ in shown(related_items(post))] == [
            f"Note {n}" for n in range(5)
        ]
        assert related_items(make_post(title="Untagged")) == []

    def test_a_tag_added_or_removed_changes_them_at_once(self):
        post = make_post(title="Subject", tags=["python"])
        note = make_note(title="Later tagged")
        assert related_items(post) == []
        note.tags.add(Tag.objects.get(name="python"))
        assert shown(related_items(post)) == [("notes", "Later tagged", 1)]
        note.tags.clear()
        assert related_items(post) == []

    def test_one_query(self, django_assert_num_queries):
        post = make_post(tags=["python", "django"])
        make_note(tags=["python"])
        post = Post.objects.prefetch_related("tags").get(pk=post.pk)
        with django_assert_num_queries(1):
            assert len(related_items(post)) == 1

    def test_read_from_the_publication_index_alone(self):
        post = make_post(tags=["python"])
        make_note(tags=["python"])
        post = Post.objects.prefetch_related("tags").get(pk=post.pk)
        with CaptureQueriesContext(connection) as captured:
            related_items(post)
        [statement] = captured.captured_queries  # as sent, its parameters in place
        assert "JOIN" not in statement["sql"].upper()
        # Every column a kind's part reads is in its index, so the walk is an index-only scan
        # (`bench/explain_pages.py` shows it at 100k). Read from the catalogue, not from a
        # plan: on a test's few rows the planner's choice of index hangs on statistics.
        for model in (Post, Note, Learning, Bookmark):
            table = model._meta.db_table
            read = set(re.findall(rf'"{table}"\."(\w+)"', statement["sql"]))
            assert {"id", "published_at", "title", "slug", "tag_ids", "status"} <= read
            assert read <= set(rows(INDEXED_COLUMNS, [f"{table}_related_idx"])[0][0])


class TestMixedList:
    def test_newest_first_across_kinds_narrowed_by_tag_and_filters(self):
        make_post(title="Post", tags=["python"], published_at=ago(days=3))
        make_note(title="Note", tags=["python"], published_at=ago(days=1))
        make_bookmark(title="Bookmark", tags=["python"], published_at=ago(days=2))
        make_learning(title="Other tag", tags=["rust"], published_at=ago(hours=1))
        make_note(title="Draft", tags=["python"], status=Status.DRAFT)
        tagged = MixedList(
            lambda model: model.objects.published(), tag=Tag.objects.get(slug="python")
        )
        assert len(tagged) == 3
        assert [item.title for item in tagged[0:3]] == ["Note", "Bookmark", "Post"]
        assert [tag.slug for tag in tagged[1].tag_list] == ["python"]
        recent = MixedList(
            lambda model: model.objects.published().filter(published_at__gte=ago(days=2, hours=1)),
            titles_only=True,
        )
        assert len(recent) == 3
        assert [item.title for item in recent[1:3]] == ["Note", "Bookmark"]

    def test_a_page_is_one_query_with_its_tags_and_any_slice_works(self, django_assert_num_queries):
        for days, tags in enumerate([["rust", "Django"], [], ["python"], ["apple"]]):
            make_note(title=f"{days} days", tags=tags, published_at=ago(days=days, hours=1))
        items = MixedList(lambda model: model.objects.published(), known_count=4)
        with django_assert_num_queries(1):
            page = items[1:3]
        assert [(item.title, [t.name for t in item.tag_list]) for item in page] == [
            ("1 days", []),
            ("2 days", ["python"]),
        ]
        assert [item.title for item in items[2:]] == ["2 days", "3 days"]
        assert [t.name for t in items[0].tag_list] == ["Django", "rust"]
        assert [item.title for item in items] == ["0 days", "1 days", "2 days", "3 days"]
        assert items[3:1] == [] and items[9:12] == []

    def test_a_filter_matching_nothing(self):
        make_post()
        nothing = MixedList(lambda model: model.objects.published().filter(pk__in=[]))
        assert len(nothing) == 0 and list(nothing[0:10]) == []


class TestNeighbours:
    def test_the_nearest_published_on_each_side(self):
        older = make_post(title="Older", published_at=ago(days=5))
        make_post(title="Draft", status=Status.DRAFT)
        make_post(title="Scheduled", published_at=timezone.now() + datetime.timedelta(days=1))
        middle = make_post(title="Middle", published_at=ago(days=3))
        newer = make_post(title="Newer", published_at=ago(days=1))
        previous, following = Post.objects.published().neighbours(middle.published_at)
        assert (previous.pk, previous.title, previous.get_absolute_url()) == (
            older.pk, "Older", older.get_absolute_url(),
        )  # fmt: skip
        assert (following.pk, following.published_at) == (newer.pk, newer.published_at)
        assert Post.objects.published().neighbours(newer.published_at)[1] is None

    def test_around_a_period(self):
        before = make_note(published_at=ago(days=10))
        make_note(published_at=ago(days=6))
        after = make_note(published_at=ago(days=2))
        previous, following = Note.objects.published().neighbours(ago(days=7), ago(days=5))
        assert (previous.pk, following.pk) == (before.pk, after.pk)


class TestWhereOf:
    def test_compiles_the_published_rule(self):
        sql, params = where_of(Post.objects.published())
        assert '"posts_post"."status" = %s' in sql and '"posts_post"."published_at" <= %s' in sql
        assert Status.PUBLISHED in params

    def test_no_filter_and_an_impossible_one(self):
        assert where_of(Post.objects.all()) == ("TRUE", [])
        assert where_of(Post.objects.filter(pk__in=[])) == ("FALSE", [])

    def test_refuses_filters_through_a_join(self):
        with pytest.raises(ValueError, match="own table only"):
            where_of(Post.objects.filter(tags__slug="python"))


def tag_ids(item) -> list[int]:
    """The tag ids PostgreSQL keeps on the item's row (not a model field)."""
    table = Table(type(item))
    return rows(f"SELECT {table.tag_ids} FROM {table.name} WHERE id = %s", [item.pk])[0][0]


class TestTagLists:
    """`with_tag_lists()`: each row brings its tags from the kept ids, with no second query."""

    def test_one_query_tags_by_name_and_none(self, django_assert_num_queries):
        tagged = make_post(tags=["rust", "Django", "python"])
        bare = make_post()
        with django_assert_num_queries(1):
            names = {
                item.pk: [tag.name for tag in item.tag_list] for item in Post.objects.for_list()
            }
        assert names == {tagged.pk: ["Django", "python", "rust"], bare.pk: []}

    def test_the_tags_are_the_tags(self):
        make_note(tags=["python"])
        [note] = Note.objects.published().for_list()
        [tag] = note.tag_list
        assert (tag.pk, tag.slug, tag.get_absolute_url()) == (
            Tag.objects.get(name="python").pk,
            "python",
            "/tags/python/",
        )
        assert not hasattr(note, "tag_rows_json")  # taken by `tag_list`, not left behind

    def test_counting_and_values_are_unchanged(self, django_assert_num_queries):
        make_post(tags=["python"])
        make_post()
        items = Post.objects.for_list()
        with django_assert_num_queries(1) as captured:
            assert items.count() == 2
        assert "json_agg" not in captured.captured_queries[0]["sql"]
        assert len(items.values_list("pk", flat=True)) == 2


class TestKeptTagIds:
    """The triggers on the link tables keep each item's `tag_ids`, whichever way tags change."""

    def test_from_the_item_its_tags_set_removed_and_cleared(self):
        python, django_tag, orm = Tag.objects.resolve(["python", "django", "orm"])
        post = make_post()
        assert tag_ids(post) == []
        post.tags.set([orm, python])
        assert tag_ids(post) == sorted([python.pk, orm.pk])
        post.tags.add(django_tag)
        post.tags.remove(orm)
        assert tag_ids(post) == sorted([python.pk, django_tag.pk])
        post.tags.clear()
        assert tag_ids(post) == []

    def test_from_the_tag_side_in_bulk_and_by_raw_update(self):
        python, rust = Tag.objects.resolve(["python", "rust"])
        notes = [make_note(), make_note()]
        python.notes.add(*notes)
        assert [tag_ids(note) for note in notes] == [[python.pk], [python.pk]]
        Note.tags.through.objects.filter(note=notes[0]).update(tag=rust)
        assert [tag_ids(note) for note in notes] == [[rust.pk], [python.pk]]

    def test_a_deleted_tag_leaves_its_items(self):
        post = make_post(tags=["python", "rust"])
        Tag.objects.get(name="rust").delete()
        assert tag_ids(post) == [Tag.objects.get(name="python").pk]

    def test_a_saved_item_keeps_them(self):
        """Django does not know the column, so saving a loaded instance cannot overwrite it."""
        post = make_post(tags=["python"])
        stale = Post.objects.get(pk=post.pk)
        post.tags.add(*Tag.objects.resolve(["rust"]))
        stale.title = "Edited"
        stale.save()
        assert len(tag_ids(post)) == 2

    def test_the_column_comes_and_goes_with_its_migration_and_is_filled_on_the_way_in(self):
        def has_column() -> bool:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM information_schema.columns"
                    " WHERE table_name = 'posts_post' AND column_name = 'tag_ids'"
                )
                return cursor.fetchone()[0] == 1

        MigrationExecutor(connection).migrate([("site_project", "0005_content_version")])
        assert not has_column()
        post = make_post(tags=["python", "rust"])  # links written with no trigger to see them
        MigrationExecutor(connection).migrate([("site_project", "0006_item_tag_ids")])
        assert has_column()
        assert tag_ids(post) == sorted(tag.pk for tag in Tag.objects.all())
