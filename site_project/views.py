"""The pages that belong to no app: the home page (the one view that shows every kind),
robots.txt and /favicon.ico."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from content.mixed import load_sections
from content.models import content_models, site_url
from content.public import public_page

# Prefixes, not pages: search results, private previews and the editor are not for indexing.
DISALLOWED = ("/admin/", "/search/", "/preview/")


@public_page(params=())
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # Each kind says what it shows here; its `<app>/_home.html` shows it.
    sections = [model.home_section() for model in content_models()]
    load_sections(sections)
    return render(request, "home.html", {"sections": sections})


@public_page(params=())
@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in DISALLOWED),
        "",
        f"Sitemap: {site_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=86_400)
def favicon(request: HttpRequest) -> FileResponse:
    # Pages link the SVG and PNG icons; this is for browsers and crawlers that ask anyway.
    path = finders.find("icons/favicon.ico")
    if path is None:  # pragma: no cover - the file is committed
        raise Http404("No favicon")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")
