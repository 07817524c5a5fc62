"""Date archives: every year and month with counts (/archive/), and everything published in a
year or a month, newest first, as titles, paginated, with the counts per kind (and, for a
year, per month).

Counting the items of every month, per kind, is one aggregate over all published rows; it is
cached on the content's version (like tag counts), so the periods that exist, their counts and
the neighbouring periods cost nothing per request, and a page of titles costs one query.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from content.mixed import MixedList
from content.models import ContentVersion, content_models
from content.public import public_page
from content.querysets import kind_label, local_midnight, union_all
from content.views import paginate

# Titles are short: a page holds more of them than of cards.
TITLES_PER_PAGE = 50
MONTH_COUNTS_SECONDS = 86400

Month = tuple[int, int]


def month_counts() -> dict[Month, dict[str, int]]:
    """{(year, month): {kind: count}} of published items, in the author's time zone."""
    key = f"archive-months:{ContentVersion.current().key}"
    return cache.get_or_set(key, _count_months, MONTH_COUNTS_SECONDS)


def _count_months() -> dict[Month, dict[str, int]]:
    parts = [
        model.objects.published()
        .order_by()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=models.Count("*"), kind=kind_label(model))
        .values_list("kind", "month", "n")
        for model in content_models()
    ]
    counts: dict[Month, dict[str, int]] = {}
    for kind, month, n in union_all(parts):
        local = timezone.localtime(month)
        counts.setdefault((local.year, local.month), {})[kind] = n
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class ArchiveYear:
    year: int
    months: list[tuple[datetime.date, int]]  # (first day of the month, items), newest first

    @property
    def total(self) -> int:
        return sum(n for _, n in self.months)


def archive_years() -> list[ArchiveYear]:
    """Every year and month with something published, newest first, with counts."""
    years: dict[int, list[tuple[datetime.date, int]]] = {}
    for (year, month), counts in sorted(month_counts().items(), reverse=True):
        years.setdefault(year, []).append((datetime.date(year, month, 1), sum(counts.values())))
    return [ArchiveYear(year, months) for year, months in years.items()]


def _archive(request: HttpRequest, first: Month, last: Month, unit: str) -> HttpResponse:
    """The months from `first` to `last` (inclusive) as one period."""
    counts = month_counts()
    months = {month: n for month, n in counts.items() if first <= month <= last}
    if not months:
        raise Http404(f"Nothing published that {unit}")
    by_kind = {
        model._meta: sum(n.get(model._meta.app_label, 0) for n in months.values())
        for model in content_models()
    }
    start = local_midnight(datetime.date(*first, 1))
    end = local_midnight((datetime.date(*last, 1) + datetime.timedelta(days=32)).replace(day=1))
    titles = MixedList(
        lambda model: model.objects.published().filter(
            published_at__gte=start, published_at__lt=end
        ),
        known_count=sum(by_kind.values()),
        titles_only=True,
    )
    before = [month for month in counts if month < first]
    after = [month for month in counts if month > last]
    return render(
        request,
        "content/archive.html",
        {
            "period": start.date(),
            "unit": unit,
            "kind_counts": [(opts, n) for opts, n in by_kind.items() if n],
            "months": [(datetime.date(*month, 1), sum(n.values())) for month, n in months.items()],
            "page_obj": paginate(request, titles, TITLES_PER_PAGE),
            "previous": datetime.date(*before[-1], 1) if before else None,
            "next": datetime.date(*after[0], 1) if after else None,
        },
    )


@public_page(params=())
@require_safe
def archive_index(request: HttpRequest) -> HttpResponse:
    return render(request, "content/archive_index.html", {"years": archive_years()})


@public_page()
@require_safe
def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise Http404("No such year")
    return _archive(request, (year, 1), (year, 12), "year")


@public_page()
@require_safe
def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (datetime.MINYEAR <= year <= datetime.MAXYEAR and 1 <= month <= 12):
        raise Http404("No such month")
    return _archive(request, (year, month), (year, month), "month")
