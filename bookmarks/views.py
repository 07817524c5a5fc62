"""Bookmarks: a list, one page each, and the "Weekly notes" digest of each ISO week."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bookmarks.models import Bookmark
from bookmarks.weeks import IsoWeek
from site_project.content_views import ContentDetailView, ContentListView

RECENT_WEEKS = 12


def week_bookmarks(week: IsoWeek) -> QuerySet:
    start, end = week.bounds()
    return (
        Bookmark.objects.published()
        .filter(published_at__gte=start, published_at__lt=end)
        .for_list(with_html=True)
    )


def recent_weeks(limit: int = RECENT_WEEKS) -> list[IsoWeek]:
    """The latest weeks that have bookmarks, newest first."""
    weeks: list[IsoWeek] = []
    for moment in Bookmark.objects.published().values_list("published_at", flat=True)[:500]:
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


def bookmark_week(request: HttpRequest, year: int, week: int) -> HttpResponse:
    try:
        iso_week = IsoWeek((year, week))
        start, end = iso_week.bounds()
    except (ValueError, OverflowError) as error:
        raise Http404("No such week") from error
    items = list(week_bookmarks(iso_week).order_by("published_at"))
    if not items:
        raise Http404("No bookmarks that week")
    published = Bookmark.objects.published().only("published_at")
    before = published.filter(published_at__lt=start).order_by("-published_at").first()
    after = published.filter(published_at__gte=end).order_by("published_at").first()
    return render(
        request,
        "bookmarks/bookmark_week.html",
        {
            "week": iso_week,
            "bookmarks": items,
            "previous_week": IsoWeek.of(before.published_at) if before else None,
            "next_week": IsoWeek.of(after.published_at) if after else None,
            "section": "bookmarks",
        },
    )
