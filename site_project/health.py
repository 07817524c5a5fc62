from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def livez(request: HttpRequest) -> HttpResponse:
    """The process answers: for the container's HEALTHCHECK, never touches the database."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Ready to serve: the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        # Within the connect timeout or the statement deadline (site_project/postgres/).
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Retry-After"] = str(settings.DB_RETRY_AFTER)
        return response
    return HttpResponse("ok\n", content_type="text/plain")
