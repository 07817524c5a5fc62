"""The home page: a section of each kind's newest items, every section from one statement
written in SQL, as mixed lists are (`content.mixed`).

Built through the ORM, the four small lists cost Django about 3.5 ms (building and compiling
four querysets, then making their instances) for 0.5 ms of PostgreSQL's work; the home page
took 7-10 ms in all (`docs/performance.md`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from content.mixed import stub_columns, stubs
from content.querysets import tag_list, tags_of
from content.sql import Table, rows, where_of


@dataclass
class Section:
    """What the home page shows of one kind (`Publishable.home_section()`), displayed by its
    `<app>/_home.html`; `load()` fills `items` (and `total`) for every section at once.

    `queryset` is the kind's published items, narrowed by their own columns (`where_of`).
    With a `limit`, the section shows the newest `limit` of them, newest first; without, all
    of them, oldest first (a day of learnings).
    """

    queryset: models.QuerySet
    # What `_home.html` shows of an item besides its title, link and date.
    fields: tuple[str, ...]
    limit: int | None
    with_tags: bool = False
    # Count every item `queryset` holds, not only those shown (`total`), in the same scan.
    counted: bool = False
    # Anything else the template needs (the week a section of bookmarks is about).
    context: dict = field(default_factory=dict)
    items: list = field(default_factory=list)
    total: int | None = None

    @property
    def newest_first(self) -> bool:
        return self.limit is not None

    @property
    def template(self) -> str:
        return f"{self.queryset.model._meta.app_label}/_home.html"

    def statement(self) -> tuple[str, list]:
        """SQL for `(kind, pk, published_at, title, slug, [fields], tags, total)` rows: what
        `stubs` reads, then the tags (`tags_of`) and the count (or nulls)."""
        model = self.queryset.model
        table = Table(model)
        where, params = where_of(self.queryset)
        newest = "DESC" if self.newest_first else ""
        tags = tags_of(table.tag_ids) if self.with_tags else "NULL::json"
        # A window over the rows the WHERE keeps, computed before the LIMIT.
        total = "count(*) OVER ()" if self.counted else "NULL::bigint"
        sql = (
            f"SELECT %s, {stub_columns(model)}, json_build_array({table.columns(*self.fields)}),"
            f" {tags}, {total} FROM {table.name} WHERE {where}"
            f" ORDER BY {table.column('published_at')} {newest}, {table.column('id')} {newest}"
        )
        if self.newest_first:
            sql += f" LIMIT {int(self.limit)}"
        return f"({sql})", [model._meta.app_label, *params]


def load(sections: list[Section]) -> None:
    """Fill every section's items, in one query."""
    by_label = {section.queryset.model._meta.app_label: section for section in sections}
    statements = [section.statement() for section in sections]
    found = rows(
        " UNION ALL ".join(sql for sql, _ in statements),
        [param for _, params in statements for param in params],
    )
    items = stubs(found, fields=lambda model: by_label[model._meta.app_label].fields)
    for section in sections:
        section.total = 0 if section.counted else None
    for item, (label, *_, tags, total) in zip(items, found, strict=True):
        section = by_label[label]
        if section.with_tags:
            item.tag_list = tag_list(tags)
        section.items.append(item)
        section.total = total
    for section in sections:
        # A union promises no order of its own: each section puts its items in order here.
        section.items.sort(key=lambda i: (i.published_at, i.pk), reverse=section.newest_first)
