"""Every version kept: revisions on every save (admin or not), the history page, readable
diffs, one-click restore, and deleted items recovered from the admin."""

import pytest
import reversion
from django.contrib.redirects.models import Redirect
from reversion.models import Version

from content.history import restore, revision, versions_of
from content.history.diff import line_diff
from content.models import Status, Tag, content_models
from posts.models import Post
from tests.factories import MAKERS, make_bookmark, make_post
from tests.history.conftest import admin_url, form_data

pytestmark = pytest.mark.django_db


def bodies(item) -> list[str]:
    return [v.field_dict["body"] for v in versions_of(type(item), item.pk)]


@pytest.mark.parametrize("model", content_models(), ids=lambda m: m._meta.model_name)
def test_every_save_anywhere_is_a_revision(model):
    item = MAKERS[model._meta.model_name](body="One.")
    item.body = "Two."
    item.save()  # as the shell, an API or an import would
    assert bodies(item) == ["Two.", "One."]
    comment = versions_of(model, item.pk).first().revision.comment
    assert comment == "Saved outside the admin"


def test_tags_set_outside_the_admin_are_recorded():
    post = make_post()
    post.tags.set(Tag.objects.resolve(["Python"]))
    tag = Tag.objects.get()
    assert versions_of(Post, post.pk).first().field_dict["tags"] == [tag.pk]


def test_a_revision_block_makes_several_writes_one_revision():
    with revision("Imported"):
        post = make_post(body="Imported body.")
        post.tags.set(Tag.objects.resolve(["Import"]))
    [version] = versions_of(Post, post.pk)
    assert version.revision.comment == "Imported"
    assert version.field_dict["tags"] == [Tag.objects.get().pk]


def test_tags_keep_revisions_too():
    tag = Tag.objects.create(name="Python", slug="python")
    tag.description = "The language."
    tag.save()
    assert [v.field_dict["description"] for v in versions_of(Tag, tag.pk)] == [
        "The language.",
        "",
    ]


def test_revisions_survive_unpublishing_and_slug_changes():
    post = make_post(body="Published text.", slug="first-slug")
    post.revert_to_draft()
    post.slug = "second-slug"
    post.body = "Draft text."
    post.save()
    assert bodies(post) == ["Draft text.", "Published text.", "Published text."]
    assert Redirect.objects.filter(old_path="/posts/first-slug/").count() == 0  # a draft's


def test_derived_columns_are_not_stored():
    post = make_post(body="# Title\n\nText.")
    data = versions_of(Post, post.pk).first().field_dict
    assert "body_html" not in data and "search_vector" not in data
    assert data["version"] == post.version


