"""Lists that mix the four kinds (tags, archives): union `(kind, pk, date)`, then bulk-load."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models
from django.db.models import Count, IntegerField, Max, QuerySet, Value

from site_project.models import Publishable, Tag, content_models
from site_project.queries import union_all


@dataclass
class MixedList(Sequence):
    """A lazily evaluated, date-ordered sequence over several kinds, for `Paginator`.

    `filter_for(model)` returns that kind's published queryset narrowed as the page needs.
    Counting and slicing each cost one query; loading a page costs one query per kind.
    """

    filter_for: Callable[[type[Publishable]], models.QuerySet]

    def rows(self, stop: int | None = None) -> models.QuerySet:
        """`(kind label, pk, published_at)`, newest first; only the first `stop` if given.

        With `stop`, each kind contributes only its own newest `stop` rows (an index scan),
        so the union never sorts every published item.
        """
        parts = []
        for model in content_models():
            kind = models.Value(model._meta.label_lower, output_field=models.CharField())
            part = (
                self.filter_for(model).annotate(kind=kind).values_list("kind", "pk", "published_at")
            )
            if stop is None:
                parts.append(part.order_by())
            else:
                parts.append(part.order_by("-published_at", "-pk")[:stop])
        first, *rest = parts
        union = first.union(*rest, all=True).order_by("-published_at", "-pk")
        return union if stop is None else union[:stop]

    def count(self) -> int:
        return self.rows().order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        return load_items(list(self.rows(stop)[start:stop]))


def load_items(
    rows: list[tuple], load: Callable[[type[Publishable], list[int]], Iterable] | None = None
) -> list[Publishable]:
    """`(kind label, pk, …)` rows into model instances, one bulk load per kind, in row order.

    `load(model, pks)` fetches one kind's items; by default, what lists show (`for_list()`).
    """
    load = load or (lambda model, pks: model.objects.for_list().filter(pk__in=pks))
    by_label = {model._meta.label_lower: model for model in content_models()}
    wanted: dict[str, list[int]] = {}
    for label, pk, *_ in rows:
        wanted.setdefault(label, []).append(pk)
    loaded = {}
    for label, pks in wanted.items():
        for item in load(by_label[label], pks):
            loaded[(label, item.pk)] = item
    return [loaded[(label, pk)] for label, pk, *_ in rows if (label, pk) in loaded]


def summarise(
    querysets: list[QuerySet],
) -> tuple[int, datetime.datetime | None, datetime.datetime | None]:
    """(count, newest updated_at, newest published_at) over `querysets`, in one query.

    A cheap version of what they contain: feeds' validators and cache keys use it.
    """
    parts = [
        queryset.order_by()
        .values(one=Value(1, output_field=IntegerField()))
        .annotate(n=Count("*"), updated=Max("updated_at"), published=Max("published_at"))
        .values_list("n", "updated", "published")
        for queryset in querysets
    ]
    rows = union_all(parts)
    count = sum(row[0] for row in rows)
    updated = max((row[1] for row in rows if row[1]), default=None)
    published = max((row[2] for row in rows if row[2]), default=None)
    return count, updated, published


def published_tag_counts() -> list[Tag]:
    """`Tag.objects.published_counts()`, cached on the content's own version.

    Counting joins every link (~0.4 s at 100k items); the version is one index-only query,
    so a publish, an edit or a scheduled item coming due shows at once.
    """
    version = summarise([model.objects.published() for model in content_models()])
    key = "tag-counts:" + hashlib.sha1(repr(version).encode()).hexdigest()
    return cache.get_or_set(key, Tag.objects.published_counts, 3600)
