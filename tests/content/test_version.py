"""The content version: every change readers can see bumps it, a draft's edits do not, and a
scheduled item bumps it when its time comes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from content.models import ContentVersion, Status, Tag
from tests.factories import make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db


def number() -> int:
    return ContentVersion.current().number


class TestChanges:
    def test_publishing_editing_and_deleting_bump_it(self):
        before = number()
        post = make_post(title="Fresh")
        assert number() > before
        before = number()
        post.title = "Edited"
        post.save()
        assert number() > before
        before = number()
        post.delete()
        assert number() > before

    def test_a_draft_that_stays_a_draft_changes_nothing(self):
        draft = make_note(status=Status.DRAFT, title="Work in progress")
        before = number()
        draft.body = "More words."
        draft.save()
        draft.tags.set(Tag.objects.resolve(["wip"]))
        draft.delete()
        assert number() == before

    def test_publishing_a_draft_and_reverting_it_bump_it(self):
        draft = make_learning(status=Status.DRAFT)
        before = number()
        draft.status = Status.PUBLISHED
        draft.save()
        assert number() == before + 1
        draft.status = Status.DRAFT
        draft.save()
        assert number() == before + 2

    def test_tag_changes_from_either_side_bump_it(self):
        post = make_post()
        tag = Tag.objects.resolve(["Rust"])[0]
        steps = [
            lambda: post.tags.add(tag),
            lambda: post.tags.remove(tag),
            lambda: tag.posts.add(post),
            lambda: tag.posts.clear(),
        ]
        for step in steps:
            before = number()
            step()
            assert number() > before

    def test_renaming_or_deleting_a_tag_bumps_it_creating_one_does_not(self):
        make_bookmark(tags=["Databses"])
        tag = Tag.objects.get(name="Databses")
        before = number()
        Tag.objects.create(name="Unused", slug="unused")
        assert number() == before
        tag.save()  # unchanged: nothing readers see
        assert number() == before
        tag.name = "Databases"
        tag.save()
        assert number() == before + 1
        tag.delete()
        assert number() == before + 2

    def test_bulk_inserts_bump_it(self):
        before = number()
        call_command("generate_content", posts=3, stdout=io.StringIO(), stderr=io.StringIO())
        assert number() > before

    def test_changed_at_is_when_it_changed(self, time_machine):
        moment = timezone.make_aware(datetime.datetime(2026, 3, 5, 12))
        time_machine.move_to(moment, tick=False)
        make_post()
        assert ContentVersion.current().changed_at == moment


class TestScheduled:
    def test_a_scheduled_item_bumps_it_when_its_time_comes(self, time_machine):
        now = timezone.make_aware(datetime.datetime(2026, 3, 5, 12))
        time_machine.move_to(now, tick=False)
        due = now + datetime.timedelta(hours=2)
        make_post(title="Later", published_at=due)
        version = ContentVersion.current()
        assert version.next_publication == due
        time_machine.move_to(due - datetime.timedelta(seconds=1), tick=False)
        assert ContentVersion.current().number == version.number
        time_machine.move_to(due, tick=False)
        after = ContentVersion.current()
        assert after.number == version.number + 1
        assert after.next_publication is None

    def test_the_next_publication_is_the_earliest_of_any_kind(self, time_machine):
        now = timezone.make_aware(datetime.datetime(2026, 3, 5, 12))
        time_machine.move_to(now, tick=False)
        make_post(published_at=now + datetime.timedelta(days=3))
        make_bookmark(published_at=now + datetime.timedelta(days=1))
        make_note(published_at=now - datetime.timedelta(days=1))
        assert ContentVersion.current().next_publication == now + datetime.timedelta(days=1)
        time_machine.move_to(now + datetime.timedelta(days=2), tick=False)
        assert ContentVersion.current().next_publication == now + datetime.timedelta(days=3)

    def test_pages_expire_at_the_next_publication_or_midnight(self, time_machine):
        now = timezone.make_aware(datetime.datetime(2026, 3, 5, 12))
        time_machine.move_to(now, tick=False)
        midnight = timezone.make_aware(datetime.datetime(2026, 3, 6))
        assert ContentVersion.current().expires_at(now) == midnight
        make_post(published_at=now + datetime.timedelta(minutes=5))
        version = ContentVersion.current()
        assert version.expires_at(now) == now + datetime.timedelta(minutes=5)


class TestOneLookup:
    def test_reading_it_is_one_primary_key_lookup(self, django_assert_num_queries):
        make_post()
        with django_assert_num_queries(1) as captured:
            ContentVersion.current()
        sql = captured.captured_queries[0]["sql"]
        assert sql == 'SELECT * FROM "site_project_contentversion" WHERE id = 1'

    def test_the_row_comes_back_after_a_flush(self):
        ContentVersion.objects.all().delete()
        make_post()
        assert ContentVersion.current().number == 1

    def test_the_key_differs_between_two_databases_at_the_same_number(self):
        version = ContentVersion.current()
        other = ContentVersion(number=version.number, changed_at=version.changed_at)
        other.changed_at += datetime.timedelta(seconds=1)
        assert other.key != version.key
