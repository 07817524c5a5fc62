"""`{% feed_links %}`: the <link rel="alternate"> tags that let feed readers find a feed."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join

from content.models import site_url
from feeds.formats import FORMATS

register = template.Library()

FORMAT_TITLES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@register.simple_tag
def feed_links(title: str, url_name: str, *args) -> str:
    """One link per format to the feed `url_name` (`args` are its URL arguments)."""
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{} ({})" href="{}">',
        (
            (
                generator.content_type.split(";")[0],
                title,
                FORMAT_TITLES[fmt],
                site_url(reverse(url_name, args=[*args, fmt])),
            )
            for fmt, generator in FORMATS.items()
        ),
    )
