"""A test-only URLconf (never in production's): views that hold the database, for the
statement timeout and fault tests."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from site_project.urls import handler500  # noqa: F401
from site_project.urls import urlpatterns as site_urlpatterns


def sleep(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET.get("seconds", "30"))])
    return HttpResponse("slept")


def statement_timeout(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return HttpResponse(cursor.fetchone()[0])


urlpatterns = [
    path("test-only/sleep/", sleep),
    path("test-only/statement-timeout/", statement_timeout),
    *site_urlpatterns,
]
