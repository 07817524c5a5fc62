"""The API: one router per kind (from `content_models()`), Markdown push, the OpenAPI
document at /api/openapi.json and its Swagger UI at /api/docs (served from static files)."""

from django.conf import settings
from ninja import NinjaAPI

from api import problems
from api.auth import BearerToken, TokenRateThrottle
from api.kinds import kind_router
from api.markdown import router as markdown_router
from content.models import content_models

ERROR_ANSWERS = {
    "400": "Bad request: a query parameter or header is invalid, or the body is not JSON.",
    "401": "No token, or a token that is unknown or revoked.",
    "403": "A read-only token writing, or a user without the Django permission.",
    "404": "No such item or page.",
    "409": "A concurrent write of the same slug or link.",
    "422": "Invalid input: `errors` names each field.",
    "429": "Too many requests with this token: see Retry-After.",
}
PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "pointer", "message"],
                "properties": {
                    "field": {"type": "string"},
                    "pointer": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


class SiteAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Every operation documents its error answers as application/problem+json."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
        content = {problems.CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, description in ERROR_ANSWERS.items():
                    operation["responses"][status] = {
                        "description": description,
                        "content": content,
                    }
        return schema


api = SiteAPI(
    title=f"{settings.SITE_NAME} API",
    version="1",
    description="Write to the site from scripts, `sitectl` and agents. Send "
    "`Authorization: Bearer <token>` (`manage.py api_token create USERNAME`). Errors are "
    "application/problem+json (RFC 9457).",
    auth=BearerToken(),
    throttle=[TokenRateThrottle()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
for model in content_models():
    api.add_router(f"/{model._meta.app_label}", kind_router(model))
api.add_router("/markdown", markdown_router)
