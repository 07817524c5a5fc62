"""ISO weeks in the author's time zone: the unit of the "Weekly notes" digests."""

import datetime

from django.utils import timezone

from content.querysets import local_midnight


class IsoWeek(tuple):
    """(year, week) with its local date range."""

    @classmethod
    def of(cls, moment: datetime.datetime) -> "IsoWeek":
        return cls.of_date(timezone.localdate(moment))

    @classmethod
    def of_date(cls, date: datetime.date) -> "IsoWeek":
        year, week, _ = date.isocalendar()
        return cls((year, week))

    def __str__(self) -> str:
        return f"Week {self.number}, {self.year}"

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self[0], self[1], 1)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        return local_midnight(self.monday), local_midnight(self.monday, plus_days=7)

    @property
    def year(self) -> int:
        return self[0]

    @property
    def number(self) -> int:
        return self[1]
