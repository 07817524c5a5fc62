"""Error views: the site's own pages, and a 500 that needs neither database nor request state.

A database that is down, hung or too slow (an OperationalError: refused or timed-out
connection, statement timeout, a socket shut by the deadline watchdog) is not the site's
bug but a passing outage: readers get a 503 page saying so, with Retry-After.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_UNAVAILABLE)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, so sys.exception() is the error.
    if database_unavailable(sys.exception()):
        return unavailable_response()
    return _page("500.html", status=500)


def unavailable_response() -> HttpResponse:
    response = _page("503.html", status=503)
    response["Retry-After"] = str(settings.DB_RETRY_AFTER)
    # Neither the browser nor a cache in front may keep the outage.
    response["Cache-Control"] = "no-store"
    return response


def _page(template_name: str, status: int) -> HttpResponse:
    # A plain Context, no context processors: whatever broke must not break this page too.
    template = loader.get_template(template_name)
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "STATIC_URL": settings.STATIC_URL,
        "RETRY_AFTER": settings.DB_RETRY_AFTER,
    }
    return HttpResponse(template.render(context), status=status)
