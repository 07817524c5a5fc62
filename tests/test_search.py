"""Search: the index, ranking, filters and facets, snippets, suggestions, the admin search."""

import datetime
import re
from importlib import import_module

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bookmarks.models import Bookmark
from learnings.models import Learning
from notes.models import Note
from posts.models import Post
from site_project import search_results as search_module
from site_project import search_views
from site_project.models import Status, content_models
from site_project.search import index_item, refresh_search_vectors, refresh_search_words
from site_project.search_results import Search
from tests.factories import ago, make_bookmark, make_learning, make_note, make_post

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


@pytest.fixture(autouse=True)
def _forget_remembered_answers():
    search_module._memo.clear()


def indexed(item):
    """Factories set tags after save(), as a shell user would: index them as editors do."""
    index_item(item)
    return item


def titles(response) -> list[str]:
    return [item.title for item in response.context["page_obj"].object_list]


def found(text: str, **filters) -> list[str]:
    """Titles of the ranked matches, best first."""
    by_label = {m._meta.label_lower: m for m in content_models()}
    hits = Search(text, **filters).results().hits
    return [by_label[hit.label].objects.get(pk=hit.pk).title for hit in hits]


def facets(response) -> dict[str, list[dict]]:
    return {heading: values for heading, values, *_ in response.context["facet_groups"]}


def at(year: int, month: int = 6) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, 15, 12))


def vectors() -> dict[tuple[str, int], str]:
    with connection.cursor() as cursor:
        found = {}
        for model in content_models():
            cursor.execute(f"SELECT id, search_vector::text FROM {model._meta.db_table}")
            found.update({(model._meta.label_lower, pk): v for pk, v in cursor.fetchall()})
        return found


class TestIndex:
    def test_the_document_weights_title_tags_summary_and_body(self):
        post = indexed(
            make_post(title="Queues", summary="Backpressure.", body="Retries.", tags=["Ops"])
        )
        vector = Post.objects.values_list("search_vector", flat=True).get(pk=post.pk)
        tag_id = post.tags.get().pk
        assert vector == f"'backpressur':3B 'op':2B 'queue':1A 'retri':4C 'tag#{tag_id}'"

    def test_the_data_migration_builds_the_same_vectors_as_the_code(self):
        indexed(make_post(title="A post", summary="Sum.", body="Body *one*.", tags=["x", "y"]))
        indexed(make_note(title="A note", body="Two.\n\nThree.", tags=["Zed"]))
        indexed(make_learning(title="Why?", body="Because.", tags=["x"]))
        indexed(make_bookmark(title="Link", url="https://lwn.net/a", body="", tags=["y"]))
        by_code = vectors()
        migration = import_module("site_project.migrations.0003_search")
        with connection.cursor() as cursor:
            for kind in migration.KINDS:
                cursor.execute(migration.fill_vectors(*kind))
        assert vectors() == by_code

    def test_refreshing_in_bulk(self):
        notes = [make_note(title=f"Bulk {n}", body="x", tags=["bulk"]) for n in range(3)]
        Note.objects.update(search_vector=None)
        assert refresh_search_vectors(Note, [notes[0].pk]) == 1
        assert found("bulk") == ["Bulk 0"]
        assert refresh_search_vectors(Note) == 3
        assert sorted(found("bulk")) == ["Bulk 0", "Bulk 1", "Bulk 2"]

    def test_saving_adds_the_words_of_published_items_only(self):
        make_note(title="Zanzibar", body="x", status=Status.DRAFT)
        make_note(title="Quixotic", body="x")
        with connection.cursor() as cursor:
            cursor.execute("SELECT word FROM site_project_searchword ORDER BY word")
            assert [row[0] for row in cursor.fetchall()] == ["quixotic"]


