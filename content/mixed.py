"""Lists that mix the kinds (tags, archives, feeds, the home page's sections): one UNION ALL of
every kind's newest rows carrying what the page shows (titles, or a card's fields and tags);
or, for the feeds, the rows' items loaded whole, one query per kind."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import models

from content.home import Section
from content.models import Publishable, Tag, content_models
from content.querysets import tag_list, tags_of
from content.sql import Table, rows, where_of


@dataclass
class MixedList(Sequence):
    """A lazily evaluated, date-ordered sequence over several kinds, for `Paginator`.

    `filter_for(model)` returns that kind's published queryset narrowed as the page needs, by
    its own columns (`content.sql.where_of`); `tag` narrows to the items with that tag.
    A page is made from its rows (`stubs`), which bring their tags (`tags_of`): one query.
    Counting costs one query, or none when the caller knows the total (`known_count`).
    """

    filter_for: Callable[[type[Publishable]], models.QuerySet]
    known_count: int | None = None
    # The rows carry titles and slugs alone (links); else a card's fields too, and tags.
    titles_only: bool = False
    tag: Tag | None = None

    def statement(self, stop: int | None = None, start: int = 0) -> tuple[str, list]:
        """SQL for `(kind, pk, published_at, title, slug[, [card field values], tag ids,
        tags])`, newest first; only rows `start` to `stop` if `stop` is given.

        With `stop`, each kind contributes only its own newest `stop` rows (an index scan),
        so the union never sorts every published item; the tags are looked up for the rows
        kept, not for every row the kinds offered.
        """
        parts, params = [], []
        for model in content_models():
            table = Table(model)
            columns = stub_columns(model, () if self.titles_only else card_fields(model))
            params.append(model._meta.app_label)
            if not self.titles_only:
                columns += f", {table.tag_ids}"
            part = f"SELECT %s, {columns} FROM {table.name}"
            if self.tag is not None:
                part += f" {table.join_links} AND {table.tag_id} = %s"
                params.append(self.tag.pk)
            where, where_params = where_of(self.filter_for(model))
            part += f" WHERE {where}"
            params += where_params
            if stop is not None:
                part = f"({part} ORDER BY 3 DESC, 2 DESC LIMIT {int(stop)})"
            parts.append(part)
        union = " UNION ALL ".join(parts)
        if stop is None:
            return union, params
        newest = "ORDER BY 3 DESC, 2 DESC"
        start = max(int(start), 0)  # as a slice would: never a negative LIMIT or OFFSET
        page = f"{union} {newest} LIMIT {max(int(stop) - start, 0)} OFFSET {start}"
        if self.titles_only:
            return page, params
        return f"SELECT page.*, {tags_of('page.tag_ids')} FROM ({page}) AS page {newest}", params

    def rows(self, stop: int | None = None, start: int = 0) -> list[tuple]:
        return rows(*self.statement(stop, start))

    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        union, params = self.statement()
        return rows(f"SELECT count(*) FROM ({union}) AS items", params)[0][0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        stop = self.count() if index.stop is None else index.stop
        page_rows = self.rows(stop, index.start or 0)
        page = stubs(page_rows)
        if not self.titles_only:
            for item, row in zip(page, page_rows, strict=True):
                item.tag_list = tag_list(row[-1])  # the rows end with their tags
        return page


def load_items(
    rows: list[tuple], load: Callable[[type[Publishable], list[int]], Iterable] | None = None
) -> list[Publishable]:
    """`(kind, pk, …)` rows into model instances, one bulk load per kind, in row order.

    A kind is a model's app label, as everywhere in the project.

    `load(model, pks)` fetches one kind's items; by default, what lists show (`for_list()`).
    """
    load = load or (lambda model, pks: model.objects.for_list(with_tags=False).filter(pk__in=pks))
    by_label = {model._meta.app_label: model for model in content_models()}
    wanted: dict[str, list[int]] = {}
    for label, pk, *_ in rows:
        wanted.setdefault(label, []).append(pk)
    loaded = {}
    for label, pks in wanted.items():
        for item in load(by_label[label], pks):
            loaded[(label, item.pk)] = item
    return [loaded[(label, pk)] for label, pk, *_ in rows if (label, pk) in loaded]


def card_fields(model: type[Publishable]) -> tuple[str, ...]:
    """What a card in a mixed list shows of an item besides its title, slug and date."""
    return (model.summary_field, *model.card_extra_fields)


def stub_columns(model: type[Publishable], fields: tuple[str, ...] = ()) -> str:
    """SQL for what `stubs` makes one of `model`'s items from, after its kind: `id,
    published_at, title, slug`, then the values of `fields` (a card's, `card_fields()`) as one
    JSON array: the fields differ by kind, and one array keeps a union's columns alike while
    each value keeps its type (a reading time, a list of sources)."""
    table = Table(model)
    columns = table.columns("id", "published_at", "title", "slug")
    if fields:
        columns += f", json_build_array({table.columns(*fields)}) AS fields"
    return columns


def stubs(
    rows: list[tuple], fields: Callable[[type[Publishable]], tuple[str, ...]] = card_fields
) -> list[Publishable]:
    """Items made from `(kind, pk, published_at, title, slug[, [field values], …])` rows,
    without a query: enough for a title that links to its page, or for a card (the values
    are of `fields(model)`: by default, a card's)."""
    by_label = {model._meta.app_label: model for model in content_models()}
    items = []
    for label, pk, published_at, title, slug, *more in rows:
        model = by_label[label]
        values = dict(zip(fields(model), more[0], strict=True)) if more else {}
        items.append(model(pk=pk, published_at=published_at, title=title, slug=slug, **values))
    return items


def load_sections(sections: list[Section]) -> None:
    """Fill every home-page section's items (and counts), in one query.

    Built through the ORM, the four small lists cost Django about 3.5 ms (building and
    compiling four querysets, then making their instances) for 0.5 ms of PostgreSQL's work.
    """
    by_label = {section.queryset.model._meta.app_label: section for section in sections}
    statements = [section_statement(section) for section in sections]
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


def section_statement(section: Section) -> tuple[str, list]:
    """SQL for a section's `(kind, pk, published_at, title, slug, [fields], tags, total)`
    rows: what `stubs` reads, then the tags (`tags_of`) and the count (or nulls)."""
    model = section.queryset.model
    table = Table(model)
    where, params = where_of(section.queryset)
    order = "DESC" if section.newest_first else ""
    tags = tags_of(table.tag_ids) if section.with_tags else "NULL::json"
    # A window over the rows the WHERE keeps, computed before the LIMIT.
    total = "count(*) OVER ()" if section.counted else "NULL::bigint"
    sql = (
        f"SELECT %s, {stub_columns(model, section.fields)}, {tags}, {total}"
        f" FROM {table.name} WHERE {where} ORDER BY 3 {order}, 2 {order}"
    )
    if section.newest_first:
        sql += f" LIMIT {int(section.limit)}"
    return f"({sql})", [model._meta.app_label, *params]
