"""Errors as `application/problem+json` (RFC 9457): a title, the status, a detail for
people and, for invalid input, `errors` naming each field (with a JSON pointer)."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.html import strip_tags
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as InputError

logger = logging.getLogger(__name__)
CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    422: "Invalid input",
    429: "Too many requests",
    500: "Server error",
}


class Problem(HttpError):
    """Raised by views; answered as a problem document."""

    def __init__(
        self, status: int, detail: str, errors: list[dict] | None = None, **headers: str
    ) -> None:
        super().__init__(status, detail)
        self.errors = errors or []
        self.headers = headers


def field_error(path: list[str | int], message: str) -> dict:
    parts = [str(part) for part in path]
    return {
        "field": ".".join(parts),
        "pointer": "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts),
        "message": message,
    }


def from_model_error(error: ModelValidationError) -> Problem:
    """A model's full_clean() error as a 422 naming each field."""
    fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    errors = [
        field_error([name] if name and name != "__all__" else [], strip_tags(message))
        for name, messages in fields.items()
        for message in messages
    ]
    return Problem(
        422, "; ".join(f"{e['field'] or 'item'}: {e['message']}" for e in errors), errors
    )


def response(status: int, detail: str, errors: list[dict] | None = None) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)


def _input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
    """Pydantic's errors: body problems are 422; query or path problems are 400."""
    errors = []
    status = 400
    for error in exc.errors:
        source, *path = error["loc"]
        if source == "body":
            status = 422
            path = path[1:] if path and path[0] == "payload" else path
        errors.append(field_error(path, error["msg"]))
    summary = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors)
    return response(status, summary, errors)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    answer = response(exc.status_code, str(exc), getattr(exc, "errors", None))
    for name, value in getattr(exc, "headers", {}).items():
        answer[name.replace("_", "-")] = value
    if isinstance(exc, AuthenticationError):
        answer["WWW-Authenticate"] = 'Bearer realm="api"'
    return answer


def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = f" Retry in {int(exc.wait) + 1} s." if exc.wait else ""
    return response(429, f"This token has sent too many requests.{wait}")


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return response(404, str(exc) or "No such item.")


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return response(500, "The server failed to answer; the error is logged.")


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(InputError, _input_error)
    api.add_exception_handler(Throttled, _throttled)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(Exception, _server_error)
