"""Learnings are read by day: the index pages through days, not items."""

import datetime

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from learnings.models import Learning
from site_project.content_views import ContentDetailView, paginate

DAYS_PER_PAGE = 7


class LearningDetailView(ContentDetailView):
    model = Learning


def published_days() -> QuerySet:
    """Distinct days with learnings, in the author's time zone (TIME_ZONE), newest first."""
    return (
        Learning.objects.published()
        .annotate(day=TruncDate("published_at"))
        .values_list("day", flat=True)
        .distinct()
        .order_by("-day")
    )


def group_by_day(days: list[datetime.date]) -> list[tuple[datetime.date, list[Learning]]]:
    """The learnings of `days`, oldest first within a day, as (day, items) pairs."""
    items = (
        Learning.objects.published()
        .filter(published_at__date__in=days)
        .for_list(with_html=True)
        .order_by("published_at")
    )
    grouped: dict[datetime.date, list[Learning]] = {day: [] for day in days}
    for item in items:
        grouped[item.published_day].append(item)
    return list(grouped.items())


def learning_index(request: HttpRequest) -> HttpResponse:
    page = paginate(request, published_days(), DAYS_PER_PAGE)
    return render(
        request,
        "learnings/learning_list.html",
        {"page_obj": page, "days": group_by_day(list(page)), "section": "learnings"},
    )


def learning_day(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    try:
        date = datetime.date(year, month, day)
    except ValueError as error:
        raise Http404("No such date") from error
    days = group_by_day([date])
    if not days[0][1]:
        raise Http404("No learnings that day")
    all_days = published_days()
    return render(
        request,
        "learnings/learning_day.html",
        {
            "day": date,
            "days": days,
            "previous_day": all_days.filter(day__lt=date).first(),
            "next_day": all_days.filter(day__gt=date).order_by("day").first(),
            "section": "learnings",
        },
    )
