"""The admin as the writer's desk: branding, the grouped app list, the dashboard, quick capture."""

import datetime

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookmarks.models import Bookmark
from content.markdown import render
from content.models import Status
from content.preview import preview_url
from learnings.models import Learning
from posts.models import Post
from tests.factories import ago, make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db

INDEX = "/admin/"
# A Wednesday, mid-week, in the author's time zone (Europe/London, GMT in winter).
WEDNESDAY = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def section(tree: lxml.html.HtmlElement, css: str) -> str:
    (found,) = tree.cssselect(css)
    return lxml.html.tostring(found, encoding="unicode")


def capture(client, kind: str, **fields):
    return client.post(
        reverse("admin:capture", args=[kind]), {f"{kind}-{k}": v for k, v in fields.items()}
    )


SETTINGS = [
    "API tokens", "Access attempts", "Access failures", "Access logs", "Groups", "Redirects",
    "Sites", "Static devices", "TOTP devices", "Users",
]  # fmt: skip


class TestBranding:
    def test_the_header_and_title_show_site_name(self, staff_client, settings):
        settings.SITE_NAME = "Lovelace Notes"
        tree = page(staff_client.get(INDEX))
        assert tree.cssselect("#site-name a")[0].text == "Lovelace Notes"
        assert tree.findtext(".//title") == "Dashboard | Lovelace Notes"
        assert "Django administration" not in lxml.html.tostring(tree, encoding="unicode")

    def test_the_login_page_shows_site_name(self, client, settings):
        settings.SITE_NAME = "Lovelace Notes"
        tree = page(client.get("/admin/login/"))
        assert tree.cssselect("#site-name a")[0].text == "Lovelace Notes"
        assert tree.findtext(".//title") == "Log in | Lovelace Notes"

    def test_content_comes_first_and_the_rest_is_grouped_as_settings(self, staff_client):
        tree = page(staff_client.get(INDEX))
        groups = [
            (caption.text_content().strip(), [a.text for a in table.cssselect("th a")])
            for table in tree.cssselect("#content-related table")
            for caption in table.cssselect("caption")
        ]
        assert groups == [
            ("Content", ["Posts", "Notes", "Learnings", "Bookmarks", "Tags"]),
            # (with the sign-in records of django-axes and the two-factor devices of django-otp)
            ("Settings", SETTINGS),
        ]

    def test_the_sidebar_of_every_page_has_the_same_groups(self, staff_client):
        tree = page(staff_client.get(reverse("admin:posts_post_changelist")))
        captions = [c.text_content().strip() for c in tree.cssselect("#nav-sidebar caption")]
        assert captions == ["Content", "Settings"]

    @pytest.mark.parametrize("group", ["content", "settings"])
    def test_each_group_has_its_page(self, staff_client, group):
        tree = page(staff_client.get(f"/admin/{group}/"))
        assert tree.cssselect(f".app-{group}.module")

    def test_an_app_keeps_its_own_page(self, staff_client):
        tree = page(staff_client.get("/admin/auth/"))
        assert [a.text for a in tree.cssselect("#content-main th a")] == ["Groups", "Users"]


