""" "Weekly notes": a draft listing a week's bookmarks as `* [title](url): commentary`, for
the author to edit and publish. Written as the kind `WEEKLY_DIGEST_KIND` names (a post by
default), found through `content_models()`, so this app imports no other kind."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from bookmarks.models import Bookmark
from bookmarks.weeks import IsoWeek
from content.files.links import format_item
from content.models import Publishable, Status, content_models

WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def parse_week(text: str) -> IsoWeek:
    """`2026-W48` (ISO 8601) as an IsoWeek; ValueError for anything else."""
    match = WEEK.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not an ISO week such as 2026-W48")
    week = IsoWeek((int(match.group(1)), int(match.group(2))))
    week.monday  # noqa: B018  (raises ValueError for week 54, or 53 in a 52-week year)
    return week


def digest_kind() -> type[Publishable]:
    for model in content_models():
        if model._meta.app_label == settings.WEEKLY_DIGEST_KIND:
            return model
    raise ImproperlyConfigured(f"WEEKLY_DIGEST_KIND {settings.WEEKLY_DIGEST_KIND!r} is no kind.")


def digest_slug(week: IsoWeek) -> str:
    return f"weekly-notes-{week.year}-w{week.number:02d}"


def digest_body(bookmarks: Iterable[Bookmark]) -> str:
    return "\n".join(format_item(b.title or b.url, b.url, b.body) for b in bookmarks) + "\n"


def compose(week: IsoWeek, bookmarks: Iterable[Bookmark] | None = None) -> tuple[Publishable, bool]:
    """(the digest, whether it was made now). A digest already there for the week is left
    as it is: the author may have edited it. Without `bookmarks`, the week's published ones;
    none is a ValueError."""
    model = digest_kind()
    existing = model.objects.filter(slug=digest_slug(week)).first()
    if existing is not None:
        return existing, False
    if bookmarks is None:
        bookmarks = Bookmark.objects.published().in_week(week).order_by("published_at", "pk")
    items = list(bookmarks)
    if not items:
        raise ValueError(f"{week} has no published bookmarks to list.")
    digest = model(
        title=f"Weekly notes: week {week.number}, {week.year}",
        slug=digest_slug(week),
        body=digest_body(items),
        status=Status.DRAFT,
    )
    summary = f"{len(items)} link{'s' if len(items) != 1 else ''} from the week of "
    setattr(
        digest, model.summary_field, summary + f"{week.monday:%B} {week.monday.day}, {week.year}."
    )
    digest.save()
    return digest, True
