"""Every kind of change reaches readers on their next request, although pages are kept."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from content.models import ContentVersion, Status, Tag
from posts.models import Post
from tests.factories import local, make_note, make_post
from tests.pagecache.conftest import PUBLIC, fetch, html

pytestmark = pytest.mark.django_db

# The pages that list a post, besides its own.
LISTING_A_POST = ["home", "posts", "tag", "archive year", "archive month", "feed", "tag feed"]


def warm(client, urls: dict[str, str]) -> None:
    for name in PUBLIC:
        client.get(urls[name])


class TestContentChanges:
    def test_a_new_post_appears_everywhere_it_belongs(self, client, urls, site):
        warm(client, urls)
        post = make_post(title="Stale caches", tags=["Caching"])
        urls = {**urls, "archive year": f"/archive/{post.published_at.year}/"}
        urls["archive month"] = f"/archive/{post.published_at:%Y/%m}/"
        for name in LISTING_A_POST:
            assert "Stale caches" in html(client, urls[name]), name

    def test_an_edit_shows_on_every_page_showing_the_item(self, client, urls, site):
        warm(client, urls)
        post = site["post"]
        post.title = "Caching pages, revised"
        post.save()
        for name in ["post", *LISTING_A_POST]:
            assert "Caching pages, revised" in html(client, urls[name]), name

    @pytest.mark.parametrize("kind", ["note", "learning", "bookmark"])
    def test_an_edit_of_every_kind_shows(self, client, urls, site, kind):
        warm(client, urls)
        item = site[kind]
        item.title = f"Revised {kind}"
        item.save()
        # Its section's list rather than the home page, which shows only this week's bookmarks.
        for name in [kind, f"{kind}s", "tag", "feed", "tag feed"]:
            assert f"Revised {kind}" in html(client, urls[name]), name

    def test_a_deleted_tag_leaves_every_page(self, client, urls, site):
        warm(client, urls)
        for name in ["post", "tags", "home"]:
            assert "/tags/caching/" in html(client, urls[name]), name  # kept by now
        Tag.objects.get(slug="caching").delete()
        assert client.get(urls["tag"]).status_code == 404
        for name in ["post", "tags", "home"]:
            assert "/tags/caching/" not in html(client, urls[name]), name

    def test_a_deleted_item_goes(self, client, urls, site):
        warm(client, urls)
        site["post"].delete()
        assert client.get(urls["post"]).status_code == 404
        for name in ["home", "posts", "feed"]:
            assert "Caching pages" not in html(client, urls[name]), name

    def test_a_renamed_tag_shows_its_new_name(self, client, urls, site):
        warm(client, urls)
        tag = Tag.objects.get(slug="caching")
        tag.name = "HTTP caching"
        tag.save()
        for name in ["post", "tags", "tag", "tag feed"]:
            assert "HTTP caching" in html(client, urls[name]), name

    def test_an_item_losing_a_tag_leaves_the_tag_page(self, client, urls, site):
        warm(client, urls)
        site["post"].tags.clear()
        assert "Caching pages" not in html(client, urls["tag"])
        assert "#Caching" not in html(client, urls["post"])

    def test_unpublishing_hides_the_item(self, client, urls, site):
        warm(client, urls)
        post = site["post"]
        post.status = Status.DRAFT
        post.save()
        assert client.get(urls["post"]).status_code == 404
        assert "Caching pages" not in html(client, urls["home"])

    def test_editing_a_draft_keeps_every_copy(self, client, urls, site, django_assert_num_queries):
        draft = make_note(status=Status.DRAFT)
        warm(client, urls)
        draft.title = "Still a draft"
        draft.save()
        with django_assert_num_queries(1):
            client.get(urls["home"])

    def test_bulk_inserts_appear(self, client, urls, site):
        warm(client, urls)
        before = html(client, urls["posts"])
        call_command("generate_content", posts=2, stdout=io.StringIO(), stderr=io.StringIO())
        assert html(client, urls["posts"]) != before


class TestAdminBulkActions:
    """The admin's "publish now" and "revert to draft" write with one UPDATE, no save()."""

    def act(self, staff_client, action: str, item) -> None:
        response = staff_client.post(
            "/admin/posts/post/", {"action": action, "_selected_action": [item.pk]}
        )
        assert response.status_code == 302

    def test_publish_now(self, client, staff_client, urls, site):
        draft = make_post(status=Status.DRAFT, title="Published in bulk", tags=["Caching"])
        warm(client, urls)
        self.act(staff_client, "publish_now", draft)
        draft = Post.objects.get(pk=draft.pk)
        for name in ["home", "posts", "tag", "feed"]:
            assert "Published in bulk" in html(client, urls[name]), name
        assert client.get(draft.get_absolute_url()).status_code == 200

    def test_revert_to_draft(self, client, staff_client, urls, site):
        warm(client, urls)
        self.act(staff_client, "revert_to_draft", site["post"])
        assert client.get(urls["post"]).status_code == 404
        for name in ["home", "posts", "tag", "feed"]:
            assert "Caching pages" not in html(client, urls[name]), name


class TestScheduled:
    def test_a_scheduled_post_appears_when_its_time_comes(self, client, time_machine, db):
        now = local(2026, 3, 5, 12)
        time_machine.move_to(now, tick=False)
        make_post(title="Published yesterday", published_at=now - datetime.timedelta(days=1))
        due = now + datetime.timedelta(minutes=10)
        scheduled = make_post(title="Coming soon", published_at=due, tags=["Caching"])
        pages = ["/", "/posts/", "/feeds/all.atom", "/archive/2026/", "/archive/2026/3/"]
        for url in pages:
            assert "Coming soon" not in html(client, url), url
        for url in [scheduled.get_absolute_url(), "/tags/caching/"]:
            assert client.get(url).status_code == 404
        time_machine.move_to(due + datetime.timedelta(seconds=1), tick=False)
        for url in [*pages, scheduled.get_absolute_url(), "/tags/caching/"]:
            assert "Coming soon" in html(client, url), url

    def test_pages_are_kept_no_longer_than_until_the_next_publication(self, client, time_machine):
        now = local(2026, 3, 5, 12)
        time_machine.move_to(now, tick=False)
        make_post(published_at=now + datetime.timedelta(seconds=30))
        response = client.get("/")
        assert "max-age=30" in response["Cache-Control"]
        assert response["X-Accel-Expires"] == f"@{int(now.timestamp()) + 30}"

    def test_time_alone_renews_pages_at_midnight(self, client, time_machine, db):
        """ "This week's bookmarks" and the year in the footer change with the date."""
        time_machine.move_to(local(2026, 12, 31, 23, 59), tick=False)
        make_post()
        response = client.get("/")
        assert "max-age=60" in response["Cache-Control"]
        assert response["X-Accel-Expires"] == f"@{int(local(2027, 1, 1).timestamp())}"
        assert "&copy; 2026" in response.content.decode()
        time_machine.move_to(local(2027, 1, 1, 0, 0, 1), tick=False)
        assert "&copy; 2027" in html(client, "/")


class TestDeploys:
    def test_a_new_release_renders_its_own_copies(self, client, urls, monkeypatch):
        client.get(urls["home"])
        monkeypatch.setattr("pagecache.middleware.RELEASE", "next-release")
        _, queries = fetch(client, urls["home"])
        assert queries > 1


def test_midnight_is_the_authors(settings, time_machine, db):
    settings.TIME_ZONE = "America/New_York"
    time_machine.move_to(local(2026, 3, 5, 22), tick=False)
    assert ContentVersion.current().expires_at(timezone.now()) == local(2026, 3, 6)
