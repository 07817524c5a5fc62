import json

import pytest

from api.models import ApiToken


class ApiClient:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self, client, secret: str | None):
        self.client, self.secret = client, secret

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        return headers | (extra or {})

    def get(self, path: str, params: dict | None = None, **headers):
        return self.client.get(f"/api/{path}", params or {}, headers=self.headers(headers))

    def post(self, path: str, body: dict, **headers):
        return self.client.post(
            f"/api/{path}", json.dumps(body), "application/json", headers=self.headers(headers)
        )

    def patch(self, path: str, body: dict, **headers):
        return self.client.patch(
            f"/api/{path}", json.dumps(body), "application/json", headers=self.headers(headers)
        )


@pytest.fixture
def author(django_user_model):
    return django_user_model.objects.create_superuser("author", "a@example.com", "pw")


@pytest.fixture
def api(client, author) -> ApiClient:
    _, secret = ApiToken.issue(author, "tests")
    return ApiClient(client, secret)


@pytest.fixture
def read_only_api(client, author) -> ApiClient:
    _, secret = ApiToken.issue(author, "reader", read_only=True)
    return ApiClient(client, secret)


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if field is not None:
        assert field in [error["field"] for error in problem["errors"]], problem
    return problem
