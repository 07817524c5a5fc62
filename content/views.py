"""Generic views shared by the kinds (each kind's views are a few lines on top), and the pages
that span every kind: tags and archives."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from content.mixed import MixedList
from content.models import Publishable, Tag, content_models
from content.public import PublicPage, public_page

RELATED_ITEMS = 5
# Only GET and HEAD: a public page has nothing to say to any other method.
SAFE_METHODS = ["get", "head"]


def paginate(request: HttpRequest, items, per_page: int | None = None) -> Page:
    """One page of `items`; ?page=abc, -1 or 999999 is a 404, never a 500."""
    try:
        return Paginator(items, per_page or settings.PAGE_SIZE).page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(str(error)) from error


class PublishedMixin:
    """Readers only ever reach published items, whatever the view."""

    model: type[Publishable]
    http_method_names = SAFE_METHODS
    public_page = PublicPage()

    def get_queryset(self) -> QuerySet:
        return self.model.objects.published()

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.model._meta.app_label, **kwargs)


class ContentListView(PublishedMixin, ListView):
    # Django's paginator answers 404 for ?page=abc, ?page=-1 and ?page=999999.
    allow_empty = True

    def get_paginate_by(self, queryset) -> int:
        return settings.PAGE_SIZE

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().for_list()


class ContentDetailView(PublishedMixin, DetailView):
    public_page = PublicPage(params=())

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("tags")

    def get_context_data(self, **kwargs):
        item = self.object
        older, newer = self.model.objects.published().neighbours(item.published_at)
        return super().get_context_data(
            previous_item=older, next_item=newer, related=related_items(item), **kwargs
        )


def related_items(item: Publishable, limit: int = RELATED_ITEMS) -> list[Publishable]:
    """Up to `limit` items of any kind, ranked by tags shared with `item`, then recency."""
    tag_ids = [tag.pk for tag in item.tags.all()]
    if not tag_ids:
        return []
    candidates = []
    for model in content_models():
        others = model.objects.published()
        if model is type(item):
            others = others.exclude(pk=item.pk)
        candidates.extend(others.sharing_tags(tag_ids, limit))
    candidates.sort(key=lambda c: (c.shared, c.published_at), reverse=True)
    return candidates[:limit]


@public_page(params=())
@require_safe
def tag_index(request: HttpRequest) -> HttpResponse:
    tags = Tag.objects.published_counts()
    return render(request, "content/tag_list.html", {"tags": tags, "section": "tags"})


@public_page()
@require_safe
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = Tag.objects.published_tag(slug)
    if tag is None:
        raise Http404("No published item has this tag")
    page = paginate(request, MixedList(lambda model: model.objects.published().filter(tags=tag)))
    return render(request, "content/tag_detail.html", {"tag": tag, "page_obj": page})


# Archives -----------------------------------------------------------------------------------


def _local_midnight(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def _period_items(start: datetime.datetime, end: datetime.datetime) -> list[tuple]:
    """(model options, items) for each kind with items published in [start, end)."""
    groups = []
    for model in content_models():
        items = list(
            model.objects.published()
            .for_list()
            .filter(published_at__gte=start, published_at__lt=end)
            .order_by("published_at")
        )
        if items:
            groups.append((model._meta, items))
    return groups


def _archive(request: HttpRequest, first: datetime.date, next_first: datetime.date, unit: str):
    start, end = _local_midnight(first), _local_midnight(next_first)
    groups = _period_items(start, end)
    if not groups:
        raise Http404(f"Nothing published that {unit}")
    older, newer = [], []
    for model in content_models():
        before, after = model.objects.published().neighbours(start, end)
        older += [before.published_day] if before else []
        newer += [after.published_day] if after else []
    return render(
        request,
        "content/archive.html",
        {
            "period": first,
            "unit": unit,
            "groups": groups,
            "previous": max(older, default=None),
            "next": min(newer, default=None),
        },
    )


@public_page()
@require_safe
def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    try:
        first, next_first = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    except (ValueError, OverflowError) as error:
        raise Http404("No such year") from error
    return _archive(request, first, next_first, "year")


@public_page()
@require_safe
def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    try:
        first = datetime.date(year, month, 1)
        next_first = (first + datetime.timedelta(days=32)).replace(day=1)
    except (ValueError, OverflowError) as error:
        raise Http404("No such month") from error
    return _archive(request, first, next_first, "month")