class TestMatching:
    def test_a_title_match_outranks_a_newer_body_match(self):
        make_note(
            title="Notes on caching", body="Nothing relevant here.", published_at=ago(days=900)
        )
        make_post(title="A long essay", body="It mentions caching once.", published_at=ago(hours=1))
        assert found("caching") == ["Notes on caching", "A long essay"]

    def test_ties_are_broken_by_date(self):
        make_note(title="Older pooling", body="x", published_at=ago(days=10))
        make_note(title="Newer pooling", body="x", published_at=ago(days=1))
        assert found("pooling") == ["Newer pooling", "Older pooling"]

    def test_stemming_finds_other_forms_of_a_word(self):
        make_learning(title="What does a cache hold?", body="Values.")
        make_note(title="Cached responses", body="Headers.")
        assert sorted(found("caching")) == ["Cached responses", "What does a cache hold?"]

    def test_a_phrase_matches_only_the_exact_phrase(self):
        make_post(title="Connection pooling explained", body="Pools.")
        make_post(title="Pooling every connection", body="Hmm.")
        make_post(title="Connection limits", body="Pooling comes later.")
        assert found('"connection pooling"') == ["Connection pooling explained"]

    def test_an_excluded_word_excludes(self):
        make_note(title="Caching with Redis", body="Fast.")
        make_note(title="Caching with memcached", body="Also fast.")
        assert found("caching -redis") == ["Caching with memcached"]

    def test_or_finds_either_word(self):
        make_note(title="Rust lifetimes", body="a")
        make_note(title="Go channels", body="b")
        make_note(title="Haskell monads", body="c")
        assert sorted(found("rust or channels")) == ["Go channels", "Rust lifetimes"]

    def test_summary_excerpt_domain_and_body_are_searched(self):
        make_post(title="One", summary="About tokenizers.", body="x")
        make_note(title="Two", body="The body talks about parsers.")
        make_bookmark(title="Three", url="https://lwn.net/Articles/1/", body="")
        assert found("tokenizers") == ["One"]
        assert found("parsers") == ["Two"]
        assert found("lwn.net") == ["Three"]

    def test_a_tag_name_finds_tagged_items(self):
        indexed(make_learning(title="Pods", body="Scheduling.", tags=["Kubernetes"]))
        make_learning(title="Other", body="Nothing.")
        assert found("kubernetes") == ["Pods"]

    def test_tags_changed_in_the_admin_are_searchable_at_once(self, staff_client):
        post = make_post(title="Ownership", summary="s", body="Borrowing.")
        url = reverse("admin:posts_post_change", args=[post.pk])
        data = {
            "title": post.title, "slug": post.slug, "summary": "s", "body": post.body,
            "excerpt": post.excerpt, "status": "published",
            "published_at_0": timezone.localtime(post.published_at).date().isoformat(),
            "published_at_1": "10:00:00",
        }  # fmt: skip
        response = staff_client.post(url, {**data, "tag_names": "Rustacean"})
        assert response.status_code == 302
        assert found("rustacean") == ["Ownership"]
        staff_client.post(url, {**data, "tag_names": "Systems"})
        assert found("rustacean") == []
        assert found("systems") == ["Ownership"]


@pytest.fixture
def spread():
    """Items over three years, four kinds and two tags, plus noise that must never count."""
    items = [
        indexed(make_post(title="Python caching", published_at=at(2023), tags=["python"])),
        indexed(make_note(title="Caching notes", published_at=at(2024), tags=["python", "web"])),
        indexed(make_note(title="More caching", published_at=at(2024, 2), tags=["web"])),
        indexed(make_learning(title="Caching?", published_at=at(2025), tags=["python"])),
        make_bookmark(title="Caching article", published_at=at(2025)),
        make_note(title="Unrelated", published_at=at(2024), tags=["python"]),
        # Never seen: a draft and a scheduled item that match everything.
        indexed(make_note(title="Caching draft", status=Status.DRAFT, tags=["python", "web"])),
        indexed(make_post(title="Caching later", published_at=ago(days=-3), tags=["python"])),
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
        assert '<a href="/search/?q=caching&amp;kind=note">Any tag</a>' in html
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
            "post": 0,
            "note": 0,
            "learning": 0,
            "bookmark": 0,
        }

    def test_a_filtered_page_keeps_its_filters_in_the_pager(self, client):
        for n in range(21):
            make_note(title=f"Queue {n}", body="x", published_at=at(2024))
        html = client.get(SEARCH, {"q": "queue", "year": "2024"}).content.decode()
        assert "?q=queue&amp;year=2024&amp;page=2" in html
        page_2 = client.get(SEARCH, {"q": "queue", "year": "2024", "page": "2"})
        assert len(page_2.context["page_obj"].object_list) == 1


