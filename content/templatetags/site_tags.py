"""Presentation helpers only: no rendering, no queries."""

import json
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.html import format_html
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
