"""Schemathesis generates requests from /api/openapi.json, valid and invalid, for every
operation: no answer may be a 5xx, and every answer must match the schema (status code,
content type, body, headers); schema-invalid input must be rejected.

Requests go to the site's WSGI handler in this process, inside the test's transaction.
(Schemathesis's own pytest plugin does not run under pytest 9 yet, so each operation is
a parametrized test driving the operation's Hypothesis strategy.)
"""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.api import api
from api.models import ApiToken
from tests.factories import make_bookmark, make_learning, make_note, make_post

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# The schema /api/openapi.json serves.
SCHEMA = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/"), cls=DjangoJSONEncoder))
)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture
def api_secret(db, django_user_model, settings) -> str:
    settings.API_RATE_LIMIT = "100000/min"
    author = django_user_model.objects.create_superuser("schema", "s@example.com", "pw")
    # Something to list, get and update.
    for make in (make_post, make_note, make_learning, make_bookmark):
        make(tags=["python"])
    return ApiToken.issue(author, "schemathesis")[1]


@pytest.fixture
def wsgi_app():
    # The WSGI handler would close the test's connection (and its transaction) after each
    # request, as it does between real requests; Django's test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_api_answers_as_its_schema_says(operation, mode, api_secret, wsgi_app):
    headers = {"Authorization": f"Bearer {api_secret}"}
    checks = CHECKS + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=checks, app=wsgi_app)

    run()