class TestBroadQueries:
    """More than WINDOW matches of a kind: its newest are ranked, counts are lower bounds."""

    @pytest.fixture(autouse=True)
    def small_window(self, monkeypatch):
        monkeypatch.setattr(search_module, "WINDOW", 3)
        monkeypatch.setattr(search_views, "WINDOW", 3)
        for year in (2021, 2022, 2023, 2024, 2025):
            make_note(title=f"Vacuum {year}", body="x", published_at=at(year))
        make_post(title="Vacuum in depth", summary="s", body="x", published_at=at(2020))

    def test_the_newest_matches_of_the_kind_are_ranked(self):
        results = Search("vacuum").results()
        assert not results.complete
        assert results.counts == {"post": 1, "note": 3, "learning": 0, "bookmark": 0}
        assert sorted(found("vacuum")) == [
            "Vacuum 2023",
            "Vacuum 2024",
            "Vacuum 2025",
            "Vacuum in depth",
        ]

    def test_the_page_says_so_and_offers_every_year_without_counts(self, client):
        response = client.get(SEARCH, {"q": "vacuum"})
        html = response.content.decode()
        assert "More than 4 results" in html
        assert "Only the newest 3 matches of each kind are ranked here" in html
        groups = facets(response)
        assert [(f["label"], f["count"]) for f in groups["Kind"]][:2] == [
            ("Posts", 1),
            ("Notes", "3+"),
        ]
        assert [f["label"] for f in groups["Year"]] == [2025, 2024, 2023, 2022, 2021, 2020]
        assert {f["count"] for f in groups["Year"]} == {None}

    def test_the_years_are_remembered_for_a_while(self, django_assert_num_queries):
        assert search_module.published_years() == [2025, 2024, 2023, 2022, 2021, 2020]
        make_note(title="Vacuum 2010", body="x", published_at=at(2010))
        with django_assert_num_queries(0):
            assert search_module.published_years()[-1] == 2020

    def test_a_year_filter_reaches_older_matches(self, client):
        assert titles(client.get(SEARCH, {"q": "vacuum", "year": "2021"})) == ["Vacuum 2021"]


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
        indexed(make_learning(title="What is a GIN?", body="An index.", tags=["full-text search"]))

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


class TestQueryCount:
    def test_a_search_page_needs_a_bounded_number_of_queries(
        self, client, django_assert_max_num_queries
    ):
        for n in range(50):
            for make in (make_post, make_note, make_learning, make_bookmark):
                indexed(make(title=f"Tuning {n}", body="Vacuum.", tags=["ops", f"t{n % 7}"]))
        # The tag filter's lookup, the ranked results, the facet tags' names, and the page:
        # each kind with its snippets, and all their tags. However many items there are.
        with django_assert_max_num_queries(8):
            response = client.get(SEARCH, {"q": "tuning", "page": "2", "tag": "ops"})
        assert response.context["page_obj"].paginator.count == 200
        assert len(response.context["page_obj"].object_list) == 20
        # A typo: results (none), nearest words, how many the correction finds.
        with django_assert_max_num_queries(3):
            response = client.get(SEARCH, {"q": "tunning"})
        assert response.context["suggestion"] == "tuning"


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


def test_snippets_leave_markdown_punctuation_out(client, db):
    make_post(title="Query plans", body="Intro.\n\n```sql\nSELECT *\nFROM planner_examples;\n```\n")
    html = client.get("/search/", {"q": "planner_examples"}).content.decode()
    snippet = html.split('class="snippet"', 1)[1].split("</p>", 1)[0]
    assert "<mark>planner</mark>_<mark>examples</mark>" in snippet
    assert "```" not in snippet and "*" not in snippet
