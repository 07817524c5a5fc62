"""The editor: every kind's admin pages, adding through the form, actions, preview links."""

import pytest
from django.urls import reverse

from bookmarks.models import Bookmark
from content.markdown import render
from content.models import Status, Tag, content_models
from content.preview import preview_url
from learnings.models import Learning
from notes.models import Note
from posts.models import Post
from tests.factories import MAKERS, make_bookmark, make_post

pytestmark = pytest.mark.django_db

BODY = "Intro paragraph.\n\n```python\nprint('hi')\n```\n\nMaths: $x^2$.\n"
FORM_DATA = {
    Post: {"summary": "Short summary."},
    Note: {},
    Learning: {"sources": "https://docs.python.org/3/\n\nhttps://peps.python.org/pep-0008/"},
    Bookmark: {"url": "https://Example.com/page?utm_source=x", "via_url": ""},
}


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", content_models(), ids=lambda m: m._meta.model_name)
class TestEveryKind:
    def test_changelist_add_and_change_pages(self, staff_client, model):
        item = MAKERS[model._meta.model_name](tags=["python"])
        assert staff_client.get(admin_url(model, "changelist")).status_code == 200
        assert staff_client.get(admin_url(model, "changelist"), {"q": "number"}).status_code == 200
        assert staff_client.get(admin_url(model, "add")).status_code == 200
        response = staff_client.get(admin_url(model, "change", item.pk))
        assert response.status_code == 200
        html = response.content.decode()
        assert "markdownx" in html  # the editor with live preview
        assert 'value="python"' in html  # tags as comma-separated names
        assert "css/preview.css" in html and "css/admin.css" in html

    def test_adding_through_the_admin_form_saves_rendered_html_and_tags(self, staff_client, model):
        data = {
            "title": "Written in the admin",
            "slug": "",
            "body": BODY,
            "tag_names": "Python, postgres",
            "excerpt": "",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            **FORM_DATA[model],
        }
        response = staff_client.post(admin_url(model, "add"), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        item = model.objects.get(slug="written-in-the-admin")
        assert item.body_html == render(BODY).html
        assert '<span class="nb">print</span>' in item.body_html
        assert sorted(t.name for t in item.tags.all()) == ["Python", "postgres"]
        assert item.is_published

    def test_publish_and_revert_actions(self, staff_client, model):
        item = MAKERS[model._meta.model_name](status=Status.DRAFT)
        url = admin_url(model, "changelist")
        staff_client.post(url, {"action": "publish_now", "_selected_action": [item.pk]})
        item.refresh_from_db()
        assert item.is_published
        staff_client.post(url, {"action": "revert_to_draft", "_selected_action": [item.pk]})
        item.refresh_from_db()
        assert item.status == Status.DRAFT


class TestForms:
    def test_learning_sources_must_be_http_urls(self, staff_client):
        data = {
            "title": "Q?", "body": "A.", "status": "draft", "tag_names": "",
            "sources": "https://ok.example/\njavascript:alert(1)\nftp://files.example/",
        }  # fmt: skip
        response = staff_client.post(admin_url(Learning, "add"), data)
        assert response.status_code == 200
        assert "Enter a valid URL" in response.content.decode()
        assert not Learning.objects.exists()

    def test_learning_form_saves_sources_one_per_line(self, staff_client):
        data = {"title": "Q?", "body": "A.", "status": "draft", "tag_names": ""}
        data["sources"] = "https://a.example/\r\n\r\n  https://b.example/x  \r\n"
        staff_client.post(admin_url(Learning, "add"), data)
        assert Learning.objects.get().sources == ["https://a.example/", "https://b.example/x"]

    def test_duplicate_bookmark_error_links_to_the_existing_one(self, staff_client):
        existing = make_bookmark(url="https://example.com/dup")
        data = {"title": "Dup", "body": "", "status": "draft", "tag_names": ""}
        data |= {"url": "https://example.com/dup#frag", "via_url": ""}
        response = staff_client.post(admin_url(Bookmark, "add"), data)
        html = response.content.decode()
        assert "already bookmarked" in html
        assert admin_url(Bookmark, "change", existing.pk) in html
        assert Bookmark.objects.count() == 1

    def test_render_warnings_show_at_the_top_of_the_change_form(self, staff_client):
        post = make_post(body="```klingon\nqapla'\n```")
        html = staff_client.get(admin_url(Post, "change", post.pk)).content.decode()
        assert 'class="render-warnings"' in html
        assert "klingon" in html

    def test_tag_admin_shows_counts_per_kind(self, staff_client):
        make_post(tags=["python"])
        make_bookmark(tags=["python"])
        response = staff_client.get(reverse("admin:site_project_tag_changelist"))
        html = response.content.decode()
        assert "posts 1 · notes 0 · learnings 0 · bookmarks 1" in html
        tag = Tag.objects.get()
        assert (
            staff_client.get(reverse("admin:site_project_tag_change", args=[tag.pk])).status_code
            == 200
        )

    def test_anonymous_users_are_sent_to_login(self, client):
        assert client.get(admin_url(Post, "changelist")).status_code == 302


class TestDraftPreview:
    def test_the_link_works_without_login_and_is_noindex(self, client):
        draft = make_post(status=Status.DRAFT, title="Secret plan", body="Body *here*.")
        response = client.get(preview_url(draft))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Draft preview" in html
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "<em>here</em>" in html

    def test_publishing_expires_the_link(self, client):
        draft = make_post(status=Status.DRAFT)
        url = preview_url(draft)
        draft.status = Status.PUBLISHED
        draft.save()
        assert client.get(url).status_code == 404

    def test_changing_the_slug_expires_the_link(self, client):
        draft = make_post(status=Status.DRAFT)
        url = preview_url(draft)
        draft.slug = "another"
        draft.save()
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize("token", ["garbage", "a" * 300, "eyJhIjoxfQ:abc:def"])
    def test_a_forged_link_is_404(self, client, token):
        assert client.get(f"/preview/{token}/").status_code == 404

    def test_view_on_site_uses_the_preview_for_drafts(self, staff_client):
        draft = make_post(status=Status.DRAFT)
        html = staff_client.get(admin_url(Post, "change", draft.pk)).content.decode()
        assert "/preview/" in html
