"""Lists that mix the four kinds (tags, archives): union `(kind, pk, date)`, then bulk-load."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import models

from site_project.models import Publishable, content_models


@dataclass
class MixedList(Sequence):
    """A lazily evaluated, date-ordered sequence over several kinds, for `Paginator`.

    `filter_for(model)` returns that kind's published queryset narrowed as the page needs.
    Counting and slicing each cost one query; loading a page costs one query per kind.
    """

    filter_for: Callable[[type[Publishable]], models.QuerySet]

    def rows(self) -> models.QuerySet:
        """`(kind label, pk, published_at)` of every item, newest first."""
        return self._union().order_by("-published_at", "-pk")

    def _union(self) -> models.QuerySet:
        parts = [
            self.filter_for(model)
            .order_by()
            .annotate(kind=models.Value(model._meta.label_lower, output_field=models.CharField()))
            .values_list("kind", "pk", "published_at")
            for model in content_models()
        ]
        first, *rest = parts
        return first.union(*rest, all=True)

    def count(self) -> int:
        return self._union().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return load_items(list(self.rows()[index]))


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