class TestAdminHistory:
    def test_admin_saves_record_the_user_and_what_changed(self, staff_client):
        post = make_post()
        data = form_data(staff_client, Post, post.pk)
        data["body"] = "Edited in the admin."
        assert staff_client.post(admin_url(Post, "change", post.pk), data).status_code == 302
        latest = versions_of(Post, post.pk).first()
        assert latest.revision.user.username == "editor"
        assert latest.revision.comment == "Changed body in the admin"
        assert "version" not in latest.revision.comment

    def test_edit_edit_restore_the_first(self, staff_client):
        """Added with a first text, edited, then the first restored in one click."""
        add = {
            "title": "Restored", "slug": "", "body": "The first text.", "summary": "S.",
            "tag_names": "python", "excerpt": "", "status": "draft",
            "published_at_0": "", "published_at_1": "",
        }  # fmt: skip
        assert staff_client.post(admin_url(Post, "add"), add).status_code == 302
        post = Post.objects.get(title="Restored")
        data = form_data(staff_client, Post, post.pk)
        data["body"], data["tag_names"] = "The second text.", "go"
        assert staff_client.post(admin_url(Post, "change", post.pk), data).status_code == 302
        first = versions_of(Post, post.pk).last()

        response = staff_client.post(admin_url(Post, "restore", post.pk, first.pk))
        assert response.status_code == 302
        assert response["Location"] == admin_url(Post, "change", post.pk)
        post.refresh_from_db()
        assert post.body == "The first text."
        assert [t.name for t in post.tags.all()] == ["python"]
        assert "The first text." in post.body_html  # rendered afresh

        page = staff_client.get(admin_url(Post, "history", post.pk))
        assert page.status_code == 200
        html = page.content.decode()
        assert len(page.context["rows"]) == 3
        assert html.count('class="revision"') == 3
        assert "Restored the version of" in html
        # Restoring is itself a version: the second text is still there to go back to.
        assert bodies(post) == ["The first text.", "The second text.", "The first text."]

    def test_restore_keeps_the_url_and_the_publishing_state(self, staff_client):
        post = make_post(status=Status.DRAFT, slug="old", body="Draft text.")
        first = versions_of(Post, post.pk).first()
        post.publish_now()
        post.slug, post.body = "new", "Published text."
        post.save()
        staff_client.post(admin_url(Post, "restore", post.pk, first.pk))
        post.refresh_from_db()
        assert (post.body, post.slug, post.status) == ("Draft text.", "new", Status.PUBLISHED)

    def test_restore_is_post_only(self, staff_client):
        post = make_post()
        version = versions_of(Post, post.pk).first()
        assert staff_client.get(admin_url(Post, "restore", post.pk, version.pk)).status_code == 405

    def test_another_items_version_cannot_be_restored_here(self, staff_client):
        post, other = make_post(), make_post()
        version = versions_of(Post, other.pk).first()
        response = staff_client.post(admin_url(Post, "restore", post.pk, version.pk))
        assert response.status_code == 404

    def test_a_restore_that_no_longer_fits_is_refused_with_a_message(self, staff_client):
        bookmark = make_bookmark(url="https://example.com/a")
        first = versions_of(type(bookmark), bookmark.pk).first()
        bookmark.url = "https://example.com/b"
        bookmark.save()
        make_bookmark(url="https://example.com/a")  # another bookmark took the old URL
        response = staff_client.post(
            admin_url(type(bookmark), "restore", bookmark.pk, first.pk), follow=True
        )
        assert "Not restored" in response.content.decode()
        assert "already bookmarked" in response.content.decode()

    def test_compare_two_versions_shows_a_readable_diff(self, staff_client):
        post = make_post(body="Alpha beta gamma.\n\nUnchanged line.")
        post.body = "Alpha delta gamma.\n\nUnchanged line.\n\nNew paragraph."
        post.save()
        new, old = versions_of(Post, post.pk)
        response = staff_client.get(
            admin_url(Post, "compare", post.pk), {"old": old.pk, "new": new.pk}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Alpha <del>beta</del><ins>delta</ins> gamma." in html
        assert "<ins>New paragraph.</ins>" in html
        # Reversed order is put right: always from the older to the newer.
        swapped = staff_client.get(
            admin_url(Post, "compare", post.pk), {"old": new.pk, "new": old.pk}
        )
        assert swapped.context["old"] == old

    @pytest.mark.parametrize("query", [{}, {"old": "x", "new": "1"}, {"old": "999999"}])
    def test_compare_with_bad_parameters_goes_back_to_the_history(self, staff_client, query):
        post = make_post()
        response = staff_client.get(admin_url(Post, "compare", post.pk), query, follow=True)
        assert response.status_code == 200
        assert "Choose two versions" in response.content.decode()

    def test_history_of_an_unknown_item_is_404(self, staff_client):
        assert staff_client.get(admin_url(Post, "history", 999999)).status_code == 404


class TestRecoverDeleted:
    def test_a_deleted_post_is_recovered_from_the_admin(self, staff_client):
        post = make_post(title="Gone for now", body="Body to recover.", tags=["python"])
        pk = post.pk
        response = staff_client.post(admin_url(Post, "delete", pk), {"post": "yes"})
        assert response.status_code == 302
        assert not Post.objects.filter(pk=pk).exists()

        changelist = staff_client.get(admin_url(Post, "changelist")).content.decode()
        assert admin_url(Post, "deleted") in changelist
        page = staff_client.get(admin_url(Post, "deleted"))
        assert "Gone for now" in page.content.decode()
        [version] = page.context["page"]

        response = staff_client.post(admin_url(Post, "recover", version.pk))
        assert response["Location"] == admin_url(Post, "change", pk)
        post = Post.objects.get(pk=pk)
        assert (post.title, post.body, post.slug) == (
            "Gone for now",
            "Body to recover.",
            "gone-for-now",
        )
        assert "Body to recover." in post.body_html
        assert [t.name for t in post.tags.all()] == ["python"]
        assert post.is_published
        assert versions_of(Post, pk).first().revision.comment.startswith("Recovered")
        assert not staff_client.get(admin_url(Post, "deleted")).context["page"]

    def test_an_item_never_saved_since_history_began_is_recoverable(self, staff_client):
        post = make_post(title="Older than history")
        Version.objects.all().delete()  # as if it predated django-reversion
        staff_client.post(admin_url(Post, "delete", post.pk), {"post": "yes"})
        [version] = staff_client.get(admin_url(Post, "deleted")).context["page"]
        staff_client.post(admin_url(Post, "recover", version.pk))
        assert Post.objects.get(pk=post.pk).title == "Older than history"

    def test_a_taken_slug_gets_a_new_one(self, staff_client):
        post = make_post(slug="wanted")
        pk = post.pk
        post.delete()
        make_post(slug="wanted")
        version = Version.objects.get_deleted(Post).get()
        staff_client.post(admin_url(Post, "recover", version.pk))
        assert Post.objects.get(pk=pk).slug == "wanted-2"

    def test_recovering_twice_is_a_message_not_an_error(self, staff_client):
        post = make_post()
        post.delete()
        version = Version.objects.get_deleted(Post).get()
        staff_client.post(admin_url(Post, "recover", version.pk))
        response = staff_client.post(admin_url(Post, "recover", version.pk), follow=True)
        assert "not deleted" in response.content.decode()

    def test_the_deleted_list_is_empty_at_first(self, staff_client):
        assert "No deleted posts" in staff_client.get(admin_url(Post, "deleted")).content.decode()


def test_restore_function_refuses_nothing_valid_and_counts_as_a_revision(django_user_model):
    user = django_user_model.objects.create_user("u")
    post = make_post(body="v1")
    v1 = versions_of(Post, post.pk).first()
    post.body = "v2"
    post.save()
    restore(v1, user)
    latest = versions_of(Post, post.pk).first()
    assert latest.revision.user == user
    assert latest.field_dict["body"] == "v1"
    assert reversion.is_registered(Post)


class TestLineDiff:
    def test_equal_texts_have_no_lines(self):
        assert line_diff("same\ntext", "same\ntext") == []

    def test_context_lines_and_gaps(self):
        old = "\n".join(f"line {n}" for n in range(20))
        new = old.replace("line 10", "line ten")
        kinds = [line.kind for line in line_diff(old, new)]
        assert kinds == ["gap", "same", "same", "changed", "same", "same"]

    def test_text_is_escaped(self):
        [line] = line_diff("<b>bold</b>", "<i>bold</i>")
        assert "<b>" not in line.html and "<i>" not in line.html
        assert "&lt;" in line.html and "<del>b</del><ins>i</ins>" in line.html

    def test_added_and_removed_blocks(self):
        lines = line_diff("a\nb", "a\nc\nd")
        assert [(line.kind, str(line.html)) for line in lines] == [
            ("same", "a"),
            ("removed", "b"),
            ("added", "c"),
            ("added", "d"),
        ]
