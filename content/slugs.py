"""Names typed by the author, made into slugs and tag lists; URLs made from slugs."""

import functools
import re

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import slugify

_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARK = "0slug0"


def unique_slug(model: type[models.Model], text: str, exclude_pk: int | None = None) -> str:
    """`text` slugified, with -2, -3 … appended until no other row of `model` has it."""
    max_length = model._meta.get_field("slug").max_length
    base = (slugify(text) or "item")[: max_length - 6].strip("-") or "item"
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def parse_tag_names(text: str) -> list[str]:
    """'Python, postgres ,, python' -> ['Python', 'postgres']: comma-separated, deduplicated."""
    names: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())[:60]
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def slug_url(viewname: str, slug: str) -> str:
    """`reverse(viewname, kwargs={"slug": slug})`, resolved once per view: a list page links
    dozens of items, and each `reverse()` walks the URLconf (about a fifth of an archive
    page's time went to it)."""
    if not _PLAIN_SLUG.fullmatch(slug):
        return reverse(viewname, kwargs={"slug": slug})  # reverse() knows how to quote it
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = _slug_url_parts(viewname, urlconf, get_script_prefix())
    return f"{before}{slug}{after}"


@functools.lru_cache(maxsize=128)
def _slug_url_parts(viewname: str, urlconf: str, prefix: str) -> tuple[str, str]:
    # The URLconf and the script prefix are part of the key: tests and mounts change them.
    before, after = reverse(viewname, kwargs={"slug": _MARK}).split(_MARK)
    return before, after
