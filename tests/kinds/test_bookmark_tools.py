"""The bookmark editor's Fetch button, the prefilled form the bookmarklet opens, the admin
actions, and "Weekly notes" composed by command and by action."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookmarks.admin import BOOKMARKLET
from bookmarks.digest import digest_body, parse_week
from bookmarks.models import Bookmark
from content.files.links import parse_links
from content.models import Status
from posts.models import Post
from tests.factories import make_bookmark

pytestmark = pytest.mark.django_db
ADD = "/admin/bookmarks/bookmark/add/"


def week_moment(week: str, day: int = 1, hour: int = 12) -> datetime.datetime:
    year, number = parse_week(week)
    date = datetime.date.fromisocalendar(year, number, day)
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


class TestFetchButton:
    def test_fetch_fills_the_form_and_keeps_what_was_typed(self, staff_client, page_server):
        form = {
            "url": f"{page_server.url}/og",
            "title": "",
            "body": "My notes.",
            "tag_names": "web",
        }
        response = staff_client.post(reverse("admin:bookmarks_fetch"), form)
        assert response.status_code == 302 and response["Location"] == f"{ADD}?fetched=1"
        page = staff_client.get(response["Location"])
        fields = page.context["adminform"].form.initial
        assert fields["title"] == "The Open Graph title"
        assert fields["excerpt"] == "What the page is about — briefly."
        assert fields["body"] == "My notes." and fields["tag_names"] == "web"
        assert "filled in from the page" in page.content.decode()
        assert not Bookmark.objects.exists()  # nothing saved until the author saves

    def test_a_failed_fetch_says_why(self, staff_client, page_server):
        form = {"url": f"{page_server.url}/missing", "title": ""}
        page = staff_client.post(reverse("admin:bookmarks_fetch"), form, follow=True)
        html = page.content.decode()
        assert "could not be fetched: the page answered 404" in html
        assert page.context["adminform"].form.initial["url"] == f"{page_server.url}/missing"

    def test_no_link_no_fetch(self, staff_client):
        page = staff_client.post(
            reverse("admin:bookmarks_fetch"), {"url": "not a link"}, follow=True
        )
        assert "Paste an http(s) link first." in page.content.decode()

    def test_the_add_form_shows_the_button(self, staff_client):
        html = staff_client.get(ADD).content.decode()
        assert f'formaction="{reverse("admin:bookmarks_fetch")}"' in html
        assert html.index('name="url"') < html.index('name="title"')  # the link first

    def test_saving_without_a_title_fetches_it(self, staff_client, page_server):
        data = {"url": f"{page_server.url}/title", "title": "", "slug": "", "body": "",
                "tag_names": "", "excerpt": "", "status": "published", "via_url": "",
                "published_at_0": "", "published_at_1": ""}  # fmt: skip
        response = staff_client.post(ADD, data)
        assert response.status_code == 302
        assert Bookmark.objects.get().title == "Plain & simple page"

    def test_when_the_fetch_fails_the_address_stands_in(self, staff_client, page_server):
        data = {"url": f"{page_server.url}/missing", "title": "", "slug": "", "body": "x",
                "tag_names": "", "excerpt": "", "status": "published", "via_url": "",
                "published_at_0": "", "published_at_1": ""}  # fmt: skip
        response = staff_client.post(ADD, data, follow=True)
        bookmark = Bookmark.objects.get()
        assert bookmark.title == page_server.url.removeprefix("http://") + "/missing"
        assert bookmark.is_published
        html = response.content.decode()
        assert "could not be fetched: the page answered 404. Saved as it is." in html


class TestQuickCapture:
    def test_the_dashboard_capture_fetches_the_title(self, staff_client, page_server):
        url = reverse("admin:capture", args=["bookmarks"])
        staff_client.post(url, {"bookmarks-url": f"{page_server.url}/og"})
        bookmark = Bookmark.objects.get()
        assert bookmark.title == "The Open Graph title"
        assert bookmark.excerpt == "What the page is about — briefly."


class TestBookmarkletLanding:
    def test_the_form_is_prefilled_from_the_query(self, staff_client):
        query = {"url": "https://example.com/page", "title": "A page", "body": "> Quoted"}
        initial = staff_client.get(ADD, query).context["adminform"].form.initial
        assert (initial["url"], initial["title"], initial["body"]) == tuple(query.values())

    def test_a_saved_link_opens_its_bookmark(self, staff_client):
        bookmark = make_bookmark(url="https://example.com/seen")
        response = staff_client.get(ADD, {"url": "https://EXAMPLE.com/seen#again"})
        assert response.status_code == 302
        assert response["Location"] == f"/admin/bookmarks/bookmark/{bookmark.pk}/change/"

    def test_the_bookmarklet_page(self, staff_client, django_user_model):
        page = staff_client.get("/admin/bookmarklet/")
        html = page.content.decode()
        assert page.status_code == 200 and "Drag this link" in html
        assert 'href="javascript:(()=&gt;{const d=document' in html
        assert "http://testserver/admin/bookmarks/bookmark/add/?" in html
        assert "<script>" not in html and "style=" not in html
        client = Client()
        assert client.get("/admin/bookmarklet/").status_code == 302  # login first
        django_user_model.objects.create_user("reader", password="pw", is_staff=True)
        client.login(username="reader", password="pw")
        assert client.get("/admin/bookmarklet/").status_code == 403

    def test_the_code_is_one_expression(self):
        code = BOOKMARKLET.format(add="https://site.example/admin/bookmarks/bookmark/add/")
        assert code.startswith("javascript:(()=>{") and code.endswith("})()")
        # A javascript: URL is percent-decoded before it runs: the code must hold no "%".
        assert "%" not in code and "\n" not in code


class TestFetchAction:
    def test_fills_missing_titles(self, staff_client, page_server):
        untitled = make_bookmark(url=f"{page_server.url}/og", title="", status=Status.DRAFT)
        broken = make_bookmark(url=f"{page_server.url}/missing", title="", status=Status.DRAFT)
        titled = make_bookmark(title="Mine", excerpt="Set")
        url = reverse("admin:bookmarks_bookmark_changelist")
        page = staff_client.post(
            url,
            {"action": "fetch_titles", "_selected_action": [untitled.pk, broken.pk, titled.pk]},
            follow=True,
        ).content.decode()
        untitled.refresh_from_db()
        assert untitled.title == "The Open Graph title"
        assert "Filled in 1 of 2 bookmark(s)." in page and "answered 404" in page
        assert page_server.requests.count("/og") == 1


class TestComposeWeekly:
    def test_command_lists_the_weeks_bookmarks(self):
        make_bookmark(title="Second", url="https://b.org/", body="Also good.\n\n- a\n- b",
                      published_at=week_moment("2026-W48", 3))  # fmt: skip
        make_bookmark(title="First", url="https://a.org/", body="Good.",
                      published_at=week_moment("2026-W48", 1))  # fmt: skip
        make_bookmark(title="Other week", published_at=week_moment("2026-W47"))
        make_bookmark(title="Draft", status=Status.DRAFT, published_at=None)
        out = io.StringIO()
        call_command("compose_weekly", "--week", "2026-W48", stdout=out)
        post = Post.objects.get()
        assert post.title == "Weekly notes: week 48, 2026" and post.status == Status.DRAFT
        assert post.slug == "weekly-notes-2026-w48"
        assert post.body == (
            "* [First](https://a.org/): Good.\n"
            "* [Second](https://b.org/): Also good.\n\n  - a\n  - b\n"
        )
        assert post.summary == "2 links from the week of November 23, 2026."
        assert "Drafted “Weekly notes: week 48, 2026” with 2 bookmarks" in out.getvalue()
        # The digest reads back as the same links (import_markdown --split-links).
        assert [i.title for i in parse_links(post.body).items] == ["First", "Second"]

    def test_an_existing_digest_is_left_alone(self):
        make_bookmark(published_at=week_moment("2026-W48"))
        call_command("compose_weekly", "--week", "2026-W48", stdout=io.StringIO())
        Post.objects.update(body="Edited by hand.")
        out = io.StringIO()
        call_command("compose_weekly", "--week", "2026-W48", stdout=out)
        assert "already exists, left as it is" in out.getvalue()
        assert Post.objects.get().body == "Edited by hand."

    def test_default_week_and_errors(self):
        make_bookmark(published_at=timezone.now() - datetime.timedelta(minutes=1))
        out = io.StringIO()
        call_command("compose_weekly", stdout=out)
        assert "Drafted" in out.getvalue()
        with pytest.raises(CommandError, match="not an ISO week"):
            call_command("compose_weekly", "--week", "next week")
        with pytest.raises(CommandError):
            call_command("compose_weekly", "--week", "2026-W54")
        with pytest.raises(CommandError, match="has no published bookmarks"):
            call_command("compose_weekly", "--week", "2001-W01")

    def test_admin_action_per_week_of_the_selection(self, staff_client):
        a = make_bookmark(title="A", published_at=week_moment("2026-W10"))
        b = make_bookmark(title="B", published_at=week_moment("2026-W11"))
        make_bookmark(title="Not selected", published_at=week_moment("2026-W11", 2))
        url = reverse("admin:bookmarks_bookmark_changelist")
        page = staff_client.post(
            url, {"action": "compose_weekly", "_selected_action": [a.pk, b.pk]}, follow=True
        ).content.decode()
        assert "Drafted" in page and "Weekly notes: week 10, 2026" in page
        week11 = Post.objects.get(slug="weekly-notes-2026-w11")
        assert week11.body == digest_body([b]) and "Not selected" not in week11.body