class TestDashboard:
    def test_empty(self, staff_client):
        tree = page(staff_client.get(INDEX))
        assert "No drafts." in section(tree, ".dash-drafts")
        assert "Nothing scheduled." in section(tree, ".dash-scheduled")
        assert "No bookmarks yet this week." in section(tree, ".dash-week")
        assert "Nothing published yet." in section(tree, ".dash-recent")

    def test_drafts_newest_first_each_with_its_private_preview(self, staff_client, time_machine):
        # A preview link carries its signing second: hold the clock so the page's links and
        # the expected ones are signed in the same second.
        time_machine.move_to(timezone.now(), tick=False)
        older = make_post(status=Status.DRAFT, title="Older draft")
        newer = make_learning(status=Status.DRAFT, title="Newer draft")
        Post.objects.filter(pk=older.pk).update(updated_at=ago(days=2))
        make_note(title="A published note")
        tree = page(staff_client.get(INDEX))
        drafts = tree.cssselect(".dash-drafts li")
        assert [li.cssselect(".dash-title")[0].text for li in drafts] == [
            "Newer draft",
            "Older draft",
        ]
        assert drafts[0].cssselect(".dash-title")[0].get("href") == reverse(
            "admin:learnings_learning_change", args=[newer.pk]
        )
        assert [a.get("href") for li in drafts for a in li.cssselect("a.dash-action")] == [
            preview_url(newer),
            preview_url(older),
        ]
        assert tree.cssselect(".dash-drafts h2 .count")[0].text == "2"
        # The preview link works (without the admin's session, as shared).
        assert staff_client.get(preview_url(newer)).status_code == 200

    def test_scheduled_items_show_their_time_in_the_authors_zone(
        self, staff_client, settings, time_machine
    ):
        settings.TIME_ZONE = "America/New_York"
        time_machine.move_to(WEDNESDAY, tick=False)
        moment = datetime.datetime(2026, 12, 5, 14, 30, tzinfo=datetime.UTC)
        make_post(title="Coming soon", published_at=moment)
        make_note(title="Already out")
        tree = page(staff_client.get(INDEX))
        (row,) = tree.cssselect(".dash-scheduled li")
        assert row.cssselect(".dash-title")[0].text == "Coming soon"
        shown = row.cssselect("time")[0]
        assert shown.text == "Sat 5 Dec 2026, 09:30 EST"
        assert shown.get("datetime") == "2026-12-05T09:30:00-05:00"
        assert "(in 3\xa0days, 2\xa0hours)" in row.cssselect(".dash-meta")[0].text_content()
        assert row.cssselect("form button")[0].text == "Publish now"

    def test_publish_now_makes_a_scheduled_item_public_and_comes_back(self, staff_client):
        post = make_post(
            title="Coming soon", published_at=timezone.now() + datetime.timedelta(days=1)
        )
        assert not post.is_published
        url = reverse("admin:publish", args=["posts", post.pk])
        assert staff_client.get(url).status_code == 405
        response = staff_client.post(url, follow=True)
        assert response.redirect_chain == [(INDEX, 302)]
        assert "Published 1 item(s)." in response.content.decode()
        post.refresh_from_db()
        assert post.is_published
        assert staff_client.get(post.get_absolute_url()).status_code == 200
        assert (
            staff_client.post(reverse("admin:publish", args=["posts", 999_999])).status_code == 404
        )
        assert (
            staff_client.post(reverse("admin:publish", args=["nope", post.pk])).status_code == 404
        )

    def test_this_weeks_bookmarks_with_a_count(self, staff_client, time_machine):
        time_machine.move_to(WEDNESDAY, tick=False)
        make_bookmark(title="Published on Monday", published_at=ago(days=2))
        make_bookmark(title="Saved today as a draft", status=Status.DRAFT)
        make_bookmark(title="From last week", published_at=ago(days=8))
        tree = page(staff_client.get(INDEX))
        week = tree.cssselect(".dash-week")[0]
        assert week.cssselect("h2 .count")[0].text == "2"
        assert [a.text for a in week.cssselect(".dash-title")] == [
            "Saved today as a draft",
            "Published on Monday",
        ]
        summary = week.cssselect(".dash-summary")[0].text_content()
        assert "Week 49, 2026, 30 Nov – 6 Dec: 2 bookmarks, 1 in draft." in summary
        digest = reverse("bookmarks:week", args=[2026, 49])
        assert [a.get("href") for a in week.cssselect(".dash-summary a")] == [digest]
        assert staff_client.get(digest).status_code == 200

    def test_recently_published_links_to_the_public_pages(self, staff_client):
        items = [make_post(), make_note(), make_learning(), make_bookmark()]
        tree = page(staff_client.get(INDEX))
        links = {a.get("href") for a in tree.cssselect(".dash-recent .dash-title")}
        assert links == {item.get_absolute_url() for item in items}

    def test_long_lists_show_the_first_ten_and_link_to_the_rest(self, staff_client):
        for n in range(12):
            make_note(status=Status.DRAFT, title=f"Draft {n}")
            make_note(
                title=f"Later {n}", published_at=timezone.now() + datetime.timedelta(days=n + 1)
            )
        tree = page(staff_client.get(INDEX))
        for css, state, text in [
            (".dash-drafts", "draft", "The 10 last edited of 12"),
            (".dash-scheduled", "scheduled", "The 10 next of 12"),
        ]:
            assert len(tree.cssselect(f"{css} li")) == 10
            more = tree.cssselect(f"{css} .dash-more")[0]
            assert text in more.text_content()
            links = [a.get("href") for a in more.cssselect("a")]
            assert f"/admin/notes/note/?state={state}" in links
            assert len(links) == 4
        firsts = [a.text for a in tree.cssselect(".dash-scheduled .dash-title")][:2]
        assert firsts == ["Later 0", "Later 1"]  # soonest first

    def test_the_query_count_does_not_grow_with_the_content(self, staff_client):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert staff_client.get(INDEX).status_code == 200
            return len(captured)

        make_post(status=Status.DRAFT)
        make_bookmark()
        few = queries()
        for maker in (make_post, make_note, make_learning, make_bookmark):
            for _ in range(12):
                maker(status=Status.DRAFT)
                maker()
                maker(published_at=timezone.now() + datetime.timedelta(days=2))
        many = queries()
        # Session and user; a union per list (drafts, scheduled, recent) and at most one load
        # per kind in it; two counts; the bookmarks panel's count and list.
        assert few <= many <= 2 + 3 + 3 * 4 + 2 + 2

    def test_a_user_sees_only_the_kinds_they_may_edit(self, client, django_user_model):
        user = django_user_model.objects.create_user("guest", password="pw", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_post"))
        client.force_login(user)
        make_post(status=Status.DRAFT, title="A post draft")
        make_note(status=Status.DRAFT, title="A note draft")
        tree = page(client.get(INDEX))
        assert [a.text for a in tree.cssselect(".dash-drafts .dash-title")] == ["A post draft"]
        assert not tree.cssselect(".dash-capture")
        assert capture(client, "bookmarks", url="https://example.com/").status_code == 403
        assert not Bookmark.objects.exists()
        later = make_post(published_at=timezone.now() + datetime.timedelta(days=1))
        assert client.post(reverse("admin:publish", args=["posts", later.pk])).status_code == 403
        later.refresh_from_db()
        assert not later.is_published
        assert client.get("/admin/content/").status_code == 200
        assert client.get("/admin/settings/").status_code == 404  # nothing there for them


class TestQuickCapture:
    def test_a_bookmark_by_its_url_is_a_draft(self, staff_client):
        response = capture(staff_client, "bookmarks", url="https://Example.com/a/?utm_source=x#top")
        assert response.status_code == 302 and response["Location"] == INDEX
        bookmark = Bookmark.objects.get()
        assert bookmark.url == "https://example.com/a/"
        assert bookmark.title == "example.com/a"
        assert bookmark.status == Status.DRAFT
        html = staff_client.get(INDEX).content.decode()
        assert "Saved the bookmark “example.com/a” as a draft" in html
        assert reverse("admin:bookmarks_bookmark_change", args=[bookmark.pk]) in html

    def test_a_bookmark_published_at_once(self, staff_client):
        capture(staff_client, "bookmarks", url="https://example.com/b", publish="on")
        bookmark = Bookmark.objects.get()
        assert bookmark.is_published
        assert staff_client.get("/bookmarks/").content.decode().count("example.com/b") >= 1

    def test_a_learning_question_and_answer(self, staff_client):
        response = capture(
            staff_client, "learnings", title="Why is 0.1 + 0.2 > 0.3?", body="Binary `float`s."
        )
        assert response.status_code == 302
        learning = Learning.objects.get()
        assert learning.status == Status.DRAFT
        assert learning.body_html == "<p>Binary <code>float</code>s.</p>\n"
        assert learning.word_count == render(learning.body).word_count == 3

    def test_a_learning_published_at_once_appears_on_the_site(self, client, staff_client):
        capture(staff_client, "learnings", title="Published?", body="Yes.", publish="on")
        assert Learning.objects.get().is_published
        assert "Published?" in client.get("/learnings/").content.decode()

    def test_the_capture_forms_are_on_the_dashboard(self, staff_client):
        tree = page(staff_client.get(INDEX))
        forms = tree.cssselect(".dash-capture form")
        assert [form.get("action") for form in forms] == [
            reverse("admin:capture", args=["learnings"]),
            reverse("admin:capture", args=["bookmarks"]),
        ]
        assert [f.get("name") for f in forms[1].cssselect("input:not([type=hidden])")] == [
            "bookmarks-url",
            "bookmarks-publish",
        ]
        labels = [label.text for label in forms[0].cssselect("label")]
        assert labels == ["Question", "Answer", "Publish now"]

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("", "This field is required."),
            ("   ", "This field is required."),
            ("not a url", "Enter a valid URL."),
            ("javascript:alert(1)", "Enter a valid URL."),
        ],
    )
    def test_a_bad_url_is_refused_with_a_message(self, staff_client, url, message):
        tree = page(capture(staff_client, "bookmarks", url=url))
        form = section(tree, ".capture-bookmarks")
        assert message in form
        assert "nothing was saved" in form
        assert not Bookmark.objects.exists()

    def test_a_duplicate_url_links_to_the_bookmark_already_saved(self, staff_client):
        existing = make_bookmark(url="https://example.com/dup", title="The first one")
        tree = page(capture(staff_client, "bookmarks", url="https://example.com/dup#again"))
        form = section(tree, ".capture-bookmarks")
        assert "already bookmarked" in form and "The first one" in form
        assert reverse("admin:bookmarks_bookmark_change", args=[existing.pk]) in form
        # What was typed is still there to correct.
        assert (
            tree.cssselect("#id_bookmarks-url")[0].get("value") == "https://example.com/dup#again"
        )
        assert Bookmark.objects.count() == 1

    def test_an_empty_learning_is_refused_and_keeps_what_was_typed(self, staff_client):
        tree = page(capture(staff_client, "learnings", title="A question, no answer", body=" "))
        form = section(tree, ".capture-learnings")
        assert form.count("This field is required.") == 1
        assert tree.cssselect("#id_learnings-title")[0].get("value") == "A question, no answer"
        tree = page(capture(staff_client, "learnings", title="", body=""))
        assert section(tree, ".capture-learnings").count("This field is required.") == 2
        assert not Learning.objects.exists()

    def test_only_post_and_only_kinds_with_a_capture_form(self, staff_client):
        url = reverse("admin:capture", args=["bookmarks"])
        assert staff_client.get(url).status_code == 405
        assert capture(staff_client, "posts", title="No").status_code == 404
        assert capture(staff_client, "nothing", title="No").status_code == 404
        assert not Post.objects.exists()

    def test_anonymous_users_are_sent_to_login(self, client):
        response = capture(client, "bookmarks", url="https://example.com/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert not Bookmark.objects.exists()
