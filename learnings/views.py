"""Learnings are read by day: the index pages through days, not items."""

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.generic import DayArchiveView

from content.public import PublicPage, public_page
from content.querysets import local_midnight
from content.views import SAFE_METHODS, ContentDetailView, paginate
from learnings.models import Learning

DAYS_PER_PAGE = 7


class LearningDetailView(ContentDetailView):
    model = Learning


@public_page()
@require_safe
def learning_index(request: HttpRequest) -> HttpResponse:
    published = Learning.objects.published()
    page = paginate(request, published.days(), DAYS_PER_PAGE)
    return render(
        request,
        "learnings/learning_list.html",
        {"page_obj": page, "days": published.by_day(list(page)), "section": "learnings"},
    )


class LearningDayView(DayArchiveView):
    """One day's learnings, with links to the nearest days that have some."""

    http_method_names = SAFE_METHODS
    public_page = PublicPage(params=())
    date_field = "published_at"
    month_format = "%m"
    template_name = "learnings/learning_day.html"

    def get_queryset(self) -> QuerySet:
        return Learning.objects.published().for_list(with_html=True).order_by("published_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["days"] = [(context["day"], list(context["object_list"]))]
        return {**context, "section": "learnings"}

    # The nearest days with learnings: two index probes, where Django's generic lookups load
    # whole learnings and their tags (and months the page never shows).
    def get_previous_day(self, date: datetime.date) -> datetime.date | None:
        older, _ = self._neighbours(date)
        return older.published_day if older else None

    def get_next_day(self, date: datetime.date) -> datetime.date | None:
        _, newer = self._neighbours(date)
        return newer.published_day if newer else None

    def get_previous_month(self, date: datetime.date) -> None:
        return None

    def get_next_month(self, date: datetime.date) -> None:
        return None

    def _neighbours(self, date: datetime.date) -> tuple:
        if getattr(self, "_around", (None,))[0] != date:
            bounds = local_midnight(date), local_midnight(date, 1)
            self._around = (date, Learning.objects.published().neighbours(*bounds))
        return self._around[1]
