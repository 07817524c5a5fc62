"""Error views: the site's own pages, and a 500 that needs neither database nor request state."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # A plain Context, no context processors: whatever broke must not break this page too.
    template = loader.get_template("500.html")
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "STATIC_URL": settings.STATIC_URL,
    }
    return HttpResponseServerError(template.render(context))
