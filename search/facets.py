"""The facets beside the results (kind, tag, year), and the slow-changing lists they offer
when the results cannot be counted exactly."""

from __future__ import annotations

import time
from collections import Counter
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils import timezone

from content.models import Tag, content_models
from content.querysets import union_all
from search.forms import SearchForm
from search.results import Results, Search

# Tags offered beside the results.
FACET_TAGS = 10


def _kind_count(search: Search, results: Results, kind: str) -> int | str:
    n = results.counts[kind]
    return f"{n}+" if n >= search.window and not results.complete else n


def link(form: SearchForm, **changes) -> str:
    return f"{reverse('search')}?{urlencode(form.params(**changes))}"


def facets(form: SearchForm, search: Search, results: Results) -> list[tuple]:
    """Counts among the results, each linking to the search narrowed by that value: a count is
    exactly what its link finds. A chosen filter shows alone, with a link that removes it.

    When the results are incomplete (a kind with more than `search.window` matches), the counts
    by kind are lower bounds ("100+"), and years and tags are offered without counts.
    """
    exact = results.complete

    def facet(label, count, url, selected=False) -> dict:
        return {"label": label, "count": count, "url": url, "selected": selected}

    kinds = [
        facet(
            str(model._meta.verbose_name_plural).capitalize(),
            _kind_count(search, results, model._meta.app_label),
            link(form, kind=model._meta.app_label),
            selected=search.kind == model._meta.app_label,
        )
        for model in search.models()
    ]
    if search.year:
        years = [facet(search.year, results.total if exact else None, "", selected=True)]
    elif exact:
        years = [facet(year, n, link(form, year=year)) for year, n in results.year_counts()]
    else:
        years = [facet(year, None, link(form, year=year)) for year in published_years()]
    if search.tag:
        tags = [facet(search.tag.name, results.total if exact else None, "", selected=True)]
    else:
        tags = [
            facet(tag.name, n if exact else None, link(form, tag=tag.slug))
            for tag, n in named(results.tag_counts(), FACET_TAGS)
        ]
    # (heading, values, link that removes the filter, its text), in the order shown.
    return [
        ("Kind", kinds, link(form, kind=None) if search.kind else None, "All kinds"),
        ("Tag", tags, link(form, tag=None) if search.tag else None, "Any tag"),
        ("Year", years, link(form, year=None) if search.year else None, "Any year"),
    ]


def published_years() -> list[int]:
    """Every year from the newest published item back to the oldest, newest first.

    It only decides which year links a broad search offers, so a few minutes old is fine.
    """

    def compute() -> list[int]:
        parts = [
            model.objects.published()
            .order_by()
            .annotate(one=models.Value(1))
            .values("one")
            .annotate(first=models.Min("published_at"), last=models.Max("published_at"))
            .values_list("first", "last")
            for model in content_models()
        ]
        dates = [timezone.localtime(d) for row in union_all(parts) for d in row if d is not None]
        return list(range(max(dates).year, min(dates).year - 1, -1)) if dates else []

    return _remembered("years", compute)


def popular_tags(limit: int) -> list[tuple[Tag, int]]:
    """The `limit` tags on most published items, with their counts (cached with the tag
    counts: one query when they are)."""
    return [(tag, tag.item_count) for tag in Tag.objects.published_counts()[:limit]]


def named(counts: Counter[int], limit: int) -> list[tuple[Tag, int]]:
    """The `limit` most counted tags as (Tag, count), ties by name: one query."""
    top = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
    if not top:
        return []
    tags = Tag.objects.only("name", "slug").in_bulk([tag_id for tag_id, _ in top])
    top.sort(key=lambda pair: (-pair[1], tags[pair[0]].name.casefold()))
    return [(tags[tag_id], n) for tag_id, n in top]


# Slow-changing answers, per process: {key: (expiry on the monotonic clock, value)}.
_memo: dict[str, tuple[float, object]] = {}
MEMO_SECONDS = 300


def _remembered(key: str, compute):
    now = time.monotonic()
    if key in _memo and _memo[key][0] > now:
        return _memo[key][1]
    value = compute()
    _memo[key] = (now + MEMO_SECONDS, value)
    return value
