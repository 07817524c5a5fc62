"""`ContentVersion`: one row that changes whenever what readers see changes.

Anything derived from the published content and kept for later (cached pages, tag counts,
archive counts) is keyed on `ContentVersion.current().key`, so a change makes it unreachable
at once. Reading the version is one primary-key lookup, at most once per request.

The row is bumped by `content.changes` (signal handlers, inside the writer's transaction) and
by the first reader after a scheduled item's publication time: `next_publication` says when.
"""

from __future__ import annotations

import contextvars
import datetime
from functools import reduce

from django.core.signals import request_finished, request_started
from django.db import models
from django.db.models.functions import Least
from django.utils import timezone

from content.models.publishable import content_models
from content.querysets import local_midnight
from content.sql import Table

SINGLE_ROW = 1
# Within one request the version is read once: the page cache, tag counts and archive counts
# all key on the same one. Outside requests (shell, commands) every call reads the row.
_request_version: contextvars.ContextVar[ContentVersion | None] = contextvars.ContextVar(
    "content_version", default=None
)
_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("in_request", default=False)


def _next_publication() -> models.Expression:
    """The earliest publication time still to come, of any kind (NULL when none is)."""
    soonest = [
        models.Subquery(
            model.objects.scheduled().order_by("published_at").values("published_at")[:1]
        )
        for model in content_models()
    ]
    # PostgreSQL's LEAST ignores NULLs: a kind with nothing scheduled does not hide the others.
    return reduce(lambda a, b: Least(a, b), soonest) if len(soonest) > 1 else soonest[0]


class ContentVersion(models.Model):
    number = models.BigIntegerField(default=0, help_text="Bumped by every change readers see.")
    changed_at = models.DateTimeField(
        default=timezone.now, help_text="When readers' content last changed: pages' Last-Modified."
    )
    next_publication = models.DateTimeField(
        null=True, help_text="When the next scheduled item comes due: the version changes then."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=SINGLE_ROW), name="%(app_label)s_%(class)s_single_row"
            )
        ]

    def __str__(self) -> str:
        return f"content version {self.number}"

    @property
    def key(self) -> str:
        """Unique to this state of the content, even across a restored backup or a new database
        (whose numbers start again): the number and the moment it was reached."""
        return f"{self.number}.{self.changed_at.timestamp():.6f}"

    def expires_at(self, now: datetime.datetime) -> datetime.datetime:
        """When pages shown now may start to differ with no change recorded: the next
        scheduled item, or the author's next midnight (dates, "this week", the year)."""
        midnight = local_midnight(timezone.localdate(now), plus_days=1)
        return min(filter(None, (self.next_publication, midnight)))

    @classmethod
    def current(cls) -> ContentVersion:
        """The version now: one primary-key lookup (once per request). When a scheduled item's
        time has come, the first reader to notice bumps the version for everyone."""
        memo = _request_version.get()
        if memo is not None:
            return memo
        now = timezone.now()
        # Raw: building this one-row lookup through the ORM costs 0.3 ms, on every request.
        row = f"SELECT * FROM {Table(cls).name} WHERE id = %s"
        version = next(iter(cls.objects.raw(row, [SINGLE_ROW])), None)
        if version is None or (version.next_publication and version.next_publication <= now):
            cls._advance(now, due_only=version is not None)
            version = cls.objects.get(pk=SINGLE_ROW)
        if _in_request.get():
            _request_version.set(version)
        return version

    @classmethod
    def bump(cls) -> None:
        """Record a change (one UPDATE). Called inside the writer's transaction, so the new
        content and the new number become visible together."""
        cls._advance(timezone.now(), due_only=False)

    @classmethod
    def _advance(cls, now: datetime.datetime, due_only: bool) -> None:
        rows = cls.objects.filter(pk=SINGLE_ROW)
        if due_only:
            # Conditional, so that of several readers noticing at once only one bumps.
            rows = rows.filter(next_publication__lte=now)
        changes = {"changed_at": now, "next_publication": _next_publication()}
        if not rows.update(number=models.F("number") + 1, **changes) and not due_only:
            # The row is made by a migration; a test database flush removes it.
            cls.objects.get_or_create(pk=SINGLE_ROW)
            rows.update(number=models.F("number") + 1, **changes)
        _request_version.set(None)


def _request_starts(**kwargs) -> None:
    _in_request.set(True)
    _request_version.set(None)


def _request_ends(**kwargs) -> None:
    _in_request.set(False)
    _request_version.set(None)


request_started.connect(_request_starts, dispatch_uid="content-version-request-started")
request_finished.connect(_request_ends, dispatch_uid="content-version-request-finished")
