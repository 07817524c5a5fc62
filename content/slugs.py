"""Names typed by the author, made into slugs and tag lists."""

from django.db import models
from django.utils.text import slugify


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
