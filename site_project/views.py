"""Pages that span the four kinds: home, tags, archives."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bookmarks.views import IsoWeek, week_bookmarks
from learnings.views import group_by_day, published_days
from notes.models import Note
from posts.models import Post
from site_project.content_views import paginate
from site_project.mixed import MixedList, published_tag_counts
from site_project.models import Tag, content_models

HOME_ITEMS = 5


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest_day = published_days().first()
    this_week = IsoWeek.of(timezone.now())
    return render(
        request,
        "home.html",
        {
            "posts": Post.objects.published().for_list()[:HOME_ITEMS],
            "notes": Note.objects.published().for_list()[:HOME_ITEMS],
            "learning_days": group_by_day([latest_day]) if latest_day else [],
            "week": this_week,
            "week_bookmarks": week_bookmarks(this_week).order_by("-published_at"),
        },
    )


@require_safe
def tag_index(request: HttpRequest) -> HttpResponse:
    tags = published_tag_counts()
    return render(request, "site_project/tag_list.html", {"tags": tags, "section": "tags"})


@require_safe
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, MixedList(lambda model: model.objects.published().filter(tags=tag)))
    return render(request, "site_project/tag_detail.html", {"tag": tag, "page_obj": page})


def _period_items(start: datetime.datetime, end: datetime.datetime) -> list[tuple]:
    """(model, items) for each kind with items published in [start, end)."""
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


def _neighbours(
    start: datetime.datetime, end: datetime.datetime
) -> tuple[datetime.date | None, datetime.date | None]:
    """The nearest earlier and later periods that have anything published."""
    before, after = [], []
    for model in content_models():
        published = model.objects.published().values_list("published_at", flat=True)
        before += published.filter(published_at__lt=start).order_by("-published_at")[:1]
        after += published.filter(published_at__gte=end).order_by("published_at")[:1]
    previous = timezone.localdate(max(before)) if before else None
    following = timezone.localdate(min(after)) if after else None
    return previous, following


def _local_midnight(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


@require_safe
def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    try:
        start, end = (
            _local_midnight(datetime.date(year, 1, 1)),
            _local_midnight(datetime.date(year + 1, 1, 1)),
        )
    except (ValueError, OverflowError) as error:
        raise Http404("No such year") from error
    groups = _period_items(start, end)
    if not groups:
        raise Http404("Nothing published that year")
    previous, following = _neighbours(start, end)
    return render(
        request,
        "site_project/archive_year.html",
        {"year": year, "groups": groups, "previous": previous, "next": following},
    )


@require_safe
def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    try:
        first = datetime.date(year, month, 1)
        start = _local_midnight(first)
        end = _local_midnight((first + datetime.timedelta(days=32)).replace(day=1))
    except (ValueError, OverflowError) as error:
        raise Http404("No such month") from error
    groups = _period_items(start, end)
    if not groups:
        raise Http404("Nothing published that month")
    previous, following = _neighbours(start, end)
    return render(
        request,
        "site_project/archive_month.html",
        {"month": first, "groups": groups, "previous": previous, "next": following},
    )
