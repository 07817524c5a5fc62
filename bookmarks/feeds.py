"""The "Weekly notes" feed: one digest per completed ISO week of bookmarks.

It rides on the shared `ContentFeed` (formats, validators, conditional GET); only what an item
is differs: a week, not a row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Max, QuerySet
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone

from bookmarks.models import Bookmark
from bookmarks.weeks import IsoWeek
from content.models import site_url
from feeds.base import ContentFeed, item_html, prepare, with_content


@dataclass(frozen=True)
class WeekDigest:
    week: IsoWeek
    bookmarks: list[Bookmark]
    updated_at: datetime.datetime


def week_end(week: IsoWeek) -> datetime.datetime:
    """The last second of `week` in the author's time zone: when its digest is complete."""
    return week.bounds()[1] - datetime.timedelta(seconds=1)


class WeeklyFeed(ContentFeed):
    """One digest per completed ISO week that has bookmarks."""

    section, kinds, page = "weekly", ("bookmarks",), "bookmarks:index"
    label, explanation = "Weekly notes", "One digest per week of bookmarks, once the week is over."

    def querysets(self) -> list[QuerySet]:
        # The current week is still being written: its digest appears once it is over.
        this_week_starts = IsoWeek.of(timezone.now()).bounds()[0]
        return [Bookmark.objects.published().filter(published_at__lt=this_week_starts)]

    @cached_property
    def loaded(self) -> list[WeekDigest]:
        (done,) = self.querysets()
        weeks = list(
            done.order_by()
            .annotate(monday=TruncWeek("published_at"))
            .values("monday")
            .annotate(updated=Max("updated_at"))
            .order_by("-monday")
            .values_list("monday", "updated")[: settings.FEED_ITEMS]
        )
        if not weeks:
            return []
        by_week: dict[IsoWeek, list[Bookmark]] = {}
        # All the listed weeks' bookmarks in one query, then grouped here.
        bookmarks = with_content(done.filter(published_at__gte=weeks[-1][0]))
        for bookmark in prepare(list(bookmarks.order_by("published_at", "pk"))):
            by_week.setdefault(IsoWeek.of(bookmark.published_at), []).append(bookmark)
        return [
            WeekDigest(IsoWeek.of(monday), by_week.get(IsoWeek.of(monday), []), updated)
            for monday, updated in weeks
        ]

    def item_title(self, digest: WeekDigest) -> str:
        return f"Weekly notes: week {digest.week.number}, {digest.week.year}"

    def item_guid(self, digest: WeekDigest) -> str:
        return site_url(reverse("bookmarks:week", args=[digest.week.year, digest.week.number]))

    def item_link(self, digest: WeekDigest) -> str:
        return self.item_guid(digest)

    def item_summary(self, digest: WeekDigest) -> str:
        return "; ".join(bookmark.title for bookmark in digest.bookmarks)

    def item_pubdate(self, digest: WeekDigest) -> datetime.datetime:
        return week_end(digest.week)

    def item_categories(self, digest: WeekDigest) -> list[str]:
        return sorted({name for bookmark in digest.bookmarks for name in bookmark.tag_names})

    def item_content(self, digest: WeekDigest) -> str:
        return "".join(item_html(bookmark) for bookmark in digest.bookmarks)
