"""The content version follows every change readers can see: connected in `ready()`, so the
code that writes content (admin, API, commands) never has to remember it.

A draft that stays a draft changes nothing readers see, so editing one (or autosaving it)
keeps every cache warm. Scheduled items count as visible: publishing one moves
`next_publication`.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from content.models import Publishable, Status, Tag, content_models
from content.models.version import ContentVersion
from content.signals import bulk_saved, content_changed


def changed(**kwargs) -> None:
    ContentVersion.bump()
    content_changed.send(sender=ContentVersion)


def item_saving(sender, instance: Publishable, **kwargs) -> None:
    # What was loaded or last saved (`Publishable._saved`); unknown counts as visible.
    instance._was_draft = getattr(instance, "_saved", {}).get("status") == Status.DRAFT or (
        instance._state.adding
    )


def item_saved(sender, instance: Publishable, **kwargs) -> None:
    if instance.status != Status.DRAFT or not instance.__dict__.pop("_was_draft", False):
        changed()


def item_deleted(sender, instance: Publishable, **kwargs) -> None:
    if instance.status != Status.DRAFT:
        changed()


def tags_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # From the tag's side (tag.posts.add(…)) the items may be anything: count it as a change.
    if reverse or instance.status != Status.DRAFT:
        changed()


# What readers see of a tag (its edit `version` moves on every save, seen or not).
TAG_SHOWN = ("name", "slug", "description")


def tag_saving(sender, instance: Tag, **kwargs) -> None:
    # Saved with nothing edited, a tag changes nothing readers see: caches stay warm.
    saved = Tag.objects.filter(pk=instance.pk).values(*TAG_SHOWN).first() if instance.pk else None
    instance._edited = saved != {name: getattr(instance, name) for name in TAG_SHOWN}


def tag_saved(sender, instance: Tag, created: bool, **kwargs) -> None:
    # A new tag has no items yet; a renamed one shows under its new name everywhere.
    if not created and instance.__dict__.pop("_edited", True):
        changed()


def connect() -> None:
    for model in content_models():
        label = model._meta.label
        pre_save.connect(item_saving, sender=model, dispatch_uid=f"version-saving-{label}")
        post_save.connect(item_saved, sender=model, dispatch_uid=f"version-saved-{label}")
        post_delete.connect(item_deleted, sender=model, dispatch_uid=f"version-deleted-{label}")
        bulk_saved.connect(changed, sender=model, dispatch_uid=f"version-bulk-{label}")
        m2m_changed.connect(
            tags_changed, sender=model.tags.through, dispatch_uid=f"version-tags-{label}"
        )
    pre_save.connect(tag_saving, sender=Tag, dispatch_uid="version-tag-saving")
    post_save.connect(tag_saved, sender=Tag, dispatch_uid="version-tag-saved")
    post_delete.connect(changed, sender=Tag, dispatch_uid="version-tag-deleted")
