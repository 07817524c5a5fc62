"""`{% feed_links %}`: the <link rel="alternate"> tags that let feed readers find a feed."""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, format_html_join

from content.models import site_url
from feeds.formats import FORMATS

register = template.Library()

FORMAT_TITLES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@register.simple_tag
def feed_links(title: str, url_name: str, *args) -> str:
    """One link per format to the feed `url_name` (`args` are its URL arguments).

    Every page writes two or three sets, the same on every page of a section, and each set
    reverses three URLs: kept per feed, site address and URL prefix. The title is escaped
    first, so the key is the text the page gets.
    """
    return _feed_links(
        conditional_escape(title),
        url_name,
        tuple(str(arg) for arg in args),
        settings.SITE_URL,
        get_script_prefix(),
        get_urlconf(),
    )


@functools.lru_cache(maxsize=1024)
def _feed_links(title: str, url_name: str, args: tuple, *key) -> str:
    # `key` (site address, URL prefix, URLconf) is read by `site_url` and `reverse` from where
    # they live; it is passed only so that the cache tells them apart.
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
