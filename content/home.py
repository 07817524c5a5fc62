"""What the home page shows of each kind: a `Section`, which a kind describes
(`Publishable.home_section()`) and `content.mixed.load_sections()` fills, every section from
one statement."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

HOME_ITEMS = 5


@dataclass
class Section:
    """What the home page shows of one kind, displayed by its `<app>/_home.html`.

    `queryset` is the kind's published items, narrowed by their own columns (`where_of`).
    With a `limit`, the section shows the newest `limit` of them, newest first; without, all
    of them, oldest first (a day of learnings).
    """

    queryset: models.QuerySet
    # What `_home.html` shows of an item besides its title, link and date.
    fields: tuple[str, ...]
    limit: int | None = HOME_ITEMS
    with_tags: bool = False
    # Count every item `queryset` holds, not only those shown (`total`), in the same scan.
    counted: bool = False
    # Anything else the template needs (the week a section of bookmarks is about).
    context: dict = field(default_factory=dict)
    # Filled by `load_sections()`; `total` stays None unless `counted`.
    items: list = field(default_factory=list)
    total: int | None = None

    @property
    def newest_first(self) -> bool:
        return self.limit is not None

    @property
    def template(self) -> str:
        return f"{self.queryset.model._meta.app_label}/_home.html"
