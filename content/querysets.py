"""What a reader may see (`published()`), and the queries every kind answers the same way."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.contrib.postgres.search import SearchQuery
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone

from content.sql import Table, rows, where_of

# The annotation that carries an item's tags until `tag_list` takes them (`with_tag_lists`).
TAG_ROWS = "tag_rows_json"
# The text search configuration of every kind's `search_vector` (see the search app).
SEARCH_CONFIG = "english"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def local_midnight(day: datetime.date, plus_days: int = 0) -> datetime.datetime:
    """The start of `day` (plus some days) in the author's time zone."""
    day = day + datetime.timedelta(days=plus_days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def kind_label(model: type[models.Model]) -> models.Value:
    """The kind's app label as a column, telling the kinds apart in a `union_all`."""
    return models.Value(model._meta.app_label, output_field=models.CharField())


def union_all(parts: list[models.QuerySet]) -> list[tuple]:
    """UNION ALL of compatible querysets, evaluated as one query."""
    if not parts:
        return []
    first, *rest = parts
    if not rest:
        return list(first)
    # The union would inherit the models' Meta.ordering, which names columns it lacks.
    return list(first.union(*rest, all=True).order_by())


def text_query(text: str) -> SearchQuery:
    """Web-search syntax ("quoted phrase", -excluded, a or b) over `search_vector`: never a
    syntax error, whatever the text."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def tags_of(tag_ids: str) -> str:
    """SQL for the tags whose ids are in `tag_ids` (an SQL array, e.g. `Table.tag_ids`): JSON
    `[[id, name, slug], …]`, or null. Rows that carry it bring their tags with them (`tag_list`
    reads it): about 10 µs a row, where a second query cost a page 0.5-1 ms.

    The ids are cast to the key's type: compared as smallint[], the planner scanned the whole
    tag table for every row (0.4 ms a row at 300 tags) instead of probing its key."""
    tag_model = apps.get_model("site_project", "Tag")  # not imported: its module imports this one
    tag, key_type = Table(tag_model), tag_model._meta.pk.db_type(connection)
    return (
        f"(SELECT json_agg(json_build_array({tag.columns('id', 'name', 'slug')}))"
        f" FROM {tag.name} WHERE {tag.column('id')} = ANY({tag_ids}::{key_type}[]))"
    )


def tag_list(found: list | None) -> list:
    """The tags `tags_of()` found (psycopg decodes the JSON), as Tag instances, by name."""
    tag_model = apps.get_model("site_project", "Tag")
    return by_name(tag_model(pk=pk, name=name, slug=slug) for pk, name, slug in found or ())


def by_name(tags) -> list:
    """Tags in the order pages list them."""
    return sorted(tags, key=lambda tag: tag.name.casefold())


class PublishableQuerySet(models.QuerySet):
    def published(self) -> PublishableQuerySet:
        """What a reader may see. The only place this rule is written.

        A future `published_at` is a scheduled item: it appears when its time comes.
        """
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self) -> PublishableQuerySet:
        """Published, with a time still to come: what `published()` will show later."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self) -> PublishableQuerySet:
        return self.filter(status=Status.DRAFT)

    def for_list(self, with_html: bool = False, with_tags: bool = True) -> PublishableQuerySet:
        """Lists load only what they show: never the source, the HTML and tags when asked.
        (Lists mixing kinds load every kind's tags at once: `content.mixed`.)"""
        heavy = ["body", "toc", "render_warnings", "search_vector"]
        heavy += [] if with_html else ["body_html"]
        items = self.defer(*heavy)
        return items.with_tag_lists() if with_tags else items

    def with_tag_lists(self) -> PublishableQuerySet:
        """Items whose `tag_list` is set when the queryset is evaluated, from the same query
        (`tags_of`). `prefetch_related("tags")` did the same in 3-4 ms per list, most of it
        Django building the second query and matching the rows."""
        tags = RawSQL(tags_of(Table(self.model).tag_ids), (), output_field=models.Field())
        return self.annotate(**{TAG_ROWS: tags})

    def _fetch_all(self) -> None:
        # Where Django runs prefetch_related's lookups, once the rows are in.
        loading = self._result_cache is None
        super()._fetch_all()
        if (
            loading
            and TAG_ROWS in self.query.annotations
            and self._iterable_class is models.query.ModelIterable
        ):
            for item in self._result_cache:
                item.tag_list = tag_list(item.__dict__.pop(TAG_ROWS))

    def neighbours(
        self, start: datetime.datetime, end: datetime.datetime | None = None
    ) -> tuple[models.Model | None, models.Model | None]:
        """(the newest item before `start`, the oldest at or after `end`): two index scans,
        in one query, each row enough to link to (title, slug, date).

        For one item, `start` is its date and `end` just after it; for a period, its bounds.
        SQL around this queryset's filters (`content.sql`): as two querysets and a union,
        Django took twice as long to build it as PostgreSQL to answer.
        """
        end = end or start + datetime.timedelta(microseconds=1)
        table = Table(self.model)
        where, params = where_of(self)
        key, date = table.column("id"), table.column("published_at")
        select = f"SELECT {table.columns('id', 'published_at', 'title', 'slug')}"
        sql = (
            f"({select} FROM {table.name} WHERE {where} AND {date} < %s"
            f" ORDER BY {date} DESC, {key} DESC LIMIT 1) UNION ALL"
            f" ({select} FROM {table.name} WHERE {where} AND {date} >= %s"
            f" ORDER BY {date}, {key} LIMIT 1)"
        )
        found = [
            self.model(pk=pk, published_at=published_at, title=title, slug=slug)
            for pk, published_at, title, slug in rows(sql, [*params, start, *params, end])
        ]
        return (
            next((item for item in found if item.published_at < start), None),
            next((item for item in found if item.published_at >= end), None),
        )

    def matching(self, text: str) -> PublishableQuerySet:
        return self.filter(search_vector=text_query(text))


def summarise(
    querysets: list[models.QuerySet],
) -> tuple[int, datetime.datetime | None, datetime.datetime | None]:
    """(count, newest updated_at, newest published_at) over `querysets`, in one query.

    The admin's dashboard counts drafts and scheduled items with it.
    """
    parts = [
        queryset.order_by()
        .values(one=models.Value(1, output_field=models.IntegerField()))
        .annotate(
            n=models.Count("*"),
            updated=models.Max("updated_at"),
            published=models.Max("published_at"),
        )
        .values_list("n", "updated", "published")
        for queryset in querysets
    ]
    rows = union_all(parts)
    count = sum(row[0] for row in rows)
    updated = max((row[1] for row in rows if row[1]), default=None)
    published = max((row[2] for row in rows if row[2]), default=None)
    return count, updated, published
