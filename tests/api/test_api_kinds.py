"""Every kind through the API: list (paginated, filtered), get, create, partial update,
publishing by status, tags by name."""

import datetime

import pytest
from django.utils import timezone

from content.models import Status, content_models
from tests.api.conftest import assert_problem
from tests.factories import MAKERS, ago

pytestmark = pytest.mark.django_db

# The smallest valid body of a create, per kind.
NEW = {
    "posts": {"title": "A post", "body": "Text.", "summary": "In short."},
    "notes": {"title": "A note", "body": "Text."},
    "learnings": {
        "title": "How do tuples compare?",
        "body": "Item by item.",
        "sources": ["https://docs.python.org/3/reference/expressions.html"],
    },
    "bookmarks": {"title": "A link", "url": "https://example.org/a", "body": "Worth it."},
}
KINDS = [model._meta.app_label for model in content_models()]


def model_of(label):
    return next(m for m in content_models() if m._meta.app_label == label)


def make(label, **fields):
    return MAKERS[model_of(label)._meta.model_name](**fields)


@pytest.mark.parametrize("kind", KINDS)
class TestEveryKind:
    def test_create_is_a_draft_with_tags_by_name(self, api, kind):
        response = api.post(kind, {**NEW[kind], "tags": ["Python", "python", "PostgreSQL"]})
        assert response.status_code == 201, response.json()
        item = response.json()
        assert item["status"] == "draft" and item["published_at"] is None
        assert item["kind"] == kind and item["slug"]
        assert sorted(item["tags"]) == ["PostgreSQL", "Python"]
        assert item["preview_url"].startswith("http://testserver/preview/")
        stored = model_of(kind).objects.get(pk=item["id"])
        assert stored.status == Status.DRAFT and not stored.is_published
        assert stored.body_html  # rendered on save, like the admin

    def test_create_published_then_unpublish_and_republish(self, api, kind):
        created = api.post(kind, {**NEW[kind], "status": "published"}).json()
        assert created["status"] == "published" and created["published_at"]
        assert created["preview_url"] is None
        item = model_of(kind).objects.get(pk=created["id"])
        assert item.is_published
        response = api.patch(f"{kind}/{item.pk}", {"status": "draft"})
        assert response.status_code == 200 and response.json()["status"] == "draft"
        assert not model_of(kind).objects.published().filter(pk=item.pk).exists()
        api.patch(f"{kind}/{item.pk}", {"status": "published"})
        assert model_of(kind).objects.published().filter(pk=item.pk).exists()

    def test_partial_update_changes_only_what_is_sent(self, api, kind):
        item = make(kind, tags=["old"])
        response = api.patch(f"{kind}/{item.pk}", {"title": "Renamed", "tags": ["new", "more"]})
        assert response.status_code == 200, response.json()
        item.refresh_from_db()
        assert item.title == "Renamed" and item.body.startswith("The body of item")
        assert sorted(t.name for t in item.tags.all()) == ["more", "new"]
        api.patch(f"{kind}/{item.pk}", {"excerpt": "Short."})
        assert sorted(t.name for t in item.tags.all()) == ["more", "new"]  # not sent: kept

    def test_get_and_unknown_id(self, api, kind):
        item = make(kind, tags=["python"])
        response = api.get(f"{kind}/{item.pk}")
        assert response.status_code == 200
        assert response.json()["title"] == item.title and response.json()["tags"] == ["python"]
        assert_problem(api.get(f"{kind}/{item.pk + 1000}"), 404)
        assert_problem(api.patch(f"{kind}/{item.pk + 1000}", {"title": "x"}), 404)

    def test_list_filters_by_status_tag_and_update_time(self, api, kind):
        model = model_of(kind)
        old = make(kind, tags=["python"])
        model.objects.filter(pk=old.pk).update(updated_at=ago(days=10))
        draft = make(kind, status=Status.DRAFT, tags=["Python"])
        make(kind, tags=["rust"])
        assert api.get(kind).json()["count"] == 3
        drafts = api.get(kind, {"status": "draft"}).json()
        assert [i["id"] for i in drafts["items"]] == [draft.pk]
        tagged = api.get(kind, {"tag": "python"}).json()
        assert {i["id"] for i in tagged["items"]} == {old.pk, draft.pk}
        assert api.get(kind, {"tag": "nothing-has-this"}).json()["count"] == 0
        since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
        recent = api.get(kind, {"updated_since": since}).json()
        assert old.pk not in {i["id"] for i in recent["items"]} and recent["count"] == 2
        assert api.get(kind, {"slug": draft.slug}).json()["items"][0]["id"] == draft.pk

    def test_missing_required_field_names_it(self, api, kind):
        body = {key: value for key, value in NEW[kind].items() if key != "body"}
        if kind == "bookmarks":
            body = {"title": "No link"}
            assert_problem(api.post(kind, body), 422, "url")
        else:
            assert_problem(api.post(kind, {**body, "title": "x"} | {"title": ""}), 422)
            problem = assert_problem(api.post(kind, body), 422)
            assert "body" in [e["field"] for e in problem["errors"]]


