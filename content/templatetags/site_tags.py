"""Presentation helpers only: no rendering, no queries."""

import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.filter
def absolute(path: str) -> str:
    """A site path as an absolute URL, for canonical links, cards and feeds."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_url(path)
