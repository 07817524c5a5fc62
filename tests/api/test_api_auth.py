"""Bearer tokens: stored hashed, read-only scope, the user's permissions, revocation, the
rate limit, the api_token command and the admin; every error as problem+json."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from api.models import ApiToken, digest
from notes.models import Note
from tests.api.conftest import ApiClient, assert_problem
from tests.factories import make_note

pytestmark = pytest.mark.django_db


class TestTokens:
    def test_missing_malformed_and_wrong_tokens_are_401(self, client, api):
        for secret, words in [
            (None, "Send a token"),
            ("st_wrong", "not valid"),
        ]:
            problem = assert_problem(ApiClient(client, secret).get("notes"), 401)
            assert words in problem["detail"]
        response = client.get("/api/notes", headers={"Authorization": "Basic dXNlcjpwdw=="})
        assert_problem(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_stored_hashed_and_last_use_recorded(self, author, client):
        token, secret = ApiToken.issue(author, "laptop")
        assert secret.startswith("st_") and len(secret) > 40
        assert token.key_hash == digest(secret) and secret not in str(token.__dict__)
        assert token.last_used_at is None
        ApiClient(client, secret).get("notes")
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_revoked_and_inactive_users_tokens_are_401(self, author, client, api):
        token, secret = ApiToken.issue(author, "gone")
        call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
        assert_problem(ApiClient(client, secret).get("notes"), 401)
        author.is_active = False
        author.save()
        assert_problem(api.get("notes"), 401)

    def test_read_only_token_reads_but_never_writes(self, read_only_api):
        note = make_note()
        assert read_only_api.get("notes").status_code == 200
        assert read_only_api.get(f"notes/{note.pk}").status_code == 200
        problem = assert_problem(read_only_api.post("notes", {"title": "t", "body": "b"}), 403)
        assert "read-only" in problem["detail"]
        assert_problem(read_only_api.patch(f"notes/{note.pk}", {"title": "x"}), 403)
        assert Note.objects.count() == 1 and Note.objects.get().title == note.title

    def test_the_users_django_permissions_apply(self, client, django_user_model):
        user = django_user_model.objects.create_user("viewer", password="pw")
        user.user_permissions.add(Permission.objects.get(codename="view_note"))
        _, secret = ApiToken.issue(user, "viewer")
        api = ApiClient(client, secret)
        assert api.get("notes").status_code == 200
        assert_problem(api.get("posts"), 403)
        problem = assert_problem(api.post("notes", {"title": "t", "body": "b"}), 403)
        assert "viewer may not add notes" in problem["detail"]

    def test_rate_limited_per_token(self, api, client, author, settings):
        settings.API_RATE_LIMIT = "3/min"
        for _ in range(3):
            assert api.get("notes").status_code == 200
        problem = assert_problem(api.get("notes"), 429)
        assert "too many requests" in problem["detail"]
        assert int(api.get("notes")["Retry-After"]) >= 1
        _, secret = ApiToken.issue(author, "another")
        assert ApiClient(client, secret).get("notes").status_code == 200


class TestCommand:
    def test_create_prints_the_token_once(self, author, client):
        out, err = io.StringIO(), io.StringIO()
        call_command("api_token", "create", "author", "--name", "cli", stdout=out, stderr=err)
        secret = out.getvalue().strip()
        assert "shown once" in err.getvalue()
        token = ApiToken.objects.get()
        assert token.name == "cli" and not token.read_only and token.key_hash == digest(secret)
        assert ApiClient(client, secret).get("notes").status_code == 200

    def test_read_only_and_list(self, author):
        call_command("api_token", "create", "author", "--read-only", stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip
        assert ApiToken.objects.get().read_only
        out = io.StringIO()
        call_command("api_token", "list", stdout=out)
        assert "read-only" in out.getvalue() and "never" in out.getvalue()

    def test_unknown_user(self, db):
        with pytest.raises(CommandError, match="no user 'nobody'"):
            call_command("api_token", "create", "nobody")


class TestAdmin:
    def test_tokens_listed_with_last_use_and_revoked(self, staff_client, author):
        token, _ = ApiToken.issue(author, "laptop")
        url = reverse("admin:api_apitoken_changelist")
        page = staff_client.get(url).content.decode()
        assert "laptop" in page and token.prefix in page and "Last used at" in page
        assert token.key_hash not in page
        staff_client.post(url, {"action": "revoke", "_selected_action": [token.pk]})
        token.refresh_from_db()
        assert token.is_revoked
        assert staff_client.get(reverse("admin:api_apitoken_add")).status_code == 403


class TestErrors:
    def test_unsupported_method(self, api, client):
        response = client.delete("/api/notes", headers=api.headers())
        assert response.status_code == 405

    def test_docs_and_schema_are_served(self, client):
        schema = client.get("/api/openapi.json").json()
        assert set(schema["paths"]) >= {"/api/posts", "/api/bookmarks/{item_id}", "/api/markdown"}
        errors = schema["paths"]["/api/notes"]["post"]["responses"]["422"]["content"]
        assert list(errors) == ["application/problem+json"]
        docs = client.get("/api/docs").content.decode()
        assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
        assert "<script>" not in docs  # only src= scripts and a JSON data block
