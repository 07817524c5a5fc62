"""`sitectl` against the site served by Django's live server: every command, its --json,
and its messages and exit status for a missing token, an unreachable site and invalid input."""

import io
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from api.models import ApiToken
from bookmarks.models import Bookmark
from learnings.models import Learning
from notes.models import Note
from posts.models import Post
from sitectl.cli import main
from tests.factories import make_note

pytestmark = pytest.mark.django_db(transaction=True)


class Run:
    """sitectl's main() in this process, against the live server."""

    def __init__(self, env: dict):
        self.env = env

    def __call__(self, *argv: str, stdin: str = "", **env: str):
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), {**self.env, **env}, out, err, io.StringIO(stdin))
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def secret(django_user_model) -> str:
    author = django_user_model.objects.create_superuser("author", "a@example.com", "pw")
    return ApiToken.issue(author, "sitectl")[1]


@pytest.fixture
def sitectl(live_server, secret, tmp_path) -> Run:
    # No config file of the machine's user is read: XDG_CONFIG_HOME points to an empty dir.
    return Run({"SITECTL_URL": live_server.url, "SITECTL_TOKEN": secret,
                "XDG_CONFIG_HOME": str(tmp_path)})  # fmt: skip


class TestBookmarkAdd:
    def test_add_then_add_again_updates(self, sitectl):
        code, out, _ = sitectl(
            "bookmark", "add", "https://example.com/a?utm_source=x", "--title", "A page",
            "--note", "Worth *reading*.", "--tags", "web, python", "--via", "https://via.example/",
        )  # fmt: skip
        assert code == 0 and out.startswith("Created bookmark ")
        assert "(draft): A page" in out and "/preview/" in out
        bookmark = Bookmark.objects.get()
        assert bookmark.url == "https://example.com/a" and bookmark.body == "Worth *reading*."
        assert bookmark.via_url == "https://via.example/"
        assert sorted(t.name for t in bookmark.tags.all()) == ["python", "web"]
        code, out, _ = sitectl("bookmark", "add", "https://example.com/a#x", "--publish")
        assert code == 0 and out.startswith(f"Updated bookmark {bookmark.pk} (published)")
        assert Bookmark.objects.get().is_published

    def test_note_from_a_file_and_json(self, sitectl, tmp_path):
        note = tmp_path / "note.md"
        note.write_text("From a file.\n\n- with a list\n")
        code, out, _ = sitectl(
            "bookmark", "add", "https://example.com/f", "--title", "F", "--note-file", str(note),
            "--json",
        )  # fmt: skip
        assert code == 0
        item = json.loads(out)
        assert (
            item["body"] == "From a file.\n\n- with a list\n"
            and item["url"] == "https://example.com/f"
        )

    def test_title_fetched_by_the_server(self, sitectl, page_server):
        code, out, err = sitectl("bookmark", "add", f"{page_server.url}/og")
        assert code == 0 and "The Open Graph title" in out and err == ""

    def test_failed_fetch_is_a_note_not_a_failure(self, sitectl, page_server):
        code, out, err = sitectl("bookmark", "add", f"{page_server.url}/missing", "--note", "x")
        assert code == 0 and page_server.url.removeprefix("http://") + "/missing" in out
        assert "title could not be fetched: the page answered 404" in err

    def test_invalid_url_names_the_field(self, sitectl):
        code, out, err = sitectl("bookmark", "add", "not-a-url", "--title", "x")
        assert code == 1 and out == ""
        assert err.startswith("sitectl: 422 url: Enter a valid URL.")
        code, out, err = sitectl("bookmark", "add", "not-a-url", "--title", "x", "--json")
        assert code == 1 and json.loads(out)["error"]["errors"][0]["field"] == "url"

    def test_unreadable_note_file_is_usage(self, sitectl, tmp_path):
        code, _, err = sitectl("bookmark", "add", "https://e.com/", "--note-file", "/nope.md")
        assert code == 2 and "cannot read /nope.md" in err


class TestLearningAdd:
    def test_with_sources_tags_and_publish(self, sitectl):
        code, out, _ = sitectl(
            "learning", "add", "--question", "Why is 0.1 + 0.2 != 0.3?",
            "--answer", "Binary fractions: $0.1$ has no exact form.",
            "--source", "https://docs.python.org/3/tutorial/floatingpoint.html",
            "--source", "https://0.30000000000000004.com/", "--tags", "python", "--publish",
        )  # fmt: skip
        assert code == 0 and "Created learning" in out and "(published)" in out
        learning = Learning.objects.get()
        assert learning.is_published and len(learning.sources) == 2
        assert "<math" in learning.body_html

    def test_answer_from_stdin_json(self, sitectl):
        code, out, _ = sitectl("learning", "add", "--question", "Q?", "--answer-file", "-",
                               "--json", stdin="The answer.\n")  # fmt: skip
        assert code == 0 and json.loads(out)["body"] == "The answer.\n"
        assert Learning.objects.get().status == "draft"

    def test_an_answer_is_required(self, sitectl):
        code, _, err = sitectl("learning", "add", "--question", "Q?")
        assert code == 2 and "one of the arguments --answer --answer-file is required" in err

    def test_a_bad_source_names_the_field(self, sitectl):
        code, _, err = sitectl("learning", "add", "--question", "Q", "--answer", "A",
                               "--source", "ftp://x.org/")  # fmt: skip
        assert code == 1 and "sources" in err and not Learning.objects.exists()


