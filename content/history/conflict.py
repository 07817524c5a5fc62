"""An edit conflict: what changed since an editor opened a form, to show beside their text."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from reversion.models import Version

from content.history import version_numbered, versions_of
from content.history.diff import FieldDiff, compare


@dataclass(frozen=True)
class EditConflict:
    opened_at: int
    current: int
    latest: Version | None  # the revision that saved the current version, when recorded
    their_changes: list[FieldDiff] | None  # None: the version opened is not in the history
    your_changes: list[FieldDiff]


def snapshot(obj: models.Model) -> dict:
    """A saved object's values keyed like a revision's `field_dict`."""
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    for field in obj._meta.many_to_many:
        data[field.attname] = list(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def find_conflict(saved: models.Model, opened_at: int | None, posted: dict) -> EditConflict:
    """`saved`: the row as it is now; `posted`: the editor's values (attnames, or text)."""
    model, current = type(saved), snapshot(saved)
    base = version_numbered(model, saved.pk, opened_at) if opened_at else None
    latest = versions_of(model, saved.pk).first()
    if latest is not None and latest.field_dict.get("version") != saved.version:
        latest = None  # saved without a revision (before history began)
    return EditConflict(
        opened_at=opened_at or 0,
        current=saved.version,
        latest=latest,
        their_changes=compare(model, base.field_dict, current) if base else None,
        your_changes=compare(model, current, {**current, **posted}),
    )
