"""Search: the index, matching and ranking, broad queries, the number of queries."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from content.models import Status, content_models
from notes.models import Note
from posts.models import Post
from search import facets as facet_module
from search.index import refresh_search_vectors
from search.results import Search
from tests.factories import ago, make_bookmark, make_learning, make_note, make_post
from tests.search.conftest import SEARCH, at, facets, found, titles

pytestmark = pytest.mark.django_db


def vectors() -> dict[tuple[str, int], str]:
    with connection.cursor() as cursor:
        found = {}
        for model in content_models():
            cursor.execute(f"SELECT id, search_vector::text FROM {model._meta.db_table}")
            found.update({(model._meta.label_lower, pk): v for pk, v in cursor.fetchall()})
        return found


class TestIndex:
    def test_the_document_weights_title_tags_summary_and_body(self):
        post = make_post(title="Queues", summary="Backpressure.", body="Retries.", tags=["Ops"])
        vector = Post.objects.values_list("search_vector", flat=True).get(pk=post.pk)
        tag_id = post.tags.get().pk
        assert vector == f"'backpressur':3B 'op':2B 'queue':1A 'retri':4C 'tag#{tag_id}'"

    def test_the_data_migration_builds_the_same_vectors_as_the_code(self):
        make_post(title="A post", summary="Sum.", body="Body *one*.", tags=["x", "y"])
        make_note(title="A note", body="Two.\n\nThree.", tags=["Zed"])
        make_learning(title="Why?", body="Because.", tags=["x"])
        make_bookmark(title="Link", url="https://lwn.net/a", body="", tags=["y"])
        by_code = vectors()
        migration = import_module("content.migrations.0003_search")
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

    def test_the_snippet_function_comes_and_goes_with_its_migration(self):
        def exists() -> bool:
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_regprocedure('search_snippet_source(text)')")
                return cursor.fetchone()[0] is not None

        assert exists()
        MigrationExecutor(connection).migrate([("search", "0001_searchword")])
        assert not exists()
        MigrationExecutor(connection).migrate([("search", "0002_snippet_source")])
        assert exists()


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
        make_learning(title="Pods", body="Scheduling.", tags=["Kubernetes"])
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
        response = staff_client.post(url, {**data, "tag_names": "Rustacean", "version": 1})
        assert response.status_code == 302
        assert found("rustacean") == ["Ownership"]
        staff_client.post(url, {**data, "tag_names": "Systems", "version": 2})
        assert found("rustacean") == []
        assert found("systems") == ["Ownership"]


class TestResultCards:
    """A page of results: each hit as a card, in rank order, with its snippet and tags."""

    def test_cards_carry_what_the_page_shows(self, client):
        make_post(title="Parsing", summary="s", body="A parser for JSON.", tags=["Django", "apple"])
        make_bookmark(
            title="A parser", url="https://lwn.net/Articles/2/", body="Parser notes.", tags=[]
        )
        response = client.get(SEARCH, {"q": "parser"})
        cards = {item.title: item for item in response.context["page_obj"].object_list}
        post, bookmark = cards["Parsing"], cards["A parser"]
        assert post.get_absolute_url() == Post.objects.get(title="Parsing").get_absolute_url()
        assert "<mark>parser</mark>" in post.search_snippet
        # Tags in the order every page lists them: by name, whatever the case.
        assert [tag.name for tag in post.tag_list] == ["apple", "Django"]
        assert (bookmark.link_domain, bookmark.tag_list) == ("lwn.net", [])

    def test_one_statement_for_every_kind_on_the_page(self, django_assert_num_queries):
        make_post(title="Parsing", summary="s", body="A parser.", tags=["rust"])
        make_note(title="Parsers", body="On parsers.")
        make_learning(title="Parse?", body="A parser, again.")
        search = Search("parser")
        hits = search.results().hits
        with django_assert_num_queries(1):  # the cards, with their tags and snippets
            items = search.load(hits)
        # Every hit, in rank order, as an item of its own kind.
        assert len(hits) == 3
        assert [(item._meta.app_label, item.pk) for item in items] == [
            (hit.kind, hit.pk) for hit in hits
        ]


class TestBroadQueries:
    """More than the window's matches of a kind: its newest are ranked, counts are lower
    bounds."""

    @pytest.fixture(autouse=True)
    def small_window(self, settings):
        settings.SEARCH_WINDOW = 3
        for year in (2021, 2022, 2023, 2024, 2025):
            make_note(title=f"Vacuum {year}", body="x", published_at=at(year))
        make_post(title="Vacuum in depth", summary="s", body="x", published_at=at(2020))

    def test_the_newest_matches_of_the_kind_are_ranked(self):
        results = Search("vacuum").results()
        assert not results.complete
        assert results.counts == {"posts": 1, "notes": 3, "learnings": 0, "bookmarks": 0}
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
        assert facet_module.published_years() == [2025, 2024, 2023, 2022, 2021, 2020]
        make_note(title="Vacuum 2010", body="x", published_at=at(2010))
        with django_assert_num_queries(0):
            assert facet_module.published_years()[-1] == 2020

    def test_a_year_filter_reaches_older_matches(self, client):
        assert titles(client.get(SEARCH, {"q": "vacuum", "year": "2021"})) == ["Vacuum 2021"]


class TestQueryCount:
    def test_a_search_page_needs_a_bounded_number_of_queries(
        self, client, django_assert_max_num_queries
    ):
        for n in range(50):
            for make in (make_post, make_note, make_learning, make_bookmark):
                make(title=f"Tuning {n}", body="Vacuum.", tags=["ops", f"t{n % 7}"])
        # The tag filter's lookup, the ranked results, the facet tags' names, and the page:
        # each kind with its snippets, and all their tags. However many items there are.
        with django_assert_max_num_queries(8):
            response = client.get(SEARCH, {"q": "tuning", "page": "2", "tag": "ops"})
        assert response.context["page_obj"].paginator.count == 200
        assert len(response.context["page_obj"].object_list) == 20
        # A typo: the content version (the page cache's key), results (none), nearest words,
        # how many the correction finds.
        with django_assert_max_num_queries(4):
            response = client.get(SEARCH, {"q": "tunning"})
        assert response.context["suggestion"] == "tuning"