class TestPush:
    def test_create_then_update_by_slug(self, sitectl, tmp_path):
        post = tmp_path / "posts" / "2026-01-31-hello-world.md"
        post.parent.mkdir()
        post.write_text("---\ntitle: Hello, world\ntags: [python]\nsummary: Hi.\n---\n\nFirst.\n")
        note = tmp_path / "my-note.md"
        note.write_text("---\nkind: note\ntitle: A note\nstatus: draft\n---\nText.\n")
        code, out, _ = sitectl("push", str(post), str(note))
        assert code == 0, out
        assert f"created posts hello-world from {post} (kind by folder posts/)" in out
        assert f"created notes my-note from {note} (kind by kind: note)" in out
        created = Post.objects.get(slug="hello-world")
        assert created.body == "First.\n" and created.summary == "Hi." and created.is_published
        assert created.published_at.date().isoformat() == "2026-01-31"
        post.write_text(post.read_text().replace("First.", "Edited."))
        code, out, _ = sitectl("push", str(post), str(note), "--json")
        results = json.loads(out)
        assert [r["action"] for r in results] == ["updated", "unchanged"]
        assert Post.objects.get().body == "Edited.\n" and Post.objects.count() == 1

    def test_a_bad_file_is_reported_and_the_rest_pushed(self, sitectl, tmp_path):
        good = tmp_path / "notes" / "good.md"
        good.parent.mkdir()
        good.write_text("---\ntitle: Good\n---\nBody.\n")
        broken = tmp_path / "notes" / "broken.md"
        broken.write_text("---\ntitle: [unclosed\n---\nBody.\n")
        untitled = tmp_path / "notes" / "untitled.md"
        untitled.write_text("---\nkind: note\n---\nNo title.\n")
        code, out, err = sitectl("push", str(broken), str(untitled), "/missing.md", str(good))
        assert code == 1
        assert f"{broken}: 422 text: the YAML front matter is invalid" in err
        assert f"{untitled}: 422 text: title: This field cannot be blank." in err
        assert "/missing.md: cannot read" in err
        assert "created notes good" in out and Note.objects.get().title == "Good"


class TestList:
    def test_list_and_drafts(self, sitectl):
        make_note(title="Published one")
        make_note(title="A draft", status="draft")
        code, out, _ = sitectl("list", "notes")
        assert code == 0 and "Published one" in out and "A draft" in out
        assert "page 1 of 1 (2 in all)" in out
        code, out, _ = sitectl("list", "note", "--drafts")
        assert "A draft" in out and "Published one" not in out
        code, out, _ = sitectl("list", "posts")
        assert out == "No posts.\n"
        code, out, _ = sitectl("--json", "list", "notes", "--limit", "1")
        page = json.loads(out)
        assert page["count"] == 2 and len(page["items"]) == 1 and page["next"]

    def test_unknown_kind_and_bad_limit(self, sitectl):
        assert sitectl("list", "pages")[0] == 2
        code, _, err = sitectl("list", "notes", "--limit", "500")
        assert code == 1 and "page_size" in err


class TestConfiguration:
    def test_missing_token(self, live_server, tmp_path):
        run = Run({"SITECTL_URL": live_server.url, "XDG_CONFIG_HOME": str(tmp_path)})
        code, out, err = run("list", "notes")
        assert code == 2 and out == ""
        assert "no API token: set SITECTL_TOKEN" in err and "api_token create" in err

    def test_missing_url(self, tmp_path):
        code, _, err = Run({"XDG_CONFIG_HOME": str(tmp_path)})("list", "notes")
        assert code == 2 and "no site URL" in err

    def test_config_file(self, live_server, secret, tmp_path):
        config = tmp_path / "sitectl" / "config.toml"
        config.parent.mkdir()
        config.write_text(f'url = "{live_server.url}"\ntoken = "{secret}"\n')
        code, out, _ = Run({"XDG_CONFIG_HOME": str(tmp_path)})("list", "notes")
        assert code == 0 and out == "No notes.\n"

    def test_broken_config_file(self, tmp_path):
        config = tmp_path / "config.toml"
        config.write_text("url = \n")
        code, _, err = Run({"SITECTL_CONFIG": str(config)})("list", "notes")
        assert code == 2 and f"cannot read the config file {config}" in err

    def test_wrong_token(self, sitectl):
        code, _, err = sitectl("list", "notes", SITECTL_TOKEN="st_wrong")
        assert code == 1 and "401 The token is not valid" in err

    def test_unreachable_site(self, sitectl):
        with socket.socket() as sock:  # a port nobody listens on
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        code, out, err = sitectl("list", "notes", SITECTL_URL=f"http://127.0.0.1:{port}")
        assert code == 1 and out == ""
        assert f"cannot reach http://127.0.0.1:{port}: " in err

    def test_not_this_site(self, sitectl, live_server):
        code, _, err = sitectl("list", "notes", SITECTL_URL=f"{live_server.url}/feeds")
        assert code == 1 and "404" in err


def test_the_console_script_is_installed_by_uv_sync(live_server, secret, tmp_path):
    script = shutil.which("sitectl", path=str(Path(sys.executable).parent))
    assert script, "uv sync installs the sitectl console script"
    env = {**os.environ, "SITECTL_URL": live_server.url, "SITECTL_TOKEN": secret,
           "XDG_CONFIG_HOME": str(tmp_path)}  # fmt: skip
    done = subprocess.run(
        [script, "bookmark", "add", "https://example.com/cli", "--title", "From a shell",
         "--json"], env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "From a shell"
    usage = subprocess.run([script, "bookmark"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "usage: sitectl bookmark" in usage.stderr