class TestPagination:
    def test_pages_link_to_each_other_and_a_page_past_the_end_is_404(self, api):
        for _ in range(5):
            make("notes")
        first = api.get("notes", {"page_size": 2}).json()
        assert first["count"] == 5 and first["pages"] == 3 and len(first["items"]) == 2
        assert first["previous"] is None and "page=2" in first["next"]
        last = api.get("notes", {"page_size": 2, "page": 3}).json()
        assert len(last["items"]) == 1 and last["next"] is None
        assert_problem(api.get("notes", {"page": 4, "page_size": 2}), 404)
        assert_problem(api.get("notes", {"page": 0}), 400, "page")
        assert_problem(api.get("notes", {"page_size": 1000}), 400, "page_size")

    def test_empty_list(self, api):
        page = api.get("posts").json()
        assert page == {
            "count": 0,
            "page": 1,
            "pages": 1,
            "next": None,
            "previous": None,
            "items": [],
        }

    def test_list_query_count_does_not_grow(self, api, django_assert_max_num_queries):
        for n in range(6):
            make("posts", tags=[f"tag{n}", "shared"])
        with django_assert_max_num_queries(6):
            assert api.get("posts").json()["count"] == 6


class TestValidation:
    def test_unknown_field_is_named(self, api):
        problem = assert_problem(api.post("notes", {**NEW["notes"], "tagz": ["x"]}), 422, "tagz")
        assert "tagz" in problem["detail"]

    def test_bad_values_name_their_fields(self, api):
        assert_problem(api.post("bookmarks", {"title": "x", "url": "not a url"}), 422, "url")
        assert_problem(api.post("posts", {**NEW["posts"], "status": "live"}), 422, "status")
        assert_problem(api.post("posts", {**NEW["posts"], "title": "x" * 201}), 422, "title")
        assert_problem(api.post("posts", {**NEW["posts"], "tags": [""]}), 422, "tags.0")
        bad_source = {**NEW["learnings"], "sources": ["ftp://example.org/x"]}
        assert_problem(api.post("learnings", bad_source), 422, "sources")
        assert_problem(api.get("posts", {"updated_since": "yesterday"}), 400, "updated_since")
        for vague in ["2026-01-31", "2026-01-31T09:30:00", "1767225600"]:  # no time, no offset
            assert_problem(api.get("posts", {"updated_since": vague}), 400, "updated_since")

    def test_missing_title_is_named(self, api):
        problem = assert_problem(api.post("posts", {"body": "x", "summary": "s"}), 422, "title")
        assert problem["errors"][0]["pointer"] == "/title"
        assert_problem(api.post("notes", {"title": "", "body": "x"}), 422, "title")

    def test_a_body_that_is_not_json_is_400(self, api, client):
        response = client.post("/api/notes", "{not json", "application/json", headers=api.headers())
        assert_problem(response, 400)

    def test_a_taken_slug_is_422(self, api):
        make("notes", slug="taken")
        assert_problem(api.post("notes", {**NEW["notes"], "slug": "taken"}), 422, "slug")
