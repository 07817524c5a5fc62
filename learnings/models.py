from __future__ import annotations

import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import TruncDate
from django.utils.html import format_html, format_html_join

from content.models import Publishable
from content.querysets import PublishableQuerySet


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
        items = (
            self.filter(published_at__date__in=days)
            .for_list(with_html=True)
            .order_by("published_at")
        )
        grouped: dict[datetime.date, list[Learning]] = {day: [] for day in days}
        for item in items:
            grouped[item.published_day].append(item)
        return list(grouped.items())


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
    def home_items(cls) -> list[tuple[datetime.date, list[Learning]]]:
        """The latest day of learnings."""
        published = cls.objects.published()
        latest = published.days().first()
        return published.by_day([latest]) if latest else []
