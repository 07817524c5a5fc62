"""Error views: the site's own pages, a 500 that needs neither database nor request state, and
CSRF failures the editor can explain."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views import csrf
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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The editor's requests get a message it can show (static/js/editor-uploads.js);
    everything else gets Django's own page."""
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        message = (
            "This page's security token is no longer valid (you may have signed in again "
            "elsewhere). Copy your text, reload the page and try again."
        )
        return JsonResponse({"error": message}, status=403)
    return csrf.csrf_failure(request, reason)
