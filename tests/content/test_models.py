"""The shared base: publication rule, slugs, rendering on save, redirects, tags, bookmarks."""

import datetime

import pytest
import time_machine
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookmarks.models import Bookmark
from bookmarks.normalize import domain_of, normalize_url
from content.models import Status, Tag, content_models
from content.slugs import parse_tag_names
from posts.models import Post
from tests.factories import MAKERS, ago, make_bookmark, make_note, make_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", MAKERS)
class TestPublished:
    def test_drafts_and_scheduled_items_are_absent(self, kind):
        make = MAKERS[kind]
        visible = make()
        make(status=Status.DRAFT)
        make(published_at=timezone.now() + datetime.timedelta(hours=1))
        model = type(visible)
        assert list(model.objects.published()) == [visible]
        assert list(model.objects.published().for_list()) == [visible]

    def test_a_scheduled_item_appears_when_its_time_comes(self, kind):
        when = timezone.now() + datetime.timedelta(days=2)
        item = MAKERS[kind](published_at=when)
        model = type(item)
        assert not model.objects.published().exists()
        assert not item.is_published
        with time_machine.travel(when + datetime.timedelta(seconds=1)):
            assert list(model.objects.published()) == [item]
            assert item.is_published


class TestSaving:
    def test_slug_is_generated_from_the_title_and_unique_per_kind(self):
        first = make_post(title="Hello, World!")
        second = make_post(title="Hello world")
        note = make_note(title="Hello world")
        assert (first.slug, second.slug, note.slug) == (
            "hello-world",
            "hello-world-2",
            "hello-world",
        )

    def test_published_at_defaults_to_now_on_first_publish(self):
        post = make_post(status=Status.DRAFT)
        assert post.published_at is None
        post.status = Status.PUBLISHED
        post.save()
        assert abs(post.published_at - timezone.now()) < datetime.timedelta(seconds=5)

    def test_body_html_excerpt_and_reading_time_are_refreshed_on_every_save(self):
        post = make_post(body="First paragraph here.\n\n## Part\n\n`code`")
        assert "<p>First paragraph here.</p>" in post.body_html
        assert post.excerpt == "First paragraph here."
        assert post.toc == [{"level": 2, "text": "Part", "id": "part"}]
        post.body = "Changed *text*.\n\n" + "word " * 2000
        post.save()
        post.refresh_from_db()
        assert "<em>text</em>" in post.body_html
        assert post.excerpt == "Changed text."
        assert post.reading_time == 9
        assert post.toc == []

    def test_an_authors_excerpt_is_kept(self):
        post = make_post(body="Body.", excerpt="My own words.")
        post.body = "Another body."
        post.save()
        assert post.excerpt == "My own words."

    def test_render_warnings_are_stored(self):
        post = make_post(body="```nosuchlanguage\nx\n```")
        assert any("nosuchlanguage" in warning for warning in post.render_warnings)


class TestSlugHistory:
    def test_a_published_items_old_url_answers_301(self, client):
        post = make_post(title="Old title")
        old_url = post.get_absolute_url()
        post.slug = "new-title"
        post.save()
        response = client.get(old_url)
        assert response.status_code == 301
        assert response["Location"] == "/posts/new-title/"
        assert client.get("/posts/new-title/").status_code == 200

    def test_renaming_twice_leaves_no_chain_and_renaming_back_works(self, client):
        post = make_post(title="One")
        for slug in ("two", "three"):
            post.slug = slug
            post.save()
        assert client.get("/posts/one/")["Location"] == "/posts/three/"
        post.slug = "one"
        post.save()
        assert client.get("/posts/one/").status_code == 200
        assert client.get("/posts/three/")["Location"] == "/posts/one/"

    def test_drafts_leave_no_redirect(self):
        post = make_post(status=Status.DRAFT, title="Draft")
        post.slug = "renamed"
        post.save()
        assert not Redirect.objects.exists()


