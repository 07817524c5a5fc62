"""Bookmarks: a list, one page each, and the "Weekly notes" digest of each ISO week."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import WeekArchiveView

from bookmarks.models import Bookmark
from bookmarks.weeks import IsoWeek
from content.public import PublicPage
from content.views import SAFE_METHODS, ContentDetailView, ContentListView

RECENT_WEEKS = 12
# Enough of the newest dates to find RECENT_WEEKS weeks on any site that bookmarks weekly.
RECENT_DATES = 500


def recent_weeks(limit: int = RECENT_WEEKS) -> list[IsoWeek]:
    """The latest weeks that have bookmarks, newest first."""
    weeks: list[IsoWeek] = []
    dates = Bookmark.objects.published().values_list("published_at", flat=True)
    for moment in dates[:RECENT_DATES]:
        week = IsoWeek.of(moment)
        if week not in weeks:
            weeks.append(week)
        if len(weeks) == limit:
            break
    return weeks


class BookmarkListView(ContentListView):
    model = Bookmark

    def get_queryset(self):
        # The commentary is short and shown in full.
        return Bookmark.objects.published().for_list(with_html=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(weeks=recent_weeks(), **kwargs)


class BookmarkDetailView(ContentDetailView):
    model = Bookmark

    def get(self, request, *args, **kwargs):
        # /bookmarks/<id>/ also works, and redirects to the slug.
        slug = kwargs["slug"]
        if slug.isdigit() and not self.get_queryset().filter(slug=slug).exists():
            item = self.get_queryset().filter(pk=int(slug)).first()
            if item:
                return redirect(item, permanent=True)
        return super().get(request, *args, **kwargs)


class BookmarkWeekView(WeekArchiveView):
    """One ISO week's bookmarks ("Weekly notes"), with links to the nearest weeks with some."""

    http_method_names = SAFE_METHODS
    public_page = PublicPage(params=())
    date_field = "published_at"
    # ISO 8601 weeks and week-numbering years: week 1 holds the year's first Thursday.
    year_format, week_format = "%G", "%V"
    context_object_name = "bookmarks"
    template_name = "bookmarks/bookmark_week.html"

    def get_queryset(self) -> QuerySet:
        return Bookmark.objects.published().for_list(with_html=True).order_by("published_at")

    def get_dated_items(self):
        # strptime carries week 53 of a 52-week year into the next year: that is no week.
        try:
            IsoWeek((int(self.get_year()), int(self.get_week()))).bounds()
        except (ValueError, OverflowError) as error:
            raise Http404("No such week") from error
        return super().get_dated_items()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django gives the weeks' first days; templates want (year, number) weeks.
        weeks = {
            name: IsoWeek.of_date(context[name]) if context[name] else None
            for name in ("week", "previous_week", "next_week")
        }
        return {**context, **weeks, "section": "bookmarks"}
