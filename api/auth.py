"""`Authorization: Bearer <token>`, the user's permissions, and a rate limit per token."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from api.models import ApiToken
from api.problems import Problem


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiToken:
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if not header:
            raise AuthenticationError(401, "Send a token: Authorization: Bearer <token>.")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(401, "The Authorization header must be `Bearer <token>`.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = ApiToken.authenticate(token)
        if found is None:
            raise AuthenticationError(401, "The token is not valid: unknown, or revoked.")
        # Views and Django's permission checks see the token's user.
        request.user = found.user
        return found


class TokenRateThrottle(SimpleRateThrottle):
    """`API_RATE_LIMIT` requests per period per token (e.g. "120/min"), counted in the
    default cache: per process unless the cache is shared."""

    scope = "token"

    def __init__(self) -> None:
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read on each request, so a changed setting (and the test suite's) applies.
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        return f"api-throttle:{token.pk}" if token is not None else None


ACTIONS = {"view": "read", "add": "add", "change": "change"}


def require(request: HttpRequest, model: type[models.Model], action: str) -> None:
    """403 unless the token may write (for add and change) and its user has the model's
    Django permission `<app>.<action>_<model>`."""
    token: ApiToken = request.auth
    if action != "view" and token.read_only:
        raise Problem(403, "This token is read-only: it may list and read, not write.")
    meta = model._meta
    if not token.user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}"):
        raise Problem(
            403,
            f"{token.user.get_username()} may not {ACTIONS[action]} {meta.verbose_name_plural}.",
        )
