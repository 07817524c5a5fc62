from __future__ import annotations

import datetime
import operator
from functools import reduce

from django.contrib.postgres.fields import ArrayField
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import TruncDate, TruncDay
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from content.home import Section
from content.models import Publishable
from content.querysets import PublishableQuerySet, local_midnight


class LearningQuerySet(PublishableQuerySet):
    def days(self) -> models.QuerySet:
        """Distinct days with learnings, in the author's time zone (TIME_ZONE), newest first."""
        return (
            self.annotate(day=TruncDate("published_at"))
            .values_list("day", flat=True)
            .distinct()
            .order_by("-day")
        )

    def by_day(self, days: list[datetime.date]) -> list[tuple[datetime.date, list[Learning]]]:
        """The learnings of `days`, oldest first within a day, as (day, items) pairs."""
        # Each day as a range of instants: an index scan, where a date cast reads every row.
        within = [
            models.Q(published_at__gte=local_midnight(day), published_at__lt=local_midnight(day, 1))
            for day in days
        ]
        items = (
            self.filter(reduce(operator.or_, within, models.Q(pk__in=[])))
            .for_list(with_html=True)
            .order_by("published_at")
        )
        grouped: dict[datetime.date, list[Learning]] = {day: [] for day in days}
        for item in items:
            grouped[item.published_day].append(item)
        return list(grouped.items())

    def latest_day(self) -> LearningQuerySet:
        """The learnings of the newest day that has any: the newest item is one index probe,
        and its day a range from local midnight."""
        newest = self.order_by("-published_at").values("published_at")[:1]
        zone = timezone.get_current_timezone()
        local_day = TruncDay(
            models.Subquery(newest, output_field=models.DateTimeField()), tzinfo=zone
        )
        # date_trunc gives the local midnight as a wall-clock time; timezone() makes it an
        # instant again, so the range is the author's day in summer time too.
        midnight = models.Func(
            models.Value(str(zone)),
            local_day,
            function="timezone",
            output_field=models.DateTimeField(),
        )
        return self.filter(published_at__gte=midnight)


class Learning(Publishable):
    """'Today I learned': the title is the question, the body its answer."""

    description = "Today I learned: one question and its answer, with sources."
    kind_aliases = ("til", "today-i-learned")
    field_labels = {"title": "Question", "body": "Answer"}
    capture_fields = ("title", "body")

    sources = ArrayField(
        # http(s) only, as the admin's form says, for every way in (API, import).
        models.URLField(max_length=500, validators=[URLValidator(schemes=["http", "https"])]),
        default=list,
        blank=True,
        help_text="Where the answer comes from: one http(s) URL per line.",
    )

    objects = LearningQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = "learning"

    def feed_footer_html(self) -> str:
        if not self.sources:
            return ""
        links = format_html_join("", '<li><a href="{}">{}</a></li>', ((u, u) for u in self.sources))
        return format_html("<h2>Sources</h2><ul>{}</ul>", links)

    @classmethod
    def home_section(cls) -> Section:
        """The latest day of learnings, oldest first."""
        latest = cls.objects.published().latest_day()
        return Section(latest, fields=("body_html", "sources"), limit=None, with_tags=True)
