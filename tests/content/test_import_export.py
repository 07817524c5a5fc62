"""import_markdown on Jekyll and Hugo fixtures (kinds, dates, drafts, tags, redirects,
--split-links, --dry-run, re-runs, unreadable files) and the export round trip."""

import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command
from django.utils import timezone

from bookmarks.models import Bookmark
from content.files.links import format_item, parse_links
from content.models import Status, Tag, content_models
from learnings.models import Learning
from notes.models import Note
from posts.models import Post
from tests.factories import make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"


def run(command: str, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


class TestJekyll:
    def test_posts_drafts_collections_and_which_rule(self):
        out, err = run("import_markdown", DATA / "jekyll")
        post = Post.objects.get(slug="why-postgres")
        assert post.title == "Why PostgreSQL?" and post.is_published
        assert post.published_at == utc(2019, 3, 4, 8, 15)  # "+0100" honoured
        assert post.summary == "Reasons, in order."  # description -> summary
        tags = sorted(t.name for t in post.tags.all())
        assert tags == ["databases", "engineering", "postgresql"]
        assert post.body.startswith("PostgreSQL does **transactions**") and "<pre" in post.body_html
        line = "created: post why-postgres from _posts/2019-03-04-why-postgres.md"
        assert f"{line} (kind by layout: post)" in out
        unpublished = Post.objects.get(slug="unpublished")
        assert unpublished.status == Status.DRAFT and unpublished.summary == "Still thinking."
        assert Post.objects.get(slug="a-draft-idea").status == Status.DRAFT  # _drafts/
        learning = Learning.objects.get(slug="tuple-compare")  # _til/ -> learnings
        assert "(kind by folder til/)" in out
        assert timezone.localdate(learning.published_at) == datetime.date(2021, 2, 2)
        assert not Post.objects.filter(title="About me").exists()  # a page, not a post
        assert "kinds chosen by" in out and "files" in err  # the progress bar

    def test_permalink_keeps_working(self, client):
        run("import_markdown", DATA / "jekyll")
        redirect = Redirect.objects.get(old_path="/blog/2019/why-postgres.html")
        assert redirect.new_path == "/posts/why-postgres/"
        response = client.get("/blog/2019/why-postgres.html")
        assert response.status_code == 301 and response["Location"] == "/posts/why-postgres/"

    def test_rerunning_updates_instead_of_duplicating(self, tmp_path):
        site = shutil.copytree(DATA / "jekyll", tmp_path / "site")
        run("import_markdown", site)
        counts = [model.objects.count() for model in content_models()]
        out, _ = run("import_markdown", site)
        assert "unchanged: post why-postgres" in out and "created" not in out
        source = site / "_posts" / "2019-03-04-why-postgres.md"
        source.write_text(source.read_text().replace("properly", "very well"))
        out, _ = run("import_markdown", site)
        assert "updated: post why-postgres" in out
        assert [model.objects.count() for model in content_models()] == counts
        assert "very well" in Post.objects.get(slug="why-postgres").body

    def test_dry_run_changes_nothing(self):
        out, _ = run("import_markdown", DATA / "jekyll", "--dry-run")
        assert "would be created: post why-postgres" in out and out.count("would be created") == 5
        assert out.splitlines()[-1].startswith("Dry run, nothing saved: 5 files read as jekyll")
        assert not any(model.objects.exists() for model in content_models())
        assert not Tag.objects.exists()

    def test_split_links_makes_one_bookmark_per_item(self):
        out, _ = run("import_markdown", DATA / "jekyll", "--split-links")
        assert not Post.objects.filter(slug="weekly-notes-48").exists()
        bookmarks = {b.url: b for b in Bookmark.objects.all()}
        assert set(bookmarks) == {
            "https://example.com/indexes",
            "https://example.org/a_(b)",
            "https://example.net/plain",
        }
        first = bookmarks["https://example.com/indexes"]
        assert first.title == "Postgres indexes explained"
        assert first.body == "A clear tour.\nWorth reading twice.\n* B-trees first\n* then GIN"
        assert "<li>B-trees first</li>" in first.body_html
        assert bookmarks["https://example.org/a_(b)"].title == "The [bracketed] title"
        assert bookmarks["https://example.net/plain"].body == ""
        posted = datetime.datetime(2020, 11, 23, 18, tzinfo=datetime.UTC)
        assert all(b.published_at == posted and b.is_published for b in bookmarks.values())
        assert "3 bookmarks split from link lists" in out
        assert "text outside the list was not imported (lines 1)" in out
        run("import_markdown", DATA / "jekyll", "--split-links")
        assert Bookmark.objects.count() == 3  # found again by URL

    def test_kind_option_wins(self):
        out, _ = run("import_markdown", DATA / "jekyll", "--kind", "note")
        assert Note.objects.count() == 5 and not Post.objects.exists()
        assert "(kind by --kind)" in out

    def test_an_unreadable_file_is_named_and_the_rest_imported(self, tmp_path):
        site = shutil.copytree(DATA / "jekyll", tmp_path / "site")
        (site / "_posts" / "2020-01-01-binary.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe")
        (site / "_posts" / "2020-01-02-broken.md").write_text("---\ntitle: [oops\n---\nx")
        (site / "_posts" / "2020-01-03-bad-date.md").write_text("---\ndate: soon\n---\nx")
        with pytest.raises(CommandError) as raised:
            run("import_markdown", site)
        message = str(raised.value)
        assert "3 file(s) not imported" in message
        assert "_posts/2020-01-01-binary.md: cannot read" in message
        assert "_posts/2020-01-02-broken.md: the YAML front matter is invalid" in message
        assert "_posts/2020-01-03-bad-date.md: date: 'soon' is not a date" in message
        assert Post.objects.filter(slug="why-postgres").exists()

    def test_not_a_folder_and_unknown_kind(self, tmp_path):
        with pytest.raises(CommandError, match="is not a folder"):
            run("import_markdown", tmp_path / "missing")
        with pytest.raises(CommandError, match="not a kind of this site"):
            run("import_markdown", tmp_path, "--kind", "videos")


class TestHugo:
    def test_sections_toml_bundles_and_aliases(self):
        out, _ = run("import_markdown", DATA / "hugo")
        assert "files read as hugo" in out
        post = Post.objects.get(slug="toml-front-matter")
        assert post.published_at == utc(2022, 6, 1, 8, 30) and post.summary == "Written in TOML."
        assert sorted(t.name for t in post.tags.all()) == ["hugo", "toml"]
        assert Redirect.objects.get(old_path="/old/toml/").new_path == "/posts/toml-front-matter/"
        bundle = Post.objects.get(slug="bundle-post")
        assert bundle.status == Status.DRAFT and bundle.body == "Bundled.\n"
        note = Note.objects.get(slug="a-note")
        assert note.excerpt == "The note's description."
        assert note.updated_at == utc(2022, 8, 2, 8)  # lastmod
        assert "(kind by folder notes/)" in out
        bookmark = Bookmark.objects.get()
        assert bookmark.url == "https://go.dev/blog/" and "(kind by type: bookmark)" in out
        assert not Post.objects.filter(title__in=["Home", "Posts"]).exists()  # _index.md


class TestLinks:
    @pytest.mark.parametrize(
        ("title", "url", "commentary"),
        [
            ("Plain", "https://e.com/", ""),
            ("With [brackets]", "https://e.com/a_(b)", "One line."),
            ("Spaces", "https://e.com/a b", "Para one.\n\nPara two.\n\n- a\n  - b"),
            ("Block first", "https://e.com/", "- starts with a list\n- two"),
            ("Code", "https://e.com/", "See:\n\n```python\nprint(1)\n```"),
        ],
    )
    def test_format_then_parse_gives_back_the_item(self, title, url, commentary):
        body = (
            "Intro.\n\n"
            + format_item(title, url, commentary)
            + "\n"
            + format_item("B", "https://b.org/")
        )
        parsed = parse_links(body)
        assert [(i.title, i.url, i.commentary) for i in parsed.items] == [
            (title, url, commentary),
            ("B", "https://b.org/", ""),
        ]
        assert parsed.other_lines == [1] and parsed.other_items == []

    def test_other_list_items_are_reported(self):
        parsed = parse_links("* [a](https://a.org/): x\n* just text\n1. [n](https://n.org/) — y")
        assert [i.commentary for i in parsed.items] == ["x", "y"] and parsed.other_items == [2]


def export_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


class TestExport:
    def test_every_field_and_the_body_verbatim(self, tmp_path):
        post = make_post(title='A "quoted": title', body="Body\r\nwith CRLF\n\n", tags=["Py"])
        draft = make_note(status=Status.DRAFT, published_at=None, excerpt="Typed excerpt.")
        make_learning(sources=["https://a.org/", "https://b.org/"])
        make_bookmark(url="https://example.com/x", via_url="https://via.org/")
        out, _ = run("export_markdown", tmp_path)
        assert "Exported 4 items" in out
        day = timezone.localdate(post.published_at)
        text = (tmp_path / f"posts/{day:%Y-%m-%d}-{post.slug}.md").read_bytes().decode()
        assert text.startswith("---\ntitle: 'A \"quoted\": title'\nslug: ")
        assert "\nkind: post\nstatus: published\n" in text and "\ntags:\n- Py\n" in text
        assert f"\ndate: '{timezone.localtime(post.published_at).isoformat()}'\n" in text
        assert "\nsummary: A summary for the list.\n" in text
        assert text.endswith("---\n\nBody\r\nwith CRLF\n\n")
        created = timezone.localdate(draft.created_at)
        draft_text = (tmp_path / f"notes/{created:%Y-%m-%d}-{draft.slug}.md").read_text()
        assert (
            "\nstatus: draft\ndate: null\n" in draft_text
            and "excerpt: Typed excerpt." in draft_text
        )
        learning = next((tmp_path / "learnings").iterdir()).read_text()
        assert "sources:\n- https://a.org/\n- https://b.org/\n" in learning
        bookmark = next((tmp_path / "bookmarks").iterdir()).read_text()
        assert "url: https://example.com/x\nvia_url: https://via.org/\n" in bookmark

    def test_round_trip_is_byte_identical(self, tmp_path, settings, django_db_blocker):
        media = Path(settings.MEDIA_ROOT) / "uploads"
        media.mkdir(parents=True)
        (media / "chart.png").write_bytes(b"\x89PNG fake bytes")
        make_post(body="![A chart](/media/uploads/chart.png)\n\nText.", tags=["Maths", "python"])
        make_post(title="Draft", status=Status.DRAFT, published_at=None)
        make_note(title="Ünïcode — and “quotes”", body="Résumé\n", tags=["python"])
        make_learning(title="What is $e^{i\\pi}$?", status=Status.DRAFT, sources=[])
        make_bookmark(title="Saved for later", status=Status.DRAFT, body="")
        make_bookmark(url="https://example.com/?q=1&utm_source=x", title="Linked")
        Tag.objects.filter(name="Maths").update(description="Numbers, mostly.")
        first, second = tmp_path / "first", tmp_path / "second"
        run("export_markdown", first)
        assert (first / "media/uploads/chart.png").read_bytes() == b"\x89PNG fake bytes"

        for model in content_models():
            model.objects.all().delete()
        Tag.objects.all().delete()
        shutil.rmtree(media)
        out, _ = run("import_markdown", first)
        assert "6 created" in out and "1 media files copied" in out
        assert (media / "chart.png").exists()
        run("export_markdown", second)
        assert export_bytes(second) == export_bytes(first)
        assert len(export_bytes(first)) == 8  # 6 items, the image, tags.yml
