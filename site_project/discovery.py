"""How readers and robots find things: the feed views, the /feeds/ page, robots.txt."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from bookmarks.feeds import WeeklyFeed
from site_project.feedgen import FORMATS
from site_project.feeds import (
    BookmarkFeed,
    ContentFeed,
    LearningFeed,
    NoteFeed,
    PostFeed,
    TagFeed,
)
from site_project.models import Tag, site_url

SECTIONS: dict[str, type[ContentFeed]] = {
    feed.section: feed
    for feed in (ContentFeed, PostFeed, NoteFeed, LearningFeed, BookmarkFeed, WeeklyFeed)
}

FORMAT_NAMES = {"rss": "RSS 2.0", "atom": "Atom 1.0", "json": "JSON Feed 1.1"}

# Prefixes, not pages: search results, private previews and the editor are not for indexing.
DISALLOWED = ("/admin/", "/search/", "/preview/")


@require_safe
def section_feed(request: HttpRequest, section: str, fmt: str) -> HttpResponse:
    if section not in SECTIONS or fmt not in FORMATS:
        raise Http404("No such feed")
    return SECTIONS[section](fmt)(request)


@require_safe
def tag_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such feed format")
    return TagFeed(fmt, get_object_or_404(Tag, slug=slug))(request)


def feed_directory() -> list[dict]:
    """Every section's feeds, for the /feeds/ page: label, explanation, one link per format."""
    return [
        {
            "section": section,
            "label": feed.label,
            "explanation": feed.explanation,
            "links": [
                {
                    "format": FORMAT_NAMES[fmt],
                    "url": reverse("feed", args=[section, fmt]),
                    "type": generator.content_type.split(";")[0],
                }
                for fmt, generator in FORMATS.items()
            ],
        }
        for section, feed in SECTIONS.items()
    ]


@require_safe
def feed_list(request: HttpRequest) -> HttpResponse:
    # A real, well-used tag makes the tag-feed example copyable.
    example = (
        Tag.objects.with_counts().filter(item_count__gt=0).order_by("-item_count", "name").first()
    )
    return render(
        request,
        "site_project/feeds.html",
        {"feeds": feed_directory(), "example_tag": example},
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in DISALLOWED),
        "",
        f"Sitemap: {site_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
