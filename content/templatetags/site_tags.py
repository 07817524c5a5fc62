"""Presentation helpers only: no rendering, no queries."""

import datetime
import functools
import json
import re
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils import formats, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from content.cards import HEIGHT, WIDTH, card_of
from content.models import site_url

register = template.Library()

# JSON inside <script> must not be able to close the element.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(type: str, **data) -> str:
    """schema.org JSON-LD for `type`, with the site's author; empty values are left out."""
    payload = {
        "@context": "https://schema.org",
        "@type": type,
        "author": {"@type": "Person", "name": settings.SITE_AUTHOR},
        **{key: value for key, value in data.items() if value},
    }
    text = json.dumps(payload, default=str, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def og_image(subject: object = None) -> str:
    """The Open Graph and Twitter image tags for the card of `subject` (an item, a tag, or
    None for the site's own card)."""
    if not subject or getattr(subject, "is_published", True) is False:
        subject = None  # a draft's preview shows the site's card: its own is not public
    card = card_of(subject)
    return format_html(
        '<meta property="og:image" content="{url}">\n'
        '<meta property="og:image:type" content="image/png">\n'
        '<meta property="og:image:width" content="{width}">\n'
        '<meta property="og:image:height" content="{height}">\n'
        '<meta property="og:image:alt" content="{alt}">\n'
        '<meta name="twitter:image" content="{url}">\n'
        '<meta name="twitter:image:alt" content="{alt}">',
        url=site_url(card.url),
        width=WIDTH,
        height=HEIGHT,
        alt=card.alt,
    )


@register.filter
def absolute(path: str) -> str:
    """A site path as an absolute URL, for canonical links, cards and feeds."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_url(path)


@register.filter
def excerpt(text: str, limit: int = 240) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[: limit - 1]
    return cut.rstrip(" ,;:.-–—…") + "…"


@register.filter
def url_parts(url: str) -> tuple[str, str]:
    """(domain, rest) of a URL, to show it readably: no scheme, no "www.", no final slash."""
    parts = urlsplit(str(url))
    domain = parts.netloc.rpartition("@")[2].removeprefix("www.")
    rest = parts.path.rstrip("/")
    rest += f"?{parts.query}" if parts.query else ""
    rest += f"#{parts.fragment}" if parts.fragment else ""
    return domain, rest


# Django's date format characters that depend on the day alone (no time, no time zone).
_DAY_CHARACTERS = frozenset("bdDEFjlLmMnNoSwWyYz")


@functools.cache
def _of_day_alone(fmt: str) -> bool:
    return set(re.findall(r"(?<!\\)[a-zA-Z]", fmt)) <= _DAY_CHARACTERS


@functools.lru_cache(maxsize=4096)
def _day_text(day: datetime.date, fmt: str, language: str) -> str:
    return formats.date_format(day, fmt)


@register.filter(expects_localtime=True)
def time_tag(value: datetime.date | None, fmt: str = "F j, Y") -> str:
    """`<time datetime="…">…</time>` for a date or a datetime (in the author's time zone),
    the text in Django's date format `fmt`: what `|date:'c'` and `|date:fmt` wrote.

    Lists show dozens of dates, and Django's date filter costs 10-20 µs a call (a list of 50
    spent 2 ms on them); items share days, so a day's text is kept per format.
    """
    if not value:
        return ""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if _of_day_alone(fmt):
        text = _day_text(day, fmt, translation.get_language())
    else:
        text = formats.date_format(value, fmt)
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


@register.filter
def tag_links(tags: list) -> str:
    """Tags as a list of links: a few per card, so a filter rather than an include (an
    include cost 50 µs a card, a tenth of a tag page's rendering)."""
    if not tags:
        return ""
    links = format_html_join(
        "",
        '<li><a href="{}" rel="tag">#{}</a></li>',
        ((t.get_absolute_url(), t.name) for t in tags),
    )
    return format_html('<ul class="tag-list" aria-label="Tags">{}</ul>', links)
