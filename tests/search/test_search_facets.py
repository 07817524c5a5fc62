"""Search results pages: filters and facets, snippets, suggestions, the admin search."""

import re

import pytest
from django.urls import reverse

from bookmarks.models import Bookmark
from content.models import Status, content_models
from learnings.models import Learning
from notes.models import Note
from posts.models import Post
from search.index import refresh_search_words
from search.results import Search
from tests.factories import ago, make_bookmark, make_learning, make_note, make_post
from tests.search.conftest import SEARCH, at, facets, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread():
    """Items over three years, four kinds and two tags, plus noise that must never count."""
    items = [
        make_post(title="Python caching", published_at=at(2023), tags=["python"]),
        make_note(title="Caching notes", published_at=at(2024), tags=["python", "web"]),
        make_note(title="More caching", published_at=at(2024, 2), tags=["web"]),
        make_learning(title="Caching?", published_at=at(2025), tags=["python"]),
        make_bookmark(title="Caching article", published_at=at(2025)),
        make_note(title="Unrelated", published_at=at(2024), tags=["python"]),
        # Never seen: a draft and a scheduled item that match everything.
        make_note(title="Caching draft", status=Status.DRAFT, tags=["python", "web"]),
        make_post(title="Caching later", published_at=ago(days=-3), tags=["python"]),
    ]
    return items


class TestFiltersAndFacets:
    def test_every_facet_count_is_what_its_link_finds(self, client, spread):
        for params in (
            {"q": "caching"},
            {"q": "caching", "tag": "python"},
            {"q": "caching or web"},
        ):
            values = [f for group in facets(client.get(SEARCH, params)).values() for f in group]
            linked = [f for f in values if not f["selected"] and f["count"]]
            assert len(linked) >= 3
            for facet in linked:
                response = client.get(facet["url"])
                assert response.status_code == 200
                assert response.context["page_obj"].paginator.count == facet["count"], facet

    def test_facet_counts(self, client, spread):
        groups = facets(client.get(SEARCH, {"q": "caching"}))
        assert [(f["label"], f["count"]) for f in groups["Kind"]] == [
            ("Posts", 1),
            ("Notes", 2),
            ("Learnings", 1),
            ("Bookmarks", 1),
        ]
        assert [(f["label"], f["count"]) for f in groups["Year"]] == [
            (2025, 2),
            (2024, 2),
            (2023, 1),
        ]
        assert [(f["label"], f["count"]) for f in groups["Tag"]] == [("python", 3), ("web", 2)]

    def test_a_chosen_filter_shows_alone_with_a_link_that_removes_it(self, client, spread):
        response = client.get(SEARCH, {"q": "caching", "tag": "python", "kind": "note"})
        groups = facets(response)
        assert groups["Tag"] == [{"label": "python", "count": 1, "url": "", "selected": True}]
        assert [f["label"] for f in groups["Kind"]] == ["Notes"]
        html = response.content.decode()
        assert '<a href="/search/?q=caching&amp;kind=notes">Any tag</a>' in html
        assert '<a href="/search/?q=caching&amp;tag=python">All kinds</a>' in html

    def test_each_result_shows_its_kind_title_date_and_tags(self, client, spread):
        html = client.get(SEARCH, {"q": "caching", "kind": "note", "year": "2024"}).content.decode()
        card = html[html.index('<article class="card">') : html.index("</article>")]
        assert '<p class="kind">note</p>' in card
        assert '<h2><a href="/notes/caching-notes/">Caching notes</a></h2>' in card
        assert '<time datetime="2024-06-15T12:00:00+01:00">June 15, 2024</time>' in card
        assert '#python</a></li><li><a href="/tags/web/" rel="tag">#web</a>' in card

    def test_filters_combine(self, client, spread):
        def search(**params):
            return sorted(titles(client.get(SEARCH, {"q": "caching", **params})))

        assert search(kind="note") == ["Caching notes", "More caching"]
        assert search(kind="note", tag="python") == ["Caching notes"]
        assert search(year="2025") == ["Caching article", "Caching?"]
        assert search(year="2025", tag="python", kind="learning") == ["Caching?"]
        assert search(year="2023", kind="note") == []

    def test_drafts_and_scheduled_items_never_appear_or_count(self, client, spread):
        response = client.get(SEARCH, {"q": "caching"})
        html = response.content.decode()
        assert response.context["page_obj"].paginator.count == 5
        assert "Caching draft" not in html and "Caching later" not in html
        assert sum(f["count"] for f in facets(response)["Kind"]) == 5
        assert sum(f["count"] for f in facets(response)["Year"]) == 5
        assert Search("draft").results().hits == []
        assert Search("later").results().counts == {
            "posts": 0,
            "notes": 0,
            "learnings": 0,
            "bookmarks": 0,
        }

    def test_a_filtered_page_keeps_its_filters_in_the_pager(self, client):
        for n in range(21):
            make_note(title=f"Queue {n}", body="x", published_at=at(2024))
        html = client.get(SEARCH, {"q": "queue", "year": "2024"}).content.decode()
        assert "?q=queue&amp;year=2024&amp;page=2" in html
        page_2 = client.get(SEARCH, {"q": "queue", "year": "2024", "page": "2"})
        assert len(page_2.context["page_obj"].object_list) == 1


