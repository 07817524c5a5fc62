"""Test data: plain functions that save real rows (no mocks, no SQLite)."""

import datetime
import itertools

from django.utils import timezone

from bookmarks.models import Bookmark
from content.models import Status, Tag
from learnings.models import Learning
from notes.models import Note
from posts.models import Post

_counter = itertools.count(1)


def local(*args: int) -> datetime.datetime:
    """A moment given as (year, month, day, …) on the author's clock."""
    return timezone.make_aware(datetime.datetime(*args))


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def _make(model, tags=(), **fields):
    n = next(_counter)
    fields.setdefault("title", f"{model._meta.verbose_name.title()} number {n}")
    fields.setdefault("body", f"The body of item {n}.\n\n```python\nprint({n})\n```\n")
    fields.setdefault("status", Status.PUBLISHED)
    if fields["status"] == Status.PUBLISHED:
        fields.setdefault("published_at", ago(hours=n))
    item = model(**fields)
    item.save()
    if tags:
        item.tags.set(Tag.objects.resolve(list(tags)))
    return item


def make_post(**fields) -> Post:
    fields.setdefault("summary", "A summary for the list.")
    return _make(Post, **fields)


def make_note(**fields) -> Note:
    return _make(Note, **fields)


def make_learning(**fields) -> Learning:
    fields.setdefault("sources", ["https://docs.python.org/3/"])
    return _make(Learning, **fields)


def make_bookmark(**fields) -> Bookmark:
    fields.setdefault("url", f"https://example.com/page/{next(_counter)}")
    return _make(Bookmark, **fields)


MAKERS = {
    "post": make_post,
    "note": make_note,
    "learning": make_learning,
    "bookmark": make_bookmark,
}
