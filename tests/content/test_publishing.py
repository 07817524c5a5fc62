"""Publishing loses nothing: "Publish now" keeps an existing date; preview links expire and
die when the item's status changes, so reverting to draft issues new ones."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from content.history import versions_of
from content.models import Status
from content.preview import PREVIEW_DAYS, preview_url
from posts.models import Post
from tests.factories import ago, make_post

pytestmark = pytest.mark.django_db


def act(client, action: str, *items) -> None:
    url = reverse("admin:posts_post_changelist")
    client.post(url, {"action": action, "_selected_action": [item.pk for item in items]})


class TestPublishNow:
    def test_an_already_published_item_keeps_its_date(self, staff_client):
        published = make_post(published_at=ago(days=400))
        date = published.published_at
        act(staff_client, "publish_now", published)
        published.refresh_from_db()
        assert published.published_at == date
        assert published.version == 1  # nothing changed, so open forms stay valid

    def test_a_draft_that_was_published_before_keeps_its_first_date(self, staff_client):
        post = make_post(published_at=ago(days=30))
        date = post.published_at
        act(staff_client, "revert_to_draft", post)
        act(staff_client, "publish_now", post)
        post.refresh_from_db()
        assert post.is_published and post.published_at == date

    def test_a_new_draft_and_a_scheduled_item_are_published_now(self, staff_client):
        draft = make_post(status=Status.DRAFT)
        scheduled = make_post(published_at=timezone.now() + datetime.timedelta(days=3))
        before = timezone.now()
        act(staff_client, "publish_now", draft, scheduled)
        for item in (draft, scheduled):
            item.refresh_from_db()
            assert item.is_published and before <= item.published_at <= timezone.now()

    def test_the_action_says_how_many_it_changed_and_records_revisions(self, staff_client):
        draft, published = make_post(status=Status.DRAFT), make_post()
        url = reverse("admin:posts_post_changelist")
        data = {"action": "publish_now", "_selected_action": [draft.pk, published.pk]}
        response = staff_client.post(url, data, follow=True)
        assert "Published 1 item(s)." in response.content.decode()
        latest = versions_of(Post, draft.pk).first()
        assert latest.revision.comment == "Published now (admin action)"
        assert latest.revision.user.username == "editor"


class TestPreviewLinks:
    def test_a_link_expires_after_the_preview_days(self, client):
        draft = make_post(status=Status.DRAFT)
        url = preview_url(draft)
        assert client.get(url).status_code == 200
        with time_machine.travel(timezone.now() + datetime.timedelta(days=PREVIEW_DAYS, hours=1)):
            response = client.get(url)
        assert response.status_code == 404

    def test_reverting_to_draft_issues_a_new_link_and_the_old_one_stays_dead(self, client):
        draft = make_post(status=Status.DRAFT)
        old = preview_url(draft)
        draft.publish_now()
        assert client.get(old).status_code == 404
        draft.revert_to_draft()
        new = preview_url(draft)
        assert new != old
        assert client.get(old).status_code == 404
        assert client.get(new).status_code == 200

    def test_the_admin_revert_action_ends_links_too(self, staff_client, client):
        post = make_post(status=Status.DRAFT)
        first = preview_url(post)
        act(staff_client, "publish_now", post)
        act(staff_client, "revert_to_draft", post)
        post.refresh_from_db()
        assert client.get(first).status_code == 404
        assert client.get(preview_url(post)).status_code == 200

    def test_editing_a_draft_keeps_its_link(self, client):
        draft = make_post(status=Status.DRAFT)
        url = preview_url(draft)
        draft.body = "Fixed a typo."
        draft.save()
        assert client.get(url).status_code == 200

    def test_the_admin_says_how_long_the_link_lasts(self, staff_client):
        draft = make_post(status=Status.DRAFT)
        html = staff_client.get(reverse("admin:posts_post_change", args=[draft.pk])).content
        assert f"for {PREVIEW_DAYS} days" in html.decode()