class TestSnippets:
    def test_markup_in_a_body_is_escaped_and_only_mark_survives(self, client):
        make_note(
            title="Hostile",
            body="<img src=x onerror=alert(1)> caching <script>alert(1)</script> <mark>fake</mark>",
        )
        html = client.get(SEARCH, {"q": "caching"}).content.decode()
        snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
        assert "&lt;img src=x onerror=alert(1)&gt;" in snippet
        assert "<mark>caching</mark>" in snippet
        assert re.sub(r"</?mark>", "", snippet).count("<") == 0
        assert "<script" not in html.split("<main", 1)[1]

    def test_snippets_highlight_the_matching_words(self, client):
        make_post(title="Stemming", summary="s", body="Intro.\n\nThe planner caches plans.")
        html = client.get(SEARCH, {"q": "caching"}).content.decode()
        assert "The planner <mark>caches</mark> plans." in html


class TestSuggestions:
    @pytest.fixture(autouse=True)
    def vocabulary(self):
        make_post(title="Understanding asyncio", summary="s", body="Event loops.")
        make_note(title="Python packaging", body="Wheels.")
        make_note(title="Postgres indexes", body="B-trees.")
        make_learning(title="What is a GIN?", body="An index.", tags=["full-text search"])

    @pytest.mark.parametrize(
        ("typo", "fixed"),
        [
            ("asycnio", "asyncio"),
            ("postgrse", "postgres"),
            ("postgrse indexes", "postgres indexes"),
        ],
    )
    def test_a_misspelt_word_gets_the_right_suggestion(self, client, typo, fixed):
        response = client.get(SEARCH, {"q": typo})
        assert response.context["suggestion"] == fixed
        link = reverse("search") + "?q=" + fixed.replace(" ", "+")
        assert f'Did you mean <a href="{link}">{fixed}</a>?' in response.content.decode()

    def test_tag_words_are_suggested(self):
        assert Search("serch").suggestion(0) == "search"

    def test_no_suggestion_when_enough_is_found(self, client):
        for n in range(3):
            make_note(title=f"asyncio {n}", body="x")
        assert client.get(SEARCH, {"q": "asyncio"}).context["suggestion"] is None

    def test_words_of_unpublished_items_are_never_suggested(self):
        make_note(title="Zeppelins", body="x", status=Status.DRAFT)
        make_note(title="Zeppelin", body="x", published_at=ago(days=-1))
        refresh_search_words()
        assert Search("zepelins").suggestion(0) is None
        assert Search("asycnio").suggestion(0) == "asyncio"


class TestAdminSearch:
    @pytest.mark.parametrize("model", content_models(), ids=lambda m: m._meta.model_name)
    def test_the_changelist_searches_the_index(self, staff_client, model):
        makers = {
            Post: make_post,
            Note: make_note,
            Learning: make_learning,
            Bookmark: make_bookmark,
        }
        make = makers[model]
        make(title="Write-ahead logging", body="Durability.", status=Status.DRAFT)
        make(title="Something else", body="Entirely.")
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = staff_client.get(url, {"q": "logs -replication"})
        assert [i.title for i in response.context["cl"].result_list] == ["Write-ahead logging"]
        assert staff_client.get(url, {"q": "durable"}).context["cl"].result_count == 1
        assert staff_client.get(url, {"q": "   "}).context["cl"].result_count == 2
        assert staff_client.get(url, {"q": "!!\x00"}).status_code == 200


def snippet_of(client, query: str) -> str:
    html = client.get("/search/", {"q": query}).content.decode()
    return html.split('class="snippet">', 1)[1].split("</p>", 1)[0]


def test_snippets_leave_markdown_punctuation_out(client, db):
    make_post(title="Query plans", body="Intro.\n\n```sql\nSELECT *\nFROM planner_examples;\n```\n")
    snippet = snippet_of(client, "planner_examples")
    assert "<mark>planner</mark>_<mark>examples</mark>" in snippet
    assert "```" not in snippet
    # The fence's language is not text of the post; the code's own punctuation is.
    assert "sql" not in snippet.lower().replace("select", "")
    assert "SELECT *" in snippet


def test_snippets_keep_code_punctuation_and_drop_markup(client, db):
    body = (
        "## Counting rows\n\n"
        "Use **exact** counts with `count(*)`, see [the docs](https://example.org/count).\n\n"
        "| query | cost |\n|---|---|\n| count(*) | a full scan |\n\n"
        "```python\nrows = cursor.fetchall()  # *all* of them\n```\n"
    )
    make_post(title="Counting", body=body)
    snippet = snippet_of(client, "counts")
    assert "<mark>counts</mark>" in snippet
    text = re.sub(r"</?mark>", "", snippet)
    assert text.startswith("Counting rows Use exact counts with count(*), see the docs.")
    for noise in ("**", "`", "##", "](", "https://example.org", "|", "---", "python"):
        assert noise not in text, noise


def test_snippets_say_where_they_are_cut(client, db):
    words = " ".join(f"word{n}" for n in range(60))
    make_post(title="Long", body=f"{words} needle {words}")
    snippet = snippet_of(client, "needle")
    assert snippet.startswith("… ") and snippet.endswith(" …")
    make_note(title="Short", body="A needle alone.")
    html = client.get("/search/", {"q": "alone"}).content.decode()
    short = html.split('class="snippet">', 1)[1].split("</p>", 1)[0]
    assert short == "A needle <mark>alone</mark>."  # the whole text: nothing is cut


def test_snippets_say_when_the_text_goes_on_past_what_is_searched(client, db):
    # Snippets come from the first 1,200 characters: a match there in a longer text is cut.
    make_post(title="Long", body="Needle first, then more. " + "More text. " * 200)
    snippet = snippet_of(client, "needle")
    assert not snippet.startswith("…") and snippet.endswith(" …")
