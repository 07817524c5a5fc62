"""What a reader may see (`published()`), and the queries every kind answers the same way."""

from __future__ import annotations

import datetime

from django.contrib.postgres.search import SearchQuery
from django.db import models
from django.utils import timezone

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
        return items.prefetch_related("tags") if with_tags else items

    def neighbours(
        self, start: datetime.datetime, end: datetime.datetime | None = None
    ) -> tuple[models.Model | None, models.Model | None]:
        """(the newest item before `start`, the oldest at or after `end`): two index scans,
        in one query.

        For one item, `start` is its date and `end` just after it; for a period, its bounds.
        """
        end = end or start + datetime.timedelta(microseconds=1)
        rows = self.only("title", "slug", "published_at")
        older = rows.filter(published_at__lt=start).order_by("-published_at", "-pk")[:1]
        newer = rows.filter(published_at__gte=end).order_by("published_at", "pk")[:1]
        found = list(older.union(newer, all=True).order_by())
        return (
            next((row for row in found if row.published_at < start), None),
            next((row for row in found if row.published_at >= end), None),
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
