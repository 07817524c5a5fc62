"""The editor's forms laid out for writing, and change lists that say what state items are in."""

import datetime

import lxml.html
import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookmarks.models import Bookmark
from content.backfill import count_words
from content.markdown import render
from content.models import Status, content_models
from learnings.models import Learning
from notes.models import Note
from posts.models import Post
from tests.factories import MAKERS, make_bookmark, make_post

pytestmark = pytest.mark.django_db

FIELDS = ["input", "textarea", "select"]


def admin_url(model, action, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def tree_of(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def form_layout(tree) -> list[tuple[str, list[str]]]:
    """(legend, the names of the fields in its rows) for each fieldset of the change form."""
    layout = []
    for fieldset in tree.cssselect("#content-main form fieldset.module"):
        legend = fieldset.cssselect("h2")
        rows = [row.get("class").split("field-")[-1] for row in fieldset.cssselect(".form-row")]
        layout.append((legend[0].text_content().strip() if legend else "", rows))
    return layout


WRITING = ["title", "body", "tag_names"]
EXPECTED = {
    Post: [
        ("", WRITING),
        ("Details", ["summary", "excerpt"]),
        ("Publishing", ["status", "published_at", "slug", "private_preview"]),
        ("Record", ["word_count", "reading_time", "created_at", "updated_at"]),
    ],
    Note: [
        ("", WRITING),
        ("Details", ["excerpt"]),
        ("Publishing", ["status", "published_at", "slug", "private_preview"]),
        ("Record", ["word_count", "reading_time", "created_at", "updated_at"]),
    ],
    Learning: [
        ("", WRITING),
        ("Details", ["sources", "excerpt"]),
        ("Publishing", ["status", "published_at", "slug", "private_preview"]),
        ("Record", ["word_count", "created_at", "updated_at"]),
    ],
    Bookmark: [
        ("", ["url", *WRITING]),
        ("Details", ["via_url", "excerpt"]),
        ("Publishing", ["status", "published_at", "slug", "private_preview"]),
        ("Record", ["word_count", "created_at", "updated_at"]),
    ],
}


@pytest.mark.parametrize("model", content_models(), ids=lambda m: m._meta.model_name)
def test_the_form_reads_as_it_is_written(staff_client, model):
    """Title, body, tags; the kind's details; publishing; the record. Nothing that does not
    apply to the kind (reading time is shown to readers of posts and notes only)."""
    item = MAKERS[model._meta.model_name]()
    for url in (admin_url(model, "add"), admin_url(model, "change", item.pk)):
        assert form_layout(tree_of(staff_client.get(url))) == EXPECTED[model]


def test_the_bookmark_form_starts_with_the_url(staff_client):
    tree = tree_of(staff_client.get(admin_url(Bookmark, "add")))
    fields = [
        field
        for field in tree.cssselect(
            "#bookmark_form fieldset " + ", #bookmark_form fieldset ".join(FIELDS)
        )
        if field.get("type") != "hidden"
    ]
    assert fields[0].get("name") == "url"
    assert tree.cssselect("label[for=id_url]")[0].text == "URL:"
    assert tree.cssselect("label[for=id_title]")[0].text == "Link title:"


def test_a_learning_is_a_question_and_its_answer(staff_client):
    tree = tree_of(staff_client.get(admin_url(Learning, "add")))
    assert tree.cssselect("label[for=id_title]")[0].text == "Question:"
    assert tree.cssselect("label[for=id_body]")[0].text == "Answer:"


def test_the_change_form_carries_the_editor_script_and_no_inline_code(staff_client):
    post = make_post()
    html = staff_client.get(admin_url(Post, "change", post.pk)).content.decode()
    assert '<script src="/static/js/editor.js">' in html
    tree = lxml.html.fromstring(html)
    assert not [s for s in tree.cssselect("script") if (s.text or "").strip()]
    assert not tree.cssselect("[style]")


class TestChangeList:
    def test_status_publication_tags_and_words(self, staff_client):
        make_post(title="Live", tags=["python", "sql"], body="one two three")
        make_post(title="Draft", status=Status.DRAFT)
        make_post(title="Later", published_at=timezone.now() + datetime.timedelta(days=2))
        tree = tree_of(staff_client.get(admin_url(Post, "changelist")))
        headers = [th.text_content().strip() for th in tree.cssselect("#result_list thead th")]
        assert headers[1:] == ["Title", "Status", "Publication", "Tags", "Words"]
        rows = {
            row.cssselect(".field-title a")[0].text: row
            for row in tree.cssselect("#result_list tbody tr")
        }
        live, later = rows["Live"], rows["Later"]
        assert live.cssselect(".field-state .badge")[0].text == "Published"
        assert rows["Draft"].cssselect(".field-state .badge")[0].text == "Draft"
        assert live.cssselect(".field-tag_list")[0].text == "python, sql"
        assert live.cssselect(".field-words")[0].text == "3"
        assert not live.cssselect(".badge-scheduled")
        assert later.cssselect(".field-publication .badge-scheduled")[0].text == "scheduled"

    def test_bookmarks_show_their_domain_and_no_reading_time(self, staff_client):
        make_bookmark(url="https://www.example.org/x", body="Worth it.")
        tree = tree_of(staff_client.get(admin_url(Bookmark, "changelist")))
        headers = [th.text_content().strip() for th in tree.cssselect("#result_list thead th")]
        assert headers[1:] == ["Title", "Domain", "Status", "Publication", "Tags", "Words"]
        assert tree.cssselect(".field-domain")[0].text == "example.org"

    @pytest.mark.parametrize(
        ("query", "titles"),
        [
            ({"state": "draft"}, {"Draft"}),
            ({"state": "scheduled"}, {"Later"}),
            ({"state": "published"}, {"Live 2025", "Live 2026"}),
            ({"year": "2025"}, {"Live 2025"}),
            ({"tags__id__exact": "TAG"}, {"Live 2025"}),
            ({"tags__isnull": "True"}, {"Draft", "Later", "Live 2026"}),
            ({}, {"Draft", "Later", "Live 2025", "Live 2026"}),
        ],
    )
    def test_filters_by_status_tag_and_year(self, staff_client, time_machine, query, titles):
        time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
        old = make_post(
            title="Live 2025",
            published_at=timezone.now() - datetime.timedelta(days=365),
            tags=["go"],
        )
        make_post(title="Live 2026")
        make_post(title="Draft", status=Status.DRAFT)
        make_post(title="Later", published_at=timezone.now() + datetime.timedelta(days=2))
        query = {k: (old.tags.get().pk if v == "TAG" else v) for k, v in query.items()}
        tree = tree_of(staff_client.get(admin_url(Post, "changelist"), query))
        assert {a.text for a in tree.cssselect("#result_list .field-title a")} == titles
        filters = tree.cssselect("#changelist-filter")[0].text_content()
        for choice in ("Draft", "Scheduled", "Published", "go", "No tags", "2025", "2026"):
            assert choice in filters

    @pytest.mark.parametrize("year", ["abc", "0", "99999", "-1"])
    def test_a_bad_year_is_not_an_error(self, staff_client, year):
        make_post()
        response = staff_client.get(admin_url(Post, "changelist"), {"year": year})
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")

    def test_the_query_count_does_not_grow_with_the_rows(self, staff_client):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert staff_client.get(admin_url(Post, "changelist")).status_code == 200
            return len(captured)

        make_post(tags=["a"])
        few = queries()
        for n in range(30):
            make_post(tags=[f"t{n}", "a"])
        assert queries() == few


class TestWordCount:
    def test_stored_on_save(self):
        post = make_post(body="One *two* three.\n\n```python\nfour = 5\n```\n")
        assert post.word_count == render(post.body).word_count > 0
        post.body = "Just two."
        post.save()
        post.refresh_from_db()
        assert post.word_count == 2

    def test_the_migration_counts_the_words_of_existing_rows(self, capsys):
        posts = [make_post(body=f"word {'more ' * n}") for n in range(3)]
        updated = Post.objects.values_list("updated_at", flat=True).order_by("pk")
        before = list(updated)
        Post.objects.update(word_count=0)
        count_words("posts", "post").code(django_apps, None)
        assert [p.word_count for p in Post.objects.order_by("pk")] == [
            render(p.body).word_count for p in posts
        ]
        assert list(updated) == before  # counting words is not an edit
