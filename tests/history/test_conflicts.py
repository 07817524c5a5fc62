"""Edit conflicts: a change form carries its version; saving over a newer one is refused with
what changed, the editor's text kept; two saves at the same moment cannot both win."""

import threading

import pytest
from django.db import connection, transaction

from content.history import versions_of
from content.models import Publishable, Status, Tag, content_models
from tests.factories import MAKERS
from tests.history.conftest import admin_url, form_data, text_field

pytestmark = pytest.mark.django_db


def make(model):
    if model is Tag:
        return Tag.objects.create(name="Python", slug="python", description="The language.")
    return MAKERS[model._meta.model_name](body="First paragraph.\n\nSecond paragraph.")


@pytest.mark.parametrize("model", [*content_models(), Tag], ids=lambda m: m._meta.model_name)
class TestEveryChangeForm:
    def test_the_form_carries_the_version_it_was_opened_at(self, staff_client, model):
        item = make(model)
        assert form_data(staff_client, model, item.pk)["version"] == str(item.version)

    def test_saving_over_a_newer_version_is_refused_with_the_diff(self, staff_client, model):
        item = make(model)
        field = text_field(model)
        first = form_data(staff_client, model, item.pk)
        second = dict(first)
        first[field] = "Their words, saved first."
        second[field] = "My words, saved second."
        assert staff_client.post(admin_url(model, "change", item.pk), first).status_code == 302

        response = staff_client.post(admin_url(model, "change", item.pk), second)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Edit conflict: nothing was saved" in html
        assert "Their changes since you opened it" in html
        assert "<ins>Their words, saved first.</ins>" in html or "Their</ins>" in html
        # My text is still in the form, and what they saved is what is stored.
        assert "My words, saved second." in html
        item.refresh_from_db()
        assert getattr(item, field) == "Their words, saved first."
        form = response.context["adminform"].form
        assert form.conflict.current == item.version
        assert form.errors["__all__"][0].startswith("Not saved: this")

    def test_saving_again_after_the_conflict_replaces_theirs_and_keeps_both(
        self, staff_client, model
    ):
        item = make(model)
        field = text_field(model)
        first = form_data(staff_client, model, item.pk)
        second = dict(first)
        first[field], second[field] = "Theirs.", "Mine."
        staff_client.post(admin_url(model, "change", item.pk), first)
        refused = staff_client.post(admin_url(model, "change", item.pk), second)
        # The page came back with the version it was refused against: saving it is deliberate.
        second["version"] = refused.context["adminform"].form.data["version"]
        assert staff_client.post(admin_url(model, "change", item.pk), second).status_code == 302
        item.refresh_from_db()
        assert getattr(item, field) == "Mine."
        history = staff_client.get(admin_url(model, "history", item.pk)).context["rows"]
        texts = [version.field_dict[field] for version, _ in history]
        assert "Theirs." in texts and "Mine." in texts


class TestConflictDetails:
    def test_a_form_without_a_version_is_a_conflict_not_a_silent_overwrite(self, staff_client):
        item = MAKERS["post"](body="Kept.")
        data = form_data(staff_client, type(item), item.pk)
        del data["version"]
        data["body"] = "Overwrite?"
        response = staff_client.post(admin_url(type(item), "change", item.pk), data)
        assert response.status_code == 200
        item.refresh_from_db()
        assert item.body == "Kept."

    def test_a_save_from_the_shell_conflicts_with_an_open_form(self, staff_client):
        item = MAKERS["note"](body="Start.")
        data = form_data(staff_client, type(item), item.pk)
        item.body = "Changed from the shell."
        item.save()
        data["body"] = "Changed in the admin."
        response = staff_client.post(admin_url(type(item), "change", item.pk), data)
        assert "Edit conflict" in response.content.decode()
        changes = {d.name: d for d in response.context["adminform"].form.conflict.their_changes}
        assert changes["body"].old == "Start."
        assert changes["body"].new == "Changed from the shell."

    @pytest.mark.parametrize("action", ["publish_now", "revert_to_draft"])
    def test_admin_actions_move_the_version_on_so_an_open_form_conflicts(
        self, staff_client, action
    ):
        status = Status.DRAFT if action == "publish_now" else Status.PUBLISHED
        item = MAKERS["post"](status=status, body="Text.")
        model = type(item)
        data = form_data(staff_client, model, item.pk)
        staff_client.post(
            admin_url(model, "changelist"), {"action": action, "_selected_action": [item.pk]}
        )
        data["body"] = "Edited meanwhile."
        response = staff_client.post(admin_url(model, "change", item.pk), data)
        assert response.status_code == 200
        changes = response.context["adminform"].form.conflict.their_changes
        # Publish now sets the missing date; reverting keeps it: only the status differs.
        expected = {"status", "published_at"} if action == "publish_now" else {"status"}
        assert {change.name for change in changes} == expected
        item.refresh_from_db()
        assert item.body == "Text."  # neither the action nor the stale form lost anything

    def test_an_action_keeps_text_saved_after_the_page_was_loaded(self, staff_client):
        item = MAKERS["post"](status=Status.DRAFT, body="Old.")
        stale = type(item).objects.get(pk=item.pk)
        item.body = "Saved meanwhile."
        item.save()
        assert stale.publish_now()  # a stale copy in memory …
        item.refresh_from_db()
        # … writes only the publishing fields: the text saved meanwhile is kept.
        assert item.body == "Saved meanwhile."
        assert item.status == Status.PUBLISHED


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_cannot_both_win(staff_client):
    """One editor's save holds the row lock; the other's check waits for it, then sees the
    new version and is refused, instead of both passing the check and the last one winning."""
    item = MAKERS["post"](body="Original.")
    model = type(item)
    data = form_data(staff_client, model, item.pk)
    locked, release = threading.Event(), threading.Event()

    def other_editor() -> None:
        try:
            with transaction.atomic():
                assert model.locked_version(item.pk) == item.version
                locked.set()
                release.wait(5)
                other = model.objects.get(pk=item.pk)
                other.body = "The other editor's save."
                other.save()
        finally:
            connection.close()

    thread = threading.Thread(target=other_editor)
    thread.start()
    assert locked.wait(5)
    # Released shortly after this request starts waiting on the lock.
    threading.Timer(0.5, release.set).start()
    data["body"] = "My save."
    response = staff_client.post(admin_url(model, "change", item.pk), data)
    thread.join(10)
    assert response.status_code == 200
    assert "Edit conflict" in response.content.decode()
    item.refresh_from_db()
    assert item.body == "The other editor's save."
    assert item.version == 2


def test_versions_only_move_forward_even_from_a_stale_copy(db):
    item = MAKERS["learning"]()
    stale = type(item).objects.get(pk=item.pk)
    item.save()
    item.save()
    stale.save()
    stale.refresh_from_db()
    assert stale.version == 4
    assert isinstance(item, Publishable)


def test_a_save_of_some_fields_moves_the_version_too(db):
    Tag.objects.update_or_create(slug="x", defaults={"name": "X"})
    tag, created = Tag.objects.update_or_create(slug="x", defaults={"name": "Y"})
    assert not created and tag.version == 2
    assert versions_of(Tag, tag.pk).first().field_dict["version"] == 2
