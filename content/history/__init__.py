"""Every version kept: each save of an item or a tag is a revision (django-reversion).

Registered once, in `ContentConfig.ready()`. The admin groups its saves into revisions with
the user and a comment; any other save (the shell, an API, an import, a management command)
outside a revision is recorded here by signal handlers, so `item.save()` anywhere leaves a
revision without its caller knowing. Wrap several writes in `revision("…")` to make them one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.utils import timezone
from reversion.models import Version

from content.models import Tag, content_models
from content.slugs import unique_slug

# Not stored: derived on save (rendered HTML, search vector, reading time…), so a restored
# version is rendered afresh by today's renderer. The version number, kept, ties a revision
# to the edit-conflict check.
KEPT_DERIVED = {"version", "created_at", "updated_at"}
# What restoring an older version leaves as it is now: the URL and the publishing state,
# as WordPress does. A recovered (deleted) item gets them back too.
NOT_RESTORED = {"slug", "status", "published_at"}


def tracked_models() -> list[type[models.Model]]:
    return [*content_models(), Tag]


def register() -> None:
    for model in tracked_models():
        if reversion.is_registered(model):
            continue
        derived = [
            f.name
            for f in model._meta.concrete_fields
            if not f.editable and f.name not in KEPT_DERIVED
        ]
        # ignore_duplicates: a deletion's snapshot, or tags set to what they were, adds nothing.
        reversion.register(model, exclude=derived, ignore_duplicates=True)
        post_save.connect(_saved, sender=model, dispatch_uid=f"history-save-{model._meta.label}")
        pre_delete.connect(
            _deleting, sender=model, dispatch_uid=f"history-delete-{model._meta.label}"
        )
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _links_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"history-m2m-{model._meta.label}-{field.name}",
            )


@contextmanager
def revision(comment: str, user: AbstractBaseUser | None = None) -> Iterator[None]:
    """One revision for every save inside (with a comment saying what made it)."""
    with reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        yield


def _record(instance: models.Model, comment: str) -> None:
    """Inside a revision, reversion's own handlers (or ours, for deletes) add the object;
    outside one, the change becomes a revision of its own."""
    if reversion.is_active():
        reversion.add_to_revision(instance)
        return
    with revision(comment):
        reversion.add_to_revision(instance)


def _saved(sender, instance: models.Model, raw: bool, **kwargs) -> None:
    if not raw and not reversion.is_active():
        _record(instance, "Saved outside the admin")


def _deleting(sender, instance: models.Model, **kwargs) -> None:
    # The state it was deleted in, so the admin can recover it even if it was never saved
    # since history began (a duplicate of the last revision is skipped). Only outside a
    # revision: reversion drops, when a revision closes, versions of rows gone by then (the
    # admin's deletes run outside one for that reason; an item saved since history began
    # has its last state in the history anyway).
    if not reversion.is_active():
        _record(instance, "Deleted")


def _links_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action.startswith("post_") and not reverse and not reversion.is_active():
        _record(instance, "Tags changed outside the admin")


# Reading and restoring ------------------------------------------------------------------


def versions_of(model: type[models.Model], pk: object) -> models.QuerySet[Version]:
    """Newest first, with who made each."""
    return (
        Version.objects.get_for_object_reference(model, pk)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def version_numbered(model: type[models.Model], pk: object, number: int) -> Version | None:
    """The revision saved as `version` number `number` (what an edit form was opened at)."""
    for version in versions_of(model, pk):
        if version.field_dict.get("version") == number:
            return version
    return None


def deleted_versions(model: type[models.Model]) -> models.QuerySet[Version]:
    """The last revision of each deleted item, newest first."""
    return (
        Version.objects.get_deleted(model)
        .select_related("revision__user")
        .order_by("-revision__date_created")
    )


def _assign(obj: models.Model, data: dict, skip: set[str]) -> None:
    for field in obj._meta.concrete_fields:
        restorable = field.editable and not field.primary_key and field.name not in skip
        if restorable and field.attname in data:
            setattr(obj, field.attname, data[field.attname])


def _set_links(obj: models.Model, data: dict) -> None:
    for field in obj._meta.many_to_many:
        if field.attname in data:
            existing = field.related_model._default_manager.filter(pk__in=data[field.attname])
            getattr(obj, field.name).set(existing)


def restore(version: Version, user: AbstractBaseUser | None = None) -> models.Model:
    """The item's text as it was in `version`, saved as a new revision (so restoring loses
    nothing either). The URL and publishing state stay as they are. Raises ValidationError
    when the old values no longer fit (a bookmark URL saved since by another bookmark)."""
    model = version._model
    data = version.field_dict
    when = timezone.localtime(version.revision.date_created)
    with revision(f"Restored the version of {when:%Y-%m-%d %H:%M} (#{version.pk})", user):
        obj = model._default_manager.select_for_update().get(pk=version.object_id)
        _assign(obj, data, NOT_RESTORED)
        obj.full_clean(exclude=["slug"])
        obj.save()
        _set_links(obj, data)
    return obj


def recover(version: Version, user: AbstractBaseUser | None = None) -> models.Model:
    """A deleted item back, with its primary key (so its history continues), its URL unless
    another item took it since, its tags and its publishing state."""
    model = version._model
    data = version.field_dict
    obj = model(pk=model._meta.pk.to_python(version.object_id))
    _assign(obj, data, set())
    obj.version = data.get("version", 0) + 1  # numbers already in its history stay unique
    if model._default_manager.filter(slug=obj.slug).exists():
        obj.slug = unique_slug(model, obj.slug)  # another item took it since
    obj.full_clean()
    with revision(f"Recovered after deletion (from #{version.pk})", user):
        obj.save(force_insert=True)
        _set_links(obj, data)
    return obj
