"""POST /api/bookmarks upserts on the normalised URL; GET ?url= looks one up; an omitted
title is fetched from the page; creates honour Idempotency-Key."""

import pytest

from api.models import IdempotentRequest
from bookmarks.models import Bookmark
from notes.models import Note
from tests.api.conftest import assert_problem
from tests.factories import make_bookmark

pytestmark = pytest.mark.django_db


class TestUpsert:
    def test_same_page_twice_is_one_bookmark(self, api):
        first = api.post("bookmarks", {"url": "https://Example.com/a?x=1", "title": "A"})
        assert first.status_code == 201
        again = api.post(
            "bookmarks",
            {"url": "https://example.com:443/a?utm_source=rss&x=1#part", "body": "Now with notes."},
        )
        assert again.status_code == 200
        assert again.json()["id"] == first.json()["id"]
        assert again.json()["url"] == "https://example.com/a?x=1"
        bookmark = Bookmark.objects.get()
        # The second request changed only what it sent.
        assert bookmark.title == "A" and bookmark.body == "Now with notes."

    def test_upsert_keeps_tags_unless_sent(self, api):
        api.post("bookmarks", {"url": "https://example.com/t", "title": "T", "tags": ["web"]})
        api.post("bookmarks", {"url": "https://example.com/t", "body": "More."})
        assert [t.name for t in Bookmark.objects.get().tags.all()] == ["web"]
        api.post("bookmarks", {"url": "https://example.com/t", "tags": ["css"]})
        assert [t.name for t in Bookmark.objects.get().tags.all()] == ["css"]

    def test_upsert_needs_change_permission(self, client, django_user_model):
        from django.contrib.auth.models import Permission

        from api.models import ApiToken
        from tests.api.conftest import ApiClient

        user = django_user_model.objects.create_user("adder", password="pw")
        user.user_permissions.add(Permission.objects.get(codename="add_bookmark"))
        _, secret = ApiToken.issue(user, "add only")
        api = ApiClient(client, secret)
        assert (
            api.post("bookmarks", {"url": "https://example.com/p", "title": "P"}).status_code == 201
        )
        assert_problem(api.post("bookmarks", {"url": "https://example.com/p", "title": "Q"}), 403)

    def test_lookup_by_url(self, api):
        bookmark = make_bookmark(url="https://example.com/found")
        found = api.get("bookmarks", {"url": "https://EXAMPLE.com/found?utm_medium=x#top"}).json()
        assert found["count"] == 1 and found["items"][0]["id"] == bookmark.pk
        missing = api.get("bookmarks", {"url": "https://example.com/elsewhere"}).json()
        assert missing["count"] == 0 and missing["items"] == []
        assert api.get("bookmarks", {"url": "http://[::1"}).json()["count"] == 0

    def test_other_kinds_have_no_url_filter_and_always_create(self, api):
        body = {"title": "Same", "body": "Text."}
        assert api.post("notes", body).status_code == 201
        assert api.post("notes", body).status_code == 201
        assert Note.objects.count() == 2


class TestTitleFetch:
    def test_an_omitted_title_is_fetched_from_the_page(self, api, page_server):
        response = api.post("bookmarks", {"url": f"{page_server.url}/og"})
        assert response.status_code == 201, response.json()
        item = response.json()
        assert item["title"] == "The Open Graph title"
        assert item["excerpt"] == "What the page is about — briefly."
        assert item["messages"] == []

    def test_a_given_title_is_not_fetched(self, api, page_server):
        api.post("bookmarks", {"url": f"{page_server.url}/og", "title": "Mine", "excerpt": "E"})
        assert page_server.requests == []
        assert Bookmark.objects.get().title == "Mine"

    def test_a_failed_fetch_says_why_and_the_address_stands_in(self, api, page_server):
        response = api.post("bookmarks", {"url": f"{page_server.url}/missing", "body": "Read."})
        assert response.status_code == 201
        item = response.json()
        assert item["title"] == page_server.url.removeprefix("http://") + "/missing"
        assert item["status"] == "draft"
        assert item["messages"] == ["The page's title could not be fetched: the page answered 404."]
        assert Bookmark.objects.get().body == "Read."  # nothing lost

    def test_a_failed_fetch_does_not_stop_publishing(self, api, page_server):
        body = {"url": f"{page_server.url}/missing", "status": "published"}
        response = api.post("bookmarks", body)
        assert response.status_code == 201 and response.json()["messages"]
        assert Bookmark.objects.get().is_published

    def test_an_invalid_url_is_422_before_any_fetch(self, api, page_server):
        assert_problem(api.post("bookmarks", {"url": "notaurl"}), 422, "url")
        assert page_server.requests == []


class TestIdempotencyKey:
    def test_a_retry_replays_the_first_answer(self, api):
        body = {"title": "Once", "body": "Only once."}
        first = api.post("notes", body, **{"Idempotency-Key": "k-1"})
        second = api.post("notes", body, **{"Idempotency-Key": "k-1"})
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second["Idempotent-Replayed"] == "true"
        assert Note.objects.count() == 1
        assert api.post("notes", body, **{"Idempotency-Key": "k-2"}).status_code == 201
        assert Note.objects.count() == 2

    def test_the_same_key_with_another_body_is_422(self, api):
        api.post("notes", {"title": "One", "body": "x"}, **{"Idempotency-Key": "k"})
        response = api.post("notes", {"title": "Two", "body": "y"}, **{"Idempotency-Key": "k"})
        assert_problem(response, 422, "Idempotency-Key")
        assert Note.objects.count() == 1

    def test_keys_belong_to_a_token(self, api, client, author):
        from api.models import ApiToken
        from tests.api.conftest import ApiClient

        _, secret = ApiToken.issue(author, "other")
        other = ApiClient(client, secret)
        body = {"title": "T", "body": "x"}
        api.post("notes", body, **{"Idempotency-Key": "shared"})
        assert other.post("notes", body, **{"Idempotency-Key": "shared"}).status_code == 201
        assert Note.objects.count() == 2

    def test_a_failed_create_is_not_remembered(self, api):
        bad = api.post("notes", {"title": "T"}, **{"Idempotency-Key": "retry-me"})
        assert bad.status_code == 422 and not IdempotentRequest.objects.exists()
        good = api.post("notes", {"title": "T", "body": "x"}, **{"Idempotency-Key": "retry-me"})
        assert good.status_code == 201

    def test_bookmark_upsert_replay(self, api):
        body = {"url": "https://example.com/i", "title": "I"}
        first = api.post("bookmarks", body, **{"Idempotency-Key": "b"})
        assert api.post("bookmarks", body, **{"Idempotency-Key": "b"}).json() == first.json()
        assert api.post("bookmarks", body).status_code == 200  # without a key: the upsert

    @pytest.mark.parametrize("key", ["", " ", "x" * 201])
    def test_a_bad_key_is_400(self, api, key):
        response = api.post("notes", {"title": "T", "body": "x"}, **{"Idempotency-Key": key})
        assert_problem(response, 400, "Idempotency-Key")