class TestConstraints:
    @pytest.mark.parametrize("model", content_models())
    def test_constraints_are_named_by_convention(self, model):
        names = {c.name for c in model._meta.constraints}
        label = f"{model._meta.app_label}_{model._meta.model_name}"
        assert {f"{label}_unique_slug", f"{label}_status_valid"} <= names

    def test_the_database_rejects_a_duplicate_slug(self):
        make_post(slug="same")
        with pytest.raises(IntegrityError), transaction.atomic():
            Post.objects.bulk_create([Post(title="x", slug="same", summary="s", status="draft")])

    def test_the_database_rejects_an_unknown_status(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Post.objects.bulk_create([Post(title="x", slug="x", summary="s", status="bogus")])

    def test_the_database_rejects_a_published_item_without_a_date(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Post.objects.bulk_create([Post(title="x", slug="y", summary="s", status="published")])

    def test_the_database_rejects_a_duplicate_bookmark_url(self):
        make_bookmark(url="https://example.com/a")
        with pytest.raises(IntegrityError), transaction.atomic():
            Bookmark.objects.bulk_create(
                [Bookmark(title="x", slug="x", url="https://example.com/a", status="draft")]
            )


class TestTags:
    @pytest.mark.parametrize(
        "text,names",
        [
            ("python, PostgreSQL", ["python", "PostgreSQL"]),
            ("  spaced   out ,x", ["spaced out", "x"]),
            ("python, Python, PYTHON", ["python"]),
            (",,, ,", []),
            ("", []),
            ("c++, c#", ["c++", "c#"]),
        ],
    )
    def test_parse_tag_names(self, text, names):
        assert parse_tag_names(text) == names

    def test_resolve_matches_case_insensitively_and_creates_missing(self):
        existing = Tag.objects.create(name="PostgreSQL", slug="postgresql")
        tags = Tag.objects.resolve(["postgresql", "Rust"])
        assert tags[0] == existing
        assert tags[1].name == "Rust" and tags[1].slug == "rust"
        assert Tag.objects.count() == 2

    def test_a_name_that_slugifies_to_nothing_still_gets_a_slug(self):
        (tag,) = Tag.objects.resolve(["!!!"])
        assert tag.slug == "item"

    def test_counts_per_kind_only_count_published_items(self):
        make_post(tags=["python"])
        make_note(tags=["python"], status=Status.DRAFT)
        make_bookmark(tags=["Python"])
        (tag,) = Tag.objects.published_counts()
        assert tag.name == "python"
        assert (tag.posts_count, tag.notes_count, tag.bookmarks_count, tag.item_count) == (
            1,
            0,
            1,
            2,
        )
        assert tag.counts == {"posts": 1, "notes": 0, "learnings": 0, "bookmarks": 1}
        assert Tag.objects.with_counts().get(pk=tag.pk).item_count == 3

    def test_unused_tags_are_left_out_of_published_counts(self):
        Tag.objects.create(name="lonely", slug="lonely")
        make_note(tags=["draft-only"], status=Status.DRAFT)
        assert Tag.objects.published_counts() == []


URL_CASES = [
    ("HTTPS://Example.COM/Path", "https://example.com/Path"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com/a#section", "https://example.com/a"),
    ("https://example.com/a?utm_source=x&utm_medium=y", "https://example.com/a"),
    ("https://example.com/a?id=3&utm_campaign=z", "https://example.com/a?id=3"),
    ("https://example.com/a?fbclid=abc&b=2&a=1", "https://example.com/a?b=2&a=1"),
    ("https://example.com/a?gclid=1&mc_cid=2&mc_eid=3", "https://example.com/a"),
    ("https://example.com", "https://example.com/"),
    ("  https://example.com/x  ", "https://example.com/x"),
    ("https://example.com/a?q=", "https://example.com/a?q="),
    ("https://example.com/A/B?X=Y", "https://example.com/A/B?X=Y"),
    ("https://user:pw@Example.com/a", "https://user:pw@example.com/a"),
    ("https://example.com./a", "https://example.com/a"),
]


class TestBookmarkURLs:
    @pytest.mark.parametrize("url,expected", URL_CASES)
    def test_normalize_url(self, url, expected):
        assert normalize_url(url) == expected

    def test_domain_is_derived_without_www(self):
        assert domain_of("https://www.postgresql.org/docs/") == "postgresql.org"
        bookmark = make_bookmark(url="https://WWW.Example.org/x?utm_source=feed#top")
        assert (bookmark.url, bookmark.domain) == ("https://www.example.org/x", "example.org")

    def test_a_duplicate_gives_a_validation_error_linking_to_the_existing_bookmark(self):
        first = make_bookmark(url="https://example.com/article", title="The article")
        duplicate = Bookmark(title="Again", url="https://EXAMPLE.com/article?utm_source=x")
        with pytest.raises(ValidationError) as error:
            duplicate.full_clean()
        message = str(error.value.message_dict["url"][0])
        assert "already bookmarked" in message
        assert f"/admin/bookmarks/bookmark/{first.pk}/change/" in message

    def test_bookmark_commentary_is_optional(self):
        bookmark = make_bookmark(body="")
        assert bookmark.body_html == ""


def test_content_models_are_the_four_kinds_in_order():
    assert [m._meta.model_name for m in content_models()] == [
        "post",
        "note",
        "learning",
        "bookmark",
    ]


def test_ago_helper_is_in_the_past():
    assert ago(minutes=1) < timezone.now()
