"""The feed views and /feeds/. The sections come from the project's URLconf, which assembles
them (`site_project.urls`), so this app never names a kind."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from content.models import Tag
from content.public import public_page
from feeds.base import ContentFeed, TagFeed
from feeds.formats import FORMATS

FORMAT_NAMES = {"rss": "RSS 2.0", "atom": "Atom 1.0", "json": "JSON Feed 1.1"}

Sections = dict[str, type[ContentFeed]]


@public_page(params=())
@require_safe
def section_feed(request: HttpRequest, section: str, fmt: str, sections: Sections) -> HttpResponse:
    if section not in sections or fmt not in FORMATS:
        raise Http404("No such feed")
    return sections[section](fmt)(request)


@public_page(params=())
@require_safe
def tag_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    tag = Tag.objects.published_tag(slug)
    if fmt not in FORMATS or tag is None:
        raise Http404("No such feed")
    return TagFeed(fmt, tag)(request)


def feed_directory(sections: Sections) -> list[dict]:
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
        for section, feed in sections.items()
    ]


@public_page(params=())
@require_safe
def feed_list(request: HttpRequest, sections: Sections) -> HttpResponse:
    # A real, well-used tag makes the tag-feed example copyable.
    example = next(iter(Tag.objects.published_counts()), None)
    return render(
        request, "feeds/feed_list.html", {"feeds": feed_directory(sections), "example_tag": example}
    )
