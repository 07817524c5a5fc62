"""Management commands: the admin bootstrap, the demo content, generated content."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bookmarks.models import Bookmark
from content.management.commands import ensure_admin
from content.models import Tag, content_models
from learnings.models import Learning
from notes.models import Note
from posts.models import Post

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


class TestEnsureAdmin:
    def test_creates_once_and_prints_the_login_again(self, tmp_path, monkeypatch):
        monkeypatch.setattr(ensure_admin, "LOGIN_FILE", tmp_path / "admin-login.txt")
        first = run("ensure_admin")
        assert "Created the admin user" in first
        password = (tmp_path / "admin-login.txt").read_text().split()[1]
        assert password in first
        second = run("ensure_admin")
        assert "Created" not in second and password in second
        user = get_user_model().objects.get(username="admin")
        assert user.is_superuser and user.check_password(password)


class TestSeedDemo:
    def test_loads_everything_and_is_idempotent(self):
        run("seed_demo")
        counts = [model.objects.count() for model in content_models()]
        tags = Tag.objects.count()
        assert Post.objects.count() >= 5 and Note.objects.count() >= 8
        assert Learning.objects.count() >= 30 and Bookmark.objects.count() >= 40
        assert tags >= 18
        run("seed_demo")
        assert [model.objects.count() for model in content_models()] == counts
        assert Tag.objects.count() == tags

    def test_if_empty_skips_when_content_exists(self):
        Note.objects.create(title="Mine", body="x")
        assert "not loaded" in run("seed_demo", "--if-empty")
        assert Note.objects.count() == 1

    def test_demo_learnings_span_days_and_bookmarks_span_weeks(self):
        run("seed_demo")
        days = {item.published_day for item in Learning.objects.published()}
        weeks = {item.published_week for item in Bookmark.objects.published()}
        assert len(days) >= 10
        assert len(weeks) >= 4
        assert all(item.body_html for item in Post.objects.all())


class TestGenerateContent:
    def test_creates_the_requested_counts_with_rendered_bodies_and_tags(self):
        out = run("generate_content", "--posts", "3", "--notes", "4", "--learnings", "5",
                  "--bookmarks", "6", "--seed", "3", "--tags", "20")  # fmt: skip
        assert "Created 18 items" in out
        assert [m.objects.published().count() for m in content_models()] == [3, 4, 5, 6]
        post = Post.objects.first()
        assert 'class="codeblock"' in post.body_html
        assert post.reading_time >= 5
        assert all(item.tags.exists() for item in Bookmark.objects.all())
        assert Tag.objects.count() == 20

    def test_the_same_seed_gives_the_same_content_and_can_run_twice(self):
        run("generate_content", "--notes", "2", "--seed", "9")
        run("generate_content", "--notes", "2", "--seed", "9")
        assert Note.objects.count() == 4
        assert len({note.slug for note in Note.objects.all()}) == 4

    def test_rejects_negative_counts(self):
        with pytest.raises(SystemExit):
            run("generate_content", "--posts", "-1")
