"""The index follows the content: connected in `SearchConfig.ready()`, so no model imports
search and nothing else reindexes by hand."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from content.models import Publishable, Tag, content_models
from content.signals import bulk_saved
from search.index import index_items


def item_saved(sender: type[Publishable], instance: Publishable, raw: bool, **kwargs) -> None:
    if not raw:  # loaddata: the fixture's rows come as they are
        index_items(sender, [instance.pk])


def items_saved(sender: type[Publishable], pks: list[int], **kwargs) -> None:
    index_items(sender, pks)


def tags_changed(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:
    """item.tags.set(…) or tag.posts.add(…): the items' documents hold their tag names."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            index_items(type(instance), [instance.pk])
        return
    # From the tag's side: `model` is the kind, `pk_set` its items (unknown on clear).
    if action == "pre_clear":
        instance._search_items = {
            model: list(getattr(instance, model._meta.app_label).values_list("pk", flat=True))
        }
    elif action in ("post_add", "post_remove") and pk_set:
        index_items(model, list(pk_set))
    elif action == "post_clear":
        for kind, pks in instance.__dict__.pop("_search_items", {}).items():
            index_items(kind, pks)


def _tagged_items(tag: Tag) -> dict[type[Publishable], list[int]]:
    return {
        model: list(model.objects.filter(tags=tag).values_list("pk", flat=True))
        for model in content_models()
    }


def tag_renaming(sender, instance: Tag, raw: bool, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    old_name = Tag.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    instance._search_renamed = old_name is not None and old_name != instance.name


def tag_saved(sender, instance: Tag, raw: bool, **kwargs) -> None:
    if instance.__dict__.pop("_search_renamed", False):
        for model, pks in _tagged_items(instance).items():
            index_items(model, pks)


def tag_deleting(sender, instance: Tag, **kwargs) -> None:
    # The links go with the tag, and no m2m signal says so: remember whose they were.
    instance._search_items = _tagged_items(instance)


def tag_deleted(sender, instance: Tag, **kwargs) -> None:
    for model, pks in instance.__dict__.pop("_search_items", {}).items():
        index_items(model, pks)


def connect() -> None:
    for model in content_models():
        post_save.connect(item_saved, sender=model, dispatch_uid=f"search-{model._meta.label}")
        bulk_saved.connect(
            items_saved, sender=model, dispatch_uid=f"search-bulk-{model._meta.label}"
        )
        m2m_changed.connect(
            tags_changed, sender=model.tags.through, dispatch_uid=f"search-tags-{model._meta.label}"
        )
    pre_save.connect(tag_renaming, sender=Tag, dispatch_uid="search-tag-renaming")
    post_save.connect(tag_saved, sender=Tag, dispatch_uid="search-tag-saved")
    pre_delete.connect(tag_deleting, sender=Tag, dispatch_uid="search-tag-deleting")
    post_delete.connect(tag_deleted, sender=Tag, dispatch_uid="search-tag-deleted")
